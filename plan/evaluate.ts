/**
 * Evaluates a Pulumi program under the SDK's mock runtime and records every resource registration as
 * the engine would see it: type, name, parent, provider, dependencies and inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { PlaceholderMocks, offlinePolicyName } from "./placeholders";
import { setPolicyNameResolver } from "../components/lib/pim/policyLookup";
import { dropAliases, restoreSdkBookkeeping, suspendSdkBookkeeping } from "./sdkBookkeeping";
import { MockMonitorInternals, RegisterRequest, answerRegistrationsOffline, observeRegistrations } from "./offlineRegistration";
import { paceRegistrations } from "./registrationPacing";
import { serializePlainValuesSynchronously } from "./plainSerialization";
import { keepPropertyBagsAsJson } from "./jsonStructs";
import { makeOutputsOnFirstRead } from "./lazyOutputs";

/** One resource of the plan, as the engine would receive it. */
export interface PlannedResource {
  /** The resource's URN. */
  urn: string;
  /** The Pulumi type token. */
  type: string;
  /** The logical name. */
  name: string;
  /** The parent's URN (null for the stack itself). */
  parent: string | null;
  /** The URN of the explicit provider (null: the default provider of the package). */
  provider: string | null;
  /** URNs this resource waits for: explicit `dependsOn` and those implied by Output-valued inputs. */
  dependsOn: string[];
  /** Inputs; secrets are shown as `[secret]`, post-deployment values as `<resource.property>`. */
  inputs: Record<string, unknown>;
  /**
   * Resource options that change how the engine replaces or protects the resource, only those set:
   * `deleteBeforeReplace`, `ignoreChanges`, `replaceOnChanges`, `protect`. Empty for most resources.
   */
  options: ResourceOptionsRecord;
}

/** The replacement and protection options of a resource, as sent to the engine (only those set). */
export interface ResourceOptionsRecord {
  /** Delete the old resource before creating its replacement. */
  deleteBeforeReplace?: boolean;
  /** Input paths whose changes are ignored. */
  ignoreChanges?: string[];
  /** Input paths whose changes force a replacement. */
  replaceOnChanges?: string[];
  /** The resource cannot be deleted. */
  protect?: boolean;
}

/** A full offline plan: what `pulumi up` would register for one stack. */
export interface Plan {
  /** The Pulumi project name. */
  project: string;
  /** The stack name. */
  stack: string;
  /** Every registered resource, sorted by URN so that two plans of the same stack diff cleanly. */
  resources: PlannedResource[];
}

/** A plan plus what only in-process readers need (never printed). */
export interface Evaluation extends Plan {
  /** The program's stack outputs. */
  outputs: Record<string, unknown>;
  /** Inputs with secrets revealed, for tests that must look inside a secret (decoded on demand). */
  revealInputs(urn: string): Record<string, unknown> | undefined;
}

/** What to evaluate. */
export interface EvaluateOptions {
  /** Project name. */
  project: string;
  /** Stack name. */
  stack: string;
  /** Flat `namespace:key` config, as the Pulumi CLI hands it to a program (objects as JSON). */
  config: Record<string, string>;
  /** The program: a function returning its outputs, as `index.ts` exports it. */
  program: () => unknown;
  /** Mocks to use instead of {@link PlaceholderMocks} (tests that need another answer from Azure). */
  mocks?: pulumi.runtime.Mocks;
  /**
   * Evaluate the SDK's own way: keep the bookkeeping the plan never records (stack traces on every
   * promise, source positions, provider version aliases: plan/sdkBookkeeping.ts), let the SDK's mock
   * monitor answer with its protobuf round trips (plan/offlineRegistration.ts, plan/jsonStructs.ts),
   * start every registration at once (plan/registrationPacing.ts), serialize inputs with the SDK's
   * async walk (plan/plainSerialization.ts) and make every output property's Output up front
   * (plan/lazyOutputs.ts). The plan is the same, evaluation is slower; an error thrown by the program
   * then carries its stack frames. Default false.
   */
  sdkBookkeeping?: boolean;
}

/**
 * The program failed. Carries the program's own error and what had been registered by then, so a
 * caller can check that a bad config stopped the program before it created anything.
 */
export class PlanFailedError extends Error {
  /** Stable code. */
  readonly code = "ERR_PLAN_FAILED";
  constructor(
    /** The program's error. */
    override readonly cause: Error,
    /** Every resource registered before the failure (the stack itself included). */
    readonly registered: PlannedResource[],
  ) {
    super(cause.message);
    this.name = "PlanFailedError";
  }
}

