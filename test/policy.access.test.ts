import * as assert from "assert";
import { UNKNOWN, resourceViolations, runStackPolicy, stackViolations } from "./lib/policyHarness";
import { PACK_PRIVILEGED_ROLES } from "../policy/rules/access";

// Role GUIDs: Microsoft Learn "Azure built-in roles" (page date 2026-04-09), vendored in /work/shared/data/azure-built-in-roles.tsv.
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
const RBAC_ADMIN = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
const BLOB_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
const BLOB_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
const SUB = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13";
const SCOPE = `${SUB}/resourceGroups/fabrikam-customer-data`;
const roleId = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const APPROVER = "0a1b2c3d-0000-4000-8000-000000000001";

const standing = (guid: string, type = "azure-native:authorization:RoleAssignment", name = "standing") => ({ type, name, props: { roleDefinitionId: roleId(guid), scope: SCOPE, principalId: "p" } });
const noStanding = (resources: Parameters<typeof stackViolations>[1], config: Record<string, unknown> = {}) => stackViolations("no-standing-sensitive-role", resources, config);

describe("policy no-standing-sensitive-role: privileged roles with no pack config", () => {
  it("has the control-plane and data-owner built-ins in its list", () => {
    const guids = PACK_PRIVILEGED_ROLES.map((r) => r.guid);
    for (const guid of [OWNER, CONTRIBUTOR, UAA, RBAC_ADMIN, BLOB_OWNER]) {
      assert.ok(guids.includes(guid), guid);
    }
  });

  it("refuses a standing Owner, Contributor, User Access Administrator, RBAC Administrator or data owner with no config at all, and accepts Storage Blob Data Reader", async () => {
    for (const guid of [OWNER, CONTRIBUTOR, UAA, RBAC_ADMIN, BLOB_OWNER, OWNER.toUpperCase()]) {
      const found = await noStanding([standing(guid)]);
      assert.strictEqual(found.length, 1, guid);
      assert.match(found[0], /privileged role/);
    }
    assert.deepStrictEqual(await noStanding([standing(BLOB_READER)]), []);
  });

  it("matches type tokens with or without an API-version segment, and the classic azure provider's assignment (by id or by name)", async () => {
    for (const type of ["azure-native:authorization/v20220401:RoleAssignment", "azure-native:authorization/v20200801preview:RoleAssignment", "azure:authorization/assignment:Assignment"]) {
      assert.strictEqual((await noStanding([standing(OWNER, type)])).length, 1, type);
    }
    assert.strictEqual((await noStanding([{ type: "azure:authorization/assignment:Assignment", name: "classic", props: { roleDefinitionName: "Owner", scope: SCOPE } }])).length, 1);
    const eligibility = { type: "azure-native:authorization/v20201001:PimRoleEligibilitySchedule", props: { roleDefinitionId: roleId(BLOB_READER), scope: SCOPE } };
    assert.strictEqual((await noStanding([eligibility, standing(BLOB_READER, "azure-native:authorization/v20220401:RoleAssignment")])).length, 1);
  });

  it("merges the stack's own sensitive roles from the pack config (GUIDs or role ids, any case)", async () => {
    assert.strictEqual((await noStanding([standing(BLOB_READER)], { sensitiveRoleIds: [BLOB_READER.toUpperCase()] })).length, 1);
    assert.strictEqual((await noStanding([standing(BLOB_READER)], { sensitiveRoleIds: [roleId(BLOB_READER)] })).length, 1);
  });

  it("accepts a privileged role allowed for that role and scope with a reason, and nowhere else", async () => {
    const allow = { allowedPrivilegedAssignments: [{ roleId: CONTRIBUTOR, scope: SCOPE.toUpperCase(), reason: "the janitor agent deletes stale preview environments" }] };
    assert.deepStrictEqual(await noStanding([standing(CONTRIBUTOR)], allow), []);
    assert.strictEqual((await noStanding([{ ...standing(CONTRIBUTOR), props: { roleDefinitionId: roleId(CONTRIBUTOR), scope: SUB } }], allow)).length, 1, "another scope");
    assert.strictEqual((await noStanding([standing(OWNER)], allow)).length, 1, "another role");
    const noReason = { allowedPrivilegedAssignments: [{ roleId: CONTRIBUTOR, scope: SCOPE, reason: "" }] };
    assert.strictEqual((await noStanding([standing(CONTRIBUTOR)], noReason)).length, 1, "no reason");
  });

  it("does not let an allowance cover a privileged role that is also behind PIM in the stack", async () => {
    const eligibility = { type: "azure-native:authorization:PimRoleEligibilitySchedule", props: { roleDefinitionId: roleId(CONTRIBUTOR), scope: SCOPE } };
    const allow = { allowedPrivilegedAssignments: [{ roleId: CONTRIBUTOR, scope: SCOPE, reason: "the janitor agent deletes stale preview environments" }] };
    assert.strictEqual((await noStanding([eligibility, standing(CONTRIBUTOR)], allow)).length, 1);
  });
});

