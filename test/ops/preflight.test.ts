/**
 * preflight against the ARM and Graph doubles (shapes cited in armRoutes.ts and graphRoutes.ts): a
 * healthy tenant, then each problem of issue 9 seeded one at a time, with the finding and the fix.
 */
import * as assert from "assert";
import { Harness } from "./harness";
import { CheckResult } from "../../ops/lib/check";
import { CONTRIBUTOR, GRAPH_ROLES } from "./world";
import { DATA_SCOPE, REGISTRY_SCOPE, SUB, healthyConfig } from "./stack";

describe("npm run preflight against ARM and Graph doubles on 127.0.0.1", function () {
  const h = new Harness();
  before(() => h.start());
  after(() => h.stop());
  beforeEach(() => h.reset());

  async function preflight(...args: string[]): Promise<{ code: number | null; results: CheckResult[]; doc: any; stderr: string }> {
    const run = await h.run("preflight", ["--stack", "ops", "--format", "json", ...args]);
    const doc = run.stdout ? JSON.parse(run.stdout) : undefined;
    return { code: run.code, results: doc?.results ?? [], doc, stderr: run.stderr };
  }

  /** Runs, expects exit 1, and returns the one non-ok finding of the check (asserting there is exactly one). */
  async function onlyFinding(id: string, status: "problem" | "unknown" = "problem", target?: string): Promise<CheckResult> {
    const { code, results } = await preflight();
    assert.strictEqual(code, 1);
    const found = results.filter((r) => r.id === id && r.status === status && (!target || r.target === target));
    assert.strictEqual(found.length, 1, JSON.stringify(results.filter((r) => r.status !== "ok"), null, 1));
    return found[0];
  }

  function withConfig(mutate: (c: Record<string, any>) => void): void {
    const config = healthyConfig();
    mutate(config);
    h.project.write(config);
  }

  it("a healthy tenant: every check ok, exit 0, and it names the identity DefaultAzureCredential signed in as", async () => {
    const { code, results, doc } = await preflight();
    assert.deepStrictEqual(results.filter((r) => r.status !== "ok"), []);
    assert.strictEqual(code, 0);
    assert.match(doc.signedInAs, /^service principal d0000000-0000-4000-8000-0000000000a1 \(object id d0000000-0000-4000-8000-000000000001, tenant 72f988bf-/);
    const ids = new Set(results.map((r) => r.id));
    for (const id of ["deployer", "subscription", "resource-group", "scope", "kubernetes-version", "vm-size", "rights", "graph-permissions", "pim", "existing-cluster", "credential-capacity"]) {
      assert.ok(ids.has(id), `check ${id} ran`);
    }
    assert.deepStrictEqual(doc.summary, { ok: results.length, problem: 0, unknown: 0 });
  });

  it("asks DefaultAzureCredential for tokens of the given --arm-endpoint and --graph-endpoint (any Azure cloud), and sends them there", async () => {
    await preflight();
    const calls = h.azCalls();
    assert.ok(calls.some((c) => c.includes(`--resource ${h.arm.url}`)), calls.join("\n"));
    assert.ok(calls.some((c) => c.includes(`--resource ${h.graph.url}`)), calls.join("\n"));
    assert.ok(!calls.some((c) => /management\.azure\.com|graph\.microsoft\.com/.test(c)), "never the public cloud's audience");
    assert.ok(h.arm.log.length > 0 && h.graph.log.length > 0);
  });

  describe("who is deploying", () => {
    it("a user signed in while the config says ServicePrincipal: problem, fix names the key", async () => {
      h.signIn({ type: "User" });
      h.world.usersMayCreateApps = true;
      const f = await onlyFinding("deployer");
      assert.match(f.message, /deployerPrincipalType is ServicePrincipal, but you are signed in as user ops-admin@contoso\.com .*UnmatchedPrincipalType/);
      assert.match(f.fix!, /deployerPrincipalType: User/);
    });

    it("deployerPrincipalType missing: exit 1 with the stack loader's own error (the key is required)", async () => {
      withConfig((c) => delete c.deployerPrincipalType);
      const run = await h.run("preflight", ["--stack", "ops"]);
      assert.strictEqual(run.code, 1);
      assert.match(run.stderr, /Stack 'ops' is missing configuration value 'deployerPrincipalType'\. Fix: add agent-identity:deployerPrincipalType/);
      assert.strictEqual(run.stdout, "");
    });

    it("exits 1 with a sign-in problem when DefaultAzureCredential finds no identity", async () => {
      h.signIn({ type: "Nobody" });
      const { code, results } = await preflight();
      assert.strictEqual(code, 1);
      assert.strictEqual(results.length, 1);
      assert.strictEqual(results[0].id, "sign-in");
      assert.match(results[0].message, /DefaultAzureCredential found no identity/);
      assert.match(results[0].fix!, /az login/);
    });
  });

  describe("subscription and resource group", () => {
    it("a disabled subscription is a problem", async () => {
      h.world.subscriptionState = "Disabled";
      const f = await onlyFinding("subscription");
      assert.match(f.message, /is Disabled/);
    });

    it("group exists but createResourceGroup is true: azure-native refuses to create an existing resource", async () => {
      withConfig((c) => (c.createResourceGroup = true));
      const f = await onlyFinding("resource-group");
      assert.match(f.message, /exists but createResourceGroup is true: azure-native refuses to create an existing resource/);
      assert.match(f.fix!, /set agent-identity:createResourceGroup: false/);
    });

    it("group missing but createResourceGroup is false: problem, fix says to create it or set true", async () => {
      h.world.resourceGroups.delete("contoso-agents");
      const f = await onlyFinding("resource-group");
      assert.match(f.message, /does not exist but createResourceGroup is false/);
      assert.match(f.fix!, /createResourceGroup: true .*az group create -n contoso-agents -l westeurope/);
    });
  });

  describe("scopes in config", () => {
    it("a JIT scope that does not exist: problem naming the key; rights and PIM there are not checked", async () => {
      h.world.resources.delete(DATA_SCOPE.toLowerCase());
      const { code, results } = await preflight();
      assert.strictEqual(code, 1);
      const scope = results.find((r) => r.id === "scope" && r.target === DATA_SCOPE)!;
      assert.strictEqual(scope.status, "problem");
      assert.match(scope.message, /does not exist \(named by agent-identity:agents\[0\]\.jit\[0\]\.scope\)/);
      assert.strictEqual(results.find((r) => r.id === "rights" && r.target === DATA_SCOPE)!.status, "unknown");
      assert.strictEqual(results.find((r) => r.id === "pim")!.status, "unknown");
    });

    it("a container registry that does not exist: problem naming containerRegistries[0]", async () => {
      h.world.resources.delete(REGISTRY_SCOPE.toLowerCase());
      const f = await onlyFinding("scope", "problem", REGISTRY_SCOPE);
      assert.match(f.message, /agent-identity:containerRegistries\[0\]/);
    });
  });

  describe("region offers", () => {
    it("a Kubernetes version AKS no longer offers in the region: problem listing what is offered", async () => {
      h.world.kubernetesVersions = h.world.kubernetesVersions.filter((v) => v.version !== "1.35");
      const f = await onlyFinding("kubernetes-version");
      assert.match(f.message, /Kubernetes 1\.35 is not offered by AKS in westeurope; offered: 1\.34/);
      assert.match(f.fix!, /az aks get-versions -l westeurope/);
    });

    it("a pinned patch that is not offered: problem listing the minor's patches", async () => {
      withConfig((c) => Object.assign(c.cluster, { kubernetesVersion: "1.35.9", upgradeChannel: "none" }));
      const f = await onlyFinding("kubernetes-version");
      assert.match(f.message, /patches of 1\.35: 1\.35\.1/);
    });

    it("a VM size missing in one zone: problem naming the zone and the zones to use", async () => {
      h.world.skus[0].zones = ["1", "2"];
      const f = await onlyFinding("vm-size");
      assert.match(f.message, /Standard_D4ds_v5 is not offered in zone 3 of westeurope \(offered: 1, 2\)/);
      assert.match(f.fix!, /availabilityZones to zones among \["1","2"\]/);
    });

    it("a VM size restricted for the subscription: problem with Azure's reason", async () => {
      h.world.skus[0].restrictions = [{ type: "Location", values: ["westeurope"], restrictionInfo: { locations: ["westeurope"] }, reasonCode: "NotAvailableForSubscription" }];
      const f = await onlyFinding("vm-size");
      assert.match(f.message, /restricted in westeurope for this subscription \(NotAvailableForSubscription\)/);
    });

    it("a VM size not offered at all: problem", async () => {
      h.world.skus[0].name = "Standard_D2s_v3";
      const f = await onlyFinding("vm-size");
      assert.match(f.message, /Standard_D4ds_v5 is not offered in westeurope/);
    });
  });

  describe("the deployer's rights", () => {
    it("Contributor cannot create role assignments: a problem at every scope that needs it, with the role to grant", async () => {
      h.world.roleAssignments = [{ scope: `/subscriptions/${SUB}`, principalId: "d0000000-0000-4000-8000-000000000001", roleGuid: CONTRIBUTOR }];
      const { code, results } = await preflight();
      assert.strictEqual(code, 1);
      const rights = results.filter((r) => r.id === "rights");
      assert.strictEqual(rights.length, 5);
      assert.ok(rights.every((r) => r.status === "problem"), JSON.stringify(rights));
      const data = rights.find((r) => r.target === DATA_SCOPE)!;
      assert.match(data.message, /may not Microsoft\.Authorization\/roleEligibilityScheduleRequests\/write, Microsoft\.Authorization\/roleManagementPolicies\/write here \(holds Contributor/);
      assert.match(data.fix!, /Role Based Access Control Administrator/);
    });

    it("Owner granted only on another group does not count for this scope", async () => {
      h.world.roleAssignments = [{ scope: `/subscriptions/${SUB}/resourceGroups/contoso-shared`, principalId: "d0000000-0000-4000-8000-000000000001", roleGuid: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" }];
      const { results } = await preflight();
      assert.strictEqual(results.find((r) => r.id === "rights" && r.target === REGISTRY_SCOPE)!.status, "ok");
      assert.strictEqual(results.find((r) => r.id === "rights" && r.target === DATA_SCOPE)!.status, "problem");
    });

    it("a service principal without AppRoleAssignment.ReadWrite.All: Graph problem naming the missing permission", async () => {
      h.world.deployerGraphRoles = ["Application.ReadWrite.OwnedBy"];
      const f = await onlyFinding("graph-permissions");
      assert.match(f.message, /holds Graph application permissions Application\.ReadWrite\.OwnedBy; it lacks AppRoleAssignment\.ReadWrite\.All with Application\.Read\.All/);
      assert.match(f.fix!, /admin-consent/);
    });

    it("Application.ReadWrite.All alone is enough for a service principal", async () => {
      h.world.deployerGraphRoles = ["Application.ReadWrite.All"];
      assert.ok(GRAPH_ROLES["Application.ReadWrite.All"]);
      const { results } = await preflight();
      assert.strictEqual(results.find((r) => r.id === "graph-permissions")!.status, "ok");
    });

    it("a user in a tenant where users may not register apps and without a directory role: problem; with Application Developer: ok", async () => {
      withConfig((c) => (c.deployerPrincipalType = "User"));
      h.signIn({ type: "User" });
      const f = await onlyFinding("graph-permissions");
      assert.match(f.message, /does not let users register applications/);
      assert.match(f.fix!, /Application Developer/);
      h.world.myDirectoryRoles = ["cf1c38e5-3621-4004-a7cb-879624dced7c"];
      const { code, results } = await preflight();
      assert.strictEqual(results.find((r) => r.id === "graph-permissions")!.message, "You hold Application Developer: you can create 1 API registration(s) and their app role grants.");
      assert.strictEqual(code, 0);
    });
  });

  describe("PIM", () => {
    it("role management policies cannot be read (no licence or no right): problem with Azure's code and the licence in the fix", async () => {
      h.arm.faults.push({ pathIncludes: "roleManagementPolicyAssignments", status: 403, code: "AuthorizationFailed" });
      const f = await onlyFinding("pim");
      assert.match(f.message, /The PIM policy cannot be read: HTTP 403: AuthorizationFailed/);
      assert.match(f.fix!, /Microsoft Entra ID P2/);
    });

    it("no policy listed for a built-in JIT role: problem", async () => {
      withConfig((c) => (c.agents[0].jit[0].role = "Storage Blob Data Owner"));
      const f = await onlyFinding("pim");
      assert.match(f.message, /Azure lists no PIM policy for this role at this scope/);
    });
  });

  describe("an adopted cluster and existing identities", () => {
    const clusterId = `/subscriptions/${SUB}/resourceGroups/contoso-agents/providers/Microsoft.ContainerService/managedClusters/contoso-aks`;

    it("an adopted cluster with the OIDC issuer and workload identity: ok", async () => {
      withConfig((c) => (c.cluster.existingClusterId = clusterId));
      const { code, results } = await preflight();
      assert.strictEqual(code, 0, JSON.stringify(results.filter((r) => r.status !== "ok")));
      assert.match(results.find((r) => r.id === "existing-cluster")!.message, /has the OIDC issuer \(https:\/\/westeurope\.oic\.prod-aks\.azure\.com\/.*\) and workload identity enabled/);
    });

    it("an adopted cluster without workload identity: problem with the az aks update that fixes it", async () => {
      withConfig((c) => (c.cluster.existingClusterId = clusterId));
      h.world.clusters.get("contoso-agents/contoso-aks")!.workloadIdentity = false;
      const f = await onlyFinding("existing-cluster");
      assert.match(f.message, /does not have workload identity enabled/);
      assert.strictEqual(f.fix, "az aks update -g contoso-agents -n contoso-aks --enable-oidc-issuer --enable-workload-identity");
    });

    it("an existing identity with 20 other federated credentials would exceed the limit: problem", async () => {
      h.world.credentials.set(
        "scanner",
        Array.from({ length: 20 }, (_, i) => ({ name: `other-${i}`, issuer: "https://example/", subject: `system:serviceaccount:x:sa${i}`, audiences: ["api://AzureADTokenExchange"] })),
      );
      const f = await onlyFinding("credential-capacity");
      assert.strictEqual(f.target, "scanner");
      assert.match(f.message, /already holds 20 other federated credential\(s\) .* it would hold 21, above Azure's limit of 20/);
    });
  });

  it("a read Azure refuses (403 on the SKU list) is 'could not check' and exits 1", async () => {
    h.arm.faults.push({ pathIncludes: "Microsoft.Compute/skus", status: 403, code: "AuthorizationFailed" });
    const f = await onlyFinding("vm-size", "unknown");
    assert.match(f.message, /Could not read the VM sizes offered in westeurope: HTTP 403: AuthorizationFailed/);
    assert.match(f.fix!, /read access/);
  });

  describe("the command line", () => {
    it("exits 2 on usage errors: no --stack, a bad --format, an unknown stack, a non-https endpoint", async () => {
      for (const args of [[], ["--stack", "ops", "--format", "xml"], ["--stack", "nope"], ["--stack", "ops", "--arm-endpoint", "http://127.0.0.1:1"], ["--stack", "ops", "--bogus"]]) {
        const run = await h.run("preflight", args);
        assert.strictEqual(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
        assert.strictEqual(run.stdout, "");
        assert.match(run.stderr, /Usage: npm run preflight/);
      }
    });

    it("exits 2 when no subscription is known, and names where to set it", async () => {
      const config = healthyConfig();
      h.project.write(config);
      const file = require("path").join(h.project.dir, "Pulumi.ops.yaml");
      const fs = require("fs");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/^\s*azure-native:subscriptionId:.*\n/m, ""));
      const run = await h.run("preflight", ["--stack", "ops"]);
      assert.strictEqual(run.code, 2);
      assert.match(run.stderr, /No subscription\. Fix: pass --subscription <id>, set azure-native:subscriptionId/);
    });

    it("exits 1 with the config's own validation error for an invalid stack", async () => {
      withConfig((c) => (c.agents[0].image = "contosoacr.azurecr.io/agents/scanner:latest"));
      const run = await h.run("preflight", ["--stack", "ops"]);
      assert.strictEqual(run.code, 1);
      assert.match(run.stderr, /agent-identity:agents\[0\]\.image \(agent "scanner"\): .*"latest"/);
    });

    it("runs as a child process (npm run preflight's script) trusting the doubles through NODE_EXTRA_CA_CERTS, and prints --help", async () => {
      const run = await h.spawn("preflight", ["--stack", "ops"]);
      assert.strictEqual(run.code, 0, run.stderr + run.stdout);
      assert.match(run.stdout, /^preflight of stack ops\nSigned in with DefaultAzureCredential as service principal /);
      assert.match(run.stdout, /\n\d+ ok, 0 problem\(s\), 0 could not be checked\.\n$/);
      const help = await h.spawn("preflight", ["--help"], false);
      assert.strictEqual(help.code, 0);
      assert.match(help.stdout, /^Usage: npm run preflight -- --stack <name>/);
      assert.match(help.stdout, /--arm-endpoint <url>/);
    });
  });
});