const SECRET = "[secret]";

/** Converts a wire value into plain JSON, redacting secrets and showing resource references by URN. */
function toPlainJson(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(toPlainJson);
  }
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const sig = obj[rpc.specialSigKey];
    if (sig === rpc.specialSecretSig) {
      return SECRET;
    }
    if (sig === rpc.specialResourceSig) {
      return `<resource ${String(obj.urn)}>`;
    }
    if (sig !== undefined) {
      return rpc.deserializeProperty(obj);
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj).sort()) {
      out[key] = toPlainJson(obj[key]);
    }
    return out;
  }
  return value === rpc.unknownValue ? "<unknown>" : value;
}

/** Replaces every secret wrapper in deserialized inputs by the value it wraps. */
function revealSecrets(value: unknown): unknown {
  if (rpc.isRpcSecret(value)) {
    return revealSecrets(rpc.unwrapRpcSecret(value));
  }
  if (Array.isArray(value)) {
    return value.map(revealSecrets);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, revealSecrets(v)]));
  }
  return value;
}

/** Strips the `::<id>` a provider reference ends with, leaving the provider's URN. */
function providerUrn(reference: string): string | null {
  if (!reference) {
    return null;
  }
  const cut = reference.lastIndexOf("::");
  return cut > 0 ? reference.slice(0, cut) : reference;
}

interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getProperties(): { toJavaScript(): Record<string, unknown> } | undefined;
}

type Callback = (err: unknown, response?: { getUrn(): string }) => void;

/**
 * Runs the program under mocks and returns everything it registered. Config is set before the program
 * runs; the call resolves once every registration has been answered.
 */
export async function evaluateProgram(options: EvaluateOptions): Promise<Evaluation> {
  const mocks = options.mocks ?? new PlaceholderMocks();
  await pulumi.runtime.setMocks(mocks, options.project, options.stack, false);
  pulumi.runtime.setAllConfig(options.config);

  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorInternals & {
    readResource(req: ReadRequest, cb: Callback): unknown;
  };
  const recorded: PlannedResource[] = [];
  // The wire form of each resource's inputs as plain JSON (lighter than the protobuf Struct it comes
  // from), kept so secrets can be revealed on demand (not on every run).
  const wireInputs = new Map<string, Record<string, unknown>>();
  const record = (req: RegisterRequest | ReadRequest, wire: Record<string, unknown>, urn: string) => {
    const dependsOn = new Set(req.getDependenciesList());
    if ("getPropertydependenciesMap" in req) {
      req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((u) => dependsOn.add(u)));
    }
    recorded.push({
      urn,
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || null,
      provider: providerUrn(req.getProvider()),
      dependsOn: [...dependsOn].filter((u) => u !== ""),
      inputs: toPlainJson(wire) as Record<string, unknown>,
      options: "getDeletebeforereplace" in req ? optionsOf(req) : {},
    });
    wireInputs.set(urn, wire);
  };
  const fast = options.sdkBookkeeping !== true;
  const restoreRegistration = (fast ? answerRegistrationsOffline : observeRegistrations)(monitor, (req, wire, urn) => record(req, wire, urn));
  // Reads (`Resource.get`, StackReference) are part of the graph too.
  const read = monitor.readResource.bind(monitor);
  monitor.readResource = (req: ReadRequest, callback: Callback) =>
    read(req, (err, response) => {
      if (!err && response) record(req, req.getProperties()?.toJavaScript() ?? {}, response.getUrn());
      callback(err, response);
    });

  // No Azure here: answer the PIM policy lookup with a placeholder.
  const previousResolver = setPolicyNameResolver(offlinePolicyName);
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;
  // The fast path's swaps of SDK internals (each module says why it cannot change the plan), undone in
  // reverse order once every registration has been answered.
  const restores: Array<() => void> = [restoreRegistration];
  if (fast) {
    const saved = suspendSdkBookkeeping();
    restores.push(() => restoreSdkBookkeeping(saved), paceRegistrations(), serializePlainValuesSynchronously(), keepPropertyBagsAsJson(), makeOutputsOnFirstRead());
  }
  const program = fast
    ? async () => {
        pulumi.runtime.registerStackTransformation(dropAliases);
        return options.program();
      }
    : async () => options.program();
  // The SDK derives several promises from the program's result that nobody awaits; when the program
  // throws, each of them rejects "unhandled" with the program's own error, and a registration whose
  // inputs fail (an error thrown in an `apply`) rejects a promise nobody awaits. The Pulumi CLI's host
  // catches those and reports the error once; do the same here, so a caller sees one error, not a
  // crash dump, and a failed apply fails the plan.
  const stray: unknown[] = [];
  const onUnhandled = (reason: unknown) => void stray.push(reason);
  process.on("unhandledRejection", onUnhandled);
  let outputs: Record<string, unknown> | undefined;
  let failure: unknown;
  try {
    outputs = ((await pulumi.runtime.runInPulumiStack(program)) ?? {}) as Record<string, unknown>;
    await waitForRPCs();
  } catch (err) {
    failure = err;
    await waitForRPCs().catch(() => undefined);
  } finally {
    // Node reports unhandled rejections after the microtask queue drains: let that happen first.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onUnhandled);
    // Only once every registration has been answered: the SDK captures traces until then.
    for (const restore of restores.reverse()) restore();
    setPolicyNameResolver(previousResolver);
  }
  failure ??= stray.find((reason) => reason !== failure);
  if (failure !== undefined || outputs === undefined) {
    const error = failure instanceof Error ? failure : new Error(String(failure));
    // A mock's own error reaches the program wrapped by the SDK; report the original, with its code.
    const mockFailure = mocks instanceof PlaceholderMocks ? mocks.failures.find((f) => error.message.includes(f.message)) : undefined;
    const engineUrns = engineUrnsOf(recorded, options.project, options.stack);
    throw new PlanFailedError(mockFailure ?? error, recorded.map((r) => withEngineUrns(r, engineUrns)));
  }

  const engineUrns = engineUrnsOf(recorded, options.project, options.stack);
  const resources = recorded.map((r) => withEngineUrns(r, engineUrns)).sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  const mockUrnOf = new Map([...engineUrns].map(([mock, engine]) => [engine, mock]));
  const revealInputs = (urn: string) => {
    const mockUrn = mockUrnOf.get(urn) ?? urn;
    if (!wireInputs.has(mockUrn)) return undefined;
    const wire = wireInputs.get(mockUrn) ?? {};
    return revealSecrets(rpc.deserializeProperties({ toJavaScript: () => wire } as never)) as Record<string, unknown>;
  };
  return { project: options.project, stack: options.stack, resources, outputs, revealInputs };
}

