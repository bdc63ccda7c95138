/**
 * AKS: the OIDC issuer and workload identity on, local accounts off.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TOKENS, forTypes } from "./shared";

/** Clusters must issue ServiceAccount tokens Entra ID can trust, and accept no local credentials. */
export const aksWorkloadIdentity: ResourceValidationPolicy = {
  name: "aks-workload-identity",
  description: "AKS clusters have the OIDC issuer and workload identity enabled and local accounts disabled.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([TOKENS.cluster], (props, report) => {
    if (props.oidcIssuerProfile?.enabled !== true) report("oidcIssuerProfile.enabled must be true: federated credentials trust the cluster's OIDC issuer.");
    if (props.securityProfile?.workloadIdentity?.enabled !== true) report("securityProfile.workloadIdentity.enabled must be true: without it no pod gets an Entra ID token.");
    if (props.disableLocalAccounts !== true) report("disableLocalAccounts must be true: local (certificate) accounts bypass Entra ID and Azure RBAC.");
  }),
};
