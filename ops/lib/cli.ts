/**
 * The command-line front of `preflight` and `doctor`: options, usage errors (exit 2), the stack and
 * subscription, DefaultAzureCredential and who it signed in as, the run, and the rendering.
 */
import { parseArgs, ParseArgsConfig } from "util";
import { existsSync } from "fs";
import * as path from "path";
import { DefaultAzureCredential } from "@azure/identity";
import { ConfigValidationError } from "../../config/errors";
import { StackFileError } from "../../plan/stackFiles";
import { AzureClients, PUBLIC_CLOUD } from "./azure";
import { UsageError } from "./errors";
import { SignInError, SignedInPrincipal, whoAmI } from "./identity";
import { kubeClients } from "./kube";
import { LoadedStack, loadStack } from "./stack";
import { Report, exitCodeOf, makeReport, renderJson, renderText } from "./report";
import { problem } from "./check";
import { runPreflight } from "../preflight";
import { runDoctor } from "../doctor";

/** Where output goes, and what a test may add. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Environment to read ARM_SUBSCRIPTION_ID / AZURE_SUBSCRIPTION_ID from. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Extra CA (PEM) the Azure clients trust, for in-process tests (a child process uses NODE_EXTRA_CA_CERTS). */
  ca?: string;
}

const COMMON = `  --stack, -s <name>        the stack (Pulumi.<name>.yaml), required
  --format, -f text|json    output (default text); json is one document on stdout
  --subscription <id>       subscription of the deployment (default: azure-native:subscriptionId
                            of the stack, else ARM_SUBSCRIPTION_ID, else AZURE_SUBSCRIPTION_ID)
  --arm-endpoint <url>      Azure Resource Manager (default ${PUBLIC_CLOUD.arm})
  --graph-endpoint <url>    Microsoft Graph (default ${PUBLIC_CLOUD.graph})
  --project-dir <dir>       directory of Pulumi.yaml (default: the current directory)
  --help, -h                this text`;

/** `--help` of preflight. */
export const PREFLIGHT_USAGE = `Usage: npm run preflight -- --stack <name> [options]

Read-only checks of the Azure tenant before pulumi up: who is deploying, the subscription and the
resource group, every scope in config, the Kubernetes version and VM size in the region and zones,
the right to create role assignments, Graph permissions, PIM, an adopted cluster, and room for
federated credentials. Signs in with DefaultAzureCredential (az login, or OIDC / environment in CI).

Options:
${COMMON}

Exit: 0 every check ok; 1 a problem, or a check that could not be made; 2 usage error.
`;

/** `--help` of doctor. */
export const DOCTOR_USAGE = `Usage: npm run doctor -- --stack <name> [--agent <name>] [--context <kube context>] [options]

Read-only comparison, after a deploy, of what Azure and the cluster hold with what the plan expects:
federated credentials (issuer, subject, audience), the ServiceAccount's client id, the pods' label,
webhook mutation and start time, app role grants and allowed callers, eligibilities and PIM policies.
Azure through DefaultAzureCredential; Kubernetes through your kubeconfig (KUBECONFIG honoured).

Options:
  --agent, -a <name>        examine one agent (default: every agent)
  --context <name>          kubeconfig context (default: the current context)
${COMMON}

Exit: 0 every check ok; 1 a problem, or a check that could not be made; 2 usage error.
`;

interface Options {
  stack: string;
  format: "text" | "json";
  subscription?: string;
  armEndpoint?: string;
  graphEndpoint?: string;
  projectDir: string;
  agent?: string;
  context?: string;
}

function parse(command: "preflight" | "doctor", argv: string[]): Options | "help" {
  const doctorOnly: ParseArgsConfig["options"] = command === "doctor" ? { agent: { type: "string", short: "a" }, context: { type: "string" } } : {};
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", short: "s" },
        format: { type: "string", short: "f", default: "text" },
        subscription: { type: "string" },
        "arm-endpoint": { type: "string" },
        "graph-endpoint": { type: "string" },
        "project-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
        ...doctorOnly,
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | boolean | undefined> });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    return "help";
  }
  if (!values.stack) {
    throw new UsageError("--stack is required.");
  }
  if (values.format !== "text" && values.format !== "json") {
    throw new UsageError(`--format ${JSON.stringify(values.format)} is not supported. Fix: use text or json.`);
  }
  for (const flag of ["arm-endpoint", "graph-endpoint"] as const) {
    const value = values[flag] as string | undefined;
    if (value !== undefined && !/^https:\/\/[^/]+/.test(value)) {
      throw new UsageError(`--${flag} ${JSON.stringify(value)} is not an https URL. Fix: e.g. --${flag} ${flag === "arm-endpoint" ? "https://management.usgovcloudapi.net" : "https://graph.microsoft.us"}.`);
    }
  }
  return {
    stack: values.stack as string,
    format: values.format,
    subscription: values.subscription as string | undefined,
    armEndpoint: values["arm-endpoint"] as string | undefined,
    graphEndpoint: values["graph-endpoint"] as string | undefined,
    projectDir: path.resolve((values["project-dir"] as string | undefined) ?? "."),
    agent: values.agent as string | undefined,
    context: values.context as string | undefined,
  };
}

