/**
 * AuditTrail: every sensitive access attempt recorded in a Log Analytics workspace the stack controls,
 * for as long as config says, and alerts on what the design says never happens. Entra ID's audit and
 * sign-in logs (tenant diagnostic setting), the subscription's Activity Log, the cluster's Kubernetes
 * audit and guard logs, and the agents' container logs (Container insights) all land in one workspace;
 * the alerts are KQL files (`audit/queries/alerts/`) filled with values from the graph.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aadiam from "@pulumi/azure-native/aadiam";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { AUDIT_ALERTS, AlertDefinition } from "../rules/audit/alerts";
import { AlertOverrides, validateAuditArgs } from "../rules/audit/validate";
import { AuditScope } from "./audit/scope";
import { buildActivityLogSetting, buildClusterDiagnostics, buildTenantDiagnostics, buildWorkspace } from "./audit/sinks";
import { buildContainerInsights } from "./audit/containerInsights";
import { buildActionGroups, buildActivityLogAlerts, buildQueryRules } from "./audit/alerting";

export { AlertOverrides, AlertSettings } from "../rules/audit/validate";

export { ENTRA_LOG_CATEGORIES, TENANT_DIAGNOSTICS_REQUIREMENTS, ACTIVITY_LOG_CATEGORIES, CLUSTER_LOG_CATEGORIES, TAMPERING_OPERATIONS, CONTAINER_INSIGHTS_STREAM } from "./audit/categories";

/** An agent whose identity the trail watches. */
export interface AuditedAgent {
  /** Agent name (its container name in ContainerLogV2). */
  name: string;
  /** Object (principal) id of the agent's managed identity. */
  principalId: pulumi.Input<string>;
  /** Client id of the agent's managed identity. */
  clientId: pulumi.Input<string>;
  /** ARM id of the agent's managed identity. */
  identityId: pulumi.Input<string>;
}

