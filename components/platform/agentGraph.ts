/**
 * The agent graph: one pure pass over the validated config that every builder of {@link AgentPlatform}
 * reads. Per agent its ServiceAccount, callers, callees with their in-cluster URLs, standing
 * assignments; and the just-in-time groups (one PIM policy per role and scope). No Pulumi, no I/O.
 */
import { RoleReference, resolveRoleReference, roleKey } from "../../rules/roles";
import { ServiceAccountRef, agentServiceAccount, serviceAccountSubject } from "../../rules/naming";
import type { AgentConfig, StackConfig } from "../../config/schema";

/** An agent another agent calls, as the caller sees it. */
export interface Callee {
  /** The callee's agent name. */
  name: string;
  /** The port the callee listens on. */
  port: number | undefined;
  /** The callee's in-cluster URL (`http://<name>.<namespace>.svc.cluster.local:<port>`). */
  url: string;
}

/** A standing role assignment of an agent, its role resolved. */
export interface StandingAssignment {
  /** The role as written in config (built-in name, custom role name or GUID). */
  role: string;
  /** The role, resolved. */
  resolved: RoleReference;
  /** The ARM scope. */
  scope: string;
}

/** One agent of the graph. */
export interface AgentNode {
  /** The agent name. */
  name: string;
  /** The agent's validated config. */
  spec: AgentConfig;
  /** The agent's own ServiceAccount: one value for both the Kubernetes object and the federation subject. */
  serviceAccount: ServiceAccountRef;
  /** Every ServiceAccount federated with the agent's identity: its own first, then the extra ones. */
  serviceAccounts: ServiceAccountRef[];
  /** The federated subject of the agent's own ServiceAccount. */
  subject: string;
  /** The agents that call this one, sorted. Non-empty means the agent gets an API registration. */
  callers: string[];
  /** The agents this one calls, sorted by name. */
  callees: Callee[];
  /** Standing assignments, in config order. */
  standing: StandingAssignment[];
}

/** An agent eligible for a role in a {@link JitGroup}. */
export interface JitEligibility {
  /** The agent name. */
  agent: string;
  /** Why the agent needs the role. */
  justification: string;
}

/** The agents eligible for one role at one scope: one PIM policy, one eligibility per agent. */
export interface JitGroup {
  /** `<roleKey>@<lowercase scope>`: equal for two references to the same role at the same scope. */
  key: string;
  /** The role as first written in config. */
  role: string;
  /** The role, resolved. */
  resolved: RoleReference;
  /** The scope as first written in config. */
  scope: string;
  /** The activation cap of the first agent that named the group (the schema requires them equal). */
  maxDuration: string;
  /** The eligible agents, in config order. */
  eligible: JitEligibility[];
}

/** The graph of a validated config. */
export interface AgentGraph {
  /** The agents' namespace. */
  namespace: string;
  /** The agents, in config order. */
  agents: AgentNode[];
  /** The agents by name. */
  byName: ReadonlyMap<string, AgentNode>;
  /** The agents others call (those with an API registration), in config order. */
  callees: AgentNode[];
  /** Just-in-time groups, in order of first mention. */
  jitGroups: JitGroup[];
}

/** Thrown when a config that was not validated names a role or an agent that does not exist. */
export class AgentGraphError extends Error {
  /** Stable code. */
  readonly code = "ERR_AGENT_GRAPH";
  constructor(message: string) {
    super(`${message} Fix: validate the config with the stack config schema first.`);
    this.name = "AgentGraphError";
  }
}

/** The config {@link agentGraph} reads. */
export type GraphConfig = Pick<StackConfig, "namespace" | "agents" | "roleDefinitions">;

/** Builds the agent graph of a validated config in one pass over the agents and their edges. */
export function agentGraph(config: GraphConfig): AgentGraph {
  const customNames = config.roleDefinitions.map((r) => r.name);
  const resolve = (ref: string): RoleReference => resolveRoleReference(ref, customNames) ?? fail(`Unknown role ${JSON.stringify(ref)}.`);
  const specs = new Map(config.agents.map((a) => [a.name, a]));
  const callers = new Map<string, string[]>(config.agents.map((a) => [a.name, []]));
  for (const agent of config.agents) {
    for (const callee of new Set(agent.calls)) {
      (callers.get(callee) ?? fail(`Agent ${JSON.stringify(agent.name)} calls unknown agent ${JSON.stringify(callee)}.`)).push(agent.name);
    }
  }
  const agents = config.agents.map((spec): AgentNode => {
    const serviceAccount = agentServiceAccount(config.namespace, spec);
    return {
      name: spec.name,
      spec,
      serviceAccount,
      serviceAccounts: [serviceAccount, ...spec.extraServiceAccounts],
      subject: serviceAccountSubject(serviceAccount),
      callers: [...callers.get(spec.name)!].sort(),
      callees: [...new Set(spec.calls)].sort().map((name) => calleeOf(name, specs.get(name)!.port, config.namespace)),
      standing: spec.roleAssignments.map((grant) => ({ role: grant.role, resolved: resolve(grant.role), scope: grant.scope })),
    };
  });
  return {
    namespace: config.namespace,
    agents,
    byName: new Map(agents.map((a) => [a.name, a])),
    callees: agents.filter((a) => a.callers.length > 0),
    jitGroups: jitGroups(config.agents, resolve),
  };
}

function calleeOf(name: string, port: number | undefined, namespace: string): Callee {
  return { name, port, url: `http://${name}.${namespace}.svc.cluster.local:${port}` };
}

/** One group per (role, scope), keyed case-insensitively on the scope and by identity on the role. */
function jitGroups(agents: GraphConfig["agents"], resolve: (ref: string) => RoleReference): JitGroup[] {
  const groups = new Map<string, JitGroup>();
  for (const agent of agents) {
    for (const entry of agent.jit) {
      const resolved = resolve(entry.role);
      const key = `${roleKey(resolved)}@${entry.scope.toLowerCase()}`;
      const group = groups.get(key) ?? { key, role: entry.role, resolved, scope: entry.scope, maxDuration: entry.maxDuration, eligible: [] };
      group.eligible.push({ agent: agent.name, justification: entry.justification });
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}

function fail(message: string): never {
  throw new AgentGraphError(message);
}
