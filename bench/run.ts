/**
 * `npm run bench`: program evaluation under the mock runtime for 1, 10, 100 and 500 agents (wall time,
 * peak memory), each against the floor of loading the SDK modules alone, measured in the same run;
 * the marginal cost per agent; and the longest dependency chain of the production graph.
 * Each figure is the median of several fresh processes. Absolute times on shared machines are noisy:
 * read the ratios.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { planStack } from "../plan";
import { PlanGraph } from "../plan/graph";
import { columns } from "../plan/render/table";
import { benchAuth } from "./auth";

interface Sample {
  wallMs: number;
  maxRssKb: number;
  resources: number;
}

const PROBE = path.join(__dirname, "probe.js");
const SIZES = [1, 10, 100, 500];
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

function probe(...args: string[]): Sample {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [PROBE, ...args], { encoding: "utf8" });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) {
    throw new Error(`probe ${args.join(" ")} failed:\n${run.stderr}`);
  }
  const sample = JSON.parse(run.stdout.trim().split("\n").pop() as string) as Sample;
  // Whole-process time: what a user waits for, Node start-up included.
  return { ...sample, wallMs: processMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(...args: string[]): Sample {
  const samples = Array.from({ length: REPEATS }, () => probe(...args));
  return { wallMs: median(samples.map((s) => s.wallMs)), maxRssKb: median(samples.map((s) => s.maxRssKb)), resources: samples[0].resources };
}

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
  process.stdout.write(`Program evaluation under the mock runtime (Node ${process.versions.node}, median of ${REPEATS} fresh processes)\n\n`);
  // Interleave the floor with the sizes so drift on a shared machine hits both alike.
  const floors: Sample[] = [];
  const results = new Map<number, Sample>();
  for (const size of SIZES) {
    floors.push(measure("floor"));
    results.set(size, measure("agents", String(size)));
  }
  const floor: Sample = { wallMs: median(floors.map((f) => f.wallMs)), maxRssKb: median(floors.map((f) => f.maxRssKb)), resources: 0 };

  const rows = [["agents", "resources", "wall ms", "x floor", "peak MiB", "x floor"]];
  rows.push(["floor (load SDKs)", "0", floor.wallMs.toFixed(0), "1.00", (floor.maxRssKb / 1024).toFixed(0), "1.00"]);
  for (const size of SIZES) {
    const r = results.get(size) as Sample;
    rows.push([String(size), String(r.resources), r.wallMs.toFixed(0), (r.wallMs / floor.wallMs).toFixed(2), (r.maxRssKb / 1024).toFixed(0), (r.maxRssKb / floor.maxRssKb).toFixed(2)]);
  }
  process.stdout.write(`${columns(rows)}\n\n`);

  const small = results.get(SIZES[0]) as Sample;
  const large = results.get(SIZES[SIZES.length - 1]) as Sample;
  const span = SIZES[SIZES.length - 1] - SIZES[0];
  const msPerAgent = (large.wallMs - small.wallMs) / span;
  const kbPerAgent = (large.maxRssKb - small.maxRssKb) / span;
  process.stdout.write(
    `Marginal cost per agent (${SIZES[0]} -> ${SIZES[SIZES.length - 1]} agents): ${msPerAgent.toFixed(2)} ms (${((msPerAgent / floor.wallMs) * 100).toFixed(2)}% of the floor), ` +
      `${(kbPerAgent / 1024).toFixed(2)} MiB peak memory, ${((large.resources - small.resources) / span).toFixed(0)} resources\n\n`,
  );

  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  const production = await planStack("production");
  process.stdout.write = write;
  const chain = new PlanGraph(production.resources).longestDependencyChain();
  process.stdout.write(`Longest dependency chain of the production graph: ${chain.length} resources\n`);
  for (const urn of chain) {
    const r = production.resources.find((x) => x.urn === urn);
    process.stdout.write(`  ${r?.name} (${r?.type})\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});
