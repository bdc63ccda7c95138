/**
 * The deployer may write what `pulumi up` writes at each scope: role assignments, custom role
 * definitions, PIM eligibilities and policies. Read from the deployer's role assignments at or above
 * the scope (`$filter=assignedTo('<oid>')`, group memberships included) and their role definitions'
 * actions (Microsoft.Authorization 2022-04-01 RoleAssignments_ListForScope, RoleDefinitions_GetById).
 */
import type { RoleDefinition } from "@azure/arm-authorization";
import { CheckResult, ok, problem, unknown } from "../../lib/check";
import { couldNotCheck } from "../../lib/errors";
import { allowsAction } from "../../lib/actions";
import { configScopes, WRITE_ROLE_ASSIGNMENTS } from "../../lib/configScopes";
import { isAtOrBelow, resourceGroupScope } from "../../lib/scopes";
import { PreflightContext } from "../context";

/** The scope where the deployer's cluster admin grant lands: the stack's group, or the subscription while the group is still to be created. */
async function clusterGrantScope(ctx: PreflightContext): Promise<string | undefined> {
  if (ctx.stack.config.cluster.existingClusterId) {
    return undefined; // listed with the config scopes
  }
  const group = resourceGroupScope(ctx.subscriptionId, ctx.stack.config.resourceGroupName);
  const state = await ctx.scopeState(group);
  return "exists" in state && state.exists ? group : `/subscriptions/${ctx.subscriptionId}`;
}

/** One finding per scope: every action needed there is allowed, or which are missing. */
export async function checkRights(ctx: PreflightContext): Promise<CheckResult[]> {
  const scopes = configScopes(ctx.stack).filter((s) => s.actions.length > 0);
  const grantScope = await clusterGrantScope(ctx);
  if (grantScope) {
    scopes.unshift({ scope: grantScope, keys: ["the deployer's cluster admin grant"], actions: [WRITE_ROLE_ASSIGNMENTS] });
  }
  const definitions = new Map<string, Promise<RoleDefinition>>();
  const authz = ctx.azure.authorization(ctx.subscriptionId);
  const definition = (id: string) => {
    if (!definitions.has(id.toLowerCase())) {
      definitions.set(id.toLowerCase(), authz.roleDefinitions.getById(id));
    }
    return definitions.get(id.toLowerCase())!;
  };

  return Promise.all(
    scopes.map(async ({ scope, actions }) => {
      const state = await ctx.scopeState(scope);
      if (!("exists" in state) || !state.exists) {
        return unknown("rights", `Not checked: the scope does not exist or could not be read (see the scope check).`, "fix the scope first.", scope);
      }
      try {
        const held: Array<{ role: string; actions: string[]; notActions: string[] }> = [];
        for await (const assignment of authz.roleAssignments.listForScope(scope, { filter: `assignedTo('${ctx.principal.objectId}')` })) {
          if (!assignment.scope || !assignment.roleDefinitionId || !isAtOrBelow(scope, assignment.scope)) {
            continue;
          }
          const role = await definition(assignment.roleDefinitionId);
          for (const p of role.permissions ?? []) {
            held.push({ role: role.roleName ?? assignment.roleDefinitionId, actions: p.actions ?? [], notActions: p.notActions ?? [] });
          }
        }
        const missing = actions.filter((a) => !allowsAction(held, a));
        if (missing.length > 0) {
          const roles = [...new Set(held.map((h) => h.role))];
          return problem(
            "rights",
            `The deployer may not ${missing.join(", ")} here (holds ${roles.length ? roles.join(", ") : "no role"} at or above this scope); pulumi up would fail with AuthorizationFailed.`,
            `grant ${ctx.principal.objectId} Owner, User Access Administrator or Role Based Access Control Administrator at ${scope} (az role assignment create --assignee-object-id ${ctx.principal.objectId} --assignee-principal-type ${ctx.principal.type} --role "Role Based Access Control Administrator" --scope ${scope}).`,
            scope,
          );
        }
        const roles = [...new Set(held.filter((h) => actions.some((a) => allowsAction([h], a))).map((h) => h.role))];
        return ok("rights", `The deployer may ${actions.join(", ")} (through ${roles.join(", ")}).`, scope);
      } catch (err) {
        return couldNotCheck("rights", `the deployer's role assignments at ${scope}`, err, scope);
      }
    }),
  );
}
