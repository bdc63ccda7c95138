/**
 * AgentPlatform: the whole platform from one declarative agent list. Resource group, cluster,
 * namespace, and per agent an identity federated with the agent's ServiceAccount and the workload
 * that uses it. Every cross-reference (issuer, subject, client id) is wired from outputs, never typed.
 *
 * The class is a thin shell: the config is validated, the agent graph computed once
 * (platform/agentGraph.ts), and small builders (platform/*.ts) read it in order.
 */
import * as pulumi from "@pulumi/pulumi";
import { AgentCluster } from "./agentCluster";
import { AgentIdentity } from "./agentIdentity";
import { AgentNamespace } from "./agentNamespace";
import { AgentWorkload } from "./agentWorkload";
import { AgentApi } from "./agentApi";
import { CustomRole, CustomRoleArgs } from "./customRole";
import { JitAccess } from "./jitAccess";
import { ServiceAccountRef } from "../rules/naming";
import { stackConfigSchema, StackConfig } from "../config/schema";
import { ConfigValidationError, issuesFromZod } from "../config/errors";
import { AlertSettings, AuditTrail } from "./auditTrail";
import { AgentGraph, agentGraph } from "./platform/agentGraph";
import { PlatformContext, platformChild } from "./platform/context";
import { buildResourceGroup } from "./platform/resourceGroup";
import { buildCluster } from "./platform/cluster";
import { buildCustomRoles, roleDefinitionIds } from "./platform/roles";
import { buildIdentities } from "./platform/identities";
import { buildApis } from "./platform/apis";
import { buildWorkloads } from "./platform/workloads";
import { buildJitAccess } from "./platform/jit";
import { buildAuditTrail } from "./platform/audit";

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
  /**
   * Standing least-privilege role assignments (never a sensitive role). A privileged built-in role
   * (Owner, Contributor, User Access Administrator, RBAC Administrator, data owners, AKS cluster admins)
   * needs `allowPrivileged: { reason }` (20-500 characters). Default none.
   */
  roleAssignments?: Array<{ role: string; scope: string; allowPrivileged?: { reason: string } }>;
}

