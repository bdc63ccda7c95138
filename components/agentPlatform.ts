/**
 * AgentPlatform: the whole platform from one declarative agent list. Resource group, cluster,
 * namespace, and per agent an identity federated with the agent's ServiceAccount and the workload
 * that uses it. Every cross-reference (issuer, subject, client id) is wired from outputs, never typed.
 *
 * The class is a thin shell: the config is validated, the agent graph computed once
 * (platform/agentGraph.ts), and small builders (platform/*.ts) read it in order.
 */
import * as pulumi from "@pulumi/pulumi";
import { AgentCluster, AgentClusterArgs } from "./agentCluster";
import { AgentIdentity } from "./agentIdentity";
import { AgentNamespace } from "./agentNamespace";
import { AgentWorkload, AgentWorkloadArgs } from "./agentWorkload";
import { AgentApi } from "./agentApi";
import { CustomRole, CustomRoleArgs } from "./customRole";
import { JitAccess, JitAccessArgs } from "./jitAccess";
import { PimApprover } from "./lib/pim/policyRules";
import { DeployerPrincipalType } from "../rules/choices";
import { ServiceAccountRef } from "../rules/naming";
import { stackConfigSchema, StackConfig } from "../config/schema";
import { ConfigValidationError, issuesFromZod } from "../config/errors";
import { isSealedValidConfig } from "../config/validated";
import { AuditTrail, AuditTrailArgs } from "./auditTrail";
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

/**
 * One agent of the platform. The fields it shares with {@link AgentWorkloadArgs} are that component's
 * (same names, types and defaults); the stack config schema checks them once for the whole platform.
 */
export interface AgentSpec extends Pick<AgentWorkloadArgs, "image" | "replicas" | "port" | "serviceAccountName" | "runAsUser" | "serviceAccountTokenExpirationSeconds"> {
  /** Agent name: a Kubernetes DNS-1035 label; names the identity, ServiceAccount, Deployment and Service. */
  name: string;
  /** Container requests and limits. Default requests 100m/128Mi, limits 500m/512Mi. */
  resources?: Pick<AgentWorkloadArgs, "requests" | "limits">;
  /** Names of the agents this agent calls. Default none. */
  calls?: string[];
  /** Plain environment variables; credential-like names or values are refused. Default none. */
  env?: Record<string, string>;
  /** Further ServiceAccounts (any namespace) federated with the agent's identity. Default none. */
  extraServiceAccounts?: ServiceAccountRef[];
  /** Roles the agent is only eligible for, activated just in time with approval. Default none. */
  jit?: AgentJitSpec[];
  /**
   * Standing least-privilege role assignments (never a sensitive role). A privileged built-in role
   * (Owner, Contributor, User Access Administrator, RBAC Administrator, data owners, AKS cluster admins)
   * needs `allowPrivileged: { reason }` (20-500 characters). Default none.
   */
  roleAssignments?: AgentRoleAssignmentSpec[];
}

/** A role an agent is only eligible for (one {@link JitAccess} per role and scope gathers the agents). */
export interface AgentJitSpec {
  /** The role: a custom role's name, a built-in role's name, or a role definition GUID. */
  role: string;
  /** ARM scope of the access. */
  scope: string;
  /** Longest activation, ISO 8601 from PT1H to PT4H; the same for every agent of a role and scope. Default `PT1H`. */
  maxDuration?: string;
  /** Why the agent needs the access (10-500 characters); PIM records it with the eligibility. */
  justification: string;
}

/** A standing role assignment of an agent's identity. */
export interface AgentRoleAssignmentSpec {
  /** The role: a custom role's name, a built-in role's name, or a role definition GUID. */
  role: string;
  /** ARM scope of the assignment. */
  scope: string;
  /** The reasoned exception that lets a privileged role be standing. Default none (privileged roles refused). */
  allowPrivileged?: { reason: string };
}

/** A custom role definition of the platform: {@link CustomRoleArgs} with `name` for `roleName`. */
export interface RoleDefinitionSpec extends Omit<CustomRoleArgs, "roleName"> {
  /** Display name, unique in the tenant. */
  name: string;
  /** Sensitive roles are never assigned standing. Default true. */
  sensitive?: boolean;
}

/**
 * Approvers and notifications of just-in-time activations: the settings every {@link JitAccess} of the
 * platform shares (the fields of {@link JitAccessArgs} of the same names), except that the start is
 * required only when an agent has `jit`.
 */
export interface PimSpec extends Pick<JitAccessArgs, "notificationEmails" | "approvalTimeoutDays" | "eligibilityDuration"> {
  /** Users or groups (object ids) who approve activations. Required when any agent has `jit`. Default none. */
  approvers?: PimApprover[];
  /** Fixed UTC start of the agents' eligibilities (`2026-12-01T00:00:00Z`). Required when any agent has `jit`. */
  eligibilityStart?: string;
}

/**
 * Cluster settings of the platform: the fields of {@link AgentClusterArgs} of the same names (types,
 * choices and defaults), plus the cluster's name. Local accounts stay off, Azure RBAC on, the image
 * cleaner on and the deployer a cluster admin; registries and tags come from the platform's own keys.
 */
export interface PlatformClusterSpec
  extends Pick<
    AgentClusterArgs,
    | "existingClusterId"
    | "kubernetesVersion"
    | "skuTier"
    | "systemNodePool"
    | "agentNodePool"
    | "authorizedIpRanges"
    | "upgradeChannel"
    | "nodeOsUpgradeChannel"
    | "networkPolicy"
    | "azurePolicy"
    | "imageCleanerIntervalHours"
    | "kubeloginMode"
  > {
  /** The cluster's Azure name. */
  name: string;
  /** Entra ID groups (object ids) that are cluster admins through Azure RBAC. Default none. */
  adminGroupObjectIds?: string[];
}

/**
 * The audit trail of the platform: the fields of {@link AuditTrailArgs} of the same names, plus the
 * workspace's id and name under the platform's own defaults.
 */
export interface PlatformAuditSpec extends Pick<AuditTrailArgs, "retentionDays" | "tenantDiagnostics" | "tenantDiagnosticsWorkspaceId" | "alertEmails" | "approverEmails" | "alerts"> {
  /** Send to this existing Log Analytics workspace (ARM id; `existingWorkspaceId` of the component). Default: create one. */
  workspaceId?: string;
  /** Name of the created workspace. Default `<resourceGroupName>-audit`. */
  workspaceName?: string;
}

/**
 * Arguments of {@link AgentPlatform}: the same shape as the stack config's input. The schema
 * (config/schema.ts) and this interface are held together at compile time
 * (platform/configContract.ts): a key in one and not the other fails the build.
 */
export interface AgentPlatformArgs {
  /** Azure region of every Azure resource. */
  location: string;
  /** Resource group of the identities (and of the cluster when one is created). */
  resourceGroupName: string;
  /** Create the resource group. Default true; false uses an existing one. */
  createResourceGroup?: boolean;
  /** Who runs `pulumi up`: `ServicePrincipal` (a workflow with OIDC) or `User` (a person). Required. */
  deployerPrincipalType: DeployerPrincipalType;
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
  /** Approval settings of just-in-time access. Default: no approvers (so no agent may have `jit`), each field's own default. */
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
    // Validate (unless the program validated this very config at the edge and it is frozen since), and
    // compute the graph every builder reads, before anything is registered.
    const config = isSealedValidConfig(args) ? args : validatePlatformArgs(args);
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
