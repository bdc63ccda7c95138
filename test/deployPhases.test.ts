import * as assert from "assert";
import { spawnSync } from "child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_DIR } from "../plan";
import { deployPhases } from "../plan/deployPhases";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";
import { mutatedConfig, planOf, planWith, stackFileConfig } from "./helpers";

const WAIT = path.join(PROJECT_DIR, ".github", "scripts", "wait-for-cluster-access.sh");

describe("first deploy in two phases: what the Azure phase applies", () => {
  for (const stack of ["production", "staging"]) {
    it(`${stack}: the Azure phase is every resource but the in-cluster ones, closed under dependencies and parents`, async () => {
      const plan = await planOf(stack);
      const phases = deployPhases(plan, validateStackConfig(rawConfigFromPulumi(stackFileConfig(stack))));
      assert.deepStrictEqual([...phases.azureUrns, ...phases.kubernetesUrns].sort(), plan.resources.map((r) => r.urn).sort());
      const azure = new Set(phases.azureUrns);
      for (const r of plan.resources.filter((x) => azure.has(x.urn))) {
        for (const needed of [...r.dependsOn, ...(r.parent ? [r.parent] : []), ...(r.provider ? [r.provider] : [])]) {
          assert.ok(azure.has(needed), `${r.urn} needs ${needed}, which the Azure phase would skip`);
        }
      }
      const kubernetesTypes = plan.resources.filter((r) => r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes").map((r) => r.urn).sort();
      assert.deepStrictEqual([...phases.kubernetesUrns].sort(), kubernetesTypes);
      assert.ok(phases.azureUrns.some((u) => u.includes("azure-native:containerservice:ManagedCluster")));
      assert.ok(phases.azureUrns.some((u) => u.endsWith("-deployer-cluster-admin")), "the deployer's grant is made in the Azure phase, so it can propagate before the Kubernetes phase");
    });
  }

  it("names the adopted cluster's group and name from its id", async () => {
    const id = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/shared-aks/providers/Microsoft.ContainerService/managedClusters/shared";
    const config = mutatedConfig("staging", (c) => (c.cluster.existingClusterId = id));
    const phases = deployPhases(await planWith(config, "staging"), validateStackConfig(rawConfigFromPulumi(config)));
    assert.deepStrictEqual([phases.resourceGroupName, phases.clusterName, phases.namespace], ["shared-aks", "shared", "agents"]);
  });

  it("npm run deploy-info prints the phases as one JSON document on stdout", () => {
    const run = spawnSync(process.execPath, [path.join(PROJECT_DIR, "bin", "scripts", "deployInfo.js"), "--stack", "production"], { encoding: "utf8", cwd: PROJECT_DIR });
    assert.strictEqual(run.status, 0, run.stderr);
    const doc = JSON.parse(run.stdout);
    assert.deepStrictEqual([doc.resourceGroupName, doc.clusterName, doc.namespace], ["fabrikam-agents-production", "fabrikam-aks-cluster", "agents"]);
    assert.strictEqual(spawnSync(process.execPath, [path.join(PROJECT_DIR, "bin", "scripts", "deployInfo.js")], { encoding: "utf8" }).status, 2);
  });
});

/** A folder of stand-ins for az, kubelogin and kubectl; kubectl says "no" `denials` times, then "yes". */
function standIns(denials: number): { dir: string; env: NodeJS.ProcessEnv; calls: () => string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "wait-"));
  const log = path.join(dir, "calls.log");
  const counter = path.join(dir, "count");
  writeFileSync(counter, "0");
  const script = (body: string) => `#!/usr/bin/env bash\necho "$(basename "$0") $*" >> "${log}"\n${body}\n`;
  writeFileSync(path.join(dir, "az"), script(`f=""; while [ $# -gt 0 ]; do [ "$1" = "--file" ] && f=$2; shift; done; echo "apiVersion: v1" > "$f"`));
  writeFileSync(path.join(dir, "kubelogin"), script("exit 0"));
  writeFileSync(
    path.join(dir, "kubectl"),
    script(`n=$(cat "${counter}"); n=$((n + 1)); echo "$n" > "${counter}"; if [ "$n" -le ${denials} ]; then echo no; exit 1; fi; echo yes`),
  );
  for (const tool of ["az", "kubelogin", "kubectl"]) chmodSync(path.join(dir, tool), 0o755);
  return { dir, env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, calls: () => readFileSync(log, "utf8").trim().split("\n") };
}

