/**
 * What a role assignment schedule request's status means for an activation. The statuses are the
 * `Status` enum of Microsoft.Authorization 2020-10-01 (azure-rest-api-specs,
 * specification/authorization/resource-manager/Microsoft.Authorization/stable/2020-10-01/RoleAssignmentScheduleRequest.json).
 * A status outside that list is "unknown": the client does not guess whether it is pending.
 */

/** How the client treats a status. */
export type StatusKind = "active" | "pending" | "denied" | "expired" | "failed" | "unknown";

const KINDS: Record<string, StatusKind> = {
  Provisioned: "active",
  ScheduleCreated: "active",
  Accepted: "pending",
  PendingEvaluation: "pending",
  Granted: "pending",
  PendingProvisioning: "pending",
  PendingApprovalProvisioning: "pending",
  PendingApproval: "pending",
  PendingAdminDecision: "pending",
  AdminApproved: "pending",
  ProvisioningStarted: "pending",
  PendingScheduleCreation: "pending",
  PendingExternalProvisioning: "pending",
  Denied: "denied",
  AdminDenied: "denied",
  TimedOut: "expired",
  Failed: "failed",
  FailedAsResourceIsLocked: "failed",
  Canceled: "failed",
  Revoked: "failed",
  PendingRevocation: "failed",
  Invalid: "failed",
};

/** The kind of a status (exact, case-sensitive match as Azure sends it). */
export function statusKind(status: string): StatusKind {
  return Object.prototype.hasOwnProperty.call(KINDS, status) ? KINDS[status] : "unknown";
}
