/** Per agent, its managed identity federated with its ServiceAccounts, with its standing assignments. */
import * as pulumi from "@pulumi/pulumi";
import { AgentIdentity, StandingRoleAssignment } from "../agentIdentity";
import { PlatformContext, platformChild } from "./context";
import type { RoleDefinitionIdOf } from "./roles";

/** One {@link AgentIdentity} per agent, by agent name, trusting the cluster's issuer. */
export function buildIdentities(ctx: PlatformContext, oidcIssuerUrl: pulumi.Input<string>, roleId: RoleDefinitionIdOf): Record<string, AgentIdentity> {
  const identities: Record<string, AgentIdentity> = {};
  for (const agent of ctx.graph.agents) {
    const child = platformChild(ctx, agent.name);
    identities[agent.name] = new AgentIdentity(
      child.name,
      {
        identityName: agent.name,
        resourceGroupName: ctx.resourceGroupName,
        location: ctx.config.location,
        oidcIssuerUrl,
        serviceAccounts: agent.serviceAccounts,
        tags: { ...ctx.config.tags, agent: agent.name },
        roleAssignments: agent.standing.map((grant): StandingRoleAssignment => ({ label: grant.role, roleDefinitionId: roleId(grant.resolved, grant.scope), scope: grant.scope })),
      },
      child.opts,
    );
  }
  return identities;
}
