/**
 * The Express endpoint the load benchmark hits, in its own process so that the load generator does
 * not share its event loop. `node authServer.js <jwksUri>`; prints the port, serves /open and /guarded.
 */
import type { AddressInfo } from "net";
import express from "express";
import { AgentAuthMiddleware, expressAgentAuth } from "@agent-identity/agent-auth";
import { ALLOWED_CALLER, AUDIENCE, TENANT } from "../test/runtime/agentAuth/tokens";

const auth = new AgentAuthMiddleware({ tenantId: TENANT, audience: AUDIENCE, expectedCallerIds: [ALLOWED_CALLER], jwksUri: process.argv[2] });
const app = express();
app.get("/open", (_req, res) => void res.json({ ok: true }));
app.get("/guarded", expressAgentAuth(auth), (_req, res) => void res.json({ ok: true }));
const server = app.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
