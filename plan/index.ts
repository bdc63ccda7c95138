/**
 * The offline plan: evaluate a stack of this project under Pulumi's mock runtime and render it.
 */
import * as path from "path";
import { evaluateProgram, EvaluateOptions, Evaluation } from "./evaluate";
import { readStackConfig } from "./stackFiles";

/** The repository root (where Pulumi.yaml lives), from the compiled `bin/plan/` folder. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/**
 * Evaluates this project's program for a stack, with that stack's config (or `configOverride`, a flat
 * `namespace:key` map, used by tests to try configs that have no stack file). `options.sdkBookkeeping`
 * keeps the SDK's stack traces and source positions (see {@link EvaluateOptions}).
 */
export async function planStack(
  stack: string,
  configOverride?: Record<string, string>,
  projectDir = PROJECT_DIR,
  options: Pick<EvaluateOptions, "sdkBookkeeping"> = {},
): Promise<Evaluation> {
  const file = configOverride ? { project: "agent-identity", stack, config: configOverride } : readStackConfig(projectDir, stack);
  // Loaded late so that the program module is only read once mocks are in place.
  const program = (await import("../index")) as unknown as () => unknown;
  return evaluateProgram({ project: file.project, stack: file.stack, config: file.config, program: (program as unknown as { default?: () => unknown }).default ?? program, sdkBookkeeping: options.sdkBookkeeping });
}
