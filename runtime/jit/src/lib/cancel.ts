/**
 * Cancels a pending role assignment schedule request, with retries, and reports honestly what
 * happened. The call is `POST {scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/{name}/cancel`
 * (api-version 2020-10-01, operation RoleAssignmentScheduleRequests_Cancel in azure-rest-api-specs).
 */
import type { AuthorizationManagementClient } from "@azure/arm-authorization";
import type { CancelOutcome } from "../errors";
import { ARM_ENDPOINT, PIM_API_VERSION, callAzure, isTransient } from "./arm";
import { sleep } from "./wait";

/** How many cancel calls at most (each already retried by the SDK for 429/5xx). */
export const CANCEL_ATTEMPTS = 3;
/** Waits between cancel calls. */
const CANCEL_PAUSES_MS = [500, 1500];
/** Bound on each cancel call, so an unanswered call cannot hold the caller forever. */
const CANCEL_CALL_TIMEOUT_MS = 30_000;

/** The URL of the cancel call. */
export function cancelUrl(endpoint: string | undefined, scope: string, name: string): string {
  return `${(endpoint ?? ARM_ENDPOINT).replace(/\/+$/, "")}${scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}/cancel?api-version=${PIM_API_VERSION}`;
}

/** Cancels the request; never throws, and says `cancelled: true` only when Azure answered the cancel with success. */
export async function cancelRequest(client: AuthorizationManagementClient, endpoint: string | undefined, scope: string, name: string, requestId: string): Promise<CancelOutcome> {
  const url = cancelUrl(endpoint, scope, name);
  const manual = { manualCancel: `POST ${url}`, azCommand: `az rest --method post --url "${url}"` };
  let failure = "";
  let attempts = 0;
  for (; attempts < CANCEL_ATTEMPTS; ) {
    attempts++;
    try {
      await callAzure("Cancelling the request", () =>
        client.roleAssignmentScheduleRequests.cancel(scope, name, { abortSignal: AbortSignal.timeout(CANCEL_CALL_TIMEOUT_MS) }),
      );
      return { cancelled: true, requestName: name, requestId, attempts, ...manual };
    } catch (err) {
      failure = (err as Error).message;
      if (!isTransient(err) || attempts >= CANCEL_ATTEMPTS) {
        break;
      }
      await sleep(CANCEL_PAUSES_MS[attempts - 1] ?? CANCEL_PAUSES_MS[CANCEL_PAUSES_MS.length - 1]);
    }
  }
  // Tell the caller where the request stands now (it may have been decided meanwhile); best effort.
  const statusAfter = await callAzure("Reading the request's status", () =>
    client.roleAssignmentScheduleRequests.get(scope, name, { abortSignal: AbortSignal.timeout(CANCEL_CALL_TIMEOUT_MS) }),
  ).then(
    (r) => r.status,
    () => undefined,
  );
  // A cancel whose answer was lost still counts once Azure itself reports the request Canceled.
  return { cancelled: statusAfter === "Canceled", requestName: name, requestId, attempts, failure, statusAfter, ...manual };
}
