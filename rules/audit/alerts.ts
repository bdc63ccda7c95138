/**
 * The audit trail's log alerts: one scheduled query rule per entry, its KQL file, the tables it reads
 * (which decides the workspace it runs in), who hears about it and its default window and threshold.
 */
import { AlertFrequencyMinutes, AuditAlertName, choiceValues } from "../choices";

/** Where the tables a query reads live: Entra ID's tenant logs, or the stack's own workspace. */
export type AlertSource = "entra" | "workspace";

/** Who receives an alert: the security team, or (informational) the JIT approvers' channel. */
export type AlertAudience = "security" | "approvers";

/** One log alert of the audit trail. */
export interface AlertDefinition {
  /** Stable name, used in config (`audit.alerts.<name>`) and in the rule's name. */
  name: AuditAlertName;
  /** One line saying what fired. */
  title: string;
  /** The KQL file below `audit/queries/`. */
  file: string;
  /** Entra tables (AuditLogs, AAD*SignInLogs) or the stack's workspace (AzureActivity, ContainerLogV2, AKS*). */
  source: AlertSource;
  /** Who is told. */
  audience: AlertAudience;
  /** Azure Monitor severity, 0 (critical) to 4 (verbose). */
  severity: number;
  /** Minutes of data each evaluation reads. */
  windowMinutes: number;
  /** Minutes between evaluations. */
  frequencyMinutes: AlertFrequencyMinutes;
  /** The rule fires when the number of rows (per dimension) is at least this. */
  threshold: number;
  /** A column that splits the count, one alert per value (e.g. per callee). Default none. */
  dimension?: string;
}

/** Every log alert, in the order the plan lists them. */
export const AUDIT_ALERTS: readonly AlertDefinition[] = [
  { name: "standing-sensitive-role", title: "A sensitive role was assigned standing", file: "alerts/standing-sensitive-role.kql", source: "workspace", audience: "security", severity: 0, windowMinutes: 5, frequencyMinutes: 5, threshold: 1 },
  { name: "federated-credential-changed", title: "A federated credential of an agent identity changed outside a deploy", file: "alerts/federated-credential-changed.kql", source: "workspace", audience: "security", severity: 1, windowMinutes: 5, frequencyMinutes: 5, threshold: 1 },
  { name: "app-credential-added", title: "A credential was added to an agent's app registration", file: "alerts/app-credential-added.kql", source: "entra", audience: "security", severity: 1, windowMinutes: 15, frequencyMinutes: 15, threshold: 1 },
  { name: "jit-activation-pim", title: "PIM activation step of a sensitive role (informational)", file: "alerts/jit-activation-pim.kql", source: "entra", audience: "approvers", severity: 3, windowMinutes: 15, frequencyMinutes: 15, threshold: 1 },
  { name: "jit-activation-agent", title: "An agent's JIT activation step (informational)", file: "alerts/jit-activation-agent.kql", source: "workspace", audience: "approvers", severity: 3, windowMinutes: 15, frequencyMinutes: 15, threshold: 1, dimension: "Agent" },
  { name: "activation-by-non-agent", title: "A JIT role was activated by a principal that is not an agent of the stack", file: "alerts/activation-by-non-agent.kql", source: "workspace", audience: "security", severity: 1, windowMinutes: 5, frequencyMinutes: 5, threshold: 1 },
  { name: "caller-refusal-burst", title: "A burst of caller-validation refusals at one callee", file: "alerts/caller-refusal-burst.kql", source: "workspace", audience: "security", severity: 2, windowMinutes: 5, frequencyMinutes: 5, threshold: 20, dimension: "ContainerName" },
  { name: "token-exchange-failures", title: "Token exchanges of an agent's managed identity are failing", file: "alerts/token-exchange-failures.kql", source: "entra", audience: "security", severity: 2, windowMinutes: 15, frequencyMinutes: 15, threshold: 5, dimension: "ServicePrincipalName" },
];

/** The alert names in the order of {@link AUDIT_ALERTS}, for config validation. */
export const AUDIT_ALERT_NAMES: readonly AuditAlertName[] = AUDIT_ALERTS.map((a) => a.name);

/** Evaluation frequencies Azure Monitor accepts for log search alerts, in minutes (the values of {@link AlertFrequencyMinutes}). */
export const ALERT_FREQUENCIES_MINUTES = choiceValues(AlertFrequencyMinutes);

/** Longest window of a log search alert: two days. */
export const MAX_ALERT_WINDOW_MINUTES = 2880;

/** ISO 8601 duration of a number of minutes (`PT5M`, `PT2H`, `P1D`). */
export function isoMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `PT${minutes / 60}H`;
  return `PT${minutes}M`;
}
