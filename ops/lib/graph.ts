/**
 * A small typed Microsoft Graph v1.0 client for the reads the ops commands make (service principals,
 * app role assignments, the signed-in user's directory roles, the tenant's authorization policy), over
 * the Azure SDK's HTTP pipeline (bearer token from the credential, retries, TLS options).
 * Shapes: learn.microsoft.com/graph/api/resources/serviceprincipal, .../approleassignment,
 * .../authorizationpolicy, .../directoryrole.
 */
import type { TokenCredential } from "@azure/core-auth";
import {
  Pipeline,
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  HttpClient,
} from "@azure/core-rest-pipeline";
import { scopeOf } from "./azure";

/** An app role of a service principal. */
export interface GraphAppRole {
  id: string;
  value?: string | null;
  allowedMemberTypes?: string[];
}

/** A service principal (the fields read here). */
export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName?: string;
  servicePrincipalType?: string;
  appRoles?: GraphAppRole[];
  appRoleAssignmentRequired?: boolean;
}

/** An app role assignment. */
export interface GraphAppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalDisplayName?: string;
  principalType?: string;
  resourceId: string;
  resourceDisplayName?: string;
}

/** A directory role the user is a member of. */
export interface GraphDirectoryRole {
  id: string;
  displayName?: string;
  roleTemplateId: string;
}

/** The tenant's authorization policy (default user permissions). */
export interface GraphAuthorizationPolicy {
  defaultUserRolePermissions?: { allowedToCreateApps?: boolean };
}

/** A failed Graph request, with its HTTP status and Graph's error code. */
export class GraphRequestError extends Error {
  /** Stable code. */
  readonly code: string;
  constructor(
    readonly statusCode: number,
    graphCode: string,
    message: string,
  ) {
    super(`Microsoft Graph answered ${statusCode} ${graphCode}: ${message}`);
    this.name = "GraphRequestError";
    this.code = graphCode;
  }
}

/** The app id of Microsoft Graph's own service principal (the same in every tenant). */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** Options of {@link GraphClient}. */
export interface GraphClientOptions {
  credential: TokenCredential;
  /** Graph endpoint origin, e.g. `https://graph.microsoft.com`. */
  endpoint: string;
  /** Extra CA (PEM) to trust. */
  ca?: string;
}

/** Read-only Graph client: every method sends GET. */
export class GraphClient {
  private readonly pipeline: Pipeline;
  private readonly http: HttpClient = createDefaultHttpClient();

  constructor(private readonly options: GraphClientOptions) {
    this.pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 2 }, ...(options.ca ? { tlsOptions: { ca: options.ca } } : {}) });
    this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: scopeOf(options.endpoint) }));
  }

  private async get<T>(pathAndQuery: string): Promise<T> {
    const url = pathAndQuery.startsWith("https://") ? pathAndQuery : `${this.options.endpoint}/v1.0${pathAndQuery}`;
    const response = await this.pipeline.sendRequest(this.http, createPipelineRequest({ url, method: "GET" }));
    const body = response.bodyAsText ? JSON.parse(response.bodyAsText) : {};
    if (response.status >= 400) {
      throw new GraphRequestError(response.status, body?.error?.code ?? "Unknown", body?.error?.message ?? response.bodyAsText ?? "");
    }
    return body as T;
  }

  private async list<T>(pathAndQuery: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = pathAndQuery;
    while (next) {
      const page: { value: T[]; "@odata.nextLink"?: string } = await this.get(next);
      items.push(...(page.value ?? []));
      next = page["@odata.nextLink"];
    }
    return items;
  }

  /** A service principal by app id, or undefined. */
  async servicePrincipalByAppId(appId: string): Promise<GraphServicePrincipal | undefined> {
    const found = await this.list<GraphServicePrincipal>(`/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`);
    return found[0];
  }

  /** Service principals with a display name. */
  servicePrincipalsByDisplayName(displayName: string): Promise<GraphServicePrincipal[]> {
    return this.list<GraphServicePrincipal>(`/servicePrincipals?$filter=${encodeURIComponent(`displayName eq '${displayName.replace(/'/g, "''")}'`)}`);
  }

  /** App roles granted to a principal (what it holds). */
  appRoleAssignments(servicePrincipalId: string): Promise<GraphAppRoleAssignment[]> {
    return this.list<GraphAppRoleAssignment>(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignments`);
  }

  /** App roles of a resource granted to others (who may call it). */
  appRoleAssignedTo(servicePrincipalId: string): Promise<GraphAppRoleAssignment[]> {
    return this.list<GraphAppRoleAssignment>(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo`);
  }

  /** The tenant's authorization policy. */
  authorizationPolicy(): Promise<GraphAuthorizationPolicy> {
    return this.get<GraphAuthorizationPolicy>("/policies/authorizationPolicy");
  }

  /** Directory roles of the signed-in user, group memberships included. */
  myDirectoryRoles(): Promise<GraphDirectoryRole[]> {
    return this.list<GraphDirectoryRole>("/me/transitiveMemberOf/microsoft.graph.directoryRole");
  }
}
