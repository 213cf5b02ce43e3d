/**
 * Durations as ops write them in the SLA file: "30m", "4h", "2d", "1w", and business time
 * ("4bh", "2bd", "4 business hours", "2 business days"). Business durations only advance
 * inside the working calendar; calendar durations advance on the wall clock.
 */
export type DurationUnit = 'minutes' | 'hours' | 'days' | 'weeks';

export interface Duration {
  readonly amount: number;
  readonly unit: DurationUnit;
  /** true: counts working time only (see business-hours.ts) */
  readonly business: boolean;
  /** the text it was parsed from, kept for explanations */
  readonly text: string;
}

const PATTERN =
  /^(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?|bh|bd|business\s+hours?|business\s+days?)$/i;

const MS: Record<DurationUnit, number> = {
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

export const DURATION_HINT = 'a duration such as "30m", "4h", "2d", "1w", "4bh" or "2 business days"';

/** Parses a duration string; returns undefined when it is not one (the schema reports the error). */
export function parseDuration(text: string): Duration | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const word = match[2]!.toLowerCase().replace(/\s+/g, ' ');
  if (word === 'bh' || word.startsWith('business hour'))
    return { amount, unit: 'hours', business: true, text };
  if (word === 'bd' || word.startsWith('business day')) return { amount, unit: 'days', business: true, text };
  const unit: DurationUnit = word.startsWith('m')
    ? 'minutes'
    : word.startsWith('h')
      ? 'hours'
      : word.startsWith('d')
        ? 'days'
        : 'weeks';
  return { amount, unit, business: false, text };
}

/** Wall-clock length of a calendar duration in milliseconds (business durations need a calendar). */
export function calendarMs(duration: Duration): number {
  return duration.amount * MS[duration.unit];
}
