/**
 * What a real pulumi up of the audit trail meets and the mock runtime does not: one test per behaviour
 * of the azure-native SDK (its generated classes in node_modules) and of Azure (REST specs and docs),
 * each naming its source.
 */
import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import * as aadiam from "@pulumi/azure-native/aadiam";
import * as monitor from "@pulumi/azure-native/monitor";
import { ENTRA_LOG_CATEGORIES, TENANT_DIAGNOSTICS_REQUIREMENTS } from "../../components/auditTrail";
import { MIN_RETENTION_DAYS, MAX_RETENTION_DAYS } from "../../rules/audit/validate";
import { ALERT_FREQUENCIES_MINUTES } from "../../rules/audit/alerts";
import type { Evaluation } from "../../plan/evaluate";
import { renderTable } from "../../plan/render/table";
import { evaluate, ofType, one, planOf } from "../helpers";

const SDK = path.dirname(require.resolve("@pulumi/azure-native/package.json"));
const sdkFile = (file: string) => readFileSync(path.join(SDK, file), "utf8");

let production: Evaluation;
before(async () => {
  production = await planOf("production");
});

describe("a real pulumi up of the audit trail: Entra ID tenant diagnostics (azure-native aadiam)", () => {
  // Source: @pulumi/azure-native aadiam/diagnosticSetting.d.ts ("Uses Azure REST API version 2017-04-01"): the
  // resource takes no scope, resource group or tenant id: PUT /providers/microsoft.aadiam/diagnosticSettings/{name}.
  it("the SDK's tenant-level setting has no scope input: it writes to the tenant the credentials sign in to", async () => {
    assert.match(sdkFile("aadiam/diagnosticSetting.d.ts"), /Uses Azure REST API version 2017-04-01/);
    const plan = await evaluate(() => new aadiam.DiagnosticSetting("bare", { name: "n", workspaceId: "w", logs: [] }));
    assert.deepStrictEqual(Object.keys(one(plan, "azure-native:aadiam:DiagnosticSetting", "bare").inputs).sort(), ["logs", "name", "workspaceId"]);
  });

  // Source: @pulumi/azure-native types/enums/aadiam/index.d.ts lists only AuditLogs and SignInLogs, but LogSettingsArgs.category
  // is `string | Category`; the category names are Microsoft Entra's (learn.microsoft.com/entra/identity/monitoring-health/
  // concept-diagnostic-settings-logs-options: AuditLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs).
  it("sends the documented category names, which the SDK's enum does not list and passes through as strings", () => {
    const enumFile = sdkFile("types/enums/aadiam/index.d.ts");
    assert.match(enumFile, /AuditLogs: "AuditLogs"/);
    assert.doesNotMatch(enumFile, /ManagedIdentitySignInLogs/);
    assert.match(sdkFile("types/input.d.ts"), /category\?: pulumi\.Input<string \| enums\.aadiam\.Category \| undefined>/);
    const sent = (one(production, "azure-native:aadiam:DiagnosticSetting", "platform-audit-entra").inputs.logs as Array<{ category: string }>).map((l) => l.category);
    assert.deepStrictEqual(sent, [...ENTRA_LOG_CATEGORIES]);
  });

  // Source: learn.microsoft.com/entra/identity/monitoring-health/plan-monitoring-and-reporting (prerequisites: Global
  // Administrator or Security Administrator; Entra ID P1 or P2 to access sign-in logs).
  it("the plan tells the operator the tenant role and licence the setting needs", () => {
    assert.deepStrictEqual(TENANT_DIAGNOSTICS_REQUIREMENTS.roles, ["Security Administrator", "Global Administrator"]);
    assert.match(renderTable(production), /Tenant diagnostic setting needs: Security Administrator or Global Administrator .*Microsoft Entra ID P1 or P2 for sign-in logs/);
  });
});

