/**
 * A stack config with N agents, shaped like production (ports, env, each agent calling the next), for
 * measuring how evaluation grows with the agent count.
 */
export function syntheticStackConfig(agentCount: number): Record<string, string> {
  const names = Array.from({ length: agentCount }, (_, i) => `agent-${String(i).padStart(4, "0")}`);
  const agents = names.map((name, i) => ({
    name,
    image: `benchregistry.azurecr.io/agents/${name}:1.0.${i}`,
    replicas: 2,
    port: 8080,
    calls: i + 1 < names.length ? [names[i + 1]] : [],
    env: { LOG_LEVEL: "info" },
  }));
  return {
    "agent-identity:location": "westeurope",
    "agent-identity:resourceGroupName": "bench-agents",
    "agent-identity:createResourceGroup": "true",
    "agent-identity:deployerPrincipalType": "ServicePrincipal",
    "agent-identity:containerRegistries": JSON.stringify(["/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/bench-shared/providers/Microsoft.ContainerRegistry/registries/benchregistry"]),
    "agent-identity:namespace": "agents",
    "agent-identity:tags": "{}",
    "agent-identity:cluster": JSON.stringify({ name: "bench-aks" }),
    "agent-identity:agents": JSON.stringify(agents),
  };
}
