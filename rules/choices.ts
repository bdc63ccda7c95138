/**
 * Every closed set of choices in the stack config and the component args, each written once as an
 * `as const` object with a type of the same name (`const X = {...} as const; type X = (typeof X)[keyof
 * typeof X]`). The stack config schema (config/schema.ts) builds its checks from these objects, the
 * component args are typed with them, and Pulumi's component analyzer turns exactly this shape into an
 * enum type of the package schema (`@pulumi/pulumi/provider/experimental/analyzer.js`, the `as const`
 * object pattern), so other languages get the same choices. No other unions appear in component args.
 *
 * Keys are the enum member names other languages see; values are what Azure (or kubelogin) accepts.
 * The order of the members is the order error messages list them in.
 */

/** AKS SKU tier of the cluster. */
export const SkuTier = {
  /** No uptime SLA; for development and tests. */
  Free: "Free",
  /** Financially backed uptime SLA for the API server. */
  Standard: "Standard",
  /** Standard plus long-term support of Kubernetes versions. */
  Premium: "Premium",
} as const;
/** An AKS SKU tier. */
export type SkuTier = (typeof SkuTier)[keyof typeof SkuTier];

/** Cluster auto-upgrade channel (AKS `autoUpgradeProfile.upgradeChannel`). */
export const UpgradeChannel = {
  /** Latest patch of the cluster's minor version. */
  Patch: "patch",
  /** Latest patch of the minor before the newest (N-1). */
  Stable: "stable",
  /** Latest patch of the newest minor. */
  Rapid: "rapid",
  /** Node images only; Kubernetes is upgraded by hand. */
  NodeImage: "node-image",
  /** No automatic upgrade. */
  None: "none",
} as const;
/** A cluster auto-upgrade channel. */
export type UpgradeChannel = (typeof UpgradeChannel)[keyof typeof UpgradeChannel];

/** Node OS auto-upgrade channel (AKS `autoUpgradeProfile.nodeOSUpgradeChannel`). */
export const NodeOsUpgradeChannel = {
  /** A fresh node image (OS and runtime patches) about weekly. */
  NodeImage: "NodeImage",
  /** OS security patches applied to the running nodes. */
  SecurityPatch: "SecurityPatch",
  /** The OS's own unattended upgrades, no AKS reimage. */
  Unmanaged: "Unmanaged",
  /** No OS updates. */
  None: "None",
} as const;
/** A node OS auto-upgrade channel. */
export type NodeOsUpgradeChannel = (typeof NodeOsUpgradeChannel)[keyof typeof NodeOsUpgradeChannel];

/** Network policy engine of the cluster. */
export const NetworkPolicy = {
  /** Cilium, which also selects the Cilium dataplane. */
  Cilium: "cilium",
  /** Calico. */
  Calico: "calico",
  /** Azure Network Policy Manager. */
  Azure: "azure",
} as const;
/** A network policy engine. */
export type NetworkPolicy = (typeof NetworkPolicy)[keyof typeof NetworkPolicy];

/** How the Kubernetes provider's kubelogin signs in (`kubelogin get-token --login <mode>`), never interactively. */
export const KubeloginMode = {
  /** The Azure CLI's signed-in account (a person after `az login`, or a workflow after azure/login). */
  AzureCli: "azurecli",
  /** A federated workload identity token (AZURE_FEDERATED_TOKEN_FILE). */
  WorkloadIdentity: "workloadidentity",
  /** A service principal's secret or certificate from the environment. */
  Spn: "spn",
  /** The managed identity of the machine that runs the deploy. */
  Msi: "msi",
} as const;
/** A kubelogin login mode. */
export type KubeloginMode = (typeof KubeloginMode)[keyof typeof KubeloginMode];

/** Node OS of a node pool (AKS `osSKU`). */
export const OsSku = {
  /** Azure Linux: Microsoft's minimal container host. */
  AzureLinux: "AzureLinux",
  /** Ubuntu. */
  Ubuntu: "Ubuntu",
} as const;
/** A node OS. */
export type OsSku = (typeof OsSku)[keyof typeof OsSku];

