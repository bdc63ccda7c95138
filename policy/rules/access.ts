/**
 * Access: no standing assignment of a sensitive role (built-in privileged roles, roles behind PIM in
 * the stack, roles the stack lists); PIM policies that require approval and cap activation at four
 * hours; every PIM eligibility governed by such a policy in the stack.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { TOKENS, forTypes, isAnyType, roleGuidOf, typeMatches } from "./shared";
import { Unknowns } from "./unknowns";
import { normalScope, roleOf } from "./roles";
import { policyRuleProblems } from "./pimRules";
import { PRIVILEGED_ROLES, PrivilegedRole } from "../../rules/privilegedRoles";

/** One standing assignment of a privileged built-in role that the stack allows on purpose. */
export interface AllowedPrivilegedAssignment {
  /** The role definition GUID (or an ARM id ending in it). */
  roleId: string;
  /** The exact ARM scope of the assignment (compared case-insensitively). */
  scope: string;
  /** Why it is standing; required. */
  reason: string;
}

/** Policy config of {@link noStandingSensitiveRole} (`pulumi preview --policy-pack-config`). */
export interface SensitiveRoleConfig {
  /** Role definition GUIDs that must never be assigned standing, in addition to the built-in privileged roles and every role behind PIM in the stack. */
  sensitiveRoleIds?: string[];
  /** Standing assignments of built-in privileged roles that the stack config allows with a reason (`roleAssignments[].allowPrivileged`). */
  allowedPrivilegedAssignments?: AllowedPrivilegedAssignment[];
}

/**
 * The privileged built-in roles the pack refuses standing with no config at all: control-plane
 * (Owner, Contributor, User Access Administrator, RBAC Administrator) and data-owner roles. The AKS
 * cluster-admin roles are left to the stack config and `sensitiveRoleIds`: the cluster component
 * grants one to the deployer so that it can apply the agents' Kubernetes objects.
 */
export const PACK_PRIVILEGED_ROLES: readonly PrivilegedRole[] = PRIVILEGED_ROLES.filter((r) => r.privilege !== "cluster-admin");

const ASSIGNMENT_TYPES = [TOKENS.roleAssignment, TOKENS.classicRoleAssignment];

/** A role behind PIM, listed as sensitive, or privileged, is never assigned standing. */
export const noStandingSensitiveRole: StackValidationPolicy = {
  name: "no-standing-sensitive-role",
  description:
    "No standing role assignment of a sensitive role: a privileged built-in role (Owner, Contributor, User Access Administrator, RBAC Administrator, data owners) unless allowed per assignment with a reason, a role listed in the policy config, or a role behind a PIM eligibility in the stack.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      sensitiveRoleIds: { type: "array", items: { type: "string", minLength: 1 }, default: [] },
      allowedPrivilegedAssignments: {
        type: "array",
        default: [],
        items: {
          type: "object",
          required: ["roleId", "scope", "reason"],
          additionalProperties: false,
          properties: { roleId: { type: "string", minLength: 1 }, scope: { type: "string", minLength: 1 }, reason: { type: "string", minLength: 20 } },
        },
      },
    },
  },
  validateStack: (args, report) => {
    const config = (args.getConfig?.<SensitiveRoleConfig>() ?? {}) as SensitiveRoleConfig;
    const unknowns = new Unknowns();
    const sensitive = new Map<string, string>();
    PACK_PRIVILEGED_ROLES.forEach((r) => sensitive.set(r.guid, `privileged role ${r.name}`));
    (config.sensitiveRoleIds ?? []).forEach((id) => sensitive.set(roleGuidOf(id), "listed in the policy config"));
    let eligibilityUnknown = false;
    for (const e of args.resources.filter((r) => typeMatches(r.type, TOKENS.eligibility))) {
      const role = roleOf(e);
      if ("unknown" in role) {
        eligibilityUnknown = true;
        unknowns.run(`${e.type} ${e.name} role`, () => {
          throw role.unknown;
        });
      } else {
        sensitive.set(role.guid, "behind PIM in this stack");
      }
    }
    const allowed = (config.allowedPrivilegedAssignments ?? []).filter((a) => typeof a.reason === "string" && a.reason.trim().length >= 20);
    for (const a of args.resources.filter((r) => isAnyType(r.type, ASSIGNMENT_TYPES))) {
      unknowns.run(`${a.type} ${a.name}`, () => {
        const role = roleOf(a);
        if ("unknown" in role) {
          throw role.unknown;
        }
        const why = sensitive.get(role.guid);
        if (!why) {
          if (eligibilityUnknown) {
            unknowns.skipLike(`${a.type} ${a.name}`);
          }
          return;
        }
        const privileged = why.startsWith("privileged role ");
        if (privileged && allowed.some((x) => roleGuidOf(x.roleId) === role.guid && normalScope(x.scope) === normalScope(a.props?.scope))) {
          return;
        }
        if (why === "behind PIM in this stack") {
          report(`RoleAssignment ${a.name} gives standing access to sensitive role ${role.guid}; make the principal eligible through PIM instead.`, a.urn);
        } else {
          report(
            `RoleAssignment ${a.name} gives standing access to sensitive role ${role.guid} (${why}); make the principal eligible through PIM instead${privileged ? ", or, if it must be standing, allow this role and scope with a reason in the stack config (roleAssignments[].allowPrivileged) and in the pack config (allowedPrivilegedAssignments)" : ""}.`,
            a.urn,
          );
        }
      });
    }
    unknowns.rethrow();
  },
};

