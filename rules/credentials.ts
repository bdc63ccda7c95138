/**
 * Credential detection shared by the stack config validation and the policy pack: one pure module,
 * so that a variable refused in `agents[].env` is refused in any rendered workload too. Names are read
 * in any case style (`PGPASSWORD`, `dbPassword`, `DB-PASSWORD`, `REDIS_PASS`); values are matched
 * against the shapes credentials have (connection strings, URLs with a password, well-known key
 * prefixes, private keys, JWTs). Deploy-time only: runtime packages never import it.
 */

/** What kind of credential was found; it decides which fix fits. */
export type CredentialKind =
  /** A key, SAS or connection string of an Azure service that accepts Entra ID (storage, Service Bus, ...). */
  | "azure-key"
  /** A password or connection string with a password. */
  | "password"
  /** An API key or token of another service (GitHub, OpenAI, Slack, AWS, ...). */
  | "api-key"
  /** A bearer token or JWT: short-lived, so fetch it at run time. */
  | "token"
  /** A private key or certificate. */
  | "private-key"
  /** Credentials of a container registry. */
  | "registry";

/** One finding: the kind, and what gave it away. */
export interface CredentialFinding {
  /** The kind of credential. */
  kind: CredentialKind;
  /** What gave it away, for the message (never the value itself). */
  reason: string;
}

/** Name words that are a credential on their own (`DB_PASSWORD`, `REDIS_PASS`, `GITHUB_TOKEN`). */
const CREDENTIAL_WORDS: Record<string, CredentialKind> = {
  PASSWORD: "password",
  PASSWD: "password",
  PWD: "password",
  PASS: "password",
  PASSPHRASE: "password",
  SECRET: "api-key",
  SECRETS: "api-key",
  TOKEN: "token",
  APIKEY: "api-key",
  CREDENTIAL: "api-key",
  CREDENTIALS: "api-key",
  CREDS: "api-key",
  CONNECTIONSTRING: "password",
  CONNSTR: "password",
  SAS: "azure-key",
  PRIVATEKEY: "private-key",
  ACCOUNTKEY: "azure-key",
  ACCESSKEY: "api-key",
  CLIENTSECRET: "api-key",
};

/** Words that end a single-word name glued together (`PGPASSWORD`, `GHTOKEN`, `CLIENTSECRET`). */
const CREDENTIAL_SUFFIXES: Array<[string, CredentialKind]> = [
  ["PASSWORD", "password"],
  ["PASSWD", "password"],
  ["SECRET", "api-key"],
  ["APIKEY", "api-key"],
  ["TOKEN", "token"],
];

/** Adjacent words that mark a credential (`API_KEY`, `ACCOUNT_KEY`, `apiKey`). */
const CREDENTIAL_PAIRS: Record<string, CredentialKind> = {
  "API KEY": "api-key",
  "ACCESS KEY": "api-key",
  "SECRET KEY": "api-key",
  "ACCOUNT KEY": "azure-key",
  "SHARED KEY": "azure-key",
  "MASTER KEY": "azure-key",
  "PRIMARY KEY": "azure-key",
  "SECONDARY KEY": "azure-key",
  "PRIVATE KEY": "private-key",
  "SIGNING KEY": "private-key",
  "ENCRYPTION KEY": "private-key",
  "CLIENT SECRET": "api-key",
  "CONNECTION STRING": "password",
  "CONNECTION STRINGS": "password",
  "AUTH KEY": "api-key",
};

/**
 * Last words that make a name describe a credential rather than hold one: `TOKEN_URL` (where to get
 * a token), `PASSWORD_POLICY`, `KEYVAULT_SECRET_NAME` (which Key Vault secret to read),
 * `AZURE_FEDERATED_TOKEN_FILE` (a path; the webhook's own variable). Their values are still checked.
 */