describe("first deploy in two phases: waiting for the deployer's access to reach the cluster", () => {
  // learn.microsoft.com/azure/aks/manage-azure-rbac: a new role assignment can take up to five minutes to reach
  // the cluster's authorizer; the first Kubernetes write gets 403 until then.
  it("asks the cluster (read-only) until the deployer may write, then succeeds", () => {
    const tools = standIns(4);
    try {
      const run = spawnSync("bash", [WAIT, "rg", "aks", "agents", "30", "0"], { encoding: "utf8", env: tools.env });
      assert.strictEqual(run.status, 0, run.stderr);
      assert.match(run.stdout, /may write to cluster aks \(attempt 5\)/);
      const calls = tools.calls();
      assert.ok(calls[0].startsWith("az aks get-credentials --resource-group rg --name aks --format exec"));
      assert.ok(calls[1].includes("convert-kubeconfig --login azurecli"), "non-interactive kubelogin");
      assert.ok(calls.filter((c) => c.startsWith("kubectl")).every((c) => c.startsWith("kubectl auth can-i create ")), "only access reviews, no writes");
    } finally {
      rmSync(tools.dir, { recursive: true, force: true });
    }
  });

  it("gives up after its time limit with the fix, exit 1", () => {
    const tools = standIns(1_000_000);
    try {
      const run = spawnSync("bash", [WAIT, "rg", "aks", "agents", "1", "0"], { encoding: "utf8", env: tools.env });
      assert.strictEqual(run.status, 1);
      assert.match(run.stderr, /after 1s the deployer still may not create namespaces.*Fix: check that its role assignment/);
    } finally {
      rmSync(tools.dir, { recursive: true, force: true });
    }
  });

  it("refuses a call without group, cluster and namespace, exit 2", () => {
    assert.strictEqual(spawnSync("bash", [WAIT, "rg"], { encoding: "utf8" }).status, 2);
  });

  it("deploy.yml runs the phases in order for each stack: Azure phase, fresh login, bounded wait, full up", () => {
    const deploy = parse(readFileSync(path.join(PROJECT_DIR, ".github", "workflows", "deploy.yml"), "utf8"));
    for (const stack of ["staging", "production"]) {
      const steps = deploy.jobs[stack].steps as Array<{ uses?: string; run?: string; with?: Record<string, unknown> }>;
      const index = (pred: (s: (typeof steps)[number]) => boolean) => steps.findIndex(pred);
      const azurePhase = index((s) => s.uses?.startsWith("pulumi/actions@") === true && s.with?.target !== undefined);
      const logins = steps.map((s, i) => (s.uses?.startsWith("azure/login@") ? i : -1)).filter((i) => i >= 0);
      const wait = index((s) => s.run?.includes("wait-for-cluster-access.sh") === true);
      const fullUp = index((s, ) => s.uses?.startsWith("pulumi/actions@") === true && s.with?.target === undefined);
      assert.ok(azurePhase > 0 && fullUp > 0 && wait > 0, stack);
      assert.match(String(steps[azurePhase].with?.target), /steps\.phases\.outputs\.azure-urns/);
      assert.strictEqual(steps[azurePhase].with?.["stack-name"], stack);
      assert.ok(logins.some((i) => i < azurePhase) && logins.some((i) => i > azurePhase && i < wait), `${stack}: a fresh login between the phases`);
      assert.ok(azurePhase < wait && wait < fullUp, `${stack}: Azure phase, wait, then the full up`);
      assert.match(String(steps[wait].run), / 600 /, "bounded: at most ten minutes");
    }
  });
});
