/**
 * @agent-identity/agent-auth: caller validation between agents.
 */
export { AgentAuthMiddleware, AgentAuthOptions, CallerAccepted, CallerRefused, CallerValidation } from "./middleware";
export { AuthFailureCode, AgentAuthConfigError } from "./errors";
export { expressAgentAuth, ExpressLikeRequest, ExpressLikeResponse } from "./adapters/express";
export { fastifyAgentAuth, FastifyLikeRequest, FastifyLikeReply } from "./adapters/fastify";
export { authorizationHeaderFor, calleesFromEnvironment, CalleeEndpoint, TokenSource } from "./client/authorizationHeader";
export { tenantKeySetUri } from "./jwks/remoteKeySet";
