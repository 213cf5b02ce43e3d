/**
 * A working calendar's week, as a report cuts it: it begins on the team's first working day, the one after its
 * weekend, at midnight in the calendar's zone. Monday for a Monday-to-Friday team, Sunday for a Sunday-to-Thursday
 * one (Riyadh), so "last week" holds one whole working week and no week's first day lands in the week before.
 */
import { localDayOf, startOfLocalDay, type WorkingCalendar } from './business-hours.ts';
import { WEEKDAYS, type Weekday } from './sla-constants.ts';

/**
 * The weekday a calendar's week begins on: the working day after its longest run of days off (its weekend).
 * Two weekends as long: the one ending nearer Monday (ISO weeks). No day off, or no working day: Monday.
 */
export function firstDayOfWeek(workingDays: readonly Weekday[]): Weekday {
  let first: Weekday = 'mon';
  let longestOff = 0;
  WEEKDAYS.forEach((day, index) => {
    if (!workingDays.includes(day)) return;
    let off = 0;
    while (off < WEEKDAYS.length - 1 && !workingDays.includes(WEEKDAYS[mod(index - off - 1, 7)]!)) off++;
    if (off > longestOff) {
      first = day;
      longestOff = off;
    }
  });
  return first;
}

/** The weekday a calendar's week ends on: the day before its first. */
export function lastDayOfWeek(workingDays: readonly Weekday[]): Weekday {
  return WEEKDAYS[mod(WEEKDAYS.indexOf(firstDayOfWeek(workingDays)) - 1, 7)]!;
}

/**
 * Midnight in the calendar's zone that begins the week holding `at`, `weeks` weeks on (-1: the week before).
 * A week is 7 local days: 167 or 169 hours when the clocks change in it.
 */
export function startOfWeek(
  calendar: Pick<WorkingCalendar, 'timeZone' | 'workingDays'>,
  at: Date,
  weeks = 0,
): Date {
  const today = localDayOf(calendar.timeZone, at);
  const weekday = mod(new Date(`${today}T12:00:00.000Z`).getUTCDay() - 1, 7); // Monday 0, as WEEKDAYS
  const intoWeek = mod(weekday - WEEKDAYS.indexOf(firstDayOfWeek(calendar.workingDays)), 7);
  return startOfLocalDay(calendar.timeZone, today, 7 * weeks - intoWeek);
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
