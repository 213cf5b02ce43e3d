import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessHours,
  addDuration,
  businessHoursBetween,
  instantOfLocalTime,
  isWorkingTime,
  nextWorkingTime,
  repCalendar,
  type WorkingCalendar,
} from '../../lambdas/domain/business-hours.ts';
import { type Duration, parseDuration } from '../../lambdas/domain/duration.ts';
import { WEEKDAYS } from '../../lambdas/domain/sla-schema.ts';
import { makeSla } from '../support/sla.ts';

// Offsets used by the hand computations below:
// Europe/Berlin CET = UTC+1, CEST = UTC+2; 2024 switches: Sun 31 Mar 02:00 -> 03:00, Sun 27 Oct 03:00 -> 02:00.
// America/Chicago CST = UTC-6, CDT = UTC-5; 2024 switches: Sun 10 Mar 02:00 -> 03:00, Sun 3 Nov 02:00 -> 01:00.
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const berlin: WorkingCalendar = {
  timeZone: 'Europe/Berlin',
  workingDays: weekdays,
  workingHours: { start: '09:00', end: '17:00' },
  holidays: [],
};
const berlinChristmas: WorkingCalendar = { ...berlin, holidays: ['2024-12-25', '2024-12-26'] };
const berlinEvenings: WorkingCalendar = { ...berlin, workingHours: { start: '18:00', end: '24:00' } };
const berlinAllDay: WorkingCalendar = {
  ...berlin,
  workingDays: [...WEEKDAYS],
  workingHours: { start: '00:00', end: '24:00' },
};
/** Sunday nights across the switch hour: windows are real elapsed time. */
const berlinNights: WorkingCalendar = {
  ...berlin,
  workingDays: ['sun'],
  workingHours: { start: '01:00', end: '04:00' },
};
const chicago: WorkingCalendar = {
  timeZone: 'America/Chicago',
  workingDays: weekdays,
  workingHours: { start: '08:00', end: '17:00' },
  holidays: [],
};
const chicagoWeekends: WorkingCalendar = {
  ...chicago,
  workingDays: ['sat', 'sun'],
  workingHours: { start: '10:00', end: '14:00' },
};

const at = (iso: string) => new Date(iso);
const duration = (text: string): Duration => {
  const parsed = parseDuration(text);
  if (!parsed) throw new Error(`bad duration in test: ${text}`);
  return parsed;
};

describe('repCalendar', () => {
  it("takes the rep's zone, days and hours and the company's holidays", () => {
    // Arrange
    const sla = makeSla({
      calendar: { timeZone: 'Europe/Berlin', holidays: ['2024-12-25'] },
      routing: {
        reps: [
          { id: 'ann', name: 'Ann', email: 'ann@example.com' },
          {
            id: 'bob',
            name: 'Bob',
            email: 'bob@example.com',
            timeZone: 'America/Chicago',
            workingDays: ['mon', 'tue', 'wed', 'thu'],
            workingHours: { start: '08:00', end: '16:00' },
          },
        ],
      },
    });
    const [ann, bob] = sla.routing.reps;

    // Act
    const annCal = repCalendar(sla, ann!);
    const bobCal = repCalendar(sla, bob!);

    // Assert
    expect(annCal).toEqual({
      timeZone: 'Europe/Berlin',
      workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
      workingHours: { start: '09:00', end: '17:00' },
      holidays: ['2024-12-25'],
    });
    expect(bobCal).toEqual({
      timeZone: 'America/Chicago',
      workingDays: ['mon', 'tue', 'wed', 'thu'],
      workingHours: { start: '08:00', end: '16:00' },
      holidays: ['2024-12-25'],
    });
  });
});

