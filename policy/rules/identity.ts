/**
 * Federated identity credentials: the token-exchange audience and a ServiceAccount subject.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TOKENS, forTypes } from "./shared";

const SUBJECT = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** A federated credential must only trust one Kubernetes ServiceAccount's tokens, for token exchange. */
export const federatedCredentialShape: ResourceValidationPolicy = {
  name: "federated-credential-serviceaccount",
  description: "Federated identity credentials use the audience api://AzureADTokenExchange and a system:serviceaccount:<ns>:<name> subject.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([TOKENS.credential], (props, report) => {
    const audiences = props.audiences;
    if (!Array.isArray(audiences) || audiences.length !== 1 || audiences[0] !== "api://AzureADTokenExchange") {
      report(`audiences must be exactly ["api://AzureADTokenExchange"], not ${JSON.stringify(audiences)}.`);
    }
    if (typeof props.subject === "string" && !SUBJECT.test(props.subject)) {
      report(`subject ${JSON.stringify(props.subject)} is not a ServiceAccount subject (system:serviceaccount:<namespace>:<name>).`);
    }
  }),
};
