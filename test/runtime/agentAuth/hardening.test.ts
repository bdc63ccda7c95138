/**
 * Caller validation at its edges (issue 10): keys the middleware must not use, results that must
 * not be shared mutable, Authorization values that are not strings, token lifetimes Entra never
 * issues, and options that must stop the callee at start-up. Real RS256 tokens, a key-set server
 * on 127.0.0.1.
 */
import * as assert from "assert";
import { createPrivateKey, generateKeyPairSync, sign as cryptoSign } from "crypto";
import { exportJWK, generateKeyPair, type JWK, type JWTPayload } from "jose";
import { AgentAuthConfigError, AgentAuthMiddleware, AgentAuthOptions, AuthFailureCode, CallerValidation, expressAgentAuth, fastifyAgentAuth, type ExpressLikeRequest, type ExpressLikeResponse, type FastifyLikeReply, type FastifyLikeRequest } from "@agent-identity/agent-auth";
import { ALLOWED_CALLER, AUDIENCE, KeySetServer, OTHER_CALLER, SigningKey, TENANT, mint, validClaims, useKeySetServer } from "./tokens";

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** A compact RS256 JWS signed with Node's crypto directly (jose refuses to sign with RSA under 2048 bits). */
function signRaw(privateKeyPem: string, kid: string, claims: JWTPayload): string {
  const input = `${b64({ alg: "RS256", typ: "JWT", kid })}.${b64(claims)}`;
  return `${input}.${cryptoSign("RSA-SHA256", Buffer.from(input), createPrivateKey(privateKeyPem)).toString("base64url")}`;
}

function assertRefused(result: CallerValidation, status: number, code: string): void {
  assert.strictEqual(result.ok, false, `accepted: ${JSON.stringify(result)}`);
  if (!result.ok) {
    assert.strictEqual(result.status, status, result.reason);
    assert.strictEqual(result.code, code);
  }
}

