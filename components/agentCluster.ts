/**
 * AgentCluster: an AKS cluster with the OIDC issuer and workload identity enabled and the secure
 * defaults of the Azure Verified Module for AKS, or an existing cluster adopted by id; plus the
 * Kubernetes provider that talks to it without an interactive login.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as authorization from "@pulumi/azure-native/authorization";
import { deterministicGuid } from "../rules/naming";
import { toNonInteractiveKubeconfig } from "./lib/kubeconfig";
import { CLUSTER_CHOICES, ClusterChoiceName, NODE_POOL_DEFAULTS, clusterChoice } from "../rules/clusterChoices";
import { AvailabilityZone, DeployerPrincipalType, KubeloginMode, NetworkPolicy, NodeOsUpgradeChannel, OsSku, SkuTier, UpgradeChannel, choiceValues, isChoice } from "../rules/choices";
import { AKS_CLUSTER_ID, CONTAINER_REGISTRY_ID, registryNameOfId } from "../rules/formats";
import { ComponentArgsError } from "../rules/componentArgsError";

/** The system node pool of a created cluster. */
export interface SystemNodePoolArgs {
  /** VM size. Default `Standard_D4ds_v5`. */
  vmSize?: string;
  /** Autoscaler minimum. Default 3. */
  minCount?: number;
  /** Autoscaler maximum. Default 5. */
  maxCount?: number;
  /** Availability zones. Default `["1", "2", "3"]`. */
  availabilityZones?: AvailabilityZone[];
  /** Node OS (`AzureLinux`, `Ubuntu`). Default `AzureLinux`. */
  osSku?: OsSku;
}

/** Arguments of {@link AgentCluster}. */
export interface AgentClusterArgs {
  /** Resource group of the cluster (ignored when adopting: the id names it). */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region. Default: the resource group's region (azure-native's default location). */
  location?: pulumi.Input<string>;
  /** The cluster's Azure name. Default: the component name. */
  clusterName?: string;
  /**
   * ARM id of an existing cluster to adopt instead of creating one. The cluster must already have the
   * OIDC issuer and workload identity enabled. Default: none (a cluster is created).
   */
  existingClusterId?: string;
  /** Kubernetes version. Default: the version AKS picks. */
  kubernetesVersion?: string;
  /** SKU tier (`Free`, `Standard`, `Premium`). Default `Standard` (uptime SLA). */
  skuTier?: SkuTier;
  /** The system node pool (tainted CriticalAddonsOnly). Defaults as in {@link SystemNodePoolArgs}. */
  systemNodePool?: SystemNodePoolArgs;
  /**
   * The agents' user node pool, sized apart from the system pool (a small dev stack can run one small
   * node). Default: the system pool's settings. Both pools are inline in the cluster: AKS refuses to add a
   * pool to an existing cluster through it (pulumi-azure-native issue 579), so the set of pools is fixed
   * at creation; counts can change, a VM size cannot (AKS node pool limitations).
   */
  agentNodePool?: SystemNodePoolArgs;
  /** Entra ID groups that are cluster admins through Azure RBAC. Default none. */
  adminGroupObjectIds?: pulumi.Input<string>[];
  /** Disable local (certificate) accounts so every access goes through Entra ID. Default true. */
  disableLocalAccounts?: boolean;
  /** Authorize Kubernetes API access with Azure RBAC. Default true. */
  enableAzureRbac?: boolean;
  /** IP ranges allowed to reach the API server. Default none (no restriction). */
  authorizedIpRanges?: string[];
  /** Cluster auto-upgrade channel. Default `stable`. */
  upgradeChannel?: UpgradeChannel;
  /** Node OS auto-upgrade channel. Default `NodeImage`. */
  nodeOsUpgradeChannel?: NodeOsUpgradeChannel;
  /** Network policy engine (`cilium`, `calico`, `azure`). Default `cilium` (with the Cilium dataplane). */
  networkPolicy?: NetworkPolicy;
  /** Enable the Azure Policy add-on. Default true. */
  azurePolicy?: boolean;
  /** Enable the image cleaner. Default true. */
  imageCleaner?: boolean;
  /** Hours between image cleaner runs. Default 168. */
  imageCleanerIntervalHours?: number;
  /** How the provider's kubelogin signs in (`azurecli`, `workloadidentity`, `spn`, `msi`). Default `azurecli`. */
  kubeloginMode?: KubeloginMode;
  /**
   * Grant whoever runs `pulumi up` (the signed-in user or the deploy workflow's principal) the
   * "Azure Kubernetes Service RBAC Cluster Admin" role on the cluster, so the Kubernetes objects can be
   * applied with Azure RBAC on and local accounts off. Default true.
   */
  grantDeployerClusterAdmin?: boolean;
  /**
   * The type of the principal that runs `pulumi up`: `ServicePrincipal` (a workflow logged in with OIDC)
   * or `User` (a person after `az login`). Required while `grantDeployerClusterAdmin` is on: azure-native
   * sends `principalType: "User"` when it is unset, and Azure refuses a type that does not match the
   * principal (UnmatchedPrincipalType). No default.
   */
  deployerPrincipalType?: DeployerPrincipalType;
  /**
   * ARM ids of Azure container registries the cluster pulls images from: the cluster's kubelet identity
   * gets `AcrPull` on each, so the first rollout does not sit in ImagePullBackOff. Default none.
   */
  acrPullRegistryIds?: string[];
  /**
   * Log Analytics workspace (ARM id) that Container insights sends the cluster's container logs to: turns
   * on the monitoring add-on (`omsagent`, managed identity auth). Ignored when adopting a cluster. Default none.
   */
  monitoringWorkspaceId?: pulumi.Input<string>;
  /** Tags of the cluster. Default none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** One autoscaled node pool with the given settings and defaults. */
