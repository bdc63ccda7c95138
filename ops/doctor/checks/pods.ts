/**
 * The agent's pods (not only its Deployment) run as its ServiceAccount, carry
 * `azure.workload.identity/use: "true"`, were
 * mutated by the workload identity webhook (AZURE_CLIENT_ID, AZURE_TENANT_ID,
 * AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST and the projected `azure-identity-token` volume with
 * audience api://AzureADTokenExchange: azure-workload-identity pkg/webhook), and started after the
 * ServiceAccount's client-id annotation last changed (the webhook copies it only at admission).
 */
import type { V1Pod, V1ServiceAccount } from "@kubernetes/client-node";
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck } from "../../lib/errors";
import { ExpectedAgent } from "../../lib/expectations";
import { TOKEN_EXCHANGE_AUDIENCE } from "../../../rules/naming";
import { DoctorContext } from "../context";
import { CLIENT_ID_ANNOTATION } from "./serviceAccount";

/** The pod label that asks the webhook to mutate the pod. */
export const USE_LABEL = "azure.workload.identity/use";
/** What the webhook injects into every container. */
export const INJECTED_ENV = ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST"];
/** The projected token volume the webhook adds. */
export const TOKEN_VOLUME = "azure-identity-token";

/** When the client-id annotation last changed, from the ServiceAccount's managedFields. */
export function annotationChangedAt(account: V1ServiceAccount): Date | undefined {
  let latest: Date | undefined;
  for (const entry of account.metadata?.managedFields ?? []) {
    const annotations = (entry.fieldsV1 as Record<string, Record<string, Record<string, unknown>>> | undefined)?.["f:metadata"]?.["f:annotations"];
    if (annotations && `f:${CLIENT_ID_ANNOTATION}` in annotations && entry.time) {
      const time = new Date(entry.time);
      latest = !latest || time > latest ? time : latest;
    }
  }
  return latest;
}

function findMutation(pod: V1Pod): string[] {
  const missing: string[] = [];
  for (const container of pod.spec?.containers ?? []) {
    const names = new Set((container.env ?? []).map((e) => e.name));
    const absent = INJECTED_ENV.filter((n) => !names.has(n));
    if (absent.length > 0) {
      missing.push(`container ${container.name} lacks ${absent.join(", ")}`);
    }
  }
  const volume = (pod.spec?.volumes ?? []).find((v) => v.name === TOKEN_VOLUME);
  const audience = volume?.projected?.sources?.find((s) => s.serviceAccountToken)?.serviceAccountToken?.audience;
  if (!volume) {
    missing.push(`the projected token volume ${TOKEN_VOLUME} is absent`);
  } else if (audience !== TOKEN_EXCHANGE_AUDIENCE) {
    missing.push(`the projected token's audience is ${JSON.stringify(audience)}, not ${TOKEN_EXCHANGE_AUDIENCE}`);
  }
  return missing;
}

function clientIdOf(pod: V1Pod): string | undefined {
  return pod.spec?.containers?.[0]?.env?.find((e) => e.name === "AZURE_CLIENT_ID")?.value;
}

async function checkOne(ctx: DoctorContext, agent: ExpectedAgent): Promise<CheckResult[]> {
  const ns = ctx.stack.config.namespace;
  const restart = `kubectl rollout restart deployment/${agent.deploymentName} -n ${ns}`;
  const [pods, deployment, account, identity] = await Promise.all([ctx.pods(agent.name), ctx.deployment(agent.name), ctx.serviceAccount(agent.name), ctx.identity(agent.name)]);
  if (!deployment) {
    return [problem("pods", `Deployment ${ns}/${agent.deploymentName} does not exist.`, "run pulumi up for the stack.", agent.name)];
  }
  const templateLabel = deployment.spec?.template?.metadata?.labels?.[USE_LABEL];
  if (pods.length === 0) {
    return (deployment.spec?.replicas ?? 1) === 0
      ? [ok("pods", "The Deployment is scaled to 0 replicas: no pod to check.", agent.name)]
      : [problem("pods", `No pod of ${agent.name} is running although the Deployment asks for ${deployment.spec?.replicas ?? 1}.`, `kubectl describe deployment/${agent.deploymentName} -n ${ns} and kubectl get events -n ${ns} show why.`, agent.name)];
  }
  const changedAt = account ? annotationChangedAt(account) : undefined;
  return pods.map((pod) => {
    const name = pod.metadata?.name ?? "?";
    const target = `${agent.name} pod ${name}`;
    if (pod.metadata?.labels?.[USE_LABEL] !== "true") {
      const onDeployment = deployment.metadata?.labels?.[USE_LABEL] === "true" && templateLabel !== "true";
      return problem(
        "pods",
        onDeployment
          ? `Pod ${name} lacks the label ${USE_LABEL}: "true", which sits on the Deployment instead of the pod template; the webhook looks at pods, injects nothing, and DefaultAzureCredential finds no workload identity.`
          : `Pod ${name} lacks the label ${USE_LABEL}: "true"; the webhook injects nothing, and DefaultAzureCredential finds no workload identity.`,
        `put ${USE_LABEL}: "true" under spec.template.metadata.labels (pulumi up does), then ${restart}.`,
        target,
      );
    }
    if (pod.spec?.serviceAccountName !== agent.serviceAccount.name) {
      return problem(
        "pods",
        `Pod ${name} runs as ServiceAccount ${pod.spec?.serviceAccountName ?? "default"}, not ${agent.serviceAccount.name}: its token's subject is system:serviceaccount:${ns}:${pod.spec?.serviceAccountName ?? "default"}, which no federated credential trusts (AADSTS70021).`,
        `set spec.template.spec.serviceAccountName: ${agent.serviceAccount.name} (pulumi up does), then ${restart}.`,
        target,
      );
    }
    const missing = findMutation(pod);
    if (missing.length > 0) {
      return problem(
        "pods",
        `Pod ${name} was not mutated by the workload identity webhook: ${missing.join("; ")}. It was probably created before the webhook ran or before the label was set.`,
        `check that the cluster has workload identity enabled (az aks show --query securityProfile.workloadIdentity), then ${restart}.`,
        target,
      );
    }
    const started = pod.metadata?.creationTimestamp ? new Date(pod.metadata.creationTimestamp) : undefined;
    const podClientId = clientIdOf(pod);
    // The webhook copies the annotation at admission only: a pod admitted before it changed keeps the old value.
    if (identity?.clientId && podClientId !== identity.clientId) {
      const before = changedAt && started && started < changedAt;
      return problem(
        "pods",
        before
          ? `Pod ${name} started at ${started!.toISOString()}, before the ServiceAccount's ${CLIENT_ID_ANNOTATION} last changed (${changedAt!.toISOString()}): it still carries AZURE_CLIENT_ID=${podClientId ?? "(none)"} instead of ${identity.clientId}, and gets AADSTS700016 or AADSTS70021.`
          : `Pod ${name} carries AZURE_CLIENT_ID=${podClientId ?? "(none)"} instead of the identity's ${identity.clientId}, and gets AADSTS700016 or AADSTS70021.`,
        restart,
        target,
      );
    }
    return ok("pods", `Pod ${name} is labelled, was mutated by the webhook, and carries AZURE_CLIENT_ID=${podClientId}.`, target);
  });
}

/** Checks every examined agent's pods. */
export async function checkPods(ctx: DoctorContext): Promise<CheckResult[]> {
  const all = await Promise.all(ctx.agents.map((a) => checkOne(ctx, a).catch((err) => [couldNotCheck("pods", `the pods of ${a.name}`, err, a.name)])));
  return all.flat();
}
