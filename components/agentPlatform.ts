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
import { CustomRole } from "./customRole";
import { JitAccess, JitEligiblePrincipal } from "./jitAccess";
import { StandingRoleAssignment } from "./agentIdentity";
import { ServiceAccountRef, deterministicGuid, serviceAccountSubject } from "./lib/naming";
import { roleDefinitionResourceId } from "./lib/builtInRoles";
import { resolveRoleReference, roleKey } from "../config/roles";
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
  /** Roles the agent is only eligible for, activated just in time with approval. Default none. */
  jit?: Array<{ role: string; scope: string; maxDuration?: string; justification: string }>;
  /** Standing least-privilege role assignments (never a sensitive role). Default none. */
  roleAssignments?: Array<{ role: string; scope: string }>;
}

/** A custom role definition of the platform. */
export interface RoleDefinitionSpec {
  /** Display name, unique in the tenant. */
  name: string;
  /** What the role is for. Default none. */
  description?: string;
  /** Control-plane actions. Default none. */
  actions?: string[];
  /** Excluded control-plane actions. Default none. */
  notActions?: string[];
  /** Data-plane actions. Default none. */
  dataActions?: string[];
  /** Excluded data-plane actions. Default none. */
  notDataActions?: string[];
  /** Where the role may be assigned (at least one). */
  assignableScopes: string[];
  /** Sensitive roles are never assigned standing. Default true. */
  sensitive?: boolean;
}

/** Approvers and notifications of just-in-time activations. */
export interface PimSpec {
  /** Users or groups (object ids) who approve activations. Required when any agent has `jit`. */
  approvers?: Array<{ objectId: string; type: string; description?: string }>;
  /** Extra recipients of admin notifications. Default none. */
  notificationEmails?: string[];
  /** Days an approval request stays open (1-7). Default 1. */
  approvalTimeoutDays?: number;
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
  /** Custom role definitions. Default none. */
  roleDefinitions?: RoleDefinitionSpec[];
  /** Further roles (built-in names or GUIDs) that must never be assigned standing. Default none. */
  sensitiveRoles?: string[];
  /** Approval settings of just-in-time access. */
  pim?: PimSpec;
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

/** A lowercase, dash-separated form of a name, for resource names. */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
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
  /** Custom roles by name. */
  public readonly customRoles: Record<string, CustomRole>;
  /** Just-in-time access, one per role and scope. */
  public readonly jitAccess: JitAccess[];

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

    this.customRoles = {};
    for (const role of config.roleDefinitions) {
      this.customRoles[role.name] = new CustomRole(
        `role-${slug(role.name)}`,
        {
          roleName: role.name,
          description: role.description,
          actions: role.actions,
          notActions: role.notActions,
          dataActions: role.dataActions,
          notDataActions: role.notDataActions,
          assignableScopes: role.assignableScopes,
        },
        { parent: this },
      );
    }
    const customNames = config.roleDefinitions.map((r) => r.name);
    /** The ARM id of a role referenced in config, at a scope. */
    const roleDefinitionId = (ref: string, scope: string): pulumi.Input<string> => {
      const resolved = resolveRoleReference(ref, customNames);
      if (!resolved) {
        throw new Error(`Unknown role ${JSON.stringify(ref)}.`);
      }
      return resolved.kind === "custom" ? this.customRoles[resolved.name].roleDefinitionId : roleDefinitionResourceId(scope, resolved.guid);
    };

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
          roleAssignments: agent.roleAssignments.map(
            (grant): StandingRoleAssignment => ({ label: grant.role, roleDefinitionId: roleDefinitionId(grant.role, grant.scope), scope: grant.scope }),
          ),
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

    // One JitAccess per (role, scope): the PIM policy is per role and scope, eligibilities per agent.
    const groups = new Map<string, { role: string; scope: string; maxDuration: string; eligible: JitEligiblePrincipal[] }>();
    for (const agent of config.agents) {
      for (const entry of agent.jit) {
        const key = `${roleKey(resolveRoleReference(entry.role, customNames)!)}@${entry.scope.toLowerCase()}`;
        const group = groups.get(key) ?? { role: entry.role, scope: entry.scope, maxDuration: entry.maxDuration, eligible: [] };
        group.eligible.push({ name: agent.name, principalId: this.identities[agent.name].principalId, justification: entry.justification });
        groups.set(key, group);
      }
    }
    this.jitAccess = [...groups.entries()].map(
      ([key, group]) =>
        new JitAccess(
          `jit-${slug(group.role)}-${deterministicGuid(key).slice(0, 8)}`,
          {
            scope: group.scope,
            roleDefinitionId: roleDefinitionId(group.role, group.scope),
            roleName: group.role,
            maximumActivationDuration: group.maxDuration,
            approvers: config.pim.approvers,
            approvalTimeoutDays: config.pim.approvalTimeoutDays,
            notificationEmails: config.pim.notificationEmails,
            eligible: group.eligible,
          },
          { parent: this },
        ),
    );

    this.registerOutputs({
      customRoles: this.customRoles,
      jitAccess: this.jitAccess,
      cluster: this.cluster,
      namespace: this.namespace,
      oidcIssuerUrl: this.oidcIssuerUrl,
      agents: this.agents,
    });
  }
}
