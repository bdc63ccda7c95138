/**
 * `npm run -s pack-config -- --stack <name> > pack-config.json`: prints the policy pack's config of a
 * stack file (policy/packConfig.ts) for `--policy-pack-config` (pulumi/actions: `policyPackConfigs`).
 * stdout carries only the JSON; an invalid stack config exits 1 with the error on stderr, a usage error 2.
 */
import { PROJECT_DIR } from "../plan";
import { readStackConfig } from "../plan/stackFiles";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";
import { packConfigFor } from "../policy/packConfig";
import { runStackCommand } from "./lib/stackCommand";

runStackCommand({
  usage: "Usage: npm run -s pack-config -- --stack <production|staging|...> [--project-dir <dir with Pulumi.yaml>]",
  options: { "project-dir": { type: "string" } },
  run: (stack, values) => {
    const file = readStackConfig(typeof values["project-dir"] === "string" ? values["project-dir"] : PROJECT_DIR, stack);
    return `${JSON.stringify(packConfigFor(validateStackConfig(rawConfigFromPulumi(file.config))), null, 2)}\n`;
  },
}).then((code) => {
  process.exitCode = code;
});
