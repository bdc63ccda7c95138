/**
 * The SDK bookkeeping an offline plan does not need, switched off for one evaluation and restored after.
 *
 * Under the mock runtime most of the evaluation time goes to `@pulumi/pulumi` (3.276) work whose result the
 * plan never records:
 * - `debuggablePromise` (runtime/debuggable.js) stores `new Error().stack` on every promise it wraps and
 *   enters it in a leak-candidate Set with a `then`/`catch` pair to take it out again: four promises per
 *   output property of every resource (`transferProperties`, runtime/rpc.js) plus the URN, id and
 *   registration promises. It is replaced by the promise itself. The leak report it feeds runs at process
 *   exit; the plan awaits every registration (`waitForRPCs`), and a failed one fails the plan.
 * - `Error.stackTraceLimit = 0` empties every other trace the SDK captures meanwhile (the `preallocError`
 *   of each registration, runtime/resource.js) and those of errors the program throws: their message,
 *   class and fields are kept (`sdkBookkeeping: true` or `npm run plan -- --stack-traces` keeps frames).
 * - `Resource.callsites` (resource.js) raises the limit to Infinity itself and parses the whole trace to
 *   send each resource's source position and stack trace to the engine (`sourcePosition`, `stackTrace`
 *   of the RegisterResourceRequest). It is replaced by "no call sites": the request carries none.
 * - Aliases: every azure-native and kubernetes resource class adds its other API versions' types as
 *   aliases (`aliasOpts` merged into the options), and the components alias their renamed children
 *   (which every grandchild inherits, `inheritedChildAlias`); each alias becomes Outputs in the Resource
 *   constructor (`collapseAliasToUrn`) and in `prepareResource`, then an alias spec in the request. A
 *   stack transformation drops them all before the Resource constructor reads them.
 *
 * Why this cannot change a plan: the plan records type, name, parent, provider, dependencies, inputs and
 * options of each request (plan/evaluate.ts), never its source position, stack trace or aliases, and
 * the mock monitor computes a URN from type, name and parent only (runtime/mocks.js `newUrn`); with
 * mocks the monitor supports alias specs, so aliases are not folded into children's aliases either
 * (`allAliases` runs only without that feature, runtime/resource.js `prepareResource`). The tests
 * compare a plan evaluated with and without this module.
 */
import * as pulumi from "@pulumi/pulumi";
import * as debuggable from "@pulumi/pulumi/runtime/debuggable";

type Callsites = () => unknown[];

/** The parts of the SDK this module swaps, with their values before the swap. */
export interface SavedSdkBookkeeping {
  /** `Error.stackTraceLimit`. */
  stackTraceLimit: number;
  /** `Resource.callsites` of resource.js. */
  callsites: Callsites;
  /** `debuggablePromise` of runtime/debuggable.js. */
  debuggablePromise: DebuggablePromise;
}

type DebuggablePromise = <T>(p: Promise<T>, ctx: unknown) => Promise<T>;

const resourceClass = pulumi.Resource as unknown as { callsites: Callsites };
const debuggableModule = debuggable as unknown as { debuggablePromise: DebuggablePromise };

/** The promise itself: no debug fields, no leak-candidate entry, no extra `then`/`catch` pair. */
const plainPromise: DebuggablePromise = (p) => p;

/** Turns the bookkeeping off; returns what {@link restoreSdkBookkeeping} puts back. */
export function suspendSdkBookkeeping(): SavedSdkBookkeeping {
  const saved: SavedSdkBookkeeping = { stackTraceLimit: Error.stackTraceLimit, callsites: resourceClass.callsites, debuggablePromise: debuggableModule.debuggablePromise };
  Error.stackTraceLimit = 0;
  resourceClass.callsites = () => [];
  debuggableModule.debuggablePromise = plainPromise;
  return saved;
}

/** Puts back what {@link suspendSdkBookkeeping} swapped: stack-trace limit, call sites, promise bookkeeping. */
export function restoreSdkBookkeeping(saved: SavedSdkBookkeeping): void {
  Error.stackTraceLimit = saved.stackTraceLimit;
  resourceClass.callsites = saved.callsites;
  debuggableModule.debuggablePromise = saved.debuggablePromise;
}

/**
 * A stack transformation that drops every alias of a resource (the provider SDKs' version aliases and
 * the program's own renames): the plan never records aliases, and a URN does not depend on them.
 * Returns undefined (no change) for a resource without aliases.
 */
export const dropAliases: pulumi.ResourceTransformation = ({ props, opts }) =>
  opts.aliases && opts.aliases.length > 0 ? { props, opts: { ...opts, aliases: undefined } } : undefined;
