/**
 * `npm run bench`: the offline plan's cost, in one run. Every figure is the median of several fresh
 * processes (bench/probe.ts), and the rounds are interleaved (each round runs every probe once) so that
 * drift on a shared machine hits all figures alike:
 * - the production plan against the floor of loading the SDK modules it needs;
 * - the program with N synthetic agents and the same-types floor program (bench/floorProgram.ts) with N
 *   agents, for each size: wall time, peak memory, marginal cost per agent (slope from the previous size);
 * - each renderer on the largest synthetic plan;
 * - the fast path's effect: the program and the floor at 100 agents evaluated with the SDK's full bookkeeping;
 * - the async work per agent of the project, the replays and the floor: promises created, counted once at the
 *   smallest and the largest size (bench/promiseCount.ts), a figure the machine's load does not move;
 * - a what-if: the project at the largest size with lean Outputs (bench/leanOutputs.ts), time and promises;
 * - where the time goes: self time by layer of one CPU-profiled run of the project and of the floor at the
 *   largest size (bench/selfTime.ts);
 * - the longest dependency chain of the production graph.
 * Then caller-validation throughput (bench/auth.ts). `--only plan` or `--only auth` runs one part.
 * Environment: BENCH_REPEATS (rounds, default 3), BENCH_SIZES (default 1,10,100,500,1000).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { cpus, loadavg, tmpdir } from "os";
import * as path from "path";
import { planStack } from "../plan";
import { PlanGraph } from "../plan/graph";
import { columns } from "../plan/render/table";
import { benchAuth } from "./auth";
import type { ProbeResult } from "./probe";
import { SizePoint, marginals, median } from "./stats";
import { LAYERS, Layer, profileProbe } from "./selfTime";
import { syntheticStackConfig } from "./syntheticStack";

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

/** The medians of one run. */
interface Figures {
  loadBefore: string;
  loadAfter: string;
  sdk: ProbeResult;
  production: ProbeResult;
  /** Per size of SIZES. */
  project: ProbeResult[];
  /** Per size of SIZES. */
  floor: ProbeResult[];
  /** Per size of SIZES: the same-inputs replay of the project's plan. */
  replay: ProbeResult[];
  /** Per size of SIZES: the same replay with the plan's Outputs and dependencies. */
  wired: ProbeResult[];
  /** The project at AB_SIZE agents with the SDK's full bookkeeping. */
  withBookkeeping: ProbeResult;
  /** The floor at AB_SIZE agents with the SDK's full bookkeeping. */
  floorWithBookkeeping: ProbeResult;
  /** The project at the largest size with the what-if's lean Outputs (bench/leanOutputs.ts). */
  leanOutputs: ProbeResult;
  /** Self time per layer of one profiled run at the largest size (bench/selfTime.ts). */
  selfTime: { project: Record<Layer, number>; floor: Record<Layer, number> };
  /** Promises created per agent (slope from the smallest to the largest size), per series. */
  promisesPerAgent: Record<Series, number>;
}

/** The programs the bench compares. */
type Series = "project" | "project, lean Outputs (what-if)" | "wired replay" | "replay" | "floor";

const AB_SIZE = 100;

/** Plans the synthetic stack at every size once, into temporary files the replay probes read. */
async function recordPlans(): Promise<(n: number) => string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-plans-"));
  const write = process.stdout.write.bind(process.stdout);
  for (const size of SIZES) {
    process.stdout.write = (() => true) as typeof process.stdout.write;
    const plan = await planStack("bench", syntheticStackConfig(size)).finally(() => (process.stdout.write = write));
    writeFileSync(path.join(dir, `${size}.json`), JSON.stringify({ project: plan.project, stack: plan.stack, resources: plan.resources }));
  }
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return (n) => ["replay", path.join(dir, `${n}.json`)];
}

