/**
 * The deployer may create the API registrations and grant app roles. For a service principal: its
 * Microsoft Graph application permissions (app role assignments on Graph's service principal);
 * azuread 6.x: applications need Application.ReadWrite.OwnedBy or Application.ReadWrite.All; app role
 * assignments need AppRoleAssignment.ReadWrite.All plus Application.Read.All, or Application.ReadWrite.All,
 * or Directory.ReadWrite.All (DESIGN.md §6). For a user: the tenant lets users register applications,
 * or the user holds a directory role that may.
 */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck } from "../../lib/errors";
import { MICROSOFT_GRAPH_APP_ID } from "../../lib/graph";
import { expectedAgents } from "../../lib/expectations";
import { PreflightContext } from "../context";

/** Directory roles that may register applications (role template ids, learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). */
const APP_REGISTERING_ROLES: Record<string, string> = {
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
  "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
  "cf1c38e5-3621-4004-a7cb-879624dced7c": "Application Developer",
};

/** What the granted Graph permissions lack, or an empty list. */
export function missingGraphPermissions(granted: ReadonlySet<string>): string[] {
  const has = (p: string) => granted.has(p);
  const missing: string[] = [];
  if (!has("Application.ReadWrite.All") && !has("Application.ReadWrite.OwnedBy")) {
    missing.push("Application.ReadWrite.OwnedBy (or Application.ReadWrite.All) to create the API registrations");
  }
  const canGrant = has("Application.ReadWrite.All") || has("Directory.ReadWrite.All") || (has("AppRoleAssignment.ReadWrite.All") && has("Application.Read.All"));
  if (!canGrant) {
    missing.push("AppRoleAssignment.ReadWrite.All with Application.Read.All (or Application.ReadWrite.All) to grant the callers' app roles");
  }
  return missing;
}

/** Checks the deployer's Graph rights when the stack has API registrations. */
export async function checkGraphPermissions(ctx: PreflightContext): Promise<CheckResult> {
  const apis = expectedAgents(ctx.stack).filter((a) => a.api);
  if (apis.length === 0) {
    return ok("graph-permissions", "No agent is called by another: the stack creates no app registrations.");
  }
  const graph = ctx.azure.graph();
  const what = `${apis.length} API registration(s) and their app role grants`;
  try {
    if (ctx.principal.type === "User") {
      const policy = await graph.authorizationPolicy();
      if (policy.defaultUserRolePermissions?.allowedToCreateApps) {
        return ok("graph-permissions", `Users may register applications in this tenant, so you can create ${what} (you own them, so you may grant their roles).`);
      }
      const roles = (await graph.myDirectoryRoles()).map((r) => APP_REGISTERING_ROLES[r.roleTemplateId]).filter((r) => r);
      if (roles.length > 0) {
        return ok("graph-permissions", `You hold ${roles.join(", ")}: you can create ${what}.`);
      }
      return problem(
        "graph-permissions",
        `The tenant does not let users register applications and you hold no directory role that may; creating ${what} would fail with Authorization_RequestDenied.`,
        "ask an administrator for the Application Developer role (or Cloud Application Administrator), or deploy with a service principal that holds the Graph permissions.",
      );
    }
    const graphSp = await graph.servicePrincipalByAppId(MICROSOFT_GRAPH_APP_ID);
    if (!graphSp) {
      return problem("graph-permissions", "Microsoft Graph's service principal was not found in the tenant.", "check --graph-endpoint and the tenant.");
    }
    const roleNames = new Map((graphSp.appRoles ?? []).map((r) => [r.id, r.value ?? r.id]));
    const granted = new Set(
      (await graph.appRoleAssignments(ctx.principal.objectId)).filter((a) => a.resourceId === graphSp.id).map((a) => roleNames.get(a.appRoleId) ?? a.appRoleId),
    );
    const missing = missingGraphPermissions(granted);
    if (missing.length > 0) {
      return problem(
        "graph-permissions",
        `The deploying service principal holds Graph application permissions ${granted.size ? [...granted].sort().join(", ") : "(none)"}; it lacks ${missing.join("; and ")}. Creating ${what} would fail with Authorization_RequestDenied.`,
        `grant the Microsoft Graph application permissions to ${ctx.principal.name} and have an administrator consent (az ad app permission add / admin-consent, or Entra admin center > App registrations > API permissions).`,
      );
    }
    return ok("graph-permissions", `The deploying service principal holds ${[...granted].sort().join(", ")}: enough for ${what}.`);
  } catch (err) {
    return couldNotCheck("graph-permissions", "the deployer's Microsoft Graph permissions", err);
  }
}
