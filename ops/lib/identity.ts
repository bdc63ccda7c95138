/**
 * Who is signed in: DefaultAzureCredential's ARM token, decoded (never verified: it is only read to
 * name the principal). `idtyp` says `user` or `app` when present; otherwise a delegated scope (`scp`)
 * means a user and its absence an application.
 */
import type { TokenCredential } from "@azure/core-auth";
import { PrincipalType } from "./stack";

/** The signed-in principal. */
export interface SignedInPrincipal {
  /** `User` or `ServicePrincipal` (managed identities are service principals). */
  type: PrincipalType;
  /** Object id in Entra ID. */
  objectId: string;
  /** Tenant id. */
  tenantId: string;
  /** The user's name, or the application (client) id. */
  name: string;
  /** Client id of an application or managed identity. */
  appId?: string;
}

/** Thrown when no token can be obtained or it names no principal. */
export class SignInError extends Error {
  /** Stable code. */
  readonly code = "ERR_OPS_SIGN_IN";
  constructor(message: string) {
    super(message);
    this.name = "SignInError";
  }
}

/** Decodes the claims of a JWT without verifying it. */
export function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1];
  if (!payload) {
    throw new SignInError("The credential returned a token that is not a JWT.");
  }
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** Gets a token for `scope` and names the principal it was issued to. */
export async function whoAmI(credential: TokenCredential, scope: string): Promise<SignedInPrincipal> {
  let token;
  try {
    token = await credential.getToken(scope);
  } catch (err) {
    throw new SignInError(`DefaultAzureCredential found no identity: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!token) {
    throw new SignInError("DefaultAzureCredential returned no token.");
  }
  const claims = decodeClaims(token.token);
  const oid = claims.oid;
  if (typeof oid !== "string") {
    throw new SignInError("The token has no oid claim, so the signed-in principal is unknown.");
  }
  const idtyp = typeof claims.idtyp === "string" ? claims.idtyp.toLowerCase() : undefined;
  const isUser = idtyp ? idtyp === "user" : typeof claims.scp === "string";
  const appId = (claims.appid ?? claims.azp) as string | undefined;
  const userName = (claims.upn ?? claims.unique_name ?? claims.preferred_username ?? claims.email) as string | undefined;
  return {
    type: isUser ? "User" : "ServicePrincipal",
    objectId: oid,
    tenantId: String(claims.tid ?? ""),
    name: isUser ? (userName ?? oid) : (appId ?? oid),
    ...(isUser ? {} : { appId }),
  };
}

/** One line naming the principal, e.g. `service principal 1111... (object id ..., tenant ...)`. */
export function describePrincipal(p: SignedInPrincipal): string {
  return `${p.type === "User" ? "user" : "service principal"} ${p.name} (object id ${p.objectId}, tenant ${p.tenantId})`;
}
