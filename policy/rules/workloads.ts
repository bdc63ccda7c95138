/**
 * Workloads of every kind (Pod, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, Deployment, their
 * `*Patch` variants), read through one pod-spec reader: pods labelled for workload identity on an
 * annotated ServiceAccount, images pinned and parseable, and no credential stored anywhere a pod can
 * read it (Secrets, ConfigMaps, environment, volumes, image pull secrets).
 */
import type { ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { TOKENS, forTypes, isAnyType } from "./shared";
import { Unknowns } from "./unknowns";
import { isWorkload, podContainers, podTemplateOf } from "./podSpec";
import { parseImageReference } from "../../rules/formats";
import { CredentialFinding, credentialFix, credentialInName, credentialInValue, findCredential } from "../../rules/credentials";

const CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id";
const USE_LABEL = "azure.workload.identity/use";

/** Every workload's pods use workload identity through a ServiceAccount of the stack bound to an identity. */
export const workloadIdentityPods: StackValidationPolicy = {
  name: "workload-identity-pods",
  description:
    "Workloads of every kind (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob and their patches) label their pods azure.workload.identity/use=true and run them as a ServiceAccount annotated with azure.workload.identity/client-id.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const unknowns = new Unknowns();
    const annotated = new Set<string>();
    let unreadServiceAccount = false;
    for (const r of args.resources.filter((r) => isAnyType(r.type, [TOKENS.serviceAccount, TOKENS.serviceAccountPatch]))) {
      const read = unknowns.run(`${r.type} ${r.name}`, () => {
        const annotations = r.props?.metadata?.annotations ?? {};
        // `in` does not read the value, which is unknown until the identity exists.
        return CLIENT_ID_ANNOTATION in annotations ? `${r.props.metadata.namespace ?? "default"}/${r.props.metadata.name}` : null;
      });
      if (read === undefined) {
        unreadServiceAccount = true;
      } else if (read !== null) {
        annotated.add(read);
      }
    }
    for (const r of args.resources.filter((r) => isWorkload(r.type))) {
      unknowns.run(`${r.type} ${r.name}`, () => {
        const pods = podTemplateOf(r.type, r.props)!;
        const labels = pods.metadata?.labels;
        const labelSet = labels !== undefined && USE_LABEL in labels;
        if (pods.patch ? labelSet && labels[USE_LABEL] !== "true" : !labelSet || labels[USE_LABEL] !== "true") {
          report(`${pods.kind} ${r.name}: pod template lacks the label ${USE_LABEL}: "true".`, r.urn);
        }
        const name = pods.spec?.serviceAccountName ?? pods.spec?.serviceAccount;
        if (pods.patch && name === undefined) {
          return;
        }
        const sa = `${pods.namespace}/${name ?? "default"}`;
        if (!annotated.has(sa)) {
          if (unreadServiceAccount) {
            // A ServiceAccount could not be read during preview: it may be this one.
            unknowns.skipLike(`${r.type} ${r.name}`);
            return;
          }
          report(`${pods.kind} ${r.name}: ServiceAccount ${sa} is not a ServiceAccount of this stack annotated with ${CLIENT_ID_ANNOTATION}.`, r.urn);
        }
      });
    }
    unknowns.rethrow();
  },
};

/** Images are pinned by tag or digest, never `latest`, and parseable. */
export const noLatestImage: ResourceValidationPolicy = {
  name: "no-latest-image",
  description: "Container images of every workload kind are valid references pinned by a version tag or a digest; latest, untagged and unparseable images are refused.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (!isWorkload(args.type)) {
      return;
    }
    const unknowns = new Unknowns();
    const pods = unknowns.run(args.name, () => podTemplateOf(args.type, args.props));
    for (const c of unknowns.run(args.name, () => podContainers(pods?.spec)) ?? []) {
      unknowns.run(`${args.name} container ${safeName(c)}`, () => checkImage(c, pods!.patch, report));
    }
    unknowns.rethrow();
  },
};

