/**
 * The middleware's decision events (issue 13): one structured JSON line per refusal on stderr by
 * default (code, status, audience, caller oid when a signature proved it, reason; never the token
 * or the header), accepted calls on request, and a sink that fails never changing a decision.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { AgentAuthDecisionEvent, AgentAuthMiddleware, AgentAuthOptions, AuthFailureCode, jsonLineSink } from "@agent-identity/agent-auth";
import { ALLOWED_CALLER, AUDIENCE, KeySetServer, OTHER_CALLER, SigningKey, TENANT, mint, newSigningKey, validClaims, useKeySetServer } from "./tokens";

/** Asserts that nothing of the token (whole, or any of its three parts) is in `text`. */
function assertNoToken(text: string, token: string): void {
  assert.ok(!text.includes(token), "the token is in the audit line");
  for (const part of token.split(".").filter((p) => p.length > 0)) {
    assert.ok(!text.includes(part), "a part of the token is in the audit line");
  }
}

describe("AgentAuthMiddleware decision events", () => {
  let jwks: KeySetServer;
  let key: SigningKey;
  useKeySetServer((j, k) => ((jwks = j), (key = k)));

  const middleware = (overrides: Partial<AgentAuthOptions> = {}) =>
    new AgentAuthMiddleware({ tenantId: TENANT, audience: AUDIENCE, expectedCallerIds: [ALLOWED_CALLER], jwksUri: jwks.url, ...overrides });

  /** A sink writing JSON lines into a string, as the default does into stderr. */
  function lines() {
    let text = "";
    return { sink: jsonLineSink({ write: (chunk: string) => (text += chunk) }), text: () => text, parsed: () => text.split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>) };
  }

  it("writes exactly one parseable JSON line per refusal, with its fields and without the token", async () => {
    const out = lines();
    const auth = middleware({ auditSink: out.sink });
    const token = await mint(key, validClaims({ oid: OTHER_CALLER }));
    const header = `Bearer ${token}`;
    const before = Date.now();
    const result = await auth.validateCaller(header);
    assert.ok(!result.ok);
    const text = out.text();
    assert.strictEqual(text.split("\n").length, 2, "not exactly one line");
    assert.ok(text.endsWith("\n"));
    const [event] = out.parsed();
    assert.deepStrictEqual(Object.keys(event).sort(), ["audience", "callerOid", "code", "event", "reason", "status", "time"]);
    assert.strictEqual(event.event, "agent-auth.refused");
    assert.strictEqual(event.code, AuthFailureCode.CallerNotAllowed);
    assert.strictEqual(event.status, 403);
    assert.strictEqual(event.audience, AUDIENCE);
    assert.strictEqual(event.callerOid, OTHER_CALLER);
    assert.strictEqual(event.reason, "caller is not an allowed agent");
    const time = Date.parse(event.time as string);
    assert.ok(time >= before - 1000 && time <= Date.now() + 1000, `time ${event.time}`);
    assertNoToken(text, token);
    assert.ok(!text.includes(header));
  });

  it("gives the caller oid only when a signature proved it: null for a forged token, the oid for an expired one", async () => {
    const out = lines();
    const auth = middleware({ auditSink: out.sink });
    const forged = await mint(await newSigningKey("key-1"), validClaims({ oid: OTHER_CALLER }));
    const expired = await mint(key, validClaims({ oid: OTHER_CALLER, iat: Math.floor(Date.now() / 1000) - 7200, nbf: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }));
    await auth.validateCaller(`Bearer ${forged}`);
    await auth.validateCaller(`Bearer ${expired}`);
    await auth.validateCaller("Basic dXNlcjpwYXNz");
    const events = out.parsed();
    assert.deepStrictEqual(
      events.map((e) => [e.code, e.status, e.callerOid]),
      [
        [AuthFailureCode.InvalidToken, 401, null],
        [AuthFailureCode.Expired, 401, OTHER_CALLER],
        [AuthFailureCode.Malformed, 401, null],
      ],
    );
    assert.match(String(events[0].detail), /^ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    assertNoToken(out.text(), forged);
    assertNoToken(out.text(), expired);
    assert.ok(!out.text().includes("dXNlcjpwYXNz"), "the Authorization header is in the audit line");
  });

  it("says nothing about accepted calls by default, and one event per accepted call with auditAccepted", async () => {
    const header = `Bearer ${await mint(key)}`;
    const quiet: AgentAuthDecisionEvent[] = [];
    assert.ok((await middleware({ auditSink: (e) => void quiet.push(e) }).validateCaller(header)).ok);
    assert.deepStrictEqual(quiet, []);

    const out = lines();
    const auth = middleware({ auditSink: out.sink, auditAccepted: true });
    assert.ok((await auth.validateCaller(header)).ok);
    assert.ok((await auth.validateCaller(header)).ok);
    const events = out.parsed();
    assert.deepStrictEqual(
      events.map((e) => [e.event, e.status, e.callerOid, e.audience, e.cached]),
      [
        ["agent-auth.accepted", 200, ALLOWED_CALLER, AUDIENCE, false],
        ["agent-auth.accepted", 200, ALLOWED_CALLER, AUDIENCE, true],
      ],
    );
    assertNoToken(out.text(), header.slice("Bearer ".length));
  });

  it("by default writes the refusal lines to the process's stderr, one per refusal and none per accept", async function () {
    this.timeout(30_000);
    const dir = mkdtempSync(path.join(tmpdir(), "agent-auth-audit-"));
    try {
      const script = path.join(dir, "child.js");
      writeFileSync(
        script,
        `const { AgentAuthMiddleware } = require(${JSON.stringify(require.resolve("@agent-identity/agent-auth"))});
const [jwksUri, tenantId, audience, caller, denied, allowed] = process.argv.slice(2);
const auth = new AgentAuthMiddleware({ tenantId, audience, expectedCallerIds: [caller], jwksUri });
(async () => {
  const results = [];
  for (const header of [undefined, "Bearer " + denied, "Bearer " + allowed, "Bearer x.y"]) results.push((await auth.validateCaller(header)).ok);
  process.stdout.write(JSON.stringify(results));
})();
`,
      );
      const denied = await mint(key, validClaims({ oid: OTHER_CALLER }));
      const allowed = await mint(key);
      const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
        execFile(process.execPath, [script, jwks.url, TENANT, AUDIENCE, ALLOWED_CALLER, denied, allowed], (err, stdout, stderr) => (err ? reject(err) : resolve({ stdout, stderr }))),
      );
      assert.deepStrictEqual(JSON.parse(stdout), [false, false, true, false]);
      const stderrLines = stderr.split("\n").filter((l) => l.length > 0);
      assert.strictEqual(stderrLines.length, 3, stderr);
      const events = stderrLines.map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.deepStrictEqual(
        events.map((e) => [e.event, e.code, e.status, e.audience, e.callerOid]),
        [
          ["agent-auth.refused", AuthFailureCode.Missing, 401, AUDIENCE, null],
          ["agent-auth.refused", AuthFailureCode.CallerNotAllowed, 403, AUDIENCE, OTHER_CALLER],
          ["agent-auth.refused", AuthFailureCode.Malformed, 401, AUDIENCE, null],
        ],
      );
      assertNoToken(stderr, denied);
      assertNoToken(stderr, allowed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("a sink that fails never changes a decision (fail closed)", () => {
    let written: string[];
    let originalWrite: typeof process.stderr.write;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    beforeEach(() => {
      written = [];
      unhandled.length = 0;
      originalWrite = process.stderr.write;
      process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
      process.on("unhandledRejection", onUnhandled);
    });
    afterEach(() => {
      process.stderr.write = originalWrite;
      process.off("unhandledRejection", onUnhandled);
    });

    for (const [title, sink] of [
      ["throws", () => { throw new Error("log pipeline down"); }],
      ["rejects", async () => { throw new Error("log pipeline down"); }],
    ] as Array<[string, AgentAuthOptions["auditSink"]]>) {
      it(`a sink that ${title}: refusals stay refusals, accepts stay accepts, the failure is reported on stderr`, async () => {
        const auth = middleware({ auditSink: sink, auditAccepted: true });
        const forged = await mint(await newSigningKey("key-1"));
        const outcomes = [
          await auth.validateCaller(undefined),
          await auth.validateCaller(`Bearer ${forged}`),
          await auth.validateCaller(`Bearer ${await mint(key, validClaims({ oid: OTHER_CALLER }))}`),
          await auth.validateCaller(`Bearer ${await mint(key, validClaims({ roles: ["Reader"] }))}`),
        ];
        assert.deepStrictEqual(outcomes.map((o) => (o.ok ? "accepted" : o.status)), [401, 401, 403, 403]);
        assert.ok((await auth.validateCaller(`Bearer ${await mint(key)}`)).ok);
        await new Promise((r) => setImmediate(r));
        const reports = written.map((l) => JSON.parse(l) as { event: string; error: string; decision: { event: string } });
        assert.deepStrictEqual(reports.map((r) => [r.event, r.decision.event]), [
          ...Array.from({ length: 4 }, () => ["agent-auth.audit-sink-failed", "agent-auth.refused"]),
          ["agent-auth.audit-sink-failed", "agent-auth.accepted"],
        ]);
        assert.match(reports[0].error, /log pipeline down/);
        assertNoToken(written.join(""), forged);
        assert.deepStrictEqual(unhandled, []);
      });
    }
  });
});
