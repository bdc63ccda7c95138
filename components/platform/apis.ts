/** Who may call whom: an API registration per agent that others call, an app role grant per caller. */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { AgentApi } from "../agentApi";
import { AgentIdentity } from "../agentIdentity";
import { agentApiDisplayName } from "../../rules/naming";
import { PlatformContext, platformChild } from "./context";

/** One {@link AgentApi} per callee of the graph, by callee name, owned by the deployer. */
export function buildApis(ctx: PlatformContext, identities: Record<string, AgentIdentity>): Record<string, AgentApi> {
  // Read once: each read of a lifted property makes a new Output.
  const deployerObjectId = azuread.getClientConfigOutput({ parent: ctx.parent }).objectId;
  const apis: Record<string, AgentApi> = {};
  for (const agent of ctx.graph.callees) {
    const child = platformChild(ctx, agent.name);
    apis[agent.name] = new AgentApi(
      child.name,
      {
        agentName: agent.name,
        displayName: agentApiDisplayName(pulumi.getProject(), pulumi.getStack(), agent.name),
        owners: [deployerObjectId],
        callers: agent.callers.map((caller) => ({ name: caller, principalId: identities[caller].principalId })),
      },
      child.opts,
    );
  }
  return apis;
}
