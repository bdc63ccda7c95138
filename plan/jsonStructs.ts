/**
 * Property bags as plain JSON in the offline plan, instead of protobuf Structs.
 *
 * The SDK puts every request's properties into a `google.protobuf.Struct`
 * (`gstruct.Struct.fromJavaScript(serializedProps)`, `@pulumi/pulumi` 3.276 runtime/resource.js,
 * invoke.js, mocks.js) for the gRPC wire; under the mock runtime nothing goes over a wire, and every
 * reader turns the Struct straight back into JavaScript with `toJavaScript()` (runtime/rpc.js
 * `deserializeProperties`, runtime/mocks.js, plan/evaluate.ts). Building and reading those messages was
 * the largest single allocation of a 300-agent plan after the SDK's own Outputs (issue 12's profile).
 *
 * During an offline evaluation `Struct.fromJavaScript` returns a {@link JsonStruct}: it holds the
 * serialized value and gives it back from `toJavaScript()`. A message field setter stores a wrapper
 * field through `toArray()` and hands the same object back from the getter (google-protobuf
 * `jspb.Message.setWrapperField` / `getWrapperField`), so the SDK's requests carry it unchanged.
 * Serialized properties are already what a Struct can hold (strings, numbers, booleans, null, arrays and
 * objects of them: runtime/rpc.js `serializeProperty`); the round trip through protobuf only copied them.
 * Nothing during an evaluation calls `serializeBinary`. The tests compare plans with and without.
 */
import * as path from "path";

type FromJavaScript = (value: Record<string, unknown>) => unknown;

/** The google-protobuf module the SDK itself loads (it is the SDK's dependency, not the project's). */
function sdkStructModule(): { Struct: { fromJavaScript: FromJavaScript } } {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  return require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }));
}

const structClass = sdkStructModule().Struct;

/** A property bag that is already JavaScript: what `Struct.fromJavaScript` returns in the offline plan. */
export class JsonStruct {
  constructor(private readonly value: Record<string, unknown>) {}

  /** The properties, as `Struct.toJavaScript()` would return them. */
  toJavaScript(): Record<string, unknown> {
    return this.value;
  }

  /** What a message's wrapper-field setter stores as the field's wire form: never sent anywhere. */
  toArray(): unknown[] {
    return [];
  }

  /** `toArray` under the name google-protobuf's compiled `setWrapperField` calls (`c.g()`). */
  g(): unknown[] {
    return [];
  }
}

/** Puts `Struct.fromJavaScript` back. */
export type RestoreStructs = () => void;

type MessageClass = new () => { setObject(value: unknown): void; getObject(): unknown };

/**
 * Whether this google-protobuf stores a {@link JsonStruct} in a message field and gives the same object
 * back. Its compiled `setWrapperField` calls the value's `toArray` under a minified name (`g` in the
 * version the SDK pins); another version may call another name, and then the Structs stay protobuf.
 */
function messagesCarryJsonStructs(): boolean {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const { RegisterResourceRequest } = require(path.join(sdkDir, "proto", "resource_pb")) as { RegisterResourceRequest: MessageClass };
  try {
    const probe = new JsonStruct({});
    const request = new RegisterResourceRequest();
    request.setObject(probe);
    return request.getObject() === probe;
  } catch {
    return false;
  }
}

/**
 * Makes `Struct.fromJavaScript` return a {@link JsonStruct}, if this google-protobuf carries one
 * (otherwise changes nothing); returns the function that restores it.
 */
export function keepPropertyBagsAsJson(): RestoreStructs {
  if (!messagesCarryJsonStructs()) return () => undefined;
  const original = structClass.fromJavaScript;
  structClass.fromJavaScript = (value) => new JsonStruct(value ?? {});
  return () => {
    structClass.fromJavaScript = original;
  };
}
