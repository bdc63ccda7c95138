import * as assert from "assert";
import { credentialFix, credentialInName, credentialInValue, nameWords } from "../rules/credentials";

describe("credential detection (rules/credentials, shared by the stack config and the policy pack)", () => {
  it("reads names in any case style: PGPASSWORD, dbPassword, DB-PASSWORD, REDIS_PASS, apiKey, db.password", () => {
    assert.deepStrictEqual(nameWords("dbPassword"), ["DB", "PASSWORD"]);
    assert.deepStrictEqual(nameWords("DB-PASSWORD"), ["DB", "PASSWORD"]);
    assert.deepStrictEqual(nameWords("OpenAIApiKey"), ["OPEN", "AI", "API", "KEY"]);
    for (const name of ["PGPASSWORD", "dbPassword", "DB-PASSWORD", "REDIS_PASS", "apiKey", "db.password", "OPENAI_API_KEY", "GITHUB_TOKEN", "ghToken", "CLIENT_SECRET", "clientSecret", "AZURE_STORAGE_ACCOUNT_KEY", "STORAGE_CONNECTION_STRING", "ConnectionStrings__Default", "SAS", "private-key", "AWS_SECRET_ACCESS_KEY", "MYSQL_ROOT_PASSWD", "DB_PWD"]) {
      assert.ok(credentialInName(name), name);
    }
  });

  it("passes ordinary names: LOG_LEVEL, MAX_TOKENS, SCAN_PROFILE, KEYVAULT_URL, AZURE_STORAGE_ACCOUNT_URL and names that describe a credential without holding one", () => {
    // TOKEN_URL, PASSWORD_POLICY, KEYVAULT_SECRET_NAME and AZURE_FEDERATED_TOKEN_FILE name where a
    // credential is obtained or which one to read, not the credential: the last word decides, and their
    // values are still checked.
    for (const name of ["LOG_LEVEL", "MAX_TOKENS", "SCAN_PROFILE", "KEYVAULT_URL", "AZURE_STORAGE_ACCOUNT_URL", "TOKEN_URL", "PASSWORD_POLICY", "KEYVAULT_SECRET_NAME", "AZURE_FEDERATED_TOKEN_FILE", "TOKENIZER_MODEL", "KEYWORDS", "SECRETARY_NAME", "PWD", "CACHE_KEY", "BYPASS_CACHE", "PORT"]) {
      assert.strictEqual(credentialInName(name), undefined, name);
    }
  });

  it("flags values that carry a credential whatever the name: connection strings with a password, URLs with user:password, well-known key prefixes, private keys, JWTs", () => {
    const cases: Array<[string, string]> = [
      ["DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc==;EndpointSuffix=core.windows.net", "azure-key"],
      ["Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=abc=", "azure-key"],
      ["https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=abc%3D", "azure-key"],
      ["Server=tcp:db.database.windows.net;Database=app;User ID=app;Password=hunter2;", "password"],
      ["Host=db;Username=app;Pwd=hunter2", "password"],
      ["postgres://app:hunter2@db.example.com:5432/app", "password"],
      ["redis://:hunter2@cache:6379", "password"],
      ["https://api.example.com/v1?api_key=abcdef123456", "api-key"],
      ["ghp_" + "a".repeat(36), "api-key"],
      ["github_pat_" + "A1".repeat(20), "api-key"],
      ["AKIAIOSFODNN7EXAMPLE", "api-key"],
      ["xoxb-1234567890-abcdefghij", "api-key"],
      ["sk-proj-" + "x".repeat(40), "api-key"],
      ["-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----", "private-key"],
      ["-----BEGIN RSA PRIVATE KEY-----", "private-key"],
      ["eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2ln", "token"],
      ["Bearer abcdefghijklmnopqrstuvwxyz012345", "token"],
      ['{"auths":{"fabrikam.azurecr.io":{"auth":"dXNlcjpwYXNz"}}}', "registry"],
    ];
    for (const [value, kind] of cases) {
      assert.strictEqual(credentialInValue(value)?.kind, kind, value);
    }
  });

  it("passes ordinary values: endpoints, URLs without a password, versions, GUIDs, short sk- strings", () => {
    for (const value of [
      "https://fabrikam-vault.vault.azure.net/",
      "https://fabrikamcustomerdata.blob.core.windows.net/",
      "https://login.microsoftonline.com/",
      "postgres://db.example.com:5432/app",
      "info",
      "4096",
      "00000000-0000-0000-0000-000000000000",
      "sk-1",
      "deep",
      "Server=tcp:db.database.windows.net;Database=app;Authentication=Active Directory Default",
    ]) {
      assert.strictEqual(credentialInValue(value), undefined, value);
    }
  });

  it("never repeats the value in the reason", () => {
    const finding = credentialInValue("postgres://app:hunter2@db/app")!;
    assert.ok(!finding.reason.includes("hunter2"));
  });

  it("gives a fix that fits the kind: workload identity for Azure keys, Key Vault with the agent's identity for third-party secrets, AcrPull for registries", () => {
    assert.match(credentialFix("azure-key"), /DefaultAzureCredential/);
    assert.match(credentialFix("api-key"), /Key Vault .*agent's identity/);
    assert.match(credentialFix("password"), /Entra ID authentication .*Key Vault/);
    assert.match(credentialFix("registry"), /AcrPull/);
    assert.match(credentialFix("private-key"), /Key Vault/);
    assert.match(credentialFix("token"), /workload identity/);
    assert.strictEqual(credentialInName("AZURE_STORAGE_KEY")!.kind, "azure-key");
    assert.strictEqual(credentialInName("OPENAI_KEY")!.kind, "api-key");
    assert.strictEqual(credentialInName("AZURE_OPENAI_API_KEY")!.kind, "azure-key");
    assert.strictEqual(credentialInName("STRIPE_API_KEY")!.kind, "api-key");
  });
});
