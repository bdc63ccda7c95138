/**
 * An HTTPS server on 127.0.0.1 (port 0, certificate from test/lib/tls.ts) that routes requests to a
 * handler, logs each one, and answers injected faults first. Clients under test trust its certificate.
 */
import * as https from "https";
import type { AddressInfo } from "net";
import { loopbackCertificate } from "../lib/tls";

/** One logged request. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

/** A reply. */
export interface Reply {
  status: number;
  body: unknown;
}

/** A fault: matching requests get `status` with an error body, `times` times (default always). */
export interface Fault {
  pathIncludes: string;
  status: number;
  code: string;
  message?: string;
  times?: number;
}

/** The double. */
export class HttpsDouble {
  readonly log: LoggedRequest[] = [];
  readonly faults: Fault[] = [];
  url = "";
  private server: https.Server | undefined;

  constructor(
    private readonly name: string,
    private readonly route: (req: LoggedRequest) => Reply | undefined,
    private readonly errorBody: (status: number, code: string, message: string) => unknown = (_s, code, message) => ({ error: { code, message } }),
  ) {}

  /** The CA certificate clients must trust. */
  get ca(): string {
    return loopbackCertificate().cert;
  }

  async start(): Promise<void> {
    const { key, cert } = loopbackCertificate();
    this.server = https.createServer({ key, cert }, (req, res) => {
      req.resume();
      req.on("end", () => {
        const [rawPath, rawQuery = ""] = (req.url ?? "/").split("?");
        // The Azure SDK joins "/{scope}" with scopes that start with "/": ARM accepts "//subscriptions/...", so does this double.
        const entry: LoggedRequest = { method: req.method ?? "GET", path: decodeURIComponent(rawPath.replace(/^\/+/, "/")), query: new URLSearchParams(rawQuery), authorization: req.headers.authorization };
        this.log.push(entry);
        const reply = this.answer(entry);
        res.writeHead(reply.status, { "content-type": "application/json", "x-ms-request-id": `${this.name}-${this.log.length}` });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private answer(entry: LoggedRequest): Reply {
    if (!entry.authorization?.startsWith("Bearer ")) {
      return { status: 401, body: this.errorBody(401, "AuthenticationFailed", "The Authorization header is missing.") };
    }
    const fault = this.faults.find((f) => (f.times ?? 1) > 0 && entry.path.toLowerCase().includes(f.pathIncludes.toLowerCase()));
    if (fault) {
      if (fault.times !== undefined) {
        fault.times--;
      }
      return { status: fault.status, body: this.errorBody(fault.status, fault.code, fault.message ?? `Injected ${fault.code}`) };
    }
    if (entry.method !== "GET") {
      return { status: 405, body: this.errorBody(405, "MethodNotAllowed", `${entry.method} is not served by this read-only double`) };
    }
    return this.route(entry) ?? { status: 404, body: this.errorBody(404, "NotFound", `${this.name} double has no ${entry.path}`) };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