/** Runs every probe REPEATS times, round by round, and takes the medians. */
async function measure(): Promise<Figures> {
  const largest = SIZES[SIZES.length - 1];
  const replayArgs = await recordPlans();
  const projectArgs = (n: number) => (n === largest ? ["agents", String(n), "--render"] : ["agents", String(n)]);
  const leanArgs = ["agents", String(largest), "--lean-outputs"];
  const probes: string[][] = [["sdk"], ["production"], ["agents", String(AB_SIZE), "--sdk-bookkeeping"], ["floor", String(AB_SIZE), "--sdk-bookkeeping"], leanArgs];
  for (const size of SIZES) {
    probes.push(projectArgs(size), ["floor", String(size)], replayArgs(size), [...replayArgs(size), "--wired"]);
  }
  const loadBefore = load();
  const samples = new Map<string, ProbeResult[]>(probes.map((p) => [p.join(" "), []]));
  for (let round = 0; round < REPEATS; round++) {
    for (const args of probes) {
      samples.get(args.join(" "))?.push(probe(args));
    }
  }
  const m = (args: string[]) => medianOf(samples.get(args.join(" ")) as ProbeResult[]);
  return {
    loadBefore,
    loadAfter: load(),
    sdk: m(["sdk"]),
    production: m(["production"]),
    project: SIZES.map((n) => m(projectArgs(n))),
    floor: SIZES.map((n) => m(["floor", String(n)])),
    replay: SIZES.map((n) => m(replayArgs(n))),
    wired: SIZES.map((n) => m([...replayArgs(n), "--wired"])),
    withBookkeeping: m(["agents", String(AB_SIZE), "--sdk-bookkeeping"]),
    floorWithBookkeeping: m(["floor", String(AB_SIZE), "--sdk-bookkeeping"]),
    leanOutputs: m(leanArgs),
    promisesPerAgent: countAsyncWork(replayArgs),
    selfTime: { project: profileProbe(PROBE, ["agents", String(largest)]), floor: profileProbe(PROBE, ["floor", String(largest)]) },
  };
}

/** Promises created per agent by each series, from one counting run at the smallest and one at the largest size. */
function countAsyncWork(replayArgs: (n: number) => string[]): Record<Series, number> {
  const [smallest, largest] = [SIZES[0], SIZES[SIZES.length - 1]];
  const args: Record<Series, (n: number) => string[]> = {
    project: (n) => ["agents", String(n)],
    "project, lean Outputs (what-if)": (n) => ["agents", String(n), "--lean-outputs"],
    "wired replay": (n) => [...replayArgs(n), "--wired"],
    replay: replayArgs,
    floor: (n) => ["floor", String(n)],
  };
  const perAgent = (series: Series) => {
    const count = (n: number) => probe([...args[series](n), "--promises"]).promises ?? NaN;
    return (count(largest) - count(smallest)) / (largest - smallest);
  };
  return Object.fromEntries((Object.keys(args) as Series[]).map((series) => [series, perAgent(series)])) as Record<Series, number>;
}

/** Marginal ms and KiB per agent of a series measured at SIZES. */
function slopes(results: ProbeResult[]): { ms: SizePoint[]; kb: SizePoint[] } {
  const points = (pick: (r: ProbeResult) => number) => results.map((r, i) => ({ agents: SIZES[i], value: pick(r) }));
  return { ms: marginals(points((r) => r.wallMs)), kb: marginals(points((r) => r.maxRssKb)) };
}

const at = (list: SizePoint[], n: number) => list.find((p) => p.agents === n)?.value ?? NaN;

/** The per-size table: project against the same-types floor. */
function sizeTable(x: Figures): string {
  const project = slopes(x.project);
  const floor = slopes(x.floor);
  const replay = slopes(x.replay);
  const rows = [["agents", "resources", "project ms", "floor ms", "replay ms", "wall ratio", "ms/agent", "floor ms/agent", "replay ms/agent", "per-agent ratio", "MiB/agent", "floor MiB/agent"]];
  SIZES.forEach((n, i) => {
    const perAgent =
      i === 0
        ? ["-", "-", "-", "-", "-", "-"]
        : [
            f(project.ms[i - 1].value, 2),
            f(floor.ms[i - 1].value, 2),
            f(replay.ms[i - 1].value, 2),
            f(project.ms[i - 1].value / floor.ms[i - 1].value, 2),
            f(project.kb[i - 1].value / 1024, 2),
            f(floor.kb[i - 1].value / 1024, 2),
          ];
    rows.push([String(n), `${x.project[i].resources}/${x.floor[i].resources}/${x.replay[i].resources}`, f(x.project[i].wallMs), f(x.floor[i].wallMs), f(x.replay[i].wallMs), f(x.project[i].wallMs / x.floor[i].wallMs, 2), ...perAgent]);
  });
  return columns(rows);
}

