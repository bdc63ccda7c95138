import * as assert from "assert";
import { UNKNOWN, runResourcePolicy, runStackPolicy, resourceViolations, stackViolations } from "./lib/policyHarness";

// AKS issuer form: https://{region}.oic.prod-aks.azure.com/{tenant_id}/{uuid}/ (learn.microsoft.com/azure/aks/workload-identity-deploy-cluster,
// "Retrieve the OIDC issuer URL"); the older form https://oidc.prod-aks.azure.com/{uuid}/ predates regional issuers.
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/6a3c1f0e-0f5b-4c1e-9a57-2b1e4f0d9c11/";
const OTHER_CLUSTER = "https://eastus.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/0b0f8f5e-1f7a-4c1e-8a57-2b1e4f0d9c22/";
const SUBJECT = "system:serviceaccount:agents:security-scanner";
const AUDIENCES = ["api://AzureADTokenExchange"];

const MI = "azure-native:managedidentity:FederatedIdentityCredential";
const MI_VERSIONED = "azure-native:managedidentity/v20230131:FederatedIdentityCredential";
const CLASSIC = "azure:armmsi/federatedIdentityCredential:FederatedIdentityCredential";
// azuread 6.x (node_modules/@pulumi/azuread/applicationFederatedIdentityCredential.js and applicationFlexibleFederatedIdentityCredential.js);
// there is no older "applicationFederatedCredential" resource in azuread.
const APP = "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential";
const APP_FLEXIBLE = "azuread:index/applicationFlexibleFederatedIdentityCredential:ApplicationFlexibleFederatedIdentityCredential";
const CLUSTER = "azure-native:containerservice:ManagedCluster";

const shape = (type: string, props: Record<string, unknown>) => resourceViolations("federated-credential-serviceaccount", type, props);

describe("policy federated-credential-serviceaccount: only an AKS OIDC issuer over https", () => {
  it("accepts an AKS regional issuer, and the older oidc.prod-aks.azure.com form, on every credential type", async () => {
    for (const type of [MI, MI_VERSIONED, APP]) {
      assert.deepStrictEqual(await shape(type, { issuer: ISSUER, subject: SUBJECT, audiences: AUDIENCES }), [], type);
    }
    // The classic azure provider takes a single audience string.
    assert.deepStrictEqual(await shape(CLASSIC, { issuer: ISSUER, subject: SUBJECT, audience: "api://AzureADTokenExchange" }), []);
    assert.deepStrictEqual(await shape(MI, { issuer: "https://oidc.prod-aks.azure.com/6a3c1f0e-0f5b-4c1e-9a57-2b1e4f0d9c11/", subject: SUBJECT, audiences: AUDIENCES }), []);
  });

  it("refuses an attacker's issuer, plain http, look-alike hosts and GitHub's issuer, on managed identity and azuread application credentials", async () => {
    const bad = [
      "https://attacker.example.com/",
      ISSUER.replace("https://", "http://"),
      "https://westeurope.oic.prod-aks.azure.com.attacker.example/72f988bf-86f1-41af-91ab-2d7cd011db47/6a3c1f0e-0f5b-4c1e-9a57-2b1e4f0d9c11/",
      "https://evil-oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/6a3c1f0e-0f5b-4c1e-9a57-2b1e4f0d9c11/",
      "https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/6a3c1f0e-0f5b-4c1e-9a57-2b1e4f0d9c11/../../attacker/",
      "https://token.actions.githubusercontent.com",
    ];
    for (const type of [MI, MI_VERSIONED, APP, CLASSIC]) {
      for (const issuer of bad) {
        const props = type === CLASSIC ? { issuer, subject: SUBJECT, audience: "api://AzureADTokenExchange" } : { issuer, subject: SUBJECT, audiences: AUDIENCES };
        const found = await shape(type, props);
        assert.strictEqual(found.length, 1, `${type} ${issuer}`);
        assert.match(found[0], /not an AKS OIDC issuer over https/);
      }
    }
  });

  it("refuses a credential with no issuer or no subject (fails closed)", async () => {
    assert.match((await shape(MI, { subject: SUBJECT, audiences: AUDIENCES }))[0], /issuer undefined/);
    assert.match((await shape(APP, { issuer: ISSUER, audiences: AUDIENCES }))[0], /subject undefined/);
  });

  it("refuses every flexible (claims-expression) application credential", async () => {
    const found = await shape(APP_FLEXIBLE, { issuer: "https://token.actions.githubusercontent.com", audience: "api://AzureADTokenExchange", claimsMatchingExpression: "claims['sub'] matches 'repo:*'" });
    assert.strictEqual(found.length, 1);
    assert.match(found[0], /claims expression/);
  });

  it("during preview, an issuer taken from a new cluster is unknown: that check is skipped as advisory, subject and audience are still checked", async () => {
    const out = await runResourcePolicy("federated-credential-serviceaccount", MI, { issuer: UNKNOWN, subject: "repo:x", audiences: AUDIENCES });
    assert.strictEqual(out.violations.length, 1);
    assert.match(out.violations[0], /not a ServiceAccount subject/);
    assert.strictEqual(out.advisories.length, 1);
    assert.match(out.advisories[0], /issuer/);
  });
});