describe("a rep's own holidays", () => {
  it("replace the company's: Thanksgiving stops Carla's clock, Easter Monday does not", () => {
    // Arrange: a Berlin company (Easter Monday off) with a team in Chicago that keeps the US holidays
    const sla = makeSla({
      calendar: { timeZone: 'Europe/Berlin', holidays: ['2027-04-05'] },
      routing: {
        reps: [
          { id: 'ann', name: 'Ann', email: 'ann@example.com' },
          {
            id: 'carla',
            name: 'Carla',
            email: 'carla@example.com',
            timeZone: 'America/Chicago',
            workingHours: { start: '08:00', end: '17:00' },
            holidays: ['2026-11-26', '2027-07-05'],
          },
        ],
      },
    });
    const [ann, carla] = sla.routing.reps;

    // Act
    const carlaCal = repCalendar(sla, carla!);
    // Wed 25 Nov 2026 15:00 Chicago + 4 business hours: 2 on Wednesday, then Thanksgiving, then Friday 10:00
    const thanksgiving = addBusinessHours(carlaCal, at('2026-11-25T21:00:00Z'), 4);
    // Easter Monday 5 Apr 2027 09:00 Chicago is a working day for her
    const easterMonday = isWorkingTime(carlaCal, at('2027-04-05T14:00:00Z'));

    // Assert
    expect(carlaCal.holidays).toEqual(['2026-11-26', '2027-07-05']);
    expect(thanksgiving.toISOString()).toBe('2026-11-27T16:00:00.000Z');
    expect(easterMonday).toBe(true);
    expect(repCalendar(sla, ann!).holidays).toEqual(['2027-04-05']);
  });
});

describe('isWorkingTime', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['Berlin opening (inclusive), Tue 09:00 CET', berlin, '2024-01-16T08:00:00.000Z', true],
    ['Berlin 1 ms before opening', berlin, '2024-01-16T07:59:59.999Z', false],
    ['Berlin last ms, 16:59:59.999 CET', berlin, '2024-01-16T15:59:59.999Z', true],
    ['Berlin closing (exclusive), 17:00 CET', berlin, '2024-01-16T16:00:00.000Z', false],
    ['Berlin Saturday noon', berlin, '2024-01-20T11:00:00.000Z', false],
    ['Berlin holiday, Wed 25 Dec 11:00 CET', berlinChristmas, '2024-12-25T10:00:00.000Z', false],
    ['Berlin summer time opening, Mon 09:00 CEST', berlin, '2024-04-01T07:00:00.000Z', true],
    ['Berlin summer time 17:30 CEST (16:30 if the offset were wrong)', berlin, '2024-04-01T15:30:00.000Z', false],
    ['Chicago standard time 08:00 CST', chicago, '2024-11-04T14:00:00.000Z', true],
    ['Chicago 07:30 CST (08:30 if the offset were wrong)', chicago, '2024-11-04T13:30:00.000Z', false],
    ['24:00 end: 23:59:59.999 CET', berlinEvenings, '2024-01-16T22:59:59.999Z', true],
    ['24:00 end: midnight belongs to no window', berlinEvenings, '2024-01-16T23:00:00.000Z', false],
    ['weekend rep, Sunday 10:00 CDT on the DST day', chicagoWeekends, '2024-03-10T15:00:00.000Z', true],
    ['weekend rep, Sunday 09:30 CDT', chicagoWeekends, '2024-03-10T14:30:00.000Z', false],
    ['weekend rep, Monday', chicagoWeekends, '2024-03-11T16:00:00.000Z', false],
  ])('%s', (_name, cal, instant, expected) => {
    // Act
    const working = isWorkingTime(cal, at(instant));

    // Assert
    expect(working).toBe(expected);
  });
});

