/**
 * Running checks and printing their findings: a table for people, JSON for CI, and the exit code
 * (0 all ok, 1 any problem or anything that could not be checked).
 */
import { CheckResult, unknown } from "./check";
import { describeError } from "./errors";

/** The outcome of a command. */
export interface Report {
  /** `preflight` or `doctor`. */
  command: string;
  /** Stack name. */
  stack: string;
  /** The identity DefaultAzureCredential signed in as. */
  signedInAs?: string;
  /** Every finding, in check order. */
  results: CheckResult[];
  /** Counts per status. */
  summary: { ok: number; problem: number; unknown: number };
}

/** A check: reads, never writes, and returns its findings. */
export type Check<C> = (ctx: C) => Promise<CheckResult | CheckResult[]>;

/** Runs checks concurrently; a check that throws becomes one `unknown` finding under its name. */
export async function runChecks<C>(ctx: C, checks: Array<[string, Check<C>]>): Promise<CheckResult[]> {
  const settled = await Promise.all(
    checks.map(async ([id, check]) => {
      try {
        const result = await check(ctx);
        return Array.isArray(result) ? result : [result];
      } catch (err) {
        return [unknown(id, `The check failed: ${describeError(err)}.`, "run again; if it persists, report it with this message.")];
      }
    }),
  );
  return settled.flat();
}

/** Builds the report with its summary. */
export function makeReport(command: string, stack: string, results: CheckResult[], signedInAs?: string): Report {
  const summary = { ok: 0, problem: 0, unknown: 0 };
  for (const r of results) {
    summary[r.status]++;
  }
  return { command, stack, ...(signedInAs ? { signedInAs } : {}), results, summary };
}

/** 0 when every finding is ok, 1 otherwise (a finding that could not be made is not a pass). */
export function exitCodeOf(report: Report): number {
  return report.summary.problem + report.summary.unknown === 0 ? 0 : 1;
}

const MARK = { ok: "ok     ", problem: "PROBLEM", unknown: "UNKNOWN" } as const;

/** The human-readable rendering. */
export function renderText(report: Report): string {
  const lines = [`${report.command} of stack ${report.stack}`];
  if (report.signedInAs) {
    lines.push(`Signed in with DefaultAzureCredential as ${report.signedInAs}`);
  }
  lines.push("");
  for (const r of report.results) {
    lines.push(`${MARK[r.status]}  ${r.id}${r.target ? ` [${r.target}]` : ""}: ${r.message}`);
    if (r.fix && r.status !== "ok") {
      lines.push(`         fix: ${r.fix}`);
    }
  }
  lines.push("", `${report.summary.ok} ok, ${report.summary.problem} problem(s), ${report.summary.unknown} could not be checked.`);
  return `${lines.join("\n")}\n`;
}

/** The JSON rendering (one document). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
