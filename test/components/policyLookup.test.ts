import * as assert from "assert";
import { PolicyNotFoundError, lookUpPolicyName } from "../../components";
import { ArmPimDouble, staticCredential } from "../runtime/armPimDouble";

const SCOPE = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-customer-data";
const ROLE_GUID = "11791261-ab49-5393-8893-3354070c5430";

describe("role management policy lookup (deploy time)", () => {
  let arm: ArmPimDouble;
  beforeEach(async () => {
    arm = new ArmPimDouble();
    arm.maximumDurations.set(ROLE_GUID, "PT8H");
    await arm.start();
  });
  afterEach(() => arm.stop());

  const options = () => ({ endpoint: arm.url, credential: staticCredential("deployer"), clientOptions: { tlsOptions: { ca: arm.ca }, retryOptions: { maxRetries: 0 } } });

  it("finds the policy GUID of a role at a scope from Azure's policy assignments, so no GUID is typed into config", async () => {
    const name = await lookUpPolicyName(SCOPE, `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUID.toUpperCase()}`, options());
    assert.strictEqual(name, `policy-${ROLE_GUID}`);
    assert.strictEqual(arm.requestsTo("GET", "roleManagementPolicyAssignments")[0].query.get("api-version"), "2020-10-01");
  });

  it("says what to check when Azure has no policy for the role at the scope", async () => {
    await assert.rejects(lookUpPolicyName(SCOPE, "00000000-0000-0000-0000-000000000001", options()), (err: unknown) => err instanceof PolicyNotFoundError && /Fix: check that the scope exists/.test(err.message));
  });
});