/** A custom role definition of the platform: {@link CustomRoleArgs} with `name` for `roleName`. */
export interface RoleDefinitionSpec extends Omit<CustomRoleArgs, "roleName"> {
  /** Display name, unique in the tenant. */
  name: string;
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
  /** Fixed UTC start of the agents' eligibilities (`2026-12-01T00:00:00Z`). Required when any agent has `jit`. */
  eligibilityStart?: string;
  /** How long eligibilities last from their start, `P1D`-`P365D`. Default `P365D`. */
  eligibilityDuration?: string;
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
  /** The agents' user pool, same fields. Default: the system pool's settings. */
  agentNodePool?: { vmSize?: string; minCount?: number; maxCount?: number; availabilityZones?: string[]; osSku?: string };
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

/** The audit trail of the platform (see {@link AuditTrailArgs} for what each does). */
export interface PlatformAuditSpec {
  /** Send to this existing Log Analytics workspace (ARM id). Default: create one. */
  workspaceId?: string;
  /** Name of the created workspace. Default `<resourceGroupName>-audit`. */
  workspaceName?: string;
  /** Days the created workspace keeps data (90-730). Default 365. */
  retentionDays?: number;
  /** Create the Entra ID tenant diagnostic setting. Default true. */
  tenantDiagnostics?: boolean;
  /** The workspace Entra ID logs go to when `tenantDiagnostics` is false. */
  tenantDiagnosticsWorkspaceId?: string;
  /** Recipients of the security alerts (at least one). */
  alertEmails: string[];
  /** Recipients of the informational JIT alerts. Default: `alertEmails`. */
  approverEmails?: string[];
  /** Per-alert overrides by alert name. Default none. */
  alerts?: Record<string, AlertSettings | undefined>;
}

/** Arguments of {@link AgentPlatform}: the same shape as the stack config. */
export interface AgentPlatformArgs {
  /** Azure region of every Azure resource. */
  location: string;
  /** Resource group of the identities (and of the cluster when one is created). */
  resourceGroupName: string;
  /** Create the resource group. Default true; false uses an existing one. */
  createResourceGroup?: boolean;
  /** Who runs `pulumi up`: `ServicePrincipal` (a workflow with OIDC) or `User` (a person). Required. */
  deployerPrincipalType: string;
  /** Azure container registry ids the images come from; the kubelet identity gets AcrPull on each. Default none. */
  containerRegistries?: string[];
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
  /** The audit trail. Default none; required when any agent has `jit`. */
  audit?: PlatformAuditSpec;
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

export { CALLER_VALIDATION_ENV } from "./platform/workloads";

/** Validates platform args with the stack config schema; throws one error naming every bad field. */
export function validatePlatformArgs(args: AgentPlatformArgs): StackConfig {
  const result = stackConfigSchema.safeParse(args);
  if (!result.success) {
    throw new ConfigValidationError("AgentPlatform", issuesFromZod(result.error.issues, args));
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
  /** API registrations by callee name (only agents that other agents call). */
  public readonly apis: Record<string, AgentApi>;
  /** The audit trail (when configured). */
  public readonly audit?: AuditTrail;

  constructor(name: string, args: AgentPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate, and compute the graph every builder reads, before anything is registered.
    const config = validatePlatformArgs(args);
    const graph = agentGraph(config);
    super("agent-identity:index:AgentPlatform", name, {}, opts);

    const { resourceGroupName } = buildResourceGroup(name, config, this);
    const ctx: PlatformContext = { name, parent: this, config, graph, resourceGroupName };
    // The cluster sends container logs to the audit workspace, which is created after the agents (its
    // alerts name them): the workspace id reaches the cluster through a deferred output.
    const auditWorkspace = config.audit ? pulumi.deferredOutput<string>() : undefined;
    this.cluster = buildCluster(ctx, auditWorkspace?.[0]);
    this.oidcIssuerUrl = this.cluster.oidcIssuerUrl;
    const namespace = platformChild(ctx, config.namespace);
    this.namespace = new AgentNamespace(namespace.name, { namespaceName: config.namespace }, { ...namespace.opts, providers: [this.cluster.provider] });
    this.customRoles = buildCustomRoles(ctx);
    const roleId = roleDefinitionIds(this.customRoles);
    this.identities = buildIdentities(ctx, this.oidcIssuerUrl, roleId);
    this.apis = buildApis(ctx, this.identities);
    this.workloads = buildWorkloads(ctx, { cluster: this.cluster, namespace: this.namespace, identities: this.identities, apis: this.apis });
    this.agents = agentOutputs(graph, this.identities);
    this.jitAccess = buildJitAccess(ctx, this.identities, roleId);
    this.audit = buildAuditTrail(ctx, { cluster: this.cluster, identities: this.identities, apis: this.apis, customRoles: this.customRoles });
    if (this.audit) {
      auditWorkspace![1](this.audit.workspaceId);
    }

    this.registerOutputs({
      audit: this.audit,
      apis: this.apis,
      customRoles: this.customRoles,
      jitAccess: this.jitAccess,
      cluster: this.cluster,
      namespace: this.namespace,
      oidcIssuerUrl: this.oidcIssuerUrl,
      agents: this.agents,
    });
  }
}

/** Per agent: its identity's client and principal ids, and its own ServiceAccount's subject. */
function agentOutputs(graph: AgentGraph, identities: Record<string, AgentIdentity>): Record<string, AgentOutputs> {
  return Object.fromEntries(
    graph.agents.map((agent) => [agent.name, { clientId: identities[agent.name].clientId, principalId: identities[agent.name].principalId, subject: agent.subject }]),
  );
}
