/**
 * The double opt-in confirmation email says when and on which form the request was made, and how long its
 * button works (a German team's trial: a lead that went to sales first is asked weeks later, and an email that
 * does not say what it is about reads as spam). The page URL the form posted is never quoted: anyone can post a
 * form with any address and any page.
 */
import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../../lambdas/domain/consent.ts';
import { consentConfirmationEmail } from '../../lambdas/domain/email-templates.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const URL_TO_CONFIRM = 'https://leads.kessler-industrial.example/consent/token';

const record = (locale: string | undefined): ConsentRecord => ({
  mode: 'double',
  // Tue 1 Dec 2026, 13:05 in Berlin
  givenAt: '2026-12-01T12:05:00.000Z',
  formId: 'efficiency-guide',
  pageUrl: 'https://evil.example/your-invoice-is-overdue',
  text: 'Send me useful content (you can unsubscribe any time)',
  ...(locale ? { locale } : {}),
  requestId: 'r1',
});

describe('the consent confirmation email', () => {
  it.each([
    ['en', 'Tue 1 Dec 2026, 13:05 CET', 'Compressed-air efficiency guide', 'The button works for 30 days.'],
    ['ar', '1 ديسمبر 2026 في 13:05', 'دليل كفاءة الهواء المضغوط', 'يعمل الزر مدة 30 يومًا.'],
  ])('in %s: when (%s), on which form (%s), how long the button works', (locale, when, form, expires) => {
    // Arrange
    const lead = {
      leadId: 'lead-1',
      email: 'petra@kessler-kunde.example',
      fields: { locale },
      consent: record(locale),
    };

    // Act
    const email = consentConfirmationEmail(sla, lead, URL_TO_CONFIRM, 'unused');

    // Assert: in the text and in the HTML; the posted page never
    for (const body of [email.text, email.html]) {
      expect(body).toContain(when);
      expect(body).toContain(form);
      expect(body).toContain(expires);
      expect(body).not.toContain('evil.example');
    }
  });

  it('a request from no form of the SLA (the API) names no form', () => {
    const lead = {
      leadId: 'lead-1',
      email: 'petra@kessler-kunde.example',
      fields: {},
      consent: { ...record(undefined), formId: undefined },
    };

    const email = consentConfirmationEmail(sla, lead, URL_TO_CONFIRM, 'unused');

    expect(email.text).toContain('The request was made on Tue 1 Dec 2026, 13:05 CET.');
    expect(email.text).not.toContain('on the form');
  });
});