describe('nextWorkingTime', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['inside working time: itself', berlin, '2024-01-16T10:00:00.000Z', '2024-01-16T10:00:00.000Z'],
    ['before opening: 09:00 CET', berlin, '2024-01-16T06:00:00.000Z', '2024-01-16T08:00:00.000Z'],
    ['Fri closing -> Mon 09:00 CEST', berlin, '2024-03-29T16:00:00.000Z', '2024-04-01T07:00:00.000Z'],
    ['Sat of the October switch -> Mon 09:00 CET', berlin, '2024-10-26T12:00:00.000Z', '2024-10-28T08:00:00.000Z'],
    ['Chicago Sat (March) -> Mon 08:00 CDT', chicago, '2024-03-09T18:00:00.000Z', '2024-03-11T13:00:00.000Z'],
    ['Chicago Sat (Nov) -> Mon 08:00 CST', chicago, '2024-11-02T18:00:00.000Z', '2024-11-04T14:00:00.000Z'],
    ['Christmas Eve 17:00 -> Fri 27th', berlinChristmas, '2024-12-24T16:00:00.000Z', '2024-12-27T08:00:00.000Z'],
    ['weekend rep on Monday -> Sat 10:00 CST', chicagoWeekends, '2024-03-04T18:00:00.000Z', '2024-03-09T16:00:00.000Z'],
  ])('%s', (_name, cal, instant, expected) => {
    // Act
    const next = nextWorkingTime(cal, at(instant));

    // Assert
    expect(next.toISOString()).toBe(expected);
  });
});

