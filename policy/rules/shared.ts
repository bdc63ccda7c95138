/**
 * Helpers shared by the guardrail policies.
 */
import type { ResourceValidationArgs, ReportViolation } from "@pulumi/policy";
import { lastSegment } from "../../components/lib/naming";

/** A resource validation that applies to some type tokens only. */
export function forTypes(types: string[], check: (props: Record<string, any>, report: ReportViolation, args: ResourceValidationArgs) => void) {
  return (args: ResourceValidationArgs, report: ReportViolation): void => {
    if (types.includes(args.type)) {
      check(args.props, report, args);
    }
  };
}

/** The containers of a Deployment's pod template (init containers included). */
export function podContainers(props: Record<string, any>): Array<Record<string, any>> {
  const spec = props?.spec?.template?.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** The role definition GUID at the end of an ARM id, lowercased. */
export function roleGuidOf(id: unknown): string {
  return lastSegment(String(id ?? "")).toLowerCase();
}

/** Type tokens the policies look at. */
export const TOKENS = {
  cluster: "azure-native:containerservice:ManagedCluster",
  credential: "azure-native:managedidentity:FederatedIdentityCredential",
  deployment: "kubernetes:apps/v1:Deployment",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  secret: "kubernetes:core/v1:Secret",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  eligibility: "azure-native:authorization:PimRoleEligibilitySchedule",
  roleManagementPolicy: "azure-native:authorization:RoleManagementPolicy",
  application: "azuread:index/application:Application",
} as const;
