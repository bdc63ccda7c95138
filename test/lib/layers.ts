/**
 * A source scanner for the layering rules: which modules a TypeScript file imports, and which imports
 * of a folder reach a folder it must not.
 */
import * as fs from "fs";
import * as path from "path";

/** Every module specifier of a file: `import`, `import type`, `export ... from`, `require()`, `import()`. */
export function importsOf(file: string): string[] {
  const source = fs.readFileSync(file, "utf8");
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)["']([^"']+)["']/g;
  for (const match of source.matchAll(pattern)) {
    found.push(match[1]);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "bin" ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/**
 * The imports of `folder` (relative to `root`) that resolve into one of the `forbidden` folders, or name a
 * package matching `packages`, as `file -> specifier` (file relative to root, `/`-separated).
 */
export function layerViolations(root: string, folder: string, forbidden: string[], packages?: RegExp): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(path.join(root, folder))) {
    for (const spec of importsOf(file)) {
      const relative = spec.startsWith(".");
      const target = relative ? path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep).join("/") : undefined;
      const upward = target !== undefined && forbidden.some((f) => target === f || target.startsWith(`${f}/`));
      if (upward || (!relative && packages?.test(spec))) {
        out.push(`${path.relative(root, file).split(path.sep).join("/")} -> ${spec}`);
      }
    }
  }
  return out;
}
