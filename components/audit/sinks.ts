/**
 * Where the audit trail's logs go and what sends them: the workspace (or an existing one), the Entra ID
 * tenant setting, the subscription's Activity Log setting and the cluster's control-plane audit setting.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aadiam from "@pulumi/azure-native/aadiam";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { DEFAULT_RETENTION_DAYS } from "../../rules/audit/validate";
import { ACTIVITY_LOG_CATEGORIES, CLUSTER_LOG_CATEGORIES, ENTRA_LOG_CATEGORIES } from "./categories";
import type { AuditScope } from "./scope";

/** The workspace created here, or undefined when `existingWorkspaceId` is used, and the id logs go to. */
export function buildWorkspace(s: AuditScope): { workspace?: operationalinsights.Workspace; workspaceId: pulumi.Output<string> } {
  const { args } = s;
  if (args.existingWorkspaceId !== undefined) {
    return { workspaceId: pulumi.output(args.existingWorkspaceId) };
  }
  const workspace = new operationalinsights.Workspace(
    `${s.name}-workspace`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      workspaceName: args.workspaceName ?? `${s.prefix}-audit`,
      sku: { name: "PerGB2018" },
      retentionInDays: args.retentionDays ?? DEFAULT_RETENTION_DAYS,
      // Every writer here authenticates with Entra ID (diagnostic settings, Container insights with
      // useAADAuth): no shared workspace key that could inject or read records outside Azure RBAC.
      features: { disableLocalAuth: true },
      tags: args.tags,
    },
    { parent: s.parent },
  );
  return { workspace, workspaceId: workspace.id };
}

/** The tenant setting sending Entra ID logs to the workspace (unless off), and the workspace they land in. */
export function buildTenantDiagnostics(s: AuditScope, workspaceId: pulumi.Output<string>): { setting?: aadiam.DiagnosticSetting; entraWorkspaceId: pulumi.Output<string> } {
  if (!(s.args.tenantDiagnostics ?? true)) {
    return { entraWorkspaceId: pulumi.output(s.args.tenantDiagnosticsWorkspaceId!) };
  }
  const setting = new aadiam.DiagnosticSetting(
    `${s.name}-entra`,
    { name: `${s.prefix}-entra-audit`, workspaceId, logs: ENTRA_LOG_CATEGORIES.map((category) => ({ category, enabled: true })) },
    { parent: s.parent },
  );
  return { setting, entraWorkspaceId: workspaceId };
}

/** The subscription's Activity Log to the workspace. */
export function buildActivityLogSetting(s: AuditScope, workspaceId: pulumi.Output<string>): monitor.SubscriptionDiagnosticSetting {
  return new monitor.SubscriptionDiagnosticSetting(
    `${s.name}-activity-log`,
    { name: `${s.prefix}-activity-log`, workspaceId, logs: ACTIVITY_LOG_CATEGORIES.map((category) => ({ category, enabled: true })) },
    { parent: s.parent },
  );
}

/** The cluster's control-plane audit logs to the workspace, in resource-specific tables. */
export function buildClusterDiagnostics(s: AuditScope, clusterId: pulumi.Input<string>, workspaceId: pulumi.Output<string>): monitor.DiagnosticSetting {
  return new monitor.DiagnosticSetting(
    `${s.name}-cluster`,
    {
      name: `${s.prefix}-kubernetes-audit`,
      resourceUri: clusterId,
      workspaceId,
      // Resource-specific tables (AKSAuditAdmin, AKSControlPlane) instead of AzureDiagnostics.
      logAnalyticsDestinationType: "Dedicated",
      logs: CLUSTER_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
    },
    { parent: s.parent },
  );
}
