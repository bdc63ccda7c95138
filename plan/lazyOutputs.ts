/**
 * Output properties made on first read in the offline plan.
 *
 * For every property of a resource (its inputs and every output the provider declares: 45 for an
 * azuread Application), `@pulumi/pulumi` 3.276 creates an Output with four pending promises and their
 * resolvers when the resource is constructed (runtime/rpc.js `transferProperties`, called through the
 * module's exports from runtime/resource.js `prepareResource`), and resolves all of them when the
 * registration is answered (rpc.js `resolveProperties`). A program reads a few of them; in issue 12's
 * profile the rest made a third of what a 300-agent program allocates while it builds its resources.
 *
 * Here each property is an accessor on the resource: the first read makes the Output, already settled if
 * the registration has been answered, pending (and settled by the resolver later) if not, and replaces
 * the accessor by the Output itself. The resolvers the SDK gets behave as its own: a gRPC error is
 * skipped, any other error rejects all four parts, otherwise they resolve with value, known, secret and
 * dependencies. A property nobody reads never gets an Output. Assigning the property (a component
 * overwriting it) keeps the assigned value, as with the SDK's plain data property.
 *
 * Why this cannot change a plan: the plan records requests, which are built from inputs, never from a
 * resource's own output properties; a program reads the same values at the same point of the
 * registration as before. The tests compare plans with and without.
 */
import * as pulumi from "@pulumi/pulumi";
import * as rpcModule from "@pulumi/pulumi/runtime/rpc";
import { isGrpcError } from "@pulumi/pulumi/errors";

type Resolver = (value: unknown, isKnown: boolean, isSecret: boolean, deps?: pulumi.Resource[], err?: Error) => void;
type TransferProperties = (onto: pulumi.Resource, label: string, props: Record<string, unknown>) => Record<string, Resolver>;

const rpc = rpcModule as unknown as { transferProperties: TransferProperties };
const OutputClass = pulumi.Output as unknown as new (resources: unknown, promise: Promise<unknown>, isKnown: Promise<boolean>, isSecret: Promise<boolean>, allResources: Promise<Set<pulumi.Resource>>) => pulumi.Output<unknown>;

interface Settled {
  value: unknown;
  isKnown: boolean;
  isSecret: boolean;
  deps: pulumi.Resource[];
  err?: Error;
}

/** One property's Output, made when first read. */
class LazyProperty {
  private settled: Settled | undefined;
  private pending: { settle(result: Settled): void } | undefined;

  constructor(private readonly onto: pulumi.Resource) {}

  readonly resolve: Resolver = (value, isKnown, isSecret, deps = [], err) => {
    if (err && isGrpcError(err)) return;
    this.settled = { value, isKnown, isSecret, deps, err };
    this.pending?.settle(this.settled);
  };

  output(): pulumi.Output<unknown> {
    if (this.settled) {
      const s = this.settled;
      const part = <T>(value: T): Promise<T> => (s.err ? rejected(s.err) : Promise.resolve(value));
      return new OutputClass(this.onto, part(s.value), part(s.isKnown), part(s.isSecret), part(new Set(s.deps)));
    }
    const value = deferred<unknown>();
    const isKnown = deferred<boolean>();
    const isSecret = deferred<boolean>();
    const deps = deferred<Set<pulumi.Resource>>();
    this.pending = {
      settle: (s) => {
        if (s.err) {
          for (const part of [value, isKnown, isSecret, deps]) part.reject(s.err);
        } else {
          value.resolve(s.value);
          isKnown.resolve(s.isKnown);
          isSecret.resolve(s.isSecret);
          deps.resolve(new Set(s.deps));
        }
      },
    };
    return new OutputClass(this.onto, value.promise, isKnown.promise, isSecret.promise, deps.promise);
  }
}

function rejected<T>(err: Error): Promise<T> {
  return Promise.reject(err);
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(err: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** rpc.js `transferProperties`, with each Output made on first read. */
const lazyTransferProperties: TransferProperties = (onto, label, props) => {
  const resolvers: Record<string, Resolver> = {};
  for (const key of Object.keys(props)) {
    if (key === "id" || key === "urn") continue;
    if (Object.prototype.hasOwnProperty.call(onto, key)) {
      throw new Error(`Property '${key}' is already initialized on target '${label}`);
    }
    const property = new LazyProperty(onto);
    resolvers[key] = property.resolve;
    const settle = (value: unknown) => Object.defineProperty(onto, key, { value, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(onto, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const output = property.output();
        settle(output);
        return output;
      },
      set: settle,
    });
  }
  return resolvers;
};

/** Puts the SDK's transferProperties back. */
export type RestoreOutputs = () => void;

/** Makes resource output properties on first read; returns the function that restores the SDK's way. */
export function makeOutputsOnFirstRead(): RestoreOutputs {
  const original = rpc.transferProperties;
  rpc.transferProperties = lazyTransferProperties;
  return () => {
    rpc.transferProperties = original;
  };
}
