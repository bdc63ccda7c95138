import * as assert from "assert";
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_DIR } from "../plan";
import { withProject } from "./lib/tempProject";

const CLI = path.join(PROJECT_DIR, "bin", "scripts", "plan.js");

const productionFile = () => readFileSync(path.join(PROJECT_DIR, "Pulumi.production.yaml"), "utf8");

function plan(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: PROJECT_DIR });
}

describe("npm run plan", () => {
  it("prints exactly one JSON document with the contract's fields for --format json", () => {
    const run = plan("--stack", "production", "--format", "json");
    assert.strictEqual(run.status, 0, run.stderr);
    const doc = JSON.parse(run.stdout);
    assert.deepStrictEqual(Object.keys(doc), ["project", "stack", "resources"]);
    assert.strictEqual(doc.project, "agent-identity");
    assert.strictEqual(doc.stack, "production");
    for (const r of doc.resources) {
      assert.deepStrictEqual(Object.keys(r), ["urn", "type", "name", "parent", "provider", "dependsOn", "inputs", "options"]);
      assert.ok(Array.isArray(r.dependsOn));
    }
    const credential = doc.resources.find((r: any) => r.name === "platform-security-scanner-fic-agents-security-scanner");
    assert.strictEqual(credential.inputs.subject, "system:serviceaccount:agents:security-scanner");
  });

  it("prints a per-agent table by default", () => {
    const run = plan("--stack", "production");
    assert.strictEqual(run.status, 0, run.stderr);
    assert.match(run.stdout, /OIDC issuer\s+on/);
    assert.match(run.stdout, /workload identity\s+on/);
    for (const agent of ["security-scanner", "style-checker", "syntax-analyzer", "code-review-orchestrator"]) {
      assert.match(run.stdout, new RegExp(`${agent}\\s+${agent}\\s+<platform-${agent}-identity\\.clientId>\\s+system:serviceaccount:agents:${agent}`));
    }
    assert.match(run.stdout, /Kubernetes Secrets: 0/);
    assert.match(run.stdout, /Just-in-time access/);
    for (const caller of ["security-scanner", "style-checker", "syntax-analyzer"]) {
      assert.match(run.stdout, new RegExp(`${caller}\\s+code-review-orchestrator\\s+Agent\\.Invoke\\s+yes`));
    }
    assert.match(run.stdout, /security-scanner\s+Sensitive Data Reader\s+\/subscriptions\/\S+\/storageAccounts\/fabrikamcustomerdata\s+PT4H\s+Group Fabrikam data stewards\s+required\s+not required/);
  });

  it("prints a Mermaid flowchart for --format mermaid", () => {
    const run = plan("--stack", "staging", "--format", "mermaid");
    assert.strictEqual(run.status, 0, run.stderr);
    assert.match(run.stdout, /^flowchart LR\n/);
    assert.match(run.stdout, /security-scanner-fic-agents-security-scanner/);
    assert.match(run.stdout, / --> /);
    assert.match(run.stdout, /-\. calls \.->/, "the call graph is drawn");
  });

  it("exits non-zero with the validation error on stderr and nothing on stdout for an invalid config", () => {
    withProject("broken", productionFile().replace("security-scanner:2.4.1", "security-scanner:latest"), (dir) => {
      const run = plan("--stack", "broken", "--format", "json", "--project-dir", dir);
      assert.strictEqual(run.status, 1);
      assert.strictEqual(run.stdout, "");
      assert.match(run.stderr, /agent-identity:agents\[0\]\.image \(agent "security-scanner"\): .* uses the tag "latest".* Fix: /);
    });
  });

  it("prints where a program error was thrown with --stack-traces, and only the message without", () => {
    withProject("broken", productionFile().replace("security-scanner:2.4.1", "security-scanner:latest"), (dir) => {
      const plain = plan("--stack", "broken", "--project-dir", dir);
      const traced = plan("--stack", "broken", "--project-dir", dir, "--stack-traces");
      for (const run of [plain, traced]) {
        assert.strictEqual(run.status, 1);
        assert.strictEqual(run.stdout, "");
        assert.match(run.stderr, /agent-identity:agents\[0\]\.image \(agent "security-scanner"\): .* uses the tag "latest"/);
      }
      assert.doesNotMatch(plain.stderr, /^\s+at /m);
      assert.match(traced.stderr, /^\s+at .*config[\\/]load\.(js|ts)/m, "the stack names the module that threw");
    });
  });

  it("names the missing key when a stack file lacks a required one", () => {
    withProject("empty", "config:\n  agent-identity:location: westeurope\n", (dir) => {
      const run = plan("--stack", "empty", "--project-dir", dir);
      assert.strictEqual(run.status, 1);
      assert.match(run.stderr, /missing configuration values 'resourceGroupName', 'deployerPrincipalType', 'cluster', 'agents'/);
    });
  });

  it("checks the types Pulumi.yaml declares, as the CLI does, before the program runs", () => {
    withProject("typed", productionFile().replace("agent-identity:agents:", "agent-identity:agents:\n    - just-a-string"), (dir) => {
      const run = plan("--stack", "typed", "--project-dir", dir);
      assert.strictEqual(run.status, 1);
      assert.match(run.stderr, /Configuration key 'agents' must be of type 'array<object>'/);
    });
  });

  it("fails with a message, not a quiet empty success, when the program never finishes", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "plan-hang-"));
    try {
      writeFileSync(path.join(dir, "Pulumi.yaml"), "name: hangs\nruntime: nodejs\nmain: program.js\n");
      writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
      writeFileSync(path.join(dir, "program.js"), "module.exports = () => new Promise(() => {});\n");
      const run = plan("--stack", "dev", "--project-dir", dir);
      assert.strictEqual(run.status, 1);
      assert.strictEqual(run.stdout, "");
      assert.match(run.stderr, /The program never finished: it waits on a promise that nothing will settle/);
      assert.doesNotMatch(run.stderr, /The first error nobody handled/);
      writeFileSync(path.join(dir, "program.js"), "Promise.reject(new Error('lost in a callback'));\nmodule.exports = () => new Promise(() => {});\n");
      const withError = plan("--stack", "dev", "--project-dir", dir);
      assert.strictEqual(withError.status, 1);
      assert.match(withError.stderr, /The first error nobody handled: lost in a callback/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an unknown stack and an unknown format", () => {
    const unknownStack = plan("--stack", "nowhere");
    assert.strictEqual(unknownStack.status, 1);
    assert.match(unknownStack.stderr, /No stack "nowhere": Pulumi\.nowhere\.yaml does not exist\. Fix: use one of the stacks that exist, .*"production", "staging"/);
    const unknownFormat = plan("--stack", "production", "--format", "xml");
    assert.strictEqual(unknownFormat.status, 2);
    assert.match(unknownFormat.stderr, /--format "xml" is not supported/);
  });
});
