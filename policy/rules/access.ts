/**
 * Access: no standing assignment of a sensitive role; PIM policies that require approval and cap
 * activation at four hours or less.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { TOKENS, forTypes, roleGuidOf } from "./shared";
import { MAX_ACTIVATION_MINUTES, durationMinutes } from "../../components/lib/pim/durations";

/** Policy config of {@link noStandingSensitiveRole}. */
export interface SensitiveRoleConfig {
  /** Role definition GUIDs that must never be assigned standing (in addition to every role behind PIM in the stack). */
  sensitiveRoleIds?: string[];
}

/** A role behind PIM, or listed as sensitive, is never assigned standing. */
export const noStandingSensitiveRole: StackValidationPolicy = {
  name: "no-standing-sensitive-role",
  description: "No standing role assignment of a role that is sensitive: listed in the policy config, or behind a PIM eligibility in the stack.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { sensitiveRoleIds: { type: "array", items: { type: "string" }, default: [] } } },
  validateStack: (args, report) => {
    const config = (args.getConfig?.<SensitiveRoleConfig>() ?? {}) as SensitiveRoleConfig;
    const sensitive = new Set((config.sensitiveRoleIds ?? []).map((id) => id.toLowerCase()));
    for (const e of args.resources.filter((r) => r.type === TOKENS.eligibility)) {
      sensitive.add(roleGuidOf(e.props.roleDefinitionId));
    }
    for (const a of args.resources.filter((r) => r.type === TOKENS.roleAssignment)) {
      const role = roleGuidOf(a.props.roleDefinitionId);
      if (role && sensitive.has(role)) {
        report(`RoleAssignment ${a.name} gives standing access to sensitive role ${role}; make the principal eligible through PIM instead.`, a.urn);
      }
    }
  },
};

/** PIM activation needs approval by someone and ends within four hours. */
export const pimApprovalAndCap: ResourceValidationPolicy = {
  name: "pim-approval-and-cap",
  description: "Role management policies require approval (with approvers) for activation and cap it at PT4H or less.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([TOKENS.roleManagementPolicy], (props, report) => {
    const rules: Array<Record<string, any>> = props.rules ?? [];
    const approval = rules.find((r) => r.id === "Approval_EndUser_Assignment");
    const approvers = (approval?.setting?.approvalStages ?? []).flatMap((s: Record<string, any>) => s.primaryApprovers ?? []);
    if (approval?.setting?.isApprovalRequired !== true || approvers.length === 0) {
      report("Approval_EndUser_Assignment must require approval and name at least one approver.");
    }
    const expiration = rules.find((r) => r.id === "Expiration_EndUser_Assignment");
    const minutes = durationMinutes(String(expiration?.maximumDuration ?? ""));
    if (expiration?.isExpirationRequired !== true || minutes === undefined || minutes > MAX_ACTIVATION_MINUTES) {
      report(`Expiration_EndUser_Assignment must require expiry with maximumDuration of PT4H or less (got ${JSON.stringify(expiration?.maximumDuration)}).`);
    }
  }),
};