function nodePool(name: string, mode: string, pool: SystemNodePoolArgs) {
  return {
    name,
    mode,
    vmSize: pool.vmSize ?? NODE_POOL_DEFAULTS.vmSize,
    osType: "Linux",
    osSKU: pool.osSku ?? NODE_POOL_DEFAULTS.osSku,
    enableAutoScaling: true,
    count: pool.minCount ?? NODE_POOL_DEFAULTS.minCount,
    minCount: pool.minCount ?? NODE_POOL_DEFAULTS.minCount,
    maxCount: pool.maxCount ?? NODE_POOL_DEFAULTS.maxCount,
    availabilityZones: pool.availabilityZones ?? [...NODE_POOL_DEFAULTS.availabilityZones],
    upgradeSettings: { maxSurge: "33%" },
  };
}

/**
 * The ManagedCluster arguments for a new cluster: OIDC issuer and workload identity on, and the secure
 * defaults (local accounts off, managed Entra ID with Azure RBAC, auto-upgrade, network policy, Azure
 * Policy, image cleaner), each overridable through {@link AgentClusterArgs}.
 */
export function managedClusterArgs(name: string, args: AgentClusterArgs): containerservice.ManagedClusterArgs {
  const pool = args.systemNodePool ?? {};
  const networkPolicy = clusterChoice("networkPolicy", args.networkPolicy);
  const clusterName = args.clusterName ?? name;
  return {
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    resourceName: clusterName,
    dnsPrefix: clusterName.replace(/_/g, "-"),
    kubernetesVersion: args.kubernetesVersion,
    sku: { name: "Base", tier: clusterChoice("skuTier", args.skuTier) },
    identity: { type: "SystemAssigned" },
    oidcIssuerProfile: { enabled: true },
    securityProfile: {
      workloadIdentity: { enabled: true },
      imageCleaner: { enabled: args.imageCleaner ?? true, intervalHours: args.imageCleanerIntervalHours ?? 168 },
    },
    enableRBAC: true,
    disableLocalAccounts: args.disableLocalAccounts ?? true,
    aadProfile: {
      managed: true,
      enableAzureRBAC: args.enableAzureRbac ?? true,
      adminGroupObjectIDs: args.adminGroupObjectIds ?? [],
    },
    autoUpgradeProfile: {
      upgradeChannel: clusterChoice("upgradeChannel", args.upgradeChannel),
      nodeOSUpgradeChannel: clusterChoice("nodeOsUpgradeChannel", args.nodeOsUpgradeChannel),
    },
    networkProfile: {
      networkPlugin: "azure",
      networkPluginMode: "overlay",
      networkPolicy,
      networkDataplane: networkPolicy === "cilium" ? "cilium" : "azure",
      loadBalancerSku: "standard",
    },
    addonProfiles: {
      azurepolicy: { enabled: args.azurePolicy ?? true },
      // Container insights with managed identity auth (useAADAuth): no workspace key on the nodes.
      ...(args.monitoringWorkspaceId !== undefined ? { omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: args.monitoringWorkspaceId, useAADAuth: "true" } } } : {}),
    },
    apiServerAccessProfile: args.authorizedIpRanges && args.authorizedIpRanges.length > 0 ? { authorizedIPRanges: args.authorizedIpRanges } : undefined,
    agentPoolProfiles: [
      // Keep agent workloads off the system pool's critical add-ons.
      { ...nodePool("system", "System", pool), nodeTaints: ["CriticalAddonsOnly=true:NoSchedule"] },
      nodePool("agents", "User", args.agentNodePool ?? pool),
    ],
    tags: args.tags,
  };
}

