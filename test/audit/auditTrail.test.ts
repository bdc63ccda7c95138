/**
 * The audit trail in the production and staging plans: workspace, the three diagnostic settings,
 * Container insights, action groups and alerts, wired from config and from the graph's outputs.
 */
import * as assert from "assert";
import { AuditTrail } from "../../components/auditTrail";
import { AUDIT_ALERTS } from "../../rules/audit/alerts";
import { AuditAlertName } from "../../rules/choices";
import { AuditTrailArgsError } from "../../rules/audit/validate";
import { auditedRoles } from "../../components/lib/audit/roles";
import type { Evaluation, PlannedResource } from "../../plan/evaluate";
import { PlanFailedError } from "../../plan/evaluate";
import { renderTable } from "../../plan/render/table";
import { renderMermaid } from "../../plan/render/mermaid";
import { evaluate, expectRejectedConfig, isArgsError, mutatedConfig, ofType, one, planOf, planWith } from "../helpers";
import { LOG_TABLES } from "../lib/logTables";
import { globalsWith, kqlErrors } from "../lib/kusto";

const T = {
  workspace: "azure-native:operationalinsights:Workspace",
  entra: "azure-native:aadiam:DiagnosticSetting",
  activityLog: "azure-native:monitor:SubscriptionDiagnosticSetting",
  clusterLogs: "azure-native:monitor:DiagnosticSetting",
  dcr: "azure-native:monitor:DataCollectionRule",
  dcra: "azure-native:monitor:DataCollectionRuleAssociation",
  actionGroup: "azure-native:monitor:ActionGroup",
  rule: "azure-native:monitor:ScheduledQueryRule",
  activityAlert: "azure-native:monitor:ActivityLogAlert",
  cluster: "azure-native:containerservice:ManagedCluster",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
};
const AGENTS = ["security-scanner", "style-checker", "syntax-analyzer", "code-review-orchestrator"];
const WORKSPACE_ID = "/subscriptions/<getClientConfig.subscriptionId>/resourceGroups/fabrikam-agents-production/providers/Microsoft.OperationalInsights/workspaces/fabrikam-agents-production-audit";
const queryOf = (r: PlannedResource) => String((r.inputs.criteria as { allOf: Array<{ query: string }> }).allOf[0].query);
const rule = (plan: Evaluation, alert: string) => one(plan, T.rule, `platform-audit-alert-${alert}`);

let production: Evaluation;
let staging: Evaluation;
before(async () => {
  production = await planOf("production");
  staging = await planOf("staging");
});

