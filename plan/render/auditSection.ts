/**
 * The audit section of the plan's table: what is logged, where and for how long, and each alert with
 * its window, threshold and recipients, read from the registered resources.
 */
import type { PlannedResource } from "../evaluate";
import { PlanGraph, inputAt } from "../graph";
import { TENANT_DIAGNOSTICS_REQUIREMENTS } from "../../components/auditTrail";

const T = {
  workspace: "azure-native:operationalinsights:Workspace",
  entra: "azure-native:aadiam:DiagnosticSetting",
  activityLog: "azure-native:monitor:SubscriptionDiagnosticSetting",
  resourceLogs: "azure-native:monitor:DiagnosticSetting",
  dcr: "azure-native:monitor:DataCollectionRule",
  actionGroup: "azure-native:monitor:ActionGroup",
  queryRule: "azure-native:monitor:ScheduledQueryRule",
  activityAlert: "azure-native:monitor:ActivityLogAlert",
  cluster: "azure-native:containerservice:ManagedCluster",
};

function categories(r: PlannedResource): string {
  return ((inputAt(r, "logs") ?? []) as Array<{ category?: string; enabled?: boolean }>)
    .filter((l) => l.enabled)
    .map((l) => l.category)
    .join(", ");
}

/** Rows of the section, or a line saying there is no audit trail. */
export function auditSection(g: PlanGraph, columns: (rows: string[][]) => string): string[] {
  const workspaces = g.ofType(T.workspace);
  const retention = new Map(workspaces.map((w) => [w.urn, `${String(inputAt(w, "retentionInDays"))} days`]));
  const where = (id: unknown) => {
    const w = workspaces.find((ws) => String(id).endsWith(`/workspaces/${String(inputAt(ws, "workspaceName"))}`));
    return w ? `workspace ${String(inputAt(w, "workspaceName"))} (${retention.get(w.urn)})` : `existing workspace ${String(id)} (retention set by its owner)`;
  };
  const logged: string[][] = [["WHAT IS LOGGED", "CATEGORIES", "WHERE (RETENTION)"]];
  for (const s of g.ofType(T.entra)) logged.push(["Entra ID (tenant)", categories(s), where(inputAt(s, "workspaceId"))]);
  for (const s of g.ofType(T.activityLog)) logged.push(["Activity Log (subscription)", categories(s), where(inputAt(s, "workspaceId"))]);
  for (const s of g.ofType(T.resourceLogs)) logged.push([`Cluster resource logs (${String(inputAt(s, "logAnalyticsDestinationType") ?? "AzureDiagnostics")} tables)`, categories(s), where(inputAt(s, "workspaceId"))]);
  for (const d of g.ofType(T.dcr)) {
    const destination = ((inputAt(d, "destinations.logAnalytics") ?? []) as Array<{ workspaceResourceId?: string }>)[0]?.workspaceResourceId;
    const monitored = g.ofType(T.cluster).some((c) => inputAt(c, "addonProfiles.omsagent.enabled") === true);
    logged.push([`Container logs (Container insights${monitored ? "" : ", add-on NOT enabled on the cluster"})`, "ContainerLogV2 (agent-auth refusals, JIT steps)", where(destination)]);
  }
  if (logged.length === 1) {
    return ["Audit trail", "  none (set the audit config key)"];
  }
  if (g.ofType(T.entra).length === 0) {
    logged.push(["Entra ID (tenant)", "owned by another team", "see tenantDiagnosticsWorkspaceId"]);
  }
  const recipients = new Map(
    g.ofType(T.actionGroup).map((a) => [String(inputAt(a, "actionGroupName")), ((inputAt(a, "emailReceivers") ?? []) as Array<{ emailAddress?: string }>).map((e) => e.emailAddress).join(", ")]),
  );
  const to = (ids: unknown[]) => ids.map((id) => recipients.get(String(id).split("/").pop() ?? "") ?? String(id)).join("; ");
  const alerts: string[][] = [["ALERT", "SEVERITY", "EVERY", "WINDOW", "FIRES AT", "PER", "RECIPIENTS"]];
  for (const rule of g.ofType(T.queryRule)) {
    const condition = ((inputAt(rule, "criteria.allOf") ?? []) as Array<{ threshold?: number; dimensions?: Array<{ name?: string }> }>)[0] ?? {};
    alerts.push([
      String(inputAt(rule, "displayName")),
      String(inputAt(rule, "severity")),
      String(inputAt(rule, "evaluationFrequency")),
      String(inputAt(rule, "windowSize")),
      `>= ${String(condition.threshold)}`,
      condition.dimensions?.map((d) => d.name).join(", ") || "-",
      to((inputAt(rule, "actions.actionGroups") ?? []) as unknown[]),
    ]);
  }
  for (const alert of g.ofType(T.activityAlert)) {
    alerts.push([String(inputAt(alert, "description")), "activity log", "on event", "-", "1", "-", to(((inputAt(alert, "actions.actionGroups") ?? []) as Array<{ actionGroupId?: string }>).map((a) => a.actionGroupId))]);
  }
  const needs =
    g.ofType(T.entra).length > 0
      ? [`Tenant diagnostic setting needs: ${TENANT_DIAGNOSTICS_REQUIREMENTS.roles.join(" or ")} for whoever runs pulumi up; ${TENANT_DIAGNOSTICS_REQUIREMENTS.licence} for sign-in logs.`]
      : [];
  return ["Audit trail (what is logged, where, for how long)", columns(logged), ...needs, "", "Audit alerts", columns(alerts)];
}