describe("AgentAuthMiddleware hardening", () => {
  let jwks: KeySetServer;
  let key: SigningKey;
  useKeySetServer((j, k) => ((jwks = j), (key = k)));

  const middleware = (overrides: Partial<AgentAuthOptions> = {}) =>
    new AgentAuthMiddleware({ tenantId: TENANT, audience: AUDIENCE, expectedCallerIds: [ALLOWED_CALLER], jwksUri: jwks.url, auditSink: () => undefined, ...overrides });

  describe("a key the middleware will not use means invalid token (401), not keys unavailable (503)", () => {
    /** Publishes `jwk` (under kid "bad") next to the good key; returns a token signed by its private half. */
    async function publishAndSign(jwk: JWK, privateKeyPem: string): Promise<string> {
      jwks.extraJwks = [{ ...jwk, kid: "bad" }];
      return signRaw(privateKeyPem, "bad", validClaims());
    }
    function rsa(bits: number) {
      const pair = generateKeyPairSync("rsa", { modulusLength: bits });
      return { pem: pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string, publicJwk: pair.publicKey.export({ format: "jwk" }) as JWK, privateJwk: pair.privateKey.export({ format: "jwk" }) as JWK };
    }

    const cases: Array<[string, () => Promise<string>]> = [
      ["an RSA key of 1024 bits", async () => { const k = rsa(1024); return publishAndSign({ ...k.publicJwk, use: "sig", alg: "RS256" }, k.pem); }],
      ["an RSA key of 2047 bits", async () => { const k = rsa(2047); return publishAndSign({ ...k.publicJwk, use: "sig", alg: "RS256" }, k.pem); }],
      ["a key published with its private parts (d, p, q, dp, dq, qi)", async () => { const k = rsa(2048); return publishAndSign({ ...k.privateJwk, use: "sig", alg: "RS256" }, k.pem); }],
      ["a key published with only d", async () => { const k = rsa(2048); return publishAndSign({ ...k.publicJwk, d: k.privateJwk.d, use: "sig" }, k.pem); }],
      ["an encryption key (use: enc)", async () => { const k = rsa(2048); return publishAndSign({ ...k.publicJwk, use: "enc" }, k.pem); }],
      ["a key for another algorithm (alg: RS512)", async () => { const k = rsa(2048); return publishAndSign({ ...k.publicJwk, alg: "RS512" }, k.pem); }],
      ["a key whose key_ops exclude verify", async () => { const k = rsa(2048); return publishAndSign({ ...k.publicJwk, key_ops: ["encrypt"] }, k.pem); }],
      [
        "a key of another type (kty: EC)",
        async () => {
          const ec = await generateKeyPair("ES256", { extractable: true });
          const k = rsa(2048);
          return publishAndSign({ ...(await exportJWK(ec.publicKey)), use: "sig" }, k.pem);
        },
      ],
    ];
    for (const [title, token] of cases) {
      it(`${title}`, async () => {
        const auth = middleware();
        assertRefused(await auth.validateCaller(`Bearer ${await token()}`), 401, AuthFailureCode.InvalidToken);
        // The good key next to it still works, and the refusal did not cost a refetch.
        assert.ok((await auth.validateCaller(`Bearer ${await mint(key)}`)).ok);
        assert.strictEqual(jwks.requests, 1);
      });
    }

    it("accepts the same 2048-bit key once it is published as a public signing key", async () => {
      const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
      jwks.extraJwks = [{ ...(pair.publicKey.export({ format: "jwk" }) as JWK), kid: "good", use: "sig", alg: "RS256" }];
      const token = signRaw(pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string, "good", validClaims());
      assert.ok((await middleware().validateCaller(`Bearer ${token}`)).ok);
    });
  });

  describe("results handed out", () => {
    it("are frozen: mutating the claims of a cached result cannot change what the next request with that token sees", async () => {
      const auth = middleware();
      const header = `Bearer ${await mint(key)}`;
      const first = await auth.validateCaller(header);
      assert.ok(first.ok);
      const original = JSON.parse(JSON.stringify(first.claims)) as JWTPayload;
      const attempts: Array<() => void> = [
        () => (first.claims.roles as string[]).push("Admin"),
        () => ((first.claims as Record<string, unknown>).oid = OTHER_CALLER),
        () => delete (first.claims as Record<string, unknown>).tid,
        () => ((first as { callerId: string }).callerId = OTHER_CALLER),
      ];
      for (const attempt of attempts) assert.throws(attempt, TypeError);
      const second = await auth.validateCaller(header);
      assert.ok(second.ok);
      assert.strictEqual(second.callerId, ALLOWED_CALLER);
      assert.deepStrictEqual(second.claims, original);
    });
  });

  describe("a non-string Authorization value", () => {
    const values: Array<[string, unknown, string]> = [
      ["undefined", undefined, AuthFailureCode.Missing],
      ["null", null, AuthFailureCode.Missing],
      ["a number", 42, AuthFailureCode.Malformed],
      ["an object", { toString: () => "Bearer x.y.z" }, AuthFailureCode.Malformed],
      ["a Buffer", Buffer.from("Bearer x.y.z"), AuthFailureCode.Malformed],
      ["an array of two headers", ["Bearer a.b.c", "Bearer d.e.f"], AuthFailureCode.Malformed],
    ];
    for (const [title, value, code] of values) {
      it(`is a 401 (${code}), never a throw: ${title}`, async () => {
        assertRefused(await middleware().validateCaller(value), 401, code);
      });
    }

    it("is a 401 even when it is an array holding one valid token (the string form is accepted)", async () => {
      const valid = `Bearer ${await mint(key)}`;
      assertRefused(await middleware().validateCaller([valid]), 401, AuthFailureCode.Malformed);
      assert.ok((await middleware().validateCaller(valid)).ok);
    });

    it("is a 401 through the Express adapter, and the handler does not run", async () => {
      for (const [, value, code] of values) {
        const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
        const res: ExpressLikeResponse = {
          locals: {},
          status(c) { sent.status = c; return res; },
          set(f, v) { sent.headers[f] = v; return res; },
          json(b) { sent.body = b; return res; },
        };
        let nextCalls = 0;
        await new Promise<void>((resolve) => {
          const done = res.json.bind(res);
          res.json = (b) => (done(b), resolve(), res);
          expressAgentAuth(middleware())({ headers: { authorization: value } } as unknown as ExpressLikeRequest, res, () => (nextCalls++, resolve()));
        });
        assert.strictEqual(nextCalls, 0);
        assert.strictEqual(sent.status, 401);
        assert.deepStrictEqual((sent.body as { error: string }).error, code);
        assert.ok(sent.headers["WWW-Authenticate"].startsWith("Bearer"));
      }
    });

    it("is a 401 through the Fastify adapter, and no caller is attached", async () => {
      for (const [, value, code] of values) {
        const sent: { status?: number; body?: unknown } = {};
        const reply: FastifyLikeReply = {
          code(c) { sent.status = c; return reply; },
          header() { return reply; },
          send(b) { sent.body = b; return reply; },
        };
        const request = { headers: { authorization: value } } as unknown as FastifyLikeRequest;
        await fastifyAgentAuth(middleware())(request, reply);
        assert.strictEqual(sent.status, 401);
        assert.strictEqual((sent.body as { error: string }).error, code);
        assert.strictEqual(request.agentCaller, undefined);
      }
    });
  });

  describe("token lifetime", () => {
    const cases: Array<[string, () => JWTPayload, Partial<AgentAuthOptions>, boolean]> = [
      ["iat 10 minutes in the future (beyond the 60 s tolerance)", () => validClaims({ iat: now() + 600, nbf: now() - 5 }), {}, false],
      ["iat 30 s in the future (within the tolerance)", () => validClaims({ iat: now() + 30, nbf: now() - 5 }), {}, true],
      ["a lifetime of 25 h (exp - iat)", () => validClaims({ iat: now() - 60, nbf: now() - 60, exp: now() - 60 + 25 * 3600 }), {}, false],
      ["a lifetime of exactly 24 h", () => validClaims({ iat: now() - 60, nbf: now() - 60, exp: now() - 60 + 24 * 3600 }), {}, true],
      ["exp - nbf over 24 h while exp - iat is under", () => validClaims({ nbf: now() - 2 * 3600, iat: now() - 5, exp: now() + 23 * 3600 }), {}, false],
      ["an exp ten years away", () => validClaims({ exp: now() + 10 * 365 * 86400 }), {}, false],
      ["no iat", () => validClaims({ iat: undefined }), {}, false],
      ["a 3 h token under maxTokenLifetimeSeconds 7200", () => validClaims({ exp: now() - 5 + 3 * 3600 }), { maxTokenLifetimeSeconds: 7200 }, false],
      ["a 1 h token under maxTokenLifetimeSeconds 7200", () => validClaims({ exp: now() - 5 + 3600 }), { maxTokenLifetimeSeconds: 7200 }, true],
    ];
    for (const [title, claims, options, accepted] of cases) {
      it(`${accepted ? "accepts" : "refuses (401)"} ${title}`, async () => {
        const result = await middleware(options).validateCaller(`Bearer ${await mint(key, claims())}`);
        if (accepted) assert.ok(result.ok, JSON.stringify(result));
        else assertRefused(result, 401, AuthFailureCode.InvalidToken);
      });
    }
  });

  describe("options", () => {
    const bad: Array<[string, Partial<AgentAuthOptions> | Record<string, unknown>, string, RegExp]> = [
      ["a caller id that is not a GUID", { expectedCallerIds: ["security-scanner"] }, "expectedCallerIds[0]", /"security-scanner" is not an object id \(GUID\)/],
      ["a caller id that is not a string", { expectedCallerIds: [ALLOWED_CALLER, 42] }, "expectedCallerIds[1]", /42 is not an object id/],
      ["caller ids that are not an array", { expectedCallerIds: `${ALLOWED_CALLER},${OTHER_CALLER}` }, "expectedCallerIds", /is not an array/],
      ["a blank audience", { audience: "   " }, "audience", /audience is empty/],
      ["an audience that is not a string", { audience: 42 }, "audience", /audience is empty/],
      ["no tenant", { tenantId: undefined }, "tenantId", /not a tenant GUID/],
      ["a plain-http key set on a public host", { jwksUri: `http://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys` }, "jwksUri", /is not https \(plain http only to a loopback host/],
      ["a plain-http key set on a host that only starts like a loopback address", { jwksUri: "http://127.0.0.1.attacker.example/keys" }, "jwksUri", /is not https/],
      ["a key-set URI that is not a URL", { jwksUri: "login.microsoftonline.com/keys" }, "jwksUri", /is not a URL/],
      ["a key-set URI with credentials", { jwksUri: "https://user:secret@login.microsoftonline.com/keys" }, "jwksUri", /carries credentials/],
      ["a plain-http issuer", { issuer: `http://login.microsoftonline.com/${TENANT}/v2.0` }, "issuer", /is not https/],
      ["a blank required role", { requiredRole: " " }, "requiredRole", /is blank/],
      ["a negative clock tolerance", { clockToleranceSeconds: -1 }, "clockToleranceSeconds", /outside 0-300/],
      ["a NaN clock tolerance", { clockToleranceSeconds: NaN }, "clockToleranceSeconds", /outside 0-300/],
      ["a zero header limit", { maxHeaderBytes: 0 }, "maxHeaderBytes", /outside 1-65536/],
      ["a fractional header limit", { maxHeaderBytes: 1.5 }, "maxHeaderBytes", /outside 1-65536/],
      ["a negative cache size", { cacheMaxEntries: -1 }, "cacheMaxEntries", /outside 0-/],
      ["a zero fetch timeout", { jwksTimeoutMs: 0 }, "jwksTimeoutMs", /outside 1-60000/],
      ["a stale limit of two days", { jwksMaxStaleMs: 48 * 3_600_000 }, "jwksMaxStaleMs", /outside 0-86400000/],
      ["a zero key-set size limit", { jwksMaxResponseBytes: 0 }, "jwksMaxResponseBytes", /outside 1-16777216/],
      ["a zero retry wait", { jwksRetryMinMs: 0 }, "jwksRetryMinMs", /outside 1-/],
      ["a retry cap under the first wait", { jwksRetryMinMs: 5000, jwksRetryMaxMs: 1000 }, "jwksRetryMaxMs", /outside 5000-/],
      ["a zero token lifetime", { maxTokenLifetimeSeconds: 0 }, "maxTokenLifetimeSeconds", /outside 60-604800/],
      ["a 30-day token lifetime", { maxTokenLifetimeSeconds: 30 * 86400 }, "maxTokenLifetimeSeconds", /outside 60-604800/],
      ["an audit sink that is not a function", { auditSink: "stderr" }, "auditSink", /is not a function/],
      ["an audit flag that is not a boolean", { auditAccepted: "yes" }, "auditAccepted", /is not a boolean/],
      ["a key-set agent that is not an agent", { jwksAgent: "proxy" }, "jwksAgent", /is not an http\(s\)\.Agent/],
    ];
    for (const [title, options, field, message] of bad) {
      it(`refuses to start with ${title} (ERR_AUTH_CONFIG, field ${field})`, () => {
        assert.throws(
          () => middleware(options as Partial<AgentAuthOptions>),
          (err: unknown) => err instanceof AgentAuthConfigError && err.code === "ERR_AUTH_CONFIG" && err.field === field && message.test(err.message) && /Fix: /.test(err.message),
        );
      });
    }

    it("starts with valid edge values: uppercase GUIDs, blank list entries, https and loopback key sets, no stale keys, no cache", () => {
      for (const options of [
        { expectedCallerIds: [ALLOWED_CALLER.toUpperCase(), "", " "], tenantId: TENANT.toUpperCase() },
        { jwksUri: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys` },
        { jwksUri: "http://localhost:8080/keys" },
        { jwksUri: "http://[::1]:8080/keys" },
        { jwksMaxStaleMs: 0, cacheMaxEntries: 0, jwksCooldownMs: 0, jwksCacheMaxAgeMs: 0, clockToleranceSeconds: 0 },
        { jwksMaxStaleMs: 86_400_000, maxTokenLifetimeSeconds: 604_800 },
      ] as Array<Partial<AgentAuthOptions>>) {
        assert.ok(middleware(options) instanceof AgentAuthMiddleware);
      }
    });
  });
});