describe("unknown values during preview (no-standing-sensitive-role)", () => {
  const definition = { type: "azure-native:authorization:RoleDefinition", name: "role-def", props: { roleDefinitionId: "11791261-ab49-5393-8893-3354070c5430", scope: SCOPE, roleName: "Sensitive Data Reader" } };

  it("knows a custom role's id during preview from its RoleDefinition's deterministic GUID, and refuses a standing assignment of it", async () => {
    const eligibility = { type: "azure-native:authorization:PimRoleEligibilitySchedule", name: "elig", props: { roleDefinitionId: UNKNOWN, scope: SCOPE }, propertyDependencies: { roleDefinitionId: ["role-def"] } };
    const sneaky = { type: "azure-native:authorization:RoleAssignment", name: "sneaky", props: { roleDefinitionId: UNKNOWN, scope: SCOPE }, propertyDependencies: { roleDefinitionId: ["role-def"] } };
    const out = await runStackPolicy("no-standing-sensitive-role", [definition, eligibility, sneaky]);
    assert.deepStrictEqual(out.advisories, []);
    assert.deepStrictEqual(out.violations, ["RoleAssignment sneaky gives standing access to sensitive role 11791261-ab49-5393-8893-3354070c5430; make the principal eligible through PIM instead."]);
  });

  it("marks only the assignment whose role no one can know yet as unknown, and still refuses a known Owner", async () => {
    const unknown = { type: "azure-native:authorization:RoleAssignment", name: "mystery", props: { roleDefinitionId: UNKNOWN, scope: SCOPE } };
    const out = await runStackPolicy("no-standing-sensitive-role", [unknown, standing(OWNER, undefined, "owner"), standing(BLOB_READER, undefined, "reader")]);
    assert.strictEqual(out.violations.length, 1);
    assert.match(out.violations[0], /owner gives standing access/);
    assert.strictEqual(out.advisories.length, 1);
    assert.match(out.advisories[0], /RoleAssignment mystery/);
    assert.doesNotMatch(out.advisories[0], /reader/);
  });
});

const pimPolicy = (rules: unknown[]) => ({ scope: SCOPE, rules });
const approval = (approvers: unknown[], required = true) => ({ id: "Approval_EndUser_Assignment", setting: { isApprovalRequired: required, approvalStages: [{ primaryApprovers: approvers }] } });
const expiration = (max = "PT4H") => ({ id: "Expiration_EndUser_Assignment", isExpirationRequired: true, maximumDuration: max });
const RMP = "azure-native:authorization:RoleManagementPolicy";

