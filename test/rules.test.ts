import * as assert from "assert";
import { cpuMillicores, isCredentialLikeEnvName, isCredentialLikeEnvValue, memoryBytes, parseImageReference } from "../rules/formats";

describe("config rules", () => {
  it("parses image references with registry ports, tags and digests", () => {
    assert.deepStrictEqual(parseImageReference("registry.example.com:5000/team/agent:1.2.3"), { repository: "registry.example.com:5000/team/agent", tag: "1.2.3", digest: undefined });
    const digest = "sha256:" + "0".repeat(64);
    assert.deepStrictEqual(parseImageReference(`agent@${digest}`), { repository: "agent", tag: undefined, digest });
    assert.strictEqual(parseImageReference("agent@sha256:short"), undefined);
    assert.strictEqual(parseImageReference("UPPER/case:1"), undefined);
    assert.strictEqual(parseImageReference("localhost/agent:1")?.repository, "localhost/agent");
  });

  it("flags credential-like variable names but not look-alikes", () => {
    for (const name of ["DB_PASSWORD", "OPENAI_API_KEY", "GITHUB_TOKEN", "CLIENT_SECRET", "STORAGE_CONNECTION_STRING", "apikey"]) {
      assert.ok(isCredentialLikeEnvName(name), name);
    }
    for (const name of ["MAX_TOKENS", "LOG_LEVEL", "KEYWORDS", "TOKENIZER_MODEL", "SECRETARY_NAME"]) {
      assert.ok(!isCredentialLikeEnvName(name), name);
    }
  });

  it("flags values that are keys, SAS tokens, private keys or JWTs", () => {
    assert.ok(isCredentialLikeEnvValue("https://acct.blob.core.windows.net/c?sv=2022&sig=abc%3D"));
    assert.ok(isCredentialLikeEnvValue("-----BEGIN RSA PRIVATE KEY-----"));
    assert.ok(isCredentialLikeEnvValue("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.sig"));
    assert.ok(!isCredentialLikeEnvValue("https://login.microsoftonline.com/"));
  });

  it("compares Kubernetes quantities in one unit", () => {
    assert.strictEqual(cpuMillicores("1.5"), 1500);
    assert.strictEqual(cpuMillicores("250m"), 250);
    assert.strictEqual(memoryBytes("1Gi"), 1024 ** 3);
    assert.ok(memoryBytes("1G") < memoryBytes("1Gi"));
  });
});
