/**
 * Real RS256 tokens shaped like Entra ID v2 app-only access tokens, minted with jose, and a key-set
 * server on 127.0.0.1 that can rotate keys, go down, and count how often it is asked.
 */
import * as http from "http";
import * as https from "https";
import type { AddressInfo } from "net";
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload, type CryptoKey } from "jose";

export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const AUDIENCE = "9c5b2f0e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
export const ALLOWED_CALLER = "0f1e2d3c-4b5a-4968-8776-655443322110";
export const OTHER_CALLER = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
export const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;

/** A signing key with its kid. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** A new RS256 key pair (extractable, so its public half can be published and exported). */
export async function newSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, publicKey };
}

/** Claims of a valid app-only token from an allowed caller; override any. */
export function validClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, tid: TENANT, oid: ALLOWED_CALLER, azp: ALLOWED_CALLER, roles: ["Agent.Invoke"], idtyp: "app", ver: "2.0", iat: now - 5, nbf: now - 5, exp: now + 3600, ...overrides };
}

/** Signs claims (undefined values are dropped) with the key, RS256 unless told otherwise. */
export async function mint(key: SigningKey, claims: JWTPayload = validClaims(), alg = "RS256", kid: string | undefined = key.kid): Promise<string> {
  const payload = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  return new SignJWT(payload).setProtectedHeader({ alg, typ: "JWT", ...(kid ? { kid } : {}) }).sign(key.privateKey);
}

/** The JWKS endpoint (plain http on 127.0.0.1, or https with `tls`). */
export class KeySetServer {
  keys: SigningKey[] = [];
  /** Raw JWKs published after `keys` (e.g. keys the middleware must refuse to use). */
  extraJwks: JWK[] = [];
  /** When set, answers every request instead of the key set (oversized, wrong type, endless bodies). */
  respond: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
  requests = 0;
  down = false;
  private server: http.Server | undefined;
  url = "";

  constructor(private readonly tls?: { key: string; cert: string }) {}

  /** The JWKS document currently published. */
  async document(): Promise<{ keys: JWK[] }> {
    const keys = await Promise.all(this.keys.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, use: "sig", alg: "RS256" })));
    return { keys: [...keys, ...this.extraJwks] };
  }

  async start(): Promise<void> {
    const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.requests++;
      if (this.down) {
        res.writeHead(503).end();
        return;
      }
      if (this.respond) {
        this.respond(req, res);
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(await this.document()));
    };
    this.server = this.tls ? https.createServer(this.tls, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `${this.tls ? "https" : "http"}://127.0.0.1:${(this.server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Registers hooks: one signing key ("key-1") for the file, and a fresh key-set server publishing it for
 * each test (stopped after); hands the test file both.
 */
export function useKeySetServer(set: (jwks: KeySetServer, key: SigningKey) => void): void {
  let key: SigningKey;
  let current: KeySetServer | undefined;
  before(async () => {
    key = await newSigningKey("key-1");
  });
  beforeEach(async () => {
    current = new KeySetServer();
    current.keys = [key];
    await current.start();
    set(current, key);
  });
  afterEach(() => current?.stop());
}
