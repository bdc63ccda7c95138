/**
 * The cluster's choices and their defaults, in one table that the stack config schema (config/schema.ts)
 * and the AgentCluster component (its checks and its defaults) both read: a new choice is one edit here.
 */

/** Each choice: the values Azure (or kubelogin) accepts, and the default this project picks. */
export const CLUSTER_CHOICES = {
  /** AKS SKU tier; `Standard` carries the uptime SLA. */
  skuTier: { values: ["Free", "Standard", "Premium"], default: "Standard" },
  /** Cluster auto-upgrade channel. */
  upgradeChannel: { values: ["patch", "stable", "rapid", "node-image", "none"], default: "stable" },
  /** Node OS auto-upgrade channel. */
  nodeOsUpgradeChannel: { values: ["NodeImage", "SecurityPatch", "Unmanaged", "None"], default: "NodeImage" },
  /** Network policy engine (`cilium` also selects the Cilium dataplane). */
  networkPolicy: { values: ["cilium", "calico", "azure"], default: "cilium" },
  /** How the Kubernetes provider's kubelogin signs in. */
  kubeloginMode: { values: ["azurecli", "workloadidentity", "spn", "msi"], default: "azurecli" },
} as const;

/** The name of a cluster choice. */
export type ClusterChoiceName = keyof typeof CLUSTER_CHOICES;

/** The values of a cluster choice, as a union type. */
export type ClusterChoice<K extends ClusterChoiceName> = (typeof CLUSTER_CHOICES)[K]["values"][number];

/** The value of a choice, or its default when unset. */
export function clusterChoice<K extends ClusterChoiceName>(name: K, value: string | undefined): string {
  return value ?? CLUSTER_CHOICES[name].default;
}
