/**
 * The Azure Resource Manager client, and the translation of its errors into {@link AzureRequestError}.
 */
import { AuthorizationManagementClient, AuthorizationManagementClientOptionalParams } from "@azure/arm-authorization";
import { isRestError } from "@azure/core-rest-pipeline";
import { DefaultAzureCredential } from "@azure/identity";
import type { TokenCredential } from "@azure/core-auth";
import { AzureRequestError, JitError } from "../errors";

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
    if (err instanceof JitError) {
      throw err;
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
