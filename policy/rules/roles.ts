/**
 * Which role a role assignment or eligibility is of, also during preview: a role id that is unknown
 * because it is the output of a RoleDefinition in the stack is computed from that definition's GUID
 * (deterministic, known at preview), so only what no one can know yet is left unknown.
 */
import type { PolicyResource } from "@pulumi/policy";
import { GUID_PATTERN, TOKENS, roleGuidOf, typeMatches } from "./shared";
import { isUnknownValueError } from "./unknowns";
import { privilegedRoleByName } from "../../rules/privilegedRoles";

/** The role a resource refers to: its GUID, or the unknown-value error that hides it. */
export type RoleOf = { guid: string } | { unknown: Error };

/** The GUID of a RoleDefinition of the stack: its `roleDefinitionId` input, or its `name` output. */
function definitionGuid(definition: PolicyResource): string | undefined {
  for (const read of [() => definition.props?.roleDefinitionId, () => definition.props?.name]) {
    try {
      const value = read();
      if (typeof value === "string" && GUID_PATTERN.test(roleGuidOf(value))) {
        return roleGuidOf(value);
      }
    } catch (error) {
      if (!isUnknownValueError(error)) {
        throw error;
      }
    }
  }
  return undefined;
}

/**
 * The role of a RoleAssignment, PimRoleEligibilitySchedule or RoleManagementPolicyAssignment
 * (`roleDefinitionId`), or of a classic azure Assignment (`roleDefinitionId` or a privileged
 * `roleDefinitionName`). Rethrows nothing but real failures.
 */
export function roleOf(resource: PolicyResource): RoleOf {
  try {
    const id = resource.props?.roleDefinitionId;
    if (typeof id === "string" && id.length > 0) {
      return { guid: roleGuidOf(id) };
    }
    if (typeMatches(resource.type, TOKENS.classicRoleAssignment) && typeof resource.props?.roleDefinitionName === "string") {
      const privileged = privilegedRoleByName(resource.props.roleDefinitionName);
      return { guid: privileged?.guid ?? `name:${resource.props.roleDefinitionName.toLowerCase()}` };
    }
    return { guid: "" };
  } catch (error) {
    if (!isUnknownValueError(error)) {
      throw error;
    }
    const definitions = [...(resource.propertyDependencies?.roleDefinitionId ?? []), ...(resource.dependencies ?? [])].filter((d) => typeMatches(d.type, TOKENS.roleDefinition));
    const guids = [...new Set(definitions.map(definitionGuid))];
    if (guids.length === 1 && guids[0] !== undefined) {
      return { guid: guids[0] };
    }
    return { unknown: error };
  }
}

/** An ARM scope in the form used to compare scopes (lowercase, no trailing slash). */
export function normalScope(scope: unknown): string {
  return String(scope ?? "").toLowerCase().replace(/\/+$/, "");
}
