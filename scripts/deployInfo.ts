/**
 * `npm run -s deploy-info -- --stack <name>`: prints, as one JSON document, what the deploy workflow
 * needs to run a first deploy in two phases (see plan/deployPhases.ts): the cluster's group and name, the
 * namespace, and the URNs of each phase. Offline, from the same evaluation as `npm run plan`. Exit 1 on an
 * invalid config, 2 on usage errors.
 */
import { planStack, PROJECT_DIR } from "../plan";
import { deployPhases } from "../plan/deployPhases";
import { readStackConfig } from "../plan/stackFiles";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";
import { runStackCommand } from "./lib/stackCommand";

runStackCommand({
  usage: "Usage: npm run -s deploy-info -- --stack <name>",
  quietStdout: true,
  run: async (stack) => {
    const config = validateStackConfig(rawConfigFromPulumi(readStackConfig(PROJECT_DIR, stack).config));
    return `${JSON.stringify(deployPhases(await planStack(stack), config), null, 2)}\n`;
  },
}).then((code) => {
  process.exitCode = code;
});
