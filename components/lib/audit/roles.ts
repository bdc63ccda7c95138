/**
 * The roles the audit trail watches, from the stack config: every role that is sensitive (custom roles
 * marked so, `sensitiveRoles`, and every role behind just-in-time access), as role definition GUIDs (what
 * the Activity Log's request bodies carry) and as display names (what PIM's audit events name).
 */
import { resolveRoleReference } from "../../../rules/roles";

/** What {@link auditedRoles} reads from the validated config. */
export interface RoleConfig {
  roleDefinitions: Array<{ name: string; sensitive: boolean }>;
  sensitiveRoles: string[];
  agents: Array<{ jit: Array<{ role: string }> }>;
}

/** The audited roles, each list sorted and unique. */
export interface AuditedRoles {
  /** GUIDs of every sensitive role. */
  sensitiveRoleIds: string[];
  /** Display names of every sensitive role (a GUID when the role has no known name). */
  sensitiveRoleNames: string[];
  /** GUIDs of the roles behind just-in-time access. */
  jitRoleIds: string[];
}

/**
 * The audited roles of a validated config. `customRoleGuids` maps each custom role's name to the GUID
 * its definition is created with (CustomRole.roleGuid). References are valid: the schema checked them.
 */
export function auditedRoles(config: RoleConfig, customRoleGuids: Record<string, string>): AuditedRoles {
  const customNames = Object.keys(customRoleGuids);
  const resolve = (ref: string) => {
    const resolved = resolveRoleReference(ref, customNames);
    if (!resolved) throw new Error(`Unknown role ${JSON.stringify(ref)}.`);
    return resolved;
  };
  const guidOf = (ref: string) => {
    const r = resolve(ref);
    return r.kind === "custom" ? customRoleGuids[r.name] : r.guid;
  };
  const nameOf = (ref: string) => {
    const r = resolve(ref);
    return r.kind === "guid" ? r.guid : r.name;
  };
  const sortedUnique = (values: string[]) => [...new Set(values)].sort();
  const jit = config.agents.flatMap((a) => a.jit.map((j) => j.role));
  const sensitive = [...config.roleDefinitions.filter((r) => r.sensitive).map((r) => r.name), ...config.sensitiveRoles, ...jit];
  return { sensitiveRoleIds: sortedUnique(sensitive.map(guidOf)), sensitiveRoleNames: sortedUnique(sensitive.map(nameOf)), jitRoleIds: sortedUnique(jit.map(guidOf)) };
}
