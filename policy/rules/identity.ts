/**
 * Federated identity credentials (managed identities, classic azure provider, azuread applications):
 * the token-exchange audience, a ServiceAccount subject, and an AKS OIDC issuer over https; when the
 * cluster is in the stack, exactly that cluster's issuer.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { TOKENS, forTypes, isAnyType, typeMatches } from "./shared";
import { Unknowns } from "./unknowns";

const SUBJECT = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/**
 * The issuers AKS hands out (Azure public cloud): `https://<region>.oic.prod-aks.azure.com/<tenant id>/<uuid>/`,
 * as documented in learn.microsoft.com/azure/aks/workload-identity-deploy-cluster ("By default, the
 * issuer is set to use the base URL https://{region}.oic.prod-aks.azure.com/{tenant_id}/{uuid}"), and the
 * older `https://oidc.prod-aks.azure.com/<uuid>/` of clusters that enabled the issuer early. The trailing
 * slash is part of the issuer AKS reports; Entra ID compares issuers as exact strings.
 */
export const AKS_ISSUER = new RegExp(
  "^https://(?:[a-z0-9]+\\.oic\\.prod-aks\\.azure\\.com/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" +
    "|oidc\\.prod-aks\\.azure\\.com/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/$",
);

/** Federated credential types whose issuer, subject and audiences the pack checks. */
export const FEDERATED_CREDENTIAL_TYPES = [TOKENS.credential, TOKENS.classicCredential, TOKENS.applicationCredential] as const;

/** A federated credential must only trust one Kubernetes ServiceAccount of an AKS cluster, for token exchange. */
export const federatedCredentialShape: ResourceValidationPolicy = {
  name: "federated-credential-serviceaccount",
  description:
    "Federated identity credentials (managed identity, classic azure provider, azuread application) use the audience api://AzureADTokenExchange, a system:serviceaccount:<ns>:<name> subject, and an AKS OIDC issuer over https; flexible (claims-expression) credentials are refused.",
  enforcementLevel: "mandatory",
  validateResource: [
    forTypes(FEDERATED_CREDENTIAL_TYPES, (props, report, args, unknowns) => {
      unknowns.run(`${args.name} audiences`, () => {
        // The classic azure provider takes one `audience` string; the others an `audiences` list.
        const audiences = typeMatches(args.type, TOKENS.classicCredential) && typeof props.audience === "string" ? [props.audience] : props.audiences ?? props.audience;
        if (!Array.isArray(audiences) || audiences.length !== 1 || audiences[0] !== TOKEN_EXCHANGE_AUDIENCE) {
          report(`audiences must be exactly ["${TOKEN_EXCHANGE_AUDIENCE}"], not ${JSON.stringify(audiences)}.`);
        }
      });
      unknowns.run(`${args.name} subject`, () => {
        if (typeof props.subject !== "string" || !SUBJECT.test(props.subject)) {
          report(`subject ${JSON.stringify(props.subject)} is not a ServiceAccount subject (system:serviceaccount:<namespace>:<name>).`);
        }
      });
      unknowns.run(`${args.name} issuer`, () => {
        const issuer = props.issuer;
        if (typeof issuer !== "string" || !AKS_ISSUER.test(issuer)) {
          report(
            `issuer ${JSON.stringify(issuer)} is not an AKS OIDC issuer over https (https://<region>.oic.prod-aks.azure.com/<tenant id>/<uuid>/). Fix: take it from the cluster's output oidcIssuerProfile.issuerURL; a credential trusting any other issuer lets whoever controls that issuer act as the identity.`,
          );
        }
      });
    }),
    forTypes([TOKENS.applicationFlexibleCredential], (_props, report) => {
      report("a flexible federated credential matches tokens by a claims expression (wildcards), not one ServiceAccount of one cluster. Fix: use a federated identity credential with the cluster's issuer and a system:serviceaccount subject.");
    }),
  ],
};

/** When the cluster is in the stack, every federated credential trusts exactly that cluster's issuer. */
export const federatedCredentialClusterIssuer: StackValidationPolicy = {
  name: "federated-credential-cluster-issuer",
  description: "When the stack has AKS clusters, each federated identity credential trusts exactly the OIDC issuer of one of them (the one it takes its issuer from).",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const unknowns = new Unknowns();
    const clusters = args.resources.filter((r) => typeMatches(r.type, TOKENS.cluster));
    if (clusters.length === 0) {
      return;
    }
    const issuers = new Map<string, string | undefined>();
    for (const cluster of clusters) {
      const issuer = unknowns.run(`${cluster.type} ${cluster.name} issuer`, () => cluster.props?.oidcIssuerProfile?.issuerURL);
      issuers.set(cluster.urn, typeof issuer === "string" ? issuer : undefined);
    }
    for (const credential of args.resources.filter((r) => isAnyType(r.type, FEDERATED_CREDENTIAL_TYPES))) {
      unknowns.run(`${credential.type} ${credential.name}`, () => {
        const issuer = credential.props?.issuer;
        const candidates = clustersBehindIssuer(credential, clusters);
        const expected = candidates.map((c) => issuers.get(c.urn));
        if (expected.some((e) => e === undefined)) {
          // A cluster's issuer is not known yet (a new cluster during preview): compare at up.
          if (unknowns.skippedParts.length > 0) {
            unknowns.skipLike(`${credential.type} ${credential.name}`);
          }
          return;
        }
        if (!expected.includes(issuer)) {
          report(
            `${credential.name}: issuer ${JSON.stringify(issuer)} is not the OIDC issuer of ${candidates.length === 1 ? `cluster ${candidates[0].name}` : `any cluster of this stack (${candidates.map((c) => c.name).join(", ")})`}. Fix: pass the cluster's output oidcIssuerProfile.issuerURL as the credential's issuer.`,
            credential.urn,
          );
        }
      });
    }
    unknowns.rethrow();
  },
};

/** The clusters a credential takes its issuer from (its `issuer` dependencies), else every cluster of the stack. */
function clustersBehindIssuer(credential: PolicyResource, clusters: PolicyResource[]): PolicyResource[] {
  const fromIssuer = (credential.propertyDependencies?.issuer ?? []).filter((d) => clusters.includes(d));
  return fromIssuer.length > 0 ? fromIssuer : clusters;
}
