/**
 * A separate stack that consumes the components: it adds one more agent, "license-auditor", to the
 * cluster of the platform stack, reading that stack's outputs through a StackReference. It gets its own
 * identity federated with its ServiceAccount on that cluster, the annotated workload, and an
 * eligibility for the platform's just-in-time role (the platform stack owns the role's PIM policy).
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { AgentCluster, AgentIdentity, AgentWorkload, DeployerPrincipalType, ServiceAccountRef } from "agent-identity";

export = async () => {
  const config = new pulumi.Config();
  const platform = new pulumi.StackReference(config.require("platformStack"));
  const agentName = config.get("agentName") ?? "license-auditor";

  // Plain values: adopting a cluster needs its id before anything is registered.
  const clusterId = (await platform.getOutputValue("clusterId")) as string;
  const namespace = (await platform.getOutputValue("namespace")) as string;
  const location = (await platform.getOutputValue("location")) as string;
  const jit = ((await platform.getOutputValue("jit")) ?? []) as Array<{ role: string; scope: string }>;
  const roleDefinitionIds = ((await platform.getOutputValue("roleDefinitionIds")) ?? {}) as Record<string, string>;

  const cluster = new AgentCluster("platform-cluster", {
    resourceGroupName: platform.requireOutput("resourceGroupName") as pulumi.Output<string>,
    existingClusterId: clusterId,
    // The platform stack already granted its deployer; this stack's deployer needs the same rights.
    grantDeployerClusterAdmin: true,
    deployerPrincipalType: config.require("deployerPrincipalType", { allowedValues: Object.values(DeployerPrincipalType) }),
  });

  const serviceAccount: ServiceAccountRef = { namespace, name: agentName };
  const identity = new AgentIdentity(agentName, {
    resourceGroupName: cluster.resourceGroupName,
    location,
    oidcIssuerUrl: cluster.oidcIssuerUrl,
    serviceAccounts: [serviceAccount],
  });

  new AgentWorkload(
    agentName,
    {
      namespace,
      serviceAccountName: serviceAccount.name,
      clientId: identity.clientId,
      tenantId: identity.tenantId,
      image: config.require("image"),
      federatedCredentials: identity.federatedCredentials,
    },
    { providers: [cluster.provider] },
  );

  const eligible = jit.find((j) => j.role === config.require("jitRole"));
  if (!eligible || !roleDefinitionIds[eligible.role]) {
    throw new Error(`The platform stack has no just-in-time role ${JSON.stringify(config.require("jitRole"))}. Fix: use one of ${jit.map((j) => JSON.stringify(j.role)).join(", ")}.`);
  }
  new authorization.PimRoleEligibilitySchedule(`${agentName}-eligibility`, {
    scope: eligible.scope,
    roleDefinitionId: roleDefinitionIds[eligible.role],
    principalId: identity.principalId,
    justification: config.require("jitJustification"),
    scheduleInfo: { expiration: { type: "NoExpiration" } },
  });

  return { clientId: identity.clientId, principalId: identity.principalId };
};
