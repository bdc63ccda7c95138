/**
 * The formats stack config values must have, each with the sentence that tells the user how to fix a
 * bad value. Kept apart from the schema so components and tests can reuse the exact same rules.
 */
import { credentialInName, credentialInValue } from "./credentials";

/** A Kubernetes DNS-1035 label: what Service names need, and so what agent names must be. */
export const KUBERNETES_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes DNS-1123 subdomain: what ServiceAccount names may be. */
export const KUBERNETES_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes namespace name: a DNS-1123 label of at most 63 characters. */
export const KUBERNETES_NAMESPACE = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A GUID as Entra ID writes object, tenant and client ids. */
export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** An Azure region name as ARM expects it (`westeurope`, `eastus2`). */
export const AZURE_LOCATION = /^[a-z]+[a-z0-9]*$/;

/** An Azure resource group name: 1-90 of letters, digits, `-_.()`, not ending with a period. */
export const RESOURCE_GROUP_NAME = /^[-\w.()]{0,89}[-\w()]$/;

/** An AKS cluster name: 1-63 of letters, digits, `-` and `_`, starting and ending with a letter or digit. */
export const AKS_CLUSTER_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;

/** The ARM id of an AKS cluster. */
export const AKS_CLUSTER_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.ContainerService\/managedClusters\/([a-zA-Z0-9][-_a-zA-Z0-9]{0,62})$/i;

/** A Kubernetes CPU quantity (`250m`, `1`, `1.5`). */
export const CPU_QUANTITY = /^(\d+(\.\d+)?|\d+m)$/;

/** A Kubernetes memory quantity (`256Mi`, `1Gi`, `500M`). */
export const MEMORY_QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/** An environment variable name (POSIX portable). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An IPv4 CIDR range. */
export const IPV4_CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/;

/** A Kubernetes version as AKS accepts it (`1.33` or `1.33.2`). */
export const KUBERNETES_VERSION = /^\d+\.\d+(\.\d+)?$/;

/** The most federated identity credentials Azure allows on one user-assigned identity. */
export const MAX_FEDERATED_CREDENTIALS_PER_IDENTITY = 20;

/**
 * Variables the workload identity webhook injects into every labelled pod. Setting them by hand
 * would shadow the webhook's values and break token exchange.
 */
export const WEBHOOK_INJECTED_ENV = [
  "AZURE_CLIENT_ID",
  "AZURE_TENANT_ID",
  "AZURE_FEDERATED_TOKEN_FILE",
  "AZURE_AUTHORITY_HOST",
];

/**
 * True when an environment variable name says it carries a credential (`DB_PASSWORD`, `OPENAI_API_KEY`,
 * `PGPASSWORD`, `dbPassword`). The detection lives in ./credentials, shared with the policy pack.
 */
export function isCredentialLikeEnvName(name: string): boolean {
  return credentialInName(name) !== undefined;
}

/** True when an environment variable value looks like a credential (storage key, SAS, password URL, private key, JWT, known key prefix). */
export function isCredentialLikeEnvValue(value: string): boolean {
  return credentialInValue(value) !== undefined;
}

/** The parts of a container image reference that validation cares about. */
export interface ImageReference {
  /** Registry and repository, without tag or digest. */
  repository: string;
  /** The tag, when one is given. */
  tag?: string;
  /** The digest (`sha256:...`), when one is given. */
  digest?: string;
}

// A registry host is only recognised as one when it has a dot or a port, or is localhost (as Docker reads it).
const IMAGE_REPOSITORY = /^((([a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+|localhost)(:\d+)?|[a-zA-Z0-9-]+:\d+)\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/;
const IMAGE_TAG = /^[\w][\w.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Splits an image reference into repository, tag and digest, or returns undefined when it is malformed. */
export function parseImageReference(image: string): ImageReference | undefined {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!IMAGE_DIGEST.test(digest)) {
      return undefined;
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!IMAGE_TAG.test(tag)) {
      return undefined;
    }
  }
  if (!IMAGE_REPOSITORY.test(rest)) {
    return undefined;
  }
  return { repository: rest, tag, digest };
}

/** Converts a CPU quantity to millicores. */
export function cpuMillicores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}

const MEMORY_FACTORS: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Converts a memory quantity to bytes. */
export function memoryBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(quantity);
  if (!match) {
    return Number.NaN;
  }
  return Number(match[1]) * (MEMORY_FACTORS[match[2]] ?? Number.NaN);
}

/**
 * An Azure scope: a subscription, a resource group, or a resource below them, e.g.
 * `/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<name>`.
 * Case-insensitive, as ARM treats resource ids (`az` prints `/resourcegroups/` for some resources).
 */
export const ARM_SCOPE =
  /^\/subscriptions\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(\/resourceGroups\/[-\w.()]{1,90}(\/providers\/[A-Za-z][\w.]*\/[A-Za-z]\w*\/[^/\s]+(\/[A-Za-z]\w*\/[^/\s]+)*)?)?$/i;

/** An e-mail address, loosely (for notification recipients). */
export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** True when `scope` is `parent` or lies below it (ARM ids compare case-insensitively). */
export function isWithinScope(scope: string, parent: string): boolean {
  const s = scope.toLowerCase();
  const p = parent.toLowerCase().replace(/\/+$/, "");
  return s === p || s.startsWith(`${p}/`);
}

/** The ARM id of an Azure container registry (registry names: 5-50 letters and digits). */
export const CONTAINER_REGISTRY_ID =
  /^\/subscriptions\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.ContainerRegistry\/registries\/[a-zA-Z0-9]{5,50}$/i;

/** A UTC date-time as PIM's scheduleInfo.startDateTime takes it (RFC 3339, seconds, `Z`). */
export const ELIGIBILITY_START = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The registry name at the end of a container registry id, lowercased. */
export function registryNameOfId(id: string): string {
  return id.split("/").pop()!.toLowerCase();
}

/**
 * The Azure container registry an image is pulled from (`fabrikamagents` for
 * `fabrikamagents.azurecr.io/agents/x:1`), lowercased; undefined for other registries. Covers the public
 * cloud's `azurecr.io` and the sovereign clouds' `azurecr.cn` and `azurecr.us`.
 */
export function azureContainerRegistryName(image: string): string | undefined {
  const host = image.split("/")[0].toLowerCase();
  const match = /^([a-z0-9]{5,50})(?:-[a-z0-9]+)?\.azurecr\.(io|cn|us)(:\d+)?$/.exec(host);
  return match?.[1];
}

/** The resource group name of an ARM scope, when the scope is a group or lies in one. */
export function resourceGroupOfScope(scope: string): string | undefined {
  return /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)/i.exec(scope)?.[1];
}
