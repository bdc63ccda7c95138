/**
 * The Pulumi program: read and validate the stack config, build the platform, export its outputs.
 * Exported as a function so the offline plan and the tests can run the very same program.
 */
import * as pulumi from "@pulumi/pulumi";
import { AgentPlatform } from "./components";
import { rawConfigFromPulumi, validateStackConfig } from "./config/load";

export = async () => {
  const config = validateStackConfig(rawConfigFromPulumi(pulumi.runtime.allConfig()));
  const platform = new AgentPlatform("platform", config);
  return {
    oidcIssuerUrl: platform.oidcIssuerUrl,
    clusterName: platform.cluster.clusterName,
    clusterId: platform.cluster.clusterId,
    resourceGroupName: platform.cluster.resourceGroupName,
    location: config.location,
    namespace: platform.namespace.namespaceName,
    // Where the audit trail goes (absent without the audit config key, rather than an undefined output).
    ...(platform.audit ? { auditWorkspaceId: platform.audit.workspaceId } : {}),
    // Roles behind just-in-time access, for stacks that add eligible agents (see examples/).
    jit: config.agents.flatMap((a) => a.jit.map((j) => ({ agent: a.name, role: j.role, scope: j.scope }))),
    roleDefinitionIds: Object.fromEntries(Object.entries(platform.customRoles).map(([name, role]) => [name, role.roleDefinitionId])),
    agents: Object.fromEntries(
      Object.entries(platform.agents).map(([name, agent]) => [name, { clientId: agent.clientId, principalId: agent.principalId, subject: agent.subject }]),
    ),
  };
};
