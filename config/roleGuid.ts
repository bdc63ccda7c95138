/**
 * The GUID of a role a stack config references: a built-in role's or a GUID as given, a custom role's
 * as the program derives it (UUID v5 of its name and first assignable scope). One derivation for the
 * doctor's expectations and the policy pack's config.
 */
import type { StackConfig } from "./schema";
import { resolveRoleReference } from "../rules/roles";
import { customRoleGuid } from "../rules/naming";

/** The GUID of a role referenced in config (custom roles by the program's own derivation). */
export function roleGuidOf(ref: string, config: StackConfig): string | undefined {
  const resolved = resolveRoleReference(ref, config.roleDefinitions.map((r) => r.name));
  if (!resolved) {
    return undefined;
  }
  if (resolved.kind === "custom") {
    const role = config.roleDefinitions.find((r) => r.name === resolved.name)!;
    return customRoleGuid(role.name, role.assignableScopes);
  }
  return resolved.guid;
}