/** Built-in role "Azure Kubernetes Service RBAC Cluster Admin". */
export const AKS_RBAC_CLUSTER_ADMIN_ROLE_ID = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";
/** Built-in role "AcrPull": what the kubelet identity needs on a registry to pull its images. */
export const ACR_PULL_ROLE_ID = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
/** Principal types a deployer can have. */
export const DEPLOYER_PRINCIPAL_TYPES = choiceValues(DeployerPrincipalType);

/** Resource group and name of a cluster, from its ARM id. */
export function parseClusterId(id: string): { resourceGroupName: string; clusterName: string } {
  const match = AKS_CLUSTER_ID.exec(id);
  if (!match) {
    throw new Error(`existingClusterId ${JSON.stringify(id)} is not an AKS cluster id. Fix: use the output of "az aks show --query id -o tsv".`);
  }
  return { resourceGroupName: match[2], clusterName: match[3] };
}

const CHOICES: Array<[keyof AgentClusterArgs & ClusterChoiceName, readonly string[]]> = (Object.keys(CLUSTER_CHOICES) as ClusterChoiceName[]).map((k) => [k, CLUSTER_CHOICES[k].values]);

/** Refuses bad args before anything is registered, naming the field and the fix. */
function validateClusterArgs(name: string, args: AgentClusterArgs): void {
  for (const [field, allowed] of CHOICES) {
    const value = args[field];
    if (value !== undefined && !allowed.includes(String(value))) {
      throw new ComponentArgsError("AgentCluster", name, field, `${field} ${JSON.stringify(value)} is not supported. Fix: use one of ${allowed.join(", ")}.`);
    }
  }
  if (args.existingClusterId !== undefined && !AKS_CLUSTER_ID.test(args.existingClusterId)) {
    throw new ComponentArgsError("AgentCluster", name, "existingClusterId", `existingClusterId ${JSON.stringify(args.existingClusterId)} is not an AKS cluster id. Fix: use the output of "az aks show --query id -o tsv".`);
  }
  for (const field of ["systemNodePool", "agentNodePool"] as const) {
    validateNodePool(name, field, args[field]);
  }
  if ((args.grantDeployerClusterAdmin ?? true) && !isChoice(DeployerPrincipalType, args.deployerPrincipalType)) {
    throw new ComponentArgsError("AgentCluster", name, "deployerPrincipalType", `deployerPrincipalType ${JSON.stringify(args.deployerPrincipalType)} is not ${DEPLOYER_PRINCIPAL_TYPES.join(" or ")}. ` +
        'Fix: set "ServicePrincipal" when a workflow runs pulumi up, "User" when a person does (azure-native would otherwise send "User", and Azure refuses a mismatch with UnmatchedPrincipalType).');
  }
  for (const [i, id] of (args.acrPullRegistryIds ?? []).entries()) {
    if (!CONTAINER_REGISTRY_ID.test(id)) {
      throw new ComponentArgsError("AgentCluster", name, `acrPullRegistryIds[${i}]`, `acrPullRegistryIds entry ${JSON.stringify(id)} is not a container registry id. Fix: use the output of "az acr show -n <name> --query id -o tsv".`);
    }
  }
}

/** Refuses a node pool's OS or zone outside its choices (callers in other languages or plain JavaScript can pass anything). */
function validateNodePool(name: string, field: "systemNodePool" | "agentNodePool", pool: SystemNodePoolArgs | undefined): void {
  if (pool?.osSku !== undefined && !isChoice(OsSku, pool.osSku)) {
    throw new ComponentArgsError("AgentCluster", name, `${field}.osSku`, `${field}.osSku ${JSON.stringify(pool.osSku)} is not supported. Fix: use one of ${choiceValues(OsSku).join(", ")}.`);
  }
  for (const [i, zone] of (pool?.availabilityZones ?? []).entries()) {
    if (!isChoice(AvailabilityZone, zone)) {
      throw new ComponentArgsError("AgentCluster", name, `${field}.availabilityZones[${i}]`, `${field}.availabilityZones entry ${JSON.stringify(zone)} is not a zone. Fix: use ${choiceValues(AvailabilityZone).join(", ")}.`);
    }
  }
}