/** The replacement and protection options a registration carries, only those set. */
function optionsOf(req: RegisterRequest): ResourceOptionsRecord {
  const options: ResourceOptionsRecord = {};
  if (req.getDeletebeforereplace()) options.deleteBeforeReplace = true;
  if (req.getIgnorechangesList().length > 0) options.ignoreChanges = [...req.getIgnorechangesList()].sort();
  if (req.getReplaceonchangesList().length > 0) options.replaceOnChanges = [...req.getReplaceonchangesList()].sort();
  if (req.getProtect()) options.protect = true;
  return options;
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * URNs as the engine computes them. The engine qualifies a child's type with its parent's whole
 * qualified type (`A$B$azure-native:...`), leaving out the root stack (the SDK computes alias URNs the
 * same way: `@pulumi/pulumi` resource.ts `createUrn`, "Don't prefix the stack type as a parent type");
 * the SDK's mock monitor keeps only the immediate parent's type (`@pulumi/pulumi` runtime/mocks.ts
 * `newUrn`). Users copy plan
 * URNs into `--target`, `--exclude`, `state` commands and aliases, so the plan shows the engine's.
 * Returns a map from the mock URN to the engine URN.
 */
export function engineUrnsOf(resources: PlannedResource[], project: string, stack: string): Map<string, string> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const qualifiedTypes = new Map<string, string>();
  const qualifiedType = (r: PlannedResource): string => {
    const known = qualifiedTypes.get(r.urn);
    if (known !== undefined) return known;
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    const type = parent && parent.type !== ROOT_STACK_TYPE ? `${qualifiedType(parent)}$${r.type}` : r.type;
    qualifiedTypes.set(r.urn, type);
    return type;
  };
  return new Map(resources.map((r) => [r.urn, `urn:pulumi:${stack}::${project}::${qualifiedType(r)}::${r.name}`]));
}

/** A resource with every URN it holds (its own, parent, provider, dependencies) in the engine's form. */
function withEngineUrns(r: PlannedResource, engineUrns: Map<string, string>): PlannedResource {
  const map = (urn: string) => engineUrns.get(urn) ?? urn;
  return {
    ...r,
    urn: map(r.urn),
    parent: r.parent === null ? null : map(r.parent),
    provider: r.provider === null ? null : map(r.provider),
    dependsOn: r.dependsOn.map(map).sort(),
  };
}
