/**
 * The call graph holds in Entra ID and in the callee: each caller's identity is granted the callee
 * API's `Agent.Invoke` app role (Graph appRoleAssignedTo on the API's service principal) and no
 * identity outside the graph is; the callee's pods allow exactly those callers
 * (AGENT_AUTH_ALLOWED_CALLERS) for its audience (AGENT_AUTH_AUDIENCE).
 */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck } from "../../lib/errors";
import { ExpectedAgent } from "../../lib/expectations";
import { INVOKE_ROLE } from "../../../rules/naming";
import { DoctorContext } from "../context";

async function callerIds(ctx: DoctorContext, callers: string[]): Promise<Map<string, string | undefined>> {
  const ids = await Promise.all(callers.map(async (c) => [c, (await ctx.identity(c))?.principalId] as const));
  return new Map(ids);
}

async function checkGrants(ctx: DoctorContext, agent: ExpectedAgent): Promise<CheckResult> {
  const api = agent.api!;
  const sp = await ctx.apiServicePrincipal(agent.name);
  if (!sp) {
    return problem("app-role-grants", `No service principal named ${api.displayName}: callers cannot get a token for ${agent.name} (AADSTS500011: resource principal not found).`, "run pulumi up for the stack.", agent.name);
  }
  const ids = await callerIds(ctx, api.callers);
  const granted = (await ctx.azure.graph().appRoleAssignedTo(sp.id)).filter((a) => a.appRoleId === api.appRoleId);
  const grantedIds = new Set(granted.map((g) => g.principalId));
  const missing = api.callers.filter((c) => !ids.get(c) || !grantedIds.has(ids.get(c)!));
  const expectedIds = new Set([...ids.values()].filter((v): v is string => !!v));
  const extra = granted.filter((g) => !expectedIds.has(g.principalId));
  const issues: string[] = [];
  if (missing.length > 0) {
    issues.push(`${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not granted ${INVOKE_ROLE}: Entra ID refuses their token (AADSTS501051, the service principal requires an app role assignment)`);
  }
  if (extra.length > 0) {
    issues.push(`${extra.map((g) => `${g.principalDisplayName ?? "?"} (${g.principalId})`).join(", ")} ${extra.length > 1 ? "are" : "is"} granted ${INVOKE_ROLE} but not in the call graph`);
  }
  if (sp.appRoleAssignmentRequired === false) {
    issues.push("appRoleAssignmentRequired is false, so any identity in the tenant gets a token for it");
  }
  if (issues.length > 0) {
    return problem("app-role-grants", `API ${api.displayName}: ${issues.join("; ")}.`, `run pulumi up (one grant per calls edge), or remove grants outside the graph (az rest --method DELETE --url .../servicePrincipals/${sp.id}/appRoleAssignedTo/<id>).`, agent.name);
  }
  return ok("app-role-grants", `API ${api.displayName} grants ${INVOKE_ROLE} to exactly its callers ${api.callers.join(", ")}.`, agent.name);
}

async function checkAllowedCallers(ctx: DoctorContext, agent: ExpectedAgent): Promise<CheckResult> {
  const api = agent.api!;
  const [deployment, sp, ids] = await Promise.all([ctx.deployment(agent.name), ctx.apiServicePrincipal(agent.name), callerIds(ctx, api.callers)]);
  if (!deployment) {
    return problem("allowed-callers", `Deployment ${agent.deploymentName} does not exist.`, "run pulumi up for the stack.", agent.name);
  }
  const env = new Map((deployment.spec?.template?.spec?.containers?.[0]?.env ?? []).map((e) => [e.name, e.value ?? ""]));
  const allowed = new Set((env.get("AGENT_AUTH_ALLOWED_CALLERS") ?? "").split(",").filter((s) => s));
  const expected = [...ids.entries()];
  const missing = expected.filter(([, id]) => !id || !allowed.has(id)).map(([c]) => c);
  const known = new Set(expected.map(([, id]) => id));
  const extra = [...allowed].filter((id) => !known.has(id));
  const issues: string[] = [];
  if (missing.length > 0) {
    issues.push(`AGENT_AUTH_ALLOWED_CALLERS lacks ${missing.join(", ")}: their calls get 403`);
  }
  if (extra.length > 0) {
    issues.push(`AGENT_AUTH_ALLOWED_CALLERS admits ${extra.join(", ")}, outside the call graph`);
  }
  if (sp && env.get("AGENT_AUTH_AUDIENCE") !== sp.appId) {
    issues.push(`AGENT_AUTH_AUDIENCE is ${JSON.stringify(env.get("AGENT_AUTH_AUDIENCE") ?? null)} but the API's client id is ${sp.appId}: every token gets 401`);
  }
  if (issues.length > 0) {
    return problem("allowed-callers", `${agent.name}: ${issues.join("; ")}.`, `run pulumi up (the settings come from the graph), then kubectl rollout restart deployment/${agent.deploymentName} -n ${ctx.stack.config.namespace}.`, agent.name);
  }
  return ok("allowed-callers", `${agent.name} admits exactly ${api.callers.join(", ")} for audience ${sp?.appId ?? "?"}.`, agent.name);
}

/** Grants and allowed callers of every examined callee. */
export async function checkCallGraph(ctx: DoctorContext): Promise<CheckResult[]> {
  const callees = ctx.agents.filter((a) => a.api);
  if (callees.length === 0) {
    return [ok("app-role-grants", "No examined agent is called by another.")];
  }
  const all = await Promise.all(
    callees.map((a) =>
      Promise.all([
        checkGrants(ctx, a).catch((err) => couldNotCheck("app-role-grants", `the app role grants of ${a.name}`, err, a.name)),
        checkAllowedCallers(ctx, a).catch((err) => couldNotCheck("allowed-callers", `the allowed callers of ${a.name}`, err, a.name)),
      ]),
    ),
  );
  return all.flat();
}
