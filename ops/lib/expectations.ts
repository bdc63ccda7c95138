/**
 * What a deployed stack should hold, derived from its config with the same naming helpers and role
 * resolution the program uses, so the doctor compares against the program's rules, not a copy.
 */
import { roleGuidOf } from "../../config/roleGuid";

export { roleGuidOf };
import {
  INVOKE_ROLE,
  ServiceAccountRef,
  TOKEN_EXCHANGE_AUDIENCE,
  agentApiDisplayName,
  appRoleId,
  federatedCredentialName,
  serviceAccountSubject,
} from "../../rules/naming";
import { LoadedStack } from "./stack";
import { parseScope } from "./scopes";
import { agentGraph } from "../../components/platform/agentGraph";

/** One federated credential the agent's identity must hold. */
export interface ExpectedCredential {
  /** Credential name. */
  name: string;
  /** The ServiceAccount it trusts. */
  serviceAccount: ServiceAccountRef;
  /** `system:serviceaccount:<ns>:<sa>`. */
  subject: string;
  /** `api://AzureADTokenExchange`. */
  audience: string;
}

/** One just-in-time entry of an agent. */
export interface ExpectedJit {
  /** The role as written in config. */
  role: string;
  /** The role definition GUID. */
  roleGuid: string;
  /** The scope. */
  scope: string;
  /** Longest activation. */
  maxDuration: string;
}

/** The API registration of an agent others call. */
export interface ExpectedApi {
  /** Display name of the application and its service principal. */
  displayName: string;
  /** Id of the `Agent.Invoke` app role. */
  appRoleId: string;
  /** Names of the calling agents, sorted. */
  callers: string[];
}

/** Everything expected of one agent. */
export interface ExpectedAgent {
  /** Agent name. */
  name: string;
  /** Name of the managed identity (in the stack's resource group). */
  identityName: string;
  /** The agent's own ServiceAccount. */
  serviceAccount: ServiceAccountRef;
  /** Deployment name. */
  deploymentName: string;
  /** Every credential of the identity (own ServiceAccount first). */
  credentials: ExpectedCredential[];
  /** The API registration, when others call the agent. */
  api?: ExpectedApi;
  /** Just-in-time entries. */
  jit: ExpectedJit[];
}

/** Derives what each agent should hold. */
export function expectedAgents(stack: LoadedStack): ExpectedAgent[] {
  const { config } = stack;
  // The same graph the platform is built from: ServiceAccounts and callers cannot disagree with it.
  const graph = agentGraph(config);
  return config.agents.map((agent) => {
    const node = graph.byName.get(agent.name)!;
    const own = node.serviceAccount;
    const credentials = node.serviceAccounts.map((sa) => ({
      name: federatedCredentialName(sa),
      serviceAccount: sa,
      subject: serviceAccountSubject(sa),
      audience: TOKEN_EXCHANGE_AUDIENCE,
    }));
    const callers = node.callers;
    const displayName = agentApiDisplayName(stack.project, stack.stack, agent.name);
    return {
      name: agent.name,
      identityName: agent.name,
      serviceAccount: own,
      deploymentName: agent.name,
      credentials,
      api: callers.length > 0 ? { displayName, appRoleId: appRoleId(displayName, INVOKE_ROLE), callers } : undefined,
      jit: agent.jit.map((j) => ({ role: j.role, roleGuid: roleGuidOf(j.role, config) ?? "", scope: j.scope, maxDuration: j.maxDuration })),
    };
  });
}

/** The cluster's resource group and name: the adopted cluster's id, or the stack's group and `cluster.name`. */
export function clusterLocation(stack: LoadedStack, subscriptionId: string): { subscriptionId: string; resourceGroup: string; name: string } {
  const existing = stack.config.cluster.existingClusterId;
  if (existing) {
    const parsed = parseScope(existing)!;
    return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup!, name: existing.split("/").filter((p) => p).pop()! };
  }
  return { subscriptionId, resourceGroup: stack.config.resourceGroupName, name: stack.config.cluster.name };
}
