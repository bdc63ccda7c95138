/**
 * `agent-identity/testing` as a consumer uses it: a fresh project outside this repository whose own
 * program builds a cluster, an identity and a workload from the components, tested under the kit's
 * mocks with no hand-written issuer URL, kubeconfig or Entra client config.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_DIR } from "../plan";

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { AgentCluster, AgentIdentity, AgentWorkload } = require("agent-identity");

module.exports = () => {
  const config = new pulumi.Config();
  const cluster = new AgentCluster("dev", { resourceGroupName: config.require("resourceGroupName"), deployerPrincipalType: "User", systemNodePool: { vmSize: "Standard_D2ds_v5", minCount: 1, maxCount: 1, availabilityZones: ["1"] } });
  const serviceAccount = { namespace: "agents", name: "triage-bot" };
  const identity = new AgentIdentity("triage-bot", { resourceGroupName: cluster.resourceGroupName, oidcIssuerUrl: cluster.oidcIssuerUrl, serviceAccounts: [serviceAccount] });
  new AgentWorkload("triage-bot", {
    namespace: serviceAccount.namespace,
    serviceAccountName: serviceAccount.name,
    clientId: identity.clientId,
    tenantId: identity.tenantId,
    image: config.require("image"),
    federatedCredentials: identity.federatedCredentials,
  }, { providers: [cluster.provider] });
  return { clientId: identity.clientId };
};
`;

const TEST = `
const assert = require("assert");
const { evaluate, placeholder, isPlaceholder, PlanFailedError } = require("agent-identity/testing");
const program = require("./index.js");

(async () => {
  const plan = await evaluate(program, { project: "consumer-stack", stack: "ci", config: { resourceGroupName: "rg-triage", image: "contoso.azurecr.io/triage-bot:1.0.0" } });
  const byName = (name) => plan.resources.find((r) => r.name === name);
  const credential = plan.resources.find((r) => r.type === "azure-native:managedidentity:FederatedIdentityCredential");
  const serviceAccount = plan.resources.find((r) => r.type === "kubernetes:core/v1:ServiceAccount");
  assert.ok(isPlaceholder(credential.inputs.issuer));
  let failure;
  try {
    await evaluate(() => { throw new Error("boom"); });
  } catch (err) {
    failure = err;
  }
  console.log(JSON.stringify({
    keys: Object.keys(plan),
    resourceKeys: Object.keys(plan.resources[0]),
    project: plan.project,
    stack: plan.stack,
    types: [...new Set(plan.resources.map((r) => r.type))].sort(),
    subject: credential.inputs.subject,
    issuer: credential.inputs.issuer,
    clientIdAnnotation: serviceAccount.inputs.metadata.annotations["azure.workload.identity/client-id"],
    expectedClientId: placeholder("triage-bot-identity", "clientId"),
    output: plan.outputs.clientId,
    failure: failure instanceof PlanFailedError ? failure.cause.message : String(failure),
  }));
})().catch((err) => { console.error(err); process.exit(1); });
`;

describe("agent-identity/testing in a fresh consumer project", function () {
  this.timeout(120_000);

  it("evaluates the consumer's own program with every component, returning the plan's shape and placeholders", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "consumer-stack-"));
    try {
      // What installing the package gives a consumer: agent-identity in node_modules (linked, as
      // `npm install <path>` links a folder) and one copy of @pulumi/pulumi shared with it.
      mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
      symlinkSync(PROJECT_DIR, path.join(dir, "node_modules", "agent-identity"), "dir");
      symlinkSync(path.join(PROJECT_DIR, "node_modules", "@pulumi", "pulumi"), path.join(dir, "node_modules", "@pulumi", "pulumi"), "dir");
      writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer-stack", version: "1.0.0", private: true, main: "index.js" }));
      writeFileSync(path.join(dir, "index.js"), PROGRAM);
      writeFileSync(path.join(dir, "stack.test.js"), TEST);

      const run = spawnSync(process.execPath, ["stack.test.js"], { cwd: dir, encoding: "utf8" });
      assert.strictEqual(run.status, 0, run.stderr);
      const out = JSON.parse(run.stdout.trim().split("\n").pop() as string);
      assert.deepStrictEqual(out.keys, ["project", "stack", "resources", "outputs", "revealInputs"]);
      assert.deepStrictEqual(out.resourceKeys, ["urn", "type", "name", "parent", "provider", "dependsOn", "inputs", "options"]);
      assert.strictEqual(out.project, "consumer-stack");
      assert.strictEqual(out.stack, "ci");
      for (const type of [
        "agent-identity:index:AgentCluster",
        "azure-native:containerservice:ManagedCluster",
        "pulumi:providers:kubernetes",
        "azure-native:managedidentity:UserAssignedIdentity",
        "azure-native:managedidentity:FederatedIdentityCredential",
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:apps/v1:Deployment",
      ]) {
        assert.ok(out.types.includes(type), `${type} not registered: ${out.types.join(", ")}`);
      }
      assert.strictEqual(out.subject, "system:serviceaccount:agents:triage-bot");
      assert.strictEqual(out.issuer, "<dev-aks.oidcIssuerProfile.issuerURL>");
      assert.strictEqual(out.clientIdAnnotation, "<triage-bot-identity.clientId>");
      assert.strictEqual(out.expectedClientId, out.clientIdAnnotation);
      assert.strictEqual(out.output, "<triage-bot-identity.clientId>");
      assert.strictEqual(out.failure, "boom");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
