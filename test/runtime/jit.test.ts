import * as assert from "assert";
import {
  ActivationDeniedError,
  ApprovalTimeoutError,
  AzureRequestError,
  DurationExceedsPolicyError,
  InvalidDurationError,
  JitClientOptions,
  NoEligibilityError,
  RequestExpiredError,
  releaseActivation,
  requestActivation,
} from "@agent-identity/jit";
import { ArmPimDouble } from "./armPimDouble";
import { AGENT_OID, ROLE_GUID, SCOPE, fakeAzDir, removeDir, runCli, useArmDouble } from "./jitFixture";

describe("@agent-identity/jit against an ARM test double on 127.0.0.1", () => {
  let arm: ArmPimDouble;
  let options: JitClientOptions;
  useArmDouble((a, o) => ((arm = a), (options = o)));

  const ask = (overrides: Partial<Parameters<typeof requestActivation>[0]> = {}) =>
    requestActivation({ scope: SCOPE, role: "Sensitive Data Reader", duration: "PT2H", justification: "Review 4711 touches customer data pipelines.", pollIntervalMs: 1000, maxPollIntervalMs: 1000, ...overrides }, options);

  it("activates after approval: SelfActivate linked to the eligibility, then waits until Provisioned and returns the expiry", async () => {
    arm.activationStatuses = ["PendingApproval", "PendingApproval", "Granted", "Provisioned"];
    const seen: string[] = [];
    const activation = await ask({ onStatus: (s) => seen.push(s) });
    assert.deepStrictEqual(seen, ["PendingApproval", "Granted", "Provisioned"]);
    assert.strictEqual(activation.status, "Provisioned");
    assert.strictEqual(activation.expiresAt.getTime() - activation.activatedAt.getTime(), 2 * 3_600_000);
    assert.strictEqual(activation.activatedAt.toISOString(), "2026-11-28T12:00:00.000Z");

    const [put] = arm.requestsTo("PUT", "roleAssignmentScheduleRequests");
    assert.ok(put.authorization?.startsWith("Bearer "), "the SDK sends the caller's token");
    assert.strictEqual(put.query.get("api-version"), "2020-10-01");
    assert.deepStrictEqual(put.body.properties, {
      principalId: AGENT_OID,
      roleDefinitionId: `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUID}`,
      requestType: "SelfActivate",
      linkedRoleEligibilityScheduleId: `${SCOPE}/providers/Microsoft.Authorization/roleEligibilitySchedules/aaaaaaaa-11791261`,
      justification: "Review 4711 touches customer data pipelines.",
      scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT2H" } },
    });
    assert.match(put.path, /\/roleAssignmentScheduleRequests\/[0-9a-f-]{36}$/);
    assert.strictEqual(arm.requestsTo("GET", "roleEligibilitySchedules")[0].query.get("$filter"), "asTarget()");
  });

  it("accepts the role by GUID as well as by display name", async () => {
    const activation = await ask({ role: ROLE_GUID });
    assert.strictEqual(activation.roleDefinitionId, `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUID}`);
  });

  it("fails with ERR_JIT_DENIED when an approver denies", async () => {
    arm.activationStatuses = ["PendingApproval", "Denied"];
    await assert.rejects(ask(), (err: unknown) => err instanceof ActivationDeniedError && err.code === "ERR_JIT_DENIED" && /roleAssignmentScheduleRequests\//.test(err.requestId ?? ""));
  });

  it("gives up at its deadline with ERR_JIT_APPROVAL_TIMEOUT and cancels the pending request", async () => {
    arm.activationStatuses = ["PendingApproval"];
    await assert.rejects(ask({ timeoutMs: 2500 }), (err: unknown) => {
      assert.ok(err instanceof ApprovalTimeoutError);
      assert.strictEqual(err.lastStatus, "PendingApproval");
      assert.ok(err.waitedMs >= 2500, `waited ${err.waitedMs} ms`);
      assert.strictEqual(err.cancel?.cancelled, true);
      assert.match(err.message, /was cancelled\./);
      return true;
    });
    assert.strictEqual(arm.cancelled.size, 1, "the request was cancelled");
    assert.strictEqual(arm.requestsTo("GET", "roleAssignmentScheduleRequests").length, 2, "it polled at 1 s and 2 s, and not again when the pause ran to the 2.5 s deadline");
  });

  it("fails with ERR_JIT_REQUEST_EXPIRED when Azure expires the request", async () => {
    arm.activationStatuses = ["PendingApproval", "TimedOut"];
    await assert.rejects(ask(), (err: unknown) => err instanceof RequestExpiredError && err.code === "ERR_JIT_REQUEST_EXPIRED");
  });

  it("fails with ERR_JIT_NO_ELIGIBILITY, before requesting anything, when the agent is not eligible", async () => {
    await assert.rejects(ask({ role: "Storage Blob Data Owner" }), (err: unknown) => err instanceof NoEligibilityError && err.principalId === AGENT_OID);
    await assert.rejects(ask({ scope: `${SCOPE}-other` }), NoEligibilityError);
    assert.deepStrictEqual(arm.requestsTo("PUT", "roleAssignmentScheduleRequests"), []);
  });

  it("refuses a duration above the policy's maximum, before requesting anything", async () => {
    await assert.rejects(ask({ duration: "PT5H" }), (err: unknown) => err instanceof DurationExceedsPolicyError && err.maximum === "PT4H" && /at most PT4H/.test(err.message));
    assert.deepStrictEqual(arm.requestsTo("PUT", "roleAssignmentScheduleRequests"), []);
  });

  it("refuses a malformed or too short duration without calling Azure", async () => {
    for (const duration of ["2h", "PT1M", "P1D", "", "PT25H", "PT1441M"]) {
      await assert.rejects(ask({ duration }), InvalidDurationError);
    }
    assert.deepStrictEqual(arm.log, []);
  });

  it("retries server errors (503) through the SDK's retry policy and then succeeds", async () => {
    arm.faults.push({ method: "PUT", pathIncludes: "roleAssignmentScheduleRequests", status: 503, code: "ServiceUnavailable", times: 2 });
    const activation = await ask();
    assert.strictEqual(activation.status, "Provisioned");
    assert.strictEqual(arm.requestsTo("PUT", "roleAssignmentScheduleRequests").length, 3);
  });

  it("reports a persistent server error as ERR_JIT_AZURE with status, code and Azure's request id", async () => {
    arm.faults.push({ method: "GET", pathIncludes: "roleEligibilitySchedules", status: 500, code: "InternalServerError", times: 99 });
    await assert.rejects(ask(), (err: unknown) => {
      assert.ok(err instanceof AzureRequestError);
      assert.strictEqual(err.statusCode, 500);
      assert.strictEqual(err.azureCode, "InternalServerError");
      const lastAttempt = arm.requestsTo("GET", "roleEligibilitySchedules").pop();
      assert.strictEqual(err.requestId, lastAttempt?.requestId);
      assert.match(err.message, new RegExp(`request id ${lastAttempt?.requestId}`));
      return true;
    });
    assert.strictEqual(arm.requestsTo("GET", "roleEligibilitySchedules").length, 3, "one try and two retries");
  });

  it("does not retry an authorization failure (403)", async () => {
    arm.faults.push({ method: "GET", pathIncludes: "roleEligibilitySchedules", status: 403, code: "AuthorizationFailed", times: 99 });
    await assert.rejects(ask(), (err: unknown) => err instanceof AzureRequestError && err.statusCode === 403 && err.azureCode === "AuthorizationFailed");
    assert.strictEqual(arm.requestsTo("GET", "roleEligibilitySchedules").length, 1);
  });

  it("leaves the duration check to Azure when the agent may not read the policy (403), and still activates", async () => {
    arm.faults.push({ method: "GET", pathIncludes: "roleManagementPolicyAssignments", status: 403, code: "AuthorizationFailed", times: 99 });
    const activation = await ask();
    assert.strictEqual(activation.status, "Provisioned");
  });

  it("releases the role early with a SelfDeactivate request", async () => {
    const release = await releaseActivation({ scope: SCOPE, role: "Sensitive Data Reader" }, options);
    assert.strictEqual(release.status, "Revoked");
    const [put] = arm.requestsTo("PUT", "roleAssignmentScheduleRequests");
    assert.deepStrictEqual(put.body.properties, {
      principalId: AGENT_OID,
      roleDefinitionId: `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUID}`,
      requestType: "SelfDeactivate",
      justification: "Work finished",
    });
  });

  describe("the agent-jit command", () => {
    let bin: string;
    // A stand-in for the Azure CLI that DefaultAzureCredential's AzureCliCredential runs.
    before(() => (bin = fakeAzDir("logged-in")));
    after(() => removeDir(bin));
    const run = (args: string[]) => runCli(arm, bin, args);

    it("requests, shows progress while waiting for approval, and prints the activation as JSON", async () => {
      arm.activationStatuses = ["PendingApproval", "PendingApproval", "Provisioned"];
      const result = await run(["request", "--scope", SCOPE, "--role", "Sensitive Data Reader", "--duration", "PT1H", "--justification", "Incident 42 needs the raw records.", "--poll-interval", "1s"]);
      assert.strictEqual(result.code, 0, result.stderr);
      assert.match(result.stderr, /PendingApproval: waiting for an approver/);
      assert.match(result.stderr, /Active until 2026-11-28T13:00:00.000Z/);
      const activation = JSON.parse(result.stdout);
      assert.strictEqual(activation.status, "Provisioned");
      assert.strictEqual(arm.requestsTo("PUT", "roleAssignmentScheduleRequests")[0].body.properties.principalId, AGENT_OID, "the principal came from the CLI token's oid");
    });

    it("exits 3 when denied and 5 when the duration exceeds the policy, with the error on stderr", async () => {
      arm.activationStatuses = ["Denied"];
      const denied = await run(["request", "--scope", SCOPE, "--role", "Sensitive Data Reader", "--duration", "PT1H", "--justification", "Incident 42 needs the raw records."]);
      assert.strictEqual(denied.code, 3);
      assert.match(denied.stderr, /ERR_JIT_DENIED/);
      const tooLong = await run(["request", "--scope", SCOPE, "--role", "Sensitive Data Reader", "--duration", "PT6H", "--justification", "Incident 42 needs the raw records."]);
      assert.strictEqual(tooLong.code, 5);
      assert.match(tooLong.stderr, /ERR_JIT_DURATION_EXCEEDS_POLICY/);
      assert.strictEqual(tooLong.stdout, "");
    });

    it("exits 2 with usage on missing arguments", async () => {
      const result = await run(["request", "--scope", SCOPE]);
      assert.strictEqual(result.code, 2);
      assert.match(result.stderr, /Missing --role, --duration, --justification/);
    });
  });
});
