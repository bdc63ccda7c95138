import * as assert from "assert";
import { planOf } from "./helpers";
import { runPack } from "./lib/policyHarness";
import type { PlannedResource } from "../plan/evaluate";

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/6a3c1f0e-0f5b-4c1e-9a57-2b1e4f0d9c11/";

/** Plan inputs as `pulumi up` would see them: every placeholder filled in, the cluster reporting its issuer. */
function asDeployed(r: PlannedResource): Record<string, any> {
  const fill = (value: unknown): unknown => {
    if (typeof value === "string") {
      return value.replace(/<[^<>]+\.oidcIssuerProfile\.issuerURL>/g, ISSUER).replace(/<[^<>]+\.[^<>]+>/g, "5b1f0c2e-7d4a-4e8b-9c3f-1a2b3c4d5e6f");
    }
    if (Array.isArray(value)) {
      return value.map(fill);
    }
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    }
    return value;
  };
  const props = fill(r.inputs) as Record<string, any>;
  if (r.type === "azure-native:containerservice:ManagedCluster") {
    props.oidcIssuerProfile = { ...props.oidcIssuerProfile, issuerURL: ISSUER };
  }
  return props;
}

describe("the policy pack over the reference stacks", () => {
  for (const stack of ["production", "staging"]) {
    it(`${stack} preview: no violation; only the values a deployment fills in are left to pulumi up, resource by resource`, async () => {
      const out = await runPack((await planOf(stack)).resources);
      assert.deepStrictEqual(out.violations, []);
      // The issuer comes from the new cluster, the caller-validation settings from new identities and
      // app registrations: nothing else is skipped, and no policy is skipped as a whole.
      for (const advisory of out.advisories) {
        assert.match(advisory, /(issuer|variable (AGENT_AUTH_[A-Z_]+|AGENT_CALLEES))/, advisory);
      }
      const credentials = (await planOf(stack)).resources.filter((r) => r.type === "azure-native:managedidentity:FederatedIdentityCredential");
      for (const credential of credentials) {
        assert.ok(out.advisories.some((a) => a.startsWith(`${credential.name}: can't run policy 'federated-credential-serviceaccount'`)), credential.name);
      }
    });

    it(`${stack} at up (every value known, the cluster reporting its issuer): no violation and nothing skipped`, async () => {
      const out = await runPack((await planOf(stack)).resources, asDeployed);
      assert.deepStrictEqual(out, { violations: [], advisories: [] });
    });
  }

  it("still refuses, at preview, an attacker's federated credential slipped into the production graph beside credentials whose issuer is unknown", async () => {
    const resources = [...(await planOf("production")).resources];
    const real = resources.find((r) => r.type === "azure-native:managedidentity:FederatedIdentityCredential")!;
    resources.push({ ...real, urn: "urn:attacker", name: "attacker-fic", inputs: { ...real.inputs, issuer: "https://attacker.example.com/" } });
    const out = await runPack(resources);
    assert.strictEqual(out.violations.length, 1);
    assert.match(out.violations[0], /^federated-credential-serviceaccount attacker-fic: issuer "https:\/\/attacker.example.com\/" is not an AKS OIDC issuer/);
  });

  it("at up, refuses a credential trusting another cluster's issuer in the production graph", async () => {
    const resources = [...(await planOf("production")).resources];
    const real = resources.find((r) => r.type === "azure-native:managedidentity:FederatedIdentityCredential")!;
    const other = "https://eastus.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/0b0f8f5e-1f7a-4c1e-8a57-2b1e4f0d9c22/";
    resources.push({ ...real, urn: "urn:other", name: "other-fic", inputs: { ...real.inputs, issuer: other } });
    const out = await runPack(resources, asDeployed);
    assert.deepStrictEqual(out.violations.length, 1);
    assert.match(out.violations[0], /^federated-credential-cluster-issuer: other-fic: issuer .* is not the OIDC issuer of cluster platform-fabrikam-aks-cluster-aks/);
  });
});
