import * as assert from "assert";
import type { AddressInfo } from "net";
import express from "express";
import Fastify from "fastify";
import { AgentAuthMiddleware, authorizationHeaderFor, calleesFromEnvironment, expressAgentAuth, fastifyAgentAuth } from "@agent-identity/agent-auth";
import { ALLOWED_CALLER, AUDIENCE, KeySetServer, OTHER_CALLER, SigningKey, TENANT, mint, newSigningKey, validClaims } from "./tokens";

interface Served {
  url: string;
  close(): Promise<void>;
  handled: () => number;
}

async function serveExpress(auth: AgentAuthMiddleware): Promise<Served> {
  let handled = 0;
  const app = express();
  app.get("/review", expressAgentAuth(auth), (req, res) => {
    handled++;
    res.json({ caller: (req as unknown as { agentCaller: { callerId: string } }).agentCaller.callerId, local: (res.locals.agentCaller as { callerId: string }).callerId });
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/review`, close: () => new Promise((r) => server.close(() => r())), handled: () => handled };
}

async function serveFastify(auth: AgentAuthMiddleware): Promise<Served> {
  let handled = 0;
  const app = Fastify();
  app.get("/review", { preHandler: fastifyAgentAuth(auth) }, async (request) => {
    handled++;
    const caller = (request as unknown as { agentCaller: { callerId: string } }).agentCaller.callerId;
    return { caller, local: caller };
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/review`, close: () => app.close(), handled: () => handled };
}

for (const [framework, serve] of [
  ["Express", serveExpress],
  ["Fastify", serveFastify],
] as const) {
  describe(`the ${framework} adapter over a real HTTP server`, () => {
    let jwks: KeySetServer;
    let key: SigningKey;
    let served: Served;

    before(async () => {
      key = await newSigningKey("key-1");
    });
    beforeEach(async () => {
      jwks = new KeySetServer();
      jwks.keys = [key];
      await jwks.start();
      served = await serve(new AgentAuthMiddleware({ tenantId: TENANT, audience: AUDIENCE, expectedCallerIds: [ALLOWED_CALLER], jwksUri: jwks.url, auditSink: () => undefined }));
    });
    afterEach(async () => {
      await served.close();
      await jwks.stop();
    });

    const get = (authorization?: string) => fetch(served.url, { headers: authorization ? { authorization } : {} });

    it("runs the handler for an allowed caller and exposes the caller to it", async () => {
      const res = await get(`Bearer ${await mint(key)}`);
      assert.strictEqual(res.status, 200);
      assert.deepStrictEqual(await res.json(), { caller: ALLOWED_CALLER, local: ALLOWED_CALLER });
    });

    it("answers 401 with WWW-Authenticate: Bearer when no token is sent, without running the handler", async () => {
      const res = await get();
      assert.strictEqual(res.status, 401);
      assert.strictEqual(res.headers.get("www-authenticate"), "Bearer");
      assert.deepStrictEqual(await res.json(), { error: "ERR_AUTH_MISSING", reason: "missing bearer token" });
      assert.strictEqual(served.handled(), 0);
    });

    it("answers 401 with error=invalid_token for a forged token", async () => {
      const forger = await newSigningKey("key-1");
      const res = await get(`Bearer ${await mint(forger)}`);
      assert.strictEqual(res.status, 401);
      assert.strictEqual(res.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
      assert.strictEqual(served.handled(), 0);
    });

    it("answers 403 to a valid token of a caller that is not allowed", async () => {
      const res = await get(`Bearer ${await mint(key, validClaims({ oid: OTHER_CALLER }))}`);
      assert.strictEqual(res.status, 403);
      assert.strictEqual(((await res.json()) as { error: string }).error, "ERR_AUTH_CALLER_NOT_ALLOWED");
      assert.strictEqual(served.handled(), 0);
    });

    it("answers 503 when the signing keys cannot be obtained", async () => {
      jwks.down = true;
      const res = await get(`Bearer ${await mint(key)}`);
      assert.strictEqual(res.status, 503);
      assert.strictEqual(served.handled(), 0);
    });
  });
}

describe("the caller helpers", () => {
  it("builds the Authorization header from the agent's credential for the callee's scope", async () => {
    const asked: unknown[] = [];
    const header = await authorizationHeaderFor("api://callee/.default", { getToken: async (scope) => (asked.push(scope), { token: "t0k3n", expiresOnTimestamp: Date.now() + 1000 }) });
    assert.strictEqual(header, "Bearer t0k3n");
    assert.deepStrictEqual(asked, ["api://callee/.default"]);
  });

  it("fails loudly when the credential gives no token", async () => {
    await assert.rejects(authorizationHeaderFor("api://callee/.default", { getToken: async () => null }), /No token for api:\/\/callee\/\.default/);
  });

  it("reads the callee directory the platform writes into AGENT_CALLEES", () => {
    const env = { AGENT_CALLEES: JSON.stringify({ "code-review-orchestrator": { url: "http://code-review-orchestrator.agents.svc.cluster.local:8080", scope: "api://abc/.default" } }) };
    assert.deepStrictEqual(calleesFromEnvironment(env), { "code-review-orchestrator": { url: "http://code-review-orchestrator.agents.svc.cluster.local:8080", scope: "api://abc/.default" } });
    assert.deepStrictEqual(calleesFromEnvironment({}), {});
  });
});
