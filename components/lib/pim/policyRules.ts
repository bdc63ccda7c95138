/**
 * The rules of a PIM role management policy for a role that agents activate just in time: approval by
 * designated humans, a capped activation, a justification, notifications to approvers, requestor and
 * admins, and no rule a workload identity cannot satisfy (no MFA, no authentication context).
 * Rule ids and shapes follow Microsoft.Authorization 2020-10-01 (PatchRoleManagementPolicy example).
 */
import { ApproverType } from "../../../rules/choices";

/** An approver of activation requests. */
export interface PimApprover {
  /** Entra ID object id of the user or group. */
  objectId: string;
  /** `User` or `Group`. */
  type: ApproverType;
  /** Shown in the portal. Default none. */
  description?: string;
}

/** Settings of the policy. */
export interface JitPolicySettings {
  /** Longest activation (ISO 8601, PT1H-PT4H). */
  maximumActivationDuration: string;
  /** Who approves activations (at least one). */
  approvers: PimApprover[];
  /** Days an approval request stays open. */
  approvalTimeoutDays: number;
  /** Extra e-mail recipients of admin notifications. */
  notificationEmails: string[];
  /** Longest eligibility an admin may grant (ISO 8601 days, e.g. `P365D`); eligibilities must expire. */
  maximumEligibilityDuration: string;
}

const activationTarget = { caller: "EndUser", operations: ["All"], level: "Assignment" };
const eligibilityTarget = { caller: "Admin", operations: ["All"], level: "Eligibility" };

function notification(id: string, recipientType: string, target: object, recipients: string[]) {
  return {
    id,
    ruleType: "RoleManagementPolicyNotificationRule" as const,
    notificationType: "Email",
    recipientType,
    notificationLevel: "All",
    isDefaultRecipientsEnabled: true,
    notificationRecipients: recipients,
    target,
  };
}

/** Activation needs one approval stage by the configured approvers, with justifications both ways. */
function approvalRule(settings: JitPolicySettings) {
  return {
    id: "Approval_EndUser_Assignment",
    ruleType: "RoleManagementPolicyApprovalRule" as const,
    setting: {
      isApprovalRequired: true,
      isApprovalRequiredForExtension: true,
      isRequestorJustificationRequired: true,
      approvalMode: "SingleStage",
      approvalStages: [
        {
          approvalStageTimeOutInDays: settings.approvalTimeoutDays,
          isApproverJustificationRequired: true,
          escalationTimeInMinutes: 0,
          isEscalationEnabled: false,
          primaryApprovers: settings.approvers.map((a) => ({
            id: a.objectId,
            userType: a.type,
            isBackup: false,
            ...(a.description ? { description: a.description } : {}),
          })),
        },
      ],
    },
    target: activationTarget,
  };
}

/** The rules, in a fixed order so that a second evaluation gives the same inputs. */
export function jitPolicyRules(settings: JitPolicySettings) {
  return [
    // Eligibilities are written with a start and a duration (the provider cannot send one without a
    // duration), so the policy requires an end and caps it at exactly that duration.
    {
      id: "Expiration_Admin_Eligibility",
      ruleType: "RoleManagementPolicyExpirationRule" as const,
      isExpirationRequired: true,
      maximumDuration: settings.maximumEligibilityDuration,
      target: eligibilityTarget,
    },
    {
      id: "Expiration_EndUser_Assignment",
      ruleType: "RoleManagementPolicyExpirationRule" as const,
      isExpirationRequired: true,
      maximumDuration: settings.maximumActivationDuration,
      target: activationTarget,
    },
    {
      id: "Enablement_EndUser_Assignment",
      ruleType: "RoleManagementPolicyEnablementRule" as const,
      // Justification only: MultiFactorAuthentication would lock out every workload identity.
      enabledRules: ["Justification"],
      target: activationTarget,
    },
    approvalRule(settings),
    {
      id: "AuthenticationContext_EndUser_Assignment",
      ruleType: "RoleManagementPolicyAuthenticationContextRule" as const,
      isEnabled: false,
      claimValue: "",
      target: activationTarget,
    },
    notification("Notification_Approver_EndUser_Assignment", "Approver", activationTarget, []),
    notification("Notification_Requestor_EndUser_Assignment", "Requestor", activationTarget, []),
    notification("Notification_Admin_EndUser_Assignment", "Admin", activationTarget, [...settings.notificationEmails].sort()),
  ];
}
