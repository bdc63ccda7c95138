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
 * - Every azure-native and kubernetes resource class adds its other API versions' types as aliases
 *   (`aliasOpts` merged into the options); each alias becomes Outputs in the Resource constructor
 *   (`collapseAliasToUrn`) and in `prepareResource`, then an alias spec in the request. A stack
 *   transformation drops exactly those version aliases (same package and resource name, another
 *   module), before the Resource constructor reads them; the program's own aliases stay.
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

/** The package of a type token (`azure-native` of `azure-native:managedidentity:UserAssignedIdentity`). */
function packageOf(type: string): string {
  return type.slice(0, type.indexOf(":"));
}

/** The resource name of a type token (`UserAssignedIdentity`). */
function resourceNameOf(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}

/**
 * True for an alias a provider SDK adds for another API version of the same resource: an object whose
 * only key is `type`, naming the same package and resource name in another module.
 */
export function isVersionAlias(alias: unknown, type: string): boolean {
  if (alias === null || typeof alias !== "object" || pulumi.Output.isInstance(alias)) return false;
  const keys = Object.keys(alias);
  const aliasType = (alias as { type?: unknown }).type;
  return (
    keys.length === 1 &&
    typeof aliasType === "string" &&
    aliasType !== type &&
    packageOf(aliasType) === packageOf(type) &&
    resourceNameOf(aliasType) === resourceNameOf(type)
  );
}

/**
 * A stack transformation that drops the provider SDKs' version aliases (see {@link isVersionAlias}) and
 * keeps every other alias. Returns undefined (no change) for a resource without such aliases.
 */
export const dropVersionAliases: pulumi.ResourceTransformation = ({ type, props, opts }) => {
  const aliases = opts.aliases;
  if (!aliases || aliases.length === 0) return undefined;
  const kept = aliases.filter((alias) => !isVersionAlias(alias, type));
  if (kept.length === aliases.length) return undefined;
  return { props, opts: { ...opts, aliases: kept.length > 0 ? kept : undefined } };
};