const DESCRIPTOR_LAST_WORDS = new Set([
  "URL",
  "URI",
  "ENDPOINT",
  "HOST",
  "NAME",
  "FILE",
  "PATH",
  "DIR",
  "POLICY",
  "LENGTH",
  "TTL",
  "LIFETIME",
  "EXPIRY",
  "EXPIRATION",
  "AUDIENCE",
  "SCOPE",
  "HEADER",
  "TYPE",
  "VERSION",
  "ENABLED",
  "PROVIDER",
]);

/** Names that are not credentials although a word matches (the shell's working directories). */
const WELL_KNOWN_NAMES = new Set(["PWD", "OLDPWD"]);

/** Splits a name in any case style into upper-case words: `dbPassword` -> DB, PASSWORD; `DB-PASSWORD` -> DB, PASSWORD. */
export function nameWords(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []).map((w) => w.toUpperCase());
}

/** The credential a variable, Secret or ConfigMap key name says it holds, or undefined. */
export function credentialInName(name: string): CredentialFinding | undefined {
  const words = nameWords(name);
  if (words.length === 0 || WELL_KNOWN_NAMES.has(name.toUpperCase())) {
    return undefined;
  }
  if (words.length > 1 && DESCRIPTOR_LAST_WORDS.has(words[words.length - 1])) {
    return undefined;
  }
  const azure = words.some((w) => AZURE_SERVICE_WORDS.has(w));
  const found = (kind: CredentialKind, what: string): CredentialFinding => ({
    kind: azure && (kind === "api-key" || kind === "password") ? "azure-key" : kind,
    reason: `the name ${JSON.stringify(name)} says it holds ${what}`,
  });
  for (let i = 0; i + 1 < words.length; i++) {
    const pair = CREDENTIAL_PAIRS[`${words[i]} ${words[i + 1]}`];
    if (pair) {
      return found(pair, `a ${words[i].toLowerCase()} ${words[i + 1].toLowerCase()}`);
    }
  }
  if (words.length > 1 && words[words.length - 1] === "KEY" && KEYED_SERVICES.has(words[words.length - 2])) {
    return found("api-key", `the key of ${words[words.length - 2].toLowerCase()}`);
  }
  for (const word of words) {
    const kind = CREDENTIAL_WORDS[word];
    if (kind) {
      return found(kind, `a ${word.toLowerCase()}`);
    }
    const suffix = CREDENTIAL_SUFFIXES.find(([s]) => word.length > s.length && word.endsWith(s));
    if (suffix) {
      return found(suffix[1], `a ${suffix[0].toLowerCase()}`);
    }
  }
  return undefined;
}

/** Words that name an Azure service which accepts Entra ID tokens instead of keys. */
const AZURE_SERVICE_WORDS = new Set(["AZURE", "STORAGE", "BLOB", "QUEUE", "SERVICEBUS", "EVENTHUB", "EVENTHUBS", "COSMOS", "COSMOSDB", "SEARCH", "COGNITIVE"]);

/** Services whose `<SERVICE>_KEY` is a credential (`AZURE_STORAGE_KEY`, `OPENAI_KEY`); a bare `_KEY` is often not (`CACHE_KEY`). */
const KEYED_SERVICES = new Set([...AZURE_SERVICE_WORDS, "OPENAI", "ANTHROPIC", "STRIPE", "SENDGRID", "TWILIO", "GITHUB", "SLACK", "MAPS", "TRANSLATOR", "SPEECH"]);

