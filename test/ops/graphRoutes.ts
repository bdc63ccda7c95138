/**
 * Microsoft Graph v1.0 as the test double serves it (learn.microsoft.com/graph/api/...):
 * serviceprincipal-list with $filter on appId or displayName, serviceprincipal-list-approleassignments,
 * serviceprincipal-list-approleassignedto, authorizationpolicy-get, and the user's
 * transitiveMemberOf cast to microsoft.graph.directoryRole. Errors are `{ error: { code, message } }`.
 */
import { LoggedRequest, Reply } from "./httpsDouble";
import { DEPLOYER, GRAPH_ROLES, GRAPH_SP, World } from "./world";

const list = (value: unknown[]): Reply => ({ status: 200, body: { "@odata.context": "https://graph.microsoft.com/v1.0/$metadata", value } });

/** Routes one Graph request. */
export function graphRoute(world: World, req: LoggedRequest): Reply | undefined {
  const p = req.path;
  const graphSp = { id: GRAPH_SP, appId: "00000003-0000-0000-c000-000000000000", displayName: "Microsoft Graph", servicePrincipalType: "Application", appRoles: Object.entries(GRAPH_ROLES).map(([value, id]) => ({ id, value, allowedMemberTypes: ["Application"], isEnabled: true })) };
  if (p === "/v1.0/servicePrincipals") {
    const filter = req.query.get("$filter") ?? "";
    const appId = /^appId eq '([^']+)'$/.exec(filter)?.[1];
    const displayName = /^displayName eq '([^']+)'$/.exec(filter)?.[1];
    if (appId) {
      return list(appId === graphSp.appId ? [graphSp] : []);
    }
    if (displayName) {
      return list(world.apiServicePrincipals.filter((s) => s.displayName === displayName).map((s) => ({ ...s, servicePrincipalType: "Application", appRoles: [{ id: world.reviewerAppRoleId, value: "Agent.Invoke", allowedMemberTypes: ["Application"] }] })));
    }
    return { status: 400, body: { error: { code: "Request_UnsupportedQuery", message: filter } } };
  }
  let m: RegExpExecArray | null;
  if ((m = /^\/v1\.0\/servicePrincipals\/([^/]+)\/appRoleAssignments$/.exec(p))) {
    const granted = m[1] === DEPLOYER.objectId ? world.deployerGraphRoles : [];
    return list(granted.map((role, i) => ({ id: `grant-${i}`, appRoleId: GRAPH_ROLES[role], principalId: m![1], principalType: "ServicePrincipal", resourceId: GRAPH_SP, resourceDisplayName: "Microsoft Graph" })));
  }
  if ((m = /^\/v1\.0\/servicePrincipals\/([^/]+)\/appRoleAssignedTo$/.exec(p))) {
    const sp = world.apiServicePrincipals.find((s) => s.id === m![1]);
    if (!sp) {
      return { status: 404, body: { error: { code: "Request_ResourceNotFound", message: `Resource '${m[1]}' does not exist.` } } };
    }
    return list(world.reviewerGrants.map((principalId, i) => ({ id: `assigned-${i}`, appRoleId: world.reviewerAppRoleId, principalId, principalDisplayName: principalId, principalType: "ServicePrincipal", resourceId: sp.id, resourceDisplayName: sp.displayName })));
  }
  if (p === "/v1.0/policies/authorizationPolicy") {
    return { status: 200, body: { id: "authorizationPolicy", displayName: "Authorization Policy", defaultUserRolePermissions: { allowedToCreateApps: world.usersMayCreateApps, allowedToCreateSecurityGroups: true } } };
  }
  if (p === "/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole") {
    return list(world.myDirectoryRoles.map((roleTemplateId, i) => ({ "@odata.type": "#microsoft.graph.directoryRole", id: `role-${i}`, displayName: roleTemplateId, roleTemplateId })));
  }
  return undefined;
}
