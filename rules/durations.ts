/**
 * ISO 8601 durations as PIM uses them for activation (`PT1H`, `PT90M`, `PT2H30M`).
 */

/** Minutes of an hours/minutes ISO 8601 duration, or undefined when it is not one. */
export function durationMinutes(duration: string): number | undefined {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(duration);
  if (!match || (match[1] === undefined && match[2] === undefined)) {
    return undefined;
  }
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

/** The shortest activation this project allows: one hour. */
export const MIN_ACTIVATION_MINUTES = 60;
/** The longest activation this project allows: four hours. */
export const MAX_ACTIVATION_MINUTES = 240;
