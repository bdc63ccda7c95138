/**
 * The audit trail's alerting: action groups (security team, approvers), one scheduled KQL rule per
 * effective alert, and the Activity Log alerts on tampering and PIM policy changes.
 */
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import { isoMinutes } from "../../rules/audit/alerts";
import { KqlValue, placeholdersOf, readQuery, renderQuery } from "../lib/audit/kql";
import { TAMPERING_OPERATIONS } from "./categories";
import type { EffectiveAlert } from "../auditTrail";
import type { AuditScope } from "./scope";

/** The action groups: security always, approvers when `approverEmails` lists anyone. */
export function buildActionGroups(s: AuditScope): { security: monitor.ActionGroup; approvers?: monitor.ActionGroup } {
  const group = (key: string, shortName: string, emails: string[]) =>
    new monitor.ActionGroup(
      `${s.name}-${key}`,
      {
        resourceGroupName: s.args.resourceGroupName,
        location: "Global",
        actionGroupName: `${s.prefix}-${key}`,
        groupShortName: shortName,
        enabled: true,
        emailReceivers: emails.map((emailAddress, i) => ({ name: `email-${i}`, emailAddress, useCommonAlertSchema: true })),
        tags: s.args.tags,
      },
      { parent: s.parent },
    );
  const security = group("security", "agent-sec", s.args.alertEmails);
  const approvers = s.args.approverEmails && s.args.approverEmails.length > 0 ? group("approvers", "agent-jit", s.args.approverEmails) : undefined;
  return { security, approvers };
}

/** The values the KQL templates' placeholders are filled with. */
export function queryValues(s: AuditScope): Record<string, pulumi.Input<KqlValue>> {
  const { args } = s;
  const agents = args.agents ?? [];
  return {
    SENSITIVE_ROLE_IDS: args.sensitiveRoleIds ?? [],
    SENSITIVE_ROLE_NAMES: args.sensitiveRoleNames ?? [],
    JIT_ROLE_IDS: args.jitRoleIds ?? [],
    NAMESPACE: args.namespace ?? "agents",
    AGENT_IDS: pulumi.all(agents.flatMap((a) => [a.principalId, a.clientId])),
    AGENT_IDENTITY_IDS: pulumi.all(agents.map((a) => a.identityId)),
    AGENT_APPLICATION_IDS: pulumi.all(args.agentApplicationIds ?? []),
    DEPLOYER_IDS: pulumi.all(args.deployerIds ?? []),
  };
}

/** Where each alert reads and whom it tells. */
export interface AlertTargets {
  /** The audit workspace. */
  workspaceId: pulumi.Output<string>;
  /** The workspace Entra ID logs land in. */
  entraWorkspaceId: pulumi.Output<string>;
  /** The action group id per audience. */
  actionGroupOf: (audience: string) => pulumi.Output<string>;
}

/** One scheduled query rule per alert, its KQL rendered from the template with the trail's values. */
export function buildQueryRules(s: AuditScope, alerts: EffectiveAlert[], targets: AlertTargets): Record<string, monitor.ScheduledQueryRule> {
  const values = queryValues(s);
  const rules: Record<string, monitor.ScheduledQueryRule> = {};
  for (const alert of alerts) {
    const template = readQuery(alert.file);
    const used = placeholdersOf(template);
    const unknown = used.filter((key) => !(key in values));
    if (unknown.length > 0) {
      throw new pulumi.ResourceError(`${alert.file} uses ${unknown.join(", ")}, which the audit trail does not provide. Fix: use only ${Object.keys(values).join(", ")}.`, s.parent);
    }
    const query = pulumi
      .all(Object.fromEntries(used.map((key) => [key, values[key]])))
      .apply((resolved) => renderQuery(template, resolved as Record<string, KqlValue>, alert.file));
    rules[alert.name] = queryRule(s, alert, query, targets);
  }
  return rules;
}

function queryRule(s: AuditScope, alert: EffectiveAlert, query: pulumi.Output<string>, targets: AlertTargets): monitor.ScheduledQueryRule {
  return new monitor.ScheduledQueryRule(
    `${s.name}-alert-${alert.name}`,
    {
      resourceGroupName: s.args.resourceGroupName,
      location: s.args.location,
      ruleName: `${s.prefix}-${alert.name}`,
      displayName: alert.title,
      description: `${alert.title}. Query: ${alert.file} (agent-identity).`,
      kind: "LogAlert",
      enabled: true,
      severity: alert.severity,
      evaluationFrequency: isoMinutes(alert.frequencyMinutes),
      windowSize: isoMinutes(alert.windowMinutes),
      scopes: [alert.source === "entra" ? targets.entraWorkspaceId : targets.workspaceId],
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
      actions: { actionGroups: [targets.actionGroupOf(alert.audience)] },
      tags: s.args.tags,
    },
    { parent: s.parent },
  );
}

/** Activity Log alerts on the subscription: the trail being cut, a PIM policy being changed. */
export function buildActivityLogAlerts(s: AuditScope, securityGroupId: pulumi.Output<string>): Record<string, monitor.ActivityLogAlert> {
  const subscriptionScope = pulumi.interpolate`/subscriptions/${s.args.subscriptionId}`;
  const activityAlert = (key: string, description: string, operations: readonly string[]) =>
    new monitor.ActivityLogAlert(
      `${s.name}-${key}`,
      {
        resourceGroupName: s.args.resourceGroupName,
        activityLogAlertName: `${s.prefix}-${key}`,
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
        actions: { actionGroups: [{ actionGroupId: securityGroupId }] },
        tags: s.args.tags,
      },
      { parent: s.parent },
    );
  return {
    "audit-trail-tampered": activityAlert("audit-trail-tampered", "A diagnostic setting or Log Analytics workspace was deleted in the subscription: the audit trail may have been cut.", TAMPERING_OPERATIONS),
    "pim-policy-changed": activityAlert("pim-policy-changed", "A PIM role management policy was changed (approval, activation length or justification rules).", ["Microsoft.Authorization/roleManagementPolicies/write"]),
  };
}
