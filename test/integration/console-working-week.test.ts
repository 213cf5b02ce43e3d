/**
 * The console of a team whose week is not Monday to Friday, over real HTTP on the local runtime: Kessler's SLA
 * moved to Riyadh, Sunday to Thursday, with Saudi holidays; Katrin reads Arabic, Dan English in Chicago (his
 * `timeZone` in the worked example); Jonas works from Dubai, Monday to Friday, with the UAE's holidays; Priya (ops)
 * reads times in Berlin. The reports' weeks begin on
 * the reader's first working day (Sunday in Riyadh, still Monday for Jonas), at midnight in the reader's zone
 * (Dan's and Priya's company week at their own midnight: ADR 0083), and the SLA page says what "business hours" count: the zone, the
 * days and hours, the holidays ahead, and the reps on a calendar of their own.
 */
import { describe, expect, it } from 'vitest';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { consoleFetch, signIn, textOf } from '../support/console.ts';
import { useLocalApi } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

/** Saudi holidays: National Day (past at T0), Founding Day, Eid al-Fitr, Eid al-Adha */
const SAUDI_HOLIDAYS = [
  '2026-09-23',
  '2027-02-22',
  '2027-03-09',
  '2027-03-10',
  '2027-03-11',
  '2027-05-16',
  '2027-05-17',
  '2027-05-18',
];

function riyadhSla(): Sla {
  const sla = loadDefaultSla();
  return {
    ...sla,
    calendar: {
      timeZone: 'Asia/Riyadh',
      workingDays: ['sun', 'mon', 'tue', 'wed', 'thu'],
      workingHours: { start: '09:00', end: '17:00' },
      holidays: SAUDI_HOLIDAYS,
    },
    routing: {
      ...sla.routing,
      managers: sla.routing.managers.map((manager) =>
        manager.id === 'katrin'
          ? { ...manager, locale: 'ar', names: { ar: 'كاترين فوغل' } }
          : manager.id === 'priya'
            ? { ...manager, timeZone: 'Europe/Berlin' }
            : manager,
      ),
      reps: sla.routing.reps.map((rep) =>
        rep.id === 'jonas'
          ? {
              ...rep,
              timeZone: 'Asia/Dubai',
              workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
              holidays: ['2026-12-02', '2026-12-03'],
            }
          : rep,
      ),
    },
  };
}

const api = useLocalApi({ sla: riyadhSla(), eventsOff: true });

const KATRIN = 'katrin.vogel@kessler-industrial.example'; // manager, Arabic, the SLA's calendar
const DAN = 'dan.whitaker@kessler-industrial.example'; // manager, English, the SLA's calendar read in Chicago
const JONAS = 'jonas.berger@kessler-industrial.example'; // rep, English, Dubai, Monday to Friday
const PRIYA = 'priya.shah@kessler-industrial.example'; // ops, English, the SLA's calendar read in Berlin

/** One session per person for the file (one sign-in link per person per minute) */
const sessions = new Map<string, Promise<string>>();
const cookieOf = (email: string) => {
  if (!sessions.has(email)) sessions.set(email, signIn(api.runtime, email));
  return sessions.get(email)!;
};

describe('the reports page’s weeks begin on the reader’s first working day', () => {
  // T0 is Friday 27 November 2026, 13:00 in Riyadh, 14:00 in Dubai
  it.each([
    // Sunday 15 to Sunday 22 November, midnight in Riyadh (UTC+3)
    [KATRIN, 'الأسبوع الماضي (من الأحد إلى السبت)', '2026-11-14T21:00:00.000Z', '2026-11-21T21:00:00.000Z'],
    // a manager's own zone on the company's days: Sunday 15 to Sunday 22 November, midnight in Chicago (UTC-6)
    [DAN, 'Last week (Sunday to Saturday)', '2026-11-15T06:00:00.000Z', '2026-11-22T06:00:00.000Z'],
    // ... and in Berlin (UTC+1)
    [PRIYA, 'Last week (Sunday to Saturday)', '2026-11-14T23:00:00.000Z', '2026-11-21T23:00:00.000Z'],
    // Jonas's own calendar: Monday 16 to Monday 23 November, midnight in Dubai (UTC+4)
    [JONAS, 'Last week (Monday to Sunday)', '2026-11-15T20:00:00.000Z', '2026-11-22T20:00:00.000Z'],
  ])('%s: the default period is “%s”, from %s to %s', async (email, label, from, to) => {
    // Arrange
    const cookie = await cookieOf(email);

    // Act
    const page = await consoleFetch(api.runtime, 'GET', '/console/reports', { cookie });

    // Assert
    expect(page.status, page.text).toBe(200);
    expect(page.text).toContain(`<option value="last-week" selected>${label}</option>`);
    const window = [...page.text.matchAll(/<time datetime="([^"]+)">/g)].map((match) => match[1]);
    expect(window.slice(0, 2)).toEqual([from, to]);
  });
});

describe('the SLA page shows the working calendar', () => {
  it.each([
    [
      DAN,
      [
        'Working calendar',
        'Time zone: Asia/Riyadh',
        'Working days and hours: Sunday to Thursday, 09:00 to 17:00',
        'Holidays ahead: Mon 22 Feb 2027, Tue 9 Mar 2027, Wed 10 Mar 2027, Thu 11 Mar 2027, and 3 more',
        // the reps on their own calendar: Jonas in Dubai with the UAE's holidays; Carla and Mike in Chicago
        'Jonas Berger Asia/Dubai',
        'Monday to Friday, 09:00 to 17:00 Wed 2 Dec 2026, Thu 3 Dec 2026',
        'Carla Ruiz America/Chicago',
        'Sunday to Thursday, 08:00 to 17:00 the company’s',
      ],
    ],
    [
      KATRIN,
      [
        'تقويم العمل',
        'المنطقة الزمنية: Asia/Riyadh',
        'أيام العمل وساعاته: من الأحد إلى الخميس، من الساعة 09:00 إلى 17:00',
        'العطل القادمة: الاثنين، 22 فبراير 2027؛ الثلاثاء، 9 مارس 2027؛',
        'الخميس، 11 مارس 2027؛ ثم 3 عطل بعدها',
        'مندوبون بتقويم عمل خاص بهم',
        'عطل الشركة',
      ],
    ],
  ])('%s reads its zone, days, hours and holidays ahead', async (email, expected) => {
    // Arrange
    const cookie = await cookieOf(email);

    // Act
    const page = await consoleFetch(api.runtime, 'GET', '/console/sla', { cookie });

    // Assert: the page's text, tags read as spaces ("Asia/Riyadh" is isolated left to right)
    expect(page.status, page.text).toBe(200);
    const text = textOf(page.text)
      .replace(/ ([,،؛)]) ?/g, '$1 ')
      .replace(/\( /g, '(');
    for (const words of expected) expect(text).toContain(words);
    expect(text).not.toContain('23 Sep 2026'); // National Day is behind
  });

  it('a lead status the SLA does not describe shows a dash for its meaning, not an empty line', async () => {
    // Arrange: "Nurturing" has no description in the SLA
    const cookie = await cookieOf(DAN);

    // Act
    const page = await consoleFetch(api.runtime, 'GET', '/console/sla', { cookie });

    // Assert
    expect(page.text).not.toContain('data-label="Meaning"><span></span>');
    expect(page.text).toContain('data-label="Meaning"><span>–</span>');
  });
});
