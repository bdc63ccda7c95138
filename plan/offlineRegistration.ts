/**
 * The offline plan's answer to a resource registration: what the SDK's mock monitor does
 * (`@pulumi/pulumi` runtime/mocks.js `MockMonitor.registerResource`), without its protobuf round trips.
 *
 * The mock monitor decodes the request's inputs from their protobuf Struct, asks the mocks, then encodes
 * the state into a new protobuf Struct that the SDK decodes again (runtime/resource.js `resolveOutputs`
 * calls `deserializeProperties`, which only calls `toJavaScript()` on it). The plan also needs the
 * request's inputs, so decoding them once serves both; and the answer hands the SDK the state it would
 * have decoded, through the same duck-typed response the SDK builds itself when it runs without a
 * monitor (runtime/resource.js: `getUrn`, `getId`, `getObject`, `getPropertydependenciesMap`,
 * `getResult`, `getUnknown`). The values are the ones a protobuf Struct carries: serialized properties
 * are plain JSON (strings, numbers, booleans, null, arrays, objects, and the SDK's signature objects).
 *
 * Everything else of the mock monitor (URNs, the resources it keeps for `getResource` invokes, the
 * transforms it hands the mocks, invokes, reads) stays the SDK's.
 */
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";

/** The parts of a RegisterResourceRequest the offline path reads. */
export interface RegisterRequest {
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getProtect(): boolean | undefined;
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom(): boolean;
  getImportid(): string;
  getTransformsList(): Array<{ getToken(): string }>;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** What the SDK reads of a registration's answer (runtime/resource.js). */
export interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): Record<string, unknown> };
  getPropertydependenciesMap(): undefined;
  getResult(): number;
  getUnknown(): boolean;
}

/** The SDK's MockMonitor, as far as the offline path uses it. */
export interface MockMonitorInternals {
  mocks: pulumi.runtime.Mocks;
  resources: Map<string, { urn: string; id: string | null; state: Record<string, unknown> }>;
  transformCallbacks: Map<string, pulumi.ResourceTransform>;
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: (err: unknown, response?: RegisterResponse) => void): unknown;
}

/** Called once per answered registration with the request, its inputs in wire form and its URN. */
export type OnRegistered = (req: RegisterRequest, wireInputs: Record<string, unknown>, urn: string) => void;

/** `resproto.Result.SUCCESS`. */
const RESULT_SUCCESS = 0;

/**
 * Replaces the mock monitor's `registerResource` by the offline path; returns the function that puts the
 * SDK's back. `onRegistered` sees every registration that succeeded, before the SDK does.
 */
export function answerRegistrationsOffline(monitor: MockMonitorInternals, onRegistered: OnRegistered): () => void {
  const original = monitor.registerResource;
  monitor.registerResource = async (req, callback) => {
    try {
      const wireInputs = req.getObject()?.toJavaScript() ?? {};
      const transforms = req
        .getTransformsList()
        .map((cb) => monitor.transformCallbacks.get(cb.getToken()))
        .filter((transform): transform is pulumi.ResourceTransform => transform !== undefined);
      const result = await monitor.mocks.newResource({
        type: req.getType(),
        name: req.getName(),
        inputs: rpc.deserializeProperties({ toJavaScript: () => wireInputs } as never),
        provider: req.getProvider(),
        custom: req.getCustom(),
        id: req.getImportid(),
        transforms,
      });
      const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
      const state = await rpc.serializeProperties("", result.state);
      monitor.resources.set(urn, { urn, id: result.id ?? null, state });
      const id = result.id || "";
      onRegistered(req, wireInputs, urn);
      callback(null, {
        getUrn: () => urn,
        getId: () => id,
        getObject: () => ({ toJavaScript: () => state }),
        getPropertydependenciesMap: () => undefined,
        getResult: () => RESULT_SUCCESS,
        getUnknown: () => false,
      });
    } catch (err) {
      callback(err, undefined);
    }
  };
  return () => {
    monitor.registerResource = original;
  };
}

/**
 * Leaves the SDK's mock monitor answering (protobuf round trips included) and only reports each
 * registration it answered: the slow path the offline path is compared with. Returns the restore function.
 */
export function observeRegistrations(monitor: MockMonitorInternals, onRegistered: OnRegistered): () => void {
  const original = monitor.registerResource;
  monitor.registerResource = (req, callback) =>
    original.call(monitor, req, (err, response) => {
      if (!err && response) onRegistered(req, req.getObject()?.toJavaScript() ?? {}, response.getUrn());
      callback(err, response);
    });
  return () => {
    monitor.registerResource = original;
  };
}
