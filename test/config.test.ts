import * as assert from "assert";
import { RawConfig, expectRejectedConfig, mutatedConfig, stackFileConfig } from "./helpers";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";

interface BadConfigCase {
  /** What is wrong. */
  title: string;
  /** Changes the production config into the bad one. */
  mutate: (c: RawConfig) => void;
  /** The key path the error must name. */
  path: string;
  /** A fragment of the explanation. */
  says: RegExp;
}

const CUSTOMER_DATA = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-customer-data";

const twentyExtraServiceAccounts = Array.from({ length: 20 }, (_, i) => ({ namespace: "batch", name: `job-${i}` }));

const BAD_CONFIGS: BadConfigCase[] = [
  { title: "a duplicate agent name", mutate: (c) => (c.agents[1].name = "security-scanner"), path: "agents[1].name", says: /already used by agents\[0\]/ },
  { title: "an agent name that is not a Kubernetes name", mutate: (c) => (c.agents[0].name = "Security_Scanner"), path: "agents[0].name", says: /not a valid Kubernetes name/ },
  { title: "an image tagged latest", mutate: (c) => (c.agents[0].image = "fabrikamagents.azurecr.io/agents/security-scanner:latest"), path: "agents[0].image", says: /tag "latest"/ },
  { title: "an image with neither tag nor digest", mutate: (c) => (c.agents[2].image = "fabrikamagents.azurecr.io/agents/syntax-analyzer"), path: "agents[2].image", says: /no tag or digest/ },
  { title: "a malformed image reference", mutate: (c) => (c.agents[0].image = "Not An Image!"), path: "agents[0].image", says: /not a valid image reference/ },
  { title: "calls naming an unknown agent", mutate: (c) => c.agents[0].calls.push("billing-agent"), path: "agents[0].calls[1]", says: /"billing-agent" is not an agent of this stack/ },
  { title: "an agent calling itself", mutate: (c) => (c.agents[3].calls = ["code-review-orchestrator"]), path: "agents[3].calls[0]", says: /cannot call itself/ },
  { title: "more than 20 federated credentials on one identity", mutate: (c) => (c.agents[0].extraServiceAccounts = twentyExtraServiceAccounts), path: "agents[0].extraServiceAccounts", says: /21 federated credentials; Azure allows at most 20/ },
  { title: "a malformed existing cluster id", mutate: (c) => (c.cluster.existingClusterId = "/subscriptions/abc/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks"), path: "cluster.existingClusterId", says: /not an AKS cluster resource id/ },
  { title: "an admin group that is not a GUID", mutate: (c) => (c.cluster.adminGroupObjectIds = ["platform-admins"]), path: "cluster.adminGroupObjectIds[0]", says: /not a GUID/ },
  { title: "the agents key missing", mutate: (c) => delete c.agents, path: "agents", says: /is required/ },
  { title: "the cluster name missing", mutate: (c) => delete c.cluster.name, path: "cluster.name", says: /is required/ },
  { title: "the resource group missing", mutate: (c) => delete c.resourceGroupName, path: "resourceGroupName", says: /is required/ },
  { title: "a credential-like variable name", mutate: (c) => (c.agents[0].env.OPENAI_API_KEY = "sk-123"), path: 'agents[0].env.OPENAI_API_KEY', says: /looks like a credential/ },
  { title: "a storage account key as a variable value", mutate: (c) => (c.agents[1].env.STORAGE = "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc=="), path: "agents[1].env.STORAGE", says: /looks like a key, SAS token or JWT/ },
  { title: "a variable the webhook injects", mutate: (c) => (c.agents[0].env.AZURE_CLIENT_ID = "00000000-0000-0000-0000-000000000000"), path: "agents[0].env.AZURE_CLIENT_ID", says: /injected by the workload identity webhook/ },
  { title: "a privileged port", mutate: (c) => (c.agents[0].port = 80), path: "agents[0].port", says: /below 1024/ },
  { title: "requests above limits", mutate: (c) => (c.agents[0].resources.requests.memory = "4Gi"), path: "agents[0].resources.requests.memory", says: /above the limit 1Gi/ },
  { title: "a misspelt key", mutate: (c) => (c.agnets = []), path: "agnets", says: /not a known key/ },
  { title: "two agents on one ServiceAccount", mutate: (c) => (c.agents[1].serviceAccountName = "security-scanner"), path: "agents[1].serviceAccountName", says: /already used by agent "security-scanner"/ },
  { title: "a region that is not a region name", mutate: (c) => (c.location = "West Europe"), path: "location", says: /not an Azure region name/ },
  { title: "negative replicas", mutate: (c) => (c.agents[0].replicas = -1), path: "agents[0].replicas", says: /at least 0/ },
  { title: "an empty agent list", mutate: (c) => (c.agents = []), path: "agents", says: /is empty/ },
  { title: "a token lifetime outside 3600-86400", mutate: (c) => (c.agents[0].serviceAccountTokenExpirationSeconds = 600), path: "agents[0].serviceAccountTokenExpirationSeconds", says: /at least 3600/ },
  { title: "a call to an agent without a port", mutate: (c) => delete c.agents[3].port, path: "agents[0].calls[0]", says: /"code-review-orchestrator" has no port, so no agent can call it\. Fix: set agents\[3\]\.port/ },
  { title: "a variable the platform sets from the call graph", mutate: (c) => (c.agents[3].env.AGENT_AUTH_ALLOWED_CALLERS = "everyone"), path: "agents[3].env.AGENT_AUTH_ALLOWED_CALLERS", says: /set by the platform from the call graph/ },
  // Just-in-time and standing access.
  { title: "a sensitive custom role assigned standing", mutate: (c) => (c.agents[1].roleAssignments = [{ role: "Sensitive Data Reader", scope: CUSTOMER_DATA }]), path: "agents[1].roleAssignments[0].role", says: /is sensitive \(custom role "Sensitive Data Reader" is marked sensitive\) and can never be assigned standing/ },
  { title: "a role listed in sensitiveRoles assigned standing", mutate: (c) => (c.agents[2].roleAssignments = [{ role: "Storage Blob Data Owner", scope: CUSTOMER_DATA }]), path: "agents[2].roleAssignments[0].role", says: /listed in sensitiveRoles\) and can never be assigned standing/ },
  {
    title: "a role that is behind JIT for one agent assigned standing to another",
    mutate: (c) => {
      c.roleDefinitions[0].sensitive = false;
      c.agents[3].roleAssignments.push({ role: "Sensitive Data Reader", scope: CUSTOMER_DATA });
    },
    path: "agents[3].roleAssignments[1].role",
    says: /behind just-in-time access\) and can never be assigned standing/,
  },
  { title: "an activation longer than four hours", mutate: (c) => (c.agents[0].jit[0].maxDuration = "PT5H"), path: "agents[0].jit[0].maxDuration", says: /outside PT1H-PT4H/ },
  { title: "an activation shorter than an hour", mutate: (c) => (c.agents[0].jit[0].maxDuration = "PT30M"), path: "agents[0].jit[0].maxDuration", says: /outside PT1H-PT4H/ },
  { title: "a duration that is not ISO 8601", mutate: (c) => (c.agents[0].jit[0].maxDuration = "2 hours"), path: "agents[0].jit[0].maxDuration", says: /not an ISO 8601 duration/ },
  { title: "an unknown role", mutate: (c) => (c.agents[0].jit[0].role = "Customer Data Superuser"), path: "agents[0].jit[0].role", says: /not a known role\. Fix: use a custom role of this stack \("Sensitive Data Reader"\), a built-in role name/ },
  { title: "JIT without approvers", mutate: (c) => (c.pim.approvers = []), path: "pim.approvers", says: /agents are eligible for just-in-time roles/ },
  { title: "an approver that is not an object id", mutate: (c) => (c.pim.approvers[0].objectId = "data-stewards@fabrikam.com"), path: "pim.approvers[0].objectId", says: /not a GUID/ },
  { title: "a JIT scope outside the custom role's assignable scopes", mutate: (c) => (c.agents[0].jit[0].scope = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/elsewhere"), path: "agents[0].jit[0].scope", says: /outside the assignable scopes of "Sensitive Data Reader"/ },
  {
    title: "two agents asking for different caps on one role and scope",
    mutate: (c) => (c.agents[1].jit = [{ role: "Sensitive Data Reader", scope: c.agents[0].jit[0].scope, maxDuration: "PT2H", justification: "Style checks of data pipelines." }]),
    path: "agents[1].jit[0].maxDuration",
    says: /PT2H differs from PT4H of agent "security-scanner"; PIM keeps one policy per role and scope/,
  },
  { title: "a malformed scope", mutate: (c) => (c.agents[0].roleAssignments[0].scope = "fabrikamrulesets"), path: "agents[0].roleAssignments[0].scope", says: /not an Azure scope/ },
  { title: "a justification too short to audit", mutate: (c) => (c.agents[0].jit[0].justification = "needed"), path: "agents[0].jit[0].justification", says: /too short/ },
  // A first real `pulumi up` (issue 8): what the providers and Azure refuse although the mocks accept it.
  // azure-native's generated roleAssignment.js sends principalType "User" when it is unset.
  { title: "no deployer principal type", mutate: (c) => delete c.deployerPrincipalType, path: "deployerPrincipalType", says: /is required\. Fix: .*"ServicePrincipal" for a workflow.*UnmatchedPrincipalType/ },
  { title: "a deployer principal type Azure does not have", mutate: (c) => (c.deployerPrincipalType = "Group"), path: "deployerPrincipalType", says: /"Group" is not allowed/ },
  // custom_pim_eligibility.go (pulumi-azure-native) reads scheduleInfo.expiration.duration whenever expiration is set.
  { title: "JIT without a fixed eligibility start", mutate: (c) => delete c.pim.eligibilityStart, path: "pim.eligibilityStart", says: /is required, because agents are eligible.*never "now"/ },
  { title: "an eligibility start that is not a UTC date-time", mutate: (c) => (c.pim.eligibilityStart = "2026-12-01"), path: "pim.eligibilityStart", says: /not a UTC date-time/ },
  { title: "an eligibility start on a day that does not exist", mutate: (c) => (c.pim.eligibilityStart = "2026-02-30T00:00:00Z"), path: "pim.eligibilityStart", says: /not a real date and time/ },
  { title: "an eligibility longer than a year", mutate: (c) => (c.pim.eligibilityDuration = "P400D"), path: "pim.eligibilityDuration", says: /outside P1D-P365D/ },
  { title: "an eligibility duration in hours", mutate: (c) => (c.pim.eligibilityDuration = "PT8H"), path: "pim.eligibilityDuration", says: /not a duration in days/ },
  // AKS refuses to create clusters on unsupported versions (learn.microsoft.com/azure/aks/supported-kubernetes-versions).
  { title: "a Kubernetes version past AKS support", mutate: (c) => ((c.cluster.kubernetesVersion = "1.33"), (c.cluster.upgradeChannel = "none")), path: "cluster.kubernetesVersion", says: /1\.33 leaves AKS support on 2026-07-31.*Fix: remove kubernetesVersion/ },
  { title: "a Kubernetes version AKS has not released", mutate: (c) => ((c.cluster.kubernetesVersion = "1.40"), (c.cluster.upgradeChannel = "none")), path: "cluster.kubernetesVersion", says: /not in the AKS release calendar/ },
  // A pinned version plus an auto-upgrade channel: the next update after an upgrade is a refused downgrade (OperationNotAllowed).
  { title: "a pinned minor with the stable channel", mutate: (c) => (c.cluster.kubernetesVersion = "1.35"), path: "cluster.kubernetesVersion", says: /pinned while upgradeChannel is "stable".*refuses the downgrade/ },
  { title: "a pinned patch with the patch channel", mutate: (c) => ((c.cluster.kubernetesVersion = "1.35.2"), (c.cluster.upgradeChannel = "patch")), path: "cluster.kubernetesVersion", says: /pin only the minor \("1\.35"\) with upgradeChannel "patch"/ },
  // azure-native checks for an existing resource before it creates one; Azure refuses assignments at missing scopes.
  {
    title: "a scope below a resource the stack does not create, inside the group it creates",
    mutate: (c) => (c.createResourceGroup = true),
    path: "agents[0].roleAssignments[0].scope",
    says: /lies inside resource group "fabrikam-agents-production", which this stack creates.*Fix: if the group exists, set createResourceGroup: false/,
  },
  // The kubelet identity pulls images; without AcrPull on the registry the rollout sits in ImagePullBackOff.
  { title: "an image from an Azure registry that is not configured", mutate: (c) => (c.agents[1].image = "contosoagents.azurecr.io/agents/style-checker:1.9.0"), path: "agents[1].image", says: /registry "contosoagents", which is not in containerRegistries.*ImagePullBackOff/ },
  { title: "a registry id that is not one", mutate: (c) => (c.containerRegistries = ["/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-shared/providers/Microsoft.Storage/storageAccounts/fabrikamagents"]), path: "containerRegistries[0]", says: /not an Azure container registry id/ },
];

/** A minimal valid raw config with some keys replaced. */
function withKeys(keys: RawConfig): RawConfig {
  return {
    location: "westeurope",
    resourceGroupName: "rg",
    deployerPrincipalType: "ServicePrincipal",
    cluster: { name: "aks" },
    agents: [{ name: "solo", image: "registry.example.com/solo:1.0.0" }],
    ...keys,
  };
}

describe("stack config validation", () => {
  for (const bad of BAD_CONFIGS) {
    it(`refuses ${bad.title}, naming ${bad.path} and the fix, before any resource is registered`, async () => {
      const error = await expectRejectedConfig(mutatedConfig("production", bad.mutate));
      assert.strictEqual(error.code, "ERR_STACK_CONFIG_INVALID");
      const line = error.message.split("\n").find((l) => l.includes(`agent-identity:${bad.path}:`));
      assert.ok(line, `no line names agent-identity:${bad.path} in:\n${error.message}`);
      assert.match(line, bad.says);
      assert.match(line, /Fix: /);
    });
  }

  it("accepts the version pins AKS can live with: a minor under the patch channel, any supported version without auto-upgrade", () => {
    for (const [kubernetesVersion, upgradeChannel] of [["1.35", "patch"], ["1.36.2", "none"], ["1.36", "node-image"]]) {
      const config = validateStackConfig(withKeys({ cluster: { name: "aks", kubernetesVersion, upgradeChannel } }));
      assert.strictEqual(config.cluster.kubernetesVersion, kubernetesVersion);
    }
  });

  it("accepts a scope on the stack's own new cluster inside the group it creates, and an image from a configured registry", () => {
    const clusterScope = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks";
    const config = validateStackConfig(
      withKeys({
        containerRegistries: ["/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/SoloRegistry"],
        agents: [{ name: "solo", image: "soloregistry.azurecr.io/solo:1.0.0", roleAssignments: [{ role: "Reader", scope: clusterScope }] }],
      }),
    );
    assert.strictEqual(config.agents[0].roleAssignments[0].scope, clusterScope);
  });

  it("reports every problem of a config in one error", async () => {
    const error = await expectRejectedConfig(
      mutatedConfig("production", (c) => {
        c.agents[0].image = "repo/agent:latest";
        c.agents[1].calls = ["nobody"];
      }),
    );
    assert.match(error.message, /^Invalid stack config \(2 problems\); nothing was created:/);
    assert.match(error.message, /agents\[0\]\.image/);
    assert.match(error.message, /agents\[1\]\.calls\[0\]/);
  });

  for (const stack of ["production", "staging"]) {
    it(`accepts the ${stack} stack file`, () => {
      const config = validateStackConfig(rawConfigFromPulumi(stackFileConfig(stack)));
      assert.ok(config.agents.length > 0);
    });
  }

  it("fills in the documented defaults for a minimal config", () => {
    const config = validateStackConfig({
      location: "westeurope",
      resourceGroupName: "rg",
      deployerPrincipalType: "User",
      cluster: { name: "aks" },
      agents: [{ name: "solo", image: "registry.example.com/solo@sha256:" + "a".repeat(64) }],
    });
    assert.strictEqual(config.namespace, "agents");
    assert.deepStrictEqual(config.containerRegistries, []);
    assert.strictEqual(config.pim.eligibilityDuration, "P365D");
    assert.strictEqual(config.cluster.kubernetesVersion, undefined, "unpinned: AKS picks a supported version");
    assert.strictEqual(config.createResourceGroup, true);
    assert.strictEqual(config.cluster.skuTier, "Standard");
    assert.strictEqual(config.cluster.upgradeChannel, "stable");
    assert.strictEqual(config.cluster.networkPolicy, "cilium");
    assert.strictEqual(config.cluster.kubeloginMode, "azurecli");
    assert.deepStrictEqual(config.agents[0].resources, { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
    assert.strictEqual(config.agents[0].replicas, 1);
    assert.strictEqual(config.agents[0].runAsUser, 65532);
    assert.deepStrictEqual(config.agents[0].calls, []);
  });

  it("ignores keys of other namespaces and parses JSON values of the project namespace", () => {
    const raw = rawConfigFromPulumi({ "azure-native:location": "westeurope", "agent-identity:createResourceGroup": "false", "agent-identity:location": "westeurope" });
    assert.deepStrictEqual(raw, { createResourceGroup: false, location: "westeurope" });
  });
});
