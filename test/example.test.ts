import * as assert from "assert";
import * as path from "path";
import { PROJECT_DIR } from "../plan";
// The testing kit, imported by its package name as a consumer's tests import it.
import { evaluate, Evaluation, placeholder } from "agent-identity/testing";
import { readStackConfig } from "../plan/stackFiles";
import { TYPES, ofType, one, planOf } from "./helpers";
import { validateKubernetesObject } from "./k8sSchemas";

const DEPLOYED_CLUSTER_ID = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-agents-production/providers/Microsoft.ContainerService/managedClusters/fabrikam-aks-cluster";
const EXAMPLE_DIR = path.join(PROJECT_DIR, "examples", "extra-agent");

describe("examples/extra-agent: a separate stack that imports the components", () => {
  let platform: Evaluation;
  let example: Evaluation;

  before(async () => {
    platform = await planOf("production");
    const file = readStackConfig(EXAMPLE_DIR, "dev");
    // The example imports the package by its name, as a consumer would.
    const program = require(path.join(PROJECT_DIR, "bin", "examples", "extra-agent", "index.js")) as () => unknown;
    example = await evaluate(program, {
      project: file.project,
      stack: file.stack,
      config: file.config,
      // The StackReference answers with the platform's real (offline) outputs.
      // Offline the cluster id is a placeholder; a deployed platform stack exports the real ARM id.
      stackReferences: { "fabrikam/agent-identity/production": { ...platform.outputs, clusterId: DEPLOYED_CLUSTER_ID } },
    });
  });

  it("reads the platform stack through a StackReference and adopts its cluster instead of creating one", () => {
    assert.strictEqual(ofType(example, "pulumi:pulumi:StackReference").length, 1);
    assert.deepStrictEqual(ofType(example, TYPES.cluster), []);
    const provider = one(example, TYPES.k8sProvider, "platform-cluster-k8s");
    assert.strictEqual(platform.outputs.clusterId, "<platform-fabrikam-aks-cluster-aks.id>", "the platform exports its cluster id");
    assert.strictEqual(provider.inputs.clusterIdentifier, DEPLOYED_CLUSTER_ID);
  });

  it("adds an identity federated with the new agent's ServiceAccount in the platform's namespace, trusting the cluster's issuer", () => {
    const [credential] = ofType(example, TYPES.credential);
    assert.strictEqual(credential.inputs.subject, "system:serviceaccount:agents:license-auditor");
    assert.deepStrictEqual(credential.inputs.audiences, ["api://AzureADTokenExchange"]);
    assert.strictEqual(credential.inputs.issuer, "<getManagedCluster(fabrikam-aks-cluster).oidcIssuerProfile.issuerURL>");
    assert.strictEqual(one(example, TYPES.identity, "license-auditor-identity").inputs.resourceGroupName, "fabrikam-agents-production");
  });

  it("adds the annotated workload, valid against the Kubernetes schemas, through the adopted cluster's provider", () => {
    const provider = one(example, TYPES.k8sProvider, "platform-cluster-k8s");
    const sa = one(example, TYPES.serviceAccount, "license-auditor-sa");
    const deployment = one(example, TYPES.deployment, "license-auditor-deployment");
    assert.strictEqual((sa.inputs as any).metadata.annotations["azure.workload.identity/client-id"], placeholder("license-auditor-identity", "clientId"));
    assert.strictEqual((deployment.inputs as any).spec.template.metadata.labels["azure.workload.identity/use"], "true");
    for (const r of [sa, deployment]) {
      assert.strictEqual(r.provider, provider.urn);
      validateKubernetesObject(r.type, r.inputs);
    }
  });

  it("makes the new agent eligible for the platform's just-in-time role, at the platform's scope, with the platform's role id", () => {
    const [eligibility] = ofType(example, "azure-native:authorization:PimRoleEligibilitySchedule");
    const [platformEligibility] = ofType(platform, "azure-native:authorization:PimRoleEligibilitySchedule");
    assert.strictEqual(eligibility.inputs.principalId, "<license-auditor-identity.principalId>");
    assert.strictEqual(eligibility.inputs.scope, platformEligibility.inputs.scope);
    assert.strictEqual(eligibility.inputs.roleDefinitionId, platformEligibility.inputs.roleDefinitionId);
    assert.deepStrictEqual(ofType(example, "azure-native:authorization:RoleManagementPolicy"), [], "the platform stack owns the policy");
  });
});
