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
import { AUDIT_ALERTS, AlertDefinition, isoMinutes } from "../rules/audit/alerts";
import { KqlValue, placeholdersOf, readQuery, renderQuery } from "./lib/audit/kql";
import { AlertSettings, DEFAULT_RETENTION_DAYS, validateAuditArgs } from "../rules/audit/validate";

export { AlertSettings } from "../rules/audit/validate";

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
  alerts?: Record<string, AlertSettings | undefined>;
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
    const prefix = args.namePrefix ?? name;
    const group = { resourceGroupName: args.resourceGroupName };

    if (args.existingWorkspaceId === undefined) {
      this.workspace = new operationalinsights.Workspace(
        `${name}-workspace`,
        {
          ...group,
          location: args.location,
          workspaceName: args.workspaceName ?? `${prefix}-audit`,
          sku: { name: "PerGB2018" },
          retentionInDays: args.retentionDays ?? DEFAULT_RETENTION_DAYS,
          // Every writer here authenticates with Entra ID (diagnostic settings, Container insights with
          // useAADAuth): no shared workspace key that could inject or read records outside Azure RBAC.
          features: { disableLocalAuth: true },
          tags: args.tags,
        },
        { parent: this },
      );
      this.workspaceId = this.workspace.id;
    } else {
      this.workspaceId = pulumi.output(args.existingWorkspaceId);
    }
    const workspaceId = this.workspaceId;

    if (args.tenantDiagnostics ?? true) {
      this.tenantDiagnosticSetting = new aadiam.DiagnosticSetting(
        `${name}-entra`,
        { name: `${prefix}-entra-audit`, workspaceId, logs: ENTRA_LOG_CATEGORIES.map((category) => ({ category, enabled: true })) },
        { parent: this },
      );
      this.entraWorkspaceId = workspaceId;
    } else {
      this.entraWorkspaceId = pulumi.output(args.tenantDiagnosticsWorkspaceId!);
    }

    this.activityLogSetting = new monitor.SubscriptionDiagnosticSetting(
      `${name}-activity-log`,
      { name: `${prefix}-activity-log`, workspaceId, logs: ACTIVITY_LOG_CATEGORIES.map((category) => ({ category, enabled: true })) },
      { parent: this },
    );

    if (args.clusterId !== undefined) {
      this.clusterDiagnosticSetting = new monitor.DiagnosticSetting(
        `${name}-cluster`,
        {
          name: `${prefix}-kubernetes-audit`,
          resourceUri: args.clusterId,
          workspaceId,
          // Resource-specific tables (AKSAuditAdmin, AKSControlPlane) instead of AzureDiagnostics.
          logAnalyticsDestinationType: "Dedicated",
          logs: CLUSTER_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
        },
        { parent: this },
      );
      const rule = new monitor.DataCollectionRule(
        `${name}-container-insights`,
        {
          ...group,
          location: args.location,
          dataCollectionRuleName: `${prefix}-container-insights`,
          kind: "Linux",
          description: "Container insights for the agents' cluster: ContainerLogV2 and inventory to the audit workspace.",
          dataSources: {
            extensions: [
              {
                name: "ContainerInsightsExtension",
                extensionName: "ContainerInsights",
                streams: [CONTAINER_INSIGHTS_STREAM],
                extensionSettings: { dataCollectionSettings: { interval: "1m", namespaceFilteringMode: "Off", enableContainerLogV2: true } },
              },
            ],
          },
          destinations: { logAnalytics: [{ name: "ciworkspace", workspaceResourceId: workspaceId }] },
          dataFlows: [{ streams: [CONTAINER_INSIGHTS_STREAM], destinations: ["ciworkspace"] }],
          tags: args.tags,
        },
        { parent: this },
      );
      const association = new monitor.DataCollectionRuleAssociation(
        `${name}-container-insights-association`,
        { associationName: "ContainerInsightsExtension", resourceUri: args.clusterId, dataCollectionRuleId: rule.id, description: "Sends the cluster's container logs to the audit workspace." },
        { parent: this },
      );
      this.containerInsights = { rule, association };
    }

    const emailReceivers = (emails: string[]) => emails.map((emailAddress, i) => ({ name: `email-${i}`, emailAddress, useCommonAlertSchema: true }));
    this.securityActionGroup = new monitor.ActionGroup(
      `${name}-security`,
      { ...group, location: "Global", actionGroupName: `${prefix}-security`, groupShortName: "agent-sec", enabled: true, emailReceivers: emailReceivers(args.alertEmails), tags: args.tags },
      { parent: this },
    );
    if (args.approverEmails && args.approverEmails.length > 0) {
      this.approversActionGroup = new monitor.ActionGroup(
        `${name}-approvers`,
        { ...group, location: "Global", actionGroupName: `${prefix}-approvers`, groupShortName: "agent-jit", enabled: true, emailReceivers: emailReceivers(args.approverEmails), tags: args.tags },
        { parent: this },
      );
    }
    const groupOf = (audience: string) => (audience === "approvers" && this.approversActionGroup ? this.approversActionGroup : this.securityActionGroup).id;

    const agents = args.agents ?? [];
    const values: Record<string, pulumi.Input<KqlValue>> = {
      SENSITIVE_ROLE_IDS: args.sensitiveRoleIds ?? [],
      SENSITIVE_ROLE_NAMES: args.sensitiveRoleNames ?? [],
      JIT_ROLE_IDS: args.jitRoleIds ?? [],
      NAMESPACE: args.namespace ?? "agents",
      AGENT_IDS: pulumi.all(agents.flatMap((a) => [a.principalId, a.clientId])),
      AGENT_IDENTITY_IDS: pulumi.all(agents.map((a) => a.identityId)),
      AGENT_APPLICATION_IDS: pulumi.all(args.agentApplicationIds ?? []),
      DEPLOYER_IDS: pulumi.all(args.deployerIds ?? []),
    };

    this.queryRules = {};
    for (const alert of effectiveAlerts(args)) {
      const template = readQuery(alert.file);
      const used = placeholdersOf(template);
      const unknown = used.filter((key) => !(key in values));
      if (unknown.length > 0) {
        throw new pulumi.ResourceError(`${alert.file} uses ${unknown.join(", ")}, which the audit trail does not provide. Fix: use only ${Object.keys(values).join(", ")}.`, this);
      }
      const query = pulumi
        .all(Object.fromEntries(used.map((key) => [key, values[key]])))
        .apply((resolved) => renderQuery(template, resolved as Record<string, KqlValue>, alert.file));
      this.queryRules[alert.name] = new monitor.ScheduledQueryRule(
        `${name}-alert-${alert.name}`,
        {
          ...group,
          location: args.location,
          ruleName: `${prefix}-${alert.name}`,
          displayName: alert.title,
          description: `${alert.title}. Query: ${alert.file} (agent-identity).`,
          kind: "LogAlert",
          enabled: true,
          severity: alert.severity,
          evaluationFrequency: isoMinutes(alert.frequencyMinutes),
          windowSize: isoMinutes(alert.windowMinutes),
          scopes: [alert.source === "entra" ? this.entraWorkspaceId : workspaceId],
          criteria: {
            allOf: [
              {
                query,
                timeAggregation: "Count",
                operator: "GreaterThanOrEqual",
                threshold: alert.threshold,
                dimensions: alert.dimension ? [{ name: alert.dimension, operator: "Include", values: ["*"] }] : undefined,
                failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
              },
            ],
          },
          // Each occurrence matters: never auto-resolve an alert about something that must not happen.
          autoMitigate: false,
          actions: { actionGroups: [groupOf(alert.audience)] },
          tags: args.tags,
        },
        { parent: this },
      );
    }

    const subscriptionScope = pulumi.interpolate`/subscriptions/${args.subscriptionId}`;
    const activityAlert = (key: string, description: string, operations: readonly string[]) =>
      new monitor.ActivityLogAlert(
        `${name}-${key}`,
        {
          ...group,
          activityLogAlertName: `${prefix}-${key}`,
          location: "global",
          description,
          enabled: true,
          scopes: [subscriptionScope],
          condition: {
            allOf: [
              { field: "category", equals: "Administrative" },
              { field: "status", equals: "Succeeded" },
              { anyOf: operations.map((equals) => ({ field: "operationName", equals })) },
            ],
          },
          actions: { actionGroups: [{ actionGroupId: this.securityActionGroup.id }] },
          tags: args.tags,
        },
        { parent: this },
      );
    this.activityLogAlerts = {
      "audit-trail-tampered": activityAlert("audit-trail-tampered", "A diagnostic setting or Log Analytics workspace was deleted in the subscription: the audit trail may have been cut.", TAMPERING_OPERATIONS),
      "pim-policy-changed": activityAlert("pim-policy-changed", "A PIM role management policy was changed (approval, activation length or justification rules).", ["Microsoft.Authorization/roleManagementPolicies/write"]),
    };

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
