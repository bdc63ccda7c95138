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
import * as azuread from "@pulumi/azuread";
import { AgentApi, INVOKE_ROLE } from "./agentApi";
import { CustomRole, CustomRoleArgs } from "./customRole";
import { JitAccess, JitEligiblePrincipal } from "./jitAccess";
import { StandingRoleAssignment } from "./agentIdentity";
import { ServiceAccountRef, agentApiDisplayName, agentServiceAccount, deterministicGuid, serviceAccountSubject, slug } from "../rules/naming";
import { roleDefinitionResourceId } from "../rules/builtInRoles";
import { resolveRoleReference, roleKey } from "../rules/roles";
import { stackConfigSchema, StackConfig } from "../config/schema";
import { ConfigValidationError, issuesFromZod } from "../config/errors";
import * as authorization from "@pulumi/azure-native/authorization";
import { AlertSettings, AuditTrail } from "./auditTrail";
import { auditedRoles } from "./lib/audit/roles";

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

/** Environment variables the caller-validation middleware reads (`@agent-identity/agent-auth`). */
export const CALLER_VALIDATION_ENV = {
  tenantId: "AGENT_AUTH_TENANT_ID",
  audience: "AGENT_AUTH_AUDIENCE",
  issuer: "AGENT_AUTH_ISSUER",
  allowedCallers: "AGENT_AUTH_ALLOWED_CALLERS",
  requiredRole: "AGENT_AUTH_REQUIRED_ROLE",
  callees: "AGENT_CALLEES",
} as const;

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

    // The cluster sends container logs to the audit workspace, which is created after the agents (its
    // alerts name them): the workspace id reaches the cluster through a deferred output.
    const auditWorkspace = config.audit ? pulumi.deferredOutput<string>() : undefined;
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
        agentNodePool: c.agentNodePool,
        adminGroupObjectIds: c.adminGroupObjectIds,
        authorizedIpRanges: c.authorizedIpRanges,
        upgradeChannel: c.upgradeChannel,
        nodeOsUpgradeChannel: c.nodeOsUpgradeChannel,
        networkPolicy: c.networkPolicy,
        azurePolicy: c.azurePolicy,
        imageCleanerIntervalHours: c.imageCleanerIntervalHours,
        kubeloginMode: c.kubeloginMode,
        deployerPrincipalType: config.deployerPrincipalType,
        acrPullRegistryIds: config.containerRegistries,
        monitoringWorkspaceId: auditWorkspace?.[0],
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
    this.apis = {};
    const ownServiceAccounts: Record<string, ServiceAccountRef> = {};
    for (const agent of config.agents) {
      // One value feeds both the ServiceAccount and the federation subject: they cannot disagree.
      const ownServiceAccount = agentServiceAccount(config.namespace, agent);
      ownServiceAccounts[agent.name] = ownServiceAccount;
      this.identities[agent.name] = new AgentIdentity(
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
    }

    // Who may call whom, from the `calls` lists: an API registration per callee, a grant per edge.
    const callersOf = (callee: string) => config.agents.filter((a) => a.calls.includes(callee)).map((a) => a.name).sort();
    const deployer = azuread.getClientConfigOutput({ parent: this });
    for (const agent of config.agents) {
      const callers = callersOf(agent.name);
      if (callers.length === 0) {
        continue;
      }
      this.apis[agent.name] = new AgentApi(
        agent.name,
        {
          displayName: agentApiDisplayName(pulumi.getProject(), pulumi.getStack(), agent.name),
          owners: [deployer.objectId],
          callers: callers.map((caller) => ({ name: caller, principalId: this.identities[caller].principalId })),
        },
        { parent: this },
      );
    }

    for (const agent of config.agents) {
      const identity = this.identities[agent.name];
      const callers = callersOf(agent.name);
      const workload = new AgentWorkload(
        agent.name,
        {
          namespace: this.namespace.namespaceName,
          serviceAccountName: ownServiceAccounts[agent.name].name,
          clientId: identity.clientId,
          tenantId: identity.tenantId,
          serviceAccountTokenExpirationSeconds: agent.serviceAccountTokenExpirationSeconds,
          image: agent.image,
          replicas: agent.replicas,
          port: agent.port,
          requests: agent.resources.requests,
          limits: agent.resources.limits,
          env: { ...agent.env, ...this.callerValidationEnv(agent.name, callers), ...this.calleeDirectoryEnv(agent.calls, config) },
          runAsUser: agent.runAsUser,
          allowedCallers: callers,
          federatedCredentials: identity.federatedCredentials,
          imagePullGrants: this.cluster.acrPullAssignments,
        },
        inCluster,
      );
      this.workloads[agent.name] = workload;
      this.agents[agent.name] = {
        clientId: identity.clientId,
        principalId: identity.principalId,
        subject: serviceAccountSubject(ownServiceAccounts[agent.name]),
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
            // Validation requires a start whenever an agent has jit.
            eligibilityStart: config.pim.eligibilityStart!,
            eligibilityDuration: config.pim.eligibilityDuration,
            eligible: group.eligible,
          },
          { parent: this },
        ),
    );

    if (config.audit) {
      // The audit trail watches this platform's agents, APIs and roles: every id from the graph.
      const audit = config.audit;
      const deployer = authorization.getClientConfigOutput({ parent: this });
      this.audit = new AuditTrail(
        `${name}-audit`,
        {
          resourceGroupName,
          location: config.location,
          subscriptionId: deployer.subscriptionId,
          namePrefix: `${pulumi.getProject()}-${pulumi.getStack()}`,
          workspaceName: audit.workspaceName ?? `${slug(config.resourceGroupName).slice(0, 57)}-audit`,
          existingWorkspaceId: audit.workspaceId,
          retentionDays: audit.retentionDays,
          tenantDiagnostics: audit.tenantDiagnostics,
          tenantDiagnosticsWorkspaceId: audit.tenantDiagnosticsWorkspaceId,
          clusterId: this.cluster.clusterId,
          namespace: config.namespace,
          alertEmails: audit.alertEmails,
          approverEmails: audit.approverEmails,
          alerts: audit.alerts,
          agents: Object.entries(this.identities).map(([agent, id]) => ({ name: agent, principalId: id.principalId, clientId: id.clientId, identityId: id.identityId })),
          agentApplicationIds: Object.values(this.apis).flatMap((api) => [api.application.objectId, api.servicePrincipalObjectId]),
          ...auditedRoles(config, Object.fromEntries(Object.entries(this.customRoles).map(([role, r]) => [role, r.roleGuid]))),
          deployerIds: [deployer.objectId, deployer.clientId],
          tags: config.tags,
        },
        { parent: this },
      );
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

  /** The callee's validation settings, wired from the graph: never typed by hand. */
  private callerValidationEnv(agent: string, callers: string[]): Record<string, pulumi.Input<string>> {
    const api = this.apis[agent];
    if (!api) {
      return {};
    }
    const tenantId = this.identities[agent].tenantId;
    return {
      [CALLER_VALIDATION_ENV.tenantId]: tenantId,
      [CALLER_VALIDATION_ENV.audience]: api.audience,
      [CALLER_VALIDATION_ENV.issuer]: pulumi.interpolate`https://login.microsoftonline.com/${tenantId}/v2.0`,
      [CALLER_VALIDATION_ENV.allowedCallers]: pulumi.all(callers.map((c) => this.identities[c].principalId)).apply((ids) => ids.join(",")),
      [CALLER_VALIDATION_ENV.requiredRole]: INVOKE_ROLE,
    };
  }

  /** Where a caller finds its callees: in-cluster URL and the token scope to request, as JSON. */
  private calleeDirectoryEnv(calls: string[], config: StackConfig): Record<string, pulumi.Input<string>> {
    if (calls.length === 0) {
      return {};
    }
    const entries = [...calls].sort().map((callee) => {
      const port = config.agents.find((a) => a.name === callee)?.port;
      return pulumi.all([this.apis[callee].tokenScope]).apply(([scope]) => [callee, { url: `http://${callee}.${config.namespace}.svc.cluster.local:${port}`, scope }] as const);
    });
    return { [CALLER_VALIDATION_ENV.callees]: pulumi.all(entries).apply((pairs) => JSON.stringify(Object.fromEntries(pairs))) };
  }
}
