/**
 * How config errors read: agents named, one error per bad value, scopes compared as ARM compares them.
 */
import * as assert from "assert";
import { ConfigValidationError } from "../config/errors";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";
import { RawConfig, stackFileConfig } from "./helpers";

function production(): RawConfig {
  return rawConfigFromPulumi(stackFileConfig("production")) as RawConfig;
}

function issuesOf(config: RawConfig): ConfigValidationError["issues"] {
  try {
    validateStackConfig(config);
  } catch (err) {
    assert.ok(err instanceof ConfigValidationError);
    return err.issues;
  }
  return assert.fail("the config was accepted");
}

describe("config errors", () => {
  it("name the agent an issue lies in, keeping the index path that pulumi config set --path takes", () => {
    const config = production();
    config.agents[1].image = "fabrikamagents.azurecr.io/agents/style-checker";
    const [issue] = issuesOf(config);
    assert.strictEqual(issue.path, "agents[1].image");
    assert.strictEqual(issue.subject, 'agent "style-checker"');
  });

  it("name the custom role an issue lies in", () => {
    const config = production();
    config.roleDefinitions[0].assignableScopes = [];
    const [issue] = issuesOf(config);
    assert.strictEqual(issue.path, "roleDefinitions[0].assignableScopes");
    assert.strictEqual(issue.subject, 'custom role "Sensitive Data Reader"');
  });

  it("accept scopes in any case, as ARM does (/resourcegroups/, /PROVIDERS/)", () => {
    const config = production();
    const scope: string = config.agents[0].jit[0].scope;
    config.agents[0].jit[0].scope = scope.replace("/resourceGroups/", "/resourcegroups/").replace("/providers/", "/PROVIDERS/");
    config.agents[1].roleAssignments = [{ role: "Reader", scope: scope.replace("/subscriptions/", "/Subscriptions/") }];
    assert.doesNotThrow(() => validateStackConfig(config));
  });

  it("give one error for one malformed JIT scope (not also 'outside the assignable scopes')", () => {
    const config = production();
    config.agents[0].jit[0].scope = "fabrikamcustomerdata";
    const issues = issuesOf(config);
    assert.deepStrictEqual(issues.map((i) => i.path), ["agents[0].jit[0].scope"]);
    assert.match(issues[0].message, /is not an Azure scope/);
  });

  it("give one error for a scope that is too long (not also a format mismatch echoing it)", () => {
    const config = production();
    config.agents[0].jit[0].scope = `/subscriptions/${"x".repeat(1100)}`;
    const issues = issuesOf(config);
    assert.deepStrictEqual(issues.map((i) => i.path), ["agents[0].jit[0].scope"]);
    assert.match(issues[0].message, /^is longer than 1024 characters/);
  });
});