describe('addBusinessHours', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['same day: Tue 10:00 CET + 3', berlin, '2024-01-16T09:00:00.000Z', 3, '2024-01-16T12:00:00.000Z'],
    ['exactly to closing: ends at 17:00, not next opening', berlin, '2024-01-16T09:00:00.000Z', 7, '2024-01-16T16:00:00.000Z'],
    ['fractional overnight: 16:30 + 1.25 -> Wed 09:45', berlin, '2024-01-16T15:30:00.000Z', 1.25, '2024-01-17T08:45:00.000Z'],
    ['0 hours from Saturday -> Monday opening', berlin, '2024-01-20T11:00:00.000Z', 0, '2024-01-22T08:00:00.000Z'],
    ['0 hours inside working time -> itself', berlin, '2024-01-16T10:17:00.000Z', 0, '2024-01-16T10:17:00.000Z'],
    ['from Fri closing + 1 -> Mon 10:00', berlin, '2024-01-19T16:00:00.000Z', 1, '2024-01-22T09:00:00.000Z'],
    ['Fri 15:00 CET + 4 -> Mon 11:00 CEST (March DST)', berlin, '2024-03-29T14:00:00.000Z', 4, '2024-04-01T09:00:00.000Z'],
    ['Fri 16:00 CEST + 2 -> Mon 10:00 CET (October DST)', berlin, '2024-10-25T14:00:00.000Z', 2, '2024-10-28T09:00:00.000Z'],
    ['Christmas: Tue 16:00 + 2 -> Fri 10:00', berlinChristmas, '2024-12-24T15:00:00.000Z', 2, '2024-12-27T09:00:00.000Z'],
    ['100 hours = 12 days + 4h -> Wed 31 Jan 13:00', berlin, '2024-01-15T08:00:00.000Z', 100, '2024-01-31T12:00:00.000Z'],
    ['Chicago Fri 15:00 CST + 4 -> Mon 10:00 CDT', chicago, '2024-03-08T21:00:00.000Z', 4, '2024-03-11T15:00:00.000Z'],
    ['Chicago Fri 16:00 CDT + 3 -> Mon 10:00 CST', chicago, '2024-11-01T21:00:00.000Z', 3, '2024-11-04T16:00:00.000Z'],
    ['Chicago Mon 16:45 CDT + 0.5 -> Tue 08:15', chicago, '2024-03-11T21:45:00.000Z', 0.5, '2024-03-12T13:15:00.000Z'],
    ['weekend rep: Fri + 6 -> Sat 4h, Sun 12:00 CDT', chicagoWeekends, '2024-03-08T18:00:00.000Z', 6, '2024-03-10T17:00:00.000Z'],
    ['24:00 end: Mon 23:00 + 2 -> Tue 19:00', berlinEvenings, '2024-01-15T22:00:00.000Z', 2, '2024-01-16T18:00:00.000Z'],
    ['24:00 end: Mon 23:00 + 1 -> midnight, the closing', berlinEvenings, '2024-01-15T22:00:00.000Z', 1, '2024-01-15T23:00:00.000Z'],
    ['round the clock: 24 business hours over the 23-hour day', berlinAllDay, '2024-03-30T11:00:00.000Z', 24, '2024-03-31T11:00:00.000Z'],
  ])('%s', (_name, cal, start, hours, expected) => {
    // Act
    const done = addBusinessHours(cal, at(start), hours);

    // Assert
    expect(done.toISOString()).toBe(expected);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d hours', (hours) => {
    expect(() => addBusinessHours(berlin, at('2024-01-16T09:00:00Z'), hours)).toThrow(RangeError);
  });

  it('throws a clear error for a calendar without working days instead of looping', () => {
    // Arrange
    const idle: WorkingCalendar = { ...berlin, workingDays: [] };

    // Act / Assert
    expect(() => addBusinessHours(idle, at('2024-01-16T09:00:00Z'), 1)).toThrow(/has no working time/);
    expect(() => nextWorkingTime(idle, at('2024-01-16T09:00:00Z'))).toThrow(/has no working time/);
  });

  it('finds work when a clock change skips the only working window of a week (the loop guard allows for it)', () => {
    // Arrange: only Sundays 00:00-01:00 in Santiago, whose clocks went from Sat 2023-09-02 24:00 to Sun 01:00
    // (found by the monotonic-in-start property: seed 1823084235)
    const sundayMidnight: WorkingCalendar = {
      timeZone: 'America/Santiago',
      workingDays: ['sun'],
      workingHours: { start: '00:00', end: '01:00' },
      holidays: [],
    };

    // Act
    const done = addBusinessHours(sundayMidnight, at('2023-08-27T12:00:00Z'), 1);

    // Assert: Sunday 09-03 has no such hour; the next one is Sunday 09-10, 00:00-01:00 at UTC-3
    expect(done.toISOString()).toBe('2023-09-10T04:00:00.000Z');
    expect(nextWorkingTime(sundayMidnight, at('2023-08-27T12:00:00Z')).toISOString()).toBe(
      '2023-09-10T03:00:00.000Z',
    );
  });

  it('finds work after a long run of holidays (the loop guard allows for every holiday)', () => {
    // Arrange: only Mondays work, and five Mondays in a row are holidays
    const mondays: WorkingCalendar = {
      ...berlin,
      workingDays: ['mon'],
      holidays: ['2024-01-15', '2024-01-22', '2024-01-29', '2024-02-05', '2024-02-12'],
    };

    // Act
    const next = nextWorkingTime(mondays, at('2024-01-14T12:00:00Z'));

    // Assert: it finds Mon 19 Feb 09:00 CET, so the guard does not fire on a legitimate long gap
    expect(next.toISOString()).toBe('2024-02-19T08:00:00.000Z');
  });
});

