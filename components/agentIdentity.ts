/**
 * AgentIdentity: one user-assigned managed identity per agent, federated with each Kubernetes
 * ServiceAccount allowed to use it, so pods get Entra ID tokens with no stored credential.
 */
import * as pulumi from "@pulumi/pulumi";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as authorization from "@pulumi/azure-native/authorization";
import { MAX_FEDERATED_CREDENTIALS_PER_IDENTITY } from "../rules/formats";
import { ServiceAccountRef, TOKEN_EXCHANGE_AUDIENCE, deterministicGuid, federatedCredentialName, serviceAccountSubject, slug } from "../rules/naming";
import { ComponentArgsError } from "../rules/componentArgsError";

/** Arguments of {@link AgentIdentity}. */
export interface AgentIdentityArgs {
  /** Resource group of the identity. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region. Default: azure-native's default location. */
  location?: pulumi.Input<string>;
  /** The identity's Azure name. Default: the component name. */
  identityName?: string;
  /**
   * The OIDC issuer URL of the cluster whose ServiceAccount tokens the identity trusts. Pass the
   * cluster's output (`AgentCluster.oidcIssuerUrl`), never a typed string: a hand-typed issuer is the
   * most common cause of AADSTS70021.
   */
  oidcIssuerUrl: pulumi.Input<string>;
  /** The ServiceAccounts that may use the identity, one federated credential each (1 to 20). */
  serviceAccounts: ServiceAccountRef[];
  /** Tags of the identity. Default none. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Standing least-privilege role assignments of the identity (never a sensitive role). Default none. */
  roleAssignments?: StandingRoleAssignment[];
}

/** A standing (always active) role assignment for non-sensitive needs. */
export interface StandingRoleAssignment {
  /** Short label used in the resource name (e.g. the role name). */
  label: string;
  /** ARM id of the role definition. */
  roleDefinitionId: pulumi.Input<string>;
  /** ARM scope. */
  scope: string;
}

/** A user-assigned managed identity and its federated identity credentials. */
export class AgentIdentity extends pulumi.ComponentResource {
  /** The identity's client (application) id: what the ServiceAccount annotation carries. */
  public readonly clientId: pulumi.Output<string>;
  /** The identity's object id in Entra ID: what role assignments and app role grants name. */
  public readonly principalId: pulumi.Output<string>;
  /** The tenant of the identity. */
  public readonly tenantId: pulumi.Output<string>;
  /** The identity's ARM id. */
  public readonly identityId: pulumi.Output<string>;
  /** The identity resource. */
  public readonly identity: managedidentity.UserAssignedIdentity;
  /** One federated credential per ServiceAccount, in the order given; each waits for the one before. */
  public readonly federatedCredentials: managedidentity.FederatedIdentityCredential[];
  /** The standing role assignments, in the order given. */
  public readonly roleAssignments: authorization.RoleAssignment[];

  constructor(name: string, args: AgentIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    validateServiceAccounts(name, args.serviceAccounts);
    super("agent-identity:index:AgentIdentity", name, {}, opts);

    this.identity = new managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        resourceName: args.identityName ?? name,
        tags: args.tags,
      },
      { parent: this },
    );

    // Azure answers 409 to concurrent credential writes on one identity: chain them.
    this.federatedCredentials = [];
    let previous: pulumi.Resource | undefined;
    for (const sa of args.serviceAccounts) {
      const credential: managedidentity.FederatedIdentityCredential = new managedidentity.FederatedIdentityCredential(
        `${name}-fic-${federatedCredentialName(sa)}`,
        {
          resourceGroupName: args.resourceGroupName,
          resourceName: this.identity.name,
          federatedIdentityCredentialResourceName: federatedCredentialName(sa),
          issuer: args.oidcIssuerUrl,
          subject: serviceAccountSubject(sa),
          audiences: [TOKEN_EXCHANGE_AUDIENCE],
        },
        { parent: this, dependsOn: previous ? [previous] : [] },
      );
      this.federatedCredentials.push(credential);
      previous = credential;
    }

    this.roleAssignments = (args.roleAssignments ?? []).map((grant) => standingAssignment(name, grant, this.identity.principalId, this));

    this.clientId = this.identity.clientId;
    this.principalId = this.identity.principalId;
    this.tenantId = this.identity.tenantId;
    this.identityId = this.identity.id;
    this.registerOutputs({
      clientId: this.clientId,
      principalId: this.principalId,
      tenantId: this.tenantId,
      identityId: this.identityId,
      identity: this.identity,
      federatedCredentials: this.federatedCredentials,
      roleAssignments: this.roleAssignments,
    });
  }
}

function validateServiceAccounts(name: string, serviceAccounts: ServiceAccountRef[]): void {
  if (serviceAccounts.length === 0) {
    throw new ComponentArgsError("AgentIdentity", name, "serviceAccounts", `serviceAccounts is empty. Fix: list the ServiceAccount(s) that run the agent.`);
  }
  if (serviceAccounts.length > MAX_FEDERATED_CREDENTIALS_PER_IDENTITY) {
    throw new ComponentArgsError("AgentIdentity", name, "serviceAccounts", `${serviceAccounts.length} ServiceAccounts, but Azure allows at most ${MAX_FEDERATED_CREDENTIALS_PER_IDENTITY} federated credentials per identity. Fix: list at most ${MAX_FEDERATED_CREDENTIALS_PER_IDENTITY}.`);
  }
  const subjects = serviceAccounts.map(serviceAccountSubject);
  const duplicate = subjects.find((s, i) => subjects.indexOf(s) !== i);
  if (duplicate) {
    throw new ComponentArgsError("AgentIdentity", name, "serviceAccounts", `${duplicate} is listed twice. Fix: list each ServiceAccount once.`);
  }
}

/** A standing role assignment of the identity, with a GUID name derived from scope, principal and role. */
function standingAssignment(name: string, grant: StandingRoleAssignment, principalId: pulumi.Output<string>, parent: pulumi.Resource): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    `${name}-role-${slug(grant.label)}-${deterministicGuid(grant.scope.toLowerCase()).slice(0, 8)}`,
    {
      scope: grant.scope,
      principalId,
      // A fresh identity may not have replicated yet: without this Azure can answer PrincipalNotFound.
      principalType: "ServicePrincipal",
      roleDefinitionId: grant.roleDefinitionId,
      roleAssignmentName: pulumi
        .all([principalId, grant.roleDefinitionId])
        .apply(([principal, role]) => deterministicGuid(grant.scope.toLowerCase(), principal, role.toLowerCase())),
    },
    { parent },
  );
}
