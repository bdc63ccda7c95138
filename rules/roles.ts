/**
 * How a role is referenced in stack config: the name of a custom role of the stack, the name of any
 * Azure built-in role (data/azure-built-in-roles.tsv), or a role definition GUID.
 *
 * Names match exactly. Azure treats role names as case-insensitive, so a name that differs from a
 * known one only in case is not a different role: it is refused with the exact spelling as its fix
 * (one spelling per role keeps the config, the plan and other stacks reading its outputs in agreement).
 */
import { builtInRole, builtInRoleByGuid, builtInRoleIgnoringCase, suggestRoleNames } from "./builtInRoles";
import { GUID } from "./formats";

/** A resolved role reference. */
export type RoleReference =
  | { kind: "custom"; name: string }
  | { kind: "builtIn"; name: string; guid: string }
  | { kind: "guid"; guid: string };

/** Resolves a reference, or returns undefined when it names nothing known (see {@link unknownRoleMessage}). */
export function resolveRoleReference(ref: string, customRoleNames: readonly string[]): RoleReference | undefined {
  if (customRoleNames.includes(ref)) {
    return { kind: "custom", name: ref };
  }
  const builtIn = builtInRole(ref);
  if (builtIn) {
    return { kind: "builtIn", name: builtIn.name, guid: builtIn.guid };
  }
  if (GUID.test(ref)) {
    const named = builtInRoleByGuid(ref);
    return named ? { kind: "builtIn", name: named.name, guid: named.guid } : { kind: "guid", guid: ref.toLowerCase() };
  }
  return undefined;
}

/** A key that is equal for two references to the same role. */
export function roleKey(ref: RoleReference): string {
  return ref.kind === "custom" ? `custom:${ref.name}` : `guid:${ref.guid}`;
}

/** The sentence that tells the user how to reference a role. */
export function roleReferenceFix(customRoleNames: readonly string[], suggestions: readonly string[] = []): string {
  const custom = customRoleNames.length > 0 ? `a custom role of this stack (${customRoleNames.map((n) => JSON.stringify(n)).join(", ")}), ` : "";
  const builtIn = suggestions.length > 0 ? `a built-in role name (nearest: ${suggestions.map((n) => JSON.stringify(n)).join(", ")})` : "a built-in role name as Azure spells it (data/azure-built-in-roles.tsv)";
  return `use ${custom}${builtIn}, or a role definition GUID.`;
}

/**
 * Why `ref` is not a role, with its fix: the exact spelling when it differs only in case from a
 * custom or built-in role, otherwise the nearest names.
 */
export function unknownRoleMessage(ref: string, customRoleNames: readonly string[]): string {
  const custom = customRoleNames.find((n) => n.toLowerCase() === ref.toLowerCase());
  const spelt = custom ?? builtInRoleIgnoringCase(ref)?.name;
  if (spelt !== undefined) {
    return `${JSON.stringify(ref)} is not spelt as the ${custom ? "custom" : "built-in"} role ${JSON.stringify(spelt)} (role names are matched exactly). Fix: write ${JSON.stringify(spelt)}.`;
  }
  return `${JSON.stringify(ref)} is not a known role. Fix: ${roleReferenceFix(customRoleNames, suggestRoleNames(ref, customRoleNames))}`;
}
