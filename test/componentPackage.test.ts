import * as assert from "assert";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import * as components from "../components";
import * as choices from "../rules/choices";
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

  it("shows every closed set of choices as an enum type whose values are exactly the choice object's", () => {
    // Pulumi's analyzer turns an `as const` object with a type of the same name into an enum type
    // (@pulumi/pulumi provider/experimental/analyzer.js, the `as const` object pattern of analyzeType).
    const cluster = schema.resources["agent-identity:index:AgentCluster"].inputProperties;
    const nodePool = schema.types["agent-identity:index:SystemNodePoolArgs"].properties;
    const approver = schema.types["agent-identity:index:PimApprover"].properties;
    const fields: Array<[string, any, Record<string, string>]> = [
      ["AgentCluster.skuTier", cluster.skuTier, choices.SkuTier],
      ["AgentCluster.upgradeChannel", cluster.upgradeChannel, choices.UpgradeChannel],
      ["AgentCluster.nodeOsUpgradeChannel", cluster.nodeOsUpgradeChannel, choices.NodeOsUpgradeChannel],
      ["AgentCluster.networkPolicy", cluster.networkPolicy, choices.NetworkPolicy],
      ["AgentCluster.kubeloginMode", cluster.kubeloginMode, choices.KubeloginMode],
      ["AgentCluster.deployerPrincipalType", cluster.deployerPrincipalType, choices.DeployerPrincipalType],
      ["SystemNodePoolArgs.osSku", nodePool.osSku, choices.OsSku],
      ["SystemNodePoolArgs.availabilityZones[]", nodePool.availabilityZones.items, choices.AvailabilityZone],
      ["PimApprover.type", approver.type, choices.ApproverType],
    ];
    for (const [field, property, table] of fields) {
      const ref = /^#\/types\/(agent-identity:index:\w+)$/.exec(property.$ref ?? "");
      assert.ok(ref, `${field} refers to an enum type, not ${JSON.stringify(property)}`);
      const type = schema.types[ref[1]];
      assert.strictEqual(type.type, "string", field);
      const byValue = (a: { value: string }, b: { value: string }) => a.value.localeCompare(b.value);
      assert.deepStrictEqual(
        type.enum.map((m: { name: string; value: string }) => ({ name: m.name, value: m.value })).sort(byValue),
        Object.entries(table).map(([name, value]) => ({ name, value })).sort(byValue),
        field,
      );
    }
    assert.strictEqual(schema.types["agent-identity:index:SkuTier"].enum.find((m: any) => m.value === "Standard").description, "Financially backed uptime SLA for the API server.");
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
