/**
 * A reminder's subject names its deadline as the rep reads it on the day the email is sent, in their zone and
 * language: the time alone today, "tomorrow", the weekday within the next six days, the date beyond. A phone's
 * inbox shows only the subject: a bare "14:00" for a step due on Thursday read as today (a rep's outside trial).
 */
import { describe, expect, it } from 'vitest';
import { attemptDueEmail, type EmailLead } from '../../lambdas/domain/email-templates.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { makeSla } from '../support/sla.ts';

const petra: EmailLead = {
  leadId: 'lead_subject_deadlines',
  email: 'petra.schneider@brauhaus.example',
  fields: { firstName: 'Petra', lastName: 'Schneider', company: 'Brauhaus Werke' },
  total: 80,
  fitTier: 'A',
};

function teamIn(locale: string, timeZone: string): Sla {
  return makeSla({
    locales: { default: 'en', supported: ['en', 'de', 'ar'] },
    calendar: { timeZone: 'Europe/Berlin' },
    routing: {
      managers: [{ id: 'mia', name: 'Mia Manager', email: 'mia@kessler.example' }],
      reps: [{ id: 'ann', name: 'Ann Berg', email: 'ann@kessler.example', manager: 'mia', locale, timeZone }],
    },
  });
}

/** Mon 7 Dec 2026, 09:00 in Berlin: the email is sent */
const MONDAY_MORNING_BERLIN = '2026-12-07T08:00:00Z';

describe("an attempt reminder's subject names its deadline from the day it is sent", () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    // Petra gave no phone: her call step says to write by its deadline (no-phone-call-step-wording.test.ts)
    // now (sent)                 due                     zone               locale  subject
    [MONDAY_MORNING_BERLIN, '2026-12-07T13:00:00Z', 'Europe/Berlin', 'en', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - write by 14:00 CET'],
    [MONDAY_MORNING_BERLIN, '2026-12-08T13:00:00Z', 'Europe/Berlin', 'en', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - write by tomorrow 14:00 CET'],
    [MONDAY_MORNING_BERLIN, '2026-12-10T13:00:00Z', 'Europe/Berlin', 'en', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - write by Thu 14:00 CET'],
    [MONDAY_MORNING_BERLIN, '2026-12-13T13:00:00Z', 'Europe/Berlin', 'en', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - write by Sun 14:00 CET'],
    [MONDAY_MORNING_BERLIN, '2026-12-14T13:00:00Z', 'Europe/Berlin', 'en', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - write by 14 Dec 14:00 CET'],
    // Mon 22:00 in Chicago, due Tue 08:00 there: tomorrow for the rep, though both are Tue 8 Dec in UTC
    ['2026-12-08T04:00:00Z', '2026-12-08T14:00:00Z', 'America/Chicago', 'en', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - write by tomorrow 08:00 CST'],
    // Mon 17:00 and 19:00 in Chicago: the same evening, though UTC has turned the day
    ['2026-12-07T23:00:00Z', '2026-12-08T01:00:00Z', 'America/Chicago', 'en', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - write by 19:00 CST'],
    // over the new year: Wed 30 Dec to Sat 2 Jan is a weekday away
    ['2026-12-30T08:00:00Z', '2027-01-02T13:00:00Z', 'Europe/Berlin', 'en', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - write by Sat 14:00 CET'],
    [MONDAY_MORNING_BERLIN, '2026-12-07T13:00:00Z', 'Europe/Berlin', 'de', 'Versuch 3/6: Petra Schneider (Brauhaus Werke) – schriftlich bis 14:00 MEZ'],
    [MONDAY_MORNING_BERLIN, '2026-12-08T13:00:00Z', 'Europe/Berlin', 'de', 'Versuch 3/6: Petra Schneider (Brauhaus…) – schriftlich bis morgen 14:00 MEZ'],
    [MONDAY_MORNING_BERLIN, '2026-12-10T13:00:00Z', 'Europe/Berlin', 'de', 'Versuch 3/6: Petra Schneider (Brauhaus Werke) – schriftlich bis Do, 14:00 MEZ'],
    // a longer date cuts the company to keep the subject on a line: the lead's words are cut, never the deadline
    [MONDAY_MORNING_BERLIN, '2026-12-14T13:00:00Z', 'Europe/Berlin', 'de', 'Versuch 3/6: Petra Schneider (Brauhaus…) – schriftlich bis 14. Dez., 14:00 MEZ'],
    // Riyadh (UTC+3): Mon 11:00 when sent
    [MONDAY_MORNING_BERLIN, '2026-12-07T11:00:00Z', 'Asia/Riyadh', 'ar', 'المحاولة 3/6: Petra Schneider (Brauhaus Werke) - اكتب قبل 14:00 غرينتش+3'],
    [MONDAY_MORNING_BERLIN, '2026-12-08T11:00:00Z', 'Asia/Riyadh', 'ar', 'المحاولة 3/6: Petra Schneider (Brauhaus Werke) - اكتب قبل 14:00 غرينتش+3 غدًا'],
    [MONDAY_MORNING_BERLIN, '2026-12-10T11:00:00Z', 'Asia/Riyadh', 'ar', 'المحاولة 3/6: Petra Schneider (Brauhaus…) - اكتب قبل الخميس، 14:00 غرينتش+3'],
    [MONDAY_MORNING_BERLIN, '2026-12-14T11:00:00Z', 'Asia/Riyadh', 'ar', 'المحاولة 3/6: Petra Schneider (Brauhaus…) - اكتب قبل 14 ديسمبر، 14:00 غرينتش+3'],
  ])('sent %s, due %s, %s, %s', (now, dueAt, zone, locale, subject) => {
    // Arrange
    const sla = teamIn(locale, zone);

    // Act
    const email = attemptDueEmail(sla, petra, {
      rep: sla.routing.reps[0]!,
      step: { step: 3, of: 6, dueAt: new Date(dueAt), channel: 'phone' },
      actionLinks: [],
      now: new Date(now),
    });

    // Assert
    expect(email.subject).toBe(subject);
  });
});
