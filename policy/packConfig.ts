/**
 * The pack config a stack's workflows pass to `pulumi preview|up --policy-pack policy
 * --policy-pack-config <file>`: the stack's own sensitive roles (beyond the pack's built-in privileged
 * roles and the roles behind PIM, which the pack finds itself) and the standing privileged
 * assignments the stack config allows with a reason. Derived from the validated stack config, so the
 * pack and the program cannot disagree.
 */
import type { StackConfig } from "../config/schema";
import { resolveRoleReference } from "../rules/roles";
import { deterministicGuid } from "../rules/naming";
import type { AllowedPrivilegedAssignment, SensitiveRoleConfig } from "./rules/access";

/** The pack config file's shape: config per policy name. */
export interface PackConfig {
  /** Config of the `no-standing-sensitive-role` policy. */
  "no-standing-sensitive-role": Required<SensitiveRoleConfig>;
}

/** The GUID the CustomRole component gives a custom role (UUID v5 of its name and first assignable scope). */
export function customRoleGuid(name: string, assignableScopes: readonly string[]): string {
  return deterministicGuid("custom-role", name, assignableScopes[0].toLowerCase());
}

/** The pack config for a validated stack config. */
export function packConfigFor(config: StackConfig): PackConfig {
  const customNames = config.roleDefinitions.map((r) => r.name);
  const guidOf = (ref: string): string | undefined => {
    const resolved = resolveRoleReference(ref, customNames);
    if (!resolved) {
      return undefined;
    }
    if (resolved.kind === "custom") {
      const role = config.roleDefinitions.find((r) => r.name === resolved.name)!;
      return customRoleGuid(role.name, role.assignableScopes);
    }
    return resolved.guid;
  };
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
