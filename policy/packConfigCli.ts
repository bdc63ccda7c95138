/**
 * `node bin/policy/packConfigCli.js --stack <name> > pack-config.json`: prints the pack config of a
 * stack file (see ./packConfig) for `--policy-pack-config` (pulumi/actions: `policyPackConfigs`).
 * stdout carries only the JSON; an invalid stack config exits 1 with the error on stderr, a usage error 2.
 */
import { parseArgs } from "util";
import { PROJECT_DIR } from "../plan";
import { readStackConfig } from "../plan/stackFiles";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";
import { packConfigFor } from "./packConfig";

const USAGE = "Usage: node bin/policy/packConfigCli.js --stack <production|staging|...> [--project-dir <dir with Pulumi.yaml>]";

function main(): number {
  let values: { stack?: string; help?: boolean; "project-dir"?: string };
  try {
    ({ values } = parseArgs({ options: { stack: { type: "string", short: "s" }, help: { type: "boolean", short: "h" }, "project-dir": { type: "string" } }, strict: true }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.stack) {
    process.stderr.write(`--stack is required.\n${USAGE}\n`);
    return 2;
  }
  try {
    const file = readStackConfig(values["project-dir"] ?? PROJECT_DIR, values.stack);
    const config = validateStackConfig(rawConfigFromPulumi(file.config));
    process.stdout.write(`${JSON.stringify(packConfigFor(config), null, 2)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main();
