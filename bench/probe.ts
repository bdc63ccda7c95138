/**
 * One measurement, run in its own process so module loading and peak memory are not shared:
 * - `sdk`: loads the SDK modules the program imports and stops (the floor of every plan);
 * - `production`: the offline plan of the production stack;
 * - `agents <N> [--render|--sdk-bookkeeping]`: the program with N synthetic agents (bench/syntheticStack.ts);
 *   with `--render`, then times each renderer on that plan; with `--sdk-bookkeeping`, evaluates with the
 *   SDK's stack traces, source positions and version aliases (the plan before the fast path);
 * - `floor <N> [--sdk-bookkeeping]`: the same-types floor program for N agents (bench/floorProgram.ts);
 * - `replay <plan.json> [--wired]`: the same-inputs replay of a recorded plan (bench/replayProgram.ts),
 *   with `--wired` its Outputs and dependencies too; reading the file is part of its time.
 * With `--promises` (any mode but `sdk`), the evaluation's promises are counted (bench/promiseCount.ts);
 * such a run's time is not a measurement. With `--lean-outputs`, the evaluation runs with the what-if
 * Outputs of bench/leanOutputs.ts.
 * Prints one JSON line: {"wallMs", "maxRssKb", "resources", "renderMs"?, "promises"?}. wallMs runs from the
 * process's time origin to the plan being ready, and maxRssKb is the peak until then (rendering comes after both).
 */
import { performance } from "perf_hooks";

/** What one probe reports. */
export interface ProbeResult {
  /** Milliseconds from the process's time origin until the plan was ready. */
  wallMs: number;
  /** Peak resident memory until then, KiB. */
  maxRssKb: number;
  /** Resources in the plan. */
  resources: number;
  /** Milliseconds per renderer, with `--render`. */
  renderMs?: Record<string, number>;
  /** Promises created by the evaluation, with `--promises`. */
  promises?: number;
}

/** Runs `fn` with stdout silenced (the SDK's log calls write there under mocks). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

async function main(): Promise<void> {
  const [mode, count, ...flags] = process.argv.slice(2);
  const flag = (name: string) => flags.includes(name);
  const { countPromises } = await import("./promiseCount");
  let promises: number | undefined;
  // Every evaluation goes through here: counted with `--promises`, otherwise run as it is.
  const evaluate = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (!flag("--promises")) return quietly(fn);
    const counted = await quietly(() => countPromises(fn));
    promises = counted.promises;
    return counted.result;
  };
  if (flag("--lean-outputs")) {
    const { useLeanOutputs } = await import("./leanOutputs");
    useLeanOutputs();
  }
  let plan: import("../plan/evaluate").Plan | undefined;
  if (mode === "sdk") {
    require("@pulumi/pulumi");
    require("@pulumi/kubernetes");
    require("@pulumi/azuread");
    require("@pulumi/azure-native/containerservice");
    require("@pulumi/azure-native/managedidentity");
    require("@pulumi/azure-native/resources");
    require("@pulumi/azure-native/authorization");
  } else if (mode === "production") {
    const { planStack } = await import("../plan");
    plan = await evaluate(() => planStack("production"));
  } else if (mode === "agents") {
    const { planStack } = await import("../plan");
    const { syntheticStackConfig } = await import("./syntheticStack");
    plan = await evaluate(() => planStack("bench", syntheticStackConfig(Number(count)), undefined, { sdkBookkeeping: flag("--sdk-bookkeeping") }));
  } else if (mode === "replay") {
    // `count` is the path of a plan's JSON: the same-inputs replay of that plan (bench/replayProgram.ts).
    const { readFileSync } = await import("fs");
    const { evaluateProgram } = await import("../plan/evaluate");
    const { replayProgram } = await import("./replayProgram");
    const recorded = JSON.parse(readFileSync(count, "utf8")) as import("../plan/evaluate").Plan;
    plan = await evaluate(() => evaluateProgram({ project: "agent-identity", stack: "bench", config: {}, program: replayProgram(recorded, { wired: flag("--wired") }) }));
  } else if (mode === "floor") {
    const { evaluateProgram } = await import("../plan/evaluate");
    const { floorProgram } = await import("./floorProgram");
    plan = await evaluate(() =>
      evaluateProgram({ project: "agent-identity", stack: "bench", config: {}, program: floorProgram(Number(count)), sdkBookkeeping: flag("--sdk-bookkeeping") }),
    );
  } else {
    throw new Error(`unknown probe mode ${mode}`);
  }
  const result: ProbeResult = { wallMs: performance.now(), maxRssKb: process.resourceUsage().maxRSS, resources: plan?.resources.length ?? 0, promises };
  if (flag("--render") && plan) {
    const { renderTable } = await import("../plan/render/table");
    const { renderMermaid } = await import("../plan/render/mermaid");
    const { renderJson } = await import("../plan/render/json");
    const renderMs: Record<string, number> = {};
    for (const [name, render] of Object.entries({ table: renderTable, mermaid: renderMermaid, json: renderJson })) {
      const started = performance.now();
      render(plan);
      renderMs[name] = performance.now() - started;
    }
    result.renderMs = renderMs;
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
