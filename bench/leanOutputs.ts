/**
 * A what-if for issue 12's project / floor target, for `npm run bench` only (no plan ever uses it): how
 * much faster would the project evaluate if the SDK's Outputs cost almost nothing?
 *
 * `@pulumi/pulumi` 3.276's `OutputImpl` (output.js) makes about ten promises when it is constructed (its
 * resources, `isKnown`, the lifted state, and `isSecret`, `allResources` and the value derived from it)
 * and an `apply` makes a new one after a `Promise.all` of four; counted under the mock runtime, an Output
 * costs 19 promises to make, an `apply` 35 and a read of a lifted property 35 (README, Benchmark). Here an
 * Output is one promise of its settled state (value, known, secret, resources), lifted as the SDK lifts
 * it (an inner Output's state replaces the value, resources are merged, secrecy is kept); `isKnown`,
 * `isSecret`, `allResources()` and `promise()` are each one `then` of it, made only when read. While
 * switched on:
 * - every `apply` (of any Output, the SDK's own included, and so every lifted property read through the
 *   SDK's Proxy) returns such an Output, with the SDK's rules: the function runs only on a known value
 *   unless `runWithUnknowns`, an unknown value reaches it as `unknown`, a promise it returns is awaited,
 *   an Output it returns is lifted;
 * - resource output properties (made on first read, plan/lazyOutputs.ts) are such Outputs.
 * Everything else (`pulumi.output`, `all`, `interpolate`, secrets, serialization, URN and id Outputs)
 * stays the SDK's, and reads these Outputs through the same members the SDK's Outputs have.
 *
 * It is a measurement, not an optimisation: a second implementation of the SDK's Output semantics would
 * have to follow every SDK release. `npm run bench` reports what it gains; a test checks that it changes
 * no plan (else the figure would mean nothing).
 */
import * as pulumi from "@pulumi/pulumi";
import * as outputModule from "@pulumi/pulumi/output";
import * as rpcModule from "@pulumi/pulumi/runtime/rpc";
import { isGrpcError } from "@pulumi/pulumi/errors";
import * as utilsModule from "@pulumi/pulumi/utils";
import * as lazyOutputs from "../plan/lazyOutputs";

/** An Output's settled state, as the SDK's `liftInnerOutput` returns it. */
interface State {
  value: unknown;
  isKnown: boolean;
  isSecret: boolean;
  allResources: Set<pulumi.Resource>;
}

type Resolver = (value: unknown, isKnown: boolean, isSecret: boolean, deps?: pulumi.Resource[], err?: Error) => void;
type TransferProperties = (onto: pulumi.Resource, label: string, props: Record<string, unknown>) => Record<string, Resolver>;
type Apply = (this: AnyOutput, func: (value: unknown) => unknown, runWithUnknowns?: boolean) => pulumi.Output<unknown>;

/** The members the SDK reads of any Output (output.js `OutputImpl`). */
interface AnyOutput {
  resources(): Set<pulumi.Resource>;
  allResources?(): Promise<Set<pulumi.Resource>>;
  promise(withUnknowns?: boolean): Promise<unknown>;
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
  [STATE]?: Promise<State>;
}

const STATE = Symbol("leanOutputState");
const RESOURCES = Symbol("leanOutputResources");
const output = outputModule as unknown as {
  Output: { prototype: { apply: Apply }; isInstance(value: unknown): boolean } & (new (...args: unknown[]) => AnyOutput);
  containsUnknowns(value: unknown): boolean;
  isUnknown(value: unknown): boolean;
  unknown: unknown;
  getAllResources(value: unknown): Promise<Set<pulumi.Resource>>;
};
const rpc = rpcModule as unknown as { transferProperties: TransferProperties };
// The SDK's own union (utils.js, internal): always a new Set, as the SDK's Outputs never share one (its
// serializer adds to the set an Output's `allResources()` returns).
const { union } = utilsModule as unknown as { union(a: Set<pulumi.Resource>, b: Set<pulumi.Resource>): Set<pulumi.Resource> };
const lazy = lazyOutputs as { makeOutputsOnFirstRead: typeof lazyOutputs.makeOutputsOnFirstRead };

function copyResources(resources: unknown): Set<pulumi.Resource> {
  if (Array.isArray(resources) || resources instanceof Set) return new Set(resources as Iterable<pulumi.Resource>);
  return new Set([resources as pulumi.Resource]);
}

/** output.js `liftInnerOutput`: an Output as value is replaced by its own state. */
function lift(allResources: Set<pulumi.Resource>, value: unknown, isKnown: boolean, isSecret: boolean): State | Promise<State> {
  if (!output.Output.isInstance(value)) return { allResources, value, isKnown, isSecret };
  const inner = value as AnyOutput;
  const state = inner[STATE];
  if (state) return state.then((s) => ({ allResources: union(allResources, s.allResources), value: s.value, isKnown: s.isKnown, isSecret: isSecret || s.isSecret }));
  return (async () => {
    const innerValue = await inner.promise(true);
    const innerIsKnown = await inner.isKnown;
    const innerIsSecret = await (inner.isSecret || Promise.resolve(false));
    const innerResources = await output.getAllResources(inner);
    return { allResources: union(allResources, innerResources), value: innerValue, isKnown: innerIsKnown, isSecret: isSecret || innerIsSecret };
  })();
}

// The SDK's own `toString` and `toJSON` (they close over nothing of their Output).
const sample = new output.Output([], Promise.resolve(undefined), Promise.resolve(true), Promise.resolve(false), Promise.resolve(new Set())) as AnyOutput & { toString(): string; toJSON(): unknown };

