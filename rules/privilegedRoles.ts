/**
 * Azure built-in roles that are privileged: whoever holds them can grant themselves anything, change
 * every resource, own a service's data, or administer a whole cluster. Shared by the stack config
 * validation (never standing unless allowed per assignment with a reason) and the policy pack (never
 * standing, with or without pack config). GUIDs are the same in every Azure cloud; each was checked
 * against the Microsoft Learn page "Azure built-in roles" (learn.microsoft.com/azure/role-based-access-control/built-in-roles,
 * page date 2026-04-09, as vendored in /work/shared/data/azure-built-in-roles.tsv).
 */

/** Why a role is privileged. */
export type PrivilegeClass =
  /** Controls resources or access to them (Owner, Contributor, User Access Administrator, RBAC Administrator). */
  | "control-plane"
  /** Owns a service's data, including granting access to it ("... Data Owner"). */
  | "data-owner"
  /** Administers a whole AKS cluster. */
  | "cluster-admin";

/** One privileged built-in role. */
export interface PrivilegedRole {
  /** The role's name as Azure shows it. */
  name: string;
  /** The role definition GUID, lowercase. */
  guid: string;
  /** Why it is privileged. */
  privilege: PrivilegeClass;
}

/** Every privileged built-in role the project knows, by GUID. */
export const PRIVILEGED_ROLES: readonly PrivilegedRole[] = [
  { name: "Owner", guid: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", privilege: "control-plane" },
  { name: "Contributor", guid: "b24988ac-6180-42a0-ab88-20f7382dd24c", privilege: "control-plane" },
  { name: "User Access Administrator", guid: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", privilege: "control-plane" },
  { name: "Role Based Access Control Administrator", guid: "f58310d9-a9f6-439a-9e8d-f62e7b41a168", privilege: "control-plane" },
  { name: "Storage Blob Data Owner", guid: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", privilege: "data-owner" },
  { name: "Azure Event Hubs Data Owner", guid: "f526a384-b230-433a-b45c-95f59c4a2dec", privilege: "data-owner" },
  { name: "Azure Service Bus Data Owner", guid: "090c5cfd-751d-490a-894a-3ce6f1109419", privilege: "data-owner" },
  { name: "App Configuration Data Owner", guid: "5ae67dd6-50cb-40e7-96ff-dc2bfa4b606b", privilege: "data-owner" },
  { name: "Azure Digital Twins Data Owner", guid: "bcd981a7-7f74-457b-83e1-cceb9e632ffe", privilege: "data-owner" },
  { name: "DICOM Data Owner", guid: "58a3b984-7adf-4c20-983a-32417c86fbc8", privilege: "data-owner" },
  { name: "DeID Data Owner", guid: "78e4b983-1a0b-472e-8b7d-8d770f7c5890", privilege: "data-owner" },
  { name: "DeID Batch Data Owner", guid: "8a90fa6b-6997-4a07-8a95-30633a7c97b9", privilege: "data-owner" },
  { name: "Azure Kubernetes Service RBAC Cluster Admin", guid: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b", privilege: "cluster-admin" },
  { name: "Azure Kubernetes Service Cluster Admin Role", guid: "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8", privilege: "cluster-admin" },
];

/** The privileged role with this GUID (any case), or undefined. */
export function privilegedRole(guid: string): PrivilegedRole | undefined {
  const lower = guid.toLowerCase();
  return PRIVILEGED_ROLES.find((r) => r.guid === lower);
}

/** The privileged role with this display name (exact), or undefined. */
export function privilegedRoleByName(name: string): PrivilegedRole | undefined {
  return PRIVILEGED_ROLES.find((r) => r.name === name);
}
