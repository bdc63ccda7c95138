/**
 * ARM scopes: what kind of scope an id is, its subscription and resource group, and containment.
 */

/** A parsed ARM scope. */
export interface ParsedScope {
  /** The scope as written. */
  id: string;
  /** `subscription`, `resourceGroup` or `resource`. */
  kind: "subscription" | "resourceGroup" | "resource";
  /** Subscription GUID. */
  subscriptionId: string;
  /** Resource group, for resource group and resource scopes. */
  resourceGroup?: string;
  /** Provider namespace of a resource (`Microsoft.Storage`). */
  namespace?: string;
  /** Resource type below the namespace, nested types joined (`storageAccounts/blobServices`). */
  resourceType?: string;
}

/** Parses `/subscriptions/<id>[/resourceGroups/<rg>[/providers/<ns>/<type>/<name>[/<type>/<name>...]]]`; undefined otherwise. */
export function parseScope(id: string): ParsedScope | undefined {
  const parts = id.split("/").filter((p) => p.length > 0);
  if (parts.length < 2 || parts[0].toLowerCase() !== "subscriptions") {
    return undefined;
  }
  const subscriptionId = parts[1];
  if (parts.length === 2) {
    return { id, kind: "subscription", subscriptionId };
  }
  if (parts[2].toLowerCase() !== "resourcegroups" || parts.length < 4) {
    return undefined;
  }
  const resourceGroup = parts[3];
  if (parts.length === 4) {
    return { id, kind: "resourceGroup", subscriptionId, resourceGroup };
  }
  if (parts[4].toLowerCase() !== "providers" || parts.length < 8 || (parts.length - 6) % 2 !== 0) {
    return undefined;
  }
  const types: string[] = [];
  for (let i = 6; i < parts.length; i += 2) {
    types.push(parts[i]);
  }
  return { id, kind: "resource", subscriptionId, resourceGroup, namespace: parts[5], resourceType: types.join("/") };
}

/** True when `inner` equals `outer` or lies below it (case-insensitive, on whole segments). */
export function isAtOrBelow(inner: string, outer: string): boolean {
  const a = inner.toLowerCase().replace(/\/+$/, "");
  const b = outer.toLowerCase().replace(/\/+$/, "");
  return b === "" || b === "/" || a === b || a.startsWith(`${b}/`);
}

/** The resource group scope of a subscription and group. */
export function resourceGroupScope(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}
