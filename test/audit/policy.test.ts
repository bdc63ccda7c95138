/**
 * Policy pim-requires-audit-trail: PIM eligibilities need Entra ID's audit log and the Activity Log in
 * a workspace that keeps them 90 days or more.
 */
import * as assert from "assert";
import type { StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policy/policies";
import { planOf } from "../helpers";

const policy = policies.find((p) => p.name === "pim-requires-audit-trail") as StackValidationPolicy;
type R = { type: string; props: Record<string, unknown>; name?: string };

async function violations(resources: R[], config: Record<string, unknown> = {}): Promise<string[]> {
  const found: string[] = [];
  await policy.validateStack!(
    { resources: resources.map((r, i) => ({ ...r, name: r.name ?? `r${i}`, urn: `urn:r${i}`, opts: {}, isType: () => false })), stackTags: new Map(), getConfig: () => config } as never,
    (message) => found.push(message),
  );
  return found;
}

const WS = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/audit";
const eligibility: R = { type: "azure-native:authorization:PimRoleEligibilitySchedule", props: { roleDefinitionId: "r" } };
const workspace = (days: number): R => ({ type: "azure-native:operationalinsights:Workspace", props: { workspaceName: "audit", retentionInDays: days }, name: "ws" });
const entra = (categories = ["AuditLogs"], workspaceId = WS): R => ({ type: "azure-native:aadiam:DiagnosticSetting", props: { workspaceId, logs: categories.map((category) => ({ category, enabled: true })) }, name: "entra" });
const activity = (categories = ["Administrative"], workspaceId = WS): R => ({ type: "azure-native:monitor:SubscriptionDiagnosticSetting", props: { workspaceId, logs: categories.map((category) => ({ category, enabled: true })) }, name: "activity" });

describe("policy pim-requires-audit-trail", () => {
  it("is mandatory and passes the production plan", async () => {
    assert.strictEqual(policy.enforcementLevel, "mandatory");
    const plan = await planOf("production");
    assert.deepStrictEqual(await violations(plan.resources.map((r) => ({ type: r.type, props: r.inputs, name: r.name }))), []);
  });

  it("leaves a stack without PIM eligibilities alone", async () => {
    assert.deepStrictEqual(await violations([workspace(30)]), []);
  });

  it("passes eligibilities with both logs in a workspace keeping 90 days", async () => {
    assert.deepStrictEqual(await violations([eligibility, workspace(90), entra(), activity()]), []);
  });

  it("reports eligibilities without the Entra audit log, and without the Activity Log", async () => {
    assert.match((await violations([eligibility, workspace(365), activity()])).join("\n"), /sends no Entra ID audit log \(AuditLogs\)/);
    assert.match((await violations([eligibility, workspace(365), entra()])).join("\n"), /sends no Activity Log \(Administrative\)/);
    assert.match((await violations([eligibility, workspace(365), entra(["SignInLogs"]), activity(["Policy"])])).join("\n"), /no Entra ID audit log[\s\S]*no Activity Log/);
  });

  it("reports a workspace keeping less than 90 days, and a destination it cannot see", async () => {
    assert.match((await violations([eligibility, workspace(30), entra(), activity()])).join("\n"), /keeps data 30 days \(at least 90 required\)/);
    const elsewhere = "/subscriptions/x/resourceGroups/soc/providers/Microsoft.OperationalInsights/workspaces/soc";
    assert.match((await violations([eligibility, workspace(365), entra(["AuditLogs"], elsewhere), activity()])).join("\n"), /neither in the stack nor in the policy's attestedWorkspaceIds/);
    assert.deepStrictEqual(await violations([eligibility, workspace(365), entra(["AuditLogs"], elsewhere), activity()], { attestedWorkspaceIds: [elsewhere] }), []);
  });

  it("accepts tenant diagnostics owned elsewhere only when the policy config says so", async () => {
    assert.ok((await violations([eligibility, workspace(365), activity()])).length > 0);
    assert.deepStrictEqual(await violations([eligibility, workspace(365), activity()], { tenantDiagnosticsElsewhere: true }), []);
  });
});
