/**
 * Azure RBAC action matching: does a set of role permissions allow an action, with `*` wildcards and
 * `notActions` subtracted (learn.microsoft.com/azure/role-based-access-control/role-definitions#actions).
 */

/** The control-plane part of a role definition's permission. */
export interface RolePermission {
  /** Allowed actions, possibly with `*`. */
  actions?: string[];
  /** Actions subtracted from `actions`. */
  notActions?: string[];
}

function matches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`, "i");
  return regex.test(action);
}

/** True when any permission allows the action and does not subtract it. */
export function allowsAction(permissions: readonly RolePermission[], action: string): boolean {
  return permissions.some((p) => (p.actions ?? []).some((a) => matches(a, action)) && !(p.notActions ?? []).some((n) => matches(n, action)));
}
