/**
 * `npm run -s plan -- --stack <name> [--format table|json|mermaid] [--project-dir <dir>] [--stack-outputs <stack>=<file>]`:
 * evaluates a project's program with one stack's config under Pulumi's mock runtime (no CLI, no cloud)
 * and prints the resource graph. stdout carries only the rendered plan; an expected failure (bad stack
 * config, unknown stack, malformed stack file) prints its message alone on stderr and exits 1; bad
 * arguments exit 2. Anything else is a bug and prints its stack trace.
 */
import { readFileSync } from "fs";
import { parseArgs } from "util";
import { planStack } from "../plan";
import { PlanFailedError } from "../plan/evaluate";
import { renderJson } from "../plan/render/json";
import { renderTable } from "../plan/render/table";
import { renderMermaid } from "../plan/render/mermaid";

const FORMATS = { table: renderTable, json: renderJson, mermaid: renderMermaid } as const;
type Format = keyof typeof FORMATS;

const USAGE = [
  "Usage: npm run -s plan -- --stack <name> [--format table|json|mermaid] [--project-dir <dir>] [--stack-outputs <org/project/stack>=<file.json>]... [--stack-traces]",
  "  --stack          the stack: Pulumi.<name>.yaml of the project",
  "  --format         table (default), json (one document) or mermaid",
  "  --project-dir    the Pulumi project to evaluate (default: this repository); its Pulumi.yaml's main is the program",
  "  --stack-outputs  outputs of a stack the program reads through a StackReference (JSON, e.g. pulumi stack output --json)",
  "  --stack-traces   evaluate with the SDK's stack traces and source positions (slower; the plan is the same)",
  "                   and print where a program error was thrown",
].join("\n");

/**
 * An expected failure is an error class of this project with a stable `ERR_*` code (bad config, unknown
 * stack, malformed stack file, ...): its message, which names the key and the fix, is the whole story.
 */
function isExpected(err: Error & { code?: unknown }): boolean {
  return typeof err.code === "string" && err.code.startsWith("ERR_");
}

class UsageError extends Error {
  readonly code = "ERR_USAGE";
}

/** The error the user should see: a failed plan carries the program's own error. */
function rootCause(err: unknown): Error & { code?: string } {
  const e = err instanceof PlanFailedError ? err.cause : err;
  return (e instanceof Error ? e : new Error(String(e))) as Error & { code?: string };
}

function readStackOutputs(specs: string[]): Record<string, Record<string, unknown>> {
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const cut = spec.indexOf("=");
    if (cut <= 0) {
      throw new UsageError(`--stack-outputs ${JSON.stringify(spec)} is not <org/project/stack>=<file.json>.`);
    }
    const file = spec.slice(cut + 1);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new UsageError(`--stack-outputs: cannot read ${file} as JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new UsageError(`--stack-outputs: ${file} must hold one JSON object of outputs (pulumi stack output --json).`);
    }
    outputs[spec.slice(0, cut)] = parsed as Record<string, unknown>;
  }
  return outputs;
}

async function main(): Promise<number> {
  let values: { stack?: string; format?: string; help?: boolean; "project-dir"?: string; "stack-outputs"?: string[]; "stack-traces"?: boolean };
  let stackReferences: Record<string, Record<string, unknown>> | undefined;
  try {
    ({ values } = parseArgs({
      options: {
        stack: { type: "string", short: "s" },
        format: { type: "string", short: "f", default: "table" },
        help: { type: "boolean", short: "h" },
        "project-dir": { type: "string" },
        "stack-outputs": { type: "string", multiple: true },
        "stack-traces": { type: "boolean" },
      },
      strict: true,
    }));
    stackReferences = values["stack-outputs"] ? readStackOutputs(values["stack-outputs"]) : undefined;
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
  const stackTraces = values["stack-traces"] === true;
  try {
    const plan = await planStack(values.stack, undefined, values["project-dir"], { stackReferences, sdkBookkeeping: stackTraces });
    output = FORMATS[format](plan);
  } catch (err) {
    const cause = rootCause(err);
    if (stackTraces) {
      process.stderr.write(`${cause.stack ?? cause.message}\n`);
    } else {
      process.stderr.write(`${cause.message}\n`);
      // The project's own errors carry a code and say what to fix; anything else is a bug to locate, and
      // without --stack-traces the evaluation records no stack.
      if (!isExpected(cause)) process.stderr.write("Re-run with --stack-traces to see where the program threw it.\n");
    }
    return 1;
  } finally {
    process.stdout.write = write;
  }
  process.stdout.write(output);
  return 0;
}

// `npm run -s plan -- ... | head`: the reader went away; that is not a failure of the plan.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  process.exit(process.exitCode ?? 0);
});

// A program whose promise never settles leaves Node with nothing to wait for: it would exit quietly,
// with status 0 and no plan. Say so and fail instead.
let finished = false;
// Rejections nobody handled while the program ran: when it never finishes, the first is the likely why.
const unhandled: unknown[] = [];
process.on("unhandledRejection", (reason) => {
  unhandled.push(reason);
  if (finished) {
    // After the plan, as Node would without this listener: report it and fail.
    process.stderr.write(`${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
    process.exitCode = 1;
  }
});
process.on("beforeExit", () => {
  if (finished) return;
  finished = true;
  process.stderr.write("The program never finished: it waits on a promise that nothing will settle (or a registration failed inside the SDK), so there is no plan.\n");
  if (unhandled.length > 0) {
    const first = unhandled[0];
    process.stderr.write(`The first error nobody handled: ${first instanceof Error ? first.message : String(first)}\n`);
  }
  process.stderr.write("Re-run with --stack-traces to see more.\n");
  process.exitCode = 1;
});

main().then(
  (code) => {
    finished = true;
    process.exitCode = code;
  },
  (err) => {
    finished = true;
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
