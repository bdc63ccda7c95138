/**
 * Who is asking: the object id of the agent's identity, read from the `oid` claim of its own ARM
 * token (the token comes from Entra ID through the SDK; it is decoded, not verified, since it is only
 * used to name the caller in requests Azure itself authorizes).
 */
import type { TokenCredential } from "@azure/core-auth";
import { JitError } from "../errors";
import { credentialFailure } from "./credential";

/** The ARM token scope. */
export const ARM_SCOPE = "https://management.azure.com/.default";

/** The `oid` claim of the caller's ARM token. */
export async function principalIdOf(credential: TokenCredential, abortSignal?: AbortSignal): Promise<string> {
  let token: Awaited<ReturnType<TokenCredential["getToken"]>>;
  try {
    token = await credential.getToken(ARM_SCOPE, { abortSignal });
  } catch (err) {
    throw credentialFailure(err) ?? err;
  }
  const payload = token?.token.split(".")[1];
  let oid: unknown;
  try {
    oid = payload ? JSON.parse(Buffer.from(payload, "base64url").toString("utf8")).oid : undefined;
  } catch {
    oid = undefined;
  }
  if (typeof oid !== "string" || oid.length === 0) {
    throw new JitError("ERR_JIT_NO_PRINCIPAL", "Cannot tell the caller's object id from its token. Fix: pass principalId explicitly.");
  }
  return oid;
}