/** Value shapes that are credentials whatever the variable is called. */
const VALUE_PATTERNS: Array<{ pattern: RegExp; kind: CredentialKind; reason: string }> = [
  { pattern: /(^|;)\s*AccountKey\s*=/i, kind: "azure-key", reason: "an Azure storage connection string with AccountKey" },
  { pattern: /(^|;)\s*SharedAccessKey\s*=/i, kind: "azure-key", reason: "a connection string with SharedAccessKey" },
  { pattern: /SharedAccessSignature\s*=/i, kind: "azure-key", reason: "a shared access signature" },
  { pattern: /[?&]sig=[^&\s]+/i, kind: "azure-key", reason: "a URL with a SAS signature (sig=)" },
  { pattern: /(^|;)\s*(password|pwd)\s*=\s*[^;\s]/i, kind: "password", reason: "a connection string with a password" },
  { pattern: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, kind: "password", reason: "a URL with user:password" },
  { pattern: /[?&](password|passwd|pwd|access_token|api[-_]?key|client_secret)=[^&\s#]+/i, kind: "api-key", reason: "a URL with a credential in its query" },
  { pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/, kind: "private-key", reason: "a private key" },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, kind: "token", reason: "a JWT" },
  { pattern: /^(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}$/i, kind: "token", reason: "an Authorization header value" },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, kind: "api-key", reason: "a GitHub token (ghp_/gho_/ghu_/ghs_/ghr_)" },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/, kind: "api-key", reason: "a GitHub fine-grained token" },
  { pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, kind: "api-key", reason: "an AWS access key id" },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/, kind: "api-key", reason: "a Slack token" },
  { pattern: /\bsk-(proj-|ant-)?[A-Za-z0-9_-]{20,}/, kind: "api-key", reason: "an OpenAI-style secret key (sk-)" },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}\b/, kind: "api-key", reason: "a Google API key" },
  { pattern: /\bnpm_[A-Za-z0-9]{36}\b/, kind: "api-key", reason: "an npm token" },
  { pattern: /\b[rs]k_live_[A-Za-z0-9]{16,}/, kind: "api-key", reason: "a Stripe live key" },
  { pattern: /"auths"\s*:\s*\{[^}]*"(auth|password)"\s*:/, kind: "registry", reason: "registry credentials (a Docker config)" },
];

/** The credential a value carries, or undefined. The reason never repeats the value. */
export function credentialInValue(value: string): CredentialFinding | undefined {
  for (const { pattern, kind, reason } of VALUE_PATTERNS) {
    if (pattern.test(value)) {
      return { kind, reason: `the value is ${reason}` };
    }
  }
  return undefined;
}

/** The first credential a name or its value gives away, name first. */
export function findCredential(name: string, value?: string): CredentialFinding | undefined {
  return credentialInName(name) ?? (typeof value === "string" ? credentialInValue(value) : undefined);
}

/** The fix that fits a kind of credential: what to do instead of storing it. */
export function credentialFix(kind: CredentialKind): string {
  switch (kind) {
    case "azure-key":
      return "remove it; grant the agent's identity a data role on the service (e.g. Storage Blob Data Reader) and use a client that supports workload identity (DefaultAzureCredential), configured with the endpoint URL only (e.g. AZURE_STORAGE_ACCOUNT_URL).";
    case "token":
      return "remove it; tokens expire, so get one at run time with the agent's workload identity (DefaultAzureCredential), or keep the upstream secret in Key Vault and read it with the agent's identity.";
    case "private-key":
      return "remove it; keep the key or certificate in Azure Key Vault and sign or read it there with the agent's identity (Key Vault Crypto User / Certificate User), passing only the vault URL and the key's name.";
    case "registry":
      return "remove it; let the cluster's kubelet identity pull from Azure Container Registry (AcrPull on the registry) instead of registry credentials.";
    case "password":
      return "remove it; use Entra ID authentication with the agent's identity where the service supports it (Azure SQL, Azure Database for PostgreSQL/MySQL, Redis with Entra ID), otherwise keep it in Azure Key Vault and read it at run time with the agent's identity (Key Vault Secrets User), passing only KEYVAULT_URL and the secret's name.";
    case "api-key":
      return "remove it; keep it in Azure Key Vault and read it at run time with the agent's identity (Key Vault Secrets User on that secret), passing only KEYVAULT_URL and the secret's name.";
  }
}
