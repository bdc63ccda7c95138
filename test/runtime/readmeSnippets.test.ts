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

/**
 * Compiles code blocks with the repository's TypeScript under `strict`, each as its own file with the
 * given extension (`.mts` for ES modules), inside the repository so that the workspace packages resolve.
 */
function compileUnderStrict(blocks: string[], extension: ".ts" | ".mts"): void {
  const dir = mkdtempSync(path.join(PROJECT_DIR, "bin", "readme-"));
  try {
    const files = blocks.map((code, i) => {
      const file = path.join(dir, `example${i}${extension}`);
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
}

describe("runtime READMEs: every TypeScript example compiles under strict", function () {
  this.timeout(120_000);

  it("agent-auth (Express, Fastify, any framework) and jit examples type-check as written", () => {
    const blocks = [...typescriptBlocks(path.join(PROJECT_DIR, "runtime", "agent-auth", "README.md")), ...typescriptBlocks(path.join(PROJECT_DIR, "runtime", "jit", "README.md"))];
    assert.strictEqual(blocks.length, 4, "three agent-auth examples and one jit example");
    compileUnderStrict(blocks, ".ts");
  });

  it("the root README's examples of both packages type-check as written (as ES modules: they use top-level await)", () => {
    const blocks = typescriptBlocks(path.join(PROJECT_DIR, "README.md")).filter((code) => /from "@agent-identity\//.test(code));
    assert.strictEqual(blocks.length, 2, "the JIT client and the Express example");
    compileUnderStrict(blocks, ".mts");
  });
});
