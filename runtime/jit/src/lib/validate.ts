/**
 * Checks everything an activation request carries before the client talks to Azure, so a bad value
 * is one clear error and the ARM endpoint receives nothing.
 */
import { InvalidDurationError, InvalidOptionError, JitError } from "../errors";
import { durationMinutes, MAX_ACTIVATION_MINUTES, MIN_ACTIVATION_MINUTES } from "./duration";
import { checkScope } from "./scope";
import type { Backoff } from "./wait";

/** Shortest poll interval: PIM decisions take minutes; faster polling only loads ARM (and its throttling). */
export const MIN_POLL_INTERVAL_MS = 1000;
/** Approvers have 24 hours to decide; after that PIM expires the request (not configurable). */
export const MAX_TIMEOUT_MS = 24 * 3_600_000;
/** Shortest approval wait accepted. */
export const MIN_TIMEOUT_MS = 1000;

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_POLL_MS = 5000;
const DEFAULT_MAX_POLL_MS = 60_000;

/** The fields of a request that are checked here. */
export interface CheckedFields {
  scope: unknown;
  role: unknown;
  duration: unknown;
  justification: unknown;
  timeoutMs?: unknown;
  pollIntervalMs?: unknown;
  maxPollIntervalMs?: unknown;
  signal?: unknown;
}

/** The request's settings once checked. */
export interface CheckedActivation {
  minutes: number;
  timeoutMs: number;
  backoff: Backoff;
}

/** Checks the duration's form and PIM's limits (PT5M to PT24H); returns its minutes. */
export function checkDuration(duration: unknown): number {
  if (typeof duration !== "string") {
    throw new InvalidDurationError(String(duration));
  }
  const minutes = durationMinutes(duration);
  if (minutes === undefined || minutes < MIN_ACTIVATION_MINUTES) {
    throw new InvalidDurationError(duration);
  }
  if (minutes > MAX_ACTIVATION_MINUTES) {
    throw new InvalidDurationError(duration, "is longer than PIM's limit of PT24H for an activation");
  }
  return minutes;
}

function milliseconds(field: string, value: unknown, fallback: number, min: number, max: number, fix: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InvalidOptionError(field, `is ${JSON.stringify(value) ?? String(value)}, not a number of milliseconds`, fix);
  }
  if (value < min || value > max) {
    throw new InvalidOptionError(field, `is ${value} ms, outside ${min}..${max} ms`, fix);
  }
  return value;
}

/** Checks a role name: a non-empty string. */
export function checkRole(role: unknown): string {
  if (typeof role !== "string" || role.trim().length === 0) {
    throw new InvalidOptionError("role", "is empty", "pass the role's display name, its GUID or its role definition id");
  }
  return role;
}

/** Checks every field of an activation request; throws the first problem found. */
export function checkActivation(request: CheckedFields): CheckedActivation {
  checkScope(request.scope);
  checkRole(request.role);
  const minutes = checkDuration(request.duration);
  if (typeof request.justification !== "string" || request.justification.trim().length === 0) {
    throw new JitError("ERR_JIT_NO_JUSTIFICATION", "A justification is required. Fix: say why the agent needs the role now.");
  }
  const timeoutMs = milliseconds("timeoutMs", request.timeoutMs, DEFAULT_TIMEOUT_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS, "wait at least 1 s and at most 24 h (PIM expires an undecided request after 24 hours)");
  const initialMs = milliseconds("pollIntervalMs", request.pollIntervalMs, DEFAULT_POLL_MS, MIN_POLL_INTERVAL_MS, MAX_TIMEOUT_MS, "poll every 1 s or slower (default 5 s)");
  const maxMs = milliseconds(
    "maxPollIntervalMs",
    request.maxPollIntervalMs,
    Math.max(DEFAULT_MAX_POLL_MS, initialMs),
    initialMs,
    MAX_TIMEOUT_MS,
    `make it at least pollIntervalMs (${initialMs} ms)`,
  );
  const signal = request.signal as { aborted?: unknown; addEventListener?: unknown } | undefined;
  if (signal !== undefined && (typeof signal !== "object" || signal === null || typeof signal.aborted !== "boolean" || typeof signal.addEventListener !== "function")) {
    throw new InvalidOptionError("signal", "is not an AbortSignal", "pass an AbortController's signal, or leave it out");
  }
  return { minutes, timeoutMs, backoff: { initialMs, maxMs, factor: 1.5 } };
}
