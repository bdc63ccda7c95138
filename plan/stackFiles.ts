/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI does for a program: project
 * defaults applied, required keys checked, declared types checked, values flattened to the
 * `namespace:key` strings a program receives.
 */
import { readFileSync, existsSync, readdirSync } from "fs";
import * as path from "path";
import { parse, YAMLParseError } from "yaml";
import { nearest } from "../rules/editDistance";

/** A project config key declaration in `Pulumi.yaml`. */
interface ConfigDeclaration {
  type?: string;
  items?: { type?: string };
  description?: string;
  default?: unknown;
  secret?: boolean;
}

/** The project file, as far as the plan needs it. */
export interface ProjectFile {
  /** Project name (the config namespace of project keys). */
  name: string;
  /** The program's entry point, relative to the project directory (`main:`; default: the directory). */
  main?: string;
  /** Declared project config keys. */
  config: Record<string, ConfigDeclaration>;
}

/** A stack's config, flattened as the CLI hands it to the program. */
export interface StackConfigFile {
  /** Project name. */
  project: string;
  /** Stack name. */
  stack: string;
  /** `namespace:key` to string (JSON for objects, lists and booleans). */
  config: Record<string, string>;
}

/** Thrown when the stack files themselves are missing or malformed (before the program runs). */
export class StackFileError extends Error {
  /** Stable code. */
  readonly code = "ERR_STACK_FILE";
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

/** How a file is named in messages: relative to the working directory when it lies below it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** Parses a YAML file; a syntax error becomes a {@link StackFileError} naming the file, line and column. */
export function readYamlFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new StackFileError(`Cannot read ${displayPath(file)}: ${(err as Error).message}`);
  }
  try {
    return parse(text);
  } catch (err) {
    if (!(err instanceof YAMLParseError)) {
      throw err;
    }
    const [start] = err.linePos ?? [];
    // yaml's message is "<reason> at line L, column C:\n\n<excerpt>"; keep the reason and the excerpt.
    const [reason, ...excerpt] = err.message.split("\n");
    const where = start ? `:${start.line}:${start.col}` : "";
    const excerptText = excerpt.join("\n").replace(/^\n+|\n+$/g, "");
    throw new StackFileError(
      `${displayPath(file)}${where}: invalid YAML: ${reason.replace(/ at line \d+, column \d+:?$/, "")}.` +
        (excerptText ? `\n${excerptText}` : "") +
        `\nFix: correct the YAML ${start ? `at line ${start.line}` : "of the file"}; nothing was evaluated.`,
    );
  }
}

/**
 * What a stack name may be (Pulumi: letters, digits, `-`, `_`, `.`). Stack names reach workflow
 * matrices and shell commands, so a file named otherwise is not a stack.
 */
export const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** The stacks of a project: the `<stack>` of every `Pulumi.<stack>.yaml` next to its `Pulumi.yaml`. */
export function listStacks(projectDir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(projectDir);
  } catch {
    return [];
  }
  return entries
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined && STACK_NAME.test(s))
    .sort();
}

/** Reads `Pulumi.yaml` from a project directory. */
export function readProjectFile(projectDir: string): ProjectFile {
  const file = path.join(projectDir, "Pulumi.yaml");
  if (!existsSync(file)) {
    throw new StackFileError(`No Pulumi.yaml in ${displayPath(projectDir)}. Fix: point --project-dir at the folder of a Pulumi project.`);
  }
  const doc = readYamlFile(file) as { name?: string; main?: string; config?: Record<string, unknown> } | null;
  if (!doc?.name) {
    throw new StackFileError(`${displayPath(file)} has no project name. Fix: add "name: <project>".`);
  }
  const config: Record<string, ConfigDeclaration> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    // `key: value` is shorthand for a default with no declared type.
    config[key] = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as ConfigDeclaration) : { default: value };
  }
  return { name: doc.name, main: typeof doc.main === "string" ? doc.main : undefined, config };
}

function isOfType(type: string | undefined, value: unknown): boolean {
  return (
    type === undefined ||
    (type === "string" && typeof value === "string") ||
    (type === "boolean" && typeof value === "boolean") ||
    (type === "integer" && Number.isInteger(value)) ||
    (type === "object" && value !== null && typeof value === "object" && !Array.isArray(value)) ||
    (type === "array" && Array.isArray(value))
  );
}

function checkDeclaredType(key: string, declaration: ConfigDeclaration, value: unknown): void {
  const itemType = declaration.items?.type;
  const ok = isOfType(declaration.type, value) && (declaration.type !== "array" || (value as unknown[]).every((item) => isOfType(itemType, item)));
  if (!ok) {
    const expected = declaration.type === "array" && itemType ? `array<${itemType}>` : declaration.type;
    throw new StackFileError(`Configuration key '${key}' must be of type '${expected}'. Fix: correct its value in the stack file.`);
  }
}

/**
 * A key whose namespace is a near miss of the project's name (`agent-identiy:agents`) is read by no one:
 * the program would then report the key as missing, or silently use a default. Name it instead.
 * Other namespaces (`azure-native:location`, ...) configure providers and pass through.
 */
function checkNamespace(key: string, projectName: string, file: string): void {
  const namespace = key.slice(0, key.indexOf(":"));
  if (namespace !== projectName && nearest(namespace, [projectName], { maxShare: 0.25 }).length > 0) {
    const intended = `${projectName}${key.slice(namespace.length)}`;
    throw new StackFileError(
      `${displayPath(file)}: key '${key}' is under the namespace '${namespace}', which nothing reads. Fix: did you mean '${intended}'? The project's namespace is '${projectName}'.`,
    );
  }
}

function toConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Reads the config of one stack, with project defaults applied, as the CLI would pass it. */
export function readStackConfig(projectDir: string, stack: string): StackConfigFile {
  const project = readProjectFile(projectDir);
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    const stacks = listStacks(projectDir);
    throw new StackFileError(
      `No stack ${JSON.stringify(stack)}: ${displayPath(file)} does not exist. ` +
        (stacks.length > 0 ? `Fix: use one of the stacks that exist, ${stacks.map((s) => JSON.stringify(s)).join(", ")}, or create ${path.basename(file)}.` : `Fix: create ${path.basename(file)}.`),
    );
  }
  const doc = (readYamlFile(file) ?? {}) as { config?: Record<string, unknown> };
  const values: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
    checkNamespace(key, project.name, file);
    if (value !== null && typeof value === "object" && "secure" in (value as object)) {
      throw new StackFileError(`Configuration key '${key}' is encrypted; the offline plan has no secrets provider. Fix: keep secrets out of the plan's stacks.`);
    }
    values[key] = value;
  }
  const missing: string[] = [];
  for (const [name, declaration] of Object.entries(project.config)) {
    const key = name.includes(":") ? name : `${project.name}:${name}`;
    if (values[key] === undefined) {
      if (declaration.default === undefined) {
        missing.push(name);
        continue;
      }
      values[key] = declaration.default;
    }
    checkDeclaredType(name, declaration, values[key]);
  }
  if (missing.length > 0) {
    throw new StackFileError(
      `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")}. Fix: add ${missing.map((m) => `${project.name}:${m}`).join(", ")} to ${path.basename(file)}.`,
    );
  }
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    config[key] = toConfigString(value);
  }
  return { project: project.name, stack, config };
}
