import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { importsOf, layerViolations } from "./lib/layers";
import { functionLengths } from "./lib/functionLengths";

/** The repository root (this file runs from bin/test/). */
const ROOT = path.resolve(__dirname, "..", "..");

describe("layers: no folder imports upward", () => {
  // rules/ is the floor (pure rules shared by config and components); config/ sits on it; components/
  // on both; runtime packages stand apart and never reach deploy-time code.
  const RULES: Record<string, { forbidden: string[]; packages?: RegExp }> = {
    rules: { forbidden: ["config", "components", "plan", "policy", "ops", "scripts", "testing", "runtime"], packages: /^@pulumi\// },
    config: { forbidden: ["components", "plan", "policy", "ops", "scripts", "testing", "runtime"], packages: /^@pulumi\// },
    components: { forbidden: ["plan", "policy", "ops", "scripts", "testing", "runtime"] },
    "runtime/agent-auth/src": { forbidden: ["rules", "config", "components", "plan", "policy", "ops", "scripts", "testing", "runtime/jit"], packages: /^(@pulumi\/|agent-identity($|\/)|@agent-identity\/jit)/ },
    "runtime/jit/src": { forbidden: ["rules", "config", "components", "plan", "policy", "ops", "scripts", "testing", "runtime/agent-auth"], packages: /^(@pulumi\/|agent-identity($|\/)|@agent-identity\/agent-auth)/ },
  };

  for (const [folder, rule] of Object.entries(RULES)) {
    it(`${folder}/ imports nothing from ${rule.forbidden.join(", ")}${rule.packages ? ` nor packages matching ${rule.packages}` : ""}`, () => {
      assert.ok(fs.existsSync(path.join(ROOT, folder)), `${folder} exists`);
      assert.deepStrictEqual(layerViolations(ROOT, folder, rule.forbidden, rule.packages), []);
    });
  }

  it("the scanner sees every form of import and flags an upward one (it can fail)", () => {
    const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "layers-"));
    fs.mkdirSync(path.join(dir, "config"));
    fs.mkdirSync(path.join(dir, "components"));
    fs.writeFileSync(path.join(dir, "components", "thing.ts"), "export const x = 1;\n");
    fs.writeFileSync(
      path.join(dir, "config", "bad.ts"),
      [
        'import { x } from "../components/thing";',
        'import type { Y } from "../components/types";',
        'export { z } from "../components/z";',
        'const lazy = require("../components/lazy");',
        'const dyn = import("../components/dyn");',
        'import * as pulumi from "@pulumi/pulumi";',
        'import "./sibling";',
      ].join("\n"),
    );
    assert.deepStrictEqual(importsOf(path.join(dir, "config", "bad.ts")), ["../components/thing", "../components/types", "../components/z", "../components/lazy", "../components/dyn", "@pulumi/pulumi", "./sibling"]);
    assert.deepStrictEqual(layerViolations(dir, "config", ["components"], /^@pulumi\//), [
      "config/bad.ts -> ../components/thing",
      "config/bad.ts -> ../components/types",
      "config/bad.ts -> ../components/z",
      "config/bad.ts -> ../components/lazy",
      "config/bad.ts -> ../components/dyn",
      "config/bad.ts -> @pulumi/pulumi",
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("components stay small (issue 12: no function in components/ longer than about 60 lines)", () => {
  it("has no function, constructor or arrow function in components/ whose body spans more than 60 lines", () => {
    const lengths = functionLengths(ROOT, "components");
    assert.ok(lengths.length > 100, "the reader found the components' functions");
    assert.deepStrictEqual(lengths.filter((f) => f.lines > 60), []);
  });

  it("measures a long function as long (the check can fail)", () => {
    const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "lengths-"));
    fs.mkdirSync(path.join(dir, "components"));
    fs.writeFileSync(path.join(dir, "components", "long.ts"), `export class Long {\n  constructor() {\n${"    console.log(1);\n".repeat(70)}  }\n}\n`);
    assert.deepStrictEqual(functionLengths(dir, "components"), [{ where: path.join("components", "long.ts") + ":2 constructor", lines: 72 }]);
  });
});
