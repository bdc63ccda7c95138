/**
 * Helpers shared by the guardrail policies: type-token matching, role ids, and the type tokens the
 * policies look at.
 */
import type { ResourceValidationArgs, ReportViolation } from "@pulumi/policy";
import { lastSegment } from "../../rules/naming";
import { Unknowns } from "./unknowns";

/**
 * True when a resource's type token is `token`, also when the resource's token carries an API-version
 * segment: `azure-native:authorization/v20220401:RoleAssignment` is `azure-native:authorization:RoleAssignment`.
 * Kubernetes tokens (`kubernetes:apps/v1:Deployment`) are compared whole: their version is part of the kind.
 */
export function typeMatches(type: string, token: string): boolean {
  return withoutApiVersion(type) === withoutApiVersion(token);
}

/** The token with an azure-native API-version module segment removed (`/v20220401`, `/v20240201preview`). */
function withoutApiVersion(token: string): string {
  if (!token.startsWith("azure-native:")) {
    return token;
  }
  const parts = token.split(":");
  if (parts.length !== 3) {
    return token;
  }
  return `${parts[0]}:${parts[1].replace(/\/v\d{8}(preview|privatepreview)?$/i, "")}:${parts[2]}`;
}

/** True when `type` matches any of `tokens` (see {@link typeMatches}). */
export function isAnyType(type: string, tokens: readonly string[]): boolean {
  return tokens.some((t) => typeMatches(type, t));
}

/**
 * A resource validation that applies to some type tokens only. Each check reads what it can: a value
 * unknown during preview skips what depends on it (reported by the analyzer as advisory for this
 * resource), never the other checks.
 */
export function forTypes(
  types: readonly string[],
  check: (props: Record<string, any>, report: ReportViolation, args: ResourceValidationArgs, unknowns: Unknowns) => void,
) {
  return (args: ResourceValidationArgs, report: ReportViolation): void => {
    if (isAnyType(args.type, types)) {
      const unknowns = new Unknowns();
      unknowns.run(args.name, () => check(args.props, report, args, unknowns));
      unknowns.rethrow();
    }
  };
}

/** The role definition GUID at the end of an ARM id, lowercased. */
export function roleGuidOf(id: unknown): string {
  return lastSegment(String(id ?? "")).toLowerCase();
}

/** A GUID as Azure writes object and role ids. */
export const GUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Type tokens the policies look at (without API-version segments; see {@link typeMatches}). */
export const TOKENS = {
  cluster: "azure-native:containerservice:ManagedCluster",
  credential: "azure-native:managedidentity:FederatedIdentityCredential",
  classicCredential: "azure:armmsi/federatedIdentityCredential:FederatedIdentityCredential",
  applicationCredential: "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
  applicationFlexibleCredential: "azuread:index/applicationFlexibleFederatedIdentityCredential:ApplicationFlexibleFederatedIdentityCredential",
  deployment: "kubernetes:apps/v1:Deployment",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  serviceAccountPatch: "kubernetes:core/v1:ServiceAccountPatch",
  secret: "kubernetes:core/v1:Secret",
  secretPatch: "kubernetes:core/v1:SecretPatch",
  configMap: "kubernetes:core/v1:ConfigMap",
  configMapPatch: "kubernetes:core/v1:ConfigMapPatch",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  classicRoleAssignment: "azure:authorization/assignment:Assignment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
  eligibility: "azure-native:authorization:PimRoleEligibilitySchedule",
  roleManagementPolicy: "azure-native:authorization:RoleManagementPolicy",
  roleManagementPolicyAssignment: "azure-native:authorization:RoleManagementPolicyAssignment",
  application: "azuread:index/application:Application",
} as const;
