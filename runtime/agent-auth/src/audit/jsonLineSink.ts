/**
 * The default audit sink: one JSON object per line, written with a single `write` so that lines
 * from concurrent requests never interleave. Container logs carry stderr to the cluster's
 * monitoring (Log Analytics `ContainerLogV2`).
 */
import type { AgentAuthAuditSink } from "./decisionEvent";

/** Something with a `write(string)`, like `process.stderr`. */
export interface LineWritable {
  write(chunk: string): unknown;
}

/** A sink that writes each event as one JSON line to `stream` (default `process.stderr`). */
export function jsonLineSink(stream: LineWritable = process.stderr): AgentAuthAuditSink {
  return (event) => {
    stream.write(`${JSON.stringify(event)}\n`);
  };
}
