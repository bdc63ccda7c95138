/**
 * The offline plan: evaluate a stack of a Pulumi project under Pulumi's mock runtime and render it.
 */
import * as path from "path";
import { evaluateProgram, EvaluateOptions, Evaluation } from "./evaluate";
import { PlaceholderMocks } from "./placeholders";
import { StackFileError, displayPath, readProjectFile, readStackConfig } from "./stackFiles";

/** The repository root (where Pulumi.yaml lives), from the compiled `bin/plan/` folder. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** Options of {@link planStack} beyond the stack and its config. */
export interface PlanStackOptions {
  /**
   * Outputs of the stacks the program reads through a StackReference, by stack name
   * (`org/project/stack`), e.g. from `pulumi stack output --json`. A reference to any other stack fails.
   */
  stackReferences?: Record<string, Record<string, unknown>>;
  /** Keep the SDK's stack traces and source positions (see {@link EvaluateOptions}). Default false. */
  sdkBookkeeping?: EvaluateOptions["sdkBookkeeping"];
}

/**
 * Evaluates the program of the project in `projectDir` (the `main` of its Pulumi.yaml, as the Pulumi
 * CLI runs it) for a stack, with that stack's config, or with `configOverride` (a flat `namespace:key`
 * map, used by tests to try configs that have no stack file).
 */
export async function planStack(stack: string, configOverride?: Record<string, string>, projectDir = PROJECT_DIR, options: PlanStackOptions = {}): Promise<Evaluation> {
  const project = readProjectFile(projectDir);
  const file = configOverride ? { project: project.name, stack, config: configOverride } : readStackConfig(projectDir, stack);
  const entry = programEntry(projectDir, project.main);
  return evaluateProgram({
    project: file.project,
    stack: file.stack,
    config: file.config,
    // Loaded inside the stack, once mocks and config are in place, as the CLI's Node.js host does: a
    // module exporting a function is the program; otherwise its exports are the outputs.
    program: () => {
      const loaded = require(entry) as { default?: unknown };
      const exported = loaded.default ?? loaded;
      return typeof exported === "function" ? (exported as () => unknown)() : exported;
    },
    mocks: options.stackReferences ? new PlaceholderMocks(options.stackReferences) : undefined,
    sdkBookkeeping: options.sdkBookkeeping,
  });
}

/** Resolves the program's entry point as Node.js would, or fails naming it before anything runs. */
function programEntry(projectDir: string, main: string | undefined): string {
  const target = path.resolve(projectDir, main ?? ".");
  try {
    return require.resolve(target);
  } catch {
    throw new StackFileError(
      `The program of ${displayPath(path.join(projectDir, "Pulumi.yaml"))} (main: ${main ?? "."}) is not there: ${displayPath(target)}. Fix: run npm run build, or correct main.`,
    );
  }
}
