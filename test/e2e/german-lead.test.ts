/**
 * A German team's SLA (`locales: { default: de, supported: [de, en, ar] }`, test/support/sla.ts germanTeam), end
 * to end on the local runtime: what a German lead reads (the double opt-in email, its page and the page after
 * the button, a nurture email's unsubscribe footer and its List-Unsubscribe page, the form's thank-you and
 * error pages, the embedded form's words) is German, `lang="de"`, and fits 390 px in Chromium; the rep's
 * "New SQL" email is German. Screenshots at 390 and 1280 px in test-results/german/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, layoutAt, offlinePage } from '../support/chromium.ts';
import { germanTeam } from '../support/sla.ts';
import { useRuntime } from '../support/use-runtime.ts';

const SHOTS = 'test-results/german';

describe('a German lead and a German sales team', () => {
  const runtime = useRuntime({ sla: germanTeam() });
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    page = await offlinePage(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The page at both widths, saved as `<name>-<width>.png`: its layout at 390 px. */
  async function shoot(html: string, name: string) {
    const phone = await layoutAt(page!, html, 390, `${SHOTS}/${name}-390.png`);
    await layoutAt(page!, html, 1280, `${SHOTS}/${name}-1280.png`);
    return phone;
  }

  it('subscribes in German: the email, its pages, the nurture footer and the unsubscribe page', async () => {
    // Arrange
    const e = runtime();
    const email = 'karin.weber@mueller-maschinenbau.example';

    // Act
    const posted = await e.postLead({
      email,
      firstName: 'Karin',
      locale: 'de',
      formId: 'newsletter',
      marketingConsent: true,
    });
    await e.settle();
    const [confirm] = await e.mailsTo(email);
    const url = String(confirm!.text).match(/https?:\/\/\S+\/consent\/\S+/)![0];
    const consentPage = await e.request('GET', url, { headers: { accept: 'text/html' } });
    const confirmed = await e.confirmSubscription(email);
    const nurture = (await e.mailsTo(email)).find((mail) => /Abmelden/.test(mail.text));
    const stored = (await e.runtime.mail.messages()).find(
      (m) => m.destination.to.includes(email) && m.headers?.some((h) => h.name === 'List-Unsubscribe'),
    );
    const unsubscribeUrl = stored!.headers!.find((h) => h.name === 'List-Unsubscribe')!.value.slice(1, -1);
    const question = await e.request('GET', unsubscribeUrl);
    const unsubscribed = await e.request('POST', unsubscribeUrl);

    // Assert
    expect(posted.status).toBe(202);
    expect(confirm!.subject).toBe('Bitte bestätigen Sie Ihre Anmeldung für E-Mails von Kessler Industrie');
    expect(confirm!.text).toContain('Guten Tag,');
    expect(confirm!.text).not.toContain('Hello');
    const pages: [string, string, string][] = [
      [confirm!.html, 'consent-email', 'Anmeldung bestätigen'],
      [consentPage.text, 'consent-page', 'Anmeldung für E-Mails von Kessler Industrie bestätigen'],
      [confirmed.text, 'consent-confirmed', 'Ihre Anmeldung ist bestätigt'],
      [nurture!.html, 'nurture-email', 'Abmelden'],
      [question.text, 'unsubscribe-page', 'Von E-Mails von Kessler Industrie abmelden?'],
      [unsubscribed.text, 'unsubscribed-page', 'Sie sind abgemeldet'],
    ];
    for (const [html, name, phrase] of pages) {
      const layout = await shoot(html, name);
      expect(layout, name).toMatchObject({ lang: 'de', dir: 'ltr' });
      expect(layout.text, name).toContain(phrase);
      expect(layout.text, name).not.toMatch(/Unsubscribe|Confirm|Hello|Thank you/);
      expect(layout.scrollWidth, name).toBeLessThanOrEqual(390);
    }
    expect(nurture!.text).toContain('Sie erhalten diese E-Mail von Kessler Industrie');
  });

  it.each([
    ['the thank-you page', 'karin.dank@mueller-maschinenbau.example', 200, 'Vielen Dank', 'form-thanks'],
    [
      'what to fix',
      'kein-email',
      400,
      'E-Mail: Bitte geben Sie eine gültige E-Mail-Adresse an',
      'form-error',
    ],
  ] as const)('a browser form post in German: %s', async (_case, email, status, phrase, name) => {
    // Arrange
    const e = runtime();

    // Act
    const response = await e.request('POST', '/leads', {
      form: { email, firstName: 'Karin', locale: 'de' },
      headers: { accept: 'text/html' },
    });

    // Assert
    expect(response.status).toBe(status);
    const layout = await shoot(response.text, name);
    expect(layout).toMatchObject({ lang: 'de', dir: 'ltr' });
    expect(layout.text).toContain(phrase);
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
  });

  it('the embedded form on a German page: German labels, consent text and button', async () => {
    // Arrange
    const e = runtime();
    const script = (await e.request('GET', '/forms/newsletter.js')).text;
    const html = `<!doctype html><html lang="de"><head><meta name="viewport" content="width=device-width"></head><body><main style="max-width:40rem;margin:auto;padding:1rem"><script>${script.replace(/<\/script/gi, '<\\/script')}</script></main></body></html>`;

    // Act
    const layout = await shoot(html, 'embedded-form');

    // Assert
    expect(layout.text).toContain('Geschäftliche E-Mail-Adresse');
    expect(layout.text).toContain(
      'Ich möchte nützliche Inhalte per E-Mail erhalten (jederzeit abbestellbar).',
    );
    expect(layout.text).toContain('Absenden');
    expect(layout.text).not.toMatch(/Work email|First name|Send\b/);
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
  });

  it('a German demo request: the rep\'s "New SQL" email is German', async () => {
    // Arrange: the plant manager of a food company asking for a demo (an SQL in sla/default.yaml)
    const e = runtime();
    const lead = {
      email: 'thomas.schulz@brauerei-schulz.example',
      firstName: 'Thomas',
      lastName: 'Schulz',
      company: 'Brauerei Schulz',
      jobTitle: 'Plant Manager',
      country: 'DE',
      employees: '850',
      revenue: '140000000',
      industry: 'food-and-beverage',
      formId: 'demo-request',
      locale: 'de',
    };

    // Act
    await e.request('POST', '/leads', { form: lead, headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    await e.settle();

    // Assert
    const view = await e.readLead(e.leadIdOf(lead.email));
    expect(view.lifecycleStage).toBe('sql');
    const owner = e.sla.routing.reps.find((rep) => rep.id === view.owner?.id)!;
    const [sql] = await e.mailsTo(owner.email);
    expect(sql!.subject).toMatch(/^Neuer SQL: Thomas Schulz \(Brauerei Schulz\) – Erstkontakt bis /);
    expect(sql!.text).toContain('Erstkontakt fällig bis');
    expect(sql!.text).toContain(
      `${owner.name}, dieser Lead ist Ihnen gemäß SLA „Kessler Industrial – Vereinbarung`,
    );
    expect(sql!.text).toContain('hat eine Demo angefragt');
    expect(sql!.html).toContain('lang="de"');
    expect(sql!.text).not.toMatch(/New SQL|First touch|Sent by LeadPact|asked for a demo/);
    const layout = await shoot(sql!.html, 'sql-email');
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
  });
});
