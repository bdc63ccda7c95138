import * as assert from "assert";
import * as path from "path";
import { spawnSync } from "child_process";
import { mutatedConfig, planOf, planWith } from "./helpers";
import { runPack } from "./lib/policyHarness";
import { packConfigFor } from "../policy/packConfig";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";

const CLI = path.resolve(__dirname, "..", "scripts", "packConfig.js");
const SCOPE = "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-agents-production";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const REASON = "cleans up stale preview environments nightly";

describe("pack config derived from the stack config (policy/packConfig)", () => {
  it("lists the stack's sensitive roles as GUIDs, a custom role with the GUID its RoleDefinition gets", async () => {
    const config = packConfigFor(validateStackConfig(rawConfigFromPulumi(mutatedConfig("production", () => undefined))));
    const definition = (await planOf("production")).resources.find((r) => r.type === "azure-native:authorization:RoleDefinition")!;
    assert.ok(config["no-standing-sensitive-role"].sensitiveRoleIds.includes(String(definition.inputs.roleDefinitionId)));
    assert.ok(config["no-standing-sensitive-role"].sensitiveRoleIds.includes("b7e6dc6d-f1e8-4753-8033-0f276bb0955b"), "Storage Blob Data Owner from sensitiveRoles");
    assert.deepStrictEqual(config["no-standing-sensitive-role"].allowedPrivilegedAssignments, []);
  });

  it("carries an allowPrivileged assignment to the pack, which then accepts exactly that standing role, and refuses it without the pack config", async () => {
    const flat = mutatedConfig("production", (c) => c.agents[0].roleAssignments.push({ role: "Contributor", scope: SCOPE, allowPrivileged: { reason: REASON } }));
    const packConfig = packConfigFor(validateStackConfig(rawConfigFromPulumi(flat)));
    assert.deepStrictEqual(packConfig["no-standing-sensitive-role"].allowedPrivilegedAssignments, [{ roleId: CONTRIBUTOR, scope: SCOPE, reason: `security-scanner: ${REASON}` }]);
    const plan = await planWith(flat);
    const withConfig = await runPack(plan.resources, undefined, packConfig);
    assert.deepStrictEqual(withConfig.violations, []);
    const without = await runPack(plan.resources);
    assert.strictEqual(without.violations.length, 1);
    assert.match(without.violations[0], new RegExp(`no-standing-sensitive-role: RoleAssignment .* gives standing access to sensitive role ${CONTRIBUTOR} \\(privileged role Contributor\\)`));
  });

  it("is printed by the CLI for a stack file, as one JSON document on stdout; usage errors exit 2", () => {
    const ok = spawnSync(process.execPath, [CLI, "--stack", "production"], { encoding: "utf8" });
    assert.strictEqual(ok.status, 0, ok.stderr);
    assert.deepStrictEqual(Object.keys(JSON.parse(ok.stdout)), ["no-standing-sensitive-role"]);
    const usage = spawnSync(process.execPath, [CLI], { encoding: "utf8" });
    assert.strictEqual(usage.status, 2);
    assert.strictEqual(usage.stdout, "");
    assert.match(usage.stderr, /--stack is required/);
  });
});
