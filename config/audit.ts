/**
 * The `audit` key of the stack config: where the audit trail goes, for how long, and who is alerted.
 * The cross-field rules are the AuditTrail component's own (rules/audit/validate.ts), reported
 * here against the config key path.
 */
import { z } from "zod";
import { integer } from "./fields";
import { AuditAlertName } from "../rules/choices";
import { ALERT_FREQUENCIES_MINUTES, AUDIT_ALERT_NAMES, MAX_ALERT_WINDOW_MINUTES } from "../rules/audit/alerts";
import { ALERT_EMAIL, AuditTrailArgsError, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, WORKSPACE_ID, WORKSPACE_NAME, validateAuditArgs } from "../rules/audit/validate";

const workspaceIdFix = 'write "/subscriptions/<subscription guid>/resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>" (az monitor log-analytics workspace show --query id -o tsv).';

function workspaceId() {
  return z
    .string({ error: `must be a string. Fix: ${workspaceIdFix}` })
    .regex(WORKSPACE_ID, { error: (issue) => `${JSON.stringify(issue.input)} is not a Log Analytics workspace id. Fix: ${workspaceIdFix}` });
}

const email = z
  .string({ error: 'must be an e-mail address. Fix: write e.g. "security-team@fabrikam.com".' })
  .regex(ALERT_EMAIL, { error: (issue) => `${JSON.stringify(issue.input)} is not an e-mail address. Fix: write e.g. "security-team@fabrikam.com".` });

const alertSettings = z
  .object({
    enabled: z.boolean({ error: "must be true or false." }).optional(),
    severity: integer(0, 4).optional(),
    windowMinutes: integer(1, MAX_ALERT_WINDOW_MINUTES).optional(),
    frequencyMinutes: z
      .literal(ALERT_FREQUENCIES_MINUTES, {
        error: (issue) =>
          typeof issue.input === "number"
            ? `${JSON.stringify(issue.input)} is not a frequency Azure Monitor accepts. Fix: use one of ${ALERT_FREQUENCIES_MINUTES.join(", ")}.`
            : "must be a number of minutes. Fix: write a number without quotes.",
      })
      .optional(),
    threshold: integer(1, 1_000_000).optional(),
  })
  .strict();

/** The audit trail's config. */
export const auditSchema = z
  .object({
    workspaceId: workspaceId().optional(),
    workspaceName: z
      .string({ error: "must be a string." })
      .regex(WORKSPACE_NAME, { error: (issue) => `${JSON.stringify(issue.input)} is not a workspace name. Fix: use 4-63 letters, digits and "-", starting and ending with a letter or digit.` })
      .optional(),
    retentionDays: integer(MIN_RETENTION_DAYS, MAX_RETENTION_DAYS).optional(),
    tenantDiagnostics: z.boolean({ error: "must be true or false." }).default(true),
    tenantDiagnosticsWorkspaceId: workspaceId().optional(),
    alertEmails: z.array(email, { error: (issue) => (issue.input === undefined ? "is required. Fix: list the security team's address(es)." : "must be a list of e-mail addresses.") }),
    approverEmails: z.array(email).default([]),
    alerts: z
      .object(Object.fromEntries(AUDIT_ALERT_NAMES.map((name) => [name, alertSettings.optional()])) as Record<AuditAlertName, z.ZodOptional<typeof alertSettings>>)
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((audit, ctx) => {
    try {
      validateAuditArgs("config", { ...audit, existingWorkspaceId: audit.workspaceId });
    } catch (err) {
      if (!(err instanceof AuditTrailArgsError)) throw err;
      const field = err.field === "existingWorkspaceId" ? "workspaceId" : err.field;
      const path = field.split(/[.[\]]/).filter((p) => p !== "").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      ctx.addIssue({ code: "custom", path, message: err.problem });
    }
  });

/**
 * The `audit` key as the stack schema reads it: absent, or `{}` (the project default in Pulumi.yaml, since
 * the CLI requires every key without a default), means no audit trail. Its input type is the audit
 * schema's input or undefined (what a typed caller passes); `{}` and any other value are still read and
 * checked at run time.
 */
export const optionalAuditSchema = z.preprocess(
  (value: z.input<typeof auditSchema> | undefined) => (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0 ? undefined : value),
  auditSchema.optional(),
);

/** The validated audit config. */
export type AuditConfig = z.output<typeof auditSchema>;

/** A stack that grants PIM eligibilities keeps an audit trail: `audit` is required then. */
export function refineAuditRequired(config: { audit?: unknown; agents: Array<{ jit: unknown[] }> }, ctx: z.RefinementCtx): void {
  if (config.audit === undefined && config.agents.some((a) => a.jit.length > 0)) {
    ctx.addIssue({
      code: "custom",
      path: ["audit"],
      message:
        "is required, because agents are eligible for just-in-time roles: every request, approval and activation must be kept beyond Entra ID's 30 days and alerted on. Fix: set audit.alertEmails to the security team's address(es); the workspace and diagnostic settings follow the defaults (one year).",
    });
  }
}
