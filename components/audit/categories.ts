/** What the audit trail collects and watches for: log categories, operations, streams. */

/** Entra ID log categories sent to the workspace (Microsoft Entra "diagnostic settings" log options). */
export const ENTRA_LOG_CATEGORIES = ["AuditLogs", "ServicePrincipalSignInLogs", "ManagedIdentitySignInLogs"] as const;
/**
 * What a tenant diagnostic setting needs (Microsoft Entra monitoring and health: "plan-monitoring-and-reporting"
 * and "howto-integrate-activity-logs-with-azure-monitor-logs"): whoever runs pulumi up holds one of these
 * Entra roles, and the tenant an Entra ID P1 or P2 licence for the sign-in logs to be exported.
 */
export const TENANT_DIAGNOSTICS_REQUIREMENTS = {
  roles: ["Security Administrator", "Global Administrator"],
  licence: "Microsoft Entra ID P1 or P2",
} as const;
/**
 * Activity Log categories sent to the workspace: Administrative (role assignment, PIM schedule request and
 * federated credential writes), Security (Defender for Cloud alerts), Policy (Azure Policy denials of
 * non-compliant writes) and Alert (the firing of these alerts, so the trail shows what was raised).
 */
export const ACTIVITY_LOG_CATEGORIES = ["Administrative", "Security", "Policy", "Alert"] as const;
/** AKS resource log categories: Kubernetes audit without get/list, and the Entra ID/Azure RBAC guard webhook. */
export const CLUSTER_LOG_CATEGORIES = ["kube-audit-admin", "guard"] as const;
/** Operations whose success means someone is removing the trail itself. */
export const TAMPERING_OPERATIONS = ["Microsoft.Insights/diagnosticSettings/delete", "Microsoft.OperationalInsights/workspaces/delete"] as const;
/** The Container insights stream group that includes ContainerLogV2 (Azure Monitor data collection rule for AKS). */
export const CONTAINER_INSIGHTS_STREAM = "Microsoft-ContainerInsights-Group-Default";
