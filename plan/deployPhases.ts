/**
 * The two phases of a first deploy, read off the offline plan. Phase one applies everything but the
 * in-cluster objects (the cluster, identities, grants, PIM, app registrations); the deploy workflow then
 * logs in again and waits until the deployer may write to the cluster; phase two applies the rest.
 * Two delays force the split: the Azure CLI's federated login in GitHub Actions cannot be refreshed and
 * lives about ten minutes (Azure/azure-cli issue 28708), shorter than a cluster creation, and a new
 * Azure RBAC assignment takes up to five minutes to reach AKS's authorizer
 * (learn.microsoft.com/azure/aks/manage-azure-rbac).
 */
import type { Plan } from "./evaluate";
import type { StackConfig } from "../config/schema";
import { parseClusterId } from "../components/agentCluster";

const KUBERNETES_PROVIDER = "pulumi:providers:kubernetes";

/** What the deploy workflow needs to run the phases. */
export interface DeployPhases {
  /** The stack. */
  stack: string;
  /** Resource group of the cluster. */
  resourceGroupName: string;
  /** The cluster's Azure name. */
  clusterName: string;
  /** The agents' namespace. */
  namespace: string;
  /**
   * URNs (the engine's) of the first phase: every resource but the Kubernetes providers and the resources
   * that talk to the cluster through one. Passed to `pulumi up --target` (one per line in pulumi/actions'
   * `target` input): a targeted update applies exactly these and skips the rest (Pulumi docs, "Targeted
   * updates"); no Azure resource depends on an in-cluster one, so the list is closed under dependencies.
   */
  azureUrns: string[];
  /** URNs of the second phase only: the Kubernetes providers and every in-cluster object. */
  kubernetesUrns: string[];
}

/** Reads the phases off a plan of the stack and its validated config. */
export function deployPhases(plan: Plan, config: StackConfig): DeployPhases {
  const providers = new Set(plan.resources.filter((r) => r.type === KUBERNETES_PROVIDER).map((r) => r.urn));
  const inCluster = (r: Plan["resources"][number]) => providers.has(r.urn) || (r.provider !== null && providers.has(r.provider));
  const kubernetesUrns = plan.resources.filter(inCluster).map((r) => r.urn);
  const azureUrns = plan.resources.filter((r) => !inCluster(r)).map((r) => r.urn);
  const kubernetes = new Set(kubernetesUrns);
  for (const r of plan.resources.filter((x) => !inCluster(x))) {
    const waitsOnCluster = [...r.dependsOn, ...(r.provider ? [r.provider] : [])].find((u) => kubernetes.has(u));
    if (waitsOnCluster) {
      throw new Error(`${r.urn} depends on the in-cluster resource ${waitsOnCluster}, so the Azure phase cannot apply it first. Fix: remove that dependency.`);
    }
  }
  const cluster = config.cluster.existingClusterId ? parseClusterId(config.cluster.existingClusterId) : { resourceGroupName: config.resourceGroupName, clusterName: config.cluster.name };
  return { stack: plan.stack, resourceGroupName: cluster.resourceGroupName, clusterName: cluster.clusterName, namespace: config.namespace, azureUrns, kubernetesUrns };
}
