/**
 * Scopes that cannot work on a first `pulumi up`: a scope inside the resource group the stack creates,
 * below a resource the stack does not create. Either the group already exists (and azure-native refuses
 * to create a resource that exists: it reads before it PUTs), or the group is new and the resource under
 * it cannot exist yet (and Azure refuses an assignment at a missing scope).
 */
import type { z } from "zod";
import { resourceGroupOfScope } from "../rules/formats";

/** The part of the config this check reads. */
export interface ScopeConfig {
  resourceGroupName: string;
  createResourceGroup: boolean;
  cluster: { name: string; existingClusterId?: string };
  containerRegistries: string[];
  roleDefinitions: Array<{ assignableScopes: string[] }>;
  agents: Array<{ name: string; jit: Array<{ scope: string }>; roleAssignments: Array<{ scope: string }> }>;
}

/** Every scope in the config, with its key path. */
export function configScopes(config: ScopeConfig): Array<{ path: Array<string | number>; scope: string }> {
  return [
    ...config.containerRegistries.map((scope, i) => ({ path: ["containerRegistries", i], scope })),
    ...config.roleDefinitions.flatMap((role, i) => role.assignableScopes.map((scope, j) => ({ path: ["roleDefinitions", i, "assignableScopes", j], scope }))),
    ...config.agents.flatMap((agent, i) => [
      ...agent.jit.map((entry, j) => ({ path: ["agents", i, "jit", j, "scope"], scope: entry.scope })),
      ...agent.roleAssignments.map((entry, j) => ({ path: ["agents", i, "roleAssignments", j, "scope"], scope: entry.scope })),
    ]),
  ];
}

/** The id suffix of the cluster the stack creates in its group (what a scope may name). */
function createdClusterSuffix(config: ScopeConfig): string | undefined {
  return config.cluster.existingClusterId === undefined ? `/providers/microsoft.containerservice/managedclusters/${config.cluster.name.toLowerCase()}` : undefined;
}

/** True when the scope is the stack's own new cluster (an assignment there then waits for the cluster). */
export function isCreatedClusterScope(config: ScopeConfig, scope: string): boolean {
  const suffix = createdClusterSuffix(config);
  const group = resourceGroupOfScope(scope);
  return suffix !== undefined && group?.toLowerCase() === config.resourceGroupName.toLowerCase() && scope.toLowerCase().endsWith(`/resourcegroups/${group.toLowerCase()}${suffix}`);
}

/** Adds one issue per scope that lies below a resource the stack does not create, inside the group it creates. */
export function refineScopesInCreatedGroup(config: ScopeConfig, ctx: z.RefinementCtx): void {
  if (!config.createResourceGroup) {
    return;
  }
  const group = config.resourceGroupName.toLowerCase();
  for (const { path, scope } of configScopes(config)) {
    const scopeGroup = resourceGroupOfScope(scope)?.toLowerCase();
    const belowGroup = scopeGroup === group && /\/providers\//i.test(scope);
    if (!belowGroup || isCreatedClusterScope(config, scope)) {
      continue;
    }
    ctx.addIssue({
      code: "custom",
      path,
      message:
        `lies inside resource group ${JSON.stringify(config.resourceGroupName)}, which this stack creates (createResourceGroup: true), but the stack does not create that resource: ` +
        "either the group already exists, and azure-native refuses to create a resource that exists, or the group is new and nothing exists below it yet, and Azure refuses an assignment at a missing scope. " +
        `Fix: if the group exists, set createResourceGroup: false so the stack uses it; otherwise create the resource first or use a scope outside ${JSON.stringify(config.resourceGroupName)} (groups are compared by name: the subscription is known only at deploy time).`,
    });
  }
}
