/**
 * Every way of ending the wait early ends like the deadline: the pending request is cancelled (with
 * retries), and the error says whether the cancel succeeded, never claiming one that did not happen.
 *
 * REST shapes (azure-rest-api-specs, specification/authorization/resource-manager/Microsoft.Authorization/
 * stable/2020-10-01/RoleAssignmentScheduleRequest.json): the cancel is operation
 * RoleAssignmentScheduleRequests_Cancel, `POST /{scope}/providers/Microsoft.Authorization/
 * roleAssignmentScheduleRequests/{roleAssignmentScheduleRequestName}/cancel?api-version=2020-10-01`,
 * answering 200 with no body (examples/CancelRoleAssignmentScheduleRequestByName.json); the request's
 * `status` is one of the `Status` enum (Accepted, PendingEvaluation, Granted, Denied, PendingProvisioning,
 * Provisioned, PendingRevocation, Revoked, Canceled, Failed, PendingApprovalProvisioning, PendingApproval,
 * FailedAsResourceIsLocked, PendingAdminDecision, AdminApproved, AdminDenied, TimedOut,
 * ProvisioningStarted, Invalid, PendingScheduleCreation, ScheduleCreated, PendingExternalProvisioning).
 */
import * as assert from "assert";
import {
  ActivationAbortedError,
  ActivationFailedError,
  ApprovalTimeoutError,
  AzureRequestError,
  JitClientOptions,
  JitEvent,
  StatusUnavailableError,
  UnknownStatusError,
  requestActivation,
} from "@agent-identity/jit";
import { ArmPimDouble } from "./armPimDouble";
import { JUSTIFICATION, SCOPE, useArmDouble } from "./jitFixture";

