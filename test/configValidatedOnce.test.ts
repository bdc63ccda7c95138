/**
 * The stack config is validated once, at the edge: the program's validated config reaches AgentPlatform
 * frozen and marked, and the platform does not parse it again; anything else it is given (a literal, a
 * copy) it still validates itself.
 */
import * as assert from "assert";
import { AgentPlatform } from "../components";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";
import { StackConfig, stackConfigSchema } from "../config/schema";
import { ConfigValidationError } from "../config/errors";
import { PlanFailedError } from "../plan/evaluate";
import { evaluate, stackFileConfig } from "./helpers";

/** Runs `body` while counting calls of the stack config schema's safeParse. */
async function countingParses(body: () => Promise<unknown>): Promise<number> {
  let calls = 0;
  const original = stackConfigSchema.safeParse.bind(stackConfigSchema);
  stackConfigSchema.safeParse = ((data: unknown, params?: unknown) => {
    calls++;
    return original(data, params as never);
  }) as typeof stackConfigSchema.safeParse;
  try {
    await body();
  } finally {
    delete (stackConfigSchema as { safeParse?: unknown }).safeParse; // back to the prototype's method
  }
  return calls;
}

describe("the stack config is validated once, at the edge", () => {
  let config: StackConfig;
  before(() => {
    config = validateStackConfig(rawConfigFromPulumi(stackFileConfig("staging")));
  });

  it("hands out the validated config deep-frozen, so it cannot become invalid after validation", () => {
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.agents) && Object.isFrozen(config.agents[0]) && Object.isFrozen(config.cluster.systemNodePool.availabilityZones));
    assert.throws(() => ((config.agents[0] as { replicas: number }).replicas = 1000), TypeError);
    assert.throws(() => config.agents.push(config.agents[0]), TypeError);
  });

  it("lets AgentPlatform take that config without parsing it again", async () => {
    const parses = await countingParses(() => evaluate(() => new AgentPlatform("platform", config)));
    assert.strictEqual(parses, 0);
  });

  it("makes AgentPlatform validate a config it is given any other way (a copy), with the same resources as a result", async () => {
    let fromCopy: Awaited<ReturnType<typeof evaluate>> | undefined;
    const parses = await countingParses(async () => {
      fromCopy = await evaluate(() => new AgentPlatform("platform", structuredClone(config)));
    });
    assert.strictEqual(parses, 1);
    const fromSealed = await evaluate(() => new AgentPlatform("platform", config));
    assert.deepStrictEqual(fromCopy!.resources.map((r) => [r.urn, r.inputs]), fromSealed.resources.map((r) => [r.urn, r.inputs]));
  });

  it("refuses an invalid copy in AgentPlatform itself, naming the field", async () => {
    const copy = structuredClone(config);
    copy.agents[0].replicas = 1000;
    await assert.rejects(evaluate(() => new AgentPlatform("platform", copy)), (err: unknown) => {
      assert.ok(err instanceof PlanFailedError && err.cause instanceof ConfigValidationError, String(err));
      assert.strictEqual(err.cause.namespace, "AgentPlatform");
      assert.deepStrictEqual(err.cause.issues.map((i) => i.path), ["agents[0].replicas"]);
      return true;
    });
  });
});
