/**
 * Checks of {@link AuditTrailArgs} made before anything is registered: one error naming the field and
 * the fix. The stack config schema applies the same limits (config/audit.ts imports them from here).
 */
import { ComponentArgsError } from "../componentArgsError";
import { ALERT_FREQUENCIES_MINUTES, AUDIT_ALERTS, AUDIT_ALERT_NAMES, MAX_ALERT_WINDOW_MINUTES } from "./alerts";
import { AlertFrequencyMinutes, AuditAlertName, isChoice } from "../choices";

/** ARM id of a Log Analytics workspace. */
export const WORKSPACE_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.OperationalInsights\/workspaces\/[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/i;
/** A Log Analytics workspace name: 4-63 letters, digits and hyphens, starting and ending with a letter or digit. */
export const WORKSPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/;
/** An e-mail address (the form action groups accept). */
export const ALERT_EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** Shortest retention this project writes: the Activity Log's own 90 days (less would keep less than Azure already does). */
export const MIN_RETENTION_DAYS = 90;
/** Longest interactive retention of a Log Analytics workspace (longer needs long-term retention per table). */
export const MAX_RETENTION_DAYS = 730;
/** Default retention: one year. */
export const DEFAULT_RETENTION_DAYS = 365;
/** Action group e-mail receivers: Azure Monitor allows at most 1000 per group; a sane cap for config. */
export const MAX_ALERT_EMAILS = 50;

/** Per-alert overrides of {@link AUDIT_ALERTS} defaults. */
export interface AlertSettings {
  /** Create the rule. Default true. */
  enabled?: boolean;
  /** Severity 0 (critical) to 4 (verbose). Default: the alert's. */
  severity?: number;
  /** Minutes of data each evaluation reads (at least the frequency, at most 2880). Default: the alert's. */
  windowMinutes?: number;
  /** Minutes between evaluations (1, 5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360 or 1440). Default: the alert's. */
  frequencyMinutes?: AlertFrequencyMinutes;
  /** Rows (per dimension) in the window that fire the alert, at least 1. Default: the alert's. */
  threshold?: number;
}

/** Per-alert overrides by alert name; a name outside {@link AuditAlertName} is refused at run time. */
export type AlertOverrides = { [Name in AuditAlertName]?: AlertSettings };

/**
 * Thrown when the audit trail's arguments are invalid, before anything is registered: a
 * {@link ComponentArgsError} of component `AuditTrail` with its own code.
 */
export class AuditTrailArgsError extends ComponentArgsError {
  /** Stable code. */
  override readonly code = "ERR_AUDIT_TRAIL_ARGS";
  constructor(
    /** The component's resource name. */
    resourceName: string,
    /** The bad field. */
    field: string,
    /** What is wrong with the field and the fix, without its name (the stack config reports it under its own key). */
    readonly problem: string,
  ) {
    super("AuditTrail", resourceName, field, `${field} ${problem}`);
    this.name = "AuditTrailArgsError";
  }
}

/** The fields of the arguments this module checks. */
export interface CheckedAuditArgs {
  workspaceName?: string;
  existingWorkspaceId?: string;
  retentionDays?: number;
  tenantDiagnostics?: boolean;
  tenantDiagnosticsWorkspaceId?: string;
  alertEmails: string[];
  approverEmails?: string[];
  alerts?: AlertOverrides;
}

/** Throws an {@link AuditTrailArgsError} for the first bad field. */
export function validateAuditArgs(component: string, args: CheckedAuditArgs): void {
  const fail = (field: string, message: string): never => {
    throw new AuditTrailArgsError(component, field, message);
  };
  if (args.existingWorkspaceId !== undefined && !WORKSPACE_ID.test(args.existingWorkspaceId)) {
    fail("existingWorkspaceId", `${JSON.stringify(args.existingWorkspaceId)} is not a Log Analytics workspace id. Fix: use the output of "az monitor log-analytics workspace show --query id -o tsv".`);
  }
  if (args.existingWorkspaceId !== undefined && args.retentionDays !== undefined) {
    fail("retentionDays", "is set, but the workspace is not created here (existingWorkspaceId), so its retention is not ours to set. Fix: remove retentionDays, or remove existingWorkspaceId to create the workspace.");
  }
  if (args.workspaceName !== undefined && !WORKSPACE_NAME.test(args.workspaceName)) {
    fail("workspaceName", `${JSON.stringify(args.workspaceName)} is not a workspace name. Fix: use 4-63 letters, digits and "-", starting and ending with a letter or digit.`);
  }
  const retention = args.retentionDays ?? DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(retention) || retention < MIN_RETENTION_DAYS || retention > MAX_RETENTION_DAYS) {
    fail("retentionDays", `${retention} is outside ${MIN_RETENTION_DAYS}-${MAX_RETENTION_DAYS}. Fix: keep the trail at least as long as the Activity Log's own 90 days, at most 730 (Log Analytics' interactive retention).`);
  }
  if (args.tenantDiagnostics === false) {
    if (args.tenantDiagnosticsWorkspaceId === undefined) {
      fail("tenantDiagnosticsWorkspaceId", "is required when tenantDiagnostics is false: the alerts on Entra ID logs must query the workspace the other team sends them to. Fix: set that workspace's id.");
    }
    if (!WORKSPACE_ID.test(args.tenantDiagnosticsWorkspaceId!)) {
      fail("tenantDiagnosticsWorkspaceId", `${JSON.stringify(args.tenantDiagnosticsWorkspaceId)} is not a Log Analytics workspace id. Fix: use the output of "az monitor log-analytics workspace show --query id -o tsv".`);
    }
  } else if (args.tenantDiagnosticsWorkspaceId !== undefined) {
    fail("tenantDiagnosticsWorkspaceId", "is set while tenantDiagnostics is on, so Entra ID logs go to this stack's workspace and the id would be ignored. Fix: remove it, or set tenantDiagnostics to false.");
  }
  if (args.alertEmails.length === 0) {
    fail("alertEmails", "is empty: an alert nobody receives protects nothing. Fix: list the security team's address(es).");
  }
  for (const [field, list] of [["alertEmails", args.alertEmails], ["approverEmails", args.approverEmails ?? []]] as const) {
    if (list.length > MAX_ALERT_EMAILS) fail(field, `lists ${list.length} addresses. Fix: list at most ${MAX_ALERT_EMAILS}; use a distribution list.`);
    list.forEach((email, i) => {
      if (!ALERT_EMAIL.test(email)) fail(`${field}[${i}]`, `${JSON.stringify(email)} is not an e-mail address. Fix: write e.g. "security-team@fabrikam.com".`);
    });
  }
  for (const [name, settings] of Object.entries(args.alerts ?? {})) {
    if (!isChoice(AuditAlertName, name)) {
      fail(`alerts.${name}`, `is not an alert of the audit trail. Fix: use one of ${AUDIT_ALERT_NAMES.join(", ")}.`);
    }
    const { severity, windowMinutes, frequencyMinutes, threshold } = settings ?? {};
    if (severity !== undefined && (!Number.isInteger(severity) || severity < 0 || severity > 4)) {
      fail(`alerts.${name}.severity`, `${severity} is not 0-4. Fix: use 0 (critical) to 4 (verbose).`);
    }
    if (frequencyMinutes !== undefined && !isChoice(AlertFrequencyMinutes, frequencyMinutes)) {
      fail(`alerts.${name}.frequencyMinutes`, `${frequencyMinutes} is not a frequency Azure Monitor accepts. Fix: use one of ${ALERT_FREQUENCIES_MINUTES.join(", ")}.`);
    }
    if (windowMinutes !== undefined && (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > MAX_ALERT_WINDOW_MINUTES)) {
      fail(`alerts.${name}.windowMinutes`, `${windowMinutes} is outside 1-${MAX_ALERT_WINDOW_MINUTES}. Fix: use whole minutes up to two days.`);
    }
    const defaults = AUDIT_ALERTS.find((a) => a.name === name)!;
    const window = windowMinutes ?? defaults.windowMinutes;
    const frequency = frequencyMinutes ?? defaults.frequencyMinutes;
    if (window < frequency) {
      fail(`alerts.${name}.windowMinutes`, `${window} is shorter than frequencyMinutes ${frequency}, so events between evaluations would never be read. Fix: make the window at least the frequency.`);
    }
    if (threshold !== undefined && (!Number.isInteger(threshold) || threshold < 1)) {
      fail(`alerts.${name}.threshold`, `${threshold} is not a whole number of at least 1. Fix: count the rows that must be seen to fire.`);
    }
  }
}