describe("@agent-identity/jit: ending the wait early cancels the pending request", () => {
  let arm: ArmPimDouble;
  let options: JitClientOptions;
  let events: JitEvent[];
  useArmDouble((a, o, e) => ((arm = a), (options = o), (events = e)));

  const ask = (overrides: Partial<Parameters<typeof requestActivation>[0]> = {}) =>
    requestActivation({ scope: SCOPE, role: "Sensitive Data Reader", duration: "PT2H", justification: JUSTIFICATION, pollIntervalMs: 1000, maxPollIntervalMs: 1000, ...overrides }, options);

  /** Aborts as soon as the request reports `status` (the request then exists in Azure). */
  function abortOn(status: string, reason: unknown = "operator stopped the agent") {
    const controller = new AbortController();
    return { signal: controller.signal, onStatus: (s: string) => s === status && controller.abort(reason) };
  }

  const requestName = () => arm.requestsTo("PUT", "roleAssignmentScheduleRequests")[0].path.split("/").pop() as string;
  const cancelCalls = () => arm.requestsTo("POST", "/cancel");

  it("an abort while approval is pending cancels the request with POST .../cancel (api-version 2020-10-01) and says so", async () => {
    arm.activationStatuses = ["PendingApproval"];
    await assert.rejects(ask(abortOn("PendingApproval")), (err: unknown) => {
      assert.ok(err instanceof ActivationAbortedError);
      assert.strictEqual(err.code, "ERR_JIT_ABORTED");
      assert.strictEqual(err.reason, "operator stopped the agent");
      assert.strictEqual(err.lastStatus, "PendingApproval");
      assert.strictEqual(err.cancel?.cancelled, true);
      assert.strictEqual(err.cancel?.attempts, 1);
      assert.match(err.requestId ?? "", new RegExp(`/roleAssignmentScheduleRequests/${requestName()}$`));
      assert.match(err.message, /operator stopped the agent/);
      assert.match(err.message, /was cancelled\./);
      return true;
    });
    const [cancel] = cancelCalls();
    assert.strictEqual(cancel.path, `${SCOPE}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${requestName()}/cancel`);
    assert.strictEqual(cancel.query.get("api-version"), "2020-10-01");
    assert.ok(arm.cancelled.has(requestName()));
  });

  it("an abort stops a long wait between polls at once instead of sleeping it out", async () => {
    arm.activationStatuses = ["PendingApproval"];
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(ask({ signal: controller.signal, pollIntervalMs: 20_000, maxPollIntervalMs: 20_000 }), (err: unknown) => err instanceof ActivationAbortedError && err.cancel?.cancelled === true);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms with a 20 s poll interval`);
    assert.strictEqual(arm.requestsTo("GET", "roleAssignmentScheduleRequests").length, 0, "no status read happened before the abort");
    assert.strictEqual(arm.cancelled.size, 1);
  });

  it("an abort before anything was requested sends nothing and claims no cancel", async () => {
    const controller = new AbortController();
    controller.abort("shutting down");
    await assert.rejects(ask({ signal: controller.signal }), (err: unknown) => {
      assert.ok(err instanceof ActivationAbortedError);
      assert.strictEqual(err.cancel, undefined);
      assert.strictEqual(err.requestId, undefined);
      assert.match(err.message, /nothing is pending/);
      assert.doesNotMatch(err.message, /cancelled/);
      return true;
    });
    assert.deepStrictEqual(arm.log, []);
  });

  it("an abort during the eligibility lookup stops the lookup and sends no activation request", async () => {
    arm.delays.push({ method: "GET", pathIncludes: "roleEligibilitySchedules", ms: 3000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort("SIGTERM"), 200);
    const started = Date.now();
    await assert.rejects(ask({ signal: controller.signal }), (err: unknown) => {
      assert.ok(err instanceof ActivationAbortedError, String(err));
      assert.strictEqual(err.cancel, undefined);
      assert.match(err.message, /Stopped before any activation was requested \(SIGTERM\); nothing is pending\./);
      return true;
    });
    assert.ok(Date.now() - started < 2000, "did not wait for the slow lookup");
    assert.deepStrictEqual(arm.requestsTo("PUT", "roleAssignmentScheduleRequests"), []);
  });

  it("when Azure refuses the cancel (403), the error says NOT cancelled and gives the request id, the ARM call and the az command", async () => {
    arm.activationStatuses = ["PendingApproval"];
    arm.faults.push({ method: "POST", pathIncludes: "/cancel", status: 403, code: "AuthorizationFailed", times: 99 });
    await assert.rejects(ask(abortOn("PendingApproval")), (err: unknown) => {
      assert.ok(err instanceof ActivationAbortedError);
      const name = requestName();
      const url = `${arm.url}${SCOPE}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}/cancel?api-version=2020-10-01`;
      assert.strictEqual(err.cancel?.cancelled, false);
      assert.strictEqual(err.cancel?.requestName, name);
      assert.strictEqual(err.cancel?.attempts, 1, "a 403 is not retried");
      assert.strictEqual(err.cancel?.statusAfter, "PendingApproval");
      assert.strictEqual(err.cancel?.manualCancel, `POST ${url}`);
      assert.strictEqual(err.cancel?.azCommand, `az rest --method post --url "${url}"`);
      assert.match(err.message, /was NOT cancelled/);
      assert.match(err.message, /AuthorizationFailed/);
      assert.ok(err.message.includes(`roleAssignmentScheduleRequests/${name}`), "the message names the request");
      assert.ok(err.message.includes(`az rest --method post --url "${url}"`), "the message gives the az command");
      assert.doesNotMatch(err.message, /was cancelled/);
      return true;
    });
    assert.strictEqual(arm.cancelled.size, 0, "the double never cancelled it");
  });

  it("a refused cancel of a request approved meanwhile says the role is ACTIVE and how to release it", async () => {
    arm.activationStatuses = ["PendingApproval", "Provisioned"];
    arm.faults.push({ method: "POST", pathIncludes: "/cancel", status: 400, code: "RoleAssignmentRequestCannotBeCancelled", times: 99 });
    await assert.rejects(ask(abortOn("PendingApproval")), (err: unknown) => {
      assert.ok(err instanceof ActivationAbortedError);
      assert.strictEqual(err.cancel?.cancelled, false);
      assert.strictEqual(err.cancel?.statusAfter, "Provisioned");
      assert.match(err.message, /was NOT cancelled .*the role is ACTIVE \(status Provisioned\)\. Release it: releaseActivation or `agent-jit release`/);
      return true;
    });
  });

  it("a refused cancel of a request decided meanwhile (Denied) says it is no longer pending, without claiming a cancel", async () => {
    arm.activationStatuses = ["PendingApproval", "Denied"];
    arm.faults.push({ method: "POST", pathIncludes: "/cancel", status: 400, code: "RoleAssignmentRequestCannotBeCancelled", times: 99 });
    await assert.rejects(ask(abortOn("PendingApproval")), (err: unknown) => {
      assert.ok(err instanceof ActivationAbortedError);
      assert.strictEqual(err.cancel?.cancelled, false);
      assert.match(err.message, /was not cancelled \(.*\), but it is no longer pending \(status Denied\)\./);
      assert.doesNotMatch(err.message, /was cancelled/);
      return true;
    });
  });

  it("a cancel whose answer was lost counts only once Azure reports the request Canceled", async () => {
    arm.activationStatuses = ["PendingApproval"];
    arm.faults.push({ method: "POST", pathIncludes: "/cancel", status: 500, code: "InternalServerError", times: 99, afterHandling: true });
    await assert.rejects(ask(abortOn("PendingApproval")), (err: unknown) => {
      assert.ok(err instanceof ActivationAbortedError);
      assert.strictEqual(err.cancel?.statusAfter, "Canceled");
      assert.strictEqual(err.cancel?.cancelled, true);
      assert.match(err.message, /was cancelled\./);
      return true;
    });
  });

  it("at the deadline, a refused cancel is reported as not cancelled, with the request id", async () => {
    arm.activationStatuses = ["PendingApproval"];
    arm.faults.push({ method: "POST", pathIncludes: "/cancel", status: 400, code: "RoleAssignmentRequestCannotBeCancelled", times: 99 });
    await assert.rejects(ask({ timeoutMs: 1000 }), (err: unknown) => {
      assert.ok(err instanceof ApprovalTimeoutError);
      assert.strictEqual(err.cancel?.cancelled, false);
      assert.match(err.message, /was NOT cancelled/);
      assert.ok(err.message.includes(requestName()));
      return true;
    });
    assert.strictEqual(arm.cancelled.size, 0);
  });

  it("retries a cancel that fails with server errors (three calls, each retried by the SDK), then reports the failure", async () => {
    arm.activationStatuses = ["PendingApproval"];
    arm.faults.push({ method: "POST", pathIncludes: "/cancel", status: 500, code: "InternalServerError", times: 99 });
    await assert.rejects(ask(abortOn("PendingApproval")), (err: unknown) => {
      assert.ok(err instanceof ActivationAbortedError);
      assert.strictEqual(err.cancel?.cancelled, false);
      assert.strictEqual(err.cancel?.attempts, 3);
      assert.match(err.message, /was NOT cancelled \(.*InternalServerError.*3 attempts/);
      return true;
    });
    assert.strictEqual(cancelCalls().length, 9, "3 attempts x (1 try + 2 SDK retries)");
  });

  it("a cancel that fails once and then succeeds counts as cancelled", async () => {
    arm.activationStatuses = ["PendingApproval"];
    arm.faults.push({ method: "POST", pathIncludes: "/cancel", status: 503, code: "ServiceUnavailable", times: 3 });
    await assert.rejects(ask(abortOn("PendingApproval")), (err: unknown) => err instanceof ActivationAbortedError && err.cancel?.cancelled === true && err.cancel.attempts === 2);
    assert.strictEqual(arm.cancelled.size, 1);
  });

  it("status reads that keep failing end the wait after three failed reads, and the request is cancelled", async () => {
    arm.activationStatuses = ["PendingApproval"];
    arm.faults.push({ method: "GET", pathIncludes: "roleAssignmentScheduleRequests/", status: 500, code: "InternalServerError", times: 9 });
    await assert.rejects(ask(), (err: unknown) => {
      assert.ok(err instanceof StatusUnavailableError);
      assert.strictEqual(err.code, "ERR_JIT_STATUS_UNAVAILABLE");
      assert.strictEqual(err.failures, 3);
      assert.strictEqual((err.lastError as { statusCode?: number }).statusCode, 500);
      assert.strictEqual(err.cancel?.cancelled, true);
      assert.match(err.message, /was cancelled\./);
      return true;
    });
    assert.strictEqual(arm.requestsTo("GET", "roleAssignmentScheduleRequests/").length, 9, "3 reads x (1 try + 2 SDK retries)");
    assert.strictEqual(arm.cancelled.size, 1);
  });

  it("a status read refused outright (403) ends the wait at once, and the request is cancelled", async () => {
    arm.activationStatuses = ["PendingApproval"];
    arm.faults.push({ method: "GET", pathIncludes: "roleAssignmentScheduleRequests/", status: 403, code: "AuthorizationFailed", times: 1 });
    await assert.rejects(ask(), (err: unknown) => err instanceof StatusUnavailableError && err.failures === 1 && err.cancel?.cancelled === true);
    assert.strictEqual(arm.cancelled.size, 1);
  });

  it("one failed status read does not end the wait: the next read goes on to the approval", async () => {
    arm.activationStatuses = ["PendingApproval", "Provisioned"];
    arm.faults.push({ method: "GET", pathIncludes: "roleAssignmentScheduleRequests/", status: 500, code: "InternalServerError", times: 3 });
    const activation = await ask();
    assert.strictEqual(activation.status, "Provisioned");
    assert.strictEqual(arm.cancelled.size, 0);
  });

  it("an unknown status is not guessed at: the request is cancelled and the error names the status", async () => {
    arm.activationStatuses = ["PendingApproval", "PendingQuantumReview"];
    await assert.rejects(ask(), (err: unknown) => {
      assert.ok(err instanceof UnknownStatusError);
      assert.strictEqual(err.code, "ERR_JIT_UNKNOWN_STATUS");
      assert.strictEqual(err.status, "PendingQuantumReview");
      assert.strictEqual(err.cancel?.cancelled, true);
      return true;
    });
    assert.strictEqual(arm.cancelled.size, 1);
  });

  describe("when the answer to the activation request itself is lost", () => {
    it("and nothing was created (read back: 404): ERR_JIT_AZURE saying nothing is pending, no cancel call", async () => {
      arm.faults.push({ method: "PUT", pathIncludes: "roleAssignmentScheduleRequests", status: 500, code: "InternalServerError", times: 3 });
      await assert.rejects(ask(), (err: unknown) => {
        assert.ok(err instanceof AzureRequestError);
        assert.strictEqual(err.code, "ERR_JIT_AZURE");
        assert.strictEqual(err.statusCode, 500);
        assert.match(err.message, /does not exist \(read back: 404\): nothing is pending\./);
        assert.strictEqual(err.cancel, undefined);
        return true;
      });
      assert.strictEqual(arm.requestsTo("GET", `roleAssignmentScheduleRequests/${requestName()}`).length, 1, "read back by name");
      assert.deepStrictEqual(cancelCalls(), []);
      assert.deepStrictEqual(events, []);
    });

    it("but the request was created: it is read back and waited for as usual", async () => {
      arm.activationStatuses = ["PendingApproval", "Provisioned"];
      arm.faults.push({ method: "PUT", pathIncludes: "roleAssignmentScheduleRequests", status: 503, code: "ServiceUnavailable", times: 3, afterHandling: true });
      const activation = await ask();
      assert.strictEqual(activation.status, "Provisioned");
      assert.strictEqual(activation.requestName, requestName());
      assert.deepStrictEqual(
        events.map((e) => e.event),
        ["jit.requested", "jit.provisioned"],
      );
    });

    it("and it cannot be read back either: the request is cancelled and the error says so", async () => {
      arm.activationStatuses = ["PendingApproval"];
      arm.faults.push({ method: "PUT", pathIncludes: "roleAssignmentScheduleRequests", status: 503, code: "ServiceUnavailable", times: 3, afterHandling: true });
      arm.faults.push({ method: "GET", pathIncludes: "roleAssignmentScheduleRequests/", status: 500, code: "InternalServerError", times: 3 });
      await assert.rejects(ask(), (err: unknown) => {
        assert.ok(err instanceof AzureRequestError);
        assert.strictEqual(err.cancel?.cancelled, true);
        assert.match(err.message, /Whether request .* was created is unknown\. The pending request .* was cancelled\./);
        return true;
      });
      assert.ok(arm.cancelled.has(requestName()));
      assert.deepStrictEqual(
        events.map((e) => [e.event, e.event === "jit.cancelled" ? e.reason : ""]),
        [["jit.cancelled", "unconfirmed"]],
      );
    });

    it("a refused activation request (403) is not read back or cancelled", async () => {
      arm.faults.push({ method: "PUT", pathIncludes: "roleAssignmentScheduleRequests", status: 403, code: "AuthorizationFailed", times: 1 });
      await assert.rejects(ask(), (err: unknown) => err instanceof AzureRequestError && err.statusCode === 403 && err.cancel === undefined);
      assert.deepStrictEqual(arm.requestsTo("GET", "roleAssignmentScheduleRequests"), []);
      assert.deepStrictEqual(cancelCalls(), []);
    });
  });

  it("statuses of the spec's enum that end a request (Failed, Canceled, Revoked, Invalid) fail without a cancel call", async () => {
    for (const status of ["Failed", "Canceled", "Revoked", "Invalid", "FailedAsResourceIsLocked"]) {
      arm.activationStatuses = [status];
      await assert.rejects(ask(), (err: unknown) => err instanceof ActivationFailedError && err.status === status);
    }
    assert.deepStrictEqual(cancelCalls(), []);
  });

  it("the pending statuses of the spec's enum keep it waiting (no cancel), up to the approval", async () => {
    arm.activationStatuses = ["Accepted", "PendingAdminDecision", "AdminApproved", "ScheduleCreated"];
    const seen: string[] = [];
    const activation = await ask({ onStatus: (s) => seen.push(s) });
    assert.deepStrictEqual(seen, arm.activationStatuses);
    assert.strictEqual(activation.status, "ScheduleCreated");
    assert.deepStrictEqual(cancelCalls(), []);
  });
});
