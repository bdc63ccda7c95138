/** The ServiceAccount's `azure.workload.identity/client-id` equals the client id of the agent's identity. */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck } from "../../lib/errors";
import { ExpectedAgent } from "../../lib/expectations";
import { DoctorContext } from "../context";

/** The annotation the webhook reads the client id from. */
export const CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id";

async function checkOne(ctx: DoctorContext, agent: ExpectedAgent): Promise<CheckResult> {
  const sa = agent.serviceAccount;
  const target = `${agent.name} ${sa.namespace}/${sa.name}`;
  const [identity, account] = await Promise.all([ctx.identity(agent.name), ctx.serviceAccount(agent.name)]);
  if (!account) {
    return problem("service-account", `ServiceAccount ${sa.namespace}/${sa.name} does not exist; pods that name it are refused, and the federated credential's subject points at nothing.`, "run pulumi up for the stack.", target);
  }
  if (!identity?.clientId) {
    return problem("service-account", `Managed identity ${agent.identityName} does not exist, so no client id can match the annotation.`, "run pulumi up for the stack.", target);
  }
  const annotated = account.metadata?.annotations?.[CLIENT_ID_ANNOTATION];
  if (annotated !== identity.clientId) {
    return problem(
      "service-account",
      annotated
        ? `${CLIENT_ID_ANNOTATION} is "${annotated}" but the identity's client id is "${identity.clientId}": the webhook injects AZURE_CLIENT_ID=${annotated}, and Entra ID answers AADSTS700016 (no such application) or AADSTS70021 (that identity has no matching federated credential).`
        : `${CLIENT_ID_ANNOTATION} is missing: the webhook injects no AZURE_CLIENT_ID, so DefaultAzureCredential in the pod finds no workload identity.`,
      `run pulumi up, or kubectl annotate serviceaccount -n ${sa.namespace} ${sa.name} ${CLIENT_ID_ANNOTATION}=${identity.clientId} --overwrite; then kubectl rollout restart deployment/${agent.deploymentName} -n ${ctx.stack.config.namespace}.`,
      target,
    );
  }
  return ok("service-account", `${CLIENT_ID_ANNOTATION} is ${identity.clientId}, the identity's client id.`, target);
}

/** Checks every examined agent. */
export async function checkServiceAccounts(ctx: DoctorContext): Promise<CheckResult[]> {
  return Promise.all(ctx.agents.map((a) => checkOne(ctx, a).catch((err) => couldNotCheck("service-account", `the ServiceAccount or identity of ${a.name}`, err, a.name))));
}
