/**
 * Calls the caller's sink and callbacks so that nothing they do (throw, reject) can change what the
 * client does next: an audit sink failing must not skip a cancel or hide its outcome.
 */
import type { JitEvent, JitEventBase, JitEventName, JitEventSink } from "../events";

/** Runs `fn`, swallowing a throw or a rejected promise. */
export function safely(fn: () => unknown): void {
  try {
    const result = fn();
    if (result && typeof (result as PromiseLike<unknown>).then === "function") {
      Promise.resolve(result).catch(() => undefined);
    }
  } catch {
    // The callback's failure is the callback's business.
  }
}

/** Fields of an event other than its name, time and the step's own fields. */
export type EventContext = Omit<JitEventBase, "event" | "time" | "status">;

/** Emits events to a sink, filling the common fields. */
export class Emitter {
  constructor(private readonly sink: JitEventSink, private readonly context: () => EventContext) {}

  /** Sends one event; never throws. */
  emit(event: JitEventName, status: string, extra: Record<string, string | number> = {}): void {
    let full: JitEvent;
    try {
      full = { event, time: new Date().toISOString(), ...this.context(), status, ...extra } as JitEvent;
    } catch {
      return;
    }
    safely(() => this.sink(full));
  }
}
