import * as assert from "assert";
import { AgentApi, AgentNamespace, ComponentArgsError, CustomRole, JitAccess, JitAccessArgs } from "../../components";
import { AuditTrailArgsError } from "../../rules/audit/validate";
import { evaluate, isArgsError } from "../helpers";

const SCOPE = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-customer-data";
const ROLE_ID = `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/11791261-ab49-5393-8893-3354070c5430`;
const jitArgs: JitAccessArgs = {
  scope: SCOPE,
  roleDefinitionId: ROLE_ID,
  roleName: "Reader",
  approvers: [{ objectId: "33333333-3333-3333-3333-333333333333", type: "Group" }],
  eligibilityStart: "2026-12-01T00:00:00Z",
  eligible: [{ name: "scanner", principalId: "11111111-1111-1111-1111-111111111111", justification: "Scans customer data for secrets." }],
};

describe("invalid component args: one typed error naming component and field", () => {
  for (const [title, program, component, field] of [
    ["CustomRole without assignable scopes", () => new CustomRole("r", { roleName: "R", actions: ["Microsoft.Storage/*/read"], assignableScopes: [] }), "CustomRole", "assignableScopes"],
    ["AgentNamespace with an uppercase name", () => new AgentNamespace("ns", { namespaceName: "Agents" }), "AgentNamespace", "namespaceName"],
    ["AgentNamespace named by a component name that is no label", () => new AgentNamespace("agents_ns", {}), "AgentNamespace", "name"],
    ["AgentApi without a display name", () => new AgentApi("api", { displayName: " " }), "AgentApi", "displayName"],
    ["JitAccess with a start that is not fixed", () => new JitAccess("jit", { ...jitArgs, eligibilityStart: "now" }), "JitAccess", "eligibilityStart"],
    ["JitAccess with an eligibility of two years", () => new JitAccess("jit", { ...jitArgs, eligibilityDuration: "P730D" }), "JitAccess", "eligibilityDuration"],
    ["JitAccess without approvers", () => new JitAccess("jit", { ...jitArgs, approvers: [] }), "JitAccess", "approvers"],
    ["JitAccess without eligible principals", () => new JitAccess("jit", { ...jitArgs, eligible: [] }), "JitAccess", "eligible"],
    // Cast: TypeScript refuses the value; the check is for callers in plain JavaScript or other languages.
    ["JitAccess with an approver type outside User and Group", () => new JitAccess("jit", { ...jitArgs, approvers: [jitArgs.approvers[0], { objectId: "44444444-4444-4444-4444-444444444444", type: "ServicePrincipal" as never }] }), "JitAccess", "approvers[1].type"],
  ] as const) {
    it(`refuses ${title} with code ERR_COMPONENT_ARGS and field ${field}, before registering anything`, async () => {
      await assert.rejects(evaluate(program), (err: unknown) => isArgsError(err, component, field));
    });
  }

  it("carries component, resource name, field and the fix, with the message readable on its own", () => {
    const err = new ComponentArgsError("AgentWorkload", "scanner", "port", "port 80 is outside 1024-65535. Fix: use a port from 1024 to 65535.");
    assert.deepStrictEqual([err.code, err.component, err.resourceName, err.field, err.name], ["ERR_COMPONENT_ARGS", "AgentWorkload", "scanner", "port", "ComponentArgsError"]);
    assert.strictEqual(err.message, "AgentWorkload scanner: port 80 is outside 1024-65535. Fix: use a port from 1024 to 65535.");
  });

  it("makes the audit trail's error a ComponentArgsError with its own code, so one catch handles every component", () => {
    const err = new AuditTrailArgsError("trail", "retentionDays", "89 is outside 90-730. Fix: ...");
    assert.ok(err instanceof ComponentArgsError);
    assert.deepStrictEqual([err.code, err.component, err.resourceName, err.field, err.problem], ["ERR_AUDIT_TRAIL_ARGS", "AuditTrail", "trail", "retentionDays", "89 is outside 90-730. Fix: ..."]);
    assert.strictEqual(err.message, "AuditTrail trail: retentionDays 89 is outside 90-730. Fix: ...");
  });
});
