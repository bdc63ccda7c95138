/**
 * `npm run -s deploy-info -- --stack <name>`: prints, as one JSON document, what the deploy workflow
 * needs to run a first deploy in two phases (see plan/deployPhases.ts): the cluster's group and name, the
 * namespace, and the URNs of the in-cluster resources the Azure phase excludes. Offline, from the same
 * evaluation as `npm run plan`. Exit 1 on an invalid config, 2 on usage errors.
 */
import { parseArgs } from "util";
import { planStack, PROJECT_DIR } from "../plan";
import { deployPhases } from "../plan/deployPhases";
import { readStackConfig } from "../plan/stackFiles";
import { rawConfigFromPulumi, validateStackConfig } from "../config/load";

const USAGE = "Usage: npm run -s deploy-info -- --stack <name>";

async function main(): Promise<number> {
  let stack: string | undefined;
  try {
    const { values } = parseArgs({ options: { stack: { type: "string", short: "s" }, help: { type: "boolean", short: "h" } }, strict: true });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    stack = values.stack;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!stack) {
    process.stderr.write(`--stack is required.\n${USAGE}\n`);
    return 2;
  }
  // With mocks, the SDK's log calls write to stdout; keep stdout for the JSON.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => process.stderr.write(chunk as string, ...(rest as []))) as typeof process.stdout.write;
  let output: string;
  try {
    const file = readStackConfig(PROJECT_DIR, stack);
    const config = validateStackConfig(rawConfigFromPulumi(file.config));
    output = `${JSON.stringify(deployPhases(await planStack(stack), config), null, 2)}\n`;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  } finally {
    process.stdout.write = write;
  }
  process.stdout.write(output);
  return 0;
}

main().then((code) => {
  process.exitCode = code;
});
