/**
 * What a user sees when `npm run plan` fails as expected: the message alone on stderr (exact text),
 * exit 1, nothing on stdout; no unhandled rejection, stack trace or second copy. And npm's own errors
 * are not hidden.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../plan";
import { withProject } from "./lib/tempProject";

const CLI = path.join(PROJECT_DIR, "bin", "scripts", "plan.js");
const production = readFileSync(path.join(PROJECT_DIR, "Pulumi.production.yaml"), "utf8");

/** Spawns the real CLI, as `npm run -s plan` does. */
function plan(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: PROJECT_DIR });
}

/** Asserts the one clean failure: exit 1, empty stdout, stderr exactly `expected`. */
function assertFails(run: ReturnType<typeof plan>, expected: string): void {
  assert.strictEqual(run.stderr, expected);
  assert.strictEqual(run.stdout, "");
  assert.strictEqual(run.status, 1);
}

describe("npm run plan: expected failures print one clean message", () => {
  it("a bad stack config: the problems with key paths naming the agent, and their fixes, once", () => {
    const broken = production.replace("security-scanner:2.4.1", "security-scanner:latest");
    assert.notStrictEqual(broken, production);
    withProject("broken", broken, (dir) => {
      assertFails(
        plan("--stack", "broken", "--format", "json", "--project-dir", dir),
        [
          "Invalid stack config (1 problem); nothing was created:",
          '  - agent-identity:agents[0].image (agent "security-scanner"): "fabrikamagents.azurecr.io/agents/security-scanner:latest" uses the tag "latest", which makes deployments unrepeatable. Fix: pin a version tag or a digest, e.g. "fabrikamagents.azurecr.io/agents/security-scanner:1.0.0".',
          "",
        ].join("\n"),
      );
    });
  });

  it("an unknown stack: lists the stacks that exist", () => {
    withProject("qa", production, (dir) => {
      writeFileSync(path.join(dir, "Pulumi.prod.yaml"), production);
      assertFails(
        plan("--stack", "production", "--project-dir", dir),
        `No stack "production": ${path.join(dir, "Pulumi.production.yaml")} does not exist. Fix: use one of the stacks that exist, "prod", "qa", or create Pulumi.production.yaml.\n`,
      );
    });
  });

  it("a YAML syntax error: names the file, line and column and shows the line", () => {
    const stackFile = "config:\n  agent-identity:location: westeurope\n  agent-identity:cluster:\n    name: fabrikam-aks\n     skuTier: Free\n";
    withProject("typo", stackFile, (dir) => {
      assertFails(
        plan("--stack", "typo", "--project-dir", dir),
        [
          `${path.join(dir, "Pulumi.typo.yaml")}:4:11: invalid YAML: Nested mappings are not allowed in compact mappings.`,
          "    name: fabrikam-aks",
          "          ^",
          "Fix: correct the YAML at line 4; nothing was evaluated.",
          "",
        ].join("\n"),
      );
    });
  });

  it("a key under a misspelt namespace: names the key and the intended one, instead of calling the key missing", () => {
    const misspelt = production.replace("  agent-identity:agents:", "  agent-identiy:agents:");
    assert.notStrictEqual(misspelt, production);
    withProject("ns", misspelt, (dir) => {
      assertFails(
        plan("--stack", "ns", "--project-dir", dir),
        `${path.join(dir, "Pulumi.ns.yaml")}: key 'agent-identiy:agents' is under the namespace 'agent-identiy', which nothing reads. Fix: did you mean 'agent-identity:agents'? The project's namespace is 'agent-identity'.\n`,
      );
    });
  });

  it("leaves provider namespaces alone (azure-native:location is not a misspelling)", () => {
    withProject("provider", production.replace("config:\n", "config:\n  azure-native:location: westeurope\n"), (dir) => {
      const run = plan("--stack", "provider", "--format", "json", "--project-dir", dir);
      assert.strictEqual(run.status, 0, run.stderr);
    });
  });
});

