/**
 * A test double of the Azure Resource Manager PIM endpoints (Microsoft.Authorization, 2020-10-01) on
 * 127.0.0.1 over HTTPS, speaking the documented request and response shapes: role eligibility
 * schedules, role management policy assignments and policies, and role assignment schedule requests.
 * The real SDK client is pointed at it. Tests script the statuses a request goes through and inject
 * faults; every request is logged.
 */
import { randomUUID } from "crypto";
import * as https from "https";
import type { AddressInfo } from "net";
import { loopbackCertificate } from "../lib/tls";
import { eligibilityScheduleJson } from "../lib/eligibilitySchedule";

/** An eligibility the double knows. */
export interface DoubleEligibility {
  principalId: string;
  roleGuid: string;
  roleName: string;
  scope: string;
}

/** A fault: answer `status` with an ARM error body to matching requests, `times` times. */
export interface Fault {
  method: string;
  pathIncludes: string;
  status: number;
  code: string;
  times: number;
  /** Handle the request first (e.g. create the schedule request), then answer with the fault: an answer lost after the write. */
  afterHandling?: boolean;
}

/** A delay: hold matching requests `ms` before handling them (an ARM call that is slow to answer). */
export interface Delay {
  method: string;
  pathIncludes: string;
  ms: number;
}

/** One logged request. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: any;
  requestId: string;
}

const PIM_API = "2020-10-01";

/** The double. */
export class ArmPimDouble {
  readonly eligibilities: DoubleEligibility[] = [];
  /** Maximum activation per role GUID (policy rule Expiration_EndUser_Assignment). */
  readonly maximumDurations = new Map<string, string>();
  /** Statuses a new SelfActivate request goes through: the PUT answers the first, each GET the next (the last repeats). */
  activationStatuses: string[] = ["Provisioned"];
  /** Statuses a new SelfDeactivate request goes through, likewise. */
  deactivationStatuses: string[] = ["Revoked"];
  readonly faults: Fault[] = [];
  readonly delays: Delay[] = [];
  /** Requests ("METHOD path") that arrived and are being held by a delay. */
  readonly held: string[] = [];
  readonly log: LoggedRequest[] = [];
  readonly cancelled = new Set<string>();
  private readonly requests = new Map<string, { properties: any; reads: number; statuses: string[] }>();
  private server: https.Server | undefined;

  /** The CA certificate clients must trust. */
  get ca(): string {
    return loopbackCertificate().cert;
  }

  /** Base URL once started. */
  url = "";

