#!/usr/bin/env node
/**
 * agent-jit: the command line of the JIT client.
 *   agent-jit request --scope <scope> --role <role> --duration PT2H --justification "<why>" [--timeout 30m] [--poll-interval 5s]
 *   agent-jit release --scope <scope> --role <role> [--justification "<why>"]
 * Progress and one JSON event line per step go to stderr; the result is one JSON document on stdout.
 * Exit codes: 0 active/released (or --help), 1 anything else, 2 usage (bad flag, scope or option),
 * 3 denied, 4 timed out or expired, 5 not eligible or duration refused, 130/143 interrupted by
 * SIGINT/SIGTERM (the pending request is cancelled first).
 */
import { parseArgs } from "util";
import { releaseActivation } from "./release";
import { requestActivation } from "./activate";
import { ActivationAbortedError, JitError } from "./errors";
import { JitEvent, stderrJsonLines } from "./events";
import { cancelUrl } from "./lib/cancel";
import { checkScope } from "./lib/scope";
import { checkActivation, checkRole } from "./lib/validate";

const REQUEST_USAGE = `Usage: agent-jit request --scope <scope> --role <role> --duration <PT2H> --justification <text> [--timeout <30m>] [--poll-interval <5s>]

Requests activation of a PIM-eligible role and waits for approval.
  --scope           ARM scope: /subscriptions/<guid>[/resourceGroups/<name>[/providers/...]]
                    or /providers/Microsoft.Management/managementGroups/<id>
  --role            role display name, GUID or role definition id
  --duration        ISO 8601, PT5M to PT24H and at most the role's policy maximum
  --justification   why (shown to approvers, kept in the audit log)
  --timeout         how long to wait for approval: <n>s, <n>m (default unit) or <n>h; 1s to 24h; default 30m
  --poll-interval   first wait between status reads: <n>ms (default unit), <n>s or <n>m; at least 1s; default 5s
  -h, --help        show this help
On timeout, SIGINT or SIGTERM the pending request is cancelled; the error says whether it was.`;

const RELEASE_USAGE = `Usage: agent-jit release --scope <scope> --role <role> [--justification <text>]

Ends an active role early (SelfDeactivate).
  --scope           ARM scope of the activation
  --role            role display name, GUID or role definition id
  --justification   why (default "Work finished")
  -h, --help        show this help`;

const USAGE = `Usage:
  agent-jit request --scope <scope> --role <role> --duration <PT2H> --justification <text> [--timeout <minutes>m] [--poll-interval <5s>]
  agent-jit release --scope <scope> --role <role> [--justification <text>]
  agent-jit <command> --help`;

const EXIT: Record<string, number> = {
  ERR_JIT_USAGE: 2,
  ERR_JIT_INVALID_SCOPE: 2,
  ERR_JIT_INVALID_OPTION: 2,
  ERR_JIT_NO_JUSTIFICATION: 2,
  ERR_JIT_DENIED: 3,
  ERR_JIT_APPROVAL_TIMEOUT: 4,
  ERR_JIT_REQUEST_EXPIRED: 4,
  ERR_JIT_NO_ELIGIBILITY: 5,
  ERR_JIT_DURATION_EXCEEDS_POLICY: 5,
  ERR_JIT_INVALID_DURATION: 5,
};

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** Parses `<n><unit>` into ms; `units` maps each accepted unit to its ms, the first being the default. */
function parseTime(flag: string, value: string | undefined, units: Record<string, number>, defaultUnit: string, example: string): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)([a-z]*)$/.exec(value);
  const unit = match?.[2] || defaultUnit;
  if (!match || units[unit] === undefined) {
    throw new JitError("ERR_JIT_USAGE", `--${flag} ${JSON.stringify(value)} is not a duration. Fix: write e.g. ${example}.`);
  }
  return Number(match[1]) * units[unit];
}

/** One line for any failure: a JitError's code and message, or the first line of anything else. */
function errorLine(err: unknown): string {
  if (err instanceof JitError) return `${err.code}: ${err.message}`;
  return `ERROR: ${String((err as Error)?.message ?? err).split("\n")[0]}`;
}

function parse(args: string[], options: Record<string, { type: "string" | "boolean"; short?: string }>): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new JitError("ERR_JIT_USAGE", (err as Error).message.split("\n")[0]);
  }
}

function requireFlags(values: Record<string, unknown>, names: string[]): void {
  const missing = names.filter((k) => !values[k]);
  if (missing.length > 0) {
    throw new JitError("ERR_JIT_USAGE", `Missing ${missing.map((m) => `--${m}`).join(", ")}.`);
  }
}

