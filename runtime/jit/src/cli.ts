#!/usr/bin/env node
/**
 * agent-jit: the command line of the JIT client.
 *   agent-jit request --scope <scope> --role <role> --duration PT2H --justification "<why>" [--timeout 30m]
 *   agent-jit release --scope <scope> --role <role> [--justification "<why>"]
 * Progress goes to stderr; the result is one JSON document on stdout. Exit codes: 0 active/released,
 * 2 usage, 3 denied, 4 timed out or expired, 5 not eligible or duration refused, 1 anything else.
 */
import { parseArgs } from "util";
import { releaseActivation } from "./release";
import { requestActivation } from "./activate";
import { JitError } from "./errors";

const USAGE = `Usage:
  agent-jit --help
  agent-jit request --scope <scope> --role <role> --duration <PT2H> --justification <text> [--timeout <minutes>m]
  agent-jit release --scope <scope> --role <role> [--justification <text>]`;

const EXIT: Record<string, number> = {
  ERR_JIT_DENIED: 3,
  ERR_JIT_APPROVAL_TIMEOUT: 4,
  ERR_JIT_REQUEST_EXPIRED: 4,
  ERR_JIT_NO_ELIGIBILITY: 5,
  ERR_JIT_DURATION_EXCEEDS_POLICY: 5,
  ERR_JIT_INVALID_DURATION: 5,
};

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)(s|m|h)?$/.exec(value);
  if (!match) throw new JitError("ERR_JIT_USAGE", `--timeout ${JSON.stringify(value)} is not a duration. Fix: write e.g. 30m, 90s or 2h.`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? "m") as "s" | "m" | "h"];
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== "request" && command !== "release") {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { scope: { type: "string" }, role: { type: "string" }, duration: { type: "string" }, justification: { type: "string" }, timeout: { type: "string" }, "poll-interval": { type: "string" } },
      strict: true,
    }) as { values: Record<string, string | undefined> });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const missing = ["scope", "role", ...(command === "request" ? ["duration", "justification"] : [])].filter((k) => !values[k]);
  if (missing.length > 0) {
    process.stderr.write(`Missing ${missing.map((m) => `--${m}`).join(", ")}.\n${USAGE}\n`);
    return 2;
  }
  // Lets tests and operators point the client at another ARM endpoint (for example a local double).
  const options = { endpoint: process.env.AGENT_JIT_ARM_ENDPOINT, principalId: process.env.AGENT_JIT_PRINCIPAL_ID };
  try {
    if (command === "request") {
      process.stderr.write(`Requesting ${values.role} at ${values.scope} for ${values.duration}...\n`);
      const activation = await requestActivation(
        {
          scope: values.scope as string,
          role: values.role as string,
          duration: values.duration as string,
          justification: values.justification as string,
          timeoutMs: parseTimeout(values.timeout),
          pollIntervalMs: values["poll-interval"] ? Number(values["poll-interval"]) : undefined,
          onStatus: (status, elapsedMs) => process.stderr.write(`  [${(elapsedMs / 1000).toFixed(0)}s] ${status}${status.startsWith("Pending") ? ": waiting for an approver" : ""}\n`),
        },
        options,
      );
      process.stderr.write(`Active until ${activation.expiresAt.toISOString()}.\n`);
      process.stdout.write(`${JSON.stringify(activation)}\n`);
    } else {
      const release = await releaseActivation({ scope: values.scope as string, role: values.role as string, justification: values.justification }, options);
      process.stderr.write(`Released (${release.status}).\n`);
      process.stdout.write(`${JSON.stringify(release)}\n`);
    }
    return 0;
  } catch (err) {
    const e = err as JitError;
    process.stderr.write(`${e.code ?? "ERROR"}: ${e.message}\n`);
    return EXIT[e.code] ?? 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
