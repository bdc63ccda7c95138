import * as assert from "assert";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import * as components from "../components";
import { PROJECT_DIR } from "../plan";

const PACKAGED = [components.AgentCluster, components.AgentIdentity, components.AgentNamespace, components.AgentWorkload, components.AgentApi, components.CustomRole, components.JitAccess];

describe("the component package for other languages (provider/, PulumiPlugin.yaml)", () => {
  let schema: any;
  before(async () => {
    // The same analysis Pulumi runs when another-language program does `pulumi package add provider`.
    const provider = new ComponentProvider({ name: "agent-identity", dirname: path.join(PROJECT_DIR, "provider"), components: PACKAGED });
    schema = JSON.parse(await provider.getSchema());
  });

  it("exposes every packaged component under its type token", () => {
    assert.strictEqual(schema.name, "agent-identity");
    assert.deepStrictEqual(Object.keys(schema.resources).sort(), PACKAGED.map((c) => `agent-identity:index:${c.name}`).sort());
    for (const resource of Object.values(schema.resources) as any[]) {
      assert.strictEqual(resource.isComponent, true);
    }
  });

  it("derives inputs, their documentation and their optionality from the TypeScript args", () => {
    const identity = schema.resources["agent-identity:index:AgentIdentity"];
    assert.deepStrictEqual(identity.requiredInputs.sort(), ["oidcIssuerUrl", "resourceGroupName", "serviceAccounts"]);
    assert.match(identity.inputProperties.oidcIssuerUrl.description, /never a typed string/);
    assert.strictEqual(identity.properties.clientId.type, "string");
  });

  it("references the azure-native resources it takes as inputs across packages", () => {
    const workload = schema.resources["agent-identity:index:AgentWorkload"];
    assert.match(workload.inputProperties.federatedCredentials.items.$ref, /azure-native.*managedidentity:FederatedIdentityCredential$/);
  });

  it("needs no callbacks or unions: nothing in the schema is typed as a function or any", () => {
    assert.doesNotMatch(JSON.stringify(schema), /pulumi\.json#\/Any|"type":"function"/);
  });
});

describe("the package as TypeScript consumers import it", () => {
  it("resolves by name to the built components with type declarations, registering nothing on import", () => {
    const pkg = require(path.join(PROJECT_DIR, "package.json"));
    assert.strictEqual(pkg.exports["."].types, "./bin/components/index.d.ts");
    const byName = require("agent-identity");
    assert.strictEqual(byName.AgentIdentity, components.AgentIdentity, "self-reference resolves to the same module");
  });
});
