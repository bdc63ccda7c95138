/**
 * What `npm run bench` compares must be comparable: the same-types floor program registers what the
 * project registers (types, counts, parent tree, providers), the same-inputs replay registers the project's
 * plan again, and the arithmetic of the report is right.
 */
import * as assert from "assert";
import { planStack } from "../plan";
import { Plan, evaluateProgram } from "../plan/evaluate";
import { floorProgram } from "../bench/floorProgram";
import { syntheticStackConfig } from "../bench/syntheticStack";
import { marginals, median } from "../bench/stats";
import { replayProgram, resourceClass } from "../bench/replayProgram";
import { countPromises } from "../bench/promiseCount";
import { useLeanOutputs } from "../bench/leanOutputs";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { CpuProfile, layerOf, profileProbe, selfTimeByLayer } from "../bench/selfTime";

/** Each resource as "type under parent type, via provider type", sorted: the shape of a plan without names or inputs. */
function shape(plan: Plan): string[] {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  return plan.resources
    .map((r) => `${r.type} under ${r.parent ? byUrn.get(r.parent)?.type : "-"} via ${r.provider ? byUrn.get(r.provider)?.type : "default"}`)
    .sort();
}

describe("npm run bench", () => {
  it("has a same-types floor program that registers the project's resource types, counts, parent tree and providers", async () => {
    for (const agents of [1, 4]) {
      const project = await planStack("bench", syntheticStackConfig(agents));
      const floor = await evaluateProgram({ project: "agent-identity", stack: "bench", config: {}, program: floorProgram(agents) });
      assert.deepStrictEqual(shape(floor), shape(project), `${agents} agents`);
      assert.deepStrictEqual(floor.resources.map((r) => r.name).sort(), project.resources.map((r) => r.name).sort(), "and the same names (so URNs have the same length)");
    }
  });

  it("has a same-inputs replay that registers the project's plan again: same URNs, types, parents, providers and inputs, no dependencies", async () => {
    for (const [name, plan] of [["3 synthetic agents", await planStack("bench", syntheticStackConfig(3))], ["production", await planStack("production")]] as const) {
      const replay = await evaluateProgram({ project: plan.project, stack: plan.stack, config: {}, program: replayProgram(plan) });
      const content = (p: Plan) => p.resources.map((r) => ({ urn: r.urn, type: r.type, parent: r.parent, provider: r.provider, inputs: r.inputs }));
      assert.deepStrictEqual(content(replay), content(plan), name);
      assert.ok(
        replay.resources.every((r) => r.dependsOn.length === 0),
        `${name}: nothing waits for anything in the replay`,
      );
      assert.ok(plan.resources.some((r) => r.dependsOn.length > 0), `${name}: the project's own plan has dependencies`);
    }
  });

  it("has a wired replay that also rebuilds the plan's wiring: the same inputs and exactly the same dependencies", async () => {
    for (const [name, plan] of [["3 synthetic agents", await planStack("bench", syntheticStackConfig(3))], ["production", await planStack("production")]] as const) {
      const wired = await evaluateProgram({ project: plan.project, stack: plan.stack, config: {}, program: replayProgram(plan, { wired: true }) });
      const content = (p: Plan) => p.resources.map((r) => ({ urn: r.urn, type: r.type, parent: r.parent, provider: r.provider, inputs: r.inputs, dependsOn: r.dependsOn }));
      assert.deepStrictEqual(content(wired), content(plan), name);
    }
  });

  it("counts the promises a function creates, and counts an evaluation the same way every time", async () => {
    const creating = (n: number) => async () => {
      for (let i = 0; i < n; i++) void new Promise<void>((resolve) => resolve());
      return n;
    };
    await countPromises(creating(0)); // under mocha the first call in a process counted one more: warm up
    const none = await countPromises(creating(0));
    const ten = await countPromises(creating(10));
    assert.strictEqual(ten.result, 10, "the function's result comes back");
    assert.strictEqual(ten.promises - none.promises, 10);
    const evaluation = () => planStack("bench", syntheticStackConfig(2));
    await evaluation();
    const [first, second] = [await countPromises(evaluation), await countPromises(evaluation)];
    assert.strictEqual(first.result.resources.length, 32);
    assert.ok(first.promises > 1000, `an evaluation of 32 resources creates many promises (${first.promises})`);
    assert.strictEqual(second.promises, first.promises, "the same program gives the same count");
    await assert.rejects(countPromises(() => Promise.reject(new Error("failed"))), /failed/, "a failure comes through (and the hook is removed)");
  });

  it("has a lean-Output what-if whose Outputs behave as the SDK's: value, secrecy, unknowns, lifted reads, inner Outputs, errors", async () => {
    const unknownOutput = () => new (pulumi.Output as unknown as new (...args: unknown[]) => pulumi.Output<string>)(new Set(), Promise.resolve("x"), Promise.resolve(false), Promise.resolve(false), Promise.resolve(new Set()));
    const cases: Record<string, () => pulumi.Output<unknown>> = {
      "apply of a plain value": () => pulumi.output(2).apply((v) => v * 3),
      "apply of a secret": () => pulumi.secret("s").apply((v) => `${v}!`),
      "apply of an unknown": () => unknownOutput().apply((v) => `${v}!`),
      // `.apply((v) => v)` first: a read of the result goes through the what-if's own lifting.
      "lifted read": () => (pulumi.output({ a: { b: 1 } }).apply((v) => v) as pulumi.Output<{ a: { b: number } }>).a.b,
      "lifted read of a missing value": () => (pulumi.output({ a: undefined }).apply((v) => v) as unknown as pulumi.Output<{ a: { b: number } }>).a.b,
      "lifted read of an unknown": () => (unknownOutput().apply((v) => v) as unknown as pulumi.Output<{ length: number }>).length,
      "an Output returned by the function": () => pulumi.output(1).apply(() => pulumi.secret(2)),
      "a promise returned by the function": () => pulumi.output(1).apply(async (v) => v + 1),
      "chained applies": () => pulumi.output("a").apply((v) => `${v}b`).apply((v) => `${v}c`),
    };
    const settle = async (o: pulumi.Output<unknown>) => {
      const internal = o as unknown as { promise(withUnknowns?: boolean): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
      return { value: await internal.promise(), isKnown: await internal.isKnown, isSecret: await internal.isSecret };
    };
    for (const [name, make] of Object.entries(cases)) {
      const sdk = await settle(make());
      const stop = useLeanOutputs();
      let lean;
      try {
        lean = await settle(make());
      } finally {
        stop();
      }
      assert.deepStrictEqual(lean, sdk, name);
    }
    const stop = useLeanOutputs();
    let failing: pulumi.Output<unknown>;
    try {
      failing = pulumi.output(1).apply(() => {
        throw new Error("in apply");
      });
    } finally {
      stop();
    }
    await assert.rejects((failing as unknown as { promise(): Promise<unknown> }).promise(), /in apply/, "an error in the function rejects the Output");
  });

  it("has a lean-Output what-if that changes no plan and creates fewer promises (so its figure means something)", async () => {
    const outputPrototype = () => (pulumi.Output as unknown as { prototype: { apply: unknown } }).prototype;
    const sdkApply = outputPrototype().apply;
    for (const [name, evaluation] of [["production", () => planStack("production")], ["3 synthetic agents", () => planStack("bench", syntheticStackConfig(3))]] as const) {
      const stop = useLeanOutputs();
      const lean = await countPromises(evaluation).finally(stop);
      const sdk = await countPromises(evaluation);
      assert.deepStrictEqual(lean.result.resources, sdk.result.resources, `${name}: the same plan`);
      assert.ok(lean.promises < sdk.promises * 0.95, `${name}: fewer promises (${lean.promises} against ${sdk.promises})`);
    }
    assert.strictEqual(outputPrototype().apply, sdkApply, "switched off, the SDK's apply is back");
  });

  it("sums a CPU profile's self time by layer: program, offline plan, SDK, providers, GC, other", () => {
    const frames: Array<[string, string]> = [
      ["/w/bin/components/agentApi.js", "AgentApi"],
      ["/w/bin/bench/floorProgram.js", "agent"],
      ["/w/bin/plan/evaluate.js", "toPlainJson"],
      ["/w/node_modules/@pulumi/pulumi/output.js", "apply"],
      ["/w/node_modules/@pulumi/kubernetes/apps/v1/deployment.js", "Deployment"],
      ["", "(garbage collector)"],
      ["node:internal/modules/cjs/loader", "load"],
      ["", "(program)"],
    ];
    assert.deepStrictEqual(
      frames.map(([url, name]) => layerOf(url, name)),
      ["program code", "program code", "offline plan (plan/)", "@pulumi/pulumi", "provider SDKs", "garbage collection", "other (Node, loading, other dependencies)", "other (Node, loading, other dependencies)"],
    );
    const profile: CpuProfile = {
      nodes: frames.map(([url, functionName], i) => ({ id: i + 1, callFrame: { url, functionName } })),
      samples: [1, 1, 3, 4, 6, 8],
      timeDeltas: [1000, 2000, 500, 4000, 3000, 250],
    };
    assert.deepStrictEqual(selfTimeByLayer(profile), {
      "program code": 3,
      "offline plan (plan/)": 0.5,
      "@pulumi/pulumi": 4,
      "provider SDKs": 0,
      "garbage collection": 3,
      "other (Node, loading, other dependencies)": 0.25,
    });
  });

  it("profiles a probe in its own process and reads back its self time by layer", () => {
    const byLayer = profileProbe(path.join(__dirname, "..", "bench", "probe.js"), ["floor", "2"]);
    assert.ok(byLayer["@pulumi/pulumi"] > 0, "the SDK ran");
    assert.ok(Object.values(byLayer).reduce((a, b) => a + b, 0) > 100, "a whole evaluation, SDK load included, takes more than 100 ms of samples");
    assert.throws(() => profileProbe(path.join(__dirname, "..", "bench", "probe.js"), ["nonsense"]), /profiled probe nonsense failed/);
  });

  it("refuses to replay a type it has no class for, naming it", () => {
    assert.throws(() => resourceClass("aws:s3/bucket:Bucket"), /No class for aws:s3\/bucket:Bucket in the replay/);
  });

  it("takes the median of odd and even counts, and refuses none", () => {
    assert.strictEqual(median([3, 1, 2]), 2);
    assert.strictEqual(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), /median of no values/);
  });

  it("gives the marginal cost per agent as the slope from the previous size", () => {
    const points = [
      { agents: 1, value: 1000 },
      { agents: 10, value: 1090 },
      { agents: 100, value: 1990 },
      { agents: 1000, value: 12990 },
    ];
    assert.deepStrictEqual(marginals(points), [
      { agents: 10, value: 10 },
      { agents: 100, value: 10 },
      { agents: 1000, value: 12.222222222222221 },
    ]);
    assert.throws(() => marginals([points[1], points[0]]), /strictly ascending/);
  });
});
