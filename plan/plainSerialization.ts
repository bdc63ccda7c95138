/**
 * Serialization of resource inputs in the offline plan: the SDK's own algorithm, with the plain parts of
 * a value (strings, numbers, booleans, null, plain arrays and objects) walked synchronously.
 *
 * `@pulumi/pulumi` 3.276 (runtime/rpc.js `serializeProperty`) is an async function that awaits itself
 * for every value it meets, so a Deployment spec of a few hundred strings costs a few hundred promises
 * and suspended frames: in issue 12's profile, serialization made a third of what a 300-agent plan
 * allocates. Here a plain value is copied as `serializeProperty` copies it (keys whose value serializes
 * to undefined are left out, functions serialize to undefined, undefined elements of an array become
 * null); everything else (Outputs, promises, resources, assets, unknowns, class instances) is handed to
 * the SDK's `serializeProperty` itself, at the same point of the walk: keys and elements are still
 * visited one after the other, so dependencies are found in the same order.
 *
 * `serializeResourceProperties` and `serializeProperties` are swapped in the rpc module's exports
 * during an offline evaluation (runtime/resource.js `prepareResource` and runtime/mocks.js call them
 * through the exports); the SDK's own recursion is left alone. The tests compare plans with and without.
 */
import * as rpcModule from "@pulumi/pulumi/runtime/rpc";

type Dependencies = Set<unknown>;
type SerializeOptions = { pendingRegistration?: { inputProperty?: string } } & Record<string, unknown>;
type SerializeProperty = (ctx: string, prop: unknown, dependentResources?: Dependencies, opts?: SerializeOptions) => Promise<unknown>;
type SerializeFiltered = (label: string, props: Record<string, unknown>, opts?: SerializeOptions) => Promise<[Record<string, unknown>, Map<string, Dependencies>]>;
type SerializeProperties = (label: string, props: Record<string, unknown>, opts?: SerializeOptions) => Promise<Record<string, unknown>>;

const rpc = rpcModule as unknown as {
  serializeProperty: SerializeProperty;
  serializeResourceProperties: SerializeFiltered;
  serializeProperties: SerializeProperties;
};

/** A value or the promise of one: plain parts come back synchronously. */
type Serialized = unknown;

function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Serializes one value the way the SDK's serializeProperty does, synchronously where it is plain. */
function serializeValue(ctx: () => string, prop: unknown, deps: Dependencies, opts: SerializeOptions | undefined, sdk: SerializeProperty): Serialized {
  if (typeof prop === "function") return undefined;
  if (prop === undefined || prop === null || typeof prop === "string" || typeof prop === "number" || typeof prop === "boolean") return prop;
  if (typeof prop === "object") {
    if (Array.isArray(prop) && Object.getPrototypeOf(prop) === Array.prototype) return serializeArray(ctx, prop, deps, opts, sdk);
    if (isPlainObject(prop)) return serializeObject(ctx, prop, deps, opts, sdk);
  }
  return sdk(ctx(), prop, deps, opts);
}

const asElement = (value: unknown) => (value === undefined ? null : value);

function serializeArray(ctx: () => string, items: unknown[], deps: Dependencies, opts: SerializeOptions | undefined, sdk: SerializeProperty): Serialized {
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    const value = serializeValue(() => `${ctx()}[${i}]`, items[i], deps, opts, sdk);
    if (isPromise(value)) return finishArray(ctx, items, i, value, out, deps, opts, sdk);
    out.push(asElement(value));
  }
  return out;
}

async function finishArray(ctx: () => string, items: unknown[], at: number, pending: Promise<unknown>, out: unknown[], deps: Dependencies, opts: SerializeOptions | undefined, sdk: SerializeProperty): Promise<unknown[]> {
  out.push(asElement(await pending));
  for (let i = at + 1; i < items.length; i++) {
    const value = serializeValue(() => `${ctx()}[${i}]`, items[i], deps, opts, sdk);
    out.push(asElement(isPromise(value) ? await value : value));
  }
  return out;
}

function serializeObject(ctx: () => string, obj: Record<string, unknown>, deps: Dependencies, opts: SerializeOptions | undefined, sdk: SerializeProperty): Serialized {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = serializeValue(() => `${ctx()}.${key}`, obj[key], deps, opts, sdk);
    if (isPromise(value)) return finishObject(ctx, obj, keys, i, value, out, deps, opts, sdk);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

async function finishObject(
  ctx: () => string,
  obj: Record<string, unknown>,
  keys: string[],
  at: number,
  pending: Promise<unknown>,
  out: Record<string, unknown>,
  deps: Dependencies,
  opts: SerializeOptions | undefined,
  sdk: SerializeProperty,
): Promise<Record<string, unknown>> {
  const first = await pending;
  if (first !== undefined) out[keys[at]] = first;
  for (let i = at + 1; i < keys.length; i++) {
    const key = keys[i];
    const value = serializeValue(() => `${ctx()}.${key}`, obj[key], deps, opts, sdk);
    const resolved = isPromise(value) ? await value : value;
    if (resolved !== undefined) out[key] = resolved;
  }
  return out;
}

/** rpc.js `serializeFilteredProperties`, top-level keys one after the other, each through serializeValue. */
async function serializeFiltered(label: string, props: Record<string, unknown>, acceptKey: (key: string) => boolean, opts: SerializeOptions | undefined, sdk: SerializeProperty): Promise<[Record<string, unknown>, Map<string, Dependencies>]> {
  const propertyToDependentResources = new Map<string, Dependencies>();
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(props)) {
    if (!acceptKey(key)) continue;
    if (opts?.pendingRegistration !== undefined) opts.pendingRegistration.inputProperty = key;
    const dependentResources: Dependencies = new Set();
    let value: unknown;
    try {
      value = serializeValue(() => `${label}.${key}`, props[key], dependentResources, opts, sdk);
      if (isPromise(value)) value = await value;
    } catch (err) {
      // As the SDK does: the property's name in the message, the same error object.
      if (err instanceof Error) {
        err.message = `error serializing property "${key}": ${err.message}`;
        throw err;
      }
      throw new Error(`error serializing property "${key}": ${String(err)}`);
    }
    if (value !== undefined) {
      result[key] = value;
      propertyToDependentResources.set(key, dependentResources);
    }
  }
  return [result, propertyToDependentResources];
}

/** Puts the SDK's serializers back. */
export type RestoreSerialization = () => void;

/** Swaps in the plain-first serializers; returns the function that puts the SDK's back. */
export function serializePlainValuesSynchronously(): RestoreSerialization {
  const original = { serializeResourceProperties: rpc.serializeResourceProperties, serializeProperties: rpc.serializeProperties };
  const sdk = rpc.serializeProperty;
  rpc.serializeResourceProperties = (label, props, opts) => serializeFiltered(label, props, (key) => key !== "id" && key !== "urn", opts, sdk);
  rpc.serializeProperties = async (label, props, opts) => (await serializeFiltered(label, props, () => true, opts, sdk))[0];
  return () => {
    rpc.serializeResourceProperties = original.serializeResourceProperties;
    rpc.serializeProperties = original.serializeProperties;
  };
}