function subscriptionOf(options: Options, stack: LoadedStack, env: NodeJS.ProcessEnv): string {
  const id = options.subscription ?? stack.subscriptionId ?? env.ARM_SUBSCRIPTION_ID ?? env.AZURE_SUBSCRIPTION_ID;
  if (!id) {
    throw new UsageError("No subscription. Fix: pass --subscription <id>, set azure-native:subscriptionId in the stack, or export ARM_SUBSCRIPTION_ID.");
  }
  if (!/^[0-9a-fA-F-]{36}$/.test(id)) {
    throw new UsageError(`Subscription ${JSON.stringify(id)} is not a GUID. Fix: use the subscription id (az account show --query id -o tsv).`);
  }
  return id;
}

/** Runs `preflight` or `doctor` with the given arguments; resolves to the exit code. */
export async function runCli(command: "preflight" | "doctor", argv: string[], io: CliIo): Promise<number> {
  const usage = command === "preflight" ? PREFLIGHT_USAGE : DOCTOR_USAGE;
  let options: Options;
  let stack: LoadedStack;
  let subscriptionId: string;
  try {
    const parsed = parse(command, argv);
    if (parsed === "help") {
      io.stdout(usage);
      return 0;
    }
    options = parsed;
    if (!existsSync(path.join(options.projectDir, `Pulumi.${options.stack}.yaml`))) {
      throw new UsageError(`No stack file Pulumi.${options.stack}.yaml in ${options.projectDir}. Fix: pass the name of a stack that has one (--stack), or --project-dir.`);
    }
    stack = loadStack(options.projectDir, options.stack);
    if (options.agent && !stack.config.agents.some((a) => a.name === options.agent)) {
      throw new UsageError(`--agent ${JSON.stringify(options.agent)} is not an agent of stack ${options.stack}. Fix: use one of ${stack.config.agents.map((a) => a.name).join(", ")}.`);
    }
    subscriptionId = subscriptionOf(options, stack, io.env ?? process.env);
  } catch (err) {
    // A stack whose config the program would refuse: something is wrong (1), not a usage error.
    if (err instanceof ConfigValidationError || err instanceof StackFileError) {
      io.stderr(`${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError) {
      io.stderr(`${err.message}\n${usage.split("\n")[0]}\n`);
      return 2;
    }
    throw err;
  }

  let kube;
  if (command === "doctor") {
    try {
      kube = kubeClients(options.context);
    } catch (err) {
      io.stderr(`${(err as Error).message}\n`);
      return 2;
    }
  }

  const azure = new AzureClients({ credential: new DefaultAzureCredential(), subscriptionId, armEndpoint: options.armEndpoint, graphEndpoint: options.graphEndpoint, ca: io.ca });
  let principal: SignedInPrincipal;
  let report: Report;
  try {
    principal = await whoAmI(azure.credential, azure.armScope);
    report = command === "preflight" ? await runPreflight(stack, subscriptionId, azure, principal) : await runDoctor(stack, subscriptionId, azure, kube!, principal, options.agent);
  } catch (err) {
    if (!(err instanceof SignInError)) {
      throw err;
    }
    report = makeReport(command, stack.stack, [
      problem("sign-in", err.message, "sign in: az login (a person), or in CI azure/login with OIDC or the AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_FEDERATED_TOKEN_FILE environment DefaultAzureCredential reads."),
    ]);
  }
  io.stdout(options.format === "json" ? renderJson(report) : renderText(report));
  return exitCodeOf(report);
}

/** Entry point of the scripts: runs and sets the exit code. */
export function main(command: "preflight" | "doctor"): void {
  runCli(command, process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
