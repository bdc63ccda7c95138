/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI does for a program: project
 * defaults applied, required keys checked, declared types checked, values flattened to the
 * `namespace:key` strings a program receives.
 */
import { readFileSync, existsSync } from "fs";
import * as path from "path";
import { parse } from "yaml";

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

/** Reads `Pulumi.yaml` from a project directory. */
export function readProjectFile(projectDir: string): ProjectFile {
  const file = path.join(projectDir, "Pulumi.yaml");
  const doc = parse(readFileSync(file, "utf8")) as { name?: string; config?: Record<string, unknown> };
  if (!doc?.name) {
    throw new StackFileError(`${file} has no project name.`);
  }
  const config: Record<string, ConfigDeclaration> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    // `key: value` is shorthand for a default with no declared type.
    config[key] = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as ConfigDeclaration) : { default: value };
  }
  return { name: doc.name, config };
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

function toConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Reads the config of one stack, with project defaults applied, as the CLI would pass it. */
export function readStackConfig(projectDir: string, stack: string): StackConfigFile {
  const project = readProjectFile(projectDir);
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    throw new StackFileError(`No stack file ${path.basename(file)}. Fix: use one of the Pulumi.<stack>.yaml files in ${projectDir}, or create it.`);
  }
  const doc = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const values: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
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
