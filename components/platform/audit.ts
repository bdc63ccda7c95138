/** The platform's audit trail: it watches the graph's agents, APIs and roles, every id from outputs. */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { AgentApi } from "../agentApi";
import { AgentCluster } from "../agentCluster";
import { AgentIdentity } from "../agentIdentity";
import { AuditTrail } from "../auditTrail";
import { CustomRole } from "../customRole";
import { auditedRoles } from "../lib/audit/roles";
import { slug } from "../../rules/naming";
import type { PlatformContext } from "./context";

/** What the audit trail watches. */
export interface AuditInputs {
  cluster: AgentCluster;
  identities: Record<string, AgentIdentity>;
  apis: Record<string, AgentApi>;
  customRoles: Record<string, CustomRole>;
}

/** Builds the audit trail when the config has one; undefined otherwise. */
export function buildAuditTrail(ctx: PlatformContext, inputs: AuditInputs): AuditTrail | undefined {
  const { config } = ctx;
  const audit = config.audit;
  if (!audit) {
    return undefined;
  }
  const deployer = authorization.getClientConfigOutput({ parent: ctx.parent });
  return new AuditTrail(
    `${ctx.name}-audit`,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: config.location,
      subscriptionId: deployer.subscriptionId,
      namePrefix: `${pulumi.getProject()}-${pulumi.getStack()}`,
      workspaceName: audit.workspaceName ?? `${slug(config.resourceGroupName).slice(0, 57)}-audit`,
      existingWorkspaceId: audit.workspaceId,
      retentionDays: audit.retentionDays,
      tenantDiagnostics: audit.tenantDiagnostics,
      tenantDiagnosticsWorkspaceId: audit.tenantDiagnosticsWorkspaceId,
      clusterId: inputs.cluster.clusterId,
      namespace: config.namespace,
      alertEmails: audit.alertEmails,
      approverEmails: audit.approverEmails,
      alerts: audit.alerts,
      agents: Object.entries(inputs.identities).map(([agent, id]) => ({ name: agent, principalId: id.principalId, clientId: id.clientId, identityId: id.identityId })),
      agentApplicationIds: Object.values(inputs.apis).flatMap((api) => [api.application.objectId, api.servicePrincipalObjectId]),
      ...auditedRoles(config, Object.fromEntries(Object.entries(inputs.customRoles).map(([role, r]) => [role, r.roleGuid]))),
      deployerIds: [deployer.objectId, deployer.clientId],
      tags: config.tags,
    },
    { parent: ctx.parent },
  );
}
