/**
 * The console's report periods and "today" are days and weeks in the viewer's time zone: midnight to
 * midnight there, Monday to Monday for a Monday-to-Friday calendar (calendar-week.test.ts has the others), also
 * across a daylight-saving switch and in zones east of UTC+12.
 */
import { describe, expect, it } from 'vitest';
import { endOfDay, periodOf } from '../../lambdas/api/console/views.ts';

const BERLIN = 'Europe/Berlin';
const MON_FRI = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const BERLIN_CALENDAR = { timeZone: BERLIN, workingDays: MON_FRI };

describe('report periods in the viewer’s zone', () => {
  it('last week, Monday to Monday, when summer time began on its Sunday', () => {
    // Arrange: Wednesday 1 April 2026; Berlin switched to summer time on Sunday 29 March
    const now = new Date('2026-04-01T10:00:00.000Z');

    // Act
    const period = periodOf({ period: 'last-week' }, now, BERLIN_CALENDAR);

    // Assert: Monday 23 March 00:00 CET to Monday 30 March 00:00 CEST
    expect(period).toMatchObject({ from: '2026-03-22T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z' });
  });

  it('a custom day that begins in winter time and ends in summer time', () => {
    // Act
    const period = periodOf(
      { from: '2026-03-29', to: '2026-03-30' },
      new Date('2026-04-01T10:00:00.000Z'),
      BERLIN_CALENDAR,
    );

    // Assert: 23 hours, midnight to midnight in Berlin
    expect(period).toMatchObject({ from: '2026-03-28T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z' });
  });

  it('this week starts on Monday also where the day begins before UTC’s (Auckland, UTC+13)', () => {
    // Arrange: Monday 7 December 2026, 13:00 in Auckland (still Sunday in UTC)
    const now = new Date('2026-12-07T00:00:00.000Z');

    // Act
    const period = periodOf({ period: 'this-week' }, now, {
      timeZone: 'Pacific/Auckland',
      workingDays: MON_FRI,
    });

    // Assert: from Monday 7 December 00:00 NZDT
    expect(period.from).toBe('2026-12-06T11:00:00.000Z');
  });

  it('today ends at the next midnight, also on the night summer time begins', () => {
    // Arrange: Sunday 29 March 2026, 00:30 CET, before the switch at 02:00
    const now = new Date('2026-03-28T23:30:00.000Z');

    // Act
    const end = endOfDay(now, BERLIN);

    // Assert: Monday 30 March 00:00 CEST
    expect(new Date(end).toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });
});
