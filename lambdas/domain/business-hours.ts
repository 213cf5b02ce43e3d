/**
 * Business-time arithmetic: the SLA clocks (first touch, cadence steps, escalation) only run
 * inside a working calendar. Pure and DST-safe without a date library: Intl.DateTimeFormat
 * converts between UTC instants and wall time in the calendar's zone.
 *
 * Model. Each working local day has one working window [opening, closing) of real instants:
 * opening = the day's local `workingHours.start`, closing = its local `workingHours.end`
 * ("24:00" = the next local midnight). Business time is elapsed real time inside windows, so a
 * window that spans a DST switch (only possible with night hours) is an hour shorter or longer.
 * A wall time that does not exist (spring-forward gap) moves forward by the gap; a wall time
 * that occurs twice (fall-back) means its first occurrence (Temporal's "compatible" rule).
 */
import type { Duration } from './duration.ts';
import { calendarMs } from './duration.ts';
import type { Rep, Sla, Weekday } from './sla-schema.ts';

export interface WorkingCalendar {
  /** IANA zone the hours, days and holidays are read in */
  timeZone: string;
  workingDays: readonly Weekday[];
  /** "HH:MM"; end may be "24:00" */
  workingHours: { start: string; end: string };
  /** "YYYY-MM-DD" local dates in `timeZone` with no working time */
  holidays: readonly string[];
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** getUTCDay() order, so a day number maps to its weekday without a lookup table per zone */
const WEEKDAY_BY_UTC_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * The rep's own zone, days, hours and holidays where given, else the company calendar's (a team abroad keeps
 * its country's public holidays, not the company's).
 */
export function repCalendar(sla: Sla, rep: Rep): WorkingCalendar {
  return {
    timeZone: rep.timeZone ?? sla.calendar.timeZone,
    workingDays: rep.workingDays ?? sla.calendar.workingDays,
    workingHours: rep.workingHours ?? sla.calendar.workingHours,
    holidays: rep.holidays ?? sla.calendar.holidays,
  };
}

/** Whether `at` is inside a working window: opening inclusive, closing exclusive. */
export function isWorkingTime(cal: WorkingCalendar, at: Date): boolean {
  return nextWorkingTime(cal, at).getTime() === at.getTime();
}

/** `at` itself when it is working time, else the next opening. */
export function nextWorkingTime(cal: WorkingCalendar, at: Date): Date {
  const t = instant(at);
  for (const w of windowsFrom(cal, t)) {
    if (t < w.end) return new Date(Math.max(t, w.start));
  }
  throw unreachable();
}

/**
 * The instant at which `hours` of work (fractional allowed, counted to the millisecond) that
 * start at `start` are finished. Work starts at nextWorkingTime(start), so 0 hours gives that.
 *
 * "Inside working time" here means inside a *closed* window [opening, closing]: with hours > 0
 * the result lies in (opening, closing] of some working day, and it is exactly the closing time
 * when the hours use up a day (work done at 17:00 is done at 17:00, not at the next opening).
 * Equivalently: isWorkingTime(result) or isWorkingTime(result - 1 ms).
 */
export function addBusinessHours(cal: WorkingCalendar, start: Date, hours: number): Date {
  if (!Number.isFinite(hours) || hours < 0) {
    throw new RangeError(`business hours to add must be a finite number >= 0, got ${hours}`);
  }
  const t = instant(start);
  let remaining = Math.round(hours * HOUR);
  // Steps window by window (one per working day), never minute by minute.
  for (const w of windowsFrom(cal, t)) {
    if (w.end <= t) continue;
    const from = Math.max(t, w.start);
    if (remaining <= w.end - from) return new Date(from + remaining);
    remaining -= w.end - from;
  }
  throw unreachable();
}

/** Business hours between two instants (working time inside [from, to]); negative when to < from. */
export function businessHoursBetween(cal: WorkingCalendar, from: Date, to: Date): number {
  const a = instant(from);
  const b = instant(to);
  if (b < a) return -businessHoursBetween(cal, to, from);
  let ms = 0;
  for (const w of windowsFrom(cal, a)) {
    if (w.start >= b) break;
    ms += Math.max(0, Math.min(w.end, b) - Math.max(w.start, a));
  }
  return ms / HOUR;
}

/**
 * `start` plus an SLA duration:
 * - minutes, hours: wall-clock milliseconds.
 * - days, weeks: the same local time N (7N) calendar days later in the zone, so "1d" across a
 *   DST switch is 23 or 25 real hours; a fractional part is added as 24-hour wall-clock time.
 * - business minutes/hours: addBusinessHours.
 * - business days: the same local time N working days later, counted from nextWorkingTime(start)
 *   (Friday 15:00 + 1bd = Monday 15:00; Saturday noon + 1bd = Tuesday at opening). The result is
 *   always working time. A fractional part adds that share of a working day's length in
 *   business hours. Business weeks are N x (working days per week) business days.
 */
export function addDuration(cal: WorkingCalendar, start: Date, d: Duration): Date {
  if (!Number.isFinite(d.amount) || d.amount < 0) {
    throw new RangeError(`duration "${d.text}" must be a finite amount >= 0`);
  }
  if (d.business) {
    if (d.unit === 'minutes') return addBusinessHours(cal, start, d.amount / 60);
    if (d.unit === 'hours') return addBusinessHours(cal, start, d.amount);
    const days = d.unit === 'weeks' ? d.amount * new Set(cal.workingDays).size : d.amount;
    return addBusinessDays(cal, start, days);
  }
  if (d.unit === 'minutes' || d.unit === 'hours') return new Date(start.getTime() + calendarMs(d));
  const days = d.unit === 'weeks' ? d.amount * 7 : d.amount;
  const whole = Math.floor(days);
  const zone = cal.timeZone;
  const wall = wallClock(zone, start.getTime());
  const shifted = localToInstant(zone, wall + whole * DAY);
  return new Date(shifted + Math.round((days - whole) * DAY));
}

function addBusinessDays(cal: WorkingCalendar, start: Date, days: number): Date {
  const whole = Math.floor(days);
  const zone = cal.timeZone;
  const from = nextWorkingTime(cal, start).getTime();
  const timeOfDay = mod(wallClock(zone, from), DAY);
  let day = Math.floor(wallClock(zone, from) / DAY);
  let counted = 0;
  let idle = 0;
  const hours = workingMinutes(cal);
  while (counted < whole) {
    day += 1;
    if (isWorkingDay(cal, day)) {
      counted += 1;
      idle = 0;
    } else if (++idle > maxIdleDays(cal)) throw noWorkingTime(cal);
  }
  // Same local time on the target day; rolling covers a time that DST pushed out of the window.
  const landed = nextWorkingTime(cal, new Date(localToInstant(zone, day * DAY + timeOfDay)));
  const fraction = days - whole;
  if (fraction === 0) return landed;
  return addBusinessHours(cal, landed, (fraction * (hours.end - hours.start)) / 60);
}

// ---------- working windows ----------

interface Window {
  readonly start: number;
  readonly end: number;
}

/**
 * Working windows in time order, starting with the local day before `t`'s (a window of the
 * previous day can reach into `t`'s day only through DST oddities, but it costs one day).
 * Infinite: callers stop when they have what they need.
 */
function* windowsFrom(cal: WorkingCalendar, t: number): Generator<Window, never> {
  const hours = workingMinutes(cal);
  const zone = cal.timeZone;
  let day = Math.floor(wallClock(zone, t) / DAY) - 1;
  let lastEnd = Number.NEGATIVE_INFINITY;
  let idle = 0;
  for (;;) {
    let opened = false;
    if (isWorkingDay(cal, day)) {
      // Clamp to the previous window so a skipped local date (a zone changing sides of the
      // date line) can never yield the same instants twice.
      const start = Math.max(lastEnd, localToInstant(zone, day * DAY + hours.start * MINUTE));
      const end = localToInstant(zone, day * DAY + hours.end * MINUTE);
      if (end > start) {
        opened = true;
        lastEnd = end;
        yield { start, end };
      }
    }
    if (opened) idle = 0;
    else if (++idle > maxIdleDays(cal)) throw noWorkingTime(cal);
    day += 1;
  }
}

/** A day number counts local civil days since 1970-01-01 (which was a Thursday). */
function isWorkingDay(cal: WorkingCalendar, day: number): boolean {
  const weekday = WEEKDAY_BY_UTC_DAY[mod(day + 4, 7)]!;
  if (!cal.workingDays.includes(weekday)) return false;
  return !holidayDays(cal.holidays).has(day);
}

/** The holidays as day numbers (days since the epoch), once per list: a date string per check was a hot spot. */
const holidaySets = new WeakMap<readonly string[], ReadonlySet<number>>();
function holidayDays(holidays: readonly string[]): ReadonlySet<number> {
  let days = holidaySets.get(holidays);
  if (!days) {
    days = new Set(holidays.map((date) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY)));
    holidaySets.set(holidays, days);
  }
  return days;
}