describe("policy federated-credential-cluster-issuer: exactly the stack's cluster's issuer", () => {
  const cluster = (issuer: string, name = "aks") => ({ type: CLUSTER, name, props: { oidcIssuerProfile: { enabled: true, issuerURL: issuer } } });
  const credential = (issuer: string, extra: Record<string, unknown> = {}) => ({ type: MI, name: "fic", props: { issuer, subject: SUBJECT, audiences: AUDIENCES }, ...extra });

  it("accepts a credential trusting the issuer of the stack's cluster", async () => {
    assert.deepStrictEqual(await stackViolations("federated-credential-cluster-issuer", [cluster(ISSUER), credential(ISSUER)]), []);
  });

  it("refuses a credential trusting another AKS cluster's issuer when the cluster is in the stack, on azuread application credentials too", async () => {
    const found = await stackViolations("federated-credential-cluster-issuer", [cluster(ISSUER), credential(OTHER_CLUSTER), { type: APP, name: "app-fic", props: { issuer: OTHER_CLUSTER, subject: SUBJECT, audiences: AUDIENCES } }]);
    assert.strictEqual(found.length, 2);
    assert.match(found[0], /fic: issuer .* is not the OIDC issuer of cluster aks/);
  });

  it("compares with the cluster a credential takes its issuer from, when the stack has two", async () => {
    const resources = [cluster(ISSUER, "a"), cluster(OTHER_CLUSTER, "b"), credential(OTHER_CLUSTER, { propertyDependencies: { issuer: ["a"] } })];
    assert.match((await stackViolations("federated-credential-cluster-issuer", resources))[0], /not the OIDC issuer of cluster a/);
    resources[2] = credential(ISSUER, { propertyDependencies: { issuer: ["a"] } });
    assert.deepStrictEqual(await stackViolations("federated-credential-cluster-issuer", resources), []);
  });

  it("has nothing to compare when no cluster is in the stack (an adopted cluster): the issuer pattern still applies", async () => {
    assert.deepStrictEqual(await stackViolations("federated-credential-cluster-issuer", [credential(OTHER_CLUSTER)]), []);
  });

  it("during preview of a new cluster, skips the comparison as advisory, naming the credential, and still refuses a known mismatch elsewhere", async () => {
    const out = await runStackPolicy("federated-credential-cluster-issuer", [cluster(UNKNOWN), { ...credential(UNKNOWN), name: "new-fic" }]);
    assert.deepStrictEqual(out.violations, []);
    assert.strictEqual(out.advisories.length, 1);
    assert.match(out.advisories[0], /new-fic/);
    const mixed = await runStackPolicy("federated-credential-cluster-issuer", [cluster(ISSUER, "a"), { ...credential(UNKNOWN), name: "new-fic" }, { ...credential(OTHER_CLUSTER), name: "bad-fic" }]);
    assert.strictEqual(mixed.violations.length, 1);
    assert.match(mixed.violations[0], /bad-fic/);
    assert.match(mixed.advisories[0], /new-fic/);
  });
});
