/**
 * `npm run bench`: the offline plan's cost, in one run. Every figure is the median of several fresh
 * processes (bench/probe.ts), and the rounds are interleaved (each round runs every probe once) so that
 * drift on a shared machine hits all figures alike:
 * - the production plan against the floor of loading the SDK modules it needs;
 * - the program with N synthetic agents and the same-types floor program (bench/floorProgram.ts) with N
 *   agents, for each size: wall time, peak memory, marginal cost per agent (slope from the previous size);
 * - each renderer on the largest synthetic plan;
 * - the fast path's effect: the program at 100 agents evaluated with the SDK's full bookkeeping;
 * - the longest dependency chain of the production graph.
 * Then caller-validation throughput (bench/auth.ts). `--only plan` or `--only auth` runs one part.
 * Environment: BENCH_REPEATS (rounds, default 3), BENCH_SIZES (default 1,10,100,500,1000).
 */
import { spawnSync } from "child_process";
import { cpus, loadavg } from "os";
import * as path from "path";
import { planStack } from "../plan";
import { PlanGraph } from "../plan/graph";
import { columns } from "../plan/render/table";
import { benchAuth } from "./auth";
import type { ProbeResult } from "./probe";
import { marginals, median } from "./stats";

const PROBE = path.join(__dirname, "probe.js");
const SIZES = (process.env.BENCH_SIZES ?? "1,10,100,500,1000").split(",").map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const TARGETS = { productionOverSdk: 1.6, msPerAgentAtLargest: 6, linearity: 1.2, projectOverFloor: 1.3, renderMs: 2000 };

function probe(args: string[]): ProbeResult {
  // A 1000-agent plan needs about 2 GiB: leave room above Node's default old-space limit.
  const run = spawnSync(process.execPath, ["--max-old-space-size=6144", PROBE, ...args], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) {
    throw new Error(`probe ${args.join(" ")} failed:\n${run.stderr}`);
  }
  return JSON.parse(run.stdout.trim().split("\n").pop() as string) as ProbeResult;
}

