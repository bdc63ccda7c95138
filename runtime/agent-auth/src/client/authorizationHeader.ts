/**
 * For callers: a `Bearer` header for a callee, from the agent's own workload identity. The credential
 * is any `TokenCredential` (`new DefaultAzureCredential()` from @azure/identity in a pod); this package
 * itself depends only on jose.
 */

/** The one method of @azure/core-auth's TokenCredential this helper needs. */
export interface TokenSource {
  getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/** Where a callee is and which token it wants, as the platform writes it into AGENT_CALLEES. */
export interface CalleeEndpoint {
  /** In-cluster base URL. */
  url: string;
  /** Token scope, `api://<callee client id>/.default`. */
  scope: string;
}

/** The callees of this agent, from AGENT_CALLEES. */
export function calleesFromEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, CalleeEndpoint> {
  const raw = env.AGENT_CALLEES;
  if (!raw) {
    return {};
  }
  const parsed = JSON.parse(raw) as Record<string, CalleeEndpoint>;
  return parsed;
}

/** `Bearer <token>` for the scope; the SDK credential caches and refreshes the token. */
export async function authorizationHeaderFor(scope: string, credential: TokenSource): Promise<string> {
  const token = await credential.getToken(scope);
  if (!token) {
    throw new Error(`No token for ${scope}. Fix: check the agent's workload identity and its app role grant on the callee.`);
  }
  return `Bearer ${token.token}`;
}
