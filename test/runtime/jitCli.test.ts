/**
 * The agent-jit command as a person or a pod runs it: a child process against the HTTPS ARM double,
 * with a stand-in `az` for DefaultAzureCredential's AzureCliCredential (AZURE_TOKEN_CREDENTIALS
 * limits the chain to it, so nothing reaches for a managed identity endpoint).
 */
import * as assert from "assert";
import type { ArmPimDouble } from "./armPimDouble";
import { CliResult, SCOPE, eventLines, fakeAzDir, removeDir, runCli, spawnCli, startDouble, waitFor } from "./jitFixture";

const REQUEST = ["request", "--scope", SCOPE, "--role", "Sensitive Data Reader", "--duration", "PT1H", "--justification", "Incident 42 needs the raw records."];

describe("the agent-jit command", () => {
  let arm: ArmPimDouble;
  let bin: string;
  before(() => (bin = fakeAzDir("logged-in")));
  after(() => removeDir(bin));
  beforeEach(async () => (arm = await startDouble()));
  afterEach(() => arm.stop());
  const run = (args: string[]) => runCli(arm, bin, args);

  describe("--help", () => {
    for (const args of [["--help"], ["-h"], ["help"], ["request", "--help"], ["request", "-h"], ["release", "--help"], ["release", "-h"]]) {
      it(`agent-jit ${args.join(" ")} prints usage on stdout and exits 0 without calling Azure`, async () => {
        const result = await run(args);
        assert.strictEqual(result.code, 0, result.stderr);
        assert.match(result.stdout, /^Usage/);
        if (args[0] === "request") assert.match(result.stdout, /--poll-interval .*at least 1s/);
        if (args[0] === "release") assert.match(result.stdout, /SelfDeactivate/);
        assert.deepStrictEqual(arm.log, []);
      });
    }
  });

  describe("usage errors exit 2", () => {
    const cases: Array<[string, string[], RegExp]> = [
      ["no command", [], /Missing command/],
      ["an unknown command", ["activate", "--scope", SCOPE], /Unknown command "activate"/],
      ["an unknown flag", [...REQUEST, "--approver", "me"], /ERR_JIT_USAGE: Unknown option '--approver'/],
      ["a stray argument", [...REQUEST, "now"], /ERR_JIT_USAGE: .*positional argument/],
      ["a missing value", ["request", "--scope"], /ERR_JIT_USAGE: Option '--scope <value>' argument missing/],
      ["a timeout that is not a duration", [...REQUEST, "--timeout", "soon"], /ERR_JIT_USAGE: --timeout "soon" is not a duration/],
      ["a timeout over 24 h", [...REQUEST, "--timeout", "25h"], /ERR_JIT_INVALID_OPTION: timeoutMs is 90000000 ms/],
      ["a poll interval under 1 s", [...REQUEST, "--poll-interval", "500"], /ERR_JIT_INVALID_OPTION: pollIntervalMs is 500 ms/],
      ["a poll interval with an unknown unit", [...REQUEST, "--poll-interval", "5d"], /ERR_JIT_USAGE: --poll-interval "5d"/],
      ["a blank justification", [...REQUEST.slice(0, -1), " "], /ERR_JIT_NO_JUSTIFICATION/],
      ["release without a role", ["release", "--scope", SCOPE], /Missing --role/],
    ];
    for (const [what, args, message] of cases) {
      it(`${what}: exit 2, the problem on stderr, nothing sent`, async () => {
        const result = await run(args);
        assert.strictEqual(result.code, 2, result.stderr);
        assert.match(result.stderr, message);
        assert.match(result.stderr, /ERR_JIT_USAGE|Missing command|Unknown command/.test(result.stderr) ? /Usage/ : /Fix: .*\nSee agent-jit (request|release) --help\./);
        assert.strictEqual(result.stdout, "");
        assert.deepStrictEqual(arm.log, []);
      });
    }
  });

  it("refuses a bad scope locally (exit 2, ERR_JIT_INVALID_SCOPE) for request and release: the double receives nothing", async () => {
    for (const scope of [`${SCOPE}/../other`, `${SCOPE}?x=1`, "/subscriptions/not-a-guid", `${SCOPE}%2F..`]) {
      const asked = await run(["request", "--scope", scope, "--role", "Sensitive Data Reader", "--duration", "PT1H", "--justification", "Incident 42."]);
      assert.strictEqual(asked.code, 2, asked.stderr);
      assert.match(asked.stderr, /^ERR_JIT_INVALID_SCOPE: Scope .* is not an ARM scope/m);
      assert.doesNotMatch(asked.stderr, /Requesting/, "refused before any progress");
      const released = await run(["release", "--scope", scope, "--role", "Sensitive Data Reader"]);
      assert.strictEqual(released.code, 2, released.stderr);
      assert.match(released.stderr, /ERR_JIT_INVALID_SCOPE/);
    }
    assert.deepStrictEqual(arm.log, []);
  });

  it("a credential failure is one line with the fix, not the SDK's stack of messages", async () => {
    const loggedOut = fakeAzDir("logged-out");
    try {
      for (const args of [REQUEST, ["release", "--scope", SCOPE, "--role", "Sensitive Data Reader"]]) {
        const result = await runCli(arm, loggedOut, args);
        assert.strictEqual(result.code, 1, result.stderr);
        const errorLines = result.stderr.split("\n").filter((l) => l.length > 0 && !l.startsWith("Requesting "));
        assert.deepStrictEqual(errorLines, ["ERR_JIT_NO_CREDENTIAL: no Azure credential: run in a pod with workload identity (label azure.workload.identity/use and an annotated ServiceAccount) or `az login`."]);
        assert.strictEqual(result.stdout, "");
      }
      assert.deepStrictEqual(arm.log, []);
    } finally {
      removeDir(loggedOut);
    }
  });

  it("writes one JSON event line per step on stderr, each parsing, none carrying the token", async () => {
    arm.activationStatuses = ["PendingApproval", "Provisioned"];
    const result = await run([...REQUEST, "--poll-interval", "1s"]);
    assert.strictEqual(result.code, 0, result.stderr);
    const events = eventLines(result.stderr).map((l) => JSON.parse(l));
    assert.deepStrictEqual(
      events.map((e) => e.event),
      ["jit.requested", "jit.provisioned"],
    );
    assert.strictEqual(events[0].justification, "Incident 42 needs the raw records.");
    assert.strictEqual(events[0].duration, "PT1H");
    assert.ok(!/eyJ|Bearer|accessToken/.test(result.stderr + result.stdout), "no token in the output");
  });

  describe("interrupted while waiting for approval", () => {
    /** Starts a request, waits until it waits for an approver, then sends `signal`. */
    async function interrupt(signal: NodeJS.Signals): Promise<CliResult> {
      arm.activationStatuses = ["PendingApproval"];
      const cli = spawnCli(arm, bin, [...REQUEST, "--poll-interval", "1s"]);
      await waitFor(cli.stderrSoFar, /PendingApproval: waiting for an approver/);
      cli.child.kill(signal);
      return cli.done;
    }
    const requestName = () => arm.requestsTo("PUT", "roleAssignmentScheduleRequests")[0].path.split("/").pop() as string;

    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      it(`${signal}: cancels the pending request, says so, and exits ${code}`, async () => {
        const result = await interrupt(signal);
        assert.strictEqual(result.code, code, result.stderr);
        assert.ok(arm.cancelled.has(requestName()), "the double cancelled the request");
        assert.match(result.stderr, new RegExp(`Interrupted \\(${signal}\\): cancelling the pending request`));
        assert.match(result.stderr, new RegExp(`^ERR_JIT_ABORTED: Stopped waiting for request .*${requestName()} \\(${signal}; last status PendingApproval\\)\\. The pending request .* was cancelled\\.$`, "m"));
        assert.deepStrictEqual(
          eventLines(result.stderr).map((l) => JSON.parse(l).event),
          ["jit.requested", "jit.cancelled"],
        );
        assert.strictEqual(result.stdout, "");
      });
    }

    it("a second SIGINT while the cancel is slow exits at once (130), printing the ARM call to cancel by hand", async () => {
      arm.activationStatuses = ["PendingApproval"];
      arm.delays.push({ method: "POST", pathIncludes: "/cancel", ms: 3000 });
      const cli = spawnCli(arm, bin, [...REQUEST, "--poll-interval", "1s"]);
      await waitFor(cli.stderrSoFar, /PendingApproval: waiting for an approver/);
      cli.child.kill("SIGINT");
      await waitFor(() => arm.held.join("\n"), /^POST .*\/cancel$/m);
      const started = Date.now();
      cli.child.kill("SIGINT");
      const result = await cli.done;
      assert.ok(Date.now() - started < 2500, "did not wait for the slow cancel");
      assert.strictEqual(result.code, 130, result.stderr);
      const name = requestName();
      assert.match(result.stderr, /Interrupted again \(SIGINT\): exiting without waiting for the cancel\./);
      assert.ok(result.stderr.includes(`cancel it by hand: POST ${arm.url}${SCOPE}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}/cancel?api-version=2020-10-01`), result.stderr);
      assert.doesNotMatch(result.stderr, /was cancelled/);
    });

    it("SIGTERM with the cancel refused: says NOT cancelled, with the request id and the az command to cancel by hand", async () => {
      arm.faults.push({ method: "POST", pathIncludes: "/cancel", status: 403, code: "AuthorizationFailed", times: 99 });
      const result = await interrupt("SIGTERM");
      assert.strictEqual(result.code, 143, result.stderr);
      assert.strictEqual(arm.cancelled.size, 0);
      const name = requestName();
      const line = result.stderr.split("\n").find((l) => l.startsWith("ERR_JIT_ABORTED:")) ?? "";
      assert.match(line, /was NOT cancelled \(.*403 AuthorizationFailed/);
      assert.ok(line.includes(`roleAssignmentScheduleRequests/${name}`), line);
      assert.ok(line.includes(`az rest --method post --url "${arm.url}${SCOPE}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}/cancel?api-version=2020-10-01"`), line);
      assert.doesNotMatch(result.stderr, /was cancelled/);
      assert.deepStrictEqual(
        eventLines(result.stderr).map((l) => JSON.parse(l).event),
        ["jit.requested", "jit.cancel-failed"],
      );
    });
  });
});
