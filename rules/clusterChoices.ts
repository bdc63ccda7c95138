/**
 * The cluster's choices and their defaults, in one table that the stack config schema (config/schema.ts)
 * and the AgentCluster component (its checks and its defaults) both read. The values come from the
 * choice objects of rules/choices.ts (which also type the component args): a new choice is one edit there.
 */
import { AvailabilityZone, KubeloginMode, NetworkPolicy, NodeOsUpgradeChannel, OsSku, SkuTier, UpgradeChannel, choiceValues } from "./choices";

/** Each choice: its choice object, the values Azure (or kubelogin) accepts in order, and the default this project picks. */
export const CLUSTER_CHOICES = {
  /** AKS SKU tier; `Standard` carries the uptime SLA. */
  skuTier: { choices: SkuTier, values: choiceValues(SkuTier), default: SkuTier.Standard },
  /** Cluster auto-upgrade channel. */
  upgradeChannel: { choices: UpgradeChannel, values: choiceValues(UpgradeChannel), default: UpgradeChannel.Stable },
  /** Node OS auto-upgrade channel. */
  nodeOsUpgradeChannel: { choices: NodeOsUpgradeChannel, values: choiceValues(NodeOsUpgradeChannel), default: NodeOsUpgradeChannel.NodeImage },
  /** Network policy engine (`cilium` also selects the Cilium dataplane). */
  networkPolicy: { choices: NetworkPolicy, values: choiceValues(NetworkPolicy), default: NetworkPolicy.Cilium },
  /** How the Kubernetes provider's kubelogin signs in. */
  kubeloginMode: { choices: KubeloginMode, values: choiceValues(KubeloginMode), default: KubeloginMode.AzureCli },
} as const;

/** The name of a cluster choice. */
export type ClusterChoiceName = keyof typeof CLUSTER_CHOICES;

/** The values of a cluster choice, as a union type. */
export type ClusterChoice<K extends ClusterChoiceName> = (typeof CLUSTER_CHOICES)[K]["values"][number];

/** The value of a choice, or its default when unset. */
export function clusterChoice<K extends ClusterChoiceName>(name: K, value: ClusterChoice<K> | undefined): ClusterChoice<K> {
  return value ?? CLUSTER_CHOICES[name].default;
}

/** The defaults of a node pool's settings, for the stack config schema and the AgentCluster component alike. */
export const NODE_POOL_DEFAULTS = {
  /** VM size. */
  vmSize: "Standard_D4ds_v5",
  /** Autoscaler minimum (also the initial count). */
  minCount: 3,
  /** Autoscaler maximum. */
  maxCount: 5,
  /** Every zone. */
  availabilityZones: choiceValues(AvailabilityZone),
  /** Azure Linux. */
  osSku: OsSku.AzureLinux,
} as const;
