/**
 * Function lengths of a source folder, read with the TypeScript compiler's parser: every function,
 * method, constructor, accessor and arrow function with a body, measured in lines of its body.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** One function and the lines its body spans. */
export interface FunctionLength {
  /** `file:line name`, relative to the root. */
  where: string;
  /** Lines from the body's opening brace to its closing one. */
  lines: number;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Every function with a body in the `.ts` files under `root/folder`, longest first. */
export function functionLengths(root: string, folder: string): FunctionLength[] {
  const found: FunctionLength[] = [];
  for (const file of sourceFiles(path.join(root, folder))) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        const body = node.body as ts.Node;
        const first = source.getLineAndCharacterOfPosition(body.getStart()).line;
        const last = source.getLineAndCharacterOfPosition(body.getEnd()).line;
        const name = node.name?.getText(source) ?? (ts.isConstructorDeclaration(node) ? "constructor" : "(anonymous)");
        found.push({ where: `${path.relative(root, file)}:${first + 1} ${name}`, lines: last - first + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort((a, b) => b.lines - a.lines);
}
