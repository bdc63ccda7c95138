/**
 * The same-types floor: a program that registers exactly the resources the project registers for N
 * agents (same types, same counts, same parent tree, Kubernetes objects through one explicit provider),
 * each with bare literal inputs and no project code. Its evaluation time is what the SDK alone costs for
 * such a stack; the project's time over it is what the project's own code adds.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as azuread from "@pulumi/azuread";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as resources from "@pulumi/azure-native/resources";

const RG = "bench-agents";
const SCOPE = "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/bench-agents";
const GUID = "00000000-0000-4000-8000-000000000001";

function component(type: string, name: string, parent?: pulumi.Resource): pulumi.ComponentResource {
  return new pulumi.ComponentResource(`agent-identity:index:${type}`, name, {}, { parent });
}

/** The platform-level resources: group, cluster with its provider and grants, namespace. */
function platform(parent: pulumi.Resource): k8s.Provider {
  new resources.ResourceGroup("platform-resource-group", { resourceGroupName: RG }, { parent });
  const cluster = component("AgentCluster", "platform-bench-aks", parent);
  new containerservice.ManagedCluster("platform-bench-aks-aks", { resourceGroupName: RG, resourceName: "bench-aks" }, { parent: cluster });
  const provider = new k8s.Provider("platform-bench-aks-k8s", { kubeconfig: "bare" }, { parent: cluster });
  for (const name of ["platform-bench-aks-acr-pull-benchregistry", "platform-bench-aks-deployer-cluster-admin"]) {
    new authorization.RoleAssignment(name, { principalId: GUID, roleDefinitionId: GUID, scope: SCOPE }, { parent: cluster });
  }
  const namespace = component("AgentNamespace", "platform-agents", parent);
  new k8s.core.v1.Namespace("platform-agents-namespace", { metadata: { name: "agents" } }, { parent: namespace, provider });
  new k8s.networking.v1.NetworkPolicy("platform-agents-default-deny-ingress", { spec: { podSelector: {} } }, { parent: namespace, provider });
  return provider;
}

/** One agent's resources: identity and federation, workload, and (for a callee) its Entra API. */
function agent(name: string, caller: string | undefined, parent: pulumi.Resource, provider: k8s.Provider): void {
  // Children of the platform carry its name, as the project names them (`platform-<agent>`).
  const n = `platform-${name}`;
  const identity = component("AgentIdentity", n, parent);
  new managedidentity.UserAssignedIdentity(`${n}-identity`, { resourceGroupName: RG, resourceName: name }, { parent: identity });
  new managedidentity.FederatedIdentityCredential(
    `${n}-fic-agents-${name}`,
    { resourceGroupName: RG, resourceName: name, issuer: "https://issuer", subject: `system:serviceaccount:agents:${name}`, audiences: ["api://AzureADTokenExchange"] },
    { parent: identity },
  );
  const workload = component("AgentWorkload", n, parent);
  const opts = { parent: workload, provider };
  new k8s.core.v1.ServiceAccount(`${n}-sa`, { metadata: { name } }, opts);
  new k8s.apps.v1.Deployment(`${n}-deployment`, { spec: { selector: { matchLabels: { app: name } }, template: { spec: { containers: [{ name, image: "bare" }] } } } }, opts);
  new k8s.core.v1.Service(`${n}-service`, { spec: { ports: [{ port: 80 }] } }, opts);
  new k8s.networking.v1.NetworkPolicy(`${n}-ingress`, { spec: { podSelector: {} } }, opts);
  if (caller !== undefined) {
    const api = component("AgentApi", n, parent);
    new azuread.Application(`${n}-app`, { displayName: name }, { parent: api });
    new azuread.ApplicationIdentifierUri(`${n}-identifier-uri`, { applicationId: "/applications/bare", identifierUri: `api://${name}` }, { parent: api });
    new azuread.ServicePrincipal(`${n}-sp`, { clientId: GUID }, { parent: api });
    new azuread.AppRoleAssignment(`${n}-grant-${caller}`, { appRoleId: GUID, principalObjectId: GUID, resourceObjectId: GUID }, { parent: api });
  }
}

/** The floor program for `agentCount` agents in a call chain (agent i calls agent i+1), as the synthetic stack. */
export function floorProgram(agentCount: number): () => Record<string, never> {
  return () => {
    const root = component("AgentPlatform", "platform");
    const provider = platform(root);
    for (let i = 0; i < agentCount; i++) {
      const name = `agent-${String(i).padStart(4, "0")}`;
      agent(name, i > 0 ? `agent-${String(i - 1).padStart(4, "0")}` : undefined, root, provider);
    }
    return {};
  };
}
