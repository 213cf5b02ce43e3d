/**
 * A working calendar's week begins on its first working day, the one after its weekend, at midnight in its zone:
 * Monday for Monday to Friday, Sunday for Sunday to Thursday, whatever day of the week it is now.
 */
import { describe, expect, it } from 'vitest';
import { firstDayOfWeek, lastDayOfWeek, startOfWeek } from '../../lambdas/domain/calendar-week.ts';
import { WEEKDAYS, type Weekday } from '../../lambdas/domain/sla-constants.ts';

const MON_FRI: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const SUN_THU: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu'];
const SAT_WED: Weekday[] = ['sat', 'sun', 'mon', 'tue', 'wed'];

describe('the week of a working calendar', () => {
  it.each<[string, readonly Weekday[], Weekday, Weekday]>([
    ['Monday to Friday', MON_FRI, 'mon', 'sun'],
    ['Sunday to Thursday', SUN_THU, 'sun', 'sat'],
    ['Saturday to Wednesday', SAT_WED, 'sat', 'fri'],
    ['Monday to Thursday (a long weekend)', ['mon', 'tue', 'wed', 'thu'], 'mon', 'sun'],
    ['Monday to Saturday', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], 'mon', 'sun'],
    ['Tuesday to Saturday, listed out of order', ['sat', 'tue', 'fri', 'wed', 'thu'], 'tue', 'mon'],
    ['one day a week: Wednesday', ['wed'], 'wed', 'tue'],
    ['every day', [...WEEKDAYS], 'mon', 'sun'],
    [
      'two weekends as long (Wednesday, Sunday off): the one before Monday',
      ['mon', 'tue', 'thu', 'fri', 'sat'],
      'mon',
      'sun',
    ],
    ['no working day', [], 'mon', 'sun'],
  ])('%s', (_name, workingDays, first, last) => {
    // Act
    const days = [firstDayOfWeek(workingDays), lastDayOfWeek(workingDays)];

    // Assert
    expect(days).toEqual([first, last]);
  });

  it.each<[string, string, readonly Weekday[], string, string, string]>([
    // Thursday 10 December 2026 in Berlin: the week began Monday 7 December, 00:00 CET
    [
      'Mon-Fri Berlin, on a Thursday',
      'Europe/Berlin',
      MON_FRI,
      '2026-12-10T10:00:00.000Z',
      '2026-12-06T23:00:00.000Z',
      '2026-11-29T23:00:00.000Z',
    ],
    // Sunday 13 December in Berlin: still the week of Monday 7 December
    [
      'Mon-Fri Berlin, on its Sunday',
      'Europe/Berlin',
      MON_FRI,
      '2026-12-13T10:00:00.000Z',
      '2026-12-06T23:00:00.000Z',
      '2026-11-29T23:00:00.000Z',
    ],
    // Monday 7 December 2026 in Riyadh (UTC+3): the week began Sunday 6 December, 00:00 AST
    [
      'Sun-Thu Riyadh, on a Monday',
      'Asia/Riyadh',
      SUN_THU,
      '2026-12-07T09:00:00.000Z',
      '2026-12-05T21:00:00.000Z',
      '2026-11-28T21:00:00.000Z',
    ],
    // Sunday 6 December, 00:30 in Riyadh (still Saturday in UTC): the first hour of a new week
    [
      'Sun-Thu Riyadh, just after Saturday midnight',
      'Asia/Riyadh',
      SUN_THU,
      '2026-12-05T21:30:00.000Z',
      '2026-12-05T21:00:00.000Z',
      '2026-11-28T21:00:00.000Z',
    ],
    // Saturday 12 December in Riyadh: its weekend closes the week of Sunday 6 December
    [
      'Sun-Thu Riyadh, on its Saturday',
      'Asia/Riyadh',
      SUN_THU,
      '2026-12-12T09:00:00.000Z',
      '2026-12-05T21:00:00.000Z',
      '2026-11-28T21:00:00.000Z',
    ],
    // Friday 11 December in Dubai (UTC+4), Sat-Wed: the week began Saturday 5 December
    [
      'Sat-Wed Dubai, on a Friday',
      'Asia/Dubai',
      SAT_WED,
      '2026-12-11T09:00:00.000Z',
      '2026-12-04T20:00:00.000Z',
      '2026-11-27T20:00:00.000Z',
    ],
    // Tuesday 31 March 2026 in Berlin, a one-day week on Wednesday: from Wednesday 25 March, 00:00 CET
    [
      'one day (Wednesday) Berlin, across summer time',
      'Europe/Berlin',
      ['wed'],
      '2026-03-31T10:00:00.000Z',
      '2026-03-24T23:00:00.000Z',
      '2026-03-17T23:00:00.000Z',
    ],
    // Wednesday 1 April 2026, every day a working day: Monday 30 March 00:00 CEST, the week before from 00:00 CET
    [
      'all seven days Berlin, the week summer time began',
      'Europe/Berlin',
      [...WEEKDAYS],
      '2026-04-01T10:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
      '2026-03-22T23:00:00.000Z',
    ],
  ])('%s', (_name, timeZone, workingDays, at, thisWeek, weekBefore) => {
    // Arrange
    const calendar = { timeZone, workingDays };

    // Act
    const starts = [startOfWeek(calendar, new Date(at)), startOfWeek(calendar, new Date(at), -1)];

    // Assert
    expect(starts.map((start) => start.toISOString())).toEqual([thisWeek, weekBefore]);
  });
});
