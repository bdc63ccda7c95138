import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { AgentCluster } from "../../components";
import { PlaceholderMocks } from "../../plan/placeholders";
import { PlanFailedError, PlannedResource } from "../../plan/evaluate";
import { TYPES, evaluate, isArgsError, ofType, one, planOf } from "../helpers";

const EXISTING_ID = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shared-rg/providers/Microsoft.ContainerService/managedClusters/shared-aks";

function newCluster(extra: Partial<ConstructorParameters<typeof AgentCluster>[1]> = {}) {
  const cluster = new AgentCluster("aks", { resourceGroupName: "rg", location: "westeurope", deployerPrincipalType: "ServicePrincipal", ...extra });
  return { issuer: cluster.oidcIssuerUrl, id: cluster.clusterId, name: cluster.clusterName };
}

describe("AgentCluster", () => {
  it("creates an AKS cluster with the OIDC issuer, workload identity and the secure defaults on", async () => {
    const plan = await evaluate(() => newCluster());
    const cluster = one(plan, TYPES.cluster, "aks-aks");
    const i = cluster.inputs as any;
    assert.deepStrictEqual(i.oidcIssuerProfile, { enabled: true });
    assert.strictEqual(i.securityProfile.workloadIdentity.enabled, true);
    assert.strictEqual(i.disableLocalAccounts, true);
    assert.deepStrictEqual(i.aadProfile, { adminGroupObjectIDs: [], enableAzureRBAC: true, managed: true });
    assert.deepStrictEqual(i.autoUpgradeProfile, { nodeOSUpgradeChannel: "NodeImage", upgradeChannel: "stable" });
    assert.strictEqual(i.networkProfile.networkPolicy, "cilium");
    assert.strictEqual(i.networkProfile.networkDataplane, "cilium");
    assert.strictEqual(i.addonProfiles.azurepolicy.enabled, true);
    assert.deepStrictEqual(i.securityProfile.imageCleaner, { enabled: true, intervalHours: 168 });
    assert.strictEqual(i.enableRBAC, true);
    assert.strictEqual(i.sku.tier, "Standard");
    assert.strictEqual(cluster.parent, one(plan, TYPES.clusterComponent, "aks").urn);
  });

  it("lets typed args override each secure default", async () => {
    const plan = await evaluate(() =>
      newCluster({ disableLocalAccounts: false, enableAzureRbac: false, upgradeChannel: "patch", networkPolicy: "calico", azurePolicy: false, imageCleaner: false, skuTier: "Free", authorizedIpRanges: ["203.0.113.0/24"] }),
    );
    const i = one(plan, TYPES.cluster, "aks-aks").inputs as any;
    assert.strictEqual(i.disableLocalAccounts, false);
    assert.strictEqual(i.aadProfile.enableAzureRBAC, false);
    assert.strictEqual(i.autoUpgradeProfile.upgradeChannel, "patch");
    assert.strictEqual(i.networkProfile.networkPolicy, "calico");
    assert.strictEqual(i.networkProfile.networkDataplane, "azure");
    assert.strictEqual(i.addonProfiles.azurepolicy.enabled, false);
    assert.strictEqual(i.securityProfile.imageCleaner.enabled, false);
    assert.strictEqual(i.sku.tier, "Free");
    assert.deepStrictEqual(i.apiServerAccessProfile, { authorizedIPRanges: ["203.0.113.0/24"] });
  });

  it("outputs the issuer URL the cluster reports, not a typed one", async () => {
    const plan = await evaluate(() => newCluster());
    assert.strictEqual(plan.outputs.issuer, "<aks-aks.oidcIssuerProfile.issuerURL>");
  });

  it("builds a Kubernetes provider with a non-interactive kubelogin, keyed to the cluster id", async () => {
    const plan = await evaluate(() => newCluster({ kubeloginMode: "workloadidentity" }));
    const provider = one(plan, TYPES.k8sProvider, "aks-k8s");
    assert.strictEqual(provider.inputs.kubeconfig, "[secret]", "the kubeconfig is a secret in the plan");
    assert.strictEqual(provider.inputs.clusterIdentifier, "<aks-aks.id>");
    const kubeconfig = parse(String(plan.revealInputs(provider.urn)?.kubeconfig));
    const exec = kubeconfig.users[0].user.exec;
    assert.strictEqual(exec.command, "kubelogin");
    assert.deepStrictEqual(exec.args, ["get-token", "--login", "workloadidentity", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630", "--environment", "AzurePublicCloud"]);
    assert.strictEqual(exec.interactiveMode, "Never");
    assert.ok(!JSON.stringify(kubeconfig).includes("devicecode"));
  });

  it("grants the deployer cluster admin through Azure RBAC, with a deterministic name, before the provider is used", async () => {
    const first = await evaluate(() => newCluster());
    const second = await evaluate(() => newCluster());
    const grant = one(first, TYPES.roleAssignment, "aks-deployer-cluster-admin");
    const i = grant.inputs as any;
    assert.strictEqual(i.scope, "<aks-aks.id>");
    assert.strictEqual(i.principalId, "<getClientConfig.objectId>");
    assert.strictEqual(i.roleDefinitionId, "/subscriptions/<getClientConfig.subscriptionId>/providers/Microsoft.Authorization/roleDefinitions/b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b");
    assert.match(i.roleAssignmentName, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.strictEqual(i.roleAssignmentName, (one(second, TYPES.roleAssignment, "aks-deployer-cluster-admin").inputs as any).roleAssignmentName);
    assert.ok(one(first, TYPES.k8sProvider, "aks-k8s").dependsOn.includes(grant.urn));
  });

  it("grants nothing when grantDeployerClusterAdmin is false", async () => {
    const plan = await evaluate(() => newCluster({ grantDeployerClusterAdmin: false }));
    assert.deepStrictEqual(ofType(plan, TYPES.roleAssignment), []);
  });

  it("adopts an existing cluster by id: no cluster is created and the issuer comes from Azure", async () => {
    const plan = await evaluate(() => newCluster({ existingClusterId: EXISTING_ID }));
    assert.deepStrictEqual(ofType(plan, TYPES.cluster), []);
    assert.strictEqual(plan.outputs.issuer, "<getManagedCluster(shared-aks).oidcIssuerProfile.issuerURL>");
    assert.strictEqual(plan.outputs.name, "shared-aks");
    assert.strictEqual(one(plan, TYPES.k8sProvider, "aks-k8s").inputs.clusterIdentifier, EXISTING_ID);
  });

  for (const [field, value, fix] of [
    ["kubeloginMode", "devicecode", /Fix: use one of azurecli, workloadidentity, spn, msi/],
    ["networkPolicy", "none", /Fix: use one of cilium, calico, azure/],
    ["existingClusterId", "/subscriptions/x/aks", /Fix: use the output of "az aks show --query id -o tsv"/],
    ["acrPullRegistryIds", ["/subscriptions/x/registries/nope"], /Fix: use the output of "az acr show/],
    ["deployerPrincipalType", "Group", /Fix: set "ServicePrincipal" when a workflow runs pulumi up/],
  ] as const) {
    it(`refuses ${field} ${JSON.stringify(value)} before registering anything`, async () => {
      await assert.rejects(
        evaluate(() => newCluster({ [field]: value })),
        (err: unknown) => isArgsError(err, "AgentCluster", field === "acrPullRegistryIds" ? "acrPullRegistryIds[0]" : field) && fix.test((err as PlanFailedError).cause.message),
      );
    });
  }

  it("refuses to adopt a cluster whose workload identity is off, saying how to turn it on", async () => {
    class WorkloadIdentityOff extends PlaceholderMocks {
      override call(args: pulumi.runtime.MockCallArgs) {
        const result = super.call(args);
        return args.token.endsWith("getManagedCluster") ? { ...result, securityProfile: { workloadIdentity: { enabled: false } } } : result;
      }
    }
    await assert.rejects(
      evaluate(() => newCluster({ existingClusterId: EXISTING_ID }), new WorkloadIdentityOff()),
      (err: unknown) =>
        err instanceof PlanFailedError &&
        err.cause instanceof pulumi.ResourceError &&
        /az aks update -g shared-rg -n shared-aks --enable-oidc-issuer --enable-workload-identity/.test(err.message),
    );
  });
});

describe("AgentCluster node pools", () => {
  const pools = (plan: { resources: PlannedResource[] }) =>
    (ofType(plan, TYPES.cluster)[0].inputs.agentPoolProfiles as Array<Record<string, any>>).map((p) => ({
      name: p.name,
      mode: p.mode,
      vmSize: p.vmSize,
      min: p.minCount,
      max: p.maxCount,
      zones: p.availabilityZones,
      taints: p.nodeTaints,
    }));

  it("sizes the agents' user pool apart from the tainted system pool", async () => {
    const plan = await evaluate(() =>
      newCluster({
        systemNodePool: { vmSize: "Standard_D4ds_v5", minCount: 3, maxCount: 5, availabilityZones: ["1", "2", "3"] },
        agentNodePool: { vmSize: "Standard_D2ds_v5", minCount: 1, maxCount: 2, availabilityZones: ["1"] },
      }),
    );
    assert.deepStrictEqual(pools(plan), [
      { name: "system", mode: "System", vmSize: "Standard_D4ds_v5", min: 3, max: 5, zones: ["1", "2", "3"], taints: ["CriticalAddonsOnly=true:NoSchedule"] },
      { name: "agents", mode: "User", vmSize: "Standard_D2ds_v5", min: 1, max: 2, zones: ["1"], taints: undefined },
    ]);
  });

  it("gives the agents' pool the system pool's settings when it is not configured", async () => {
    const plan = await evaluate(() => newCluster({ systemNodePool: { vmSize: "Standard_D8ds_v5", minCount: 2, maxCount: 4 } }));
    const [system, agents] = pools(plan);
    assert.deepStrictEqual([agents.vmSize, agents.min, agents.max], [system.vmSize, system.min, system.max]);
  });

  it("shows both pools and their node counts in the plan's cluster section (staging: one small agents node)", async () => {
    const { renderTable } = await import("../../plan/render/table");
    const text = renderTable(await planOf("staging"));
    assert.match(text, /node pool system +System, 1-3 x Standard_D2ds_v5, zones 1/);
    assert.match(text, /node pool agents +User, 1-2 x Standard_D2ds_v5, zones 1/);
  });
});