describe('businessHoursBetween', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['Fri 15:00 CET -> Mon 11:00 CEST', berlin, '2024-03-29T14:00:00Z', '2024-04-01T09:00:00Z', 4],
    ['reversed is negative', berlin, '2024-04-01T09:00:00Z', '2024-03-29T14:00:00Z', -4],
    ['same day, 10:00 -> 11:30', berlin, '2024-01-16T09:00:00Z', '2024-01-16T10:30:00Z', 1.5],
    ['equal instants', berlin, '2024-01-16T09:00:00Z', '2024-01-16T09:00:00Z', 0],
    ['a weekend', berlin, '2024-01-20T00:00:00Z', '2024-01-21T22:00:00Z', 0],
    ['a full week, Mon 00:00 CET to Mon 00:00 CET', berlin, '2024-01-14T23:00:00Z', '2024-01-21T23:00:00Z', 40],
    ['Christmas week: 2 holidays', berlinChristmas, '2024-12-22T23:00:00Z', '2024-12-29T23:00:00Z', 24],
    ['round the clock: the March Sunday has 23 hours', berlinAllDay, '2024-03-30T23:00:00Z', '2024-03-31T22:00:00Z', 23],
    ['round the clock: the October Sunday has 25 hours', berlinAllDay, '2024-10-26T22:00:00Z', '2024-10-27T23:00:00Z', 25],
    ['Chicago Fri 16:00 CDT -> Mon 10:00 CST', chicago, '2024-11-01T21:00:00Z', '2024-11-04T16:00:00Z', 3],
    ['night shift 01:00-04:00 on the March Sunday: 2 real hours', berlinNights, '2024-03-30T12:00:00Z', '2024-03-31T12:00:00Z', 2],
    ['night shift 01:00-04:00 on the October Sunday: 4 real hours', berlinNights, '2024-10-26T12:00:00Z', '2024-10-27T12:00:00Z', 4],
    ['weekend rep over the March DST weekend', chicagoWeekends, '2024-03-08T00:00:00Z', '2024-03-11T00:00:00Z', 8],
  ])('%s', (_name, cal, from, to, expected) => {
    // Act
    const hours = businessHoursBetween(cal, at(from), at(to));

    // Assert
    expect(hours).toBeCloseTo(expected, 9);
  });
});

describe('an instant that is no time (Invalid Date)', () => {
  it.each([
    [
      'businessHoursBetween, its end',
      () => businessHoursBetween(berlin, at('2024-01-16T09:00:00Z'), new Date(Number.NaN)),
    ],
    [
      'businessHoursBetween, its start',
      () => businessHoursBetween(berlin, new Date(Number.NaN), at('2024-01-16T09:00:00Z')),
    ],
    ['addBusinessHours', () => addBusinessHours(berlin, new Date(Number.NaN), 1)],
    ['nextWorkingTime', () => nextWorkingTime(berlin, new Date(Number.NaN))],
  ])('%s: a RangeError naming it, not an endless walk over working days', (_name, call) => {
    // Act + Assert
    expect(call).toThrow(RangeError);
    expect(call).toThrow(/not a valid instant/);
  });
});

