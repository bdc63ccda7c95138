/**
 * Azure built-in roles that agents commonly need, by name. Built-in role GUIDs are the same in every
 * tenant, so names resolve offline; any other role is referenced by its GUID.
 */
export const BUILT_IN_ROLES: Readonly<Record<string, string>> = {
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
  "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  "Cognitive Services OpenAI User": "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
  "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
};

/** The subscription-scoped ARM id of a role definition GUID, for the subscription a scope lies in. */
export function roleDefinitionResourceId(scope: string, roleGuid: string): string {
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  const prefix = subscription ? `/subscriptions/${subscription}` : "";
  return `${prefix}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}