/** The targets of issue 12, each with its figure and whether it is met. */
function targetTable(x: Figures): string {
  const largest = SIZES[SIZES.length - 1];
  const project = slopes(x.project).ms;
  const floor = slopes(x.floor).ms;
  const productionRatio = x.production.wallMs / x.sdk.wallMs;
  const perAgent = at(project, largest);
  const linearity = perAgent / at(project, 100);
  const wallRatio = x.project[x.project.length - 1].wallMs / x.floor[x.floor.length - 1].wallMs;
  const perAgentRatio = perAgent / at(floor, largest);
  const render = x.project[x.project.length - 1].renderMs ?? {};
  return columns([
    ["  production plan / SDK load", f(productionRatio, 2), `<= ${TARGETS.productionOverSdk}`, mark(productionRatio <= TARGETS.productionOverSdk)],
    [`  ms per agent at ${largest}`, f(perAgent, 2), `<= ${TARGETS.msPerAgentAtLargest}`, mark(perAgent <= TARGETS.msPerAgentAtLargest)],
    [`  ms per agent at ${largest} / at 100`, f(linearity, 2), `<= ${TARGETS.linearity}`, mark(linearity <= TARGETS.linearity)],
    [`  project / floor at ${largest} (wall)`, f(wallRatio, 2), `<= ${TARGETS.projectOverFloor}`, mark(wallRatio <= TARGETS.projectOverFloor)],
    [`  project / floor at ${largest} (ms per agent)`, f(perAgentRatio, 2), `<= ${TARGETS.projectOverFloor}`, mark(perAgentRatio <= TARGETS.projectOverFloor)],
    ...Object.entries(render).map(([name, ms]) => [`  render ${name} at ${largest} agents (ms)`, f(ms), `< ${TARGETS.renderMs}`, mark(ms < TARGETS.renderMs)]),
  ]);
}

/** Promises per agent of each series, and each against the floor. */
function asyncWorkTable(x: Figures): string {
  const [smallest, largest] = [SIZES[0], SIZES[SIZES.length - 1]];
  const floor = x.promisesPerAgent.floor;
  const rows = (Object.entries(x.promisesPerAgent) as Array<[Series, number]>).map(([series, n]) => [`  ${series}`, f(n), f(n / floor, 2)]);
  return [
    `Async work per agent: promises created, slope from ${smallest} to ${largest} agents, counted once (the machine's load does not move it)`,
    columns([["", "promises/agent", "x floor"], ...rows]),
  ].join("\n");
}

/** Self time by layer of the project and the floor, and what the project adds in each. */
function selfTimeTable(x: Figures): string {
  const largest = SIZES[SIZES.length - 1];
  const total = (t: Record<Layer, number>) => LAYERS.reduce((sum, l) => sum + t[l], 0);
  const [project, floor] = [x.selfTime.project, x.selfTime.floor];
  const share = (t: Record<Layer, number>, l: Layer) => `${f((100 * t[l]) / total(t))}%`;
  const rows = LAYERS.map((l) => [`  ${l}`, f(project[l]), share(project, l), f(floor[l]), share(floor, l), f(project[l] - floor[l])]);
  rows.push(["  total", f(total(project)), "100%", f(total(floor)), "100%", f(total(project) - total(floor))]);
  return [
    `Self time by layer at ${largest} agents (one CPU-profiled run each; profiling slows a run, read the shares)`,
    columns([["", "project ms", "share", "floor ms", "share", "project - floor"], ...rows]),
  ].join("\n");
}

