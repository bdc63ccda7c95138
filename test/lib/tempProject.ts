/**
 * A temporary Pulumi project for CLI tests: this repository's Pulumi.yaml (its program) plus one stack file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../plan";

/**
 * Runs `fn` with a copy of Pulumi.yaml (its `main` pointing at this repository's compiled program) and
 * one stack file in a temporary project directory.
 */
export function withProject(stack: string, stackFile: string, fn: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), "plan-"));
  try {
    const project = readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, `main: ${path.join(PROJECT_DIR, "bin", "index.js")}`);
    writeFileSync(path.join(dir, "Pulumi.yaml"), project);
    writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stackFile);
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

