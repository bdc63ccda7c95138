/**
 * Every ARM scope the stack config names, with the keys that name it and the Azure actions the
 * deployer needs there (what `pulumi up` writes at that scope).
 */
import { LoadedStack } from "./stack";

/** Creating role assignments (standing grants, AcrPull, the deployer's cluster admin grant). */
export const WRITE_ROLE_ASSIGNMENTS = "Microsoft.Authorization/roleAssignments/write";
/** Creating custom role definitions. */
export const WRITE_ROLE_DEFINITIONS = "Microsoft.Authorization/roleDefinitions/write";
/** Creating PIM eligibilities. */
export const WRITE_ELIGIBILITY_REQUESTS = "Microsoft.Authorization/roleEligibilityScheduleRequests/write";
/** Patching PIM policies. */
export const WRITE_ROLE_MANAGEMENT_POLICIES = "Microsoft.Authorization/roleManagementPolicies/write";

/** A scope of the config. */
export interface ConfigScope {
  /** The scope as first written. */
  scope: string;
  /** Config keys that name it, e.g. `agents[0].jit[0].scope`. */
  keys: string[];
  /** Actions the deployer needs at the scope. */
  actions: string[];
}

/** The scopes of the config, each once (case-insensitive), in config order. */
export function configScopes(stack: LoadedStack): ConfigScope[] {
  const byKey = new Map<string, ConfigScope>();
  const add = (scope: string, key: string, actions: string[]) => {
    const entry = byKey.get(scope.toLowerCase()) ?? { scope, keys: [], actions: [] };
    entry.keys.push(key);
    for (const a of actions) {
      if (!entry.actions.includes(a)) {
        entry.actions.push(a);
      }
    }
    byKey.set(scope.toLowerCase(), entry);
  };
  const { config } = stack;
  config.agents.forEach((agent, i) => {
    agent.roleAssignments.forEach((r, j) => add(r.scope, `agents[${i}].roleAssignments[${j}].scope`, [WRITE_ROLE_ASSIGNMENTS]));
    agent.jit.forEach((r, j) => add(r.scope, `agents[${i}].jit[${j}].scope`, [WRITE_ELIGIBILITY_REQUESTS, WRITE_ROLE_MANAGEMENT_POLICIES]));
  });
  config.roleDefinitions.forEach((role, i) =>
    role.assignableScopes.forEach((scope, j) => add(scope, `roleDefinitions[${i}].assignableScopes[${j}]`, j === 0 ? [WRITE_ROLE_DEFINITIONS] : [])),
  );
  stack.containerRegistries.forEach((scope, i) => add(scope, `containerRegistries[${i}]`, [WRITE_ROLE_ASSIGNMENTS]));
  if (config.cluster.existingClusterId) {
    add(config.cluster.existingClusterId, "cluster.existingClusterId", [WRITE_ROLE_ASSIGNMENTS]);
  }
  return [...byKey.values()];
}
