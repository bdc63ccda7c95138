/**
 * One structured event per activation step (issue 13): typed objects to the caller's sink, by default
 * one JSON line each on stderr, carrying request id, scope, role, duration, justification and status,
 * never a token; a sink that fails changes nothing, least of all a cancel.
 */
import * as assert from "assert";
import {
  ActivationAbortedError,
  ActivationDeniedError,
  ActivationFailedError,
  JitClientOptions,
  JitEvent,
  jsonLineSink,
  releaseActivation,
  requestActivation,
  UnknownStatusError,
} from "@agent-identity/jit";
import { ArmPimDouble, staticCredential } from "./armPimDouble";
import { AGENT_OID, JUSTIFICATION, ROLE_GUID, SCOPE, useArmDouble } from "./jitFixture";

const ROLE_DEFINITION_ID = `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUID}`;

describe("@agent-identity/jit: structured events, one per activation step", () => {
  let arm: ArmPimDouble;
  let options: JitClientOptions;
  let events: JitEvent[];
  useArmDouble((a, o, e) => ((arm = a), (options = o), (events = e)));

  const ask = (overrides: Partial<Parameters<typeof requestActivation>[0]> = {}, opts: JitClientOptions = options) =>
    requestActivation({ scope: SCOPE, role: "Sensitive Data Reader", duration: "PT2H", justification: JUSTIFICATION, pollIntervalMs: 1000, maxPollIntervalMs: 1000, ...overrides }, opts);

  const abortOnPending = () => {
    const controller = new AbortController();
    return { signal: controller.signal, onStatus: (s: string) => s === "PendingApproval" && controller.abort("SIGTERM") };
  };

  /** The PUT's request id as the double answered it. */
  const putId = () => {
    const name = arm.requestsTo("PUT", "roleAssignmentScheduleRequests")[0].path.split("/").pop();
    return { name, id: `${SCOPE}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}` };
  };

  it("approved: jit.requested, jit.status for each new pending status, jit.provisioned with the expiry; each with request id, scope, role, duration, justification, status", async () => {
    arm.activationStatuses = ["PendingApproval", "PendingApproval", "Granted", "Provisioned"];
    const activation = await ask();
    assert.deepStrictEqual(
      events.map((e) => [e.event, e.status]),
      [
        ["jit.requested", "PendingApproval"],
        ["jit.status", "Granted"],
        ["jit.provisioned", "Provisioned"],
      ],
    );
    const { id, name } = putId();
    for (const event of events) {
      assert.strictEqual(event.requestId, id);
      assert.strictEqual(event.requestName, name);
      assert.strictEqual(event.scope, SCOPE);
      assert.strictEqual(event.role, "Sensitive Data Reader");
      assert.strictEqual(event.roleDefinitionId, ROLE_DEFINITION_ID);
      assert.strictEqual(event.principalId, AGENT_OID);
      assert.strictEqual(event.duration, "PT2H");
      assert.strictEqual(event.justification, JUSTIFICATION);
      assert.ok(!Number.isNaN(Date.parse(event.time)) && event.time.endsWith("Z"), event.time);
    }
    const status = events[1];
    assert.ok(status.event === "jit.status" && status.elapsedMs >= 1000, "elapsedMs since the request");
    const provisioned = events[2];
    assert.ok(provisioned.event === "jit.provisioned");
    assert.strictEqual(provisioned.activatedAt, activation.activatedAt.toISOString());
    assert.strictEqual(provisioned.expiresAt, activation.expiresAt.toISOString());
  });

  it("denied: jit.requested then jit.denied", async () => {
    arm.activationStatuses = ["PendingApproval", "Denied"];
    await assert.rejects(ask(), ActivationDeniedError);
    assert.deepStrictEqual(
      events.map((e) => [e.event, e.status]),
      [
        ["jit.requested", "PendingApproval"],
        ["jit.denied", "Denied"],
      ],
    );
  });

  it("aborted and cancelled: jit.requested then jit.cancelled (reason aborted, attempts)", async () => {
    arm.activationStatuses = ["PendingApproval"];
    await assert.rejects(ask(abortOnPending()), ActivationAbortedError);
    assert.deepStrictEqual(
      events.map((e) => e.event),
      ["jit.requested", "jit.cancelled"],
    );
    const cancelled = events[1];
    assert.ok(cancelled.event === "jit.cancelled");
    assert.strictEqual(cancelled.reason, "aborted");
    assert.strictEqual(cancelled.attempts, 1);
    assert.strictEqual(cancelled.status, "Canceled", "a cancelled request's status in the spec's enum");
  });

  it("aborted but the cancel refused: jit.cancel-failed with the failure and the manual ARM call, never jit.cancelled", async () => {
    arm.activationStatuses = ["PendingApproval"];
    arm.faults.push({ method: "POST", pathIncludes: "/cancel", status: 403, code: "AuthorizationFailed", times: 99 });
    await assert.rejects(ask(abortOnPending()), ActivationAbortedError);
    assert.deepStrictEqual(
      events.map((e) => e.event),
      ["jit.requested", "jit.cancel-failed"],
    );
    const failed = events[1];
    assert.ok(failed.event === "jit.cancel-failed");
    assert.strictEqual(failed.reason, "aborted");
    assert.match(failed.failure, /403 AuthorizationFailed/);
    assert.strictEqual(failed.manualCancel, `POST ${arm.url}${putId().id}/cancel?api-version=2020-10-01`);
    assert.strictEqual(failed.status, "PendingApproval");
  });

  it("timed out: jit.cancelled with reason timeout", async () => {
    arm.activationStatuses = ["PendingApproval"];
    await assert.rejects(ask({ timeoutMs: 1000 }));
    assert.deepStrictEqual(
      events.map((e) => [e.event, e.event === "jit.cancelled" ? e.reason : ""]),
      [
        ["jit.requested", ""],
        ["jit.cancelled", "timeout"],
      ],
    );
  });

  it("release: one jit.released with the SelfDeactivate request's id and status, and no duration", async () => {
    const release = await releaseActivation({ scope: SCOPE, role: "Sensitive Data Reader", justification: "Review done." }, options);
    assert.deepStrictEqual(
      events.map((e) => [e.event, e.status, e.requestId, e.justification, e.duration]),
      [["jit.released", "Revoked", release.requestId, "Review done.", undefined]],
    );
  });

  it("release refused by Azure (status Failed): one jit.failed, no jit.released", async () => {
    arm.deactivationStatuses = ["Failed"];
    await assert.rejects(releaseActivation({ scope: SCOPE, role: "Sensitive Data Reader" }, options), ActivationFailedError);
    assert.deepStrictEqual(
      events.map((e) => [e.event, e.status]),
      [["jit.failed", "Failed"]],
    );
  });

  it("an unknown status: jit.status with it, then the cancel's event", async () => {
    arm.activationStatuses = ["PendingApproval", "PendingQuantumReview"];
    await assert.rejects(ask(), UnknownStatusError);
    assert.deepStrictEqual(
      events.map((e) => [e.event, e.status]),
      [
        ["jit.requested", "PendingApproval"],
        ["jit.status", "PendingQuantumReview"],
        ["jit.cancelled", "Canceled"],
      ],
    );
  });

  it("the JSON line writer: one line per event, every line parses back to the event, and no line carries the token", async () => {
    arm.activationStatuses = ["PendingApproval", "Granted", "Provisioned"];
    let written = "";
    const sink = jsonLineSink({ write: (chunk: string) => (written += chunk) });
    await ask({}, { ...options, onEvent: (e) => (events.push(e), sink(e)) });
    const lines = written.split("\n");
    assert.strictEqual(lines.pop(), "", "every line ends with a newline");
    assert.strictEqual(lines.length, events.length);
    assert.deepStrictEqual(lines.map((l) => JSON.parse(l)), JSON.parse(JSON.stringify(events)));
    const token = (await staticCredential(AGENT_OID).getToken()).token;
    assert.ok(!written.includes(token) && !written.includes(token.split(".")[1]), "no token, nor its payload");
    assert.ok(!/Bearer|eyJ/.test(written));
  });

  it("without onEvent, the default writes one JSON line per event to stderr", async () => {
    arm.activationStatuses = ["PendingApproval", "Provisioned"];
    const { onEvent: _unused, ...defaults } = options;
    let captured = "";
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      captured += chunk.toString();
      return true;
    }) as typeof process.stderr.write;
    try {
      await ask({}, defaults);
    } finally {
      process.stderr.write = original;
    }
    const parsed = captured.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepStrictEqual(
      parsed.map((e) => e.event),
      ["jit.requested", "jit.provisioned"],
    );
    assert.strictEqual(parsed[0].requestId, putId().id);
  });

  describe("a sink that fails", () => {
    const throwing = () => {
      throw new Error("log pipeline down");
    };
    const rejecting = () => Promise.reject(new Error("log pipeline down"));

    let unhandled: unknown[];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    beforeEach(() => {
      unhandled = [];
      process.on("unhandledRejection", onUnhandled);
    });
    afterEach(() => process.off("unhandledRejection", onUnhandled));

    it("does not break an activation (throwing sink, throwing onStatus)", async () => {
      arm.activationStatuses = ["PendingApproval", "Provisioned"];
      const activation = await ask({ onStatus: throwing }, { ...options, onEvent: throwing });
      assert.strictEqual(activation.status, "Provisioned");
    });

    it("does not hide a cancel: an aborted request is still cancelled and the error says so", async () => {
      for (const onEvent of [throwing, rejecting]) {
        arm.activationStatuses = ["PendingApproval"];
        await assert.rejects(ask(abortOnPending(), { ...options, onEvent }), (err: unknown) => err instanceof ActivationAbortedError && err.cancel?.cancelled === true);
      }
      assert.strictEqual(arm.cancelled.size, 2, "both requests were cancelled");
      await new Promise((r) => setImmediate(r));
      assert.deepStrictEqual(unhandled, [], "a rejecting sink leaves no unhandled rejection");
    });

    it("does not hide a failed cancel either", async () => {
      arm.activationStatuses = ["PendingApproval"];
      arm.faults.push({ method: "POST", pathIncludes: "/cancel", status: 403, code: "AuthorizationFailed", times: 99 });
      await assert.rejects(ask(abortOnPending(), { ...options, onEvent: throwing }), (err: unknown) => err instanceof ActivationAbortedError && err.cancel?.cancelled === false && /NOT cancelled/.test(err.message));
    });
  });
});
