/**
 * The plan graph's indexes answer as scans of the plan would, and every renderer handles a
 * 1000-agent plan completely (correctness only: speed is measured by `npm run bench`).
 */
import * as assert from "assert";
import { planStack } from "../plan";
import type { Plan, PlannedResource } from "../plan/evaluate";
import { PlanGraph } from "../plan/graph";
import { renderJson } from "../plan/render/json";
import { renderMermaid } from "../plan/render/mermaid";
import { renderTable } from "../plan/render/table";
import { syntheticPlan } from "./lib/syntheticPlan";

const AGENTS = 1000;
const agentName = (i: number) => `agent-${String(i).padStart(4, "0")}`;

describe("the plan graph", () => {
  let plan: Plan;
  before(async () => {
    plan = await planStack("production");
  });

  it("lists each type's resources, and each resource's children, in plan order as a scan would", () => {
    const g = new PlanGraph(plan.resources);
    for (const type of new Set(plan.resources.map((r) => r.type))) {
      assert.deepStrictEqual(g.ofType(type), plan.resources.filter((r) => r.type === type), type);
    }
    for (const r of plan.resources) {
      const children = plan.resources.filter((c) => c.parent === r.urn);
      assert.deepStrictEqual(g.childrenOf(r.urn), children, r.urn);
      assert.strictEqual(g.hasChildren(r.urn), children.length > 0, r.urn);
    }
    assert.deepStrictEqual(g.ofType("no:such:Type"), []);
    assert.deepStrictEqual(g.childrenOf("urn:pulumi:production::agent-identity::none::none"), []);
  });

  it("finds a resource by type and name as a scan would, and names what is missing", () => {
    const g = new PlanGraph(plan.resources);
    for (const r of plan.resources) {
      assert.strictEqual(g.named(r.type, r.name), plan.resources.find((x) => x.type === r.type && x.name === r.name));
      assert.strictEqual(g.one(r.type, r.name), g.named(r.type, r.name));
    }
    assert.strictEqual(g.named("kubernetes:apps/v1:Deployment", "nobody-deployment"), undefined);
    assert.throws(() => g.one("kubernetes:apps/v1:Deployment", "nobody-deployment"), /The plan has no kubernetes:apps\/v1:Deployment named nobody-deployment\./);
  });

  it("returns copies, so a caller sorting an answer does not change the index", () => {
    const g = new PlanGraph(plan.resources);
    const deployments = g.ofType("kubernetes:apps/v1:Deployment");
    const before = deployments.map((d) => d.urn);
    deployments.reverse();
    assert.deepStrictEqual(g.ofType("kubernetes:apps/v1:Deployment").map((d) => d.urn), before);
  });
});

describe(`the renderers on a ${AGENTS}-agent plan`, () => {
  let plan: Plan;
  let byUrn: Map<string, PlannedResource>;
  before(async () => {
    plan = await syntheticPlan(AGENTS);
    byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  });

  it("is a well-formed plan: unique URNs, every parent and dependency registered", () => {
    assert.strictEqual(byUrn.size, plan.resources.length);
    assert.ok(plan.resources.length > 12 * AGENTS);
    for (const r of plan.resources) {
      if (r.parent !== null) assert.ok(byUrn.has(r.parent), r.urn);
      for (const d of r.dependsOn) assert.ok(byUrn.has(d), `${r.urn} -> ${d}`);
    }
  });

  it("table: one row per agent and one call row per caller, each admitted by the callee's network policy", () => {
    const text = renderTable(plan);
    const lines = text.split("\n");
    for (let i = 0; i < AGENTS; i++) {
      const agent = agentName(i);
      assert.ok(lines.some((l) => l.startsWith(`${agent}  `) && l.includes(`<platform-${agent}-identity.clientId>`)), agent);
    }
    const calls = lines.filter((l) => /^agent-\d{4}\s+agent-\d{4}\s+Agent\.Invoke\s+yes$/.test(l));
    assert.strictEqual(calls.length, AGENTS - 1);
    assert.match(text, new RegExp(`Stack bench \\(project agent-identity\\): ${plan.resources.length} resources registered offline`));
  });

  it("mermaid: every resource once, every dependency between resources as an arrow, every call as a dotted arrow", () => {
    const text = renderMermaid(plan);
    const lines = new Set(text.split("\n"));
    const ids = new Map(plan.resources.map((r, i) => [r.urn, `r${i}`]));
    const g = new PlanGraph(plan.resources);
    const isComponent = (r: PlannedResource) => g.hasChildren(r.urn) || !r.type.includes(":") || r.type.startsWith("agent-identity:");
    const declared = text.split("\n").filter((l) => /^\s+(subgraph )?r\d+\[/.test(l));
    assert.strictEqual(declared.length, plan.resources.length - 1, "every resource but the stack is drawn once");
    let arrows = 0;
    for (const r of plan.resources) {
      if (isComponent(r)) continue;
      for (const d of r.dependsOn) {
        if (isComponent(byUrn.get(d) as PlannedResource)) continue;
        arrows++;
        assert.ok(lines.has(`  ${ids.get(r.urn)} --> ${ids.get(d)}`), `${r.name} -> ${d}`);
      }
    }
    assert.strictEqual(text.split("\n").filter((l) => / --> /.test(l)).length, arrows);
    assert.strictEqual(text.split("\n").filter((l) => / -\. calls \.-> /.test(l)).length, AGENTS - 1);
  });

  it("json: one document with every resource", () => {
    const doc = JSON.parse(renderJson(plan));
    assert.strictEqual(doc.resources.length, plan.resources.length);
    assert.deepStrictEqual(doc.resources.map((r: PlannedResource) => r.urn), plan.resources.map((r) => r.urn));
  });
});