describe("a real pulumi up of the audit trail: Azure Monitor resources", () => {
  // Source: @pulumi/azure-native monitor/subscriptionDiagnosticSetting.d.ts (API 2021-05-01-preview): no subscription input;
  // the provider's configured subscription is the one whose Activity Log is exported.
  it("the subscription setting has no subscription input: it exports the Activity Log of the provider's subscription", async () => {
    const plan = await evaluate(() => new monitor.SubscriptionDiagnosticSetting("bare", { name: "n", workspaceId: "w", logs: [{ category: "Administrative", enabled: true }] }));
    assert.ok(!("subscriptionId" in one(plan, "azure-native:monitor:SubscriptionDiagnosticSetting", "bare").inputs));
  });

  // Source: @pulumi/azure-native monitor/actionGroup.js throws "Missing required property 'groupShortName'" and
  // 'enabled'; ARM template reference Microsoft.Insights/actionGroups: groupShortName maxLength 12.
  it("action groups carry the required enabled flag and a short name of at most 12 characters", async () => {
    await assert.rejects(evaluate(() => new monitor.ActionGroup("bare", { resourceGroupName: "rg", enabled: true } as never)), /Missing required property 'groupShortName'/);
    for (const group of ofType(production, "azure-native:monitor:ActionGroup")) {
      assert.strictEqual(group.inputs.enabled, true);
      assert.ok(String(group.inputs.groupShortName).length <= 12, String(group.inputs.groupShortName));
    }
  });

  // Source: @pulumi/azure-native monitor/activityLogAlert.js: `location = args?.location ?? "global"`, `enabled ?? true`.
  it("the SDK fills location global and enabled true on an activity log alert; the plan sends them explicitly", async () => {
    const plan = await evaluate(() => new monitor.ActivityLogAlert("bare", { resourceGroupName: "rg", scopes: ["/subscriptions/s"], condition: { allOf: [] }, actions: {} }));
    const bare = one(plan, "azure-native:monitor:ActivityLogAlert", "bare");
    assert.strictEqual(bare.inputs.location, "global");
    assert.strictEqual(bare.inputs.enabled, true);
  });

  // Source: learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule (frequency choices) and
  // Microsoft.Insights scheduledQueryRules 2025-01-01-preview (ISO 8601 evaluationFrequency and windowSize).
  it("every scheduled query rule evaluates at a frequency Azure accepts, over a window at least that long", () => {
    const minutes = (iso: string) => {
      const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso)!;
      return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
    };
    assert.match(sdkFile("monitor/scheduledQueryRule.d.ts"), /Uses Azure REST API version 2025-01-01-preview/);
    for (const r of ofType(production, "azure-native:monitor:ScheduledQueryRule")) {
      const frequency = minutes(String(r.inputs.evaluationFrequency));
      assert.ok((ALERT_FREQUENCIES_MINUTES as readonly number[]).includes(frequency), r.name);
      assert.ok(minutes(String(r.inputs.windowSize)) >= frequency, r.name);
      assert.strictEqual(r.inputs.kind, "LogAlert");
    }
  });

  // Source: learn.microsoft.com/azure/azure-monitor/essentials/data-collection-rule-create-edit ("Create the DCR in the
  // same region as the destination Log Analytics workspace").
  it("the Container insights data collection rule is in the workspace's region", () => {
    const dcr = one(production, "azure-native:monitor:DataCollectionRule", "platform-audit-container-insights");
    const ws = one(production, "azure-native:operationalinsights:Workspace", "platform-audit-workspace");
    assert.strictEqual(dcr.inputs.location, ws.inputs.location);
    assert.strictEqual(dcr.inputs.kind, "Linux");
  });

  // Source: Log Analytics retention (learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure): PerGB2018
  // workspaces keep 30-730 days interactively; the Activity Log keeps 90 days on its own.
  it("the retention config accepts only what a PerGB2018 workspace allows and never less than the Activity Log's 90 days", () => {
    assert.ok(MIN_RETENTION_DAYS >= 90 && MAX_RETENTION_DAYS <= 730);
    const ws = one(production, "azure-native:operationalinsights:Workspace", "platform-audit-workspace");
    assert.deepStrictEqual(ws.inputs.sku, { name: "PerGB2018" });
  });
});

describe("a real pulumi up of the audit trail: Container insights on AKS", () => {
  // Source: @pulumi/azure-native types/input.d.ts, containerservice ManagedClusterAzureMonitorProfileArgs (API 2025-09-01)
  // has only `metrics` (managed Prometheus): Container insights through azureMonitorProfile is preview-only, so the
  // stable way is the monitoring add-on `omsagent` with `useAADAuth` plus a data collection rule (what az aks
  // enable-addons -a monitoring creates).
  it("the stable ManagedCluster API has no Container insights in azureMonitorProfile, so the add-on is used", () => {
    const input = sdkFile("types/input.d.ts");
    const profile = /interface ManagedClusterAzureMonitorProfileArgs \{([\s\S]*?)\n    \}/.exec(input.slice(input.indexOf("export declare namespace containerservice")))![1];
    assert.match(profile, /metrics\?/);
    assert.doesNotMatch(profile, /containerInsights/);
    assert.match(sdkFile("containerservice/managedCluster.d.ts"), /Uses Azure REST API version 2025-09-01/);
    const cluster = ofType(production, "azure-native:containerservice:ManagedCluster")[0];
    assert.strictEqual((cluster.inputs.addonProfiles as any).omsagent.config.useAADAuth, "true");
  });
});
