/**
 * Every ARM scope the stack config names (config/scopes configScopes, plus an adopted cluster), with
 * the keys that name it and the Azure actions the deployer needs there (what `pulumi up` writes).
 */
import { configScopes as scopesOfConfig } from "../../config/scopes";
import { formatPath } from "../../config/errors";
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

/** What `pulumi up` writes at a scope, by the key that names it. */
function actionsFor(path: ReadonlyArray<string | number>): string[] {
  if (path[0] === "containerRegistries" || path[2] === "roleAssignments") {
    return [WRITE_ROLE_ASSIGNMENTS];
  }
  if (path[2] === "jit") {
    return [WRITE_ELIGIBILITY_REQUESTS, WRITE_ROLE_MANAGEMENT_POLICIES];
  }
  // A custom role is defined at its first assignable scope.
  return path[0] === "roleDefinitions" && path[3] === 0 ? [WRITE_ROLE_DEFINITIONS] : [];
}

/** The scopes of the config, each once (case-insensitive). */
export function configScopes(stack: LoadedStack): ConfigScope[] {
  const byKey = new Map<string, ConfigScope>();
  const { config } = stack;
  const all = [...scopesOfConfig(config), ...(config.cluster.existingClusterId ? [{ path: ["cluster", "existingClusterId"], scope: config.cluster.existingClusterId }] : [])];
  for (const { path, scope } of all) {
    const entry = byKey.get(scope.toLowerCase()) ?? { scope, keys: [], actions: [] };
    entry.keys.push(formatPath(path));
    const actions = path[0] === "cluster" ? [WRITE_ROLE_ASSIGNMENTS] : actionsFor(path);
    entry.actions.push(...actions.filter((a) => !entry.actions.includes(a)));
    byKey.set(scope.toLowerCase(), entry);
  }
  return [...byKey.values()];
}