/**
 * Each holiday can cancel at most one working day per week, and so can a clock change: a window inside the
 * hour a zone skips (America/Santiago goes from Saturday 24:00 to Sunday 01:00) or a date a zone skips. So a
 * longer idle run than that means no working time.
 */
function maxIdleDays(cal: WorkingCalendar): number {
  return 7 * (cal.holidays.length + 2);
}

function workingMinutes(cal: WorkingCalendar): { start: number; end: number } {
  if (cal.workingDays.length === 0) throw noWorkingTime(cal);
  const start = clockMinutes(cal.workingHours.start);
  const end = clockMinutes(cal.workingHours.end);
  if (end <= start) {
    throw new Error(
      `working hours must end after they start, got ${cal.workingHours.start}-${cal.workingHours.end}`,
    );
  }
  return { start, end };
}

function clockMinutes(text: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  if (!match || Number(match[2]) > 59 || !(minutes <= 24 * 60)) {
    throw new Error(`"${text}" is not a 24-hour time "HH:MM" (00:00 to 24:00)`);
  }
  return minutes;
}

/** The instant's epoch ms; an Invalid Date would walk the working windows for ever (NaN ends no loop). */
function instant(at: Date): number {
  const t = at.getTime();
  if (Number.isNaN(t))
    throw new RangeError('a business-time calculation got a date that is not a valid instant');
  return t;
}

