/**
 * The offline plan's serialization shortcuts give the SDK exactly what its own code gives:
 * plan/plainSerialization.ts (plain parts of inputs walked synchronously) against `@pulumi/pulumi` 3.276
 * runtime/rpc.js `serializeResourceProperties` / `serializeProperties`, and plan/jsonStructs.ts
 * (property bags kept as JSON) against google-protobuf's Struct.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { evaluateProgram } from "../plan/evaluate";
import { serializePlainValuesSynchronously } from "../plan/plainSerialization";
import { JsonStruct, keepPropertyBagsAsJson } from "../plan/jsonStructs";

type Serializer = (label: string, props: Record<string, unknown>, opts?: unknown) => Promise<[Record<string, unknown>, Map<string, Set<unknown>>]>;
const rpcExports = rpc as unknown as { serializeResourceProperties: Serializer; serializeProperties: (label: string, props: Record<string, unknown>) => Promise<Record<string, unknown>> };

/** An Output with the given known and secret flags (the SDK's OutputImpl constructor, as runtime/rpc.js builds them). */
function rawOutput(value: unknown, isKnown: boolean, isSecret: boolean): pulumi.Output<unknown> {
  const OutputClass = pulumi.Output as unknown as new (r: Set<unknown>, p: Promise<unknown>, k: Promise<boolean>, s: Promise<boolean>, a: Promise<Set<unknown>>) => pulumi.Output<unknown>;
  return new OutputClass(new Set(), Promise.resolve(value), Promise.resolve(isKnown), Promise.resolve(isSecret), Promise.resolve(new Set()));
}

/** Inputs with every kind of value the SDK's serializer distinguishes, plain parts around them. */
function awkwardInputs(a: pulumi.Resource, b: managedidentity.UserAssignedIdentity): Record<string, unknown> {
  const nullProto = Object.assign(Object.create(null), { z: 1, a: "x" });
  return {
    id: "skipped by serializeResourceProperties",
    urn: "skipped too",
    plain: { b: 2, a: [1, "two", null, undefined, () => 3, { deep: [true] }], skip: undefined, fn: () => 1 },
    withOutputs: { first: "x", out: pulumi.output("known"), later: { secret: pulumi.secret("s"), after: "y" }, name: b.name },
    list: ["a", pulumi.output(["b", undefined]), Promise.resolve({ p: 1 }), b, "z"],
    resource: b,
    component: a,
    date: new Date(0),
    nullProto,
    symbol: Symbol("s"),
    unknownLike: pulumi.output(undefined),
    unknown: rawOutput("hidden", false, false),
    unknownSecret: rawOutput("hidden", false, true),
    knownSecretObject: rawOutput({ a: [1, undefined] }, true, true),
    outputOfOutputs: pulumi.output({ inner: b.name, list: [b.id, "x"] }),
    outputOfResource: pulumi.output(b),
    nothing: undefined,
    fn: () => 1,
  };
}

/** Runs both serializers of one kind on the same inputs inside a stack and returns both results. */
async function bothWays(pick: "resource" | "plain") {
  let sdk: unknown;
  let fast: unknown;
  await evaluateProgram({
    project: "agent-identity",
    stack: "unit",
    config: {},
    sdkBookkeeping: true,
    program: async () => {
      const component = new pulumi.ComponentResource("test:index:Thing", "thing");
      const identity = new managedidentity.UserAssignedIdentity("id", { resourceGroupName: "rg", resourceName: "agent" });
      const props = awkwardInputs(component, identity);
      const run = async () => {
        if (pick === "plain") return { values: await rpcExports.serializeProperties("t", props) };
        const [values, deps] = await rpcExports.serializeResourceProperties("t", props, { keepOutputValues: false });
        return { values, deps: [...deps].map(([key, set]) => [key, [...set]]) };
      };
      sdk = await run();
      const restore = serializePlainValuesSynchronously();
      try {
        fast = await run();
      } finally {
        restore();
      }
      return {};
    },
  });
  return { sdk: sdk as { values: Record<string, unknown>; deps?: unknown[] }, fast: fast as { values: Record<string, unknown>; deps?: unknown[] } };
}

