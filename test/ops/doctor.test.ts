/**
 * doctor against the ARM, Graph and Kubernetes doubles (shapes cited in armRoutes.ts, graphRoutes.ts,
 * kubeRoutes.ts): a healthy deployment, then each mismatch of issue 9 seeded one at a time, with the
 * finding, the words of the error a pod would see, and the fix. Last, every request was a read.
 */
import * as assert from "assert";
import { Harness } from "./harness";
import { CheckResult } from "../../ops/lib/check";
import { AGENTS, CUSTOM_ROLE, ISSUER, mutatedPod } from "./world";
import { DATA_SCOPE } from "./stack";

describe("npm run doctor against ARM, Graph and Kubernetes doubles on 127.0.0.1", function () {
  const h = new Harness();
  before(() => h.start());
  after(() => h.stop());
  beforeEach(() => h.reset());

  async function doctor(...args: string[]): Promise<{ code: number | null; results: CheckResult[]; stderr: string }> {
    const run = await h.run("doctor", ["--stack", "ops", "--format", "json", ...args]);
    return { code: run.code, results: run.stdout ? JSON.parse(run.stdout).results : [], stderr: run.stderr };
  }

  async function onlyProblem(id: string, status: "problem" | "unknown" = "problem"): Promise<CheckResult> {
    const { code, results } = await doctor();
    assert.strictEqual(code, 1);
    const bad = results.filter((r) => r.status !== "ok");
    assert.strictEqual(bad.length, 1, JSON.stringify(bad, null, 1));
    assert.strictEqual(bad[0].id, id);
    assert.strictEqual(bad[0].status, status);
    return bad[0];
  }

  const scannerCredential = () => h.world.credentials.get("scanner")![0];

  it("a healthy deployment: every check ok for every agent, exit 0", async () => {
    const { code, results } = await doctor();
    assert.deepStrictEqual(results.filter((r) => r.status !== "ok"), []);
    assert.strictEqual(code, 0);
    const ids = results.map((r) => `${r.id} ${r.target ?? ""}`);
    for (const expected of ["federated-credential scanner", "federated-credential reviewer", "service-account scanner", "pods scanner", "pods reviewer", "app-role-grants reviewer", "allowed-callers reviewer", "eligibility scanner", "pim-policy Sensitive Data Reader"]) {
      assert.ok(ids.some((id) => id.startsWith(expected)), `${expected} in ${ids.join("\n")}`);
    }
  });

  describe("federated credentials", () => {
    it("an issuer without the trailing slash: AADSTS70021 with the exact assertion values, and the difference named", async () => {
      scannerCredential().issuer = ISSUER.replace(/\/$/, "");
      const f = await onlyProblem("federated-credential");
      assert.strictEqual(f.target, "scanner system:serviceaccount:agents:scanner");
      assert.match(f.message, /issuer is "https:\/\/westeurope\.oic\.prod-aks\.azure\.com\/.*-000000000000" but must be ".*-000000000000\/" \(they differ only in the trailing slash\)/);
      assert.ok(f.message.includes(`AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${ISSUER}'. Assertion Subject: 'system:serviceaccount:agents:scanner'. Assertion Audience: 'api://AzureADTokenExchange'.`));
      assert.match(f.fix!, /az identity federated-credential update -g contoso-agents --identity-name scanner -n agents-scanner --issuer "https:\/\/westeurope/);
    });

    it("a subject in the wrong namespace: problem naming both subjects", async () => {
      scannerCredential().subject = "system:serviceaccount:default:scanner";
      const f = await onlyProblem("federated-credential");
      assert.match(f.message, /subject is "system:serviceaccount:default:scanner" but must be "system:serviceaccount:agents:scanner"/);
    });

    it("a wrong audience: problem", async () => {
      scannerCredential().audiences = ["api://AzureADTokenExchange/"];
      const f = await onlyProblem("federated-credential");
      assert.match(f.message, /audiences are \["api:\/\/AzureADTokenExchange\/"\] but must include "api:\/\/AzureADTokenExchange"/);
    });

    it("no credential for the ServiceAccount at all: problem", async () => {
      h.world.credentials.set("scanner", []);
      const f = await onlyProblem("federated-credential");
      assert.match(f.message, /has no federated credential for system:serviceaccount:agents:scanner; pods get "AADSTS70021/);
    });
  });

  describe("ServiceAccount and pods", () => {
    it("a ServiceAccount annotated with another client id: problem with the annotate command", async () => {
      h.world.serviceAccounts.get("scanner")!.clientId = "c0000000-0000-4000-8000-0000000000ff";
      const f = await onlyProblem("service-account");
      assert.match(f.message, /azure\.workload\.identity\/client-id is "c0000000-0000-4000-8000-0000000000ff" but the identity's client id is "c0000000-0000-4000-8000-00000000000a"/);
      assert.match(f.fix!, /kubectl annotate serviceaccount -n agents scanner azure\.workload\.identity\/client-id=c0000000-0000-4000-8000-00000000000a --overwrite/);
    });

    it("the label on the Deployment instead of the pod template: the pod is not labelled, and the finding says where the label sits", async () => {
      const d = h.world.deployments.get("scanner")!;
      d.labels["azure.workload.identity/use"] = "true";
      delete d.templateLabels["azure.workload.identity/use"];
      const pod = h.world.pods.find((p) => p.agent === "scanner")!;
      delete pod.labels["azure.workload.identity/use"];
      pod.env = {};
      pod.tokenVolume = undefined;
      const f = await onlyProblem("pods");
      assert.match(f.message, /lacks the label azure\.workload\.identity\/use: "true", which sits on the Deployment instead of the pod template/);
      assert.match(f.fix!, /spec\.template\.metadata\.labels .* kubectl rollout restart deployment\/scanner -n agents/);
    });

    it("a labelled pod the webhook did not mutate: problem naming what is missing", async () => {
      const pod = h.world.pods.find((p) => p.agent === "scanner")!;
      pod.env = {};
      pod.tokenVolume = undefined;
      const f = await onlyProblem("pods");
      assert.match(f.message, /was not mutated by the workload identity webhook: container agent lacks AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST; the projected token volume azure-identity-token is absent/);
    });

    it("a pod started before the ServiceAccount's annotation last changed: it still carries the old client id; fix is a restart", async () => {
      h.world.serviceAccounts.get("scanner")!.annotatedAt = "2026-11-29T10:00:00Z";
      h.world.pods = h.world.pods.map((p) => (p.agent === "scanner" ? mutatedPod("scanner", "c0000000-0000-4000-8000-0000000000ee") : p));
      const f = await onlyProblem("pods");
      assert.match(f.message, /started at 2026-11-29T09:00:00\.000Z, before the ServiceAccount's azure\.workload\.identity\/client-id last changed \(2026-11-29T10:00:00\.000Z\): it still carries AZURE_CLIENT_ID=c0000000-0000-4000-8000-0000000000ee instead of c0000000-0000-4000-8000-00000000000a/);
      assert.strictEqual(f.fix, "kubectl rollout restart deployment/scanner -n agents");
    });

    it("a pod running as another ServiceAccount: its token's subject matches no credential (AADSTS70021)", async () => {
      h.world.pods.find((p) => p.agent === "scanner")!.serviceAccount = "default";
      const f = await onlyProblem("pods");
      assert.match(f.message, /runs as ServiceAccount default, not scanner: its token's subject is system:serviceaccount:agents:default, which no federated credential trusts \(AADSTS70021\)/);
    });

    it("no pod running although replicas are asked for: problem", async () => {
      h.world.pods = h.world.pods.filter((p) => p.agent !== "reviewer");
      const f = await onlyProblem("pods");
      assert.match(f.message, /No pod of reviewer is running although the Deployment asks for 1/);
    });
  });

  describe("the call graph", () => {
    it("a caller without its app role grant: AADSTS501051 in the finding", async () => {
      h.world.reviewerGrants = [];
      const f = await onlyProblem("app-role-grants");
      assert.match(f.message, /scanner is not granted Agent\.Invoke: Entra ID refuses their token \(AADSTS501051/);
    });

    it("a grant to an identity outside the call graph: problem", async () => {
      h.world.reviewerGrants.push(AGENTS.reviewer.principalId);
      const f = await onlyProblem("app-role-grants");
      assert.match(f.message, /e0000000-0000-4000-8000-00000000000b \(e0000000-0000-4000-8000-00000000000b\) is granted Agent\.Invoke but not in the call graph/);
    });

    it("the callee's allowed callers differ from the graph: problem", async () => {
      h.world.deployments.get("reviewer")!.env.AGENT_AUTH_ALLOWED_CALLERS = AGENTS.reviewer.principalId;
      const f = await onlyProblem("allowed-callers");
      assert.match(f.message, /AGENT_AUTH_ALLOWED_CALLERS lacks scanner: their calls get 403; AGENT_AUTH_ALLOWED_CALLERS admits e0000000-0000-4000-8000-00000000000b, outside the call graph/);
    });
  });

  describe("just-in-time access", () => {
    it("a missing eligibility: problem in the words of the JIT client's error", async () => {
      h.world.eligibilities = [];
      const f = await onlyProblem("eligibility");
      assert.match(f.message, /Azure holds no eligibility of scanner \(e0000000-0000-4000-8000-00000000000a\) for Sensitive Data Reader here: activation fails with ERR_JIT_NO_ELIGIBILITY/);
    });

    it("an eligibility that has ended: problem, fix moves eligibilityStart", async () => {
      Object.assign(h.world.eligibilities[0], { startDateTime: "2025-06-01T00:00:00Z", endDateTime: "2025-11-28T00:00:00Z" });
      const f = await onlyProblem("eligibility");
      assert.match(f.message, /The eligibility ended at 2025-11-28T00:00:00\.000Z/);
      assert.match(f.fix!, /pim\.eligibilityStart forward/);
    });

    it("an eligibility on another schedule than pim.eligibilityStart + eligibilityDuration: problem naming both", async () => {
      h.world.eligibilities[0].endDateTime = "2027-12-01T00:00:00Z";
      const f = await onlyProblem("eligibility");
      assert.match(f.message, /from 2026-12-01T00:00:00\.000Z until 2027-12-01T00:00:00\.000Z, but the plan says 2026-12-01T00:00:00\.000Z until 2027-05-30T00:00:00\.000Z/);
    });

    it("a policy whose activation cap was raised in the portal: problem naming the rule and field", async () => {
      const rules = h.world.policies.get(`${DATA_SCOPE.toLowerCase()}|${CUSTOM_ROLE}`) as Array<Record<string, any>>;
      rules.find((r) => r.id === "Expiration_EndUser_Assignment")!.maximumDuration = "PT8H";
      const f = await onlyProblem("pim-policy");
      assert.match(f.message, /Expiration_EndUser_Assignment\.maximumDuration is "PT8H", expected "PT2H"/);
    });

    it("a policy that now requires MFA (which no workload can satisfy): problem", async () => {
      const rules = h.world.policies.get(`${DATA_SCOPE.toLowerCase()}|${CUSTOM_ROLE}`) as Array<Record<string, any>>;
      rules.find((r) => r.id === "Enablement_EndUser_Assignment")!.enabledRules = ["Justification", "MultiFactorAuthentication"];
      const f = await onlyProblem("pim-policy");
      assert.match(f.message, /Enablement_EndUser_Assignment\.enabledRules is \["Justification","MultiFactorAuthentication"\], expected \["Justification"\]/);
    });
  });

  describe("the command line", () => {
    it("--agent limits the examination to one agent", async () => {
      const { code, results } = await doctor("--agent", "reviewer");
      assert.strictEqual(code, 0);
      assert.ok(results.length > 0);
      assert.ok(results.every((r) => (r.target ?? "").startsWith("reviewer") || r.id === "eligibility"), JSON.stringify(results));
      assert.ok(!h.kube.log.some((r) => r.path.includes("scanner")), "scanner's objects were not read");
    });

    it("exits 2 for an unknown --agent or --context, naming the choices", async () => {
      const agent = await h.run("doctor", ["--stack", "ops", "--agent", "nope"]);
      assert.strictEqual(agent.code, 2);
      assert.match(agent.stderr, /--agent "nope" is not an agent of stack ops\. Fix: use one of scanner, reviewer/);
      const context = await h.run("doctor", ["--stack", "ops", "--context", "nope"]);
      assert.strictEqual(context.code, 2);
      assert.match(context.stderr, /--context "nope" is not in the kubeconfig\. Fix: use one of contoso-aks, other/);
      const other = await h.run("doctor", ["--stack", "ops", "--context", "other"]);
      assert.strictEqual(other.code, 0, other.stdout);
    });

    it("the Kubernetes API refusing reads (403) is 'could not check' with the status, and exit 1", async () => {
      h.kube.faults.push({ pathIncludes: "/pods", status: 403, code: "Forbidden" });
      const { code, results } = await doctor();
      assert.strictEqual(code, 1);
      const pods = results.filter((r) => r.id === "pods");
      assert.strictEqual(pods.length, 2);
      assert.ok(pods.every((r) => r.status === "unknown" && /HTTP 403/.test(r.message)), JSON.stringify(pods));
    });

    it("runs as a child process with --help", async () => {
      const help = await h.spawn("doctor", ["--help"], false);
      assert.strictEqual(help.code, 0);
      assert.match(help.stdout, /^Usage: npm run doctor -- --stack <name> \[--agent <name>\] \[--context <kube context>\]/);
    });
  });

  it("sends only reads: every request preflight and doctor made to the three doubles was a GET", async () => {
    await h.run("preflight", ["--stack", "ops"]);
    await h.run("doctor", ["--stack", "ops"]);
    const all = h.requests();
    for (const double of ["arm", "graph", "kube"]) {
      assert.ok(all.some((r) => r.double === double), `${double} was asked`);
    }
    assert.deepStrictEqual(all.filter((r) => r.method !== "GET").map((r) => `${r.double} ${r.method} ${r.path}`), []);
    assert.ok(all.every((r) => r.authorization?.startsWith("Bearer ")), "every request carried a token");
  });
});
