/**
 * Shared setup of the @agent-identity/jit tests: the ARM PIM double with one eligibility, client
 * options that trust its certificate and collect events, and a runner of the agent-jit command as a
 * child process (with a stand-in `az` for DefaultAzureCredential's AzureCliCredential).
 */
import { ChildProcessWithoutNullStreams, spawn } from "child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import type { JitClientOptions, JitEvent } from "@agent-identity/jit";
import { ArmPimDouble, staticCredential } from "./armPimDouble";

export const SCOPE = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-customer-data";
export const ROLE_GUID = "11791261-ab49-5393-8893-3354070c5430";
export const AGENT_OID = "aaaaaaaa-1111-2222-3333-444444444444";
export const JUSTIFICATION = "Review 4711 touches customer data pipelines.";

/** A started double that knows the agent's eligibility for Sensitive Data Reader (policy maximum PT4H). */
export async function startDouble(): Promise<ArmPimDouble> {
  const arm = new ArmPimDouble();
  arm.eligibilities.push({ principalId: AGENT_OID, roleGuid: ROLE_GUID, roleName: "Sensitive Data Reader", scope: SCOPE });
  arm.maximumDurations.set(ROLE_GUID, "PT4H");
  await arm.start();
  return arm;
}

/** Client options pointed at the double (real SDK client, TLS verified against the test CA); events go to `events`. */
export function optionsFor(arm: ArmPimDouble, events: JitEvent[]): JitClientOptions {
  return {
    credential: staticCredential(AGENT_OID),
    endpoint: arm.url,
    clientOptions: { tlsOptions: { ca: arm.ca }, retryOptions: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 } },
    onEvent: (event) => {
      events.push(event);
    },
  };
}

/**
 * Registers hooks that start a fresh double (with the agent's eligibility) before each test and stop it
 * after, and hands the test file the double, client options pointed at it, and the events they record.
 */
export function useArmDouble(set: (arm: ArmPimDouble, options: JitClientOptions, events: JitEvent[]) => void): void {
  let current: ArmPimDouble | undefined;
  beforeEach(async () => {
    current = await startDouble();
    const events: JitEvent[] = [];
    set(current, optionsFor(current, events), events);
  });
  afterEach(() => current?.stop());
}

/** The outcome of one run of the command. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A directory holding a stand-in `az`: one that prints a token with the agent's oid, or one that is not logged in. */
export function fakeAzDir(mode: "logged-in" | "logged-out"): string {
  const bin = mkdtempSync(path.join(tmpdir(), "fake-az-"));
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const jwt = `${part({ alg: "RS256" })}.${part({ oid: AGENT_OID })}.sig`;
  const script =
    mode === "logged-in"
      ? `#!/bin/sh\necho '{"accessToken":"${jwt}","expires_on":${Math.floor(Date.now() / 1000) + 3600},"tokenType":"Bearer"}'\n`
      : // What the Azure CLI prints when nobody is logged in.
        `#!/bin/sh\necho "ERROR: Please run 'az login' to setup account." >&2\nexit 1\n`;
  writeFileSync(path.join(bin, "az"), script);
  chmodSync(path.join(bin, "az"), 0o755);
  return bin;
}

/** Removes a directory made by {@link fakeAzDir}. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Starts `agent-jit <args>` against the double; `done` resolves when it exits. */
export function spawnCli(arm: ArmPimDouble, bin: string, args: string[]): { child: ChildProcessWithoutNullStreams; done: Promise<CliResult>; stderrSoFar: () => string } {
  // The CLI as the package exposes it (its `bin`); `exports` keeps dist/ private.
  const cli = path.join(path.dirname(require.resolve("@agent-identity/jit/package.json")), require("@agent-identity/jit/package.json").bin["agent-jit"]);
  const caFile = path.join(bin, "ca.pem");
  writeFileSync(caFile, arm.ca);
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AGENT_JIT_ARM_ENDPOINT: arm.url, NODE_EXTRA_CA_CERTS: caFile },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, stderrSoFar: () => stderr };
}

/** Runs `agent-jit <args>` to its end. */
export function runCli(arm: ArmPimDouble, bin: string, args: string[]): Promise<CliResult> {
  return spawnCli(arm, bin, args).done;
}

/** Resolves once `read()` matches `pattern` (checked every 20 ms), or rejects after `ms`. */
export async function waitFor(read: () => string, pattern: RegExp, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pattern.test(read())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${pattern} in:\n${read()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The JSON event lines of some output (lines that start with {"event":). */
export function eventLines(output: string): string[] {
  return output.split("\n").filter((line) => line.startsWith('{"event":'));
}
