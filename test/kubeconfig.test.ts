import * as assert from "assert";
import { parse } from "yaml";
import { toNonInteractiveKubeconfig } from "../components";
import { aksUserKubeconfig } from "../plan/placeholders";

describe("kubeconfig rewriting", () => {
  const original = aksUserKubeconfig("aks", "rg");

  for (const mode of ["azurecli", "workloadidentity", "spn", "msi"]) {
    it(`switches the devicecode login to --login ${mode} and never prompts`, () => {
      const exec = parse(toNonInteractiveKubeconfig(original, mode)).users[0].user.exec;
      assert.deepStrictEqual(exec.args.slice(0, 3), ["get-token", "--login", mode]);
      assert.ok(!exec.args.includes("devicecode"));
      assert.strictEqual(exec.interactiveMode, "Never");
    });
  }

  it("keeps the server id and cloud environment AKS wrote", () => {
    const edited = aksUserKubeconfig("aks", "rg").replace("AzurePublicCloud", "AzureUSGovernmentCloud");
    const exec = parse(toNonInteractiveKubeconfig(edited, "azurecli")).users[0].user.exec;
    assert.deepStrictEqual(exec.args, ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630", "--environment", "AzureUSGovernmentCloud"]);
  });

  it("leaves clusters and contexts untouched", () => {
    const before = parse(original);
    const after = parse(toNonInteractiveKubeconfig(original, "azurecli"));
    assert.deepStrictEqual(after.clusters, before.clusters);
    assert.deepStrictEqual(after.contexts, before.contexts);
  });

  it("refuses an interactive or unknown login mode", () => {
    assert.throws(() => toNonInteractiveKubeconfig(original, "devicecode"), /kubeloginMode "devicecode" is not supported\. Fix: use one of azurecli/);
  });

  it("refuses a kubeconfig without users", () => {
    assert.throws(() => toNonInteractiveKubeconfig("apiVersion: v1\nkind: Config\n", "azurecli"), /has no users/);
  });
});
