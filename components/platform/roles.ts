/** The platform's custom roles, and the ARM id of any role the config references. */
import * as pulumi from "@pulumi/pulumi";
import { CustomRole } from "../customRole";
import { roleDefinitionResourceId } from "../../rules/builtInRoles";
import type { RoleReference } from "../../rules/roles";
import { slug } from "../../rules/naming";
import { PlatformContext, platformChild } from "./context";

/** The ARM role definition id of a resolved role at a scope. */
export type RoleDefinitionIdOf = (role: RoleReference, scope: string) => pulumi.Input<string>;

/** One {@link CustomRole} per `roleDefinitions` entry, by role name. */
export function buildCustomRoles(ctx: PlatformContext): Record<string, CustomRole> {
  const roles: Record<string, CustomRole> = {};
  for (const role of ctx.config.roleDefinitions) {
    const child = platformChild(ctx, `role-${slug(role.name)}`);
    roles[role.name] = new CustomRole(
      child.name,
      {
        roleName: role.name,
        description: role.description,
        actions: role.actions,
        notActions: role.notActions,
        dataActions: role.dataActions,
        notDataActions: role.notDataActions,
        assignableScopes: role.assignableScopes,
      },
      child.opts,
    );
  }
  return roles;
}

/** Resolves role ids: a custom role's from its definition, a built-in or GUID role's at the scope. */
export function roleDefinitionIds(customRoles: Record<string, CustomRole>): RoleDefinitionIdOf {
  return (role, scope) => (role.kind === "custom" ? customRoles[role.name].roleDefinitionId : roleDefinitionResourceId(scope, role.guid));
}
