/**
 * `npm run plan -- --stack <name> [--format table|json|mermaid]`: evaluates the real program with
 * that stack's config under Pulumi's mock runtime (no CLI, no cloud) and prints the resource graph.
 * stdout carries only the rendered plan; diagnostics go to stderr; an invalid config exits 1.
 */
import { parseArgs } from "util";
import { planStack } from "../plan";
import { PlanFailedError } from "../plan/evaluate";
import { renderJson } from "../plan/render/json";
import { renderTable } from "../plan/render/table";
import { renderMermaid } from "../plan/render/mermaid";

const FORMATS = { table: renderTable, json: renderJson, mermaid: renderMermaid } as const;
type Format = keyof typeof FORMATS;

const USAGE =
  "Usage: npm run plan -- --stack <production|staging|...> [--format table|json|mermaid] [--project-dir <dir with Pulumi.yaml>] [--stack-traces]\n" +
  "  --stack-traces  evaluate with the SDK's stack traces and source positions (slower; the plan is the same)\n" +
  "                  and print where a program error was thrown";

async function main(): Promise<number> {
  let values: { stack?: string; format?: string; help?: boolean; "project-dir"?: string; "stack-traces"?: boolean };
  try {
    ({ values } = parseArgs({
      options: { stack: { type: "string", short: "s" }, format: { type: "string", short: "f", default: "table" }, help: { type: "boolean", short: "h" }, "project-dir": { type: "string" }, "stack-traces": { type: "boolean" } },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.stack) {
    process.stderr.write(`--stack is required.\n${USAGE}\n`);
    return 2;
  }
  const format = values.format as Format;
  if (!(format in FORMATS)) {
    process.stderr.write(`--format ${JSON.stringify(values.format)} is not supported. Fix: use table, json or mermaid.\n`);
    return 2;
  }

  // With mocks, the SDK's log calls write to stdout; keep stdout for the plan alone.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => process.stderr.write(chunk as string, ...(rest as []))) as typeof process.stdout.write;
  let output: string;
  try {
    const stackTraces = values["stack-traces"] === true;
    const plan = await planStack(values.stack, undefined, values["project-dir"], { sdkBookkeeping: stackTraces });
    output = FORMATS[format](plan);
  } catch (err) {
    const e = err as Error;
    process.stderr.write(`${e.message}\n`);
    if (e instanceof PlanFailedError) {
      if (values["stack-traces"]) {
        process.stderr.write(`${e.cause.stack ?? ""}\n`);
      } else if ((e.cause as { code?: unknown }).code === undefined) {
        // The project's own errors carry a code and say what to fix; anything else is a bug to locate.
        process.stderr.write("Re-run with --stack-traces to see where the program threw it.\n");
      }
    }
    return 1;
  } finally {
    process.stdout.write = write;
  }
  process.stdout.write(output);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
