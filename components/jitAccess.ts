/**
 * JitAccess: just-in-time access to one role at one scope. Agents are only *eligible* (a PIM
 * eligibility schedule per agent identity, never a standing assignment); the role's PIM policy at the
 * scope requires approval by designated humans, a justification, and caps each activation at 1-4 hours.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { PimApprover, jitPolicyRules } from "./lib/pim/policyRules";
import { resolvePolicyName } from "./lib/pim/policyLookup";
import { MAX_ACTIVATION_MINUTES, MIN_ACTIVATION_MINUTES, durationMinutes } from "../rules/durations";
import { ELIGIBILITY_START } from "../rules/formats";
import { ComponentArgsError } from "../rules/componentArgsError";
import { ApproverType, choiceValues, isChoice } from "../rules/choices";

/** One principal eligible for the role. */
export interface JitEligiblePrincipal {
  /** Short name used in resource names (the agent name). */
  name: string;
  /** Object id of the principal (the agent identity's `principalId`). */
  principalId: pulumi.Input<string>;
  /** Why the principal is eligible; recorded on the eligibility. */
  justification: string;
}

/** Arguments of {@link JitAccess}. */
export interface JitAccessArgs {
  /** ARM scope of the access (subscription, resource group or resource). */
  scope: string;
  /** ARM id of the role definition. Pass a `CustomRole`'s output so the policy waits for the role. */
  roleDefinitionId: pulumi.Input<string>;
  /** Display name of the role, for descriptions and the plan. */
  roleName: string;
  /** Longest activation, ISO 8601 from PT1H to PT4H. Default PT1H. */
  maximumActivationDuration?: string;
  /** Who approves activations (users or groups, at least one). */
  approvers: PimApprover[];
  /** Days an approval request stays open. Default 1. */
  approvalTimeoutDays?: number;
  /** Extra e-mail recipients of admin notifications. Default none. */
  notificationEmails?: string[];
  /** The principals made eligible. */
  eligible: JitEligiblePrincipal[];
  /**
   * When the eligibilities start: a fixed UTC date-time (`2026-12-01T00:00:00Z`), never "now", so a
   * second evaluation gives the same inputs. Moving it forward renews the eligibilities (each is
   * replaced: PIM eligibilities cannot be updated). Required.
   */
  eligibilityStart: string;
  /**
   * How long each eligibility lasts from `eligibilityStart`, ISO 8601 days (`P1D`-`P365D`); also the
   * policy's maximum eligibility. Default `P365D`.
   */
  eligibilityDuration?: string;
}

/** Eligibility plus the approval policy for one role at one scope. */
export class JitAccess extends pulumi.ComponentResource {
  /** The policy patched for the role at the scope. */
  public readonly policy: authorization.RoleManagementPolicy;
  /** The policy's name (GUID), looked up from Azure. */
  public readonly policyName: pulumi.Output<string>;
  /** One eligibility per principal, by name. */
  public readonly eligibilities: Record<string, authorization.PimRoleEligibilitySchedule>;

  constructor(name: string, args: JitAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    const maximum = args.maximumActivationDuration ?? "PT1H";
    const eligibilityDuration = args.eligibilityDuration ?? "P365D";
    validateJitArgs(name, args, maximum, eligibilityDuration);
    super("agent-identity:index:JitAccess", name, {}, opts);

    // Looked up as the principal of this component's azure-native provider (explicit or default).
    const provider = authorization.getClientConfigOutput({ parent: this });
    this.policyName = pulumi
      .all([args.roleDefinitionId, provider])
      .apply(([roleDefinitionId, p]) => resolvePolicyName(args.scope, roleDefinitionId, { subscriptionId: p.subscriptionId, tenantId: p.tenantId, clientId: p.clientId }));
    this.policy = new authorization.RoleManagementPolicy(
      `${name}-policy`,
      {
        scope: args.scope,
        roleManagementPolicyName: this.policyName,
        rules: jitPolicyRules({
          maximumActivationDuration: maximum,
          approvers: args.approvers,
          approvalTimeoutDays: args.approvalTimeoutDays ?? 1,
          notificationEmails: args.notificationEmails ?? [],
          maximumEligibilityDuration: eligibilityDuration,
        }),
      },
      { parent: this },
    );

    this.eligibilities = {};
    for (const principal of args.eligible) {
      // Eligible only once the policy (approval, cap) is in force.
      this.eligibilities[principal.name] = new authorization.PimRoleEligibilitySchedule(
        `${name}-${principal.name}-eligibility`,
        {
          scope: args.scope,
          roleDefinitionId: args.roleDefinitionId,
          principalId: principal.principalId,
          justification: principal.justification,
          // azure-native's custom resource reads expiration.duration as a string whenever expiration is
          // set (custom_pim_eligibility.go, inputsToSdk): a duration is always sent, never NoExpiration.
          scheduleInfo: { startDateTime: args.eligibilityStart, expiration: { type: "AfterDuration", duration: eligibilityDuration } },
        },
        // One eligibility per scope, principal and role: the new one can only be written once the old one
        // is removed (the provider replaces on any change and finds schedules by that tuple).
        { parent: this, dependsOn: [this.policy], deleteBeforeReplace: true },
      );
    }
    this.registerOutputs({ policy: this.policy, policyName: this.policyName, eligibilities: this.eligibilities });
  }
}

function validateJitArgs(name: string, args: JitAccessArgs, maximum: string, eligibilityDuration: string): void {
  if (!ELIGIBILITY_START.test(args.eligibilityStart ?? "") || Number.isNaN(Date.parse(args.eligibilityStart))) {
    throw new ComponentArgsError("JitAccess", name, "eligibilityStart", `eligibilityStart ${JSON.stringify(args.eligibilityStart)} is not a UTC date-time. Fix: write a fixed start such as "2026-12-01T00:00:00Z" (never the current time: a second pulumi up must show no change).`);
  }
  const days = /^P(\d+)D$/.exec(eligibilityDuration);
  if (!days || Number(days[1]) < 1 || Number(days[1]) > 365) {
    throw new ComponentArgsError("JitAccess", name, "eligibilityDuration", `eligibilityDuration ${JSON.stringify(eligibilityDuration)} is not P1D-P365D. Fix: write a number of days, e.g. "P365D".`);
  }
  const minutes = durationMinutes(maximum);
  if (minutes === undefined || minutes < MIN_ACTIVATION_MINUTES || minutes > MAX_ACTIVATION_MINUTES) {
    throw new ComponentArgsError("JitAccess", name, "maximumActivationDuration", `maximumActivationDuration ${JSON.stringify(maximum)} is outside PT1H-PT4H. Fix: use an ISO 8601 duration from PT1H to PT4H, e.g. "PT2H".`);
  }
  if (args.approvers.length === 0) {
    throw new ComponentArgsError("JitAccess", name, "approvers", `approvers is empty. Fix: name at least one user or group that approves activations.`);
  }
  for (const [i, approver] of args.approvers.entries()) {
    if (!isChoice(ApproverType, approver.type)) {
      throw new ComponentArgsError("JitAccess", name, `approvers[${i}].type`, `approvers[${i}].type ${JSON.stringify(approver.type)} is not supported. Fix: use one of ${choiceValues(ApproverType).join(", ")}.`);
    }
  }
  if (args.eligible.length === 0) {
    throw new ComponentArgsError("JitAccess", name, "eligible", `eligible is empty. Fix: list the principals that may activate the role.`);
  }
}
