/**
 * The runtime packages as a consumer gets them: `npm pack` of each, installed from the tarballs into a
 * fresh project outside this repository (the only registry packages fetched are their own dependencies,
 * jose and the Azure SDKs, from npm's cache when warm), then used from there.
 */
import * as assert from "assert";
import { spawnSync, SpawnSyncReturns } from "child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import { tmpdir } from "os";
import * as path from "path";
import { exportJWK } from "jose";
import { PROJECT_DIR } from "../../plan";
import { loopbackCertificate } from "../lib/tls";
import { ALLOWED_CALLER, AUDIENCE, OTHER_CALLER, TENANT, mint, newSigningKey, validClaims } from "./agentAuth/tokens";

/** npm itself: the CLI that runs this test when there is one, else `npm` on PATH. */
function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const cli = process.env.npm_execpath;
  const run = cli && /npm-cli\.js$/.test(cli) ? spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" }) : spawnSync("npm", args, { cwd, encoding: "utf8" });
  assert.strictEqual(run.status, 0, `npm ${args.join(" ")} failed:\n${run.stderr}`);
  return run;
}

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

function pack(pkg: string, destination: string): PackResult {
  const run = npm(["pack", "--json", "--pack-destination", destination], path.join(PROJECT_DIR, "runtime", pkg));
  // prepack's build output precedes the JSON document on stdout.
  const [result] = JSON.parse(run.stdout.slice(run.stdout.indexOf("["))) as PackResult[];
  return result;
}

