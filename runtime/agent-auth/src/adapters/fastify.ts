/**
 * Fastify adapter: a `preHandler` hook that refuses with 401 (and `WWW-Authenticate: Bearer`), 403 or
 * 503 before the route handler; otherwise exposes the caller as `request.agentCaller`.
 */
import type { AgentAuthMiddleware, CallerAccepted } from "../middleware";
import { wwwAuthenticate } from "./challenge";

/** The parts of Fastify's request this adapter uses. */
export interface FastifyLikeRequest {
  headers: { authorization?: string };
  agentCaller?: Pick<CallerAccepted, "callerId" | "claims">;
}

/** The parts of Fastify's reply this adapter uses. */
export interface FastifyLikeReply {
  code(statusCode: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(payload: unknown): unknown;
}

/** A Fastify `preHandler` hook that validates the caller. */
export function fastifyAgentAuth(auth: AgentAuthMiddleware) {
  return async (request: FastifyLikeRequest, reply: FastifyLikeReply): Promise<void> => {
    const result = await auth.validateCaller(request.headers.authorization);
    if (result.ok) {
      request.agentCaller = { callerId: result.callerId, claims: result.claims };
      return;
    }
    if (result.status === 401) {
      reply.header("WWW-Authenticate", wwwAuthenticate(result.code));
    }
    await reply.code(result.status).send({ error: result.code, reason: result.reason });
  };
}
