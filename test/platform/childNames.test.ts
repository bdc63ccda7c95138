import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AgentPlatform } from "../../components";
import { PlannedResource, evaluateProgram } from "../../plan/evaluate";
import { rawConfigFromPulumi } from "../../config/load";
import { TYPES, evaluate, stackFileConfig } from "../helpers";
import program = require("../../index");

const FIXTURES = path.resolve(__dirname, "..", "..", "..", "test", "fixtures");

/** Alias names (Alias.Spec.name) each registration carried, by `type::name`. */
type AliasSpecs = Map<string, string[]>;

/** Records the alias specs the SDK sends with every registration (from inside the program, after the mocks are set). */
function recordAliasSpecs(specs: AliasSpecs): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: unknown): unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, cb: unknown) => {
    specs.set(`${req.getType()}::${req.getName()}`, (req.getAliasesList() as any[]).map((a) => a.getSpec()?.getName()).filter((n: unknown) => typeof n === "string" && n !== ""));
    return register(req, cb);
  };
}

/**
 * The URNs the engine matches a resource to, besides its own: each alias spec (a new name, same type and
 * parent), and each alias of its parent carried down with the parent's name prefix replaced in the child's
 * name, the rule of @pulumi/pulumi resource.ts `inheritedChildAlias` (the engine applies the same to alias
 * specs: pulumi/pulumi pkg/resource/deploy "inherited child aliases").
 */
function aliasUrns(resources: PlannedResource[], specs: AliasSpecs): Map<string, string[]> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const memo = new Map<string, string[]>();
  const withName = (urn: string, name: string) => `${urn.slice(0, urn.lastIndexOf("::") + 2)}${name}`;
  const aliases = (r: PlannedResource): string[] => {
    const known = memo.get(r.urn);
    if (known) return known;
    const own = (specs.get(`${r.type}::${r.name}`) ?? []).map((name) => withName(r.urn, name));
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    const inherited = parent
      ? aliases(parent).map((parentAlias) => {
          const parentAliasName = parentAlias.slice(parentAlias.lastIndexOf("::") + 2);
          return withName(r.urn, r.name.startsWith(parent.name) ? parentAliasName + r.name.slice(parent.name.length) : r.name);
        })
      : [];
    const all = [...own, ...inherited];
    memo.set(r.urn, all);
    return all;
  };
  return new Map(resources.map((r) => [r.urn, aliases(r)]));
}

/**
 * The documented URN change: every resource under a direct child of the platform, except the resource
 * group and the audit trail (already named `<platform>-...`), gets the platform's name in front of its name.
 */
function documentedRename(urn: string): string {
  const [head, name] = [urn.slice(0, urn.lastIndexOf("::") + 2), urn.slice(urn.lastIndexOf("::") + 2)];
  const underPlatform = head.includes("::agent-identity:index:AgentPlatform$");
  return underPlatform && !name.startsWith("platform-") ? `${head}platform-${name}` : urn;
}

describe("child names carry the platform's name", () => {
  for (const stack of ["production", "staging"]) {
    it(`changes the ${stack} plan's URNs exactly as documented, each from an alias of its old URN`, async () => {
      const before = fs.readFileSync(path.join(FIXTURES, `${stack}-urns-before-child-prefix.txt`), "utf8").trim().split("\n");
      const specs: AliasSpecs = new Map();
      const plan = await evaluateProgram({
        project: "agent-identity",
        stack,
        config: stackFileConfig(stack),
        program: () => {
          recordAliasSpecs(specs);
          return program();
        },
        // The aliases as the Pulumi CLI's run sends them: the offline plan's fast path drops aliases.
        sdkBookkeeping: true,
      });
      const now = plan.resources.map((r) => r.urn);
      assert.deepStrictEqual([...now].sort(), before.map(documentedRename).sort(), "the new URNs are the old ones renamed by the documented rule");
      const aliases = aliasUrns(plan.resources, specs);
      const changed = before.filter((urn) => documentedRename(urn) !== urn);
      assert.ok(changed.length > 20, `${changed.length} URNs change`);
      for (const old of changed) {
        assert.ok(aliases.get(documentedRename(old))!.includes(old), `${documentedRename(old)} has an alias from ${old}`);
      }
      for (const unchanged of before.filter((urn) => documentedRename(urn) === urn)) {
        assert.ok(now.includes(unchanged), `${unchanged} is kept`);
      }
    });
  }

  it("lets two platforms with agents of the same name evaluate in one stack, with no URN collision", async () => {
    const raw = rawConfigFromPulumi(stackFileConfig("staging")) as any;
    const plan = await evaluate(() => {
      new AgentPlatform("blue", raw);
      new AgentPlatform("green", { ...raw, resourceGroupName: "fabrikam-agents-green", cluster: { ...raw.cluster, name: "fabrikam-aks-green" } });
      return {};
    });
    const urns = plan.resources.map((r) => r.urn);
    assert.strictEqual(new Set(urns).size, urns.length, "every URN is unique");
    const identities = plan.resources.filter((r) => r.type === TYPES.identityComponent).map((r) => r.name).sort();
    const agents = (raw.agents as Array<{ name: string }>).map((a) => a.name);
    assert.deepStrictEqual(identities, [...agents.map((a) => `blue-${a}`), ...agents.map((a) => `green-${a}`)].sort());
    const platforms = plan.resources.filter((r) => r.type === TYPES.platform);
    assert.strictEqual(platforms.length, 2);
    // Same agent, two identities, each in its own platform's resource group, under its Azure name.
    const scanner = plan.resources.filter((r) => r.type === TYPES.identity && r.inputs.resourceName === agents[0]);
    assert.deepStrictEqual(scanner.map((r) => r.name).sort(), [`blue-${agents[0]}-identity`, `green-${agents[0]}-identity`]);
  });
});