describe('addDuration', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['30m: wall clock, weekend or not', berlin, '2024-01-20T11:00:00.000Z', '30m', '2024-01-20T11:30:00.000Z'],
    ['4h: real hours across the March switch', berlin, '2024-03-30T22:00:00.000Z', '4h', '2024-03-31T02:00:00.000Z'],
    ['1d: Sat 12:00 CET -> Sun 12:00 CEST (23h)', berlin, '2024-03-30T11:00:00.000Z', '1d', '2024-03-31T10:00:00.000Z'],
    ['1d: Sat 12:00 CEST -> Sun 12:00 CET (25h)', berlin, '2024-10-26T10:00:00.000Z', '1d', '2024-10-27T11:00:00.000Z'],
    ['1d: Chicago Sat 12:00 CDT -> Sun 12:00 CST', chicago, '2024-11-02T17:00:00.000Z', '1d', '2024-11-03T18:00:00.000Z'],
    ['2d: Chicago Sat 12:00 CST -> Mon 12:00 CDT', chicago, '2024-03-09T18:00:00.000Z', '2d', '2024-03-11T17:00:00.000Z'],
    ['1w: Mon 10:00 CET -> Mon 10:00 CEST', berlin, '2024-03-25T09:00:00.000Z', '1w', '2024-04-01T08:00:00.000Z'],
    ['1d to a repeated wall time: its first (CEST) occurrence', berlin, '2024-10-26T00:30:00.000Z', '1d', '2024-10-27T00:30:00.000Z'],
    ['1d to a skipped wall time: 02:30 moves to 03:30 CEST', berlin, '2024-03-30T01:30:00.000Z', '1d', '2024-03-31T01:30:00.000Z'],
    ['1.5d: one local day, then 12 real hours', berlin, '2024-03-30T11:00:00.000Z', '1.5d', '2024-03-31T22:00:00.000Z'],
    ['4bh: business hours', berlin, '2024-03-29T14:00:00.000Z', '4bh', '2024-04-01T09:00:00.000Z'],
    ['1bd: Fri 15:00 CET -> Mon 15:00 CEST', berlin, '2024-03-29T14:00:00.000Z', '1bd', '2024-04-01T13:00:00.000Z'],
    ['2bd over Christmas: Tue 10:00 -> Mon 30th 10:00', berlinChristmas, '2024-12-24T09:00:00.000Z', '2bd', '2024-12-30T09:00:00.000Z'],
    ['1bd from Saturday: rolls to Mon 09:00, then Tue 09:00', berlin, '2024-01-20T11:00:00.000Z', '1bd', '2024-01-23T08:00:00.000Z'],
    ['0bd from Saturday: the next opening', berlin, '2024-01-20T11:00:00.000Z', '0bd', '2024-01-22T08:00:00.000Z'],
    ['1.5bd: one working day, then half of 8h', berlin, '2024-01-16T09:00:00.000Z', '1.5bd', '2024-01-17T13:00:00.000Z'],
    ['1bd, weekend rep: Sat 13:00 CST -> Sun 13:00 CDT', chicagoWeekends, '2024-03-09T19:00:00.000Z', '1bd', '2024-03-10T18:00:00.000Z'],
    ['2 business days: Fri 16:00 CDT -> Tue 16:00 CST', chicago, '2024-11-01T21:00:00.000Z', '2 business days', '2024-11-05T22:00:00.000Z'],
  ])('%s', (_name, cal, start, text, expected) => {
    // Act
    const end = addDuration(cal, at(start), duration(text));

    // Assert
    expect(end.toISOString()).toBe(expected);
  });
});

// ---------- properties, over random calendars in zones with unusual offsets and DST rules ----------

const ZONES = [
  'Europe/Berlin',
  'America/Chicago',
  'UTC',
  'Asia/Kolkata',
  'Australia/Lord_Howe', // 30-minute DST shift
  'America/Santiago', // switches at local midnight
  'America/St_Johns',
  'Pacific/Chatham',
];
const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const MIN_DATE = new Date('2023-01-01T00:00:00Z');
const MAX_DATE = new Date('2026-01-01T00:00:00Z');
const instantArb = fc.date({ min: MIN_DATE, max: MAX_DATE, noInvalidDate: true });
const calendarArb: fc.Arbitrary<WorkingCalendar> = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  workingDays: fc.subarray([...WEEKDAYS], { minLength: 1 }),
  workingHours: fc
    .tuple(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 0, max: 96 }))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => ({ start: hhmm(Math.min(a, b) * 15), end: hhmm(Math.max(a, b) * 15) })),
  holidays: fc.array(
    instantArb.map((d) => d.toISOString().slice(0, 10)),
    { maxLength: 40 },
  ),
});
const hoursArb = fc.oneof(
  fc.integer({ min: 0, max: 120 }),
  fc.double({ min: 0, max: 120, noNaN: true, noDefaultInfinity: true }),
);
/** Inside a closed working window [opening, closing]: addBusinessHours' definition of "inside". */
const insideClosedWindow = (cal: WorkingCalendar, t: Date) =>
  isWorkingTime(cal, t) || isWorkingTime(cal, new Date(t.getTime() - 1));

