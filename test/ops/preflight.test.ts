import * as assert from "assert";
import { Harness } from "./harness";
import { CheckResult } from "../../ops/lib/check";

describe("preflight against ARM and Graph doubles", function () {
  const h = new Harness();
  before(() => h.start());
  after(() => h.stop());
  beforeEach(() => h.reset());

  async function preflight(...args: string[]): Promise<{ code: number | null; results: CheckResult[]; doc: any; stderr: string }> {
    const run = await h.run("preflight", ["--stack", "ops", "--format", "json", ...args]);
    const doc = run.stdout ? JSON.parse(run.stdout) : undefined;
    return { code: run.code, results: doc?.results ?? [], doc, stderr: run.stderr };
  }

  it("a healthy tenant: every check ok, exit 0", async () => {
    const { code, results, doc } = await preflight();
    assert.deepStrictEqual(results.filter((r) => r.status !== "ok"), []);
    assert.strictEqual(code, 0);
    assert.match(doc.signedInAs, /^service principal d0000000-0000-4000-8000-0000000000a1 \(object id d0000000-0000-4000-8000-000000000001/);
    const ids = new Set(results.map((r) => r.id));
    for (const id of ["deployer", "subscription", "resource-group", "scope", "kubernetes-version", "vm-size", "rights", "graph-permissions", "pim", "existing-cluster", "credential-capacity"]) {
      assert.ok(ids.has(id), `check ${id} ran`);
    }
  });
});
