/**
 * The key set under outage and abuse, against a real key-set server on 127.0.0.1 (plain http, and
 * https with a certificate made at test time): stale keys for a bounded time then fail closed,
 * backoff that keeps a flood of requests from becoming a flood of fetches, and answers that are too
 * large or not JSON refused without being buffered whole.
 */
import * as assert from "assert";
import * as https from "https";
import { AgentAuthDecisionEvent, AgentAuthMiddleware, AgentAuthOptions, AuthFailureCode, CallerValidation, KeySetFailureCode } from "@agent-identity/agent-auth";
import { loopbackCertificate } from "../../lib/tls";
import { ALLOWED_CALLER, AUDIENCE, KeySetServer, SigningKey, TENANT, mint, newSigningKey, validClaims } from "./tokens";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the key set behind AgentAuthMiddleware", () => {
  let jwks: KeySetServer;
  let key: SigningKey;
  const events: AgentAuthDecisionEvent[] = [];

  before(async () => {
    key = await newSigningKey("key-1");
  });
  beforeEach(async () => {
    events.length = 0;
    jwks = new KeySetServer();
    jwks.keys = [key];
    await jwks.start();
  });
  afterEach(() => jwks.stop());

  const middleware = (overrides: Partial<AgentAuthOptions> = {}) =>
    new AgentAuthMiddleware({ tenantId: TENANT, audience: AUDIENCE, expectedCallerIds: [ALLOWED_CALLER], jwksUri: jwks.url, auditSink: (e) => void events.push(e), ...overrides });
  /** Distinct tokens, minted ahead so that signing time does not eat into the timing windows. */
  const tokens = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => mint(key, validClaims({ jti: `t${i}` }))));

  function assertUnavailable(result: CallerValidation): void {
    assert.strictEqual(result.ok, false, "accepted while the keys are unavailable");
    if (!result.ok) {
      assert.strictEqual(result.status, 503);
      assert.strictEqual(result.code, AuthFailureCode.KeysUnavailable);
    }
  }

  describe("during an outage", () => {
    it("keeps verifying with the last good keys for jwksMaxStaleMs past their cache lifetime, then fails closed with 503, then recovers", async () => {
      const [t1, t2, t3, t4] = await tokens(4);
      const auth = middleware({ cacheMaxEntries: 0, jwksCacheMaxAgeMs: 50, jwksMaxStaleMs: 300, jwksRetryMinMs: 10, jwksRetryMaxMs: 20 });
      assert.ok((await auth.validateCaller(`Bearer ${t1}`)).ok);
      jwks.down = true;
      await sleep(80);
      assert.ok((await auth.validateCaller(`Bearer ${t2}`)).ok, "refused while the last good keys are within the stale limit");
      assert.strictEqual(auth.keySetStatus().stale, true);
      assert.ok(jwks.requests >= 2, "no refresh was attempted once the keys were past their cache lifetime");
      await sleep(350);
      assertUnavailable(await auth.validateCaller(`Bearer ${t3}`));
      const refused = events.find((e) => e.event === "agent-auth.refused");
      assert.match(refused?.event === "agent-auth.refused" ? (refused.detail ?? "") : "", /ERR_JWKS_UNAVAILABLE: last good keys are older than the stale limit \(ERR_JWKS_HTTP_STATUS/);
      jwks.down = false;
      await sleep(30);
      assert.ok((await auth.validateCaller(`Bearer ${t4}`)).ok, "did not recover when the key set came back");
      assert.strictEqual(auth.keySetStatus().stale, false);
    });

    it("keeps the last good keys by default (6 h): a key set going down does not refuse callers", async () => {
      const [t1, t2] = await tokens(2);
      const auth = middleware({ cacheMaxEntries: 0, jwksCacheMaxAgeMs: 0 });
      assert.ok((await auth.validateCaller(`Bearer ${t1}`)).ok);
      await jwks.stop();
      await sleep(5);
      assert.ok((await auth.validateCaller(`Bearer ${t2}`)).ok);
      assert.strictEqual(auth.keySetStatus().lastFailure, KeySetFailureCode.Network);
    });

    it("with jwksMaxStaleMs 0, fails closed as soon as a due refresh fails", async () => {
      const [t1, t2] = await tokens(2);
      const auth = middleware({ cacheMaxEntries: 0, jwksCacheMaxAgeMs: 0, jwksMaxStaleMs: 0 });
      assert.ok((await auth.validateCaller(`Bearer ${t1}`)).ok);
      jwks.down = true;
      await sleep(5);
      assertUnavailable(await auth.validateCaller(`Bearer ${t2}`));
    });

    it("turns a flood of requests with no keys into one fetch while backing off (one fetch in flight, then the wait)", async () => {
      jwks.down = true;
      const all = await tokens(20);
      const auth = middleware({ cacheMaxEntries: 0 }); // default backoff: 1 s after the first failure
      const concurrent = await Promise.all(Array.from({ length: 200 }, (_, i) => auth.validateCaller(`Bearer ${all[i % all.length]}`)));
      concurrent.forEach(assertUnavailable);
      for (let i = 0; i < 200; i++) assertUnavailable(await auth.validateCaller(`Bearer ${all[i % all.length]}`));
      assert.strictEqual(jwks.requests, 1);
      assert.strictEqual(auth.keySetStatus().consecutiveFailures, 1);
    });

    it("turns a flood of requests on stale keys into one failed refresh, and keeps accepting meanwhile", async () => {
      const all = await tokens(20);
      const auth = middleware({ cacheMaxEntries: 0, jwksCacheMaxAgeMs: 0 });
      assert.ok((await auth.validateCaller(`Bearer ${all[0]}`)).ok);
      jwks.down = true;
      await sleep(5);
      const results = await Promise.all(Array.from({ length: 300 }, (_, i) => auth.validateCaller(`Bearer ${all[i % all.length]}`)));
      assert.ok(results.every((r) => r.ok));
      assert.strictEqual(jwks.requests, 2, "one good fetch, then one failed refresh for 300 requests");
    });

    it("backs off exponentially up to jwksRetryMaxMs while requests keep coming (fetch count bounded by the schedule)", async () => {
      jwks.down = true;
      const [token] = await tokens(1);
      // Failures at ~0, 40, 120, 280, 440, 600, 760, 920 ms: waits 40, 80, 160, then capped at 160.
      const auth = middleware({ cacheMaxEntries: 0, jwksRetryMinMs: 40, jwksRetryMaxMs: 160 });
      let calls = 0;
      const started = Date.now();
      while (Date.now() - started < 1000) {
        assertUnavailable(await auth.validateCaller(`Bearer ${token}`));
        calls++;
        await new Promise((r) => setImmediate(r));
      }
      assert.ok(calls > 100, `only ${calls} requests: not a flood`);
      assert.ok(jwks.requests >= 4 && jwks.requests <= 9, `${jwks.requests} fetches for ${calls} requests in 1 s`);
      assert.strictEqual(auth.keySetStatus().consecutiveFailures, jwks.requests);
    });
  });

  describe("answers refused without being buffered whole (fail closed, 503)", () => {
    async function refusedWith(respond: KeySetServer["respond"], failure: string, overrides: Partial<AgentAuthOptions> = {}): Promise<number> {
      jwks.respond = respond;
      const auth = middleware({ jwksTimeoutMs: 20_000, ...overrides });
      const started = Date.now();
      assertUnavailable(await auth.validateCaller(`Bearer ${await mint(key)}`));
      assert.strictEqual(auth.keySetStatus().lastFailure, failure);
      return Date.now() - started;
    }

    it("a key set just under the size limit is accepted, one byte over it is refused", async () => {
      const document = JSON.stringify(await jwks.document());
      const limit = 4096;
      const padded = (size: number) => document + " ".repeat(size - Buffer.byteLength(document));
      jwks.respond = (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(padded(limit));
      assert.ok((await middleware({ jwksMaxResponseBytes: limit }).validateCaller(`Bearer ${await mint(key)}`)).ok);
      await refusedWith((_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(padded(limit + 1)), KeySetFailureCode.TooLarge, { jwksMaxResponseBytes: limit });
    });

    it("a declared Content-Length over the limit, before any of the body is read", async () => {
      // The server declares 2 MB and then sends nothing: only the header can have caused the refusal.
      const elapsed = await refusedWith((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(2_000_000) });
        res.flushHeaders();
      }, KeySetFailureCode.TooLarge);
      assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
    });

    it("an endless chunked body: the transfer is aborted once past the limit (default 1 MiB)", async () => {
      let written = 0;
      let closed = false;
      const elapsed = await refusedWith((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"keys":[');
        const chunk = " ".repeat(65_536);
        const pump = () => {
          while (!closed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
        };
        res.on("close", () => (closed = true));
        pump();
      }, KeySetFailureCode.TooLarge);
      await sleep(50);
      assert.ok(closed, "the client did not close the connection");
      assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
      // The body never ends, so a client that buffered it whole would never have answered at all.
      assert.ok(written > 1_048_576, `only ${written} bytes were offered`);
    });

    for (const [title, respond, failure] of [
      ["a JSON body served as text/html", (_req, res) => void res.writeHead(200, { "content-type": "text/html" }).end(JSON.stringify({ keys: [] })), KeySetFailureCode.NotJson],
      ["a body without a content type", (_req, res) => void res.writeHead(200).end(JSON.stringify({ keys: [] })), KeySetFailureCode.NotJson],
      ["a body declared JSON that does not parse", (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end('{"keys": ['), KeySetFailureCode.NotJson],
      ["a body that is not UTF-8", (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(Buffer.from([0x7b, 0xff, 0x7d])), KeySetFailureCode.NotJson],
      ["a compressed body", (_req, res) => void res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end("xx"), KeySetFailureCode.NotJson],
      ["JSON that is not a key set", (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end('{"keys": {"kid": "x"}}'), KeySetFailureCode.Malformed],
      ["a key set whose member is not a JWK", (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end('{"keys": ["RSA"]}'), KeySetFailureCode.Malformed],
      ["a redirect (not followed)", (_req, res) => void res.writeHead(302, { location: "http://127.0.0.1:9/keys" }).end(), KeySetFailureCode.HttpStatus],
    ] as Array<[string, NonNullable<KeySetServer["respond"]>, string]>) {
      it(`${title}`, async () => {
        await refusedWith(respond, failure);
      });
    }

    it("a key set that does not answer within jwksTimeoutMs", async () => {
      const elapsed = await refusedWith(() => undefined, KeySetFailureCode.Timeout, { jwksTimeoutMs: 200 });
      assert.ok(elapsed >= 190 && elapsed < 5_000, `took ${elapsed} ms`);
    });

    it("accepts Entra's own media type, application/json; charset=utf-8", async () => {
      const document = JSON.stringify(await jwks.document());
      jwks.respond = (_req, res) => void res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(document);
      assert.ok((await middleware().validateCaller(`Bearer ${await mint(key)}`)).ok);
    });
  });

  describe("over https", () => {
    let tlsKeys: KeySetServer;
    beforeEach(async () => {
      tlsKeys = new KeySetServer(loopbackCertificate());
      tlsKeys.keys = [key];
      await tlsKeys.start();
    });
    afterEach(() => tlsKeys.stop());

    it("fetches from an https key set whose certificate the agent trusts", async () => {
      const agent = new https.Agent({ ca: loopbackCertificate().cert });
      assert.ok((await middleware({ jwksUri: tlsKeys.url, jwksAgent: agent }).validateCaller(`Bearer ${await mint(key)}`)).ok);
      agent.destroy();
    });

    it("refuses (503) a key set whose certificate is not trusted: TLS verification stays on", async () => {
      const auth = middleware({ jwksUri: tlsKeys.url });
      assertUnavailable(await auth.validateCaller(`Bearer ${await mint(key)}`));
      assert.strictEqual(auth.keySetStatus().lastFailure, KeySetFailureCode.Network);
    });
  });
});
