/**
 * A self-signed certificate for 127.0.0.1, made at test time with openssl, so test doubles speak
 * HTTPS and clients under test verify them through a trusted CA instead of turning verification off.
 */
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";

/** PEM key and certificate; the certificate is also the CA clients trust. */
export interface TestCertificate {
  key: string;
  cert: string;
}

let cached: TestCertificate | undefined;

/** One certificate per test run (RSA key generation takes a moment). */
export function loopbackCertificate(): TestCertificate {
  if (!cached) {
    const dir = mkdtempSync(path.join(tmpdir(), "tls-"));
    try {
      execFileSync(
        "openssl",
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        { stdio: "ignore" },
      );
      cached = { key: readFileSync(path.join(dir, "key.pem"), "utf8"), cert: readFileSync(path.join(dir, "cert.pem"), "utf8") };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return cached;
}
