/**
 * Where an evaluation's time goes, by layer: the self time of a V8 CPU profile (`node --cpu-prof`) of one
 * probe, summed per layer of the code each sample was in. It answers what the promise count cannot: how
 * much of the project's time over the floor is the program's own JavaScript, and how much the SDK, the
 * offline plan's code and the garbage collector spend on what the program hands them. Profiling slows a
 * run, so its figures are shares, not timings.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";

/** The layers self time is summed into, in report order. */
export const LAYERS = ["program code", "offline plan (plan/)", "@pulumi/pulumi", "provider SDKs", "garbage collection", "other (Node, loading, other dependencies)"] as const;

/** One of {@link LAYERS}. */
export type Layer = (typeof LAYERS)[number];

/** The parts of a `.cpuprofile` this module reads (V8's `Profiler.Profile`). */
export interface CpuProfile {
  /** Call-tree nodes, each with the function it stands for. */
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
  /** The node each sample was taken in. */
  samples: number[];
  /** Microseconds since the previous sample, per sample. */
  timeDeltas: number[];
}

// The program's own JavaScript: the project's (index, components, config, rules) or a bench program's.
const PROGRAM_PATHS = ["/bin/index.js", "/bin/components/", "/bin/config/", "/bin/rules/", "/bin/bench/floorProgram.js", "/bin/bench/replayProgram.js"];

/** The layer of a sampled function, from its script URL (compiled files under bin/) and name. */
export function layerOf(url: string, functionName: string): Layer {
  if (url === "") return functionName === "(garbage collector)" ? "garbage collection" : "other (Node, loading, other dependencies)";
  if (PROGRAM_PATHS.some((p) => url.includes(p))) return "program code";
  if (url.includes("/bin/plan/")) return "offline plan (plan/)";
  if (url.includes("/node_modules/@pulumi/pulumi/")) return "@pulumi/pulumi";
  if (url.includes("/node_modules/@pulumi/")) return "provider SDKs";
  return "other (Node, loading, other dependencies)";
}

/** Self time per layer, milliseconds. */
export function selfTimeByLayer(profile: CpuProfile): Record<Layer, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = Object.fromEntries(LAYERS.map((l) => [l, 0])) as Record<Layer, number>;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    if (frame) totals[layerOf(frame.url, frame.functionName)] += profile.timeDeltas[i] / 1000;
  });
  return totals;
}

/** Runs the probe with `args` once under the CPU profiler and returns its self time per layer. */
export function profileProbe(probeScript: string, args: string[]): Record<Layer, number> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-profile-"));
  try {
    const run = spawnSync(process.execPath, ["--max-old-space-size=6144", "--cpu-prof", `--cpu-prof-dir=${dir}`, probeScript, ...args], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`profiled probe ${args.join(" ")} failed:\n${run.stderr}`);
    const [file] = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error(`profiled probe ${args.join(" ")} wrote no profile`);
    return selfTimeByLayer(JSON.parse(readFileSync(path.join(dir, file), "utf8")) as CpuProfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
