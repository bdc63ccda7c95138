/**
 * One GET of a JSON document that is never buffered past a size limit: a declared Content-Length
 * over the limit is refused before the body is read, and a body that grows past it while streaming
 * is aborted at once. The answer must be 200, declared as JSON, uncompressed, UTF-8 and parseable.
 * Redirects are not followed. The timeout covers the whole exchange, body included.
 */
import * as http from "http";
import * as https from "https";
import { KeySetError, KeySetFailureCode } from "../errors";

/** Limits of one fetch. */
export interface BoundedFetchOptions {
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Deadline of the whole exchange, in ms. */
  timeoutMs: number;
  /** Agent for the request (e.g. an `https.Agent` with an extra CA); default Node's global agent. */
  agent?: http.Agent;
}

/** Media types accepted: `application/json`, `application/jwk-set+json`, any `application/*+json`. */
function isJsonMediaType(contentType: string | undefined): boolean {
  const media = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return media === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(media);
}

/** GETs `url` and parses its JSON body within the limits; rejects with a {@link KeySetError}. */
export function fetchBoundedJson(url: URL, options: BoundedFetchOptions): Promise<unknown> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (code: KeySetFailureCode, message: string, cause?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(new KeySetError(code, message, { cause }));
    };
    const request = client.get(url, { agent: options.agent, headers: { accept: "application/json, application/jwk-set+json", "accept-encoding": "identity" } }, (response) => {
      if (response.statusCode !== 200) {
        fail(KeySetFailureCode.HttpStatus, `key set answered HTTP ${response.statusCode}, expected 200`);
        return;
      }
      if (!isJsonMediaType(response.headers["content-type"])) {
        fail(KeySetFailureCode.NotJson, `key set content-type ${JSON.stringify(response.headers["content-type"] ?? "")} is not JSON`);
        return;
      }
      const encoding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
      if (encoding !== "identity") {
        fail(KeySetFailureCode.NotJson, `key set content-encoding ${JSON.stringify(encoding)} is not accepted (identity only)`);
        return;
      }
      const declared = Number(response.headers["content-length"]);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        fail(KeySetFailureCode.TooLarge, `key set declares ${declared} bytes, over the limit of ${options.maxBytes}`);
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > options.maxBytes) {
          fail(KeySetFailureCode.TooLarge, `key set is over the limit of ${options.maxBytes} bytes; transfer aborted`);
          return;
        }
        chunks.push(chunk);
      });
      response.on("error", (err) => fail(KeySetFailureCode.Network, `key set transfer failed: ${err.message}`, err));
      response.on("aborted", () => fail(KeySetFailureCode.Network, "key set transfer was cut off"));
      response.on("end", () => {
        if (settled) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks, received)));
        } catch (err) {
          fail(KeySetFailureCode.NotJson, "key set body is not valid UTF-8 JSON", err);
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve(parsed);
      });
    });
    request.on("error", (err) => fail(KeySetFailureCode.Network, `key set request failed: ${err.message}`, err));
    const timer = setTimeout(() => fail(KeySetFailureCode.Timeout, `key set did not answer within ${options.timeoutMs} ms`), options.timeoutMs);
  });
}