describe('business-hours properties', () => {
  it('addBusinessHours lands inside a closed working window, after the start', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb, (cal, start, hours) => {
        const end = addBusinessHours(cal, start, hours);
        expect(end.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(insideClosedWindow(cal, end)).toBe(true);
        // with work to do, the last millisecond before the result was worked
        if (Math.round(hours * 3_600_000) > 0)
          expect(isWorkingTime(cal, new Date(end.getTime() - 1))).toBe(true);
      }),
    );
  });

  it('addBusinessHours is monotonic in hours', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb, hoursArb, (cal, start, h1, h2) => {
        const [low, high] = h1 <= h2 ? [h1, h2] : [h2, h1];
        expect(addBusinessHours(cal, start, low).getTime()).toBeLessThanOrEqual(
          addBusinessHours(cal, start, high).getTime(),
        );
      }),
    );
  });

  it('addBusinessHours is monotonic in the start', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, hoursArb, (cal, a, b, hours) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(addBusinessHours(cal, early, hours).getTime()).toBeLessThanOrEqual(
          addBusinessHours(cal, late, hours).getTime(),
        );
      }),
    );
  });

  it('businessHoursBetween(start, addBusinessHours(start, h)) is h, from any start', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb, (cal, start, hours) => {
        expect(businessHoursBetween(cal, start, addBusinessHours(cal, start, hours))).toBeCloseTo(hours, 6);
      }),
    );
  });

  it('businessHoursBetween is additive and antisymmetric', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, instantArb, (cal, a, b, c) => {
        const ab = businessHoursBetween(cal, a, b);
        expect(businessHoursBetween(cal, b, a)).toBeCloseTo(-ab, 9);
        expect(ab + businessHoursBetween(cal, b, c)).toBeCloseTo(businessHoursBetween(cal, a, c), 6);
      }),
    );
  });

  it('nextWorkingTime is idempotent, not before its input, working, and skips no working time', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (cal, t) => {
        const next = nextWorkingTime(cal, t);
        expect(next.getTime()).toBeGreaterThanOrEqual(t.getTime());
        expect(nextWorkingTime(cal, next).getTime()).toBe(next.getTime());
        expect(isWorkingTime(cal, next)).toBe(true);
        expect(businessHoursBetween(cal, t, next)).toBe(0);
      }),
    );
  });

  it('addDuration in business days lands on working time, and N+1 days land later than N', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 10 }), (cal, start, days) => {
        const end = addDuration(cal, start, duration(`${days}bd`));
        const later = addDuration(cal, start, duration(`${days + 1}bd`));
        expect(isWorkingTime(cal, end)).toBe(true);
        expect(end.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(later.getTime()).toBeGreaterThan(end.getTime());
      }),
    );
  });
});

describe('instantOfLocalTime (a datetime-local input on a person’s clock)', () => {
  it.each([
    ['Europe/Berlin', '2026-12-07T10:00', '2026-12-07T09:00:00.000Z'],
    ['America/Chicago', '2026-12-07T10:00', '2026-12-07T16:00:00.000Z'],
    ['Asia/Riyadh', '2026-12-07T10:00', '2026-12-07T07:00:00.000Z'],
    // summer time: +2 in Berlin
    ['Europe/Berlin', '2026-07-01T10:00', '2026-07-01T08:00:00.000Z'],
    // a time the clock change skips (02:00-03:00 on 29 March) reads as after it; a repeated one as its first
    ['Europe/Berlin', '2026-03-29T02:30', '2026-03-29T01:30:00.000Z'],
    ['Europe/Berlin', '2026-10-25T02:30', '2026-10-25T00:30:00.000Z'],
  ])('%s %s is %s', (zone, local, expected) => {
    expect(instantOfLocalTime(zone, local)?.toISOString()).toBe(expected);
  });

  it.each([
    '',
    '2026-12-07',
    '2026-12-07 10:00',
    '2026-13-01T10:00',
    '2026-02-30T10:00',
    '2026-12-07T24:30',
    '2026-12-07T10:00:00',
  ])('reads %j as no time', (local) => {
    expect(instantOfLocalTime('Europe/Berlin', local)).toBeUndefined();
  });
});
