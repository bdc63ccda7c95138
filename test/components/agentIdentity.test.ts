import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { AgentIdentity } from "../../components";
import { PlanFailedError } from "../../plan/evaluate";
import { TYPES, evaluate, isArgsError, ofType, one } from "../helpers";

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/issuer-guid/";

describe("AgentIdentity", () => {
  it("creates a user-assigned identity and one federated credential per ServiceAccount with the right subject, audience and issuer", async () => {
    const plan = await evaluate(() => {
      const identity = new AgentIdentity("scanner", {
        resourceGroupName: "rg",
        location: "westeurope",
        oidcIssuerUrl: ISSUER,
        serviceAccounts: [
          { namespace: "agents", name: "scanner" },
          { namespace: "batch", name: "scanner-job" },
        ],
      });
      return { clientId: identity.clientId, principalId: identity.principalId };
    });
    const identity = one(plan, TYPES.identity, "scanner-identity");
    assert.strictEqual(identity.inputs.resourceName, "scanner");
    const credentials = ofType(plan, TYPES.credential);
    assert.deepStrictEqual(
      credentials.map((c) => [c.inputs.subject, c.inputs.audiences, c.inputs.issuer, c.inputs.resourceName]).sort(),
      [
        ["system:serviceaccount:agents:scanner", ["api://AzureADTokenExchange"], ISSUER, "scanner"],
        ["system:serviceaccount:batch:scanner-job", ["api://AzureADTokenExchange"], ISSUER, "scanner"],
      ],
    );
    for (const c of credentials) {
      assert.ok(c.dependsOn.includes(identity.urn), "a credential waits for its identity");
      assert.strictEqual(c.parent, one(plan, TYPES.identityComponent, "scanner").urn);
    }
    assert.deepStrictEqual(plan.outputs, { clientId: "<scanner-identity.clientId>", principalId: "<scanner-identity.principalId>" });
  });

  it("chains the credentials of one identity so Azure never sees two concurrent writes", async () => {
    const serviceAccounts = Array.from({ length: 5 }, (_, i) => ({ namespace: "agents", name: `sa-${i}` }));
    const plan = await evaluate(() => new AgentIdentity("chain", { resourceGroupName: "rg", oidcIssuerUrl: ISSUER, serviceAccounts }));
    for (let i = 1; i < serviceAccounts.length; i++) {
      const previous = one(plan, TYPES.credential, `chain-fic-agents-sa-${i - 1}`);
      assert.ok(one(plan, TYPES.credential, `chain-fic-agents-sa-${i}`).dependsOn.includes(previous.urn), `credential ${i} waits for ${i - 1}`);
    }
  });

  it("takes the issuer from another resource's output and depends on it", async () => {
    const plan = await evaluate(() => {
      const group = new resources.ResourceGroup("issuer-source", { resourceGroupName: "rg" });
      return new AgentIdentity("wired", { resourceGroupName: "rg", oidcIssuerUrl: pulumi.interpolate`https://issuer/${group.name}/`, serviceAccounts: [{ namespace: "agents", name: "wired" }] });
    });
    const credential = one(plan, TYPES.credential, "wired-fic-agents-wired");
    assert.strictEqual(credential.inputs.issuer, "https://issuer/rg/");
    assert.ok(credential.dependsOn.includes(one(plan, TYPES.resourceGroup, "issuer-source").urn));
  });

  for (const [title, serviceAccounts, detail] of [
    ["no ServiceAccount", [], /serviceAccounts is empty/],
    ["21 ServiceAccounts", Array.from({ length: 21 }, (_, i) => ({ namespace: "agents", name: `sa-${i}` })), /at most 20 federated credentials per identity/],
    ["a ServiceAccount twice", [{ namespace: "agents", name: "a" }, { namespace: "agents", name: "a" }], /system:serviceaccount:agents:a is listed twice/],
  ] as const) {
    it(`refuses ${title} before registering anything`, async () => {
      await assert.rejects(
        evaluate(() => new AgentIdentity("bad", { resourceGroupName: "rg", oidcIssuerUrl: ISSUER, serviceAccounts: [...serviceAccounts] })),
        (err: unknown) => isArgsError(err, "AgentIdentity", "serviceAccounts") && detail.test((err as PlanFailedError).cause.message),
      );
    });
  }
});
