/**
 * German as a shipped language (a German team's trial): a German lead's double opt-in email and nurture footer,
 * a German rep's "New SQL" email, and times and dates as German writes them (Intl 'de': "Mo., 7. Dez. 2026,
 * 12:00 MEZ"). English and Arabic read as before.
 */
import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../../lambdas/domain/consent.ts';
import {
  consentConfirmationEmail,
  type EmailLead,
  formatDate,
  formatFullTime,
  formatShortTime,
  nurtureEmail,
  sqlAssignedEmail,
} from '../../lambdas/domain/email-templates.ts';
import { GERMAN_CONSENT_TEXT, germanTeam } from '../support/sla.ts';

const sla = germanTeam();
const CONFIRM_URL = 'https://leads.kessler-industrial.example/consent/token';
const UNSUBSCRIBE_URL = 'https://leads.kessler-industrial.example/unsubscribe/token';
/** Mon 7 Dec 2026, 12:00 in Berlin */
const DEC_7_NOON = new Date('2026-12-07T11:00:00Z');

const consent: ConsentRecord = {
  mode: 'double',
  givenAt: '2026-12-07T11:00:00.000Z',
  formId: 'newsletter',
  text: GERMAN_CONSENT_TEXT,
  locale: 'de',
  requestId: 'r1',
};

const karin: EmailLead = {
  leadId: 'lead-de-1',
  email: 'karin.weber@mueller-maschinenbau.example',
  fields: {
    locale: 'de',
    firstName: 'Karin',
    lastName: 'Weber',
    company: 'Müller Maschinenbau',
    jobTitle: 'Werksleiterin',
    country: 'DE',
    employees: 850,
  },
  total: 140,
  fitTier: 'A',
};

describe('times and dates in German', () => {
  it.each<[string, () => string, string]>([
    ['in full, de', () => formatFullTime(DEC_7_NOON, 'Europe/Berlin', 'de'), 'Mo., 7. Dez. 2026, 12:00 MEZ'],
    [
      'in full, de-AT',
      () => formatFullTime(DEC_7_NOON, 'Europe/Vienna', 'de-AT'),
      'Mo., 7. Dez. 2026, 12:00 MEZ',
    ],
    ['a day', () => formatDate('2026-12-21', 'de'), 'Mo., 21. Dez. 2026'],
    [
      'due the same day',
      () => formatShortTime(DEC_7_NOON, 'Europe/Berlin', new Date('2026-12-07T08:00:00Z'), 'de'),
      '12:00 MEZ',
    ],
    [
      'in full, English as before',
      () => formatFullTime(DEC_7_NOON, 'Europe/Berlin', 'en'),
      'Mon 7 Dec 2026, 12:00 CET',
    ],
    ['a day, English as before', () => formatDate('2026-12-21', 'en'), 'Mon 21 Dec 2026'],
    ['a day, Arabic as before', () => formatDate('2026-12-21', 'ar'), 'الاثنين، 21 ديسمبر 2026'],
  ])('%s', (_case, format, expected) => {
    // Act
    const formatted = format();

    // Assert
    expect(formatted).toBe(expected);
  });
});

describe("a German lead's emails", () => {
  it('the double opt-in asks in German, formally, with the German consent text and no advertising', () => {
    // Arrange
    const lead = { leadId: 'lead-de-1', email: karin.email, fields: { locale: 'de' }, consent };

    // Act
    const email = consentConfirmationEmail(sla, lead, CONFIRM_URL, 'unused');

    // Assert
    expect(email.subject).toBe('Bitte bestätigen Sie Ihre Anmeldung für E-Mails von Kessler Industrie');
    expect(email.html).toContain('lang="de"');
    for (const body of [email.text, email.html]) {
      expect(body).toContain('Guten Tag,');
      expect(body).toContain('Anmeldung bestätigen');
      expect(body).toContain('Mo., 7. Dez. 2026, 12:00 MEZ');
      expect(body).toContain('„Newsletter-Anmeldung“');
      expect(body).toContain('Der Link ist 30 Tage lang gültig.');
      expect(body).toContain(`Ihre Einwilligung: „${GERMAN_CONSENT_TEXT}“`);
      expect(body).not.toMatch(/Hello|Please confirm|Confirm my subscription/);
    }
  });

  it('a nurture email: its footer and unsubscribe link in German', () => {
    // Arrange
    const template = sla.nurture.templates[0]!;

    // Act
    const email = nurtureEmail(sla, karin, { template, unsubscribeUrl: UNSUBSCRIBE_URL });

    // Assert
    expect(email.html).toContain('lang="de"');
    expect(email.text).toContain(`Abmelden: ${UNSUBSCRIBE_URL}`);
    expect(email.html).toContain('>Abmelden</a>');
    expect(email.text).toContain(
      'Sie erhalten diese E-Mail von Kessler Industrie, weil Sie bei uns Informationen angefordert haben.',
    );
    expect(`${email.text}${email.html}`).not.toMatch(/Unsubscribe|You get this email/);
  });
});

describe("a German rep's email", () => {
  it('"New SQL" is German: subject, callout, the why, the footer', () => {
    // Arrange
    const rep = sla.routing.reps[0]!;

    // Act
    const email = sqlAssignedEmail(sla, karin, {
      rep,
      dueAt: DEC_7_NOON,
      reasons: [],
      actionLinks: [],
      now: new Date('2026-12-04T09:00:00Z'),
    });

    // Assert
    expect(email.subject).toMatch(/^Neuer SQL: Karin Weber .*– Erstkontakt bis Mo, 12:00 MEZ$/);
    expect(email.html).toContain('lang="de"');
    expect(email.text).toContain(
      `${rep.name}, dieser Lead ist Ihnen gemäß SLA „Kessler Industrial – Vereinbarung Marketing und Vertrieb“ zugewiesen.`,
    );
    expect(email.text).toContain(
      'Werksleiterin bei Müller Maschinenbau mit 850 Beschäftigten (Deutschland).',
    );
    expect(email.text).toContain('Gesendet von LeadPact.');
    expect(email.text).not.toMatch(/New SQL|First touch|Sent by LeadPact/);
  });
});
