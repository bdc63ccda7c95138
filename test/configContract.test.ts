/**
 * The compile-time contract between the stack config schema and AgentPlatformArgs
 * (components/platform/configContract.ts) really fails the build when the two drift apart: copies of the
 * contract file with one side changed are compiled with the TypeScript compiler API and must be refused
 * with a diagnostic that names the key; the unchanged copy must compile clean.
 */
import * as assert from "assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_DIR } from "../plan";

const CONTRACT = path.join(PROJECT_DIR, "components", "platform", "configContract.ts");
/** The line of the contract that compares the two sides; each variant rewrites it. */
const COMPARISON = 'ShapeDiff<StackConfigInput, AgentPlatformArgs, "config">';

/** The contract's source with relative imports made absolute (the copy lives elsewhere) and the comparison replaced. */
function contractVariant(comparison: string, extraImports = ""): string {
  const source = readFileSync(CONTRACT, "utf8");
  assert.ok(source.includes(COMPARISON), "the contract compares the schema's input with AgentPlatformArgs");
  const absolute = source.replace(/from "(\.[^"]+)"/g, (_, spec: string) => `from ${JSON.stringify(path.resolve(path.dirname(CONTRACT), spec))}`);
  return `${absolute.replace(COMPARISON, comparison)}\n${extraImports}\n`;
}

/** Compiles each variant (one program, the project's compiler options) and returns each file's error messages. */
function compile(variants: Record<string, string>): Record<string, string[]> {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(PROJECT_DIR, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) });
  assert.ok(parsed);
  const dir = mkdtempSync(path.join(PROJECT_DIR, "bin", "contract-"));
  try {
    const files = Object.fromEntries(Object.keys(variants).map((name) => [name, path.join(dir, `${name}.ts`)]));
    for (const [name, code] of Object.entries(variants)) writeFileSync(files[name], code);
    const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, incremental: false, tsBuildInfoFile: undefined, rootDir: undefined, declaration: false };
    const program = ts.createProgram(Object.values(files), options);
    return Object.fromEntries(
      Object.entries(files).map(([name, file]) => [name, program.getSemanticDiagnostics(program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the stack config schema and AgentPlatformArgs: one shape, checked by the compiler", function () {
  this.timeout(120_000);
  let errors: Record<string, string[]>;

  before(() => {
    const platformImport = `import type { PlatformClusterSpec } from ${JSON.stringify(path.join(PROJECT_DIR, "components", "agentPlatform"))};`;
    errors = compile({
      unchanged: contractVariant(COMPARISON),
      keyMissingFromArgs: contractVariant('ShapeDiff<StackConfigInput, Omit<AgentPlatformArgs, "namespace">, "config">'),
      keyMissingFromSchema: contractVariant('ShapeDiff<Omit<StackConfigInput, "sensitiveRoles">, AgentPlatformArgs, "config">'),
      keyOnlyInArgs: contractVariant('ShapeDiff<StackConfigInput, AgentPlatformArgs & { replicasPerZone?: number }, "config">'),
      optionalOnOneSide: contractVariant('ShapeDiff<StackConfigInput, Omit<AgentPlatformArgs, "location"> & { location?: string }, "config">'),
      choiceWidenedToString: contractVariant(
        'ShapeDiff<StackConfigInput, Omit<AgentPlatformArgs, "cluster"> & { cluster: Omit<PlatformClusterSpec, "skuTier"> & { skuTier?: string } }, "config">',
        platformImport,
      ),
    });
  });

  it("compiles the contract as it is: the schema's input and the args have the same shape", () => {
    assert.deepStrictEqual(errors.unchanged, []);
  });

  for (const [variant, expected] of [
    ["keyMissingFromArgs", '"config.namespace: only in the first type"'],
    ["keyMissingFromSchema", '"config.sensitiveRoles: only in the second type"'],
    ["keyOnlyInArgs", '"config.replicasPerZone: only in the second type"'],
    ["optionalOnOneSide", '"config.location: optional in one type only"'],
    ["choiceWidenedToString", '"config.cluster.skuTier: the value types differ"'],
  ]) {
    it(`fails to compile when they drift apart (${variant}), naming the key: ${expected}`, () => {
      assert.strictEqual(errors[variant].length, 1, errors[variant].join("\n"));
      assert.match(errors[variant][0], /does not satisfy the constraint 'never'/);
      assert.ok(errors[variant][0].includes(`'${expected}'`), errors[variant][0]);
    });
  }
});