/** The evaluation report, from the figures of one run. */
function report(x: Figures): string {
  const out: string[] = [];
  out.push(`Offline plan under the mock runtime: Node ${process.versions.node}, ${cpus().length} CPUs, median of ${REPEATS} interleaved fresh processes per figure`);
  out.push(`Load average (1, 5, 15 min) before: ${x.loadBefore}; after: ${x.loadAfter}`, "");
  out.push(
    columns([
      ["", "resources", "wall ms", "x SDK load", "peak MiB"],
      ["load the SDKs (floor)", "0", f(x.sdk.wallMs), "1.00", f(x.sdk.maxRssKb / 1024)],
      ["plan production", String(x.production.resources), f(x.production.wallMs), f(x.production.wallMs / x.sdk.wallMs, 2), f(x.production.maxRssKb / 1024)],
    ]),
    "",
  );
  out.push("Synthetic stacks (agent i calls agent i+1): the project's program against the same-types floor program");
  out.push("(same resource types and counts, bare inputs) and the same-inputs replay (the project's plan registered");
  out.push("again with its recorded inputs as literals, no project code; wired: with the plan's Outputs and dependencies).");
  out.push("Per agent: slope from the previous size.");
  out.push(sizeTable(x), "");
  const largest = SIZES[SIZES.length - 1];
  const perAgent = (series: ProbeResult[]) => at(slopes(series).ms, largest);
  const wall = (series: ProbeResult[]) => series[series.length - 1].wallMs;
  out.push(
    `At ${largest} agents, ms per agent: project ${f(perAgent(x.project), 2)}, wired replay ${f(perAgent(x.wired), 2)}, replay ${f(perAgent(x.replay), 2)}, floor ${f(perAgent(x.floor), 2)}`,
    `  wall: project ${f(wall(x.project))}, wired replay ${f(wall(x.wired))}, replay ${f(wall(x.replay))}, floor ${f(wall(x.floor))} ms; ` +
      `project / wired ${f(wall(x.project) / wall(x.wired), 2)} (the project's components), wired / replay ${f(wall(x.wired) / wall(x.replay), 2)} (the SDK's wiring), replay / floor ${f(wall(x.replay) / wall(x.floor), 2)} (the content of the inputs)`,
    `What-if, lean Outputs (bench/leanOutputs.ts, used by no plan): the project at ${largest} agents ${f(x.leanOutputs.wallMs)} ms, ` +
      `${f(x.leanOutputs.wallMs / wall(x.project), 2)}x the project's time; with lean Outputs / floor ${f(x.leanOutputs.wallMs / wall(x.floor), 2)}`,
    "",
  );
  const fast = x.project[SIZES.indexOf(AB_SIZE)];
  const fastFloor = x.floor[SIZES.indexOf(AB_SIZE)];
  if (fast && fastFloor) {
    const slow = x.withBookkeeping;
    const slowFloor = x.floorWithBookkeeping;
    out.push(
      `Fast path at ${AB_SIZE} agents: ${f(fast.wallMs)} ms and ${f(fast.maxRssKb / 1024)} MiB peak; with the SDK's stack traces, ` +
        `source positions and version aliases ${f(slow.wallMs)} ms and ${f(slow.maxRssKb / 1024)} MiB ` +
        `(fast path: ${f(fast.wallMs / slow.wallMs, 2)}x the time, ${f(fast.maxRssKb / slow.maxRssKb, 2)}x the memory)`,
      `  project / floor at ${AB_SIZE} agents: ${f(fast.wallMs / fastFloor.wallMs, 2)} on the fast path, ${f(slow.wallMs / slowFloor.wallMs, 2)} with the SDK's bookkeeping ` +
        `(floor ${f(fastFloor.wallMs)} and ${f(slowFloor.wallMs)} ms)`,
      "",
    );
  }
  out.push(asyncWorkTable(x), "");
  out.push(selfTimeTable(x), "");
  out.push("Targets (issue 12)", targetTable(x), "");
  return `${out.join("\n")}\n`;
}

async function benchEvaluation(): Promise<void> {
  process.stdout.write(report(await measure()));
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
