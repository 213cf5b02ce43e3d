/**
 * How a measured duration is given to a person: whole minutes under an hour ("15 min", not the 0.3 h it rounds
 * to), hours to a tenth from an hour on ("1.5 h"). The figure and its unit, not the words: each page, email and
 * report says "min", "business minutes" or "دقيقة" in its own language.
 */
import type { DurationUnit } from './duration.ts';

export interface DurationFigure {
  readonly value: number;
  readonly unit: Extract<DurationUnit, 'minutes' | 'hours'>;
}

/** The same duration as known: in minutes, in hours, or both (null or missing: not known that way). */
export interface MeasuredDuration {
  /** unrounded or whole minutes; decides the unit, so 59.6 minutes read as 1 h, never as "60 min" */
  readonly minutes?: number | null | undefined;
  /**
   * hours, the figure from an hour on when given (the report's hours, rounded to a tenth from the unrounded time,
   * read the same); with no minutes, the hours as they are: never minutes worked back from hours already rounded
   */
  readonly hours?: number | null | undefined;
}

/** The figure to give of a duration; undefined when neither minutes nor hours are known. */
export function durationFigure(measured: MeasuredDuration & { readonly minutes: number }): DurationFigure;
export function durationFigure(measured: MeasuredDuration): DurationFigure | undefined;
export function durationFigure(measured: MeasuredDuration): DurationFigure | undefined {
  const { minutes, hours } = measured;
  const wholeMinutes = minutes === null || minutes === undefined ? undefined : Math.round(minutes);
  if (wholeMinutes !== undefined && wholeMinutes < 60) return { value: wholeMinutes, unit: 'minutes' };
  if (hours !== null && hours !== undefined) return { value: Math.round(hours * 10) / 10, unit: 'hours' };
  if (minutes === null || minutes === undefined) return undefined;
  return { value: Math.round(minutes / 6) / 10, unit: 'hours' };
}
