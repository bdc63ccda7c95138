/**
 * The guardrail policies as plain objects, so tests can run them without starting the analyzer
 * (constructing a PolicyPack starts a gRPC server and waits for the engine).
 */
import type { Policy } from "@pulumi/policy";
import { aksWorkloadIdentity } from "./rules/cluster";
import { federatedCredentialClusterIssuer, federatedCredentialShape } from "./rules/identity";
import { noLatestImage, noStoredCredentials, workloadIdentityPods } from "./rules/workloads";
import { noStandingSensitiveRole, pimApprovalAndCap, pimEligibilityGoverned } from "./rules/access";
import { noAppCredentials } from "./rules/registrations";
import { pimRequiresAuditTrail } from "./rules/audit";

/** Every policy of the pack. */
export const policies: Policy[] = [
  aksWorkloadIdentity,
  federatedCredentialShape,
  workloadIdentityPods,
  noLatestImage,
  noStoredCredentials,
  noStandingSensitiveRole,
  pimApprovalAndCap,
  noAppCredentials,
  federatedCredentialClusterIssuer,
  pimEligibilityGoverned,
  pimRequiresAuditTrail,
];
