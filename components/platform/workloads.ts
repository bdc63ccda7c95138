/**
 * Per agent, its workload, with the caller-validation settings of a callee and the callee directory of
 * a caller wired from the graph's outputs: never typed by hand.
 */
import * as pulumi from "@pulumi/pulumi";
import { AgentApi, INVOKE_ROLE } from "../agentApi";
import { AgentCluster } from "../agentCluster";
import { AgentIdentity } from "../agentIdentity";
import { AgentNamespace } from "../agentNamespace";
import { AgentWorkload } from "../agentWorkload";
import type { AgentNode } from "./agentGraph";
import { PlatformContext, platformChild } from "./context";

/** Environment variables the caller-validation middleware reads (`@agent-identity/agent-auth`). */
export const CALLER_VALIDATION_ENV = {
  tenantId: "AGENT_AUTH_TENANT_ID",
  audience: "AGENT_AUTH_AUDIENCE",
  issuer: "AGENT_AUTH_ISSUER",
  allowedCallers: "AGENT_AUTH_ALLOWED_CALLERS",
  requiredRole: "AGENT_AUTH_REQUIRED_ROLE",
  callees: "AGENT_CALLEES",
} as const;

/** What the workloads are wired to. */
export interface WorkloadInputs {
  cluster: AgentCluster;
  namespace: AgentNamespace;
  identities: Record<string, AgentIdentity>;
  apis: Record<string, AgentApi>;
}

/** One {@link AgentWorkload} per agent, by agent name, in the cluster through its provider. */
export function buildWorkloads(ctx: PlatformContext, inputs: WorkloadInputs): Record<string, AgentWorkload> {
  const workloads: Record<string, AgentWorkload> = {};
  for (const agent of ctx.graph.agents) {
    const identity = inputs.identities[agent.name];
    const spec = agent.spec;
    const child = platformChild(ctx, agent.name);
    workloads[agent.name] = new AgentWorkload(
      child.name,
      {
        agentName: agent.name,
        namespace: inputs.namespace.namespaceName,
        serviceAccountName: agent.serviceAccount.name,
        clientId: identity.clientId,
        tenantId: identity.tenantId,
        serviceAccountTokenExpirationSeconds: spec.serviceAccountTokenExpirationSeconds,
        image: spec.image,
        replicas: spec.replicas,
        port: spec.port,
        requests: spec.resources.requests,
        limits: spec.resources.limits,
        env: { ...spec.env, ...callerValidationEnv(agent, inputs), ...calleeDirectoryEnv(agent, inputs.apis) },
        runAsUser: spec.runAsUser,
        allowedCallers: agent.callers,
        federatedCredentials: identity.federatedCredentials,
        imagePullGrants: inputs.cluster.acrPullAssignments,
      },
      { ...child.opts, providers: [inputs.cluster.provider] },
    );
  }
  return workloads;
}

/** A callee's validation settings: tenant, audience, issuer, the callers' principal ids, the app role. */
export function callerValidationEnv(agent: AgentNode, inputs: Pick<WorkloadInputs, "identities" | "apis">): Record<string, pulumi.Input<string>> {
  const api = inputs.apis[agent.name];
  if (!api) {
    return {};
  }
  const tenantId = inputs.identities[agent.name].tenantId;
  return {
    [CALLER_VALIDATION_ENV.tenantId]: tenantId,
    [CALLER_VALIDATION_ENV.audience]: api.audience,
    [CALLER_VALIDATION_ENV.issuer]: tenantId.apply((tenant) => `https://login.microsoftonline.com/${tenant}/v2.0`),
    [CALLER_VALIDATION_ENV.allowedCallers]: joined(agent.callers.map((c) => inputs.identities[c].principalId)),
    [CALLER_VALIDATION_ENV.requiredRole]: INVOKE_ROLE,
  };
}

/** Where a caller finds its callees: in-cluster URL and the token scope to request, as JSON. */
export function calleeDirectoryEnv(agent: AgentNode, apis: Record<string, AgentApi>): Record<string, pulumi.Input<string>> {
  if (agent.callees.length === 0) {
    return {};
  }
  const scopes = allOf(agent.callees.map((callee) => apis[callee.name].tokenScope));
  return {
    [CALLER_VALIDATION_ENV.callees]: scopes.apply((list) => JSON.stringify(Object.fromEntries(agent.callees.map((callee, i) => [callee.name, { url: callee.url, scope: list[i] }])))),
  };
}

/**
 * The values joined by commas. One value is its own Output: `pulumi.all` would wrap it twice more for
 * the same string (the common case, a callee with one caller).
 */
function joined(values: pulumi.Output<string>[]): pulumi.Input<string> {
  return values.length === 1 ? values[0] : pulumi.all(values).apply((list) => list.join(","));
}

/** `pulumi.all` of a list, with one apply instead of two for a list of one. */
function allOf(values: pulumi.Output<string>[]): pulumi.Output<string[]> {
  return values.length === 1 ? values[0].apply((value) => [value]) : pulumi.all(values);
}
