/**
 * An oracle of business time for tests, independent of lambdas/domain/business-hours.ts: it reads an instant's
 * wall time, weekday and date in a zone with Intl and says whether it falls in working hours. Tests walk it in
 * small steps (a minute, five) and compare what the domain computes with the count.
 */
import type { WorkingCalendar } from '../../lambdas/domain/business-hours.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall date (YYYY-MM-DD), minutes since midnight and weekday (mon..sun) of instant `t` in `zone`. */
export function wallTime(zone: string, t: number): { date: string; minutes: number; weekday: string } {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formats.set(zone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(t)) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: parts.weekday!.toLowerCase().slice(0, 3),
  };
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));

/** Is instant `t` inside the calendar's working hours (a working day, no holiday)? */
export function isWorkingInstant(
  calendar: Pick<WorkingCalendar, 'timeZone' | 'workingDays' | 'workingHours' | 'holidays'>,
  t: number,
): boolean {
  const wall = wallTime(calendar.timeZone, t);
  return (
    (calendar.workingDays as readonly string[]).includes(wall.weekday) &&
    !calendar.holidays.includes(wall.date) &&
    wall.minutes >= minutesOf(calendar.workingHours.start) &&
    wall.minutes < minutesOf(calendar.workingHours.end)
  );
}
