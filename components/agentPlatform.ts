/**
 * AgentPlatform: the whole platform from one declarative agent list. Resource group, cluster,
 * namespace, and per agent an identity federated with the agent's ServiceAccount and the workload
 * that uses it. Every cross-reference (issuer, subject, client id) is wired from outputs, never typed.
 */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { AgentCluster } from "./agentCluster";
import { AgentIdentity } from "./agentIdentity";
import { AgentNamespace } from "./agentNamespace";
import { AgentWorkload } from "./agentWorkload";
import { ServiceAccountRef, serviceAccountSubject } from "./lib/naming";
import { stackConfigSchema, StackConfig } from "../config/schema";
import { ConfigValidationError, issuesFromZod } from "../config/errors";

/** One agent of the platform. */
export interface AgentSpec {
  /** Agent name: a Kubernetes DNS-1035 label; names the identity, ServiceAccount, Deployment and Service. */
  name: string;
  /** Container image pinned by tag or digest (`latest` is refused). */
  image: string;
  /** Pod replicas (0-100). Default 1. */
  replicas?: number;
  /** Container requests and limits. Default requests 100m/128Mi, limits 500m/512Mi. */
  resources?: { requests?: { cpu: string; memory: string }; limits?: { cpu: string; memory: string } };
  /** Port the agent listens on (1024-65535); adds a Service. Default none. */
  port?: number;
  /** Names of the agents this agent calls. Default none. */
  calls?: string[];
  /** Plain environment variables; credential-like names or values are refused. Default none. */
  env?: Record<string, string>;
  /** ServiceAccount name. Default: the agent name. */
  serviceAccountName?: string;
  /** Further ServiceAccounts (any namespace) federated with the agent's identity. Default none. */
  extraServiceAccounts?: ServiceAccountRef[];
  /** Non-root user id of the container. Default 65532. */
  runAsUser?: number;
  /** Lifetime of the projected token in seconds (3600-86400). Default: the webhook's. */
  serviceAccountTokenExpirationSeconds?: number;
}

/** Cluster settings of the platform (see {@link AgentClusterArgs} for what each does). */
export interface PlatformClusterSpec {
  /** The cluster's Azure name. */
  name: string;
  /** Adopt this existing cluster (ARM id) instead of creating one. Default: create. */
  existingClusterId?: string;
  /** Kubernetes version. Default: AKS's choice. */
  kubernetesVersion?: string;
  /** `Free`, `Standard` or `Premium`. Default `Standard`. */
  skuTier?: string;
  /** System and agent node pools. Default Standard_D4ds_v5, 3-5 nodes, zones 1-3, AzureLinux. */
  systemNodePool?: { vmSize?: string; minCount?: number; maxCount?: number; availabilityZones?: string[]; osSku?: string };
  /** Entra ID groups that administer the cluster. Default none. */
  adminGroupObjectIds?: string[];
  /** API server allow-list. Default none. */
  authorizedIpRanges?: string[];
  /** Auto-upgrade channel. Default `stable`. */
  upgradeChannel?: string;
  /** Node OS upgrade channel. Default `NodeImage`. */
  nodeOsUpgradeChannel?: string;
  /** `cilium`, `calico` or `azure`. Default `cilium`. */
  networkPolicy?: string;
  /** Azure Policy add-on. Default true. */
  azurePolicy?: boolean;
  /** Image cleaner interval in hours. Default 168. */
  imageCleanerIntervalHours?: number;
  /** kubelogin mode of the provider. Default `azurecli`. */
  kubeloginMode?: string;
}

/** Arguments of {@link AgentPlatform}: the same shape as the stack config. */
export interface AgentPlatformArgs {
  /** Azure region of every Azure resource. */
  location: string;
  /** Resource group of the identities (and of the cluster when one is created). */
  resourceGroupName: string;
  /** Create the resource group. Default true; false uses an existing one. */
  createResourceGroup?: boolean;
  /** Kubernetes namespace of the agents. Default `agents`. */
  namespace?: string;
  /** Tags on every Azure resource. Default none. */
  tags?: Record<string, string>;
  /** The cluster. */
  cluster: PlatformClusterSpec;
  /** The agents (at least one). */
  agents: AgentSpec[];
}

/** What the platform exports per agent. */
export interface AgentOutputs {
  /** Client id of the agent's managed identity. */
  clientId: pulumi.Output<string>;
  /** Object (principal) id of the agent's managed identity. */
  principalId: pulumi.Output<string>;
  /** The federated subject of the agent's own ServiceAccount. */
  subject: string;
}

