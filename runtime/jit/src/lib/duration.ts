/**
 * ISO 8601 durations of hours and minutes (`PT2H`, `PT90M`, `PT1H30M`).
 */

/** Minutes of a duration, or undefined when it is not of that form. */
export function durationMinutes(duration: string): number | undefined {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(duration);
  if (!match || (match[1] === undefined && match[2] === undefined)) {
    return undefined;
  }
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

/** Azure refuses activations shorter than five minutes. */
export const MIN_ACTIVATION_MINUTES = 5;

/**
 * PIM's hard limit on an activation: a role setting's "Activation maximum duration" can be 1 to 24
 * hours (learn.microsoft.com, "Configure Azure resource role settings in PIM").
 */
export const MAX_ACTIVATION_MINUTES = 24 * 60;