/** An availability zone of a node pool. */
export const AvailabilityZone = {
  /** Zone 1. */
  Zone1: "1",
  /** Zone 2. */
  Zone2: "2",
  /** Zone 3. */
  Zone3: "3",
} as const;
/** An availability zone. */
export type AvailabilityZone = (typeof AvailabilityZone)[keyof typeof AvailabilityZone];

/** Who runs `pulumi up`: the `principalType` of the deployer's role assignments. */
export const DeployerPrincipalType = {
  /** A person, after `az login`. */
  User: "User",
  /** A workflow's service principal, logged in with OIDC. */
  ServicePrincipal: "ServicePrincipal",
} as const;
/** The type of the principal that runs `pulumi up`. */
export type DeployerPrincipalType = (typeof DeployerPrincipalType)[keyof typeof DeployerPrincipalType];

/** What kind of Entra ID principal approves just-in-time activations (PIM `primaryApprovers[].userType`). */
export const ApproverType = {
  /** One user. */
  User: "User",
  /** Every member of a group. */
  Group: "Group",
} as const;
/** The type of a PIM approver. */
export type ApproverType = (typeof ApproverType)[keyof typeof ApproverType];

/** How often an audit alert rule runs: the evaluation frequencies Azure Monitor accepts for log search alerts, in minutes. */
export const AlertFrequencyMinutes = {
  /** Every minute. */
  OneMinute: 1,
  /** Every 5 minutes. */
  FiveMinutes: 5,
  /** Every 10 minutes. */
  TenMinutes: 10,
  /** Every 15 minutes. */
  FifteenMinutes: 15,
  /** Every 30 minutes. */
  ThirtyMinutes: 30,
  /** Every 45 minutes. */
  FortyFiveMinutes: 45,
  /** Every hour. */
  OneHour: 60,
  /** Every 2 hours. */
  TwoHours: 120,
  /** Every 3 hours. */
  ThreeHours: 180,
  /** Every 4 hours. */
  FourHours: 240,
  /** Every 5 hours. */
  FiveHours: 300,
  /** Every 6 hours. */
  SixHours: 360,
  /** Once a day. */
  OneDay: 1440,
} as const;
/** An evaluation frequency of an audit alert, in minutes. */
export type AlertFrequencyMinutes = (typeof AlertFrequencyMinutes)[keyof typeof AlertFrequencyMinutes];

/** The audit trail's log alerts by name (`audit.alerts.<name>` in the stack config; rules/audit/alerts.ts defines each). */
export const AuditAlertName = {
  /** A sensitive role was assigned standing. */
  StandingSensitiveRole: "standing-sensitive-role",
  /** A federated credential of an agent identity changed outside a deploy. */
  FederatedCredentialChanged: "federated-credential-changed",
  /** A credential was added to an agent's app registration. */
  AppCredentialAdded: "app-credential-added",
  /** PIM activation step of a sensitive role (informational). */
  JitActivationPim: "jit-activation-pim",
  /** An agent's JIT activation step (informational). */
  JitActivationAgent: "jit-activation-agent",
  /** A JIT role was activated by a principal that is not an agent of the stack. */
  ActivationByNonAgent: "activation-by-non-agent",
  /** A burst of caller-validation refusals at one callee. */
  CallerRefusalBurst: "caller-refusal-burst",
  /** Token exchanges of an agent's managed identity are failing. */
  TokenExchangeFailures: "token-exchange-failures",
} as const;
/** The name of an audit alert. */
export type AuditAlertName = (typeof AuditAlertName)[keyof typeof AuditAlertName];

/** The values of a choice object, in their order, as a non-empty tuple (what `z.enum` and the messages take). */
export function choiceValues<const E extends Readonly<Record<string, string | number>>>(choices: E): readonly [E[keyof E], ...E[keyof E][]] {
  const values = Object.values(choices) as E[keyof E][];
  if (values.length === 0) {
    throw new Error("A choice object needs at least one member.");
  }
  return values as [E[keyof E], ...E[keyof E][]];
}

/** True when `value` is one of the choice object's values (for components checking untyped callers). */
export function isChoice<const E extends Readonly<Record<string, string | number>>>(choices: E, value: unknown): value is E[keyof E] {
  return (typeof value === "string" || typeof value === "number") && (Object.values(choices) as Array<string | number>).includes(value);
}
