/**
 * Names and identifiers derived from stable inputs, so that a second evaluation produces the same
 * values and the federation subject cannot drift from the ServiceAccount it points at.
 */
import { v5 as uuidv5 } from "uuid";

/** The audience Entra ID requires on the projected ServiceAccount token it exchanges. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** A Kubernetes ServiceAccount, by namespace and name. */
export interface ServiceAccountRef {
  /** The namespace of the ServiceAccount. */
  namespace: string;
  /** The name of the ServiceAccount. */
  name: string;
}

/** The subject Kubernetes writes into a ServiceAccount token: `system:serviceaccount:<ns>:<name>`. */
export function serviceAccountSubject(sa: ServiceAccountRef): string {
  return `system:serviceaccount:${sa.namespace}:${sa.name}`;
}

/**
 * A federated identity credential name for a ServiceAccount: 3-120 characters of letters, digits,
 * `-` and `_`, starting with a letter or digit (ServiceAccount names may contain `.`, which Azure refuses).
 */
export function federatedCredentialName(sa: ServiceAccountRef): string {
  return `${sa.namespace}-${sa.name}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 120);
}

/** A lowercase, dash-separated form of a display name, for resource names ("Sensitive Data Reader" -> "sensitive-data-reader"). */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** The last segment of an ARM id (a role definition or policy GUID), case preserved. */
export function lastSegment(id: string): string {
  return id.split("/").filter((s) => s.length > 0).pop() ?? "";
}

/** The UUID namespace of this project: every deterministic GUID it derives lives under it. */
export const GUID_NAMESPACE = "5c1f7e0a-5f43-4c1b-9d3e-6a2f0b8e4d21";

/**
 * A GUID derived from stable parts (UUID v5), for Azure names that must be GUIDs (role assignments):
 * the same parts give the same GUID at every evaluation, so a second `pulumi up` shows no change.
 */
export function deterministicGuid(...parts: string[]): string {
  return uuidv5(parts.join("|"), GUID_NAMESPACE);
}

/** The app role callers of an agent API are granted (`roles` claim of their tokens). */
export const INVOKE_ROLE = "Agent.Invoke";

/** The id of an agent API's app role: derived from the application's display name and the role value. */
export function appRoleId(displayName: string, roleValue: string = INVOKE_ROLE): string {
  return deterministicGuid("app-role", displayName, roleValue);
}

/** The Entra ID display name of the API registration of an agent that others call. */
export function agentApiDisplayName(project: string, stack: string, agent: string): string {
  return `${project}-${stack}-${agent}`;
}

/** The GUID of a custom role definition: from its name and its first assignable scope (where it is defined). */
export function customRoleGuid(roleName: string, assignableScopes: readonly string[]): string {
  return deterministicGuid("custom-role", roleName, assignableScopes[0].toLowerCase());
}

/** An agent's own ServiceAccount: in the stack's namespace, named `serviceAccountName` or else the agent's name. */
export function agentServiceAccount(namespace: string, agent: { name: string; serviceAccountName?: string }): ServiceAccountRef {
  return { namespace, name: agent.serviceAccountName ?? agent.name };
}
