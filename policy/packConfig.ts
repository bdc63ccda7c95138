/**
 * The pack config a stack's workflows pass to `pulumi preview|up --policy-pack policy
 * --policy-pack-config <file>`: the stack's own sensitive roles (beyond the pack's built-in privileged
 * roles and the roles behind PIM, which the pack finds itself) and the standing privileged
 * assignments the stack config allows with a reason. Derived from the validated stack config, so the
 * pack and the program cannot disagree.
 */
import type { StackConfig } from "../config/schema";
import { roleGuidOf } from "../config/roleGuid";
import { customRoleGuid } from "../rules/naming";
import type { AllowedPrivilegedAssignment, SensitiveRoleConfig } from "./rules/access";

/** The pack config file's shape: config per policy name. */
export interface PackConfig {
  /** Config of the `no-standing-sensitive-role` policy. */
  "no-standing-sensitive-role": Required<SensitiveRoleConfig>;
}

/** The pack config for a validated stack config. */
export function packConfigFor(config: StackConfig): PackConfig {
  const guidOf = (ref: string): string | undefined => roleGuidOf(ref, config);
  const sensitive = new Set<string>();
  for (const role of config.roleDefinitions.filter((r) => r.sensitive)) {
    sensitive.add(customRoleGuid(role.name, role.assignableScopes));
  }
  for (const ref of config.sensitiveRoles) {
    const guid = guidOf(ref);
    if (guid) {
      sensitive.add(guid);
    }
  }
  const allowed: AllowedPrivilegedAssignment[] = [];
  for (const agent of config.agents) {
    for (const grant of agent.roleAssignments) {
      const guid = guidOf(grant.role);
      if (grant.allowPrivileged && guid) {
        allowed.push({ roleId: guid, scope: grant.scope, reason: `${agent.name}: ${grant.allowPrivileged.reason}` });
      }
    }
  }
  return { "no-standing-sensitive-role": { sensitiveRoleIds: [...sensitive].sort(), allowedPrivilegedAssignments: allowed } };
}