describe("the audit trail in the production plan", () => {
  it("creates the workspace in the stack's resource group with the configured retention", () => {
    const ws = one(production, T.workspace, "platform-audit-workspace");
    assert.strictEqual(ws.inputs.resourceGroupName, "fabrikam-agents-production");
    assert.strictEqual(ws.inputs.retentionInDays, 365);
    assert.strictEqual(ws.inputs.location, "westeurope");
    assert.deepStrictEqual(ws.inputs.sku, { name: "PerGB2018" });
    assert.deepStrictEqual(ws.inputs.features, { disableLocalAuth: true }, "no shared key can write to or read the trail");
  });

  it("exports the workspace id as a stack output", () => {
    assert.strictEqual(production.outputs.auditWorkspaceId, WORKSPACE_ID);
  });

  it("sends Entra ID's audit, service principal and managed identity sign-in logs to it (tenant setting)", () => {
    const setting = one(production, T.entra, "platform-audit-entra");
    assert.strictEqual(setting.inputs.workspaceId, WORKSPACE_ID);
    assert.deepStrictEqual(setting.inputs.logs, ["AuditLogs", "ServicePrincipalSignInLogs", "ManagedIdentitySignInLogs"].map((category) => ({ category, enabled: true })));
  });

  it("sends the subscription's Activity Log, Administrative first, to it", () => {
    const setting = one(production, T.activityLog, "platform-audit-activity-log");
    assert.strictEqual(setting.inputs.workspaceId, WORKSPACE_ID);
    assert.deepStrictEqual((setting.inputs.logs as Array<{ category: string }>).map((l) => l.category), ["Administrative", "Security", "Policy", "Alert"]);
  });

  it("sends the cluster's Kubernetes audit (admin) and guard logs to resource-specific tables, and waits for the cluster", () => {
    const setting = one(production, T.clusterLogs, "platform-audit-cluster");
    const cluster = ofType(production, T.cluster)[0];
    assert.strictEqual(setting.inputs.resourceUri, "<platform-fabrikam-aks-cluster-aks.id>");
    assert.ok(setting.dependsOn.includes(cluster.urn));
    assert.strictEqual(setting.inputs.logAnalyticsDestinationType, "Dedicated");
    assert.deepStrictEqual((setting.inputs.logs as Array<{ category: string }>).map((l) => l.category), ["kube-audit-admin", "guard"]);
  });

  it("turns on Container insights: the cluster's add-on names the workspace (and waits for it), a DCR with ContainerLogV2 is associated with the cluster", () => {
    const cluster = ofType(production, T.cluster)[0];
    const ws = one(production, T.workspace, "platform-audit-workspace");
    assert.deepStrictEqual((cluster.inputs.addonProfiles as Record<string, unknown>).omsagent, { enabled: true, config: { logAnalyticsWorkspaceResourceID: WORKSPACE_ID, useAADAuth: "true" } });
    assert.ok(cluster.dependsOn.includes(ws.urn), "the cluster waits for the workspace");
    const dcr = one(production, T.dcr, "platform-audit-container-insights");
    const extension = (dcr.inputs.dataSources as any).extensions[0];
    assert.strictEqual(extension.extensionSettings.dataCollectionSettings.enableContainerLogV2, true);
    assert.deepStrictEqual((dcr.inputs.destinations as any).logAnalytics, [{ name: "ciworkspace", workspaceResourceId: WORKSPACE_ID }]);
    const association = one(production, T.dcra, "platform-audit-container-insights-association");
    assert.strictEqual(association.inputs.resourceUri, "<platform-fabrikam-aks-cluster-aks.id>");
    assert.ok(association.dependsOn.includes(dcr.urn));
  });

  it("has an action group per audience with the configured recipients", () => {
    const receivers = (name: string) => (one(production, T.actionGroup, name).inputs.emailReceivers as Array<{ emailAddress: string }>).map((r) => r.emailAddress);
    assert.deepStrictEqual(receivers("platform-audit-security"), ["security-operations@fabrikam.com"]);
    assert.deepStrictEqual(receivers("platform-audit-approvers"), ["data-stewards@fabrikam.com"]);
  });

  it("holds every alert as a scheduled query rule with its query, window, threshold, severity and action group", () => {
    for (const alert of AUDIT_ALERTS) {
      const r = rule(production, alert.name);
      const condition = (r.inputs.criteria as any).allOf[0];
      assert.ok(queryOf(r).length > 0);
      assert.strictEqual(condition.threshold, alert.threshold, alert.name);
      assert.strictEqual(condition.operator, "GreaterThanOrEqual");
      assert.strictEqual(r.inputs.severity, alert.severity);
      assert.match(String(r.inputs.windowSize), /^PT\d+[MH]$/);
      assert.deepStrictEqual(r.inputs.scopes, [WORKSPACE_ID]);
      const group = alert.audience === "approvers" ? "approvers" : "security";
      assert.deepStrictEqual((r.inputs.actions as any).actionGroups, [`/subscriptions/<getClientConfig.subscriptionId>/resourceGroups/fabrikam-agents-production/providers/Microsoft.Insights/actionGroups/agent-identity-production-${group}`]);
    }
  });

  it("every rendered alert query still passes the offline Kusto check", () => {
    const globals = globalsWith(LOG_TABLES);
    for (const r of ofType(production, T.rule)) assert.deepStrictEqual(kqlErrors(queryOf(r), globals), [], r.name);
  });

  it("names the stack's agents in the non-agent activation and token alerts from the identities' outputs, never typed", () => {
    for (const alert of ["activation-by-non-agent", "token-exchange-failures"]) {
      const query = queryOf(rule(production, alert));
      for (const agent of AGENTS) {
        assert.ok(query.includes(`"<platform-${agent}-identity.principalId>"`), `${alert} names ${agent}'s principal id`);
        assert.ok(query.includes(`"<platform-${agent}-identity.clientId>"`), `${alert} names ${agent}'s client id`);
      }
    }
    const activation = rule(production, "activation-by-non-agent");
    for (const identity of ofType(production, T.identity)) assert.ok(activation.dependsOn.includes(identity.urn), `waits for ${identity.name}`);
  });

  it("watches federated credentials on the agents' identities (their ARM ids) and excludes the deployer's writes", () => {
    const query = queryOf(rule(production, "federated-credential-changed"));
    for (const agent of AGENTS) assert.ok(query.includes(`"<platform-${agent}-identity.id>"`), agent);
    assert.ok(query.includes('"<getClientConfig.objectId>"') && query.includes('"<getClientConfig.clientId>"'));
  });

  it("knows the sensitive roles: the custom JIT role's GUID and the listed built-ins", () => {
    const query = queryOf(rule(production, "standing-sensitive-role"));
    assert.ok(query.includes('"b7e6dc6d-f1e8-4753-8033-0f276bb0955b"'), "Storage Blob Data Owner");
    const custom = String(one(production, "azure-native:authorization:RoleDefinition", "platform-role-sensitive-data-reader-definition").inputs.roleDefinitionId);
    assert.ok(query.includes(`"${custom}"`), "Sensitive Data Reader");
    assert.match(queryOf(rule(production, "jit-activation-pim")), /"Sensitive Data Reader"/);
  });

  it("alerts on the trail being cut and on PIM policy changes at the subscription", () => {
    const tampered = one(production, T.activityAlert, "platform-audit-audit-trail-tampered");
    assert.deepStrictEqual(tampered.inputs.scopes, ["/subscriptions/<getClientConfig.subscriptionId>"]);
    assert.match(JSON.stringify(tampered.inputs.condition), /Microsoft\.Insights\/diagnosticSettings\/delete/);
  });

  it("the table lists what is logged, where, for how long, and each alert with its recipients; Mermaid marks the workspace", () => {
    const table = renderTable(production);
    assert.match(table, /Entra ID \(tenant\)\s+AuditLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs\s+workspace fabrikam-agents-production-audit \(365 days\)/);
    assert.match(table, /A burst of caller-validation refusals at one callee\s+2\s+PT5M\s+PT5M\s+>= 20\s+ContainerName\s+security-operations@fabrikam\.com/);
    assert.match(table, /An agent's JIT activation step \(informational\).*data-stewards@fabrikam\.com/);
    const mermaid = renderMermaid(production);
    const id = /(r\d+)\["platform-audit-workspace<br\/>/.exec(mermaid)?.[1];
    assert.ok(id && new RegExp(`class ${id} audit`).test(mermaid), "workspace styled");
  });
});

describe("the audit trail in the staging plan (tenant diagnostics owned by production)", () => {
  it("creates no tenant setting and points the Entra ID alerts at production's workspace", () => {
    assert.strictEqual(ofType(staging, T.entra).length, 0);
    const prodWorkspace = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-agents-production/providers/Microsoft.OperationalInsights/workspaces/fabrikam-agents-production-audit";
    for (const alert of AUDIT_ALERTS) {
      const scopes = rule(staging, alert.name).inputs.scopes as string[];
      assert.strictEqual(scopes[0] === prodWorkspace, alert.source === "entra", alert.name);
    }
    assert.strictEqual(one(staging, T.workspace, "platform-audit-workspace").inputs.retentionInDays, 90);
    assert.match(renderTable(staging), /Entra ID \(tenant\)\s+owned by another team/);
  });

  it("sends the informational alerts to the security group when no approvers' channel is configured", () => {
    assert.strictEqual(ofType(staging, T.actionGroup).length, 1);
    assert.match(JSON.stringify((rule(staging, "jit-activation-agent").inputs.actions as any).actionGroups), /-security$|-security"/);
  });
});

describe("audit configuration", () => {
  it("uses an existing workspace by id: no workspace created, every setting and rule sends there", async () => {
    const existing = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/soc/providers/Microsoft.OperationalInsights/workspaces/soc-logs";
    const plan = await planWith(mutatedConfig("production", (c) => {
      delete c.audit.retentionDays;
      c.audit.workspaceId = existing;
    }));
    assert.strictEqual(ofType(plan, T.workspace).length, 0);
    for (const type of [T.entra, T.activityLog, T.clusterLogs]) assert.strictEqual(ofType(plan, type)[0].inputs.workspaceId, existing);
    assert.deepStrictEqual(rule(plan, "caller-refusal-burst").inputs.scopes, [existing]);
  });

  it("a stack without JIT may leave audit out: no audit resources, no monitoring add-on", async () => {
    const plan = await planWith(mutatedConfig("production", (c) => {
      delete c.audit;
      for (const agent of c.agents) agent.jit = [];
    }));
    assert.strictEqual(plan.resources.filter((r) => r.type.startsWith("azure-native:monitor:") || r.type.startsWith("azure-native:aadiam:") || r.type === T.workspace).length, 0);
    assert.strictEqual((ofType(plan, T.cluster)[0].inputs.addonProfiles as Record<string, unknown>).omsagent, undefined);
  });

  it("applies per-alert overrides and leaves out a disabled alert", async () => {
    const plan = await planWith(mutatedConfig("production", (c) => {
      c.audit.alerts = { "caller-refusal-burst": { threshold: 50, windowMinutes: 15, frequencyMinutes: 5, severity: 1 }, "jit-activation-agent": { enabled: false } };
    }));
    const r = rule(plan, "caller-refusal-burst");
    assert.strictEqual((r.inputs.criteria as any).allOf[0].threshold, 50);
    assert.strictEqual(r.inputs.windowSize, "PT15M");
    assert.strictEqual(r.inputs.evaluationFrequency, "PT5M");
    assert.strictEqual(r.inputs.severity, 1);
    assert.ok(!plan.resources.some((x) => x.name === "platform-audit-alert-jit-activation-agent"));
  });

  const existing = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/soc/providers/Microsoft.OperationalInsights/workspaces/soc-logs";
  const BAD: Array<{ title: string; mutate: (c: any) => void; path: string; says: RegExp }> = [
    { title: "JIT without an audit trail", mutate: (c) => delete c.audit, path: "audit", says: /is required, because agents are eligible for just-in-time roles.*Fix: set audit\.alertEmails/ },
    { title: "JIT with the empty project default for audit", mutate: (c) => (c.audit = {}), path: "audit", says: /is required, because agents are eligible/ },
    { title: "a retention below 90 days", mutate: (c) => (c.audit.retentionDays = 30), path: "audit.retentionDays", says: /at least 90\. Fix/ },
    { title: "a retention above 730 days", mutate: (c) => (c.audit.retentionDays = 1000), path: "audit.retentionDays", says: /at most 730\. Fix/ },
    { title: "tenant diagnostics off without naming the other workspace", mutate: (c) => (c.audit.tenantDiagnostics = false), path: "audit.tenantDiagnosticsWorkspaceId", says: /is required when tenantDiagnostics is false.*Fix: set that workspace's id/ },
    { title: "another team's workspace named while tenant diagnostics are on", mutate: (c) => (c.audit.tenantDiagnosticsWorkspaceId = existing), path: "audit.tenantDiagnosticsWorkspaceId", says: /is set while tenantDiagnostics is on.*Fix: remove it/ },
    { title: "a workspace id that is not one", mutate: (c) => (c.audit.workspaceId = "soc-logs"), path: "audit.workspaceId", says: /not a Log Analytics workspace id\. Fix/ },
    { title: "a retention for a workspace the stack does not create", mutate: (c) => (c.audit.workspaceId = existing), path: "audit.retentionDays", says: /not ours to set\. Fix: remove retentionDays/ },
    { title: "no alert recipients", mutate: (c) => (c.audit.alertEmails = []), path: "audit.alertEmails", says: /is empty: an alert nobody receives.*Fix/ },
    { title: "a recipient that is not an e-mail address", mutate: (c) => (c.audit.alertEmails = ["security team"]), path: "audit.alertEmails[0]", says: /not an e-mail address\. Fix/ },
    { title: "an unknown alert", mutate: (c) => (c.audit.alerts = { "root-login": {} }), path: "audit.alerts.root-login", says: /not a known key\. Fix/ },
    { title: "a severity outside 0-4", mutate: (c) => (c.audit.alerts = { "caller-refusal-burst": { severity: 7 } }), path: "audit.alerts.caller-refusal-burst.severity", says: /at most 4\. Fix/ },
    { title: "a frequency Azure Monitor does not accept", mutate: (c) => (c.audit.alerts = { "caller-refusal-burst": { frequencyMinutes: 7 } }), path: "audit.alerts.caller-refusal-burst.frequencyMinutes", says: /not a frequency Azure Monitor accepts\. Fix/ },
    { title: "a frequency written as a string", mutate: (c) => (c.audit.alerts = { "caller-refusal-burst": { frequencyMinutes: "5" } }), path: "audit.alerts.caller-refusal-burst.frequencyMinutes", says: /: must be a number of minutes\. Fix: write a number without quotes\.$/ },
    { title: "a window shorter than the frequency", mutate: (c) => (c.audit.alerts = { "caller-refusal-burst": { frequencyMinutes: 15 } }), path: "audit.alerts.caller-refusal-burst.windowMinutes", says: /5 is shorter than frequencyMinutes 15.*Fix/ },
    { title: "a misspelt audit key", mutate: (c) => (c.audit.retention = 365), path: "audit.retention", says: /not a known key/ },
  ];
  for (const bad of BAD) {
    it(`refuses ${bad.title}, naming ${bad.path} and the fix, before any resource is registered`, async () => {
      const error = await expectRejectedConfig(mutatedConfig("production", bad.mutate));
      assert.strictEqual(error.code, "ERR_STACK_CONFIG_INVALID");
      const line = error.message.split("\n").find((l) => l.includes(`agent-identity:${bad.path}:`));
      assert.ok(line, `no line for ${bad.path} in:\n${error.message}`);
      assert.match(line, bad.says);
    });
  }
});

describe("the AuditTrail component on its own", () => {
  it("refuses bad arguments before registering anything, naming the field and the fix", async () => {
    const attempt = (args: Partial<ConstructorParameters<typeof AuditTrail>[1]>) =>
      evaluate(() => new AuditTrail("trail", { resourceGroupName: "rg", location: "westeurope", subscriptionId: "s", alertEmails: ["a@b.co"], ...args }));
    for (const [args, field] of [
      [{ alertEmails: [] }, "alertEmails"],
      [{ tenantDiagnostics: false }, "tenantDiagnosticsWorkspaceId"],
      [{ retentionDays: 89 }, "retentionDays"],
      [{ alerts: { nope: {} } }, "alerts.nope"],
      [{ alerts: { "caller-refusal-burst": { frequencyMinutes: 7 } } }, "alerts.caller-refusal-burst.frequencyMinutes"],
    ] as const) {
      await assert.rejects(attempt(args as never), (err: unknown) =>
        isArgsError(err, "AuditTrail", field, { code: "ERR_AUDIT_TRAIL_ARGS" }) && (err as PlanFailedError).cause instanceof AuditTrailArgsError,
      );
    }
  });

  it("two instances live in one stack: children are named from the component name", async () => {
    const plan = await evaluate(() => {
      const other = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/soc/providers/Microsoft.OperationalInsights/workspaces/soc-logs";
      new AuditTrail("a", { resourceGroupName: "rg", location: "westeurope", subscriptionId: "s", alertEmails: ["a@b.co"] });
      new AuditTrail("b", { resourceGroupName: "rg", location: "westeurope", subscriptionId: "s", alertEmails: ["a@b.co"], tenantDiagnostics: false, tenantDiagnosticsWorkspaceId: other });
      return {};
    });
    assert.ok(ofType(plan, T.workspace).map((w) => w.name).join() === "a-workspace,b-workspace");
    assert.strictEqual(ofType(plan, T.entra).length, 1);
    assert.strictEqual(ofType(plan, T.clusterLogs).length, 0, "no cluster, no cluster settings");
  });
});

describe("the roles the audit trail watches", () => {
  it("collects sensitive custom roles, listed roles (by name or GUID) and JIT roles, as GUIDs and names, once each", () => {
    const roles = auditedRoles(
      {
        roleDefinitions: [{ name: "Sensitive Data Reader", sensitive: true }, { name: "Harmless", sensitive: false }],
        sensitiveRoles: ["Storage Blob Data Owner", "0123abcd-0000-4000-8000-000000000001"],
        agents: [{ jit: [{ role: "Sensitive Data Reader" }] }, { jit: [{ role: "Sensitive Data Reader" }] }],
      },
      { "Sensitive Data Reader": "11111111-1111-5111-8111-111111111111", Harmless: "22222222-2222-5222-8222-222222222222" },
    );
    assert.deepStrictEqual(roles.sensitiveRoleIds, ["0123abcd-0000-4000-8000-000000000001", "11111111-1111-5111-8111-111111111111", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"]);
    assert.deepStrictEqual(roles.sensitiveRoleNames, ["0123abcd-0000-4000-8000-000000000001", "Sensitive Data Reader", "Storage Blob Data Owner"]);
    assert.deepStrictEqual(roles.jitRoleIds, ["11111111-1111-5111-8111-111111111111"]);
  });
});

describe("the audit alerts' names: one choice object", () => {
  it("defines exactly one alert per member of AuditAlertName, in the member order (what error messages list)", () => {
    assert.deepStrictEqual(AUDIT_ALERTS.map((a) => a.name), Object.values(AuditAlertName));
  });
});
