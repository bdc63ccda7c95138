/**
 * `agent-identity/testing`: test a stack that uses the components under Pulumi's mock runtime, with no
 * cloud and no Pulumi CLI, the way this project tests its own stacks.
 *
 * - {@link PlaceholderMocks}: the mock set that makes every component evaluate. Values Azure computes
 *   (client ids, the AKS OIDC issuer URL, the kubelogin kubeconfig, the deployer's client config, ...)
 *   come back as placeholders naming their source, e.g. `<security-scanner-identity.clientId>`.
 * - {@link evaluate}: runs a program under those mocks and returns every registered resource, in the
 *   shape of `npm run plan -- --format json` (`{ project, stack, resources: [{ urn, type, name, parent,
 *   provider, dependsOn, inputs, options }] }`), plus the program's outputs.
 * - {@link placeholder} / {@link isPlaceholder}: the placeholder for a value known only after deployment,
 *   to compare against (`placeholder("my-agent-identity", "clientId")`).
 *
 * Import it only in tests: it installs the mock runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import { Evaluation, evaluateProgram } from "../plan/evaluate";
import { PlaceholderMocks } from "../plan/placeholders";

export { Evaluation, Plan, PlannedResource, PlanFailedError } from "../plan/evaluate";
export { PlaceholderMocks, MissingStackOutputsError, OFFLINE_DEPLOYER, placeholder, isPlaceholder, aksUserKubeconfig } from "../plan/placeholders";

/** What {@link evaluate} runs the program with. Every field is optional. */
export interface EvaluateOptions {
  /** Project name: the namespace of `new pulumi.Config()`. Default `"test"`. */
  project?: string;
  /** Stack name. Default `"test"`. */
  stack?: string;
  /**
   * Config, as in a stack file: `namespace:key` (or a bare `key`, put in the project's namespace) to a
   * value; objects and lists are passed as JSON, as the Pulumi CLI passes them.
   */
  config?: Record<string, unknown>;
  /** Outputs of the stacks the program reads through a StackReference, by stack name (`org/project/stack`). */
  stackReferences?: Record<string, Record<string, unknown>>;
  /** Other mocks instead of {@link PlaceholderMocks} (e.g. a subclass answering one more invoke). */
  mocks?: pulumi.runtime.Mocks;
}

/**
 * Evaluates a program (a function, as a Pulumi program module exports it) under the mock runtime and
 * resolves to what it registered, sorted by URN, with its outputs. A program that returns a resource
 * (a component under test) has no outputs. Rejects with {@link PlanFailedError} when the program fails;
 * its `cause` is the program's own error and `registered` what was registered before.
 */
export function evaluate(program: () => unknown, options: EvaluateOptions = {}): Promise<Evaluation> {
  const project = options.project ?? "test";
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.config ?? {})) {
    config[key.includes(":") ? key : `${project}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return evaluateProgram({
    project,
    stack: options.stack ?? "test",
    config,
    program: () => {
      const out = program();
      return out instanceof pulumi.Resource ? {} : out;
    },
    mocks: options.mocks ?? new PlaceholderMocks(options.stackReferences),
  });
}
