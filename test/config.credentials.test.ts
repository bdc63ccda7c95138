import * as assert from "assert";
import { RawConfig, mutatedConfig } from "./helpers";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";
import { ConfigValidationError } from "../config/errors";

const SCOPE = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-agents-production";

/** Validates the production config after `mutate`; returns the issues (empty when accepted). */
function issuesOf(mutate: (c: RawConfig) => void): Array<{ path: string; message: string }> {
  try {
    validateStackConfig(rawConfigFromPulumi(mutatedConfig("production", mutate)));
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigValidationError, String(error));
    return error.issues;
  }
}

describe("stack config: the pack's credential detection for agents[].env", () => {
  it("refuses credential names in any case style with a fix that fits: Key Vault with the agent's identity, or a workload-identity client for Azure keys", () => {
    const cases: Array<[string, string, RegExp]> = [
      ["PGPASSWORD", "x", /Key Vault .*agent's identity/],
      ["REDIS_PASS", "x", /Key Vault/],
      ["dbPassword", "x", /Entra ID authentication/],
      ["GITHUB_TOKEN", "x", /workload identity/],
      ["AZURE_STORAGE_KEY", "x", /DefaultAzureCredential/],
      ["AZURE_OPENAI_API_KEY", "x", /data role .*DefaultAzureCredential/],
      ["STRIPE_API_KEY", "x", /Key Vault Secrets User/],
    ];
    for (const [name, value, fix] of cases) {
      const issues = issuesOf((c) => (c.agents[0].env[name] = value));
      assert.strictEqual(issues.length, 1, name);
      assert.strictEqual(issues[0].path, `agents[0].env.${name}`);
      assert.match(issues[0].message, /looks like a credential/);
      assert.match(issues[0].message, fix, name);
    }
  });

  it("refuses credential values under ordinary names: a connection string with a password, a URL with user:password, a GitHub or AWS key", () => {
    for (const value of ["Server=db;Database=app;Password=hunter2", "postgres://app:hunter2@db:5432/app", "ghp_" + "a".repeat(36), "AKIAIOSFODNN7EXAMPLE"]) {
      const issues = issuesOf((c) => (c.agents[1].env.DATABASE = value));
      assert.strictEqual(issues.length, 1, value);
      assert.strictEqual(issues[0].path, "agents[1].env.DATABASE");
      assert.ok(!issues[0].message.includes(value) && !issues[0].message.includes("hunter2"), "the message never repeats the secret");
    }
  });

  it("accepts ordinary names and endpoints: LOG_LEVEL, MAX_TOKENS, SCAN_PROFILE, KEYVAULT_URL, AZURE_STORAGE_ACCOUNT_URL, TOKEN_URL, PASSWORD_POLICY, KEYVAULT_SECRET_NAME", () => {
    assert.deepStrictEqual(
      issuesOf((c) =>
        Object.assign(c.agents[0].env, {
          LOG_LEVEL: "info",
          MAX_TOKENS: "4096",
          SCAN_PROFILE: "deep",
          KEYVAULT_URL: "https://fabrikam.vault.azure.net/",
          AZURE_STORAGE_ACCOUNT_URL: "https://fabrikamdata.blob.core.windows.net/",
          TOKEN_URL: "https://login.microsoftonline.com/",
          PASSWORD_POLICY: "strict",
          KEYVAULT_SECRET_NAME: "github-app-key",
        }),
      ),
      [],
    );
  });
});

describe("stack config: privileged roles are never standing unless allowed per assignment with a reason", () => {
  // Owner, Contributor, User Access Administrator, RBAC Administrator and the two AKS cluster-admin roles,
  // by built-in name where the project knows it and by GUID otherwise (GUIDs from the "Azure built-in roles" page).
  const PRIVILEGED = [
    "Owner",
    "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    "Azure Kubernetes Service RBAC Cluster Admin",
    "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8",
    "8E3AF657-A8FF-443C-A75C-2FE8C4BCB635",
  ];

  it("refuses each privileged role standing, naming the key and the allowPrivileged way out", () => {
    for (const role of PRIVILEGED) {
      const issues = issuesOf((c) => c.agents[0].roleAssignments.push({ role, scope: SCOPE }));
      assert.strictEqual(issues.length, 1, role);
      assert.match(issues[0].path, /^agents\[0\]\.roleAssignments\[\d+\]\.role$/);
      assert.match(issues[0].message, /privileged role .* sensitive by default.*allowPrivileged: \{ reason/, role);
    }
  });

  it("accepts a privileged role standing with allowPrivileged and a reason", () => {
    for (const role of PRIVILEGED) {
      assert.deepStrictEqual(issuesOf((c) => c.agents[0].roleAssignments.push({ role, scope: SCOPE, allowPrivileged: { reason: "cleans up stale preview environments nightly" } })), [], role);
    }
  });

  it("refuses an allowPrivileged without a real reason, or on a role that is not privileged", () => {
    const short = issuesOf((c) => c.agents[0].roleAssignments.push({ role: "Owner", scope: SCOPE, allowPrivileged: { reason: "needed" } }));
    assert.match(short[0].path, /allowPrivileged\.reason$/);
    const missing = issuesOf((c) => c.agents[0].roleAssignments.push({ role: "Owner", scope: SCOPE, allowPrivileged: {} }));
    assert.match(missing[0].path, /allowPrivileged\.reason$/);
    const needless = issuesOf((c) => c.agents[0].roleAssignments.push({ role: "Reader", scope: SCOPE, allowPrivileged: { reason: "cleans up stale preview environments nightly" } }));
    assert.strictEqual(needless.length, 1);
    assert.match(needless[0].message, /not a privileged role.*remove allowPrivileged/);
  });

  it("does not let allowPrivileged override a role the stack lists as sensitive or puts behind just-in-time access", () => {
    const issues = issuesOf((c) => {
      c.sensitiveRoles = [...(c.sensitiveRoles ?? []), "Contributor"];
      c.agents[0].roleAssignments.push({ role: "Contributor", scope: SCOPE, allowPrivileged: { reason: "cleans up stale preview environments nightly" } });
    });
    assert.strictEqual(issues.length, 1);
    assert.match(issues[0].message, /listed in sensitiveRoles\) and can never be assigned standing/);
  });
});
