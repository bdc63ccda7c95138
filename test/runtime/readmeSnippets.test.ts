/**
 * The TypeScript examples of the runtime packages' READMEs compile under `strict` exactly as written
 * (Express, Fastify, plain, and the JIT client), against the packages' published type declarations
 * (resolved through their `exports`, as a consumer's compiler does).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../plan";

/** The ```ts blocks of a markdown file. */
function typescriptBlocks(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

describe("runtime READMEs: every TypeScript example compiles under strict", function () {
  this.timeout(120_000);

  it("agent-auth (Express, Fastify, any framework) and jit examples type-check as written", () => {
    const blocks = [...typescriptBlocks(path.join(PROJECT_DIR, "runtime", "agent-auth", "README.md")), ...typescriptBlocks(path.join(PROJECT_DIR, "runtime", "jit", "README.md"))];
    assert.strictEqual(blocks.length, 4, "three agent-auth examples and one jit example");
    // Inside the repository, so that express, fastify and the workspace packages resolve from node_modules.
    const dir = mkdtempSync(path.join(PROJECT_DIR, "bin", "readme-"));
    try {
      const files = blocks.map((code, i) => {
        const file = path.join(dir, `example${i}.ts`);
        writeFileSync(file, code);
        return file;
      });
      const tsc = path.join(PROJECT_DIR, "node_modules", "typescript", "bin", "tsc");
      const args = ["--strict", "--noEmit", "--module", "node16", "--moduleResolution", "node16", "--target", "ES2022", "--esModuleInterop", "--skipLibCheck", "--types", "node", ...files];
      const run = spawnSync(process.execPath, [tsc, ...args], { cwd: PROJECT_DIR, encoding: "utf8" });
      assert.strictEqual(run.status, 0, `${run.stdout}${run.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the root README's examples of both packages type-check as written (as ES modules: they use top-level await)", () => {
    const blocks = typescriptBlocks(path.join(PROJECT_DIR, "README.md")).filter((code) => /from "@agent-identity\//.test(code));
    assert.strictEqual(blocks.length, 2, "the JIT client and the Express example");
    const dir = mkdtempSync(path.join(PROJECT_DIR, "bin", "readme-root-"));
    try {
      const files = blocks.map((code, i) => {
        const file = path.join(dir, `example${i}.mts`);
        writeFileSync(file, code);
        return file;
      });
      const tsc = path.join(PROJECT_DIR, "node_modules", "typescript", "bin", "tsc");
      const args = ["--strict", "--noEmit", "--module", "node16", "--moduleResolution", "node16", "--target", "ES2022", "--esModuleInterop", "--skipLibCheck", "--types", "node", ...files];
      const run = spawnSync(process.execPath, [tsc, ...args], { cwd: PROJECT_DIR, encoding: "utf8" });
      assert.strictEqual(run.status, 0, `${run.stdout}${run.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
