import * as assert from "assert";
import { CustomRole, JitAccess, PimApprover, jitPolicyRules } from "../../components";
import { PlanFailedError } from "../../plan/evaluate";
import { TYPES, evaluate, isArgsError, ofType, one } from "../helpers";

const SCOPE = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/customer-data";
const APPROVERS: PimApprover[] = [{ objectId: "4b8e2f6a-1c3d-4e5f-8a9b-0c1d2e3f4a5b", type: "Group", description: "Data stewards" }];
const POLICY = "azure-native:authorization:RoleManagementPolicy";
const ELIGIBILITY = "azure-native:authorization:PimRoleEligibilitySchedule";
const START = "2026-12-01T00:00:00Z";

function jitProgram(maximumActivationDuration?: string) {
  return () => {
    const role = new CustomRole("reader", { roleName: "Sensitive Data Reader", dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], assignableScopes: [SCOPE] });
    return new JitAccess("jit", {
      scope: SCOPE,
      roleDefinitionId: role.roleDefinitionId,
      roleName: "Sensitive Data Reader",
      maximumActivationDuration,
      approvers: APPROVERS,
      notificationEmails: ["secops@fabrikam.com"],
      eligibilityStart: START,
      eligible: [
        { name: "scanner", principalId: "11111111-1111-1111-1111-111111111111", justification: "Scans customer data for secrets." },
        { name: "auditor", principalId: "22222222-2222-2222-2222-222222222222", justification: "Audits customer data access." },
      ],
    });
  };
}

describe("JitAccess", () => {
  it("makes each principal eligible (never active) for the role at the scope, from a fixed start for a fixed duration (nothing computed at run time)", async () => {
    const plan = await evaluate(jitProgram("PT2H"));
    const eligibilities = ofType(plan, ELIGIBILITY);
    assert.deepStrictEqual(eligibilities.map((e) => e.inputs.principalId).sort(), ["11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"]);
    const roleId = one(plan, "azure-native:authorization:RoleDefinition", "reader-definition");
    for (const e of eligibilities) {
      assert.strictEqual(e.inputs.scope, SCOPE);
      assert.match(String(e.inputs.roleDefinitionId), /\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/);
      assert.deepStrictEqual(e.inputs.scheduleInfo, { expiration: { duration: "P365D", type: "AfterDuration" }, startDateTime: START });
      assert.strictEqual(e.options?.deleteBeforeReplace, true, "the old eligibility (same scope, principal, role) must go before the new one is written");
      assert.ok(e.dependsOn.includes(roleId.urn), "the eligibility waits for the custom role");
      assert.ok(e.dependsOn.includes(one(plan, POLICY, "jit-policy").urn), "the eligibility waits for the approval policy");
    }
    assert.deepStrictEqual(ofType(plan, TYPES.roleAssignment), [], "no standing assignment");
  });

  it("patches the role's policy, found by lookup, to require approval, justification and a capped activation", async () => {
    const plan = await evaluate(jitProgram("PT2H"));
    const policy = one(plan, POLICY, "jit-policy");
    assert.match(String(policy.inputs.roleManagementPolicyName), /^<policyLookup\([0-9a-f-]{36} at \/subscriptions\/.+\/resourceGroups\/customer-data\)\.name>$/);
    assert.ok(policy.dependsOn.includes(one(plan, "azure-native:authorization:RoleDefinition", "reader-definition").urn), "the lookup waits for the custom role");
    const rules = policy.inputs.rules as any[];
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    assert.strictEqual(byId.Expiration_EndUser_Assignment.maximumDuration, "PT2H");
    assert.strictEqual(byId.Expiration_EndUser_Assignment.isExpirationRequired, true);
    assert.deepStrictEqual(byId.Enablement_EndUser_Assignment.enabledRules, ["Justification"]);
    assert.strictEqual(byId.Approval_EndUser_Assignment.setting.isApprovalRequired, true);
    assert.deepStrictEqual(byId.Approval_EndUser_Assignment.setting.approvalStages[0].primaryApprovers, [{ description: "Data stewards", id: APPROVERS[0].objectId, isBackup: false, userType: "Group" }]);
    assert.strictEqual(byId.AuthenticationContext_EndUser_Assignment.isEnabled, false);
    assert.deepStrictEqual(byId.Notification_Admin_EndUser_Assignment.notificationRecipients, ["secops@fabrikam.com"]);
    for (const r of rules) {
      assert.ok(!JSON.stringify(r).includes("MultiFactorAuthentication"), `${r.id} asks for MFA, which a workload cannot give`);
    }
  });

  it("defaults the activation cap to one hour", async () => {
    const plan = await evaluate(jitProgram());
    const rules = one(plan, POLICY, "jit-policy").inputs.rules as any[];
    assert.strictEqual(rules.find((r) => r.id === "Expiration_EndUser_Assignment").maximumDuration, "PT1H");
  });

  for (const bad of ["PT5H", "PT59M", "P1D", "four hours"]) {
    it(`refuses an activation cap of ${bad} before registering anything`, async () => {
      await assert.rejects(evaluate(() => jitProgram(bad)()), (err: unknown) => isArgsError(err, "JitAccess", "maximumActivationDuration", { othersRegistered: true }) && /outside PT1H-PT4H/.test((err as PlanFailedError).cause.message));
    });
  }

  it("writes every rule with its rule type and the activation target", () => {
    const rules = jitPolicyRules({ maximumActivationDuration: "PT4H", approvers: APPROVERS, approvalTimeoutDays: 1, notificationEmails: [], maximumEligibilityDuration: "P180D" });
    for (const rule of rules.filter((r) => r.id.endsWith("EndUser_Assignment"))) {
      assert.deepStrictEqual(rule.target, { caller: "EndUser", operations: ["All"], level: "Assignment" }, rule.id);
      assert.match(rule.ruleType, /^RoleManagementPolicy(Expiration|Enablement|Approval|AuthenticationContext|Notification)Rule$/);
    }
    assert.deepStrictEqual(rules.find((r) => r.id === "Expiration_Admin_Eligibility"), {
      id: "Expiration_Admin_Eligibility",
      ruleType: "RoleManagementPolicyExpirationRule",
      isExpirationRequired: true,
      maximumDuration: "P180D",
      target: { caller: "Admin", operations: ["All"], level: "Eligibility" },
    });
  });
});
