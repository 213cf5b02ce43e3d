/**
 * Business-time arithmetic against an independent oracle: a walk in 5-minute steps that reads each instant's
 * wall time, weekday and date in the calendar's zone with Intl and counts the working ones. Zones with DST
 * (Europe/Berlin 2027-03-28 and 2026-10-25, America/New_York, Australia/Lord_Howe's half hour), without it
 * (Asia/Riyadh, Asia/Kolkata +05:30, Asia/Tehran +03:30, Pacific/Chatham +12:45), any working week (Sunday to
 * Thursday too), holidays on the days after a clock change, leap day 2028-02-29 and the year's end. Hours open
 * at 04:00 or later: a window that starts or ends inside a clock change's skipped or repeated hour follows
 * Temporal's "compatible" rule (business-hours.ts), which a wall-time walk does not.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  addBusinessHours,
  businessHoursBetween,
  type WorkingCalendar,
} from '../../lambdas/domain/business-hours.ts';
import { isWorkingInstant } from '../support/wall-clock-oracle.ts';

const STEP = 5 * 60_000;
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Riyadh',
  'Asia/Kolkata',
  'America/Chicago',
  'Australia/Lord_Howe',
  'America/Sao_Paulo',
  'Asia/Tehran',
  'Pacific/Chatham',
];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const ANCHORS = [
  '2027-03-28T00:00:00Z',
  '2026-10-25T00:00:00Z',
  '2027-03-14T00:00:00Z',
  '2026-11-01T00:00:00Z',
  '2028-02-28T00:00:00Z',
  '2026-12-31T00:00:00Z',
  '2027-04-04T00:00:00Z',
];
const hh = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const arb = fc.record({
  zone: fc.constantFrom(...ZONES),
  days: fc.subarray([...DAYS], { minLength: 1 }),
  start: fc.integer({ min: 8, max: 40 }),
  len: fc.integer({ min: 1, max: 20 }),
  anchor: fc.constantFrom(...ANCHORS),
  offset: fc.integer({ min: -3 * 288, max: 3 * 288 }),
  hours: fc.integer({ min: 0, max: 12 * 24 }),
  holidays: fc.subarray(
    [
      '2027-03-29',
      '2026-10-26',
      '2027-03-15',
      '2026-11-02',
      '2028-02-29',
      '2027-01-01',
      '2026-12-31',
      '2027-04-05',
    ],
    { maxLength: 3 },
  ),
});
it('addBusinessHours and businessHoursBetween agree with a walk over wall time', () => {
  fc.assert(
    fc.property(arb, ({ zone, days, start, len, anchor, offset, hours, holidays }) => {
      const endM = Math.min(48, start + len) * 30;
      const cal: WorkingCalendar = {
        timeZone: zone,
        workingDays: days,
        workingHours: { start: hh(start * 30), end: hh(endM) },
        holidays,
      };
      const t0 = Date.parse(anchor) + offset * STEP;
      const want = hours * STEP;
      let t = t0;
      let got = 0;
      if (want === 0) {
        while (!isWorkingInstant(cal, t)) t += STEP;
      }
      while (got < want) {
        if (isWorkingInstant(cal, t)) got += STEP;
        t += STEP;
      }
      const result = addBusinessHours(cal, new Date(t0), want / 3_600_000).getTime();
      expect(
        new Date(result).toISOString(),
        JSON.stringify(cal) + ' from ' + new Date(t0).toISOString() + ' +' + want / 3_600_000,
      ).toBe(new Date(t).toISOString());
      expect(businessHoursBetween(cal, new Date(t0), new Date(t))).toBeCloseTo(want / 3_600_000, 6);
    }),
    { numRuns: 300 },
  );
}, 120_000);
