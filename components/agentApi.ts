/**
 * AgentApi: the Entra ID application through which other agents may call this one. It exposes an
 * application-only app role (`Agent.Invoke`), issues v2 access tokens with the optional `idtyp` claim,
 * has no password and no certificate, and its service principal requires an app role assignment, so
 * only identities that were granted the role get a token at all. Each caller's managed identity is
 * granted the role here.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { INVOKE_ROLE, appRoleId } from "../rules/naming";
import { ComponentArgsError } from "../rules/componentArgsError";

/** The app role callers are granted. */
export { INVOKE_ROLE };

/** One agent allowed to call. */
export interface AgentCaller {
  /** The caller's name (used in resource names). */
  name: string;
  /** Object id of the caller's managed identity (its service principal). */
  principalId: pulumi.Input<string>;
}

/** Arguments of {@link AgentApi}. */
export interface AgentApiArgs {
  /** The agent the API belongs to, named in the app role's text. Default: the component name. */
  agentName?: string;
  /** Display name of the application in Entra ID. */
  displayName: string;
  /** Value of the app role callers need. Default `Agent.Invoke`. */
  roleValue?: string;
  /** The agents allowed to call; each gets an app role assignment. Default none. */
  callers?: AgentCaller[];
  /** Object ids that own the application (e.g. the deploying principal). Default none. */
  owners?: pulumi.Input<pulumi.Input<string>[]>;
}

/** An agent's API registration and the grants of its callers. */
export class AgentApi extends pulumi.ComponentResource {
  /** The application's client id: the `aud` of the v2 tokens callers present. */
  public readonly audience: pulumi.Output<string>;
  /** The identifier URI, `api://<client id>`. */
  public readonly identifierUri: pulumi.Output<string>;
  /** What callers request a token for: `api://<client id>/.default`. */
  public readonly tokenScope: pulumi.Output<string>;
  /** The app role id granted to callers. */
  public readonly appRoleId: string;
  /** Object id of the API's service principal. */
  public readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** The application. */
  public readonly application: azuread.Application;
  /** The service principal. */
  public readonly servicePrincipal: azuread.ServicePrincipal;
  /** App role assignments by caller name. */
  public readonly grants: Record<string, azuread.AppRoleAssignment>;

  constructor(name: string, args: AgentApiArgs, opts?: pulumi.ComponentResourceOptions) {
    validateApiArgs(name, args);
    super("agent-identity:index:AgentApi", name, {}, opts);
    const agentName = args.agentName ?? name;
    const roleValue = args.roleValue ?? INVOKE_ROLE;
    this.appRoleId = appRoleId(args.displayName, roleValue);

    this.application = new azuread.Application(
      `${name}-app`,
      {
        displayName: args.displayName,
        signInAudience: "AzureADMyOrg",
        owners: args.owners,
        api: { requestedAccessTokenVersion: 2 },
        appRoles: [
          {
            id: this.appRoleId,
            value: roleValue,
            displayName: `Invoke ${agentName}`,
            description: `Lets another agent call ${agentName}.`,
            allowedMemberTypes: ["Application"],
            enabled: true,
          },
        ],
        optionalClaims: { accessTokens: [{ name: "idtyp", essential: false }] },
      },
      // The identifier URI is its own resource (it needs the client id); keep the two from fighting.
      { parent: this, ignoreChanges: ["identifierUris"] },
    );
    // One apply per derived value (pulumi.interpolate wraps its placeholders in further Outputs first).
    this.identifierUri = this.application.clientId.apply((clientId) => `api://${clientId}`);
    new azuread.ApplicationIdentifierUri(`${name}-identifier-uri`, { applicationId: this.application.id, identifierUri: this.identifierUri }, { parent: this });

    this.servicePrincipal = new azuread.ServicePrincipal(
      `${name}-sp`,
      { clientId: this.application.clientId, appRoleAssignmentRequired: true, owners: args.owners },
      { parent: this },
    );

    this.grants = {};
    for (const caller of args.callers ?? []) {
      this.grants[caller.name] = new azuread.AppRoleAssignment(
        `${name}-grant-${caller.name}`,
        { appRoleId: this.appRoleId, principalObjectId: caller.principalId, resourceObjectId: this.servicePrincipal.objectId },
        { parent: this },
      );
    }

    this.audience = this.application.clientId;
    this.tokenScope = this.identifierUri.apply((uri) => `${uri}/.default`);
    this.servicePrincipalObjectId = this.servicePrincipal.objectId;
    this.registerOutputs({
      audience: this.audience,
      identifierUri: this.identifierUri,
      tokenScope: this.tokenScope,
      appRoleId: this.appRoleId,
      servicePrincipalObjectId: this.servicePrincipalObjectId,
      grants: this.grants,
    });
  }
}

/** Refuses an empty display name or a caller listed twice, before anything is registered. */
function validateApiArgs(name: string, args: AgentApiArgs): void {
  const callers = (args.callers ?? []).map((c) => c.name);
  if (!args.displayName?.trim()) {
    throw new ComponentArgsError("AgentApi", name, "displayName", `displayName is empty. Fix: name the application, e.g. "<project>-<stack>-${name}".`);
  }
  const duplicate = callers.find((c, i) => callers.indexOf(c) !== i);
  if (duplicate !== undefined) {
    throw new ComponentArgsError("AgentApi", name, "callers", `caller ${JSON.stringify(duplicate)} is listed twice. Fix: list each caller once.`);
  }
}