/** Lets tests and operators point the client at another ARM endpoint (for example a local double). */
function clientOptions(onEvent?: (event: JitEvent) => void) {
  return { endpoint: process.env.AGENT_JIT_ARM_ENDPOINT, principalId: process.env.AGENT_JIT_PRINCIPAL_ID, onEvent };
}

async function request(args: string[]): Promise<number> {
  const values = parse(args, {
    scope: { type: "string" },
    role: { type: "string" },
    duration: { type: "string" },
    justification: { type: "string" },
    timeout: { type: "string" },
    "poll-interval": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(`${REQUEST_USAGE}\n`);
    return 0;
  }
  requireFlags(values, ["scope", "role", "duration", "justification"]);
  const activationRequest = {
    scope: values.scope as string,
    role: values.role as string,
    duration: values.duration as string,
    justification: values.justification as string,
    timeoutMs: parseTime("timeout", values.timeout as string | undefined, { s: 1000, m: 60_000, h: 3_600_000 }, "m", "30m, 90s or 2h"),
    pollIntervalMs: parseTime("poll-interval", values["poll-interval"] as string | undefined, { ms: 1, s: 1000, m: 60_000 }, "ms", "5s, 1500ms or 1m"),
  };
  // Everything local is checked before the first line of progress and before any call to Azure.
  checkActivation(activationRequest);

  const controller = new AbortController();
  let interruptedBy: string | undefined;
  let requested: JitEvent | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruptedBy) {
      // A second signal: leave now, and say what may still be pending.
      const hint = requested ? ` If it was not cancelled, cancel it by hand: POST ${cancelUrl(process.env.AGENT_JIT_ARM_ENDPOINT, requested.scope, requested.requestName)}` : "";
      process.stderr.write(`Interrupted again (${signal}): exiting without waiting for the cancel.${hint}\n`);
      process.exit(SIGNAL_EXIT[signal] ?? 1);
    }
    interruptedBy = signal;
    process.stderr.write(`Interrupted (${signal}): cancelling the pending request...\n`);
    controller.abort(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    process.stderr.write(`Requesting ${activationRequest.role} at ${activationRequest.scope} for ${activationRequest.duration}...\n`);
    const activation = await requestActivation(
      {
        ...activationRequest,
        signal: controller.signal,
        onStatus: (status, elapsedMs) => process.stderr.write(`  [${(elapsedMs / 1000).toFixed(0)}s] ${status}${status.startsWith("Pending") ? ": waiting for an approver" : ""}\n`),
      },
      clientOptions((event) => {
        if (event.event === "jit.requested") requested = event;
        stderrJsonLines(event);
      }),
    );
    process.stderr.write(`Active until ${activation.expiresAt.toISOString()}.\n`);
    process.stdout.write(`${JSON.stringify(activation)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ActivationAbortedError && interruptedBy) {
      process.stderr.write(`${errorLine(err)}\n`);
      return SIGNAL_EXIT[interruptedBy] ?? 1;
    }
    throw err;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

async function release(args: string[]): Promise<number> {
  const values = parse(args, { scope: { type: "string" }, role: { type: "string" }, justification: { type: "string" }, help: { type: "boolean", short: "h" } });
  if (values.help) {
    process.stdout.write(`${RELEASE_USAGE}\n`);
    return 0;
  }
  requireFlags(values, ["scope", "role"]);
  checkScope(values.scope);
  checkRole(values.role);
  const result = await releaseActivation({ scope: values.scope as string, role: values.role as string, justification: values.justification as string | undefined }, clientOptions());
  process.stderr.write(`Released (${result.status}).\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const run = command === "request" ? request : command === "release" ? release : undefined;
  if (!run) {
    process.stderr.write(`${command === undefined ? "Missing command." : `Unknown command ${JSON.stringify(command)}.`}\n${USAGE}\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (err) {
    process.stderr.write(`${errorLine(err)}\n`);
    const code = err instanceof JitError ? (EXIT[err.code] ?? 1) : 1;
    if (code === 2) {
      // A malformed command line gets the usage; a refused value already says its fix.
      process.stderr.write(err instanceof JitError && err.code === "ERR_JIT_USAGE" ? `${command === "request" ? REQUEST_USAGE : RELEASE_USAGE}\n` : `See agent-jit ${command} --help.\n`);
    }
    return code;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${errorLine(err)}\n`);
    process.exitCode = 1;
  },
);
