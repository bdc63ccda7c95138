/**
 * Azure Resource Manager as the test double serves it, in the documented shapes
 * (azure-rest-api-specs, specification/...):
 * - resources: Subscriptions_Get, ResourceGroups_Get (404 ResourceGroupNotFound), Providers_Get
 *   (resourceTypes[].apiVersions), Resources_GetById (404 ResourceNotFound)
 * - authorization: RoleAssignments_ListForScope ($filter=assignedTo('<oid>'), 2022-04-01),
 *   RoleDefinitions_GetById, RoleManagementPolicyAssignments_ListForScope, RoleManagementPolicies_Get,
 *   RoleEligibilitySchedules_ListForScope (2020-10-01)
 * - containerservice: ManagedClusters_Get (oidcIssuerProfile.issuerURL, securityProfile.workloadIdentity),
 *   ManagedClusters_ListKubernetesVersions (KubernetesVersions_List.json: values[].version, patchVersions)
 * - compute: ResourceSkus_List (Skus/stable/2021-07-01 ListAvailableResourceSkus.json: locationInfo[].zones, restrictions)
 * - msi: UserAssignedIdentities_Get, FederatedIdentityCredentials_List (issuer, subject, audiences)
 */
import { LoggedRequest, Reply } from "./httpsDouble";
import { World } from "./world";
import { SUB, TENANT } from "./stack";
import { eligibilityScheduleJson } from "../lib/eligibilitySchedule";

const ok = (body: unknown): Reply => ({ status: 200, body });
const notFound = (code: string, message: string): Reply => ({ status: 404, body: { error: { code, message } } });
const AUTHZ = "/providers/microsoft.authorization/";

function isAtOrAbove(outer: string, inner: string): boolean {
  const a = outer.toLowerCase();
  const b = inner.toLowerCase();
  return a === b || b.startsWith(`${a}/`);
}