/** Decodes the first kubeconfig AKS returned and makes it non-interactive. */
function providerKubeconfig(credentials: containerservice.ListManagedClusterUserCredentialsResult, loginMode: KubeloginMode, component: pulumi.Resource): string {
  const first = credentials.kubeconfigs[0];
  if (!first) {
    throw new pulumi.ResourceError("AKS returned no user kubeconfig for the cluster.", component);
  }
  return toNonInteractiveKubeconfig(Buffer.from(first.value, "base64").toString("utf8"), loginMode);
}

/** An AKS cluster ready for workload identity, and a Kubernetes provider for it. */
export class AgentCluster extends pulumi.ComponentResource {
  /** The cluster's Azure name. */
  public readonly clusterName: pulumi.Output<string>;
  /** The cluster's resource group. */
  public readonly resourceGroupName: pulumi.Output<string>;
  /** The cluster's ARM id. */
  public readonly clusterId: pulumi.Output<string>;
  /** The cluster's OIDC issuer URL: the `issuer` of every federated credential that trusts it. */
  public readonly oidcIssuerUrl: pulumi.Output<string>;
  /** The user kubeconfig with a non-interactive kubelogin exec (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** Kubernetes provider for the cluster, keyed to the cluster id so kubeconfig changes never replace it. */
  public readonly provider: k8s.Provider;
  /** Object id of the cluster's kubelet identity: the principal that pulls images. */
  public readonly kubeletObjectId: pulumi.Output<string>;
  /** The AcrPull assignments of the kubelet identity, one per registry in `acrPullRegistryIds`. */
  public readonly acrPullAssignments: authorization.RoleAssignment[];

  constructor(name: string, args: AgentClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    validateClusterArgs(name, args);
    super("agent-identity:index:AgentCluster", name, {}, opts);
    const loginMode = clusterChoice("kubeloginMode", args.kubeloginMode);

    const core = args.existingClusterId !== undefined ? adoptedCluster(args.existingClusterId, this) : createdCluster(name, args, this);
    this.resourceGroupName = core.resourceGroupName;
    this.clusterName = core.clusterName;
    this.clusterId = core.clusterId;
    this.oidcIssuerUrl = core.oidcIssuerUrl;
    this.kubeletObjectId = core.kubeletObjectId;

    const credentials = containerservice.listManagedClusterUserCredentialsOutput(
      { resourceGroupName: core.resourceGroupName, resourceName: core.clusterName, format: "exec" },
      { parent: this },
    );
    this.kubeconfig = pulumi.secret(credentials.apply((c) => providerKubeconfig(c, loginMode, this)));
    const deployerAccess = args.grantDeployerClusterAdmin ?? true ? [deployerClusterAdmin(name, args.deployerPrincipalType, this.clusterId, this)] : [];
    this.acrPullAssignments = (args.acrPullRegistryIds ?? []).map((registryId) => acrPullAssignment(name, registryId, this.kubeletObjectId, this));

    // Every in-cluster object goes through this provider, so it waits for the deployer's access.
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, clusterIdentifier: this.clusterId, enableServerSideApply: true },
      { parent: this, dependsOn: deployerAccess },
    );

    this.registerOutputs({
      clusterName: this.clusterName,
      resourceGroupName: this.resourceGroupName,
      clusterId: this.clusterId,
      oidcIssuerUrl: this.oidcIssuerUrl,
      kubeconfig: this.kubeconfig,
      provider: this.provider,
      kubeletObjectId: this.kubeletObjectId,
      acrPullAssignments: this.acrPullAssignments,
    });
  }
}

/** What the rest of the component reads from the cluster, created or adopted. */
interface ClusterCore {
  resourceGroupName: pulumi.Output<string>;
  clusterName: pulumi.Output<string>;
  clusterId: pulumi.Output<string>;
  oidcIssuerUrl: pulumi.Output<string>;
  kubeletObjectId: pulumi.Output<string>;
}

