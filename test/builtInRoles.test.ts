/**
 * Every Azure built-in role by name: the vendored list parses, resolves offline, and a wrong name gets
 * a few near names, not the whole list.
 *
 * Known GUIDs below are from Microsoft's "Azure built-in roles" page
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles), the source of
 * data/azure-built-in-roles.tsv.
 */
import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { ALL_BUILT_IN_ROLES, BUILT_IN_ROLES, BuiltInRolesDataError, builtInRole, builtInRolesFile, parseBuiltInRoles, suggestRoleNames } from "../rules/builtInRoles";
import { ConfigValidationError } from "../config/errors";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";
import { resolveRoleReference } from "../rules/roles";
import { PROJECT_DIR } from "../plan";
import { RawConfig, stackFileConfig } from "./helpers";

const KNOWN: Record<string, string> = {
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
  "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  "Azure Service Bus Data Receiver": "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
  "Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
};

function production(): RawConfig {
  return rawConfigFromPulumi(stackFileConfig("production")) as RawConfig;
}

/** The one issue of a config at a path, or a failure. */
function issueAt(config: RawConfig, issuePath: string): string {
  try {
    validateStackConfig(config);
  } catch (err) {
    assert.ok(err instanceof ConfigValidationError);
    const issue = err.issues.find((i) => i.path === issuePath);
    assert.ok(issue, `no issue at ${issuePath}: ${err.message}`);
    return issue.message;
  }
  return assert.fail("the config was accepted");
}

describe("Azure built-in roles (data/azure-built-in-roles.tsv)", () => {
  it("is vendored in data/ with its source and page date in the header", () => {
    assert.strictEqual(builtInRolesFile(), path.join(PROJECT_DIR, "data", "azure-built-in-roles.tsv"));
    const header = readFileSync(builtInRolesFile(), "utf8").split("\n").filter((l) => l.startsWith("#")).join("\n");
    assert.match(header, /learn\.microsoft\.com\/azure\/role-based-access-control\/built-in-roles/);
    assert.match(header, /page date 2026-04-09/);
  });

  it("parses: 498 roles, no duplicate names (ignoring case) or GUIDs, lowercase GUIDs", () => {
    assert.strictEqual(ALL_BUILT_IN_ROLES.length, 498);
    assert.strictEqual(new Set(ALL_BUILT_IN_ROLES.map((r) => r.name.toLowerCase())).size, 498);
    assert.strictEqual(new Set(ALL_BUILT_IN_ROLES.map((r) => r.guid)).size, 498);
    assert.strictEqual(Object.keys(BUILT_IN_ROLES).length, 498);
    for (const role of ALL_BUILT_IN_ROLES) {
      assert.match(role.guid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it("maps known names to their GUIDs", () => {
    for (const [name, guid] of Object.entries(KNOWN)) {
      assert.strictEqual(BUILT_IN_ROLES[name], guid, name);
      assert.strictEqual(builtInRole(name)?.guid, guid, name);
    }
  });

  it("refuses a malformed list: duplicate names (ignoring case), duplicate GUIDs, bad rows, no header", () => {
    const header = "# comment\ncategory\tname\tguid\n";
    const row = (name: string, guid: string) => `General\t${name}\t${guid}\n`;
    assert.throws(() => parseBuiltInRoles(header + row("Reader", KNOWN.Reader) + row("reader", KNOWN.Owner)), (e: Error) => e instanceof BuiltInRolesDataError && /:4: the name "reader" is already on line 3/.test(e.message));
    assert.throws(() => parseBuiltInRoles(header + row("Reader", KNOWN.Reader) + row("Owner", KNOWN.Reader)), /the GUID acdd72a7-3385-48ef-bd42-f606fba81ae7 is already on line 3/);
    assert.throws(() => parseBuiltInRoles(header + row("Reader", KNOWN.Reader.toUpperCase())), /:3: expected "category<TAB>name<TAB>lowercase guid"/);
    assert.throws(() => parseBuiltInRoles(row("Reader", KNOWN.Reader)), /first row must be the header/);
    assert.deepStrictEqual(parseBuiltInRoles(header + row("Reader", KNOWN.Reader)), [{ category: "General", name: "Reader", guid: KNOWN.Reader }]);
  });
});

describe("roles by name in stack config", () => {
  it("accepts any built-in role by name, beyond the twelve the first release knew", () => {
    const config = production();
    config.agents[1].roleAssignments = [{ role: "Azure Service Bus Data Receiver", scope: "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13" }];
    const valid = validateStackConfig(config);
    assert.strictEqual(valid.agents[1].roleAssignments[0].role, "Azure Service Bus Data Receiver");
    assert.deepStrictEqual(resolveRoleReference("Azure Service Bus Data Receiver", []), { kind: "builtIn", name: "Azure Service Bus Data Receiver", guid: KNOWN["Azure Service Bus Data Receiver"] });
  });

  it("resolves a built-in role's GUID to its name, and keeps unknown GUIDs as GUIDs", () => {
    assert.deepStrictEqual(resolveRoleReference(KNOWN.AcrPull.toUpperCase(), []), { kind: "builtIn", name: "AcrPull", guid: KNOWN.AcrPull });
    assert.deepStrictEqual(resolveRoleReference("11111111-2222-3333-4444-555555555555", []), { kind: "guid", guid: "11111111-2222-3333-4444-555555555555" });
  });

  it("refuses a name that differs only in case, with Azure's spelling as the fix", () => {
    const config = production();
    config.agents[1].roleAssignments = [{ role: "storage blob data reader", scope: "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13" }];
    assert.strictEqual(
      issueAt(config, "agents[1].roleAssignments[0].role"),
      '"storage blob data reader" is not spelt as the built-in role "Storage Blob Data Reader" (role names are matched exactly). Fix: write "Storage Blob Data Reader".',
    );
  });

  it("suggests a few nearest names for a misspelt one, not the whole list", () => {
    const config = production();
    config.agents[1].roleAssignments = [{ role: "Storage Blob Data Reeder", scope: "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13" }];
    const message = issueAt(config, "agents[1].roleAssignments[0].role");
    assert.match(message, /^"Storage Blob Data Reeder" is not a known role\. Fix: use a custom role of this stack \("Sensitive Data Reader"\), a built-in role name \(nearest: "Storage Blob Data Reader"/);
    assert.ok((message.match(/"/g) ?? []).length <= 2 * 5, `at most a few names: ${message}`);
  });

  it("finds names by their words when the spelling is far off, and suggests nothing for nonsense", () => {
    assert.deepStrictEqual(suggestRoleNames("blob reader").slice(0, 1), ["Storage Blob Data Reader"]);
    assert.deepStrictEqual(suggestRoleNames("service bus receiver").slice(0, 1), ["Azure Service Bus Data Receiver"]);
    assert.deepStrictEqual(suggestRoleNames("Contributer").slice(0, 1), ["Contributor"]);
    assert.deepStrictEqual(suggestRoleNames("Xyzzy Plugh"), []);
  });

  it("keeps the stack's custom roles working, and refuses one named like a built-in role in any case", () => {
    assert.doesNotThrow(() => validateStackConfig(production()));
    assert.deepStrictEqual(resolveRoleReference("Sensitive Data Reader", ["Sensitive Data Reader"]), { kind: "custom", name: "Sensitive Data Reader" });
    const config = production();
    config.roleDefinitions[0].name = "reader";
    config.agents[0].jit[0].role = "reader";
    assert.strictEqual(issueAt(config, "roleDefinitions[0].name"), '"reader" is the name of the built-in role "Reader". Fix: choose another name.');
  });
});
