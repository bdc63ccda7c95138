/**
 * Caller-validation throughput, in one run, against two baselines measured alongside:
 *  - bare `crypto.verify` of the RS256 signature (the floor: no parsing, no claims, no keys to fetch);
 *  - `jsonwebtoken` with `jwks-rsa` (the usual Express stack), checking the same claims.
 * Our middleware is measured on fresh tokens (every token new: full verification) and on a reused
 * token (the verified-token cache). Then requests per second of an Express endpoint with and without
 * the middleware, loaded by autocannon over 127.0.0.1.
 */
import { createPublicKey, verify as cryptoVerify } from "crypto";
import { spawn } from "child_process";
import * as path from "path";
import autocannon from "autocannon";
import jwt from "jsonwebtoken";
import jwksClient from "jwks-rsa";
import { exportSPKI } from "jose";
import { AgentAuthMiddleware } from "@agent-identity/agent-auth";
import { ALLOWED_CALLER, AUDIENCE, ISSUER, KeySetServer, TENANT, mint, newSigningKey, validClaims } from "../test/runtime/agentAuth/tokens";
import { columns } from "../plan/render/table";

const TOKENS = Number(process.env.BENCH_TOKENS ?? 2000);
const ROUNDS = Number(process.env.BENCH_REPEATS ?? 3);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);

/** Validations per second of `validate` over `tokens`, median of ROUNDS rounds. */
async function rate(tokens: string[], validate: (token: string) => Promise<boolean> | boolean): Promise<number> {
  // Warm-up: JIT, key fetch.
  for (const t of tokens.slice(0, 50)) {
    if (!(await validate(t))) throw new Error("a valid token was refused during the benchmark");
  }
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (const t of tokens) {
      if (!(await validate(t))) throw new Error("a valid token was refused during the benchmark");
    }
    rates.push(tokens.length / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
}

function claimsOk(claims: Record<string, unknown>): boolean {
  return claims.tid === TENANT && claims.oid === ALLOWED_CALLER && Array.isArray(claims.roles) && claims.roles.includes("Agent.Invoke");
}

async function load(url: string, authorization: string): Promise<number> {
  const result = await autocannon({ url, connections: 10, duration: LOAD_SECONDS, headers: { authorization } });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`load run had ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return result.requests.average;
}

export async function benchAuth(): Promise<void> {
  const jwks = new KeySetServer();
  const key = await newSigningKey("bench-key");
  jwks.keys = [key];
  await jwks.start();
  try {
    const fresh = await Promise.all(Array.from({ length: TOKENS }, (_, i) => mint(key, validClaims({ jti: `t${i}` }))));
    const reused = Array.from({ length: TOKENS }, () => fresh[0]);
    const publicKey = createPublicKey(await exportSPKI(key.publicKey));

    const floor = await rate(fresh, (t) => {
      const [h, p, s] = t.split(".");
      return cryptoVerify("RSA-SHA256", Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, "base64url"));
    });

    const keys = jwksClient({ jwksUri: jwks.url, cache: true, rateLimit: true });
    const jsonwebtoken = async (t: string) => {
      const kid = (jwt.decode(t, { complete: true })?.header.kid ?? "") as string;
      const signingKey = (await keys.getSigningKey(kid)).getPublicKey();
      return claimsOk(jwt.verify(t, signingKey, { algorithms: ["RS256"], issuer: ISSUER, audience: AUDIENCE, clockTolerance: 60 }) as Record<string, unknown>);
    };
    const usual = await rate(fresh, jsonwebtoken);
    const usualReused = await rate(reused, jsonwebtoken);

    const middleware = new AgentAuthMiddleware({ tenantId: TENANT, audience: AUDIENCE, expectedCallerIds: [ALLOWED_CALLER], jwksUri: jwks.url, cacheMaxEntries: 0 });
    const ours = await rate(fresh, async (t) => (await middleware.validateCaller(`Bearer ${t}`)).ok);
    const cached = new AgentAuthMiddleware({ tenantId: TENANT, audience: AUDIENCE, expectedCallerIds: [ALLOWED_CALLER], jwksUri: jwks.url });
    const oursReused = await rate(reused, async (t) => (await cached.validateCaller(`Bearer ${t}`)).ok);

    process.stdout.write(`Caller validation, ${TOKENS} tokens, median of ${ROUNDS} rounds (validations per second; x = ratio to bare crypto.verify)\n\n`);
    process.stdout.write(
      `${columns([
        ["validator", "tokens", "per second", "x crypto.verify"],
        ["crypto.verify (signature only, floor)", "fresh", floor.toFixed(0), "1.00"],
        ["jsonwebtoken + jwks-rsa", "fresh", usual.toFixed(0), (usual / floor).toFixed(2)],
        ["jsonwebtoken + jwks-rsa", "reused", usualReused.toFixed(0), (usualReused / floor).toFixed(2)],
        ["agent-auth (cache off)", "fresh", ours.toFixed(0), (ours / floor).toFixed(2)],
        ["agent-auth (verified-token cache)", "reused", oursReused.toFixed(0), (oursReused / floor).toFixed(2)],
      ])}\n`,
    );
    process.stdout.write(`agent-auth / jsonwebtoken: fresh ${(ours / usual).toFixed(2)}x, reused ${(oursReused / usualReused).toFixed(2)}x\n\n`);

    const server = spawn(process.execPath, [path.join(__dirname, "authServer.js"), jwks.url], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        server.stdout.once("data", (d) => resolve(String(d).trim()));
        server.once("exit", (code) => reject(new Error(`benchmark server exited with ${code}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      const header = `Bearer ${fresh[0]}`;
      const open = await load(`${base}/open`, header);
      const guarded = await load(`${base}/guarded`, header);
      process.stdout.write(`Express endpoint in its own process under autocannon (10 connections, ${LOAD_SECONDS} s each, 127.0.0.1), one agent reusing its token\n\n`);
      process.stdout.write(
        `${columns([
          ["endpoint", "requests/s", "x without"],
          ["without middleware", open.toFixed(0), "1.00"],
          ["with agent-auth", guarded.toFixed(0), (guarded / open).toFixed(2)],
        ])}\n`,
      );
    } finally {
      server.kill();
    }
  } finally {
    await jwks.stop();
  }
}