/** PIM activation needs approval by someone and ends within four hours. */
export const pimApprovalAndCap: ResourceValidationPolicy = {
  name: "pim-approval-and-cap",
  description: "Role management policies require approval (with approvers that have an object id) for activation, cap it at PT4H or less, and give each rule id once.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([TOKENS.roleManagementPolicy], (props, report) => {
    for (const problem of policyRuleProblems(props.rules)) {
      report(problem);
    }
  }),
};

/** Every PIM eligibility is governed by a compliant approval policy in the stack. */
export const pimEligibilityGoverned: StackValidationPolicy = {
  name: "pim-eligibility-approval-policy",
  description:
    "Every PIM eligibility has, in the stack, a compliant role management policy (approval with approvers, PT4H cap) at its scope that it waits for, or that a policy assignment links to its role and scope.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const unknowns = new Unknowns();
    const policies = args.resources.filter((r) => typeMatches(r.type, TOKENS.roleManagementPolicy));
    const links = args.resources.filter((r) => typeMatches(r.type, TOKENS.roleManagementPolicyAssignment));
    for (const e of args.resources.filter((r) => typeMatches(r.type, TOKENS.eligibility))) {
      unknowns.run(`${e.type} ${e.name}`, () => {
        const role = roleOf(e);
        if ("unknown" in role) {
          throw role.unknown;
        }
        const scope = normalScope(e.props?.scope);
        const governing = governingPolicies(e, role.guid, scope, policies, links);
        if (governing.length === 0) {
          report(
            `PimRoleEligibilitySchedule ${e.name}: role ${role.guid} at ${scope} has no role management policy in this stack; Azure would apply the role's default policy, which needs no approval. Fix: manage the role's policy at that scope in the stack (JitAccess does) and make the eligibility depend on it.`,
            e.urn,
          );
          return;
        }
        for (const policy of governing) {
          const problems = policyRuleProblems(policy.props?.rules);
          if (problems.length > 0) {
            report(`PimRoleEligibilitySchedule ${e.name}: its role management policy ${policy.name} is not compliant: ${problems.join(" ")}`, e.urn);
          }
        }
      });
    }
    unknowns.rethrow();
  },
};

/**
 * The stack's policies that govern an eligibility: those at its scope that it depends on, and those a
 * RoleManagementPolicyAssignment links to its role at its scope. Azure links a policy to a role
 * through the policy assignment, which the stack usually looks up rather than declares; waiting for
 * the policy is how the components tie the two.
 */
function governingPolicies(e: PolicyResource, role: string, scope: string, policies: PolicyResource[], links: PolicyResource[]): PolicyResource[] {
  const found = new Set<PolicyResource>();
  for (const p of e.dependencies ?? []) {
    if (policies.includes(p) && normalScope(p.props?.scope) === scope) {
      found.add(p);
    }
  }
  for (const link of links) {
    const linkRole = roleOf(link);
    if ("guid" in linkRole && linkRole.guid === role && normalScope(link.props?.scope) === scope) {
      const policyName = roleGuidOf(link.props?.policyId);
      for (const p of policies) {
        const names = [p.props?.roleManagementPolicyName, p.props?.name].filter((n) => typeof n === "string").map((n) => String(n).toLowerCase());
        if ((link.propertyDependencies?.policyId ?? []).includes(p) || names.includes(policyName)) {
          found.add(p);
        }
      }
    }
  }
  return [...found];
}