/** Validates platform args with the stack config schema; throws one error naming every bad field. */
export function validatePlatformArgs(args: AgentPlatformArgs): StackConfig {
  const result = stackConfigSchema.safeParse(args);
  if (!result.success) {
    throw new ConfigValidationError("AgentPlatform", issuesFromZod(result.error.issues));
  }
  return result.data;
}

/** The zero-trust agent platform. */
export class AgentPlatform extends pulumi.ComponentResource {
  /** The cluster and its Kubernetes provider. */
  public readonly cluster: AgentCluster;
  /** The agents' namespace. */
  public readonly namespace: AgentNamespace;
  /** Identity per agent name. */
  public readonly identities: Record<string, AgentIdentity>;
  /** Workload per agent name. */
  public readonly workloads: Record<string, AgentWorkload>;
  /** The cluster's OIDC issuer URL. */
  public readonly oidcIssuerUrl: pulumi.Output<string>;
  /** Per agent: client id, principal id, subject. */
  public readonly agents: Record<string, AgentOutputs>;

  constructor(name: string, args: AgentPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before anything is registered, the component itself included.
    const config = validatePlatformArgs(args);
    super("agent-identity:index:AgentPlatform", name, {}, opts);

    const resourceGroup = config.createResourceGroup
      ? new resources.ResourceGroup(
          `${name}-resource-group`,
          { resourceGroupName: config.resourceGroupName, location: config.location, tags: config.tags },
          { parent: this },
        )
      : undefined;
    const resourceGroupName: pulumi.Input<string> = resourceGroup ? resourceGroup.name : config.resourceGroupName;

    const c = config.cluster;
    this.cluster = new AgentCluster(
      c.name,
      {
        resourceGroupName,
        location: config.location,
        clusterName: c.name,
        existingClusterId: c.existingClusterId,
        kubernetesVersion: c.kubernetesVersion,
        skuTier: c.skuTier,
        systemNodePool: c.systemNodePool,
        adminGroupObjectIds: c.adminGroupObjectIds,
        authorizedIpRanges: c.authorizedIpRanges,
        upgradeChannel: c.upgradeChannel,
        nodeOsUpgradeChannel: c.nodeOsUpgradeChannel,
        networkPolicy: c.networkPolicy,
        azurePolicy: c.azurePolicy,
        imageCleanerIntervalHours: c.imageCleanerIntervalHours,
        kubeloginMode: c.kubeloginMode,
        tags: config.tags,
      },
      { parent: this },
    );
    this.oidcIssuerUrl = this.cluster.oidcIssuerUrl;
    const inCluster = { parent: this, providers: [this.cluster.provider] };

    this.namespace = new AgentNamespace(config.namespace, { namespaceName: config.namespace }, inCluster);

    this.identities = {};
    this.workloads = {};
    this.agents = {};
    for (const agent of config.agents) {
      // One value feeds both the ServiceAccount and the federation subject: they cannot disagree.
      const ownServiceAccount: ServiceAccountRef = { namespace: config.namespace, name: agent.serviceAccountName ?? agent.name };
      const identity = new AgentIdentity(
        agent.name,
        {
          resourceGroupName,
          location: config.location,
          oidcIssuerUrl: this.cluster.oidcIssuerUrl,
          serviceAccounts: [ownServiceAccount, ...agent.extraServiceAccounts],
          tags: { ...config.tags, agent: agent.name },
        },
        { parent: this },
      );
      const workload = new AgentWorkload(
        agent.name,
        {
          namespace: this.namespace.namespaceName,
          serviceAccountName: ownServiceAccount.name,
          clientId: identity.clientId,
          tenantId: identity.tenantId,
          serviceAccountTokenExpirationSeconds: agent.serviceAccountTokenExpirationSeconds,
          image: agent.image,
          replicas: agent.replicas,
          port: agent.port,
          requests: agent.resources.requests,
          limits: agent.resources.limits,
          env: agent.env,
          runAsUser: agent.runAsUser,
          waitFor: identity.federatedCredentials,
        },
        inCluster,
      );
      this.identities[agent.name] = identity;
      this.workloads[agent.name] = workload;
      this.agents[agent.name] = {
        clientId: identity.clientId,
        principalId: identity.principalId,
        subject: serviceAccountSubject(ownServiceAccount),
      };
    }

    this.registerOutputs({
      cluster: this.cluster,
      namespace: this.namespace,
      oidcIssuerUrl: this.oidcIssuerUrl,
      agents: this.agents,
    });
  }
}
