import * as assert from "assert";
import { PolicyNotFoundError, lookUpPolicyName } from "../../components";
import { ArmPimDouble, staticCredential } from "../runtime/armPimDouble";

const SCOPE = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-customer-data";
const ROLE_GUID = "11791261-ab49-5393-8893-3354070c5430";
const ROLE_ID = `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUID}`;

/** A clock that only moves when the lookup sleeps, and a record of the pauses it asked for. */
function fakeTime(onSleep: (call: number) => void = () => undefined) {
  let t = 0;
  const pauses: number[] = [];
  return {
    pauses,
    now: () => t,
    sleep: async (ms: number) => {
      pauses.push(ms);
      t += ms;
      onSleep(pauses.length);
    },
  };
}

describe("role management policy lookup (deploy time)", () => {
  let arm: ArmPimDouble;
  beforeEach(async () => {
    arm = new ArmPimDouble();
    await arm.start();
  });
  afterEach(() => arm.stop());

  const options = () => ({ endpoint: arm.url, credential: staticCredential("deployer"), clientOptions: { tlsOptions: { ca: arm.ca }, retryOptions: { maxRetries: 0 } } });

  it("finds the policy GUID of a role at a scope from Azure's policy assignments, so no GUID is typed into config", async () => {
    arm.maximumDurations.set(ROLE_GUID, "PT8H");
    const name = await lookUpPolicyName(SCOPE, `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUID.toUpperCase()}`, options());
    assert.strictEqual(name, `policy-${ROLE_GUID}`);
    assert.strictEqual(arm.requestsTo("GET", "roleManagementPolicyAssignments")[0].query.get("api-version"), "2020-10-01");
  });

  // DESIGN.md §6: a role definition created in the same deploy is listed in the scope's policy
  // assignments only after it has propagated; the lookup runs right after the role is created.
  it("waits with exponential backoff for a just-created role's policy to be listed, then returns it", async () => {
    const time = fakeTime((call) => call === 2 && arm.maximumDurations.set(ROLE_GUID, "PT8H"));
    const name = await lookUpPolicyName(SCOPE, ROLE_ID, { ...options(), ...time });
    assert.strictEqual(name, `policy-${ROLE_GUID}`);
    assert.strictEqual(arm.requestsTo("GET", "roleManagementPolicyAssignments").length, 3);
    assert.deepStrictEqual(time.pauses, [5_000, 10_000]);
  });

  it("gives up after the bounded wait with the time waited and the fix", async () => {
    const time = fakeTime();
    await assert.rejects(
      lookUpPolicyName(SCOPE, ROLE_ID, { ...options(), ...time, propagationTimeoutMs: 60_000 }),
      (err: unknown) => err instanceof PolicyNotFoundError && err.code === "ERR_PIM_POLICY_NOT_FOUND" && /after waiting 35 s/.test(err.message) && /Fix: run pulumi up again if the role was just created/.test(err.message),
    );
    assert.deepStrictEqual(time.pauses, [5_000, 10_000, 20_000], "5 + 10 + 20 s waited; the next 40 s pause would pass the 60 s bound");
    assert.strictEqual(arm.requestsTo("GET", "roleManagementPolicyAssignments").length, 4);
  });

  it("retries a server error from the listing, but fails at once on 403 without waiting", async () => {
    arm.maximumDurations.set(ROLE_GUID, "PT8H");
    arm.faults.push({ method: "GET", pathIncludes: "roleManagementPolicyAssignments", status: 503, code: "ServiceUnavailable", times: 1 });
    const time = fakeTime();
    assert.strictEqual(await lookUpPolicyName(SCOPE, ROLE_ID, { ...options(), ...time }), `policy-${ROLE_GUID}`);
    assert.deepStrictEqual(time.pauses, [5_000]);

    arm.faults.push({ method: "GET", pathIncludes: "roleManagementPolicyAssignments", status: 403, code: "AuthorizationFailed", times: 1 });
    const denied = fakeTime();
    await assert.rejects(lookUpPolicyName(SCOPE, ROLE_ID, { ...options(), ...denied }), (err: unknown) => (err as { statusCode?: number }).statusCode === 403);
    assert.deepStrictEqual(denied.pauses, []);
  });

  it("says what to check when Azure has no policy for the role at the scope", async () => {
    await assert.rejects(
      lookUpPolicyName(SCOPE, "00000000-0000-0000-0000-000000000001", { ...options(), propagationTimeoutMs: 0 }),
      (err: unknown) => err instanceof PolicyNotFoundError && /check that the scope exists/.test(err.message),
    );
  });
});