describe("runtime packages: packed, installed into a fresh project, used from there", function () {
  this.timeout(240_000);
  let dir: string;
  let consumer: string;
  const packed: Record<string, PackResult> = {};

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "runtime-packages-"));
    const tarballs = path.join(dir, "tarballs");
    mkdirSync(tarballs);
    packed["agent-auth"] = pack("agent-auth", tarballs);
    packed.jit = pack("jit", tarballs);
    consumer = path.join(dir, "consumer");
    mkdirSync(consumer);
    writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    npm(
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...Object.values(packed).map((p) => path.join(tarballs, p.filename))],
      consumer,
    );
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [pkg, extra] of [
    ["agent-auth", []],
    ["jit", ["dist/cli.js"]],
  ] as const) {
    it(`@agent-identity/${pkg}'s tarball holds compiled JavaScript, type declarations and its README, and no sources or tests`, () => {
      const files = packed[pkg].files.map((f) => f.path).sort();
      for (const expected of ["package.json", "README.md", "dist/index.js", "dist/index.d.ts", ...extra]) {
        assert.ok(files.includes(expected), `${expected} missing from ${files.join(", ")}`);
      }
      assert.deepStrictEqual(
        files.filter((f) => !/^dist\/.*\.(js|d\.ts)$/.test(f) && !["package.json", "README.md"].includes(f)),
        [],
        "nothing but dist JS, declarations, package.json and README",
      );
      const manifest = JSON.parse(readFileSync(path.join(consumer, "node_modules", "@agent-identity", pkg, "package.json"), "utf8"));
      assert.deepStrictEqual(manifest.exports["."], { types: "./dist/index.d.ts", default: "./dist/index.js" });
      assert.strictEqual(manifest.engines.node, ">=22");
      const readme = readFileSync(path.join(consumer, "node_modules", "@agent-identity", pkg, "README.md"), "utf8");
      for (const section of ["## Install", "## Example", "## Errors", "## Limits"]) {
        assert.ok(readme.includes(section), `README of ${pkg} lacks ${section}`);
      }
    });
  }

  it("installs as real packages, with nothing of this repository and no Pulumi SDK", () => {
    for (const pkg of ["agent-auth", "jit"]) {
      const installed = path.join(consumer, "node_modules", "@agent-identity", pkg);
      assert.ok(!lstatSync(installed).isSymbolicLink(), `${pkg} is a copy, not a link into the repository`);
    }
    assert.ok(!existsSync(path.join(consumer, "node_modules", "@pulumi")), "no Pulumi SDK in an agent's dependencies");
    assert.ok(existsSync(path.join(consumer, "node_modules", "jose")), "jose, the one dependency of agent-auth");
    const lock = readFileSync(path.join(consumer, "package-lock.json"), "utf8");
    assert.ok(!lock.includes(PROJECT_DIR), "the lock file does not point into this repository");
  });

  it("agent-auth validates a token against a key set served on 127.0.0.1 (HTTPS), from the installed package", async () => {
    const key = await newSigningKey("k1");
    const jwk = { ...(await exportJWK(key.publicKey)), kid: key.kid, use: "sig", alg: "RS256" };
    const { key: tlsKey, cert } = loopbackCertificate();
    const server = https.createServer({ key: tlsKey, cert }, (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const caFile = path.join(dir, "ca.pem");
      writeFileSync(caFile, cert);
      const program = path.join(consumer, "validate.js");
      writeFileSync(
        program,
        `const { AgentAuthMiddleware } = require("@agent-identity/agent-auth");
const auth = new AgentAuthMiddleware({ tenantId: process.env.TENANT, audience: process.env.AUDIENCE, expectedCallerIds: [process.env.CALLER], jwksUri: process.env.JWKS_URI });
(async () => {
  const results = [];
  for (const token of [process.env.GOOD, process.env.OTHER]) results.push(await auth.validateCaller("Bearer " + token));
  results.push(await auth.validateCaller(undefined));
  console.log(JSON.stringify({ resolvedFrom: require.resolve("@agent-identity/agent-auth"), results: results.map((r) => (r.ok ? { ok: true, callerId: r.callerId } : { ok: false, status: r.status, code: r.code })) }));
})();
`,
      );
      const env = {
        PATH: process.env.PATH,
        NODE_EXTRA_CA_CERTS: caFile,
        TENANT,
        AUDIENCE,
        CALLER: ALLOWED_CALLER,
        JWKS_URI: `https://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`,
        GOOD: await mint(key, validClaims()),
        OTHER: await mint(key, validClaims({ oid: OTHER_CALLER, azp: OTHER_CALLER })),
      };
      // Asynchronous: the key-set server runs in this process.
      const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = require("child_process").spawn(process.execPath, [program], { cwd: consumer, env });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d));
        child.stderr.on("data", (d: Buffer) => (stderr += d));
        child.on("close", (code: number | null) => resolve({ code, stdout, stderr }));
      });
      assert.strictEqual(run.code, 0, run.stderr);
      const out = JSON.parse(run.stdout);
      assert.ok(out.resolvedFrom.startsWith(path.join(consumer, "node_modules", "@agent-identity", "agent-auth")), out.resolvedFrom);
      assert.deepStrictEqual(out.results, [
        { ok: true, callerId: ALLOWED_CALLER },
        { ok: false, status: 403, code: "ERR_AUTH_CALLER_NOT_ALLOWED" },
        { ok: false, status: 401, code: "ERR_AUTH_MISSING" },
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("jit's CLI is on the consumer's PATH and prints its usage for --help; the library's exports load, internals stay private", () => {
    const bin = path.join(consumer, "node_modules", ".bin", "agent-jit");
    assert.ok(readdirSync(path.dirname(bin)).includes("agent-jit"));
    const help = spawnSync(bin, ["--help"], { cwd: consumer, encoding: "utf8", env: { PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` } });
    assert.strictEqual(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage:\n {2}agent-jit request --scope <scope> --role <role> --duration <PT2H> --justification <text>.*\n {2}agent-jit release --scope <scope> --role <role>.*\n {2}agent-jit <command> --help\n/);
    const probe = spawnSync(
      process.execPath,
      [
        "-e",
        `const jit = require("@agent-identity/jit");
let internal = "exported";
try { require("@agent-identity/jit/dist/lib/arm.js"); } catch (e) { internal = e.code; }
console.log(JSON.stringify({ requestActivation: typeof jit.requestActivation, releaseActivation: typeof jit.releaseActivation, denied: new jit.ActivationDeniedError("r1").code, internal }));`,
      ],
      { cwd: consumer, encoding: "utf8" },
    );
    assert.strictEqual(probe.status, 0, probe.stderr);
    assert.deepStrictEqual(JSON.parse(probe.stdout), { requestActivation: "function", releaseActivation: "function", denied: "ERR_JIT_DENIED", internal: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
  });
});
