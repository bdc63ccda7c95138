/**
 * Runs the pack's policies the way the analyzer does (@pulumi/policy server.js), without starting it:
 * properties behind the unknown-checking proxy, an `UnknownValueError` turned into an advisory for
 * that policy (and that resource, for resource policies), stack resources with their dependencies.
 * Values the offline plan shows as `<resource.property>` are unknown during a real preview, so they
 * become the analyzer's unknown sentinel here.
 */
import * as assert from "assert";
import * as policySdk from "@pulumi/policy";
import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policy/policies";
import type { PlannedResource } from "../../plan/evaluate";

type Props = Record<string, any>;

// Runtime exports of @pulumi/policy that its declaration files leave out (marked internal).
const sdk = policySdk as unknown as { unknownCheckingProxy: (props: Props) => Props; UnknownValueError: new (...args: never[]) => Error };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxyModule = require("@pulumi/policy/proxy") as { unknownStringValue: string };

/** The analyzer's sentinel for a string value unknown during preview. */
export const UNKNOWN: string = proxyModule.unknownStringValue;

/** What one policy said: violations (at its enforcement level) and advisories for values unknown during preview. */
export interface Outcome {
  /** Violation messages. */
  violations: string[];
  /** "can't run policy during preview" messages. */
  advisories: string[];
}

/** The policy of the pack with this name. */
export function policyNamed(name: string): Policy {
  const policy = policies.find((p) => p.name === name);
  assert.ok(policy, `no policy ${name}`);
  return policy;
}

/** Runs a resource policy over one resource, as the analyzer's Analyze call does. */
export async function runResourcePolicy(name: string, type: string, props: Props, config: Record<string, unknown> = {}): Promise<Outcome> {
  const policy = policyNamed(name) as ResourceValidationPolicy;
  const outcome: Outcome = { violations: [], advisories: [] };
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
  for (const validate of validations) {
    const args = { type, props: sdk.unknownCheckingProxy(structuredClone(props)), urn: `urn:pulumi:test::test::${type}::r`, name: "r", opts: {}, stackTags: new Map(), getConfig: () => config, isType: () => false };
    try {
      await validate(args as never, (message) => outcome.violations.push(message));
    } catch (error) {
      if (!(error instanceof sdk.UnknownValueError)) {
        throw error;
      }
      outcome.advisories.push(`can't run policy '${name}' during preview: ${error.message}`);
    }
  }
  return outcome;
}

/** A resource of a stack given to a stack policy; `dependsOn` and `propertyDependencies` name other resources by `name`. */
export interface StackInput {
  /** Type token. */
  type: string;
  /** Properties (plain values; `UNKNOWN` for a value unknown during preview). */
  props: Props;
  /** Logical name; default `r<index>`. */
  name?: string;
  /** URN; default `urn:r<index>`. */
  urn?: string;
  /** Resources (by name or URN) this one depends on. */
  dependsOn?: string[];
  /** Per property, the resources (by name or URN) its value comes from. */
  propertyDependencies?: Record<string, string[]>;
}

/** Runs a stack policy over resources, as the analyzer's AnalyzeStack call does. */
export async function runStackPolicy(name: string, inputs: StackInput[], config: Record<string, unknown> = {}): Promise<Outcome> {
  const policy = policyNamed(name) as StackValidationPolicy;
  const outcome: Outcome = { violations: [], advisories: [] };
  const resources = inputs.map((r, i) => ({
    type: r.type,
    name: r.name ?? `r${i}`,
    urn: r.urn ?? `urn:r${i}`,
    props: sdk.unknownCheckingProxy(structuredClone(r.props)),
    opts: {},
    dependencies: [] as unknown[],
    propertyDependencies: {} as Record<string, unknown[]>,
    isType: () => false,
  }));
  const find = (ref: string) => resources.find((r) => r.name === ref || r.urn === ref);
  inputs.forEach((input, i) => {
    resources[i].dependencies = (input.dependsOn ?? []).map(find).filter((r) => r !== undefined);
    for (const [key, refs] of Object.entries(input.propertyDependencies ?? {})) {
      resources[i].propertyDependencies[key] = refs.map(find).filter((r) => r !== undefined);
    }
  });
  try {
    await policy.validateStack!({ resources, stackTags: new Map(), getConfig: () => config } as never, (message) => outcome.violations.push(message));
  } catch (error) {
    if (!(error instanceof sdk.UnknownValueError)) {
      throw error;
    }
    outcome.advisories.push(`can't run policy '${name}' during preview: ${error.message}`);
  }
  return outcome;
}

/** Violations only, of a resource policy. */
export async function resourceViolations(name: string, type: string, props: Props, config: Record<string, unknown> = {}): Promise<string[]> {
  return (await runResourcePolicy(name, type, props, config)).violations;
}

/** Violations only, of a stack policy. */
export async function stackViolations(name: string, inputs: StackInput[], config: Record<string, unknown> = {}): Promise<string[]> {
  return (await runStackPolicy(name, inputs, config)).violations;
}

const PLACEHOLDER = /<(?!getClientConfig)[^<>]+\.[^<>]+>/;

/** Plan inputs as a preview would see them: every value only a deployment fills in is unknown. */
export function asPreview(value: unknown): unknown {
  if (typeof value === "string") {
    return PLACEHOLDER.test(value) || value === "<unknown>" ? UNKNOWN : value;
  }
  if (Array.isArray(value)) {
    return value.map(asPreview);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asPreview(v)]));
  }
  return value;
}

/** Runs every policy of the pack over a plan's resources, as at preview; `props` maps a resource to what the analyzer would see. */
export async function runPack(resources: PlannedResource[], props: (r: PlannedResource) => Props = (r) => asPreview(r.inputs) as Props, packConfig: object = {}): Promise<Outcome> {
  const config = packConfig as Record<string, Record<string, unknown> | undefined>;
  const all: Outcome = { violations: [], advisories: [] };
  for (const policy of policies) {
    if ("validateResource" in policy && policy.validateResource) {
      for (const r of resources) {
        const out = await runResourcePolicy(policy.name, r.type, props(r), config[policy.name]);
        all.violations.push(...out.violations.map((m) => `${policy.name} ${r.name}: ${m}`));
        all.advisories.push(...out.advisories.map((m) => `${r.name}: ${m}`));
      }
    } else {
      const out = await runStackPolicy(
        policy.name,
        resources.map((r) => ({ type: r.type, props: props(r), name: r.name, urn: r.urn, dependsOn: r.dependsOn })),
        config[policy.name],
      );
      all.violations.push(...out.violations.map((m) => `${policy.name}: ${m}`));
      all.advisories.push(...out.advisories);
    }
  }
  return all;
}