/** An existing cluster, read once; refused (after super) when its OIDC issuer or workload identity is off. */
function adoptedCluster(id: string, parent: pulumi.ComponentResource): ClusterCore {
  const existing = parseClusterId(id);
  const found = containerservice.getManagedClusterOutput({ resourceGroupName: existing.resourceGroupName, resourceName: existing.clusterName }, { parent });
  const oidcIssuerUrl = found.apply((c) => {
    if (!c.oidcIssuerProfile?.enabled || !c.securityProfile?.workloadIdentity?.enabled || !c.oidcIssuerProfile.issuerURL) {
      throw new pulumi.ResourceError(
        `Cluster ${id} cannot be adopted: the OIDC issuer and workload identity must be enabled. ` +
          `Fix: az aks update -g ${existing.resourceGroupName} -n ${existing.clusterName} --enable-oidc-issuer --enable-workload-identity`,
        parent,
      );
    }
    return c.oidcIssuerProfile.issuerURL;
  });
  return {
    resourceGroupName: pulumi.output(existing.resourceGroupName),
    clusterName: pulumi.output(existing.clusterName),
    clusterId: pulumi.output(id),
    oidcIssuerUrl,
    kubeletObjectId: found.apply((c) => kubeletObjectIdOf(c.identityProfile, id, parent)),
  };
}

/** A new managed cluster with the OIDC issuer and workload identity on. */
function createdCluster(name: string, args: AgentClusterArgs, parent: pulumi.ComponentResource): ClusterCore {
  const cluster = new containerservice.ManagedCluster(`${name}-aks`, managedClusterArgs(name, args), { parent });
  const oidcIssuerUrl = cluster.oidcIssuerProfile.apply((p) => {
    if (!p?.issuerURL) {
      throw new pulumi.ResourceError(`Cluster ${name} reported no OIDC issuer URL although the issuer is enabled.`, parent);
    }
    return p.issuerURL;
  });
  return {
    resourceGroupName: pulumi.output(args.resourceGroupName),
    clusterName: cluster.name,
    clusterId: cluster.id,
    oidcIssuerUrl,
    kubeletObjectId: cluster.identityProfile.apply((p) => kubeletObjectIdOf(p, name, parent)),
  };
}

/** AKS RBAC Cluster Admin for whoever runs pulumi up, so it can apply the agents' Kubernetes objects. */
function deployerClusterAdmin(name: string, principalType: DeployerPrincipalType | undefined, clusterId: pulumi.Output<string>, parent: pulumi.ComponentResource): authorization.RoleAssignment {
  const deployer = authorization.getClientConfigOutput({ parent });
  return new authorization.RoleAssignment(
    `${name}-deployer-cluster-admin`,
    {
      scope: clusterId,
      principalId: deployer.objectId,
      // Never azure-native's default ("User"): CI deploys as a service principal.
      principalType,
      roleDefinitionId: pulumi.interpolate`/subscriptions/${deployer.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AKS_RBAC_CLUSTER_ADMIN_ROLE_ID}`,
      roleAssignmentName: pulumi.all([clusterId, deployer.objectId]).apply(([scope, principal]) => deterministicGuid(scope, principal, AKS_RBAC_CLUSTER_ADMIN_ROLE_ID)),
      description: "Lets the principal that runs pulumi up apply the agents' Kubernetes objects.",
    },
    { parent },
  );
}

/** AcrPull on a registry for the kubelet identity. */
function acrPullAssignment(name: string, registryId: string, kubeletObjectId: pulumi.Output<string>, parent: pulumi.ComponentResource): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    `${name}-acr-pull-${registryNameOfId(registryId)}`,
    {
      scope: registryId,
      principalId: kubeletObjectId,
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${registryId.split("/")[2]}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL_ROLE_ID}`,
      roleAssignmentName: kubeletObjectId.apply((principal) => deterministicGuid(registryId.toLowerCase(), principal, ACR_PULL_ROLE_ID)),
      description: "Lets the cluster's kubelet identity pull the agents' images.",
    },
    { parent },
  );
}

/** The kubelet identity's object id from a cluster's `identityProfile`; fails loudly when AKS reports none. */
function kubeletObjectIdOf(profile: Record<string, { objectId?: string } | undefined> | undefined, cluster: string, component: pulumi.Resource): string {
  const objectId = profile?.["kubeletidentity"]?.objectId;
  if (!objectId) {
    throw new pulumi.ResourceError(`Cluster ${cluster} reported no kubelet identity (identityProfile.kubeletidentity.objectId), so AcrPull cannot be granted to it.`, component);
  }
  return objectId;
}
