/**
 * The zod field builders every config schema uses, each carrying the fix in its error message, so the
 * stack schema and the audit schema word their errors alike.
 */
import { z } from "zod";
import { choiceValues } from "../rules/choices";

/** A string field with a format; `what` and `fix` make up the error message. */
export function formatted(pattern: RegExp, what: string, fix: string, maxLength = 253) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `is required. Fix: ${fix}` : `must be a string. Fix: ${fix}`) })
    // abort: a value too long is reported once, not also as a format mismatch.
    .max(maxLength, { error: `is longer than ${maxLength} characters. Fix: ${fix}`, abort: true })
    .regex(pattern, { error: (issue) => `${JSON.stringify(issue.input)} is not ${what}. Fix: ${fix}` });
}

/** One of the values of a choice object of rules/choices.ts (its input and output type is the choice's union). */
export function oneOf<const E extends Readonly<Record<string, string>>>(choices: E) {
  const values = choiceValues(choices);
  return z.enum(choices, {
    error: (issue) => `${JSON.stringify(issue.input)} is not allowed. Fix: use one of ${values.map((v) => JSON.stringify(v)).join(", ")}.`,
  });
}

/** An integer in a range. */
export function integer(min: number, max: number) {
  return z
    .number({ error: `must be a whole number from ${min} to ${max}. Fix: write a number without quotes.` })
    .int({ error: `must be a whole number. Fix: use a whole number from ${min} to ${max}.` })
    .min(min, { error: `must be at least ${min}. Fix: use a whole number from ${min} to ${max}.` })
    .max(max, { error: `must be at most ${max}. Fix: use a whole number from ${min} to ${max}.` });
}