describe("plain-first serialization of inputs", () => {
  it("gives serializeResourceProperties' values, key order and per-property dependencies (same resources, same order)", async () => {
    const { sdk, fast } = await bothWays("resource");
    assert.deepStrictEqual(fast.values, sdk.values);
    assert.strictEqual(JSON.stringify(fast.values), JSON.stringify(sdk.values), "keys in the same order");
    assert.ok(!("id" in fast.values) && !("urn" in fast.values));
    assert.strictEqual(fast.deps!.length, sdk.deps!.length);
    fast.deps!.forEach((entry, i) => {
      const [key, resources] = entry as [string, unknown[]];
      const [sdkKey, sdkResources] = sdk.deps![i] as [string, unknown[]];
      assert.strictEqual(key, sdkKey);
      assert.strictEqual(resources.length, sdkResources.length, key);
      resources.forEach((r, j) => assert.strictEqual(r, sdkResources[j], `${key}[${j}] is the same resource`));
    });
    // The awkward parts really were there: nulls for undefined elements, a resource reference, a secret.
    assert.deepStrictEqual((fast.values.plain as { a: unknown[] }).a, [1, "two", null, null, null, { deep: [true] }]);
    assert.strictEqual((fast.values.resource as Record<string, unknown>)[rpc.specialSigKey], rpc.specialResourceSig);
    assert.strictEqual(((fast.values.withOutputs as { later: { secret: Record<string, unknown> } }).later.secret)[rpc.specialSigKey], rpc.specialSecretSig);
    assert.strictEqual(fast.values.unknown, rpc.unknownValue);
    assert.deepStrictEqual(fast.values.unknownSecret, { [rpc.specialSigKey]: rpc.specialSecretSig, value: rpc.unknownValue });
    assert.deepStrictEqual(fast.values.knownSecretObject, { [rpc.specialSigKey]: rpc.specialSecretSig, value: { a: [1, null] } });
  });

  it("gives serializeProperties' values for the same inputs", async () => {
    const { sdk, fast } = await bothWays("plain");
    assert.deepStrictEqual(fast.values, sdk.values);
    assert.strictEqual(JSON.stringify(fast.values), JSON.stringify(sdk.values));
    assert.strictEqual(fast.values.id, "skipped by serializeResourceProperties", "serializeProperties keeps id and urn");
  });

  it("names the property in the error when an input fails, as the SDK does", async () => {
    const restore = serializePlainValuesSynchronously();
    try {
      await assert.rejects(rpcExports.serializeProperties("t", { good: "x", bad: { inner: Promise.reject(new Error("no value")) } }), /error serializing property "bad": no value/);
    } finally {
      restore();
    }
  });
});

describe("property bags kept as JSON in the offline plan", () => {
  it("go into a request and come back out as the same JavaScript, and protobuf Structs return afterwards", () => {
    const gstruct = require("google-protobuf/google/protobuf/struct_pb");
    const restore = keepPropertyBagsAsJson();
    let bag: unknown;
    try {
      bag = gstruct.Struct.fromJavaScript({ a: [1, { b: null }] });
      const req = new resproto.RegisterResourceRequest();
      req.setObject(bag as never);
      assert.ok(req.getObject() instanceof JsonStruct);
      assert.deepStrictEqual((req.getObject() as unknown as JsonStruct).toJavaScript(), { a: [1, { b: null }] });
    } finally {
      restore();
    }
    assert.ok(!(gstruct.Struct.fromJavaScript({ a: 1 }) instanceof JsonStruct), "the SDK's Struct is back");
  });
});

describe("property bags on a google-protobuf that does not carry them", () => {
  it("stay protobuf Structs when a message field cannot hold a JsonStruct (the check runs before the swap)", () => {
    const gstruct = require("google-protobuf/google/protobuf/struct_pb");
    const proto = JsonStruct.prototype as unknown as { g?: () => unknown[] };
    const g = proto.g;
    delete proto.g; // as if google-protobuf's setter called toArray under another minified name
    try {
      const restore = keepPropertyBagsAsJson();
      try {
        assert.ok(!(gstruct.Struct.fromJavaScript({ a: 1 }) instanceof JsonStruct), "Struct.fromJavaScript was left alone");
      } finally {
        restore();
      }
    } finally {
      proto.g = g;
    }
  });
});
