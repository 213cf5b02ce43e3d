/**
 * A call (or text) step's reminder to the owner of a lead who gave no phone tells them to write, in its subject, its
 * preheader and its callout: a rep working from a phone reads the subject first, and "Attempt 3/6: ... - phone by
 * 14:00" sent them looking for a number that does not exist (the body said "No phone given: write to ..."). The step
 * stays the cadence's call (ADR 0079): only what the rep is told changes. A lead with a phone is still told to phone.
 */
import { describe, expect, it } from 'vitest';
import { attemptDueEmail, type EmailLead } from '../../lambdas/domain/email-templates.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { makeSla } from '../support/sla.ts';

const PETRA = { firstName: 'Petra', lastName: 'Schneider', company: 'Brauhaus Werke' };
const NO_PHONE: EmailLead = {
  leadId: 'lead_no_phone_wording',
  email: 'petra@brauhaus.example',
  fields: PETRA,
};
const WITH_PHONE: EmailLead = { ...NO_PHONE, fields: { ...PETRA, phone: '+49 30 1234567' } };

/** Mon 7 Dec 2026, 09:00 in Berlin: the email is sent; the step is due at 14:00 Berlin (16:00 Riyadh) */
const NOW = new Date('2026-12-07T08:00:00Z');
const DUE = new Date('2026-12-07T13:00:00Z');

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

/** what a call is called in each language's emails: none of it may head a no-phone lead's reminder */
const CALL_WORDS = /phone|call|Telefon|Anruf|هاتف|اتصل|مكالمة/i;

function reminder(lead: EmailLead, channel: string, locale: string, zone: string) {
  const sla = teamIn(locale, zone);
  return attemptDueEmail(sla, lead, {
    rep: sla.routing.reps[0]!,
    step: { step: 3, of: 6, dueAt: DUE, channel },
    actionLinks: [],
    now: NOW,
  });
}

describe("a call step's reminder for a lead who gave no phone says to write", () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['en', 'Europe/Berlin', 'phone', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - write by 14:00 CET', 'Attempt 3 of 6 due by 14:00 CET: no phone given, so write', 'Write by Mon 7 Dec 2026, 14:00 CET (no phone given)'],
    ['en', 'Europe/Berlin', 'sms', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - write by 14:00 CET', 'Attempt 3 of 6 due by 14:00 CET: no phone given, so write', 'Write by Mon 7 Dec 2026, 14:00 CET (no phone given)'],
    ['de', 'Europe/Berlin', 'phone', 'Versuch 3/6: Petra Schneider (Brauhaus Werke) – schriftlich bis 14:00 MEZ', 'Kontaktversuch 3 von 6 fällig bis 14:00 MEZ: keine Telefonnummer angegeben, also schriftlich', 'Schriftlich bis Mo., 7. Dez. 2026, 14:00 MEZ (keine Telefonnummer angegeben)'],
    ['ar', 'Asia/Riyadh', 'phone', 'المحاولة 3/6: Petra Schneider (Brauhaus Werke) - اكتب قبل 16:00 غرينتش+3', 'المحاولة 3 من 6 مستحقة قبل 16:00 غرينتش+3: لم يترك رقم هاتف، فاكتب إليه', 'اكتب قبل الاثنين، 7 ديسمبر 2026 في 16:00 غرينتش+3 (لم يترك رقم هاتف)'],
  ])('%s, a %s zone, a %s step', (locale, zone, channel, subject, preheader, callout) => {
    // Act
    const email = reminder(NO_PHONE, channel, locale, zone);

    // Assert: the subject a phone's inbox shows says to write, and names no call
    expect(email.subject).toBe(subject);
    expect(email.subject).not.toMatch(CALL_WORDS);
    // the preheader (the inbox's second line) and the callout under the heading say the same
    expect(email.html).toContain(`>${preheader}</div>`);
    expect(email.text.split('\n')[1]).toBe(callout);
    expect(email.html).toContain(`>${callout}</p>`);
  });
});

describe("a step's reminder names its channel when the rep can use it", () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['a call, the lead gave a phone', WITH_PHONE, 'phone', 'en', 'Europe/Berlin', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - phone by 14:00 CET', 'Phone attempt due by Mon 7 Dec 2026, 14:00 CET'],
    ['a text, the lead gave a phone', WITH_PHONE, 'sms', 'en', 'Europe/Berlin', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - SMS by 14:00 CET', 'SMS attempt due by Mon 7 Dec 2026, 14:00 CET'],
    ['a call in German, the lead gave a phone', WITH_PHONE, 'phone', 'de', 'Europe/Berlin', 'Versuch 3/6: Petra Schneider (Brauhaus Werke) – Telefon bis 14:00 MEZ', 'Kontaktversuch per Telefon fällig bis Mo., 7. Dez. 2026, 14:00 MEZ'],
    ['a call in Arabic, the lead gave a phone', WITH_PHONE, 'phone', 'ar', 'Asia/Riyadh', 'المحاولة 3/6: Petra Schneider (Brauhaus Werke) - الهاتف قبل 16:00 غرينتش+3', 'محاولة عبر الهاتف مستحقة قبل الاثنين، 7 ديسمبر 2026 في 16:00 غرينتش+3'],
    ['an email, the lead gave no phone', NO_PHONE, 'email', 'en', 'Europe/Berlin', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - email by 14:00 CET', 'Email attempt due by Mon 7 Dec 2026, 14:00 CET'],
    ['LinkedIn, the lead gave no phone', NO_PHONE, 'linkedin', 'en', 'Europe/Berlin', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - LinkedIn by 14:00 CET', 'LinkedIn attempt due by Mon 7 Dec 2026, 14:00 CET'],
  ] as const)('%s', (_name, lead, channel, locale, zone, subject, callout) => {
    // Act
    const email = reminder(lead, channel, locale, zone);

    // Assert
    expect(email.subject).toBe(subject);
    expect(email.text.split('\n')[1]).toBe(callout);
  });
});
