import * as assert from "assert";
import { AgentGraphError, agentGraph } from "../../components/platform/agentGraph";
import { rawConfigFromPulumi, validateStackConfig } from "../../config/load";
import { RawConfig, mutatedConfig } from "../helpers";

// Pure: the graph is computed from the validated config alone, no Pulumi runtime, no mocks.
const config = (mutate: (c: RawConfig) => void = () => undefined) => validateStackConfig(rawConfigFromPulumi(mutatedConfig("production", mutate)));
const DATA = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-customer-data/providers/Microsoft.Storage/storageAccounts/fabrikamcustomerdata";
const BLOB_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";

describe("the agent graph (pure, from the validated config)", () => {
  it("gives each agent its own ServiceAccount and subject, then its extra ServiceAccounts", () => {
    const graph = agentGraph(
      config((c) => {
        c.agents[1].serviceAccountName = "style";
        c.agents[1].extraServiceAccounts = [{ namespace: "ci", name: "style-ci" }];
      }),
    );
    const style = graph.byName.get("style-checker")!;
    assert.deepStrictEqual(style.serviceAccount, { namespace: "agents", name: "style" });
    assert.strictEqual(style.subject, "system:serviceaccount:agents:style");
    assert.deepStrictEqual(style.serviceAccounts, [{ namespace: "agents", name: "style" }, { namespace: "ci", name: "style-ci" }]);
    assert.deepStrictEqual(graph.byName.get("security-scanner")!.serviceAccount, { namespace: "agents", name: "security-scanner" });
  });

  it("computes callers (sorted) and callees with their in-cluster URLs and ports, and lists the callees in config order", () => {
    const graph = agentGraph(
      config((c) => {
        c.agents[3].calls = ["syntax-analyzer"];
        c.agents[2].port = 9090;
      }),
    );
    assert.deepStrictEqual(graph.byName.get("code-review-orchestrator")!.callers, ["security-scanner", "style-checker", "syntax-analyzer"]);
    assert.deepStrictEqual(graph.byName.get("syntax-analyzer")!.callers, ["code-review-orchestrator"]);
    assert.deepStrictEqual(graph.byName.get("code-review-orchestrator")!.callees, [{ name: "syntax-analyzer", port: 9090, url: "http://syntax-analyzer.agents.svc.cluster.local:9090" }]);
    assert.deepStrictEqual(graph.byName.get("security-scanner")!.callees, [{ name: "code-review-orchestrator", port: 8080, url: "http://code-review-orchestrator.agents.svc.cluster.local:8080" }]);
    assert.deepStrictEqual(graph.byName.get("style-checker")!.callers, []);
    assert.deepStrictEqual(graph.callees.map((a) => a.name), ["syntax-analyzer", "code-review-orchestrator"]);
  });

  it("groups JIT entries per role and scope: the same role by name or GUID, the scope in any case, is one group", () => {
    const graph = agentGraph(
      config((c) => {
        c.agents[1].jit = [{ role: "Sensitive Data Reader", scope: DATA.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/"), maxDuration: "PT4H", justification: "Checks style rules against customer data." }];
        c.agents[0].roleAssignments = []; // a role behind JIT is never standing
        c.agents[2].jit = [{ role: "Storage Blob Data Reader", scope: DATA, justification: "Reads sample files for syntax checks." }];
        c.agents[3].jit = [{ role: BLOB_READER, scope: DATA.toLowerCase(), justification: "The same role by its GUID." }];
      }),
    );
    assert.deepStrictEqual(
      graph.jitGroups.map((g) => ({ key: g.key, role: g.role, kind: g.resolved.kind, max: g.maxDuration, eligible: g.eligible.map((e) => e.agent) })),
      [
        { key: `custom:Sensitive Data Reader@${DATA.toLowerCase()}`, role: "Sensitive Data Reader", kind: "custom", max: "PT4H", eligible: ["security-scanner", "style-checker"] },
        { key: `guid:${BLOB_READER}@${DATA.toLowerCase()}`, role: "Storage Blob Data Reader", kind: "builtIn", max: "PT1H", eligible: ["syntax-analyzer", "code-review-orchestrator"] },
      ],
    );
    assert.strictEqual(graph.jitGroups[0].eligible[1].justification, "Checks style rules against customer data.");
  });

  it("resolves each standing assignment's role, keeping the role as written", () => {
    const graph = agentGraph(config());
    assert.deepStrictEqual(graph.byName.get("security-scanner")!.standing.map((s) => [s.role, s.resolved]), [
      ["Storage Blob Data Reader", { kind: "builtIn", name: "Storage Blob Data Reader", guid: BLOB_READER }],
    ]);
    assert.deepStrictEqual(graph.byName.get("style-checker")!.standing, []);
  });

  it("refuses an unvalidated config that calls an unknown agent or names an unknown role, with a stable code", () => {
    const valid = config();
    const unknownCallee = { ...valid, agents: valid.agents.map((a, i) => (i === 0 ? { ...a, calls: ["ghost"] } : a)) };
    assert.throws(() => agentGraph(unknownCallee), (e: unknown) => e instanceof AgentGraphError && e.code === "ERR_AGENT_GRAPH" && e.message.includes('"ghost"'));
    const unknownRole = { ...valid, agents: valid.agents.map((a, i) => (i === 0 ? { ...a, roleAssignments: [{ role: "No Such Role", scope: DATA }] } : a)) };
    assert.throws(() => agentGraph(unknownRole), (e: unknown) => e instanceof AgentGraphError && e.message.includes('"No Such Role"'));
  });
});