/** Routes one ARM request. */
export function armRoute(world: World, req: LoggedRequest): Reply | undefined {
  const p = req.path.replace(/\/+$/, "");
  const lower = p.toLowerCase();

  const authz = lower.lastIndexOf(AUTHZ);
  if (authz >= 0) {
    const scope = p.slice(0, authz);
    const [collection, name] = p.slice(authz + AUTHZ.length).split("/");
    switch (collection.toLowerCase()) {
      case "roleassignments": {
        const oid = /assignedTo\('([^']+)'\)/.exec(req.query.get("$filter") ?? "")?.[1];
        const value = world.roleAssignments
          .filter((a) => (!oid || a.principalId === oid) && (isAtOrAbove(a.scope, scope) || isAtOrAbove(scope, a.scope)))
          .map((a, i) => ({
            id: `${a.scope}/providers/Microsoft.Authorization/roleAssignments/0000000${i}-0000-4000-8000-000000000000`,
            name: `0000000${i}-0000-4000-8000-000000000000`,
            type: "Microsoft.Authorization/roleAssignments",
            properties: { scope: a.scope, roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${a.roleGuid}`, principalId: a.principalId, principalType: "ServicePrincipal", ...(a.condition ? { condition: a.condition, conditionVersion: "2.0" } : {}) },
          }));
        return ok({ value });
      }
      case "roledefinitions": {
        const role = world.roleDefinitions.get(name);
        return role
          ? ok({ id: p, name, type: "Microsoft.Authorization/roleDefinitions", properties: { roleName: role.roleName, type: "BuiltInRole", permissions: [{ actions: role.actions, notActions: role.notActions, dataActions: [], notDataActions: [] }], assignableScopes: ["/"] } })
          : notFound("RoleDefinitionDoesNotExist", `The specified role definition with ID '${name}' does not exist.`);
      }
      case "rolemanagementpolicyassignments": {
        const value = [...world.policies.keys()]
          .filter((key) => key.split("|")[0] === scope.toLowerCase())
          .map((key) => {
            const roleGuid = key.split("|")[1];
            const policyName = `policy-${roleGuid.slice(0, 8)}`;
            return {
              id: `${scope}/providers/Microsoft.Authorization/roleManagementPolicyAssignments/${policyName}_${roleGuid}`,
              name: `${policyName}_${roleGuid}`,
              type: "Microsoft.Authorization/roleManagementPolicyAssignment",
              properties: { scope, roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`, policyId: `${scope}/providers/Microsoft.Authorization/roleManagementPolicies/${policyName}` },
            };
          });
        return ok({ value });
      }
      case "rolemanagementpolicies": {
        const key = [...world.policies.keys()].find((k) => k.split("|")[0] === scope.toLowerCase() && name === `policy-${k.split("|")[1].slice(0, 8)}`);
        if (!key) {
          return notFound("RoleManagementPolicyNotFound", name);
        }
        const rules = world.policies.get(key)!;
        return ok({ id: p, name, type: "Microsoft.Authorization/RoleManagementPolicies", properties: { scope, isOrganizationDefault: false, rules, effectiveRules: rules } });
      }
      case "roleeligibilityschedules": {
        const oid = /principalId eq '([^']+)'/.exec(req.query.get("$filter") ?? "")?.[1];
        const value = world.eligibilities
          .filter((e) => isAtOrAbove(e.scope, scope) && (!oid || e.principalId === oid))
          .map((e) =>
            eligibilityScheduleJson(e, `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${e.roleGuid}`, {
              startDateTime: e.startDateTime,
              ...(e.endDateTime ? { endDateTime: e.endDateTime } : {}),
            }),
          );
        return ok({ value });
      }
    }
    return undefined;
  }

  let m: RegExpExecArray | null;
  if ((m = /^\/subscriptions\/([^/]+)$/i.exec(p))) {
    return m[1] === SUB ? ok({ id: p, subscriptionId: SUB, tenantId: TENANT, displayName: "Contoso Production", state: world.subscriptionState }) : notFound("SubscriptionNotFound", `The subscription '${m[1]}' could not be found.`);
  }
  if ((m = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)$/i.exec(p))) {
    return world.resourceGroups.has(m[1].toLowerCase())
      ? ok({ id: p, name: m[1], type: "Microsoft.Resources/resourceGroups", location: "westeurope", properties: { provisioningState: "Succeeded" } })
      : notFound("ResourceGroupNotFound", `Resource group '${m[1]}' could not be found.`);
  }
  if ((m = /^\/subscriptions\/[^/]+\/providers\/microsoft\.containerservice\/locations\/([^/]+)\/kubernetesversions$/i.exec(p))) {
    return ok({ values: world.kubernetesVersions.map((v) => ({ ...v, capabilities: { supportPlan: ["KubernetesOfficial"] } })) });
  }
  if (/^\/subscriptions\/[^/]+\/providers\/microsoft\.compute\/skus$/i.test(p)) {
    const location = /location eq '([^']+)'/.exec(req.query.get("$filter") ?? "")?.[1] ?? "westeurope";
    const value = world.skus.map((s) => ({
      resourceType: "virtualMachines",
      name: s.name,
      tier: "Standard",
      size: s.name.replace(/^Standard_/, ""),
      family: "standardDDSv5Family",
      locations: [location],
      locationInfo: [{ location, zones: s.zones, zoneDetails: [] }],
      capabilities: [{ name: "vCPUs", value: "4" }],
      restrictions: s.restrictions,
    }));
    return ok({ value });
  }
  if ((m = /^\/subscriptions\/[^/]+\/providers\/([^/]+)$/i.exec(p))) {
    const types = world.providers[m[1].toLowerCase()];
    return types
      ? ok({ id: p, namespace: m[1], registrationState: "Registered", resourceTypes: Object.entries(types).map(([resourceType, apiVersions]) => ({ resourceType, apiVersions, locations: ["West Europe"] })) })
      : notFound("InvalidResourceNamespace", `The resource namespace '${m[1]}' is invalid.`);
  }
  if ((m = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)$/i.exec(p))) {
    const cluster = world.clusters.get(`${m[1]}/${m[2]}`.toLowerCase());
    return cluster
      ? ok({
          id: p,
          name: m[2],
          type: "Microsoft.ContainerService/ManagedClusters",
          location: "westeurope",
          properties: {
            provisioningState: "Succeeded",
            kubernetesVersion: "1.35.1",
            oidcIssuerProfile: { enabled: cluster.oidc, ...(cluster.oidc ? { issuerURL: cluster.issuer } : {}) },
            securityProfile: { workloadIdentity: { enabled: cluster.workloadIdentity } },
          },
        })
      : notFound("ResourceNotFound", `The Resource 'Microsoft.ContainerService/managedClusters/${m[2]}' under resource group '${m[1]}' was not found.`);
  }
  if ((m = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.managedidentity\/userassignedidentities\/([^/]+)(\/federatedidentitycredentials)?$/i.exec(p))) {
    const identity = m[1].toLowerCase() === "contoso-agents" ? world.identities.get(m[2]) : undefined;
    if (!identity) {
      return notFound("ResourceNotFound", `The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/${m[2]}' under resource group '${m[1]}' was not found.`);
    }
    if (m[3]) {
      return ok({
        value: (world.credentials.get(m[2]) ?? []).map((c) => ({ id: `${p}/${c.name}`, name: c.name, type: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials", properties: { issuer: c.issuer, subject: c.subject, audiences: c.audiences } })),
      });
    }
    return ok({ id: p, name: m[2], type: "Microsoft.ManagedIdentity/userAssignedIdentities", location: "westeurope", properties: { tenantId: TENANT, principalId: identity.principalId, clientId: identity.clientId } });
  }
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+$/i.test(p)) {
    return world.resources.has(lower) ? ok({ id: p, name: p.split("/").pop(), type: p.split("/").slice(-3, -1).join("/"), location: "westeurope", properties: {} }) : notFound("ResourceNotFound", `The Resource '${p}' was not found.`);
  }
  return undefined;
}
