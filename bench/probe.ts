/**
 * One measurement, run in its own process so module loading and peak memory are not shared:
 * `node probe.js floor` loads the SDK modules the program imports and stops;
 * `node probe.js agents <N>` evaluates the program with N agents under the mock runtime.
 * Prints one JSON line: {"wallMs", "maxRssKb", "resources"}.
 */
const started = process.hrtime.bigint();

async function main(): Promise<void> {
  const [mode, count] = process.argv.slice(2);
  let resources = 0;
  if (mode === "floor") {
    require("@pulumi/pulumi");
    require("@pulumi/kubernetes");
    require("@pulumi/azure-native/containerservice");
    require("@pulumi/azure-native/managedidentity");
    require("@pulumi/azure-native/resources");
    require("@pulumi/azure-native/authorization");
  } else if (mode === "agents") {
    const { planStack } = await import("../plan");
    const { syntheticStackConfig } = await import("./syntheticStack");
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    const plan = await planStack("bench", syntheticStackConfig(Number(count)));
    process.stdout.write = write;
    resources = plan.resources.length;
  } else {
    throw new Error(`unknown probe mode ${mode}`);
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ wallMs, maxRssKb: process.resourceUsage().maxRSS, resources })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
