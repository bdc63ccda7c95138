/**
 * App registrations hold no password and no certificate: callers authenticate with managed identities.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TOKENS, forTypes } from "./shared";

/** Credential resources of azuread that would give an application a secret or a certificate. */
const CREDENTIAL_TYPES = [
  "azuread:index/applicationPassword:ApplicationPassword",
  "azuread:index/applicationCertificate:ApplicationCertificate",
  "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
  "azuread:index/servicePrincipalCertificate:ServicePrincipalCertificate",
];

/** No passwords or certificates on app registrations. */
export const noAppCredentials: ResourceValidationPolicy = {
  name: "no-app-registration-credentials",
  description: "App registrations and service principals have no passwords and no certificates.",
  enforcementLevel: "mandatory",
  validateResource: [
    forTypes([TOKENS.application], (props, report) => {
      if (props.password !== undefined) report("the application has a password; agents call with managed identities, not secrets.");
    }),
    forTypes(CREDENTIAL_TYPES, (_props, report, args) => report(`${args.type} creates a secret or certificate; agents call with managed identities.`)),
  ],
};
