/**
 * Shared test helpers: the stack files' config, config mutation, and evaluation of the program or of
 * a single component under the mock runtime.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_DIR, planStack } from "../plan";
import { Evaluation, PlanFailedError, PlannedResource, evaluateProgram } from "../plan/evaluate";
import { readStackConfig } from "../plan/stackFiles";
import { STRING_CONFIG_KEYS } from "../config/load";
import { COMPONENT_ARGS_ERROR_CODE, ComponentArgsError } from "../rules/componentArgsError";

/** The flat config of a stack file, as the CLI would pass it. */
export function stackFileConfig(stack: string): Record<string, string> {
  return readStackConfig(PROJECT_DIR, stack).config;
}

/** The `agent-identity` keys of a flat config, parsed. */
export type RawConfig = Record<string, any>;

/** Takes a stack file's config, lets `mutate` change the parsed project keys, and flattens it again. */
export function mutatedConfig(stack: string, mutate: (config: RawConfig) => void): Record<string, string> {
  const flat = stackFileConfig(stack);
  const raw: RawConfig = {};
  for (const [key, value] of Object.entries(flat)) {
    if (key.startsWith("agent-identity:")) {
      const name = key.slice("agent-identity:".length);
      raw[name] = STRING_CONFIG_KEYS.has(name) ? value : JSON.parse(value);
    }
  }
  mutate(raw);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(flat)) {
    if (!key.startsWith("agent-identity:")) {
      out[key] = value;
    }
  }
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) {
      out[`agent-identity:${name}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return out;
}

/** Evaluates the program with a stack file's config. */
export function planOf(stack: string): Promise<Evaluation> {
  return planStack(stack);
}

/** Evaluates the program with a given flat config. */
export function planWith(config: Record<string, string>, stack = "test"): Promise<Evaluation> {
  return planStack(stack, config);
}

/** Evaluates an arbitrary program (one component, say) under the placeholder mocks. */
export function evaluate(program: () => unknown, mocks?: pulumi.runtime.Mocks): Promise<Evaluation> {
  // A component returned by the program is not an output: keep the stack outputs to plain values.
  const run = () => {
    const out = program();
    return out instanceof pulumi.Resource ? {} : out;
  };
  return evaluateProgram({ project: "agent-identity", stack: "unit", config: {}, program: run, mocks });
}

/** Runs the program with a bad config and returns the failure, asserting nothing was registered. */
export async function expectRejectedConfig(config: Record<string, string>): Promise<Error & { code?: string; issues?: Array<{ path: string; message: string }> }> {
  try {
    await planWith(config, "invalid");
  } catch (err) {
    assert.ok(err instanceof PlanFailedError, `expected a PlanFailedError, got ${String(err)}`);
    const created = err.registered.filter((r) => r.type !== "pulumi:pulumi:Stack");
    assert.deepStrictEqual(
      created.map((r) => r.urn),
      [],
      "a rejected config must stop the program before any resource is registered",
    );
    return err.cause as Error & { code?: string };
  }
  assert.fail("the config was accepted");
}

/** The resources of a type. */
export function ofType(plan: { resources: PlannedResource[] }, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** The one resource with a type and name. */
export function one(plan: { resources: PlannedResource[] }, type: string, name: string): PlannedResource {
  const found = plan.resources.find((r) => r.type === type && r.name === name);
  assert.ok(found, `no ${type} named ${name}; have ${plan.resources.map((r) => r.name).join(", ")}`);
  return found;
}

/** Type tokens used across the tests. */
export const TYPES = {
  stack: "pulumi:pulumi:Stack",
  platform: "agent-identity:index:AgentPlatform",
  clusterComponent: "agent-identity:index:AgentCluster",
  identityComponent: "agent-identity:index:AgentIdentity",
  workloadComponent: "agent-identity:index:AgentWorkload",
  namespaceComponent: "agent-identity:index:AgentNamespace",
  resourceGroup: "azure-native:resources:ResourceGroup",
  cluster: "azure-native:containerservice:ManagedCluster",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  credential: "azure-native:managedidentity:FederatedIdentityCredential",
  k8sProvider: "pulumi:providers:kubernetes",
  namespace: "kubernetes:core/v1:Namespace",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  deployment: "kubernetes:apps/v1:Deployment",
  service: "kubernetes:core/v1:Service",
  secret: "kubernetes:core/v1:Secret",
} as const;

/**
 * Asserts that an evaluation failed with a {@link ComponentArgsError} of `component` for `field`, with
 * the fix in its message, before anything but the stack was registered. Returns true for `assert.rejects`.
 */
export function isArgsError(err: unknown, component: string, field: string, options: { code?: string; othersRegistered?: boolean } = {}): true {
  const code = options.code ?? COMPONENT_ARGS_ERROR_CODE;
  assert.ok(err instanceof PlanFailedError, `expected a failed plan, got ${String(err)}`);
  assert.ok(err.cause instanceof ComponentArgsError, `expected a ComponentArgsError, got ${err.cause}`);
  assert.deepStrictEqual({ code: err.cause.code, component: err.cause.component, field: err.cause.field }, { code, component, field });
  assert.match(err.cause.message, /Fix: /);
  // The component itself is never registered (its children need it as parent); with `othersRegistered`,
  // resources the program made before it may be.
  assert.deepStrictEqual(err.registered.filter((r) => r.type === `agent-identity:index:${component}`).map((r) => r.urn), [], `no ${component} is registered`);
  if (!options.othersRegistered) {
    assert.deepStrictEqual(err.registered.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.urn), [], "nothing but the stack is registered");
  }
  return true;
}