function noWorkingTime(cal: WorkingCalendar): Error {
  return new Error(
    `the working calendar (${cal.timeZone}, days: ${cal.workingDays.join(', ') || 'none'}) has no working time`,
  );
}

function unreachable(): Error {
  return new Error('working windows ended: unreachable');
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

// ---------- zone conversion ----------

/** The day (YYYY-MM-DD) the instant `at` falls on in `zone`. */
export function localDayOf(zone: string, at: Date): string {
  return new Date(wallClock(zone, at.getTime())).toISOString().slice(0, 10);
}

/**
 * The instant a wall-clock time (`YYYY-MM-DDTHH:MM`, an HTML `datetime-local` input's value) names in `zone`;
 * undefined for anything else. A time a clock change skips is read as after it; a repeated one as its first.
 */
export function instantOfLocalTime(zone: string, local: string): Date | undefined {
  const wall = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? Date.parse(`${local}:00.000Z`) : Number.NaN;
  if (Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 16) !== local) return undefined;
  return new Date(localToInstant(zone, wall));
}

/** Midnight starting the day `day` (YYYY-MM-DD) plus `days` days, in `zone` (a day may be 23 or 25 hours). */
export function startOfLocalDay(zone: string, day: string, days = 0): Date {
  return new Date(localToInstant(zone, Date.parse(`${day}T00:00:00.000Z`) + days * DAY));
}

// Formatters are costly to build and immutable: memoise one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Offsets by zone and 15-minute slot of UTC time. Zones change offset at most a few times a year, at
 * instants on a 15-minute grid in every modern zone; a slot is cached only when its first and last
 * second agree, so a slot a transition splits (were there one off the grid) is computed every time.
 * Reading the offset through Intl is this module's hot spot (the simulator asks it ~100,000 times a run).
 */
const SLOT_MS = 15 * MINUTE;
const MAX_CACHED_OFFSETS = 200_000;
const offsets = new Map<string, Map<number, number>>();

/** Zone offset at instant `t` in ms (local = UTC + offset). */
function offsetAt(zone: string, t: number): number {
  const slot = Math.floor(t / SLOT_MS);
  let byZone = offsets.get(zone);
  const cached = byZone?.get(slot);
  if (cached !== undefined) return cached;
  const first = intlOffsetAt(zone, slot * SLOT_MS);
  if (intlOffsetAt(zone, (slot + 1) * SLOT_MS - 1000) !== first) return intlOffsetAt(zone, t);
  if (!byZone || byZone.size >= MAX_CACHED_OFFSETS) {
    byZone = new Map();
    offsets.set(zone, byZone);
  }
  byZone.set(slot, first);
  return first;
}

/** Zone offset at instant `t` in ms, from Intl (whole seconds, as the formatter gives them). */
function intlOffsetAt(zone: string, t: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(t)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    fields['year']!,
    fields['month']! - 1,
    fields['day']!,
    fields['hour']!,
    fields['minute']!,
    fields['second']!,
  );
  return local - Math.floor(t / 1000) * 1000;
}

/** Wall-clock time at `t` in the zone, expressed as ms since the epoch as if the wall time were UTC. */
function wallClock(zone: string, t: number): number {
  return t + offsetAt(zone, t);
}

/**
 * The instant whose wall time in the zone is `wall`. The offsets a day either side bracket the
 * one transition that can be near (real zones never switch twice within two days).
 */
function localToInstant(zone: string, wall: number): number {
  const before = offsetAt(zone, wall - DAY);
  const after = offsetAt(zone, wall + DAY);
  const withBefore = wall - before;
  if (before === after) return withBefore;
  const withAfter = wall - after;
  const beforeFits = offsetAt(zone, withBefore) === before;
  const afterFits = offsetAt(zone, withAfter) === after;
  if (beforeFits && afterFits) return Math.min(withBefore, withAfter); // repeated wall time: first occurrence
  if (beforeFits) return withBefore;
  if (afterFits) return withAfter;
  return withBefore; // wall time skipped by the switch: read with the old offset, i.e. moved forward by the gap
}