  async start(): Promise<void> {
    const { key, cert } = loopbackCertificate();
    this.server = https.createServer({ key, cert }, (req, res) => {
      let raw = "";
      req.on("data", (chunk) => (raw += chunk));
      req.on("end", () => {
        const path = (req.url ?? "").split("?")[0];
        const delay = this.delays.find((d) => d.method === req.method && path.includes(d.pathIncludes));
        if (delay) {
          this.held.push(`${req.method} ${path}`);
          setTimeout(() => this.handle(req, raw, res), delay.ms);
        } else {
          this.handle(req, raw, res);
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests to paths that include a fragment. */
  requestsTo(method: string, fragment: string): LoggedRequest[] {
    return this.log.filter((r) => r.method === method && r.path.includes(fragment));
  }

  private send(res: { writeHead(status: number, headers: Record<string, string>): void; end(body: string): void }, status: number, requestId: string, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json", "x-ms-request-id": requestId });
    res.end(JSON.stringify(body));
  }

  private handle(req: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> }, raw: string, res: any, skipFaults = false): void {
    // The SDK joins "/{scope}" with a scope that starts with "/", so paths arrive as "//subscriptions/...";
    // ARM accepts that, and so does this double (new URL would read "subscriptions" as a host).
    const [rawPath, rawQuery = ""] = (req.url ?? "/").split("?");
    const url = { pathname: rawPath.replace(/^\/+/, "/"), searchParams: new URLSearchParams(rawQuery) };
    const method = req.method ?? "GET";
    const requestId = randomUUID();
    const entry: LoggedRequest = { method, path: decodeURIComponent(url.pathname), query: url.searchParams, authorization: req.headers.authorization as string | undefined, body: raw ? JSON.parse(raw) : undefined, requestId };
    if (!skipFaults) this.log.push(entry); // an afterHandling fault handles a request twice; log it once

    if (!entry.authorization?.startsWith("Bearer ")) {
      return this.send(res, 401, requestId, { error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." } });
    }
    const fault = skipFaults ? undefined : this.faults.find((f) => f.times > 0 && f.method === method && entry.path.includes(f.pathIncludes));
    if (fault) {
      fault.times--;
      if (fault.afterHandling) {
        this.handle(req, raw, { writeHead: () => undefined, end: () => undefined }, true);
      }
      return this.send(res, fault.status, requestId, { error: { code: fault.code, message: `Injected ${fault.code}` } });
    }
    if (url.searchParams.get("api-version") !== PIM_API) {
      return this.send(res, 400, requestId, { error: { code: "InvalidApiVersionParameter", message: `Unsupported api-version ${url.searchParams.get("api-version")}` } });
    }

    const match = /^(.*)\/providers\/Microsoft\.Authorization\/(\w+)(?:\/([^/]+))?(?:\/(cancel))?$/.exec(entry.path);
    if (!match) {
      return this.send(res, 404, requestId, { error: { code: "NotFound", message: entry.path } });
    }
    const [, scope, collection, name, action] = match;

    if (method === "GET" && collection === "roleEligibilitySchedules" && !name) {
      const value = this.eligibilities
        .filter((e) => e.scope.toLowerCase() === scope.toLowerCase())
        .map((e) => {
          const roleDefinitionId = `${e.scope}/providers/Microsoft.Authorization/roleDefinitions/${e.roleGuid}`;
          return eligibilityScheduleJson(e, roleDefinitionId, {
            startDateTime: "2026-01-01T00:00:00Z",
            expandedProperties: { roleDefinition: { id: roleDefinitionId, displayName: e.roleName, type: "CustomRole" }, scope: { id: e.scope }, principal: { id: e.principalId, type: "ServicePrincipal" } },
          });
        });
      return this.send(res, 200, requestId, { value });
    }

    if (method === "GET" && collection === "roleManagementPolicyAssignments" && !name) {
      const value = [...this.maximumDurations.keys()].map((roleGuid) => ({
        id: `${scope}/providers/Microsoft.Authorization/roleManagementPolicyAssignments/policy-${roleGuid}_${roleGuid}`,
        name: `policy-${roleGuid}_${roleGuid}`,
        type: "Microsoft.Authorization/roleManagementPolicyAssignments",
        properties: {
          scope,
          roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
          policyId: `${scope}/providers/Microsoft.Authorization/roleManagementPolicies/policy-${roleGuid}`,
        },
      }));
      return this.send(res, 200, requestId, { value });
    }

    if (method === "GET" && collection === "roleManagementPolicies" && name) {
      const roleGuid = name.replace(/^policy-/, "");
      const maximumDuration = this.maximumDurations.get(roleGuid);
      if (!maximumDuration) {
        return this.send(res, 404, requestId, { error: { code: "RoleManagementPolicyNotFound", message: name } });
      }
      const rules = [{ id: "Expiration_EndUser_Assignment", ruleType: "RoleManagementPolicyExpirationRule", isExpirationRequired: true, maximumDuration, target: { caller: "EndUser", operations: ["All"], level: "Assignment" } }];
      return this.send(res, 200, requestId, { id: `${scope}/providers/Microsoft.Authorization/roleManagementPolicies/${name}`, name, type: "Microsoft.Authorization/roleManagementPolicies", properties: { scope, rules, effectiveRules: rules } });
    }

    if (collection === "roleAssignmentScheduleRequests" && name) {
      const id = `${scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}`;
      const respond = (status: number, properties: any) =>
        this.send(res, status, requestId, { id, name, type: "Microsoft.Authorization/roleAssignmentScheduleRequests", properties: { ...properties, scope } });
      if (method === "PUT") {
        const properties = entry.body?.properties ?? {};
        const statuses = properties.requestType === "SelfDeactivate" ? [...this.deactivationStatuses] : [...this.activationStatuses];
        const stored = { properties: { ...properties, scheduleInfo: { ...properties.scheduleInfo, startDateTime: "2026-11-28T12:00:00Z" }, createdOn: "2026-11-28T12:00:00Z", requestorId: properties.principalId }, reads: 0, statuses };
        this.requests.set(name, stored);
        return respond(201, { ...stored.properties, status: statuses[0] });
      }
      const stored = this.requests.get(name);
      if (!stored) {
        return this.send(res, 404, requestId, { error: { code: "RoleAssignmentScheduleRequestNotFound", message: name } });
      }
      if (method === "POST" && action === "cancel") {
        this.cancelled.add(name);
        stored.statuses = ["Canceled"];
        stored.reads = 0;
        return this.send(res, 200, requestId, {});
      }
      if (method === "GET") {
        stored.reads++;
        return respond(200, { ...stored.properties, status: stored.statuses[Math.min(stored.reads, stored.statuses.length - 1)] });
      }
    }
    return this.send(res, 405, requestId, { error: { code: "MethodNotAllowed", message: `${method} ${entry.path}` } });
  }
}

/** A token credential whose token carries the given object id, for clients under test. */
export function staticCredential(oid: string) {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const token = `${part({ alg: "RS256", typ: "JWT" })}.${part({ oid, aud: "https://management.azure.com", tid: "tenant" })}.signature`;
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}
