import * as assert from "assert";
import { AgentCluster } from "../components";
import { CLUSTER_CHOICES, ClusterChoiceName } from "../rules/clusterChoices";
import { AvailabilityZone, OsSku } from "../rules/choices";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";
import { RawConfig, TYPES, evaluate, isArgsError, mutatedConfig, one } from "./helpers";

const NAMES = Object.keys(CLUSTER_CHOICES) as ClusterChoiceName[];
const newCluster = (extra: Record<string, string> = {}) =>
  new AgentCluster("aks", { resourceGroupName: "rg", location: "westeurope", deployerPrincipalType: "ServicePrincipal", ...extra });

describe("cluster choices: one table for the config schema and the component", () => {
  it("gives the stack config the table's default for every choice left unset", () => {
    const config = validateStackConfig(rawConfigFromPulumi(mutatedConfig("staging", (c: RawConfig) => NAMES.forEach((k) => delete c.cluster[k]))));
    assert.deepStrictEqual(Object.fromEntries(NAMES.map((k) => [k, config.cluster[k]])), Object.fromEntries(NAMES.map((k) => [k, CLUSTER_CHOICES[k].default])));
  });

  it("accepts every value of the table in the stack config, and refuses one that is not in it", () => {
    for (const k of NAMES) {
      for (const value of CLUSTER_CHOICES[k].values) {
        const config = validateStackConfig(rawConfigFromPulumi(mutatedConfig("staging", (c: RawConfig) => {
          c.cluster[k] = value;
          if (k === "upgradeChannel") delete c.cluster.kubernetesVersion; // a pin forbids some channels (tested elsewhere)
        })));
        assert.strictEqual(config.cluster[k], value);
      }
      assert.throws(() => validateStackConfig(rawConfigFromPulumi(mutatedConfig("staging", (c: RawConfig) => (c.cluster[k] = "bogus")))), (e: any) => e.issues.some((i: any) => i.path === `cluster.${k}`));
    }
  });

  it("makes the component use the table's defaults when the args leave a choice unset", async () => {
    const cluster = one(await evaluate(() => newCluster()), TYPES.cluster, "aks-aks").inputs as any;
    assert.deepStrictEqual(
      [cluster.sku.tier, cluster.autoUpgradeProfile.upgradeChannel, cluster.autoUpgradeProfile.nodeOSUpgradeChannel, cluster.networkProfile.networkPolicy],
      [CLUSTER_CHOICES.skuTier.default, CLUSTER_CHOICES.upgradeChannel.default, CLUSTER_CHOICES.nodeOsUpgradeChannel.default, CLUSTER_CHOICES.networkPolicy.default],
    );
  });

  for (const k of NAMES) {
    it(`makes the component refuse a ${k} outside the table, naming the field`, async () => {
      await assert.rejects(evaluate(() => newCluster({ [k]: "bogus" })), (err: unknown) => isArgsError(err, "AgentCluster", k));
    });
  }

  for (const [field, pool] of [
    ["systemNodePool.osSku", { systemNodePool: { osSku: "Windows" } }],
    ["agentNodePool.osSku", { agentNodePool: { osSku: "Mariner" } }],
    ["systemNodePool.availabilityZones[1]", { systemNodePool: { availabilityZones: ["1", "4"] } }],
  ] as const) {
    it(`makes the component refuse ${field} outside its choices (a caller in plain JavaScript or another language), naming the field`, async () => {
      // Cast: the TypeScript types already refuse these values; the check is for untyped callers.
      await assert.rejects(evaluate(() => new AgentCluster("aks", { resourceGroupName: "rg", deployerPrincipalType: "ServicePrincipal", ...(pool as object) })), (err: unknown) => isArgsError(err, "AgentCluster", field));
    });
  }

  it("makes the component accept every node OS and zone of the choice objects", async () => {
    const plan = await evaluate(() => new AgentCluster("aks", { resourceGroupName: "rg", deployerPrincipalType: "ServicePrincipal", systemNodePool: { osSku: OsSku.Ubuntu, availabilityZones: Object.values(AvailabilityZone) }, agentNodePool: { osSku: OsSku.AzureLinux } }));
    const pools = (one(plan, TYPES.cluster, "aks-aks").inputs as any).agentPoolProfiles;
    assert.deepStrictEqual(pools.map((p: any) => [p.osSKU, p.availabilityZones]), [["Ubuntu", ["1", "2", "3"]], ["AzureLinux", ["1", "2", "3"]]]);
  });
});