/** The median of each figure over a probe's samples. */
function medianOf(samples: ProbeResult[]): ProbeResult {
  const renderMs = samples[0].renderMs ? Object.fromEntries(Object.keys(samples[0].renderMs).map((k) => [k, median(samples.map((s) => s.renderMs?.[k] ?? NaN))])) : undefined;
  return { wallMs: median(samples.map((s) => s.wallMs)), maxRssKb: median(samples.map((s) => s.maxRssKb)), resources: samples[0].resources, renderMs };
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const mark = (ok: boolean) => (ok ? "met" : "MISSED");
const f = (n: number, digits = 0) => n.toFixed(digits);

async function main(): Promise<void> {
  const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
  if (only !== "auth") {
    await benchEvaluation();
  }
  if (only !== "plan") {
    process.stdout.write("\n");
    await benchAuth();
  }
}

async function benchEvaluation(): Promise<void> {
  const largest = SIZES[SIZES.length - 1];
  const AB_SIZE = 100;
  const probes: string[][] = [["sdk"], ["production"], ["agents", String(AB_SIZE), "--sdk-bookkeeping"]];
  for (const size of SIZES) {
    probes.push(size === largest ? ["agents", String(size), "--render"] : ["agents", String(size)], ["floor", String(size)]);
  }
  const loadBefore = load();
  const samples = new Map<string, ProbeResult[]>(probes.map((p) => [p.join(" "), []]));
  for (let round = 0; round < REPEATS; round++) {
    for (const args of probes) {
      samples.get(args.join(" "))?.push(probe(args));
    }
  }
  const loadAfter = load();
  const m = (key: string) => medianOf(samples.get(key) as ProbeResult[]);
  const sdk = m("sdk");
  const production = m("production");
  const project = SIZES.map((n) => m(n === largest ? `agents ${n} --render` : `agents ${n}`));
  const floor = SIZES.map((n) => m(`floor ${n}`));

  const out: string[] = [];
  out.push(`Offline plan under the mock runtime: Node ${process.versions.node}, ${cpus().length} CPUs, median of ${REPEATS} interleaved fresh processes per figure`);
  out.push(`Load average (1, 5, 15 min) before: ${loadBefore}; after: ${loadAfter}`);
  out.push("");
  const productionRatio = production.wallMs / sdk.wallMs;
  out.push(
    columns([
      ["", "resources", "wall ms", "x SDK load", "peak MiB"],
      ["load the SDKs (floor)", "0", f(sdk.wallMs), "1.00", f(sdk.maxRssKb / 1024)],
      ["plan production", String(production.resources), f(production.wallMs), f(productionRatio, 2), f(production.maxRssKb / 1024)],
    ]),
  );
  out.push("");

  const points = (results: ProbeResult[], pick: (r: ProbeResult) => number) => results.map((r, i) => ({ agents: SIZES[i], value: pick(r) }));
  const projectMs = marginals(points(project, (r) => r.wallMs));
  const floorMs = marginals(points(floor, (r) => r.wallMs));
  const projectKb = marginals(points(project, (r) => r.maxRssKb));
  const floorKb = marginals(points(floor, (r) => r.maxRssKb));
  const rows = [["agents", "resources", "project ms", "floor ms", "project/floor", "ms/agent", "floor ms/agent", "project/floor", "MiB/agent", "floor MiB/agent"]];
  SIZES.forEach((n, i) => {
    const slope = i > 0 ? [f(projectMs[i - 1].value, 2), f(floorMs[i - 1].value, 2), f(projectMs[i - 1].value / floorMs[i - 1].value, 2), f(projectKb[i - 1].value / 1024, 2), f(floorKb[i - 1].value / 1024, 2)] : ["-", "-", "-", "-", "-"];
    rows.push([String(n), `${project[i].resources}/${floor[i].resources}`, f(project[i].wallMs), f(floor[i].wallMs), f(project[i].wallMs / floor[i].wallMs, 2), ...slope.slice(0, 3), ...slope.slice(3)]);
  });
  out.push("Synthetic stacks (agent i calls agent i+1): the project's program against the same-types floor program");
  out.push("(same resource types and counts, bare inputs). Per agent: slope from the previous size.");
  out.push(columns(rows));
  out.push("");

  const at = (list: { agents: number; value: number }[], n: number) => list.find((p) => p.agents === n)?.value ?? NaN;
  const perAgentLargest = at(projectMs, largest);
  const linearity = perAgentLargest / at(projectMs, 100);
  const overFloorWall = project[project.length - 1].wallMs / floor[floor.length - 1].wallMs;
  const overFloorMarginal = perAgentLargest / at(floorMs, largest);
  const render = project[project.length - 1].renderMs ?? {};
  const withBookkeeping = m(`agents ${AB_SIZE} --sdk-bookkeeping`);
  const fastAtAb = project[SIZES.indexOf(AB_SIZE)];
  if (fastAtAb) {
    out.push(
      `Fast path at ${AB_SIZE} agents: ${f(fastAtAb.wallMs)} ms and ${f(fastAtAb.maxRssKb / 1024)} MiB peak; with the SDK's stack traces, ` +
        `source positions and version aliases ${f(withBookkeeping.wallMs)} ms and ${f(withBookkeeping.maxRssKb / 1024)} MiB ` +
        `(fast path: ${f(fastAtAb.wallMs / withBookkeeping.wallMs, 2)}x the time, ${f(fastAtAb.maxRssKb / withBookkeeping.maxRssKb, 2)}x the memory)`,
    );
    out.push("");
  }
  out.push("Targets (issue 12)");
  out.push(
    columns([
      ["  production plan / SDK load", f(productionRatio, 2), `<= ${TARGETS.productionOverSdk}`, mark(productionRatio <= TARGETS.productionOverSdk)],
      [`  ms per agent at ${largest}`, f(perAgentLargest, 2), `<= ${TARGETS.msPerAgentAtLargest}`, mark(perAgentLargest <= TARGETS.msPerAgentAtLargest)],
      [`  ms per agent at ${largest} / at 100`, f(linearity, 2), `<= ${TARGETS.linearity}`, mark(linearity <= TARGETS.linearity)],
      [`  project / floor at ${largest} (wall)`, f(overFloorWall, 2), `<= ${TARGETS.projectOverFloor}`, mark(overFloorWall <= TARGETS.projectOverFloor)],
      [`  project / floor at ${largest} (ms per agent)`, f(overFloorMarginal, 2), `<= ${TARGETS.projectOverFloor}`, mark(overFloorMarginal <= TARGETS.projectOverFloor)],
      ...Object.entries(render).map(([name, ms]) => [`  render ${name} at ${largest} agents (ms)`, f(ms), `< ${TARGETS.renderMs}`, mark(ms < TARGETS.renderMs)]),
    ]),
  );
  out.push("");
  process.stdout.write(`${out.join("\n")}\n`);

  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  const plan = await planStack("production");
  process.stdout.write = write;
  const g = new PlanGraph(plan.resources);
  const chain = g.longestDependencyChain();
  process.stdout.write(`Longest dependency chain of the production graph: ${chain.length} resources\n`);
  for (const urn of chain) {
    const r = g.get(urn);
    process.stdout.write(`  ${r?.name} (${r?.type})\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});