describe("npm run plan piped into a reader that stops early", () => {
  it("exits quietly when stdout is closed (| head), without an EPIPE crash dump", () => {
    // The production plan (about 80 KB of JSON) is larger than a pipe's buffer, so head's exit is felt.
    const run = spawnSync("sh", ["-c", '"$0" "$1" --stack production --format json | head -c 1 >/dev/null', process.execPath, CLI], { encoding: "utf8", cwd: PROJECT_DIR });
    assert.strictEqual(run.stderr, "");
    assert.strictEqual(run.status, 0);
  });
});

describe("npm run plan --project-dir evaluates that project's own program (examples/extra-agent)", () => {
  const example = path.join(PROJECT_DIR, "examples", "extra-agent");

  it("without the outputs of the platform stack it reads, says which stack and how to give them", () => {
    assertFails(
      plan("--stack", "dev", "--project-dir", example),
      'The program reads the stack "fabrikam/agent-identity/production" through a StackReference, and the offline plan has no outputs for it. ' +
        "Fix: give them, e.g. from `pulumi stack output --json -s fabrikam/agent-identity/production > outputs.json`: npm run plan -- --stack-outputs fabrikam/agent-identity/production=outputs.json; in tests, the stackReferences option.\n",
    );
  });

  it("with them, plans the example's resources (its agent, not the platform's)", () => {
    withProject("unused", "", (dir) => {
      const outputs = path.join(dir, "platform.json");
      writeFileSync(
        outputs,
        JSON.stringify({
          clusterId: "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-agents-production/providers/Microsoft.ContainerService/managedClusters/fabrikam-aks-cluster",
          resourceGroupName: "fabrikam-agents-production",
          namespace: "agents",
          location: "westeurope",
          jit: [{ agent: "security-scanner", role: "Sensitive Data Reader", scope: "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-customer-data" }],
          roleDefinitionIds: { "Sensitive Data Reader": "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-3333-4444-555555555555" },
        }),
      );
      const run = plan("--stack", "dev", "--format", "json", "--project-dir", example, "--stack-outputs", `fabrikam/agent-identity/production=${outputs}`);
      assert.strictEqual(run.status, 0, run.stderr);
      const doc = JSON.parse(run.stdout);
      assert.strictEqual(doc.project, "agent-identity-extra-agent");
      assert.strictEqual(doc.stack, "dev");
      const names = doc.resources.map((r: { name: string }) => r.name);
      assert.ok(names.includes("license-auditor-identity"), names.join(", "));
      assert.ok(!names.includes("security-scanner-identity"), "the platform's program did not run");
      const eligibility = doc.resources.find((r: { type: string }) => r.type === "azure-native:authorization:PimRoleEligibilitySchedule");
      assert.strictEqual(eligibility.inputs.scope, "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-customer-data");
    });
  });
});

describe("npm's own failures are visible (no loglevel=silent in .npmrc)", () => {
  // The project's npm config, not the caller's: drop what an outer `npm test --loglevel=...` would pass on.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_loglevel$/i.test(k)));
  const npm = (...args: string[]) =>
    process.env.npm_execpath && /\.c?js$/.test(process.env.npm_execpath)
      ? spawnSync(process.execPath, [process.env.npm_execpath, ...args], { encoding: "utf8", cwd: PROJECT_DIR, env })
      : spawnSync("npm", args, { encoding: "utf8", cwd: PROJECT_DIR, env });

  it("`npm run <typo>` says the script is missing on stderr and exits non-zero", () => {
    const run = npm("run", "no-such-script");
    assert.notStrictEqual(run.status, 0);
    assert.match(run.stderr, /Missing script: "no-such-script"/);
  });

  it("`npm run -s plan -- --format json` still prints exactly one JSON document on stdout", () => {
    const run = npm("run", "-s", "plan", "--", "--stack", "staging", "--format", "json");
    assert.strictEqual(run.status, 0, run.stderr);
    assert.strictEqual(JSON.parse(run.stdout).stack, "staging");
  });
});