/** Arguments of {@link AuditTrail}. */
export interface AuditTrailArgs {
  /** Resource group of the workspace, action groups and alert rules. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region of the workspace, data collection rule and alert rules. */
  location: pulumi.Input<string>;
  /** Subscription whose Activity Log is kept (scope of the activity log alerts). */
  subscriptionId: pulumi.Input<string>;
  /** Prefix of the Azure names of diagnostic settings and rules. Default: the component name. */
  namePrefix?: string;
  /** Name of the created workspace. Default `<namePrefix>-audit`. */
  workspaceName?: string;
  /** Send to this existing workspace (ARM id) instead of creating one. Default: create. */
  existingWorkspaceId?: string;
  /** Days the created workspace keeps data (90-730). Default 365. Not allowed with `existingWorkspaceId`. */
  retentionDays?: number;
  /**
   * Create the Entra ID tenant diagnostic setting (needs Security Administrator or Global Administrator,
   * and Entra ID P1/P2 for sign-in logs). Default true; false when another team owns tenant diagnostics.
   */
  tenantDiagnostics?: boolean;
  /** The workspace Entra ID logs go to when `tenantDiagnostics` is false (required then, refused otherwise). */
  tenantDiagnosticsWorkspaceId?: string;
  /** ARM id of the cluster whose audit logs and container logs are kept. Default: no cluster settings. */
  clusterId?: pulumi.Input<string>;
  /** Kubernetes namespace of the agents (what the container-log alerts read). Default `agents`. */
  namespace?: string;
  /** Recipients of the security alerts (at least one). */
  alertEmails: string[];
  /** Recipients of the informational JIT alerts (the approvers' channel). Default: `alertEmails`. */
  approverEmails?: string[];
  /** The stack's agents. Default none. */
  agents?: AuditedAgent[];
  /** Object ids of the agents' app registrations and service principals. Default none. */
  agentApplicationIds?: pulumi.Input<string>[];
  /** Role definition GUIDs that must never be assigned standing. Default none. */
  sensitiveRoleIds?: string[];
  /** Display names of those roles (what PIM's audit events name). Default none. */
  sensitiveRoleNames?: string[];
  /** Role definition GUIDs behind the stack's just-in-time access. Default none. */
  jitRoleIds?: string[];
  /** Ids (object and client) of whoever runs pulumi up: their writes are deploys. Default none. */
  deployerIds?: pulumi.Input<string>[];
  /** Per-alert overrides by alert name. Default: each alert's own settings. */
  alerts?: AlertOverrides;
  /** Tags of the created resources. Default none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** An alert as deployed: its definition with the overrides applied. */
export interface EffectiveAlert extends AlertDefinition {
  /** Recipients. */
  recipients: string[];
}

/** The alerts after overrides, disabled ones left out; pure, so the plan and tests can use it. */
export function effectiveAlerts(args: Pick<AuditTrailArgs, "alerts" | "alertEmails" | "approverEmails">): EffectiveAlert[] {
  return AUDIT_ALERTS.filter((a) => args.alerts?.[a.name]?.enabled !== false).map((a) => {
    const o = args.alerts?.[a.name] ?? {};
    const approvers = args.approverEmails && args.approverEmails.length > 0 ? args.approverEmails : args.alertEmails;
    return {
      ...a,
      severity: o.severity ?? a.severity,
      windowMinutes: o.windowMinutes ?? a.windowMinutes,
      frequencyMinutes: o.frequencyMinutes ?? a.frequencyMinutes,
      threshold: o.threshold ?? a.threshold,
      recipients: a.audience === "approvers" ? approvers : args.alertEmails,
    };
  });
}

/** The audit trail: workspace, diagnostic settings, Container insights, action groups and alerts. */
export class AuditTrail extends pulumi.ComponentResource {
  /** ARM id of the workspace the stack's logs go to. */
  public readonly workspaceId: pulumi.Output<string>;
  /** ARM id of the workspace Entra ID logs go to (this one, or the other team's). */
  public readonly entraWorkspaceId: pulumi.Output<string>;
  /** The created workspace (none when an existing one is used). */
  public readonly workspace?: operationalinsights.Workspace;
  /** Entra ID tenant diagnostic setting (none when another team owns it). */
  public readonly tenantDiagnosticSetting?: aadiam.DiagnosticSetting;
  /** The subscription's Activity Log diagnostic setting. */
  public readonly activityLogSetting: monitor.SubscriptionDiagnosticSetting;
  /** The cluster's diagnostic setting (none without `clusterId`). */
  public readonly clusterDiagnosticSetting?: monitor.DiagnosticSetting;
  /** Container insights data collection rule and its association with the cluster (none without `clusterId`). */
  public readonly containerInsights?: { rule: monitor.DataCollectionRule; association: monitor.DataCollectionRuleAssociation };
  /** Action group of the security team. */
  public readonly securityActionGroup: monitor.ActionGroup;
  /** Action group of the approvers' channel (none when it is the security team's). */
  public readonly approversActionGroup?: monitor.ActionGroup;
  /** Scheduled query rules by alert name. */
  public readonly queryRules: Record<string, monitor.ScheduledQueryRule>;
  /** Activity log alerts by name. */
  public readonly activityLogAlerts: Record<string, monitor.ActivityLogAlert>;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    validateAuditArgs(name, args);
    super("agent-identity:index:AuditTrail", name, {}, opts);
    const scope: AuditScope = { name, prefix: args.namePrefix ?? name, parent: this, args };

    const { workspace, workspaceId } = buildWorkspace(scope);
    this.workspace = workspace;
    this.workspaceId = workspaceId;
    const tenant = buildTenantDiagnostics(scope, workspaceId);
    this.tenantDiagnosticSetting = tenant.setting;
    this.entraWorkspaceId = tenant.entraWorkspaceId;
    this.activityLogSetting = buildActivityLogSetting(scope, workspaceId);
    if (args.clusterId !== undefined) {
      this.clusterDiagnosticSetting = buildClusterDiagnostics(scope, args.clusterId, workspaceId);
      this.containerInsights = buildContainerInsights(scope, args.clusterId, workspaceId);
    }

    const groups = buildActionGroups(scope);
    this.securityActionGroup = groups.security;
    this.approversActionGroup = groups.approvers;
    const actionGroupOf = (audience: string) => (audience === "approvers" && groups.approvers ? groups.approvers : groups.security).id;
    this.queryRules = buildQueryRules(scope, effectiveAlerts(args), { workspaceId, entraWorkspaceId: this.entraWorkspaceId, actionGroupOf });
    this.activityLogAlerts = buildActivityLogAlerts(scope, groups.security.id);

    this.registerOutputs({
      workspaceId: this.workspaceId,
      entraWorkspaceId: this.entraWorkspaceId,
      workspace: this.workspace,
      tenantDiagnosticSetting: this.tenantDiagnosticSetting,
      activityLogSetting: this.activityLogSetting,
      clusterDiagnosticSetting: this.clusterDiagnosticSetting,
      containerInsights: this.containerInsights,
      securityActionGroup: this.securityActionGroup,
      approversActionGroup: this.approversActionGroup,
      queryRules: this.queryRules,
      activityLogAlerts: this.activityLogAlerts,
    });
  }
}