function checkImage(c: Record<string, any>, patch: boolean, report: ReportViolation): void {
  const image = c.image;
  if (image === undefined && patch) {
    return;
  }
  if (typeof image !== "string") {
    report(`container ${c.name}: has no image. Fix: set a pinned image, e.g. "registry.example.com/agent:1.0.0".`);
    return;
  }
  const ref = parseImageReference(image);
  if (!ref) {
    report(`container ${c.name}: image ${JSON.stringify(image)} cannot be parsed as an image reference. Fix: write "registry/repository:tag" or "registry/repository@sha256:<64 hex digits>".`);
  } else if (!ref.digest && (ref.tag === undefined || ref.tag === "latest")) {
    report(`container ${c.name}: image ${JSON.stringify(image)} is not pinned; use a version tag or a digest.`);
  }
}

function safeName(c: Record<string, any>): string {
  try {
    return String(c?.name);
  } catch {
    return "?";
  }
}

/** Secret types that are credentials by definition. */
const CREDENTIAL_SECRET_TYPES: Record<string, string> = {
  "kubernetes.io/basic-auth": "remove it; use Entra ID authentication with the agent's identity, or Key Vault read with the agent's identity.",
  "kubernetes.io/ssh-auth": "remove it; keep the key in Azure Key Vault and read it with the agent's identity.",
  "kubernetes.io/service-account-token": "remove it; pods get short-lived projected ServiceAccount tokens, and Azure access through workload identity.",
  "bootstrap.kubernetes.io/token": "remove it; node bootstrap is AKS's job.",
  "kubernetes.io/dockerconfigjson": credentialFix("registry"),
  "kubernetes.io/dockercfg": credentialFix("registry"),
  "kubernetes.io/tls": "remove it; keep the certificate in Azure Key Vault and mount it with the Secrets Store CSI driver (azure-keyvault provider, workload identity), or let the application routing add-on read it from Key Vault.",
};

/** No credential travels in a Secret, a ConfigMap, an environment variable, a volume or an image pull secret. */
export const noStoredCredentials: ResourceValidationPolicy = {
  name: "no-stored-credentials",
  description:
    "No Kubernetes Secret or ConfigMap carries credentials (names or values, base64 data decoded), and no workload reads a Secret (env, envFrom, volumes, projected volumes, image pull secrets) or has a credential-like variable.",
  enforcementLevel: "mandatory",
  validateResource: [
    forTypes([TOKENS.secret, TOKENS.secretPatch], (props, report, args, unknowns) => {
      const type = unknowns.run(`${args.name} type`, () => String(props.type ?? "Opaque"));
      if (type !== undefined && CREDENTIAL_SECRET_TYPES[type]) {
        report(`Secret of type ${type} carries credentials. Fix: ${CREDENTIAL_SECRET_TYPES[type]}`);
      }
      checkEntries("Secret", args.name, props.data, true, report, unknowns);
      checkEntries("Secret", args.name, props.stringData, false, report, unknowns);
    }),
    forTypes([TOKENS.configMap, TOKENS.configMapPatch], (props, report, args, unknowns) => {
      checkEntries("ConfigMap", args.name, props.data, false, report, unknowns);
    }),
    forTypes([TOKENS.serviceAccount, TOKENS.serviceAccountPatch], (props, report) => {
      for (const ref of props.imagePullSecrets ?? []) {
        report(`ServiceAccount imagePullSecrets names Secret ${ref?.name}. Fix: ${credentialFix("registry")}`);
      }
    }),
    (args, report) => {
      if (!isWorkload(args.type)) {
        return;
      }
      const unknowns = new Unknowns();
      const spec = unknowns.run(args.name, () => podTemplateOf(args.type, args.props)?.spec);
      if (spec) {
        checkPodSpec(args.name, spec, report, unknowns);
      }
      unknowns.rethrow();
    },
  ],
};

/** Checks each key and value of a Secret's or ConfigMap's data on its own. */
function checkEntries(kind: string, name: string, entries: Record<string, unknown> | undefined, base64: boolean, report: ReportViolation, unknowns: Unknowns): void {
  for (const key of Object.keys(entries ?? {})) {
    const byName = credentialInName(key);
    if (byName) {
      report(`${kind} key ${JSON.stringify(key)} looks like a credential (${byName.reason}). Fix: ${credentialFix(byName.kind)}`);
      continue;
    }
    unknowns.run(`${name} ${kind} key ${key}`, () => {
      const raw = entries![key];
      if (typeof raw !== "string") {
        return;
      }
      const value = base64 ? Buffer.from(raw, "base64").toString("utf8") : raw;
      const found = credentialInValue(value);
      if (found) {
        report(`${kind} key ${JSON.stringify(key)}: ${found.reason}. Fix: ${credentialFix(found.kind)}`);
      }
    });
  }
}

