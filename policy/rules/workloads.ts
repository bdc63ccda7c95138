/**
 * Workloads: pods labelled for workload identity on an annotated ServiceAccount, images pinned, no
 * credential in Secrets or environment variables.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { TOKENS, forTypes, podContainers } from "./shared";
import { isCredentialLikeEnvName, isCredentialLikeEnvValue, parseImageReference } from "../../config/rules";

/** Every Deployment's pods use workload identity through a ServiceAccount of the stack bound to an identity. */
export const workloadIdentityPods: StackValidationPolicy = {
  name: "workload-identity-pods",
  description: "Deployments label their pods azure.workload.identity/use=true and run them as a ServiceAccount annotated with azure.workload.identity/client-id.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const annotated = new Set(
      args.resources
        .filter((r) => r.type === TOKENS.serviceAccount && r.props?.metadata?.annotations?.["azure.workload.identity/client-id"] !== undefined)
        .map((r) => `${r.props.metadata.namespace ?? "default"}/${r.props.metadata.name}`),
    );
    for (const d of args.resources.filter((r) => r.type === TOKENS.deployment)) {
      const template = d.props?.spec?.template ?? {};
      if (template.metadata?.labels?.["azure.workload.identity/use"] !== "true") {
        report(`Deployment ${d.name}: pod template lacks the label azure.workload.identity/use: "true".`, d.urn);
      }
      const sa = `${d.props?.metadata?.namespace ?? "default"}/${template.spec?.serviceAccountName ?? "default"}`;
      if (!annotated.has(sa)) {
        report(`Deployment ${d.name}: ServiceAccount ${sa} is not a ServiceAccount of this stack annotated with azure.workload.identity/client-id.`, d.urn);
      }
    }
  },
};

/** Images are pinned by tag or digest, never `latest`. */
export const noLatestImage: ResourceValidationPolicy = {
  name: "no-latest-image",
  description: "Container images are pinned by a version tag or a digest; latest and untagged images are refused.",
  enforcementLevel: "mandatory",
  validateResource: forTypes([TOKENS.deployment], (props, report) => {
    for (const c of podContainers(props)) {
      const ref = typeof c.image === "string" ? parseImageReference(c.image) : undefined;
      if (ref && !ref.digest && (ref.tag === undefined || ref.tag === "latest")) {
        report(`container ${c.name}: image ${JSON.stringify(c.image)} is not pinned; use a version tag or a digest.`);
      }
    }
  }),
};

/** No credential travels in a Secret or an environment variable: agents authenticate with workload identity. */
export const noStoredCredentials: ResourceValidationPolicy = {
  name: "no-stored-credentials",
  description: "No Kubernetes Secret carries credentials, and no container has a credential-like environment variable or reads one from a Secret.",
  enforcementLevel: "mandatory",
  validateResource: [
    forTypes([TOKENS.secret], (props, report) => {
      const keys = [...Object.keys(props.data ?? {}), ...Object.keys(props.stringData ?? {})];
      const type = String(props.type ?? "Opaque");
      if (["kubernetes.io/basic-auth", "kubernetes.io/ssh-auth", "kubernetes.io/service-account-token"].includes(type)) {
        report(`Secret of type ${type} carries credentials; use workload identity instead.`);
      }
      for (const key of keys) {
        if (isCredentialLikeEnvName(key.replace(/[^A-Za-z0-9]/g, "_"))) report(`Secret key ${JSON.stringify(key)} looks like a credential; use workload identity instead.`);
      }
      for (const value of Object.values(props.stringData ?? {})) {
        if (typeof value === "string" && isCredentialLikeEnvValue(value)) report("a Secret value looks like a key, SAS token or JWT.");
      }
    }),
    forTypes([TOKENS.deployment], (props, report) => {
      for (const c of podContainers(props)) {
        for (const e of c.env ?? []) {
          if (isCredentialLikeEnvName(String(e.name))) report(`container ${c.name}: variable ${e.name} looks like a credential.`);
          if (typeof e.value === "string" && isCredentialLikeEnvValue(e.value)) report(`container ${c.name}: variable ${e.name} holds what looks like a key, SAS token or JWT.`);
          if (e.valueFrom?.secretKeyRef) report(`container ${c.name}: variable ${e.name} reads a Secret.`);
        }
        for (const from of c.envFrom ?? []) {
          if (from.secretRef) report(`container ${c.name}: envFrom reads Secret ${from.secretRef.name}.`);
        }
      }
    }),
  ],
};
