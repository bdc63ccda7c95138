import * as assert from "assert";
import { SignJWT, exportSPKI } from "jose";
import { AgentAuthConfigError, AgentAuthDecisionEvent, AgentAuthMiddleware, AgentAuthOptions, AuthFailureCode, CallerValidation } from "@agent-identity/agent-auth";
import { ALLOWED_CALLER, AUDIENCE, ISSUER, KeySetServer, OTHER_CALLER, SigningKey, TENANT, mint, newSigningKey, validClaims } from "./tokens";

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("AgentAuthMiddleware with real RS256 tokens and a key-set server on 127.0.0.1", () => {
  let jwks: KeySetServer;
  let key: SigningKey;
  let attacker: SigningKey;

  before(async () => {
    key = await newSigningKey("key-1");
    attacker = await newSigningKey("attacker");
  });
  beforeEach(async () => {
    jwks = new KeySetServer();
    jwks.keys = [key];
    await jwks.start();
  });
  afterEach(() => jwks.stop());

  // Decision events are collected here rather than written to the test run's stderr.
  const events: AgentAuthDecisionEvent[] = [];
  beforeEach(() => void (events.length = 0));
  const middleware = (overrides: Partial<AgentAuthOptions> = {}) =>
    new AgentAuthMiddleware({ tenantId: TENANT, audience: AUDIENCE, expectedCallerIds: [ALLOWED_CALLER], jwksUri: jwks.url, auditSink: (e) => void events.push(e), ...overrides });

  function assertRefused(result: CallerValidation, status: number, code: string): void {
    assert.strictEqual(result.ok, false, `accepted: ${JSON.stringify(result)}`);
    if (!result.ok) {
      assert.strictEqual(result.status, status, result.reason);
      assert.strictEqual(result.code, code);
    }
  }

  it("accepts a valid app-only token of an allowed caller and exposes its id and claims", async () => {
    const result = await middleware().validateCaller(`Bearer ${await mint(key)}`);
    assert.ok(result.ok);
    assert.strictEqual(result.callerId, ALLOWED_CALLER);
    assert.deepStrictEqual(result.claims.roles, ["Agent.Invoke"]);
  });

  it("accepts the scheme in any case and a token without idtyp (the claim is optional)", async () => {
    assert.ok((await middleware().validateCaller(`bearer ${await mint(key, validClaims({ idtyp: undefined }))}`)).ok);
  });

  it("accepts a token expired within the clock tolerance, and refuses it with no tolerance", async () => {
    const token = await mint(key, validClaims({ exp: Math.floor(Date.now() / 1000) - 20 }));
    assert.ok((await middleware({ clockToleranceSeconds: 60 }).validateCaller(`Bearer ${token}`)).ok);
    assertRefused(await middleware({ clockToleranceSeconds: 0 }).validateCaller(`Bearer ${token}`), 401, AuthFailureCode.Expired);
  });

  describe("refuses", () => {
    const cases: Array<[string, () => Promise<string | undefined>, number, string]> = [
      ["a missing header", async () => undefined, 401, AuthFailureCode.Missing],
      ["an empty header", async () => "", 401, AuthFailureCode.Missing],
      ["another scheme", async () => `Basic ${Buffer.from("a:b").toString("base64")}`, 401, AuthFailureCode.Malformed],
      ["a bearer value that is not a JWS", async () => "Bearer not-a-token", 401, AuthFailureCode.Malformed],
      ["a token with extra text after it", async () => `Bearer ${await mint(key)} extra`, 401, AuthFailureCode.Malformed],
      ["alg: none", async () => `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64(validClaims())}.`, 401, AuthFailureCode.InvalidToken],
      [
        "HS256 signed with the public key as the secret",
        async () => {
          const secret = new TextEncoder().encode(await exportSPKI(key.publicKey));
          return `Bearer ${await new SignJWT(validClaims()).setProtectedHeader({ alg: "HS256", kid: key.kid }).sign(secret)}`;
        },
        401,
        AuthFailureCode.InvalidToken,
      ],
      [
        "RS512 instead of RS256",
        async () => {
          const { generateKeyPair } = await import("jose");
          const rs512 = await generateKeyPair("RS512");
          return `Bearer ${await mint({ kid: key.kid, ...rs512 }, validClaims(), "RS512")}`;
        },
        401,
        AuthFailureCode.InvalidToken,
      ],
      ["a wrong issuer", async () => `Bearer ${await mint(key, validClaims({ iss: "https://login.microsoftonline.com/common/v2.0" }))}`, 401, AuthFailureCode.InvalidToken],
      ["a v1 token (sts.windows.net issuer)", async () => `Bearer ${await mint(key, validClaims({ iss: `https://sts.windows.net/${TENANT}/`, ver: "1.0" }))}`, 401, AuthFailureCode.InvalidToken],
      ["a wrong audience", async () => `Bearer ${await mint(key, validClaims({ aud: "api://some-other-api" }))}`, 401, AuthFailureCode.InvalidToken],
      ["a token of another tenant", async () => `Bearer ${await mint(key, validClaims({ tid: "11111111-2222-3333-4444-555555555555" }))}`, 401, AuthFailureCode.InvalidToken],
      ["an expired token", async () => `Bearer ${await mint(key, validClaims({ exp: Math.floor(Date.now() / 1000) - 600 }))}`, 401, AuthFailureCode.Expired],
      ["a token not yet valid", async () => `Bearer ${await mint(key, validClaims({ nbf: Math.floor(Date.now() / 1000) + 600 }))}`, 401, AuthFailureCode.InvalidToken],
      ["a token without exp", async () => `Bearer ${await mint(key, validClaims({ exp: undefined }))}`, 401, AuthFailureCode.InvalidToken],
      [
        "a tampered payload",
        async () => {
          const [h, , s] = (await mint(key, validClaims({ oid: OTHER_CALLER }))).split(".");
          return `Bearer ${h}.${b64(validClaims())}.${s}`;
        },
        401,
        AuthFailureCode.InvalidToken,
      ],
      ["a token signed by an unknown key (unknown kid)", async () => `Bearer ${await mint(attacker)}`, 401, AuthFailureCode.InvalidToken],
      ["a token signed by another key under a known kid", async () => `Bearer ${await mint(attacker, validClaims(), "RS256", key.kid)}`, 401, AuthFailureCode.InvalidToken],
      ["a valid token without the required role", async () => `Bearer ${await mint(key, validClaims({ roles: ["Reader"] }))}`, 403, AuthFailureCode.RoleMissing],
      ["roles given as a string", async () => `Bearer ${await mint(key, validClaims({ roles: "Agent.Invoke" as unknown as string[] }))}`, 403, AuthFailureCode.RoleMissing],
      ["a valid token of a caller that is not allowed", async () => `Bearer ${await mint(key, validClaims({ oid: OTHER_CALLER }))}`, 403, AuthFailureCode.CallerNotAllowed],
      ["a user (delegated) token", async () => `Bearer ${await mint(key, validClaims({ idtyp: "user" }))}`, 403, AuthFailureCode.NotAnApplication],
    ];
    for (const [title, header, status, code] of cases) {
      it(`${title} with ${status} ${code}, and one refusal event`, async () => {
        assertRefused(await middleware().validateCaller(await header()), status, code);
        assert.deepStrictEqual(events.map((e) => [e.event, e.status, e.event === "agent-auth.refused" ? e.code : undefined]), [["agent-auth.refused", status, code]]);
      });
    }

    it("an oversized header before parsing it or asking for keys", async () => {
      assertRefused(await middleware().validateCaller(`Bearer ${"a".repeat(9000)}.b.c`), 401, AuthFailureCode.HeaderTooLarge);
      assertRefused(await middleware().validateCaller(`Bearer ${"é".repeat(5000)}`), 401, AuthFailureCode.HeaderTooLarge);
      assert.strictEqual(jwks.requests, 0);
    });

    it("everything with 503 when no key can be obtained (fail closed), then recovers when the key set is back", async () => {
      jwks.down = true;
      const auth = middleware({ jwksCooldownMs: 0, jwksRetryMinMs: 20 });
      const token = await mint(key);
      assertRefused(await auth.validateCaller(`Bearer ${token}`), 503, AuthFailureCode.KeysUnavailable);
      jwks.down = false;
      // A failed fetch backs off (jwksRetryMinMs) before the next one.
      await new Promise((r) => setTimeout(r, 40));
      assert.ok((await auth.validateCaller(`Bearer ${token}`)).ok);
    });

    it("with 503 when the key-set server does not answer at all", async () => {
      await jwks.stop();
      assertRefused(await middleware().validateCaller(`Bearer ${await mint(key)}`), 503, AuthFailureCode.KeysUnavailable);
    });
  });

  describe("keys", () => {
    it("are fetched once and then served from cache", async () => {
      const auth = middleware({ cacheMaxEntries: 0 });
      for (let i = 0; i < 5; i++) {
        assert.ok((await auth.validateCaller(`Bearer ${await mint(key, validClaims({ jti: String(i) }))}`)).ok);
      }
      assert.strictEqual(jwks.requests, 1);
    });

    it("are refetched at most once per cooldown, however many unknown kids arrive", async () => {
      const auth = middleware({ jwksCooldownMs: 60_000 });
      assert.ok((await auth.validateCaller(`Bearer ${await mint(key)}`)).ok);
      const flood = await Promise.all(Array.from({ length: 50 }, (_, i) => mint(attacker, validClaims(), "RS256", `random-${i}`)));
      for (const token of flood) {
        assertRefused(await auth.validateCaller(`Bearer ${token}`), 401, AuthFailureCode.InvalidToken);
      }
      assert.ok(jwks.requests <= 2, `${jwks.requests} key-set requests for 50 unknown kids`);
    });

    it("rotate without a restart: a token of a newly published key is accepted after the cooldown", async () => {
      const auth = middleware({ jwksCooldownMs: 50 });
      assert.ok((await auth.validateCaller(`Bearer ${await mint(key)}`)).ok);
      const rotated = await newSigningKey("key-2");
      jwks.keys = [rotated];
      await new Promise((r) => setTimeout(r, 80));
      assert.ok((await auth.validateCaller(`Bearer ${await mint(rotated)}`)).ok);
    });
  });

  describe("verified-token cache", () => {
    // jose keeps the key set itself; with its cache off, any verification needs the (stopped) server.
    it("answers a reused token without verifying it again (even with the key set down)", async () => {
      const auth = middleware({ jwksCacheMaxAgeMs: 0, jwksCooldownMs: 0 });
      const header = `Bearer ${await mint(key)}`;
      assert.ok((await auth.validateCaller(header)).ok);
      jwks.down = true;
      await jwks.stop();
      const again = await auth.validateCaller(header);
      assert.ok(again.ok);
      assert.strictEqual(again.callerId, ALLOWED_CALLER);
    });

    it("never outlives the token's expiry", async () => {
      const auth = middleware({ clockToleranceSeconds: 0 });
      const header = `Bearer ${await mint(key, validClaims({ exp: Math.floor(Date.now() / 1000) + 1 }))}`;
      assert.ok((await auth.validateCaller(header)).ok);
      await new Promise((r) => setTimeout(r, 2100));
      assertRefused(await auth.validateCaller(header), 401, AuthFailureCode.Expired);
    });

    it("is bounded: the least recently used token is forgotten first", async () => {
      // No stale keys either (jwksMaxStaleMs 0), so an evicted token needs the (stopped) server.
      const auth = middleware({ cacheMaxEntries: 2, jwksCacheMaxAgeMs: 0, jwksCooldownMs: 0, jwksMaxStaleMs: 0 });
      const [a, b, c] = await Promise.all(["a", "b", "c"].map((jti) => mint(key, validClaims({ jti }))));
      for (const t of [a, b, c]) assert.ok((await auth.validateCaller(`Bearer ${t}`)).ok);
      jwks.down = true;
      await jwks.stop();
      assert.ok((await auth.validateCaller(`Bearer ${c}`)).ok, "recent token still cached");
      assertRefused(await auth.validateCaller(`Bearer ${a}`), 503, AuthFailureCode.KeysUnavailable);
    });

    it("does not remember refusals", async () => {
      const auth = middleware();
      const header = `Bearer ${await mint(key, validClaims({ oid: OTHER_CALLER }))}`;
      assertRefused(await auth.validateCaller(header), 403, AuthFailureCode.CallerNotAllowed);
      assertRefused(await auth.validateCaller(header), 403, AuthFailureCode.CallerNotAllowed);
    });
  });

  describe("configuration", () => {
    it("reads the settings the platform writes into the callee's Deployment", async () => {
      const auth = AgentAuthMiddleware.fromEnvironment(
        { AGENT_AUTH_TENANT_ID: TENANT, AGENT_AUTH_AUDIENCE: AUDIENCE, AGENT_AUTH_ISSUER: ISSUER, AGENT_AUTH_ALLOWED_CALLERS: `${OTHER_CALLER},${ALLOWED_CALLER.toUpperCase()}`, AGENT_AUTH_REQUIRED_ROLE: "Agent.Invoke" },
        { jwksUri: jwks.url },
      );
      const result = await auth.validateCaller(`Bearer ${await mint(key)}`);
      assert.ok(result.ok);
    });

    for (const [title, options, message] of [
      ["no expected callers", { expectedCallerIds: [] }, /expectedCallerIds is empty/],
      ["a tenant that is not a GUID", { tenantId: "contoso.onmicrosoft.com" }, /not a tenant GUID/],
      ["an empty audience", { audience: "" }, /audience is empty/],
      ["a large clock tolerance", { clockToleranceSeconds: 3600 }, /outside 0-300/],
    ] as const) {
      it(`refuses to start with ${title}`, () => {
        assert.throws(() => middleware(options as Partial<AgentAuthOptions>), (err: unknown) => err instanceof AgentAuthConfigError && message.test(err.message));
      });
    }
  });
});
