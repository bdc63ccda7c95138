/**
 * @agent-identity/agent-auth: caller validation between agents.
 */
export { AgentAuthMiddleware, AgentAuthOptions, CallerAccepted, CallerRefused, CallerValidation } from "./middleware";
export { AuthFailureCode, AgentAuthConfigError, KeySetError, KeySetFailureCode, UnusableKeyError } from "./errors";
export { AgentAuthAcceptedEvent, AgentAuthAuditSink, AgentAuthDecisionEvent, AgentAuthRefusedEvent } from "./audit/decisionEvent";
export { jsonLineSink, LineWritable } from "./audit/jsonLineSink";
export { expressAgentAuth, ExpressLikeRequest, ExpressLikeResponse } from "./adapters/express";
export { fastifyAgentAuth, FastifyLikeRequest, FastifyLikeReply } from "./adapters/fastify";
export { authorizationHeaderFor, calleesFromEnvironment, CalleeEndpoint, TokenSource } from "./client/authorizationHeader";
export { tenantKeySetUri } from "./jwks/tenantKeySetUri";
export { ResilientKeySet, ResilientKeySetOptions, KeySetStatus } from "./jwks/resilientKeySet";
