/**
 * How a role is referenced in stack config: the name of a custom role of the stack, the name of a
 * known built-in role, or a role definition GUID.
 */
import { BUILT_IN_ROLES } from "../components/lib/builtInRoles";
import { GUID } from "./rules";

/** A resolved role reference. */
export type RoleReference =
  | { kind: "custom"; name: string }
  | { kind: "builtIn"; name: string; guid: string }
  | { kind: "guid"; guid: string };

/** Resolves a reference, or returns undefined when it names nothing known. */
export function resolveRoleReference(ref: string, customRoleNames: readonly string[]): RoleReference | undefined {
  if (customRoleNames.includes(ref)) {
    return { kind: "custom", name: ref };
  }
  const builtIn = BUILT_IN_ROLES[ref];
  if (builtIn) {
    return { kind: "builtIn", name: ref, guid: builtIn };
  }
  if (GUID.test(ref)) {
    const lower = ref.toLowerCase();
    const named = Object.entries(BUILT_IN_ROLES).find(([, guid]) => guid === lower);
    return named ? { kind: "builtIn", name: named[0], guid: lower } : { kind: "guid", guid: lower };
  }
  return undefined;
}

/** A key that is equal for two references to the same role. */
export function roleKey(ref: RoleReference): string {
  return ref.kind === "custom" ? `custom:${ref.name}` : `guid:${ref.guid}`;
}

/** The sentence that tells the user how to reference a role. */
export function roleReferenceFix(customRoleNames: readonly string[]): string {
  const custom = customRoleNames.length > 0 ? `a custom role of this stack (${customRoleNames.map((n) => JSON.stringify(n)).join(", ")}), ` : "";
  return `use ${custom}a built-in role name (${Object.keys(BUILT_IN_ROLES).map((n) => JSON.stringify(n)).join(", ")}), or a role definition GUID.`;
}
