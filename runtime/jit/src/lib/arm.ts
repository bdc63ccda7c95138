/**
 * The Azure Resource Manager client, and the translation of its errors into {@link AzureRequestError}.
 */
import { AuthorizationManagementClient, AuthorizationManagementClientOptionalParams } from "@azure/arm-authorization";
import { isRestError } from "@azure/core-rest-pipeline";
import { DefaultAzureCredential } from "@azure/identity";
import type { TokenCredential } from "@azure/core-auth";
import { AzureRequestError, JitError } from "../errors";
import type { JitEventSink } from "../events";
import { credentialFailure } from "./credential";

/** ARM's public endpoint. */
export const ARM_ENDPOINT = "https://management.azure.com";
/** The PIM api-version the SDK speaks (and the manual cancel command uses). */
export const PIM_API_VERSION = "2020-10-01";

/** How to reach Azure. Every field is optional; the defaults are what an agent pod needs. */
export interface JitClientOptions {
  /** Credential. Default `DefaultAzureCredential` (workload identity in an annotated pod). */
  credential?: TokenCredential;
  /** ARM endpoint. Default `https://management.azure.com`. */
  endpoint?: string;
  /** Further SDK client options (retry, TLS, user agent). */
  clientOptions?: AuthorizationManagementClientOptionalParams;
  /** Object id of the calling principal. Default: the `oid` of the caller's ARM token. */
  principalId?: string;
  /**
   * Receives one structured event per step (requested, status, provisioned, denied, cancelled, ...).
   * Default: one JSON line per event on stderr. A sink that throws changes nothing.
   */
  onEvent?: JitEventSink;
}

/** A client for the subscription the scope lies in (PIM calls are scope-based; the id is only required by the SDK). */
export function createClient(scope: string, options: JitClientOptions, credential: TokenCredential): AuthorizationManagementClient {
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? "00000000-0000-0000-0000-000000000000";
  return new AuthorizationManagementClient(credential, subscription, {
    ...options.clientOptions,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
}

/** The credential to use. */
export function credentialOf(options: JitClientOptions): TokenCredential {
  return options.credential ?? new DefaultAzureCredential();
}

/** Runs an Azure call; an SDK error becomes an {@link AzureRequestError} carrying status, code and request id. */
export async function callAzure<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof JitError || isAbort(err)) {
      throw err;
    }
    const credential = credentialFailure(err);
    if (credential) {
      throw credential;
    }
    if (isRestError(err)) {
      const requestId = err.response?.headers.get("x-ms-request-id") ?? err.request?.requestId;
      throw new AzureRequestError(
        `${what} failed: ${err.statusCode ?? "no response"} ${err.code ?? ""} ${err.message} (request id ${requestId ?? "unknown"})`.replace(/\s+/g, " "),
        err.statusCode,
        err.code,
        requestId,
      );
    }
    throw new AzureRequestError(`${what} failed: ${(err as Error).message}`, undefined, undefined, undefined);
  }
}

/** True for the SDK's (and the platform's) abort errors. */
export function isAbort(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "AbortError";
}

/** True when trying the same call again may succeed: no answer, 408, 429 or a server error. */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof AzureRequestError)) return false;
  const status = err.statusCode;
  return status === undefined || status === 408 || status === 429 || status >= 500;
}
