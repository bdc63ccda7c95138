/**
 * The shape every `--stack` command of this project shares: parse the arguments (`--help` exits 0, a
 * usage error or a missing `--stack` exits 2), run, print the result alone on stdout, and turn an
 * expected failure into its message on stderr and exit 1.
 */
import { parseArgs, type ParseArgsConfig } from "util";

/** What a stack command declares. */
export interface StackCommand {
  /** The usage text, printed for `--help` and after a usage error. */
  usage: string;
  /** Options beyond `--stack` and `--help`. */
  options?: NonNullable<ParseArgsConfig["options"]>;
  /**
   * Keep stdout for the result: while `run` works, anything else written to stdout goes to stderr
   * (under the mock runtime the Pulumi SDK logs to stdout). Default false.
   */
  quietStdout?: boolean;
  /** Computes the text to print on stdout; throws for an expected failure. */
  run: (stack: string, values: Record<string, string | boolean | undefined>) => Promise<string> | string;
}

/** Runs a stack command on `argv` and resolves to its exit code. */
export async function runStackCommand(command: StackCommand, argv = process.argv.slice(2)): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { stack: { type: "string", short: "s" }, help: { type: "boolean", short: "h" }, ...command.options },
      strict: true,
    }) as { values: Record<string, string | boolean | undefined> });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${command.usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  if (typeof values.stack !== "string" || values.stack === "") {
    process.stderr.write(`--stack is required.\n${command.usage}\n`);
    return 2;
  }
  const write = process.stdout.write.bind(process.stdout);
  if (command.quietStdout) {
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => process.stderr.write(chunk as string, ...(rest as []))) as typeof process.stdout.write;
  }
  let output: string;
  try {
    output = await command.run(values.stack, values);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  } finally {
    process.stdout.write = write;
  }
  process.stdout.write(output);
  return 0;
}
