/**
 * Turns @azure/identity's credential failures (a chained credential's wall of per-credential
 * messages) into one line that says what to do. Matched on `Error.name`, which @azure/identity
 * documents as stable (`CredentialUnavailableErrorName`, `AuthenticationErrorName`,
 * `AggregateAuthenticationErrorName`).
 */
import { CredentialRefusedError, JitError, NoCredentialError } from "../errors";

interface NamedError {
  name?: unknown;
  message?: unknown;
  errors?: unknown;
  errorResponse?: { error?: unknown; errorDescription?: unknown };
}

function isAuthenticationError(err: NamedError): boolean {
  return err.name === "AuthenticationError" || err.name === "AuthenticationRequiredError";
}

/** AADSTS code and the first line of Entra ID's description, for one-line messages. */
function detailOf(err: NamedError): string {
  const description = String(err.errorResponse?.errorDescription ?? err.message ?? "");
  const code = /AADSTS\d+/.exec(description)?.[0];
  const first = description.split(/\r?\n/)[0].trim().slice(0, 200);
  return code && !first.includes(code) ? `${code}: ${first}` : first || "no detail";
}

/** The {@link JitError} for a credential failure, or undefined when `err` is not one. */
export function credentialFailure(err: unknown): JitError | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as NamedError;
  if (e.name === "AggregateAuthenticationError") {
    const refused = (Array.isArray(e.errors) ? (e.errors as NamedError[]) : []).find((inner) => inner && isAuthenticationError(inner));
    return refused ? new CredentialRefusedError(detailOf(refused), { cause: err }) : new NoCredentialError({ cause: err });
  }
  if (e.name === "CredentialUnavailableError") {
    return new NoCredentialError({ cause: err });
  }
  if (isAuthenticationError(e)) {
    return new CredentialRefusedError(detailOf(e), { cause: err });
  }
  return undefined;
}