describe("policy pim-approval-and-cap: approvers have ids, rule ids are unique", () => {
  it("accepts an approver with an object id", async () => {
    assert.deepStrictEqual(await resourceViolations("pim-approval-and-cap", RMP, pimPolicy([approval([{ id: APPROVER, userType: "Group" }]), expiration()])), []);
  });

  it("does not count an approver without an id (missing, empty or blank) as an approver", async () => {
    for (const approver of [{ userType: "Group" }, { id: "", userType: "Group" }, { id: "   ", userType: "User" }, { id: null }]) {
      assert.match((await resourceViolations("pim-approval-and-cap", RMP, pimPolicy([approval([approver]), expiration()])))[0], /at least one approver with an object id/, JSON.stringify(approver));
    }
  });

  it("refuses a stage without approvers even when another stage has some", async () => {
    const twoStages = { id: "Approval_EndUser_Assignment", setting: { isApprovalRequired: true, approvalStages: [{ primaryApprovers: [{ id: APPROVER }] }, { primaryApprovers: [] }] } };
    assert.strictEqual((await resourceViolations("pim-approval-and-cap", RMP, pimPolicy([twoStages, expiration()]))).length, 1);
  });

  it("refuses duplicate rule ids, even when the first copy is compliant", async () => {
    const found = await resourceViolations("pim-approval-and-cap", RMP, pimPolicy([approval([{ id: APPROVER }]), expiration(), approval([], false)]));
    assert.strictEqual(found.length, 1);
    assert.match(found[0], /"Approval_EndUser_Assignment" appear more than once/);
  });
});

describe("policy pim-eligibility-approval-policy: every eligibility governed by a compliant policy in the stack", () => {
  const eligibility = (extra: Record<string, unknown> = {}) => ({ type: "azure-native:authorization:PimRoleEligibilitySchedule", name: "elig", props: { roleDefinitionId: roleId(OWNER), scope: SCOPE, principalId: "p" }, ...extra });
  const good = { type: RMP, name: "policy", props: pimPolicy([approval([{ id: APPROVER, userType: "Group" }]), expiration("PT2H")]) };
  const governed = (resources: Parameters<typeof stackViolations>[1]) => stackViolations("pim-eligibility-approval-policy", resources);

  it("accepts an eligibility that waits for a compliant policy at its scope", async () => {
    assert.deepStrictEqual(await governed([good, eligibility({ dependsOn: ["policy"] })]), []);
  });

  it("refuses an eligibility with no policy in the stack, or whose policy is at another scope", async () => {
    assert.match((await governed([eligibility()]))[0], /has no role management policy in this stack/);
    assert.match((await governed([good, eligibility()]))[0], /has no role management policy/, "present but not waited for");
    const elsewhere = { ...good, props: { ...good.props, scope: SUB } };
    assert.match((await governed([elsewhere, eligibility({ dependsOn: ["policy"] })]))[0], /has no role management policy/);
  });

  it("refuses an eligibility whose policy needs no approval, has approvers without ids, or lasts PT8H", async () => {
    for (const rules of [[approval([{ id: APPROVER }], false), expiration()], [approval([{ userType: "Group" }]), expiration()], [approval([{ id: APPROVER }]), expiration("PT8H")]]) {
      const found = await governed([{ type: RMP, name: "policy", props: pimPolicy(rules) }, eligibility({ dependsOn: ["policy"] })]);
      assert.strictEqual(found.length, 1, JSON.stringify(rules));
      assert.match(found[0], /is not compliant/);
    }
  });

  it("accepts a policy linked to the eligibility's role and scope by a RoleManagementPolicyAssignment", async () => {
    const named = { ...good, props: { ...good.props, roleManagementPolicyName: "4e1c3a2b-0000-4000-8000-0000000000aa" } };
    const link = { type: "azure-native:authorization:RoleManagementPolicyAssignment", name: "link", props: { scope: SCOPE, roleDefinitionId: roleId(OWNER), policyId: `${SCOPE}/providers/Microsoft.Authorization/roleManagementPolicies/4e1c3a2b-0000-4000-8000-0000000000aa` } };
    assert.deepStrictEqual(await governed([named, link, eligibility()]), []);
    const otherRole = { ...link, props: { ...link.props, roleDefinitionId: roleId(BLOB_READER) } };
    assert.strictEqual((await governed([named, otherRole, eligibility()])).length, 1);
  });

  it("during preview, skips only the eligibility whose scope is unknown", async () => {
    const out = await runStackPolicy("pim-eligibility-approval-policy", [eligibility({ name: "known" }), { ...eligibility(), name: "later", props: { roleDefinitionId: roleId(OWNER), scope: UNKNOWN } }]);
    assert.strictEqual(out.violations.length, 1);
    assert.match(out.advisories[0], /later/);
  });
});