/** The lean Output's members, on a prototype below the SDK's (so `get()` and `apply` are the SDK's names). */
class LeanOutput {
  readonly __pulumiOutput = true;
  declare [STATE]: Promise<State>;
  declare [RESOURCES]: Set<pulumi.Resource>;
  resources(): Set<pulumi.Resource> {
    return this[RESOURCES];
  }
  allResources(): Promise<Set<pulumi.Resource>> {
    return this[STATE].then((s) => s.allResources);
  }
  get isKnown(): Promise<boolean> {
    return this[STATE].then((s) => s.isKnown);
  }
  get isSecret(): Promise<boolean> {
    return this[STATE].then((s) => s.isSecret);
  }
  promise(withUnknowns?: boolean): Promise<unknown> {
    return this[STATE].then((s) => (!withUnknowns && output.containsUnknowns(s.value) ? undefined : s.value));
  }
}
Object.setPrototypeOf(LeanOutput.prototype, output.Output.prototype);
Object.assign(LeanOutput.prototype, { toString: sample.toString, toJSON: sample.toJSON });

/** The SDK's Proxy over an Output (output.js): own and inherited members, else a lifted property read. */
const lifting: ProxyHandler<LeanOutput> = {
  get(target, prop) {
    if (prop in target) return (target as unknown as Record<PropertyKey, unknown>)[prop];
    if (prop === "then" || typeof prop === "symbol") return undefined;
    if (prop.startsWith("__") || prop === "doNotCapture" || prop === "deploymentOnlyModule") return undefined;
    return (target as unknown as AnyOutput & { apply: Apply }).apply((value) => {
      if (value === undefined || value === null) return undefined;
      if (output.isUnknown(value)) return output.unknown;
      return (value as Record<string, unknown>)[prop];
    }, true);
  },
};

/** An Output of `resources` whose state is `state` (the SDK's constructor rules: unknowns, inner Outputs). */
function leanOutput(resources: unknown, state: Promise<State>): pulumi.Output<unknown> {
  const target = new LeanOutput();
  const direct = copyResources(resources);
  target[RESOURCES] = direct;
  target[STATE] = state.then((s) => lift(union(s.allResources, direct), s.value, s.isKnown && !output.containsUnknowns(s.value), s.isSecret));
  return new Proxy(target, lifting) as unknown as pulumi.Output<unknown>;
}

/** output.js `applyHelperAsync`. */
function applyTo(s: State, func: (value: unknown) => unknown, runWithUnknowns: boolean): State | Promise<State> {
  if (!s.isKnown && !runWithUnknowns) return { allResources: s.allResources, value: undefined, isKnown: false, isSecret: s.isSecret };
  const value = !s.isKnown && runWithUnknowns && !output.containsUnknowns(s.value) ? output.unknown : s.value;
  const transformed = func(value);
  if (transformed !== null && typeof transformed === "object" && !output.Output.isInstance(transformed) && typeof (transformed as { then?: unknown }).then === "function") {
    return Promise.resolve(transformed).then((v) => lift(s.allResources, v, true, s.isSecret));
  }
  return lift(s.allResources, transformed, true, s.isSecret);
}

const leanApply: Apply = function (func, runWithUnknowns) {
  const own = this[STATE];
  const source =
    own ??
    Promise.all([output.getAllResources(this), this.promise(true), this.isKnown, this.isSecret]).then(([allResources, value, isKnown, isSecret]) => ({ allResources, value, isKnown, isSecret }));
  return leanOutput(this.resources(), source.then((s) => applyTo(s, func, !!runWithUnknowns)));
};

/** plan/lazyOutputs.ts's properties made on first read, each a lean Output. */
const leanTransferProperties: TransferProperties = (onto, label, props) => {
  const resolvers: Record<string, Resolver> = {};
  for (const key of Object.keys(props)) {
    if (key === "id" || key === "urn") continue;
    if (Object.prototype.hasOwnProperty.call(onto, key)) throw new Error(`Property '${key}' is already initialized on target '${label}`);
    let settled: { state: State; err?: Error } | undefined;
    let onSettled: ((s: { state: State; err?: Error }) => void) | undefined;
    resolvers[key] = (value, isKnown, isSecret, deps = [], err) => {
      if (err && isGrpcError(err)) return;
      settled = { state: { value, isKnown, isSecret, allResources: new Set(deps) }, err };
      onSettled?.(settled);
    };
    const asPromise = (s: { state: State; err?: Error }) => (s.err ? Promise.reject(s.err) : Promise.resolve(s.state));
    const assign = (value: unknown) => Object.defineProperty(onto, key, { value, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(onto, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const state = settled ? asPromise(settled) : new Promise<{ state: State; err?: Error }>((resolve) => (onSettled = resolve)).then(asPromise);
        const made = leanOutput(onto, state);
        assign(made);
        return made;
      },
      set: assign,
    });
  }
  return resolvers;
};

/** Switches lean Outputs on for the evaluations that follow; returns the function that switches them off. */
export function useLeanOutputs(): () => void {
  const sdkApply = output.Output.prototype.apply;
  const makeOutputsOnFirstRead = lazy.makeOutputsOnFirstRead;
  output.Output.prototype.apply = leanApply;
  lazy.makeOutputsOnFirstRead = () => {
    const original = rpc.transferProperties;
    rpc.transferProperties = leanTransferProperties;
    return () => {
      rpc.transferProperties = original;
    };
  };
  return () => {
    output.Output.prototype.apply = sdkApply;
    lazy.makeOutputsOnFirstRead = makeOutputsOnFirstRead;
  };
}
