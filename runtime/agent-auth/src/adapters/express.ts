/**
 * Express adapter: refuses with 401 (and `WWW-Authenticate: Bearer`), 403 or 503 before the handler
 * runs; otherwise exposes the caller as `req.agentCaller` (and `res.locals.agentCaller`).
 */
import type { AgentAuthMiddleware, CallerAccepted } from "../middleware";
import { wwwAuthenticate } from "./challenge";

/** The parts of Express's request this adapter uses. */
export interface ExpressLikeRequest {
  headers: { authorization?: string };
  agentCaller?: Pick<CallerAccepted, "callerId" | "claims">;
}

/** The parts of Express's response this adapter uses. */
export interface ExpressLikeResponse {
  locals: Record<string, unknown>;
  status(code: number): ExpressLikeResponse;
  set(field: string, value: string): ExpressLikeResponse;
  json(body: unknown): unknown;
}

/** An Express middleware that validates the caller. */
export function expressAgentAuth(auth: AgentAuthMiddleware) {
  return (req: ExpressLikeRequest, res: ExpressLikeResponse, next: (err?: unknown) => void): void => {
    auth.validateCaller(req.headers.authorization).then((result) => {
      if (result.ok) {
        req.agentCaller = { callerId: result.callerId, claims: result.claims };
        res.locals.agentCaller = req.agentCaller;
        next();
        return;
      }
      if (result.status === 401) {
        res.set("WWW-Authenticate", wwwAuthenticate(result.code));
      }
      res.status(result.status).json({ error: result.code, reason: result.reason });
    }, next);
  };
}
