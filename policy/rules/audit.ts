/**
 * Audit: a stack that grants PIM eligibilities also keeps the trail of what is done with them. Entra
 * ID's audit log (PIM requests, approvals) and the subscription's Activity Log (Administrative) go to a
 * Log Analytics workspace that keeps them at least 90 days.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { TOKENS } from "./shared";

/** Shortest retention the policy accepts: the Activity Log's own 90 days. */
export const MIN_AUDIT_RETENTION_DAYS = 90;

const WORKSPACE = "azure-native:operationalinsights:Workspace";
const ENTRA_SETTING = "azure-native:aadiam:DiagnosticSetting";
const ACTIVITY_LOG_SETTING = "azure-native:monitor:SubscriptionDiagnosticSetting";

/** Policy config of {@link pimRequiresAuditTrail}. */
export interface AuditTrailPolicyConfig {
  /** Ids of workspaces outside the stack that the organization attests keep data 90 days or more. */
  attestedWorkspaceIds?: string[];
  /** Another team's tenant diagnostic setting sends Entra ID's audit log to an attested workspace. */
  tenantDiagnosticsElsewhere?: boolean;
}

function enabledCategories(r: PolicyResource): string[] {
  return ((r.props.logs ?? []) as Array<{ category?: string; enabled?: boolean }>).filter((l) => l.enabled === true).map((l) => String(l.category));
}

/** PIM eligibilities need the audit log and the Activity Log in a workspace that keeps them 90 days or more. */
export const pimRequiresAuditTrail: StackValidationPolicy = {
  name: "pim-requires-audit-trail",
  description: "A stack with PIM eligibilities sends Entra ID's AuditLogs and the Activity Log (Administrative) to a Log Analytics workspace with retention of at least 90 days.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      attestedWorkspaceIds: { type: "array", items: { type: "string" }, default: [] },
      tenantDiagnosticsElsewhere: { type: "boolean", default: false },
    },
  },
  validateStack: (args, report) => {
    const eligibilities = args.resources.filter((r) => r.type === TOKENS.eligibility);
    if (eligibilities.length === 0) {
      return;
    }
    const config = (args.getConfig?.<AuditTrailPolicyConfig>() ?? {}) as AuditTrailPolicyConfig;
    const attested = new Set((config.attestedWorkspaceIds ?? []).map((id) => id.toLowerCase()));
    const workspaces = args.resources.filter((r) => r.type === WORKSPACE);
    /** Why a destination does not keep data long enough, or undefined when it does. */
    const shortfall = (workspaceId: unknown): string | undefined => {
      const id = String(workspaceId ?? "");
      if (id === "") return "sends to no workspace";
      if (attested.has(id.toLowerCase())) return undefined;
      const workspace = workspaces.find((w) => w.props.id === id || (w.props.workspaceName !== undefined && id.toLowerCase().endsWith(`/workspaces/${String(w.props.workspaceName).toLowerCase()}`)));
      if (!workspace) return `sends to ${id}, which is neither in the stack nor in the policy's attestedWorkspaceIds`;
      const days = Number(workspace.props.retentionInDays ?? 30);
      return days >= MIN_AUDIT_RETENTION_DAYS ? undefined : `sends to workspace ${workspace.name}, which keeps data ${days} days (at least ${MIN_AUDIT_RETENTION_DAYS} required)`;
    };
    const check = (type: string, category: string, what: string, skip: boolean) => {
      if (skip) return;
      const settings = args.resources.filter((r) => r.type === type && enabledCategories(r).includes(category));
      const problems = settings.map((s) => shortfall(s.props.workspaceId));
      if (settings.length === 0) {
        report(`The stack grants ${eligibilities.length} PIM eligibilit${eligibilities.length === 1 ? "y" : "ies"} but sends no ${what} (${category}) to a Log Analytics workspace. Add the AuditTrail component (config key audit).`);
      } else if (problems.every((p) => p !== undefined)) {
        settings.forEach((s, i) => report(`${what} setting ${s.name} ${problems[i]}.`, s.urn));
      }
    };
    check(ENTRA_SETTING, "AuditLogs", "Entra ID audit log", config.tenantDiagnosticsElsewhere === true);
    check(ACTIVITY_LOG_SETTING, "Administrative", "Activity Log", false);
  },
};