/** Volume sources that read a Secret by name (besides `secret` and projected `secret` sources). */
function secretOfVolume(volume: Record<string, any>): string | undefined {
  if (volume.secret) {
    return `secret volume ${volume.name} (Secret ${volume.secret.secretName})`;
  }
  for (const source of volume.projected?.sources ?? []) {
    if (source?.secret) {
      return `projected volume ${volume.name} (Secret ${source.secret.name})`;
    }
  }
  if (volume.azureFile?.secretName) {
    return `azureFile volume ${volume.name} (storage key in Secret ${volume.azureFile.secretName})`;
  }
  for (const [sourceType, source] of Object.entries(volume)) {
    if (source && typeof source === "object" && ((source as Record<string, any>).secretRef || (source as Record<string, any>).nodePublishSecretRef)) {
      return `${sourceType} volume ${volume.name} (reads a Secret)`;
    }
  }
  return undefined;
}

function checkPodSpec(name: string, spec: Record<string, any>, report: ReportViolation, unknowns: Unknowns): void {
  for (const ref of unknowns.run(`${name} imagePullSecrets`, () => spec.imagePullSecrets ?? []) ?? []) {
    report(`imagePullSecrets names Secret ${ref?.name}. Fix: ${credentialFix("registry")}`);
  }
  for (const volume of unknowns.run(`${name} volumes`, () => spec.volumes ?? []) ?? []) {
    unknowns.run(`${name} volume`, () => {
      const what = secretOfVolume(volume);
      if (what) {
        report(`${what} mounts a Secret into the pod. Fix: read secrets from Azure Key Vault with the agent's identity (Secrets Store CSI driver with workload identity, or the Key Vault SDK with DefaultAzureCredential).`);
      }
    });
  }
  for (const c of unknowns.run(`${name} containers`, () => podContainers(spec)) ?? []) {
    const container = safeName(c);
    for (const e of unknowns.run(`${name} container ${container} env`, () => c.env ?? []) ?? []) {
      unknowns.run(`${name} container ${container} variable ${safeName(e)}`, () => checkVariable(container, e, report));
    }
    for (const from of unknowns.run(`${name} container ${container} envFrom`, () => c.envFrom ?? []) ?? []) {
      unknowns.run(`${name} container ${container} envFrom`, () => {
        if (from.secretRef) {
          report(`container ${container}: envFrom reads Secret ${from.secretRef.name}. Fix: ${credentialFix("api-key")}`);
        }
      });
    }
  }
}

function checkVariable(container: string, e: Record<string, any>, report: ReportViolation): void {
  const name = String(e.name);
  const byName = credentialInName(name);
  if (byName) {
    report(`container ${container}: variable ${name} looks like a credential (${byName.reason}). Fix: ${credentialFix(byName.kind)}`);
  } else if (typeof e.value === "string") {
    const found: CredentialFinding | undefined = findCredential(name, e.value);
    if (found) {
      report(`container ${container}: variable ${name}: ${found.reason}. Fix: ${credentialFix(found.kind)}`);
    }
  }
  if (e.valueFrom?.secretKeyRef) {
    report(`container ${container}: variable ${name} reads Secret ${e.valueFrom.secretKeyRef.name}. Fix: ${credentialFix(byName?.kind ?? "api-key")}`);
  }
  const configKey = e.valueFrom?.configMapKeyRef?.key;
  if (typeof configKey === "string" && !byName) {
    const fromKey = credentialInName(configKey);
    if (fromKey) {
      report(`container ${container}: variable ${name} reads ConfigMap key ${JSON.stringify(configKey)}, which looks like a credential (${fromKey.reason}). Fix: ${credentialFix(fromKey.kind)}`);
    }
  }
}
