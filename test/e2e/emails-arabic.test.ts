/**
 * Emails as people get them, end to end: leads posted to the local runtime, the workflow sends, the
 * SES emulator builds the MIME message (its `/get-emlContent`), `mailparser` parses it as a mail
 * client would, and headless Chromium renders the HTML part at 390 px.
 *
 * The worked example with an Arabic-speaking sales team (every rep's `locale: ar`): an Arabic lead on
 * an Arabic form gets Arabic, right-to-left nurture email; "مدير المصنع" asking for a demo is the
 * plant manager, an SQL, and the rep's email explains why in Arabic without rule ids; an English lead
 * with no first name gets "Hello," from the company's sender name.
 */
import { type ParsedMail, simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { launchChromium, layoutAt, offlinePage } from '../support/chromium.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { useRuntime } from '../support/use-runtime.ts';

const RULE_ID = /\b(?:icp|engagement|negative|persona|leadType|qualify|journey|fit)\.[a-z0-9-]+/;

function arabicSalesTeam(): Sla {
  const sla = loadDefaultSla();
  return {
    ...sla,
    routing: { ...sla.routing, reps: sla.routing.reps.map((rep) => ({ ...rep, locale: 'ar' })) },
  };
}

describe('emails parsed from the SES emulator and rendered in Chromium', () => {
  const runtime = useRuntime({ sla: arabicSalesTeam() });
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await offlinePage(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Every email to `address`, as a mail client parses the MIME the emulator built. */
  async function parsedMailsTo(address: string): Promise<ParsedMail[]> {
    const { mail } = runtime().runtime;
    const stored = (await mail.messages()).filter((m) => m.destination.to.includes(address));
    return Promise.all(
      stored.map(async (m) => {
        const response = await fetch(
          `${mail.endpoint}/get-emlContent?messageId=${encodeURIComponent(m.messageId)}`,
        );
        const { body } = (await response.json()) as { body: { data: number[] } };
        return simpleParser(Buffer.from(body.data));
      }),
    );
  }

  it.each([
    [
      'an Arabic lead on an Arabic form (locale field and Accept-Language)',
      {
        email: 'salma@gulf-foods.example',
        firstName: 'سلمى',
        jobTitle: 'مهندسة الصيانة',
        locale: 'ar',
        marketingConsent: 'on',
      },
      'ar-AE,ar;q=0.9,en;q=0.5',
      { lang: 'ar', dir: 'rtl', hello: 'مرحبًا،', greeting: 'مرحبًا سلمى،', unsubscribe: 'إلغاء الاشتراك' },
    ],
    [
      'an Arabic browser, no locale field',
      { email: 'karim@gulf-foods.example', firstName: 'كريم', jobTitle: 'فني', marketingConsent: 'on' },
      'ar',
      { lang: 'ar', dir: 'rtl', hello: 'مرحبًا،', greeting: 'مرحبًا كريم،', unsubscribe: 'إلغاء الاشتراك' },
    ],
    [
      'an English lead with no first name',
      { email: 'nobody@plant.example', jobTitle: 'Maintenance engineer', marketingConsent: 'on' },
      'en-GB,en;q=0.9',
      { lang: 'en', dir: 'ltr', hello: 'Hello,', greeting: 'Hello,', unsubscribe: 'Unsubscribe' },
    ],
  ])(
    '%s: the confirmation and the nurture email in their language, no overflow at 390 px',
    async (_what, lead, acceptLanguage, expected) => {
      // Arrange
      const e = runtime();

      // Act: a plain form post, as the browser sends it
      const response = await e.request('POST', '/leads', {
        form: lead,
        headers: { 'accept-language': acceptLanguage },
      });
      await e.settle();

      // double opt-in: the first email asks to confirm, in their language; the person confirms
      expect(response.status).toBeLessThan(400);
      const [confirm] = await parsedMailsTo(lead.email);
      // the confirmation greets nobody by name (the form that gave it is not confirmed); the nurture email does
      expect(confirm!.text).toContain(expected.hello);
      if ('firstName' in lead) expect(confirm!.text).not.toContain(lead.firstName);
      const asked = await layoutAt(page!, String(confirm!.html), 390);
      expect(asked).toMatchObject({ lang: expected.lang, dir: expected.dir });
      expect(asked.scrollWidth).toBeLessThanOrEqual(390);
      const confirmUrl = new URL(String(confirm!.text).match(/https?:\/\/\S+\/consent\/\S+/)![0]);
      const confirmed = await e.request('POST', confirmUrl.pathname, { token: null });
      expect(confirmed.status).toBeLessThan(400);
      await e.settle();

      // Assert: then the nurture email
      const mail = (await parsedMailsTo(lead.email))[1];
      expect(mail).toBeDefined();
      const html = String(mail!.html);
      expect(mail!.from?.value[0]).toMatchObject({ name: 'Kessler Industrial' });
      expect(mail!.text).toContain(expected.greeting);
      expect(mail!.text).not.toMatch(/\S\s+[,،]/);
      const layout = await layoutAt(page!, html, 390);
      expect(layout).toMatchObject({ lang: expected.lang, dir: expected.dir });
      expect(layout.scrollWidth).toBeLessThanOrEqual(390);
      expect(layout.text.split(expected.unsubscribe)).toHaveLength(2);
      // the emulator's MIME export leaves out custom headers: the store has what SES was asked to send
      // (the nurture email: the confirmation before it has no unsubscribe, it asks for a subscription)
      const stored = (await e.runtime.mail.messages()).filter((m) => m.destination.to.includes(lead.email));
      expect(stored.map((m) => (m.headers ?? []).some((h) => h.name === 'List-Unsubscribe'))).toEqual([
        false,
        true,
      ]);
    },
  );

  it("the Arabic lead's unsubscribe page is Arabic, right to left, and fits 390 px", async () => {
    // Arrange: the first case's lead and the List-Unsubscribe URL of her nurture email
    const e = runtime();
    const stored = (await e.runtime.mail.messages())
      .filter((m) => m.destination.to.includes('salma@gulf-foods.example'))
      .find((m) => m.headers?.some((h) => h.name === 'List-Unsubscribe'));
    const url = stored?.headers?.find((h) => h.name === 'List-Unsubscribe')?.value.slice(1, -1);
    expect(url).toBeDefined();

    // Act
    const confirm = await e.request('GET', url!);
    const done = await e.request('POST', url!);

    // Assert
    for (const response of [confirm, done]) {
      expect(response.status).toBe(200);
      const layout = await layoutAt(page!, response.text, 390);
      expect(layout).toMatchObject({ lang: 'ar', dir: 'rtl' });
      expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    }
    expect(confirm.text).toContain('إلغاء الاشتراك');
    expect(done.text).toContain('تم إلغاء اشتراكك');
  });

  it('"مدير المصنع" asking for a demo is the plant manager, an SQL; the rep gets why in Arabic, right to left', async () => {
    // Arrange
    const e = runtime();
    const lead = {
      email: 'omar@nile-foods.example',
      firstName: 'عمر',
      lastName: 'حداد',
      company: 'شركة النيل للأغذية',
      jobTitle: 'مدير المصنع',
      country: 'DE',
      employees: '850',
      revenue: '140000000',
      industry: 'food-and-beverage',
      formId: 'demo-request',
      locale: 'ar',
    };

    // Act
    const response = await e.request('POST', '/leads', { form: lead, headers: { 'accept-language': 'ar' } });
    await e.settle();

    // Assert: the plant-manager persona, with the score of its English twin (test/unit/match-text.test.ts)
    expect(response.status).toBeLessThan(400);
    const view = await e.readLead(e.leadIdOf(lead.email));
    expect(view.lifecycleStage).toBe('sql');
    const owner = e.sla.routing.reps.find((rep) => rep.id === view.owner?.id)!;
    const [mail] = await parsedMailsTo(owner.email);
    expect(mail).toBeDefined();
    const html = String(mail!.html);
    expect(mail!.subject).toContain('عميل مؤهل للمبيعات جديد');
    // the SLA's names in the rep's language (personas[].names.ar, contact.outcomes[].names.ar), never the English ones
    expect(mail!.text).toContain('بترا، مديرة المصنع');
    expect(mail!.text).not.toContain('Petra the Plant Manager');
    expect(html).toContain('>تم التواصل<');
    expect(mail!.text).not.toContain('Left voicemail');
    expect(mail!.text).toMatch(/اللغة: +العربية/);
    // the industry by the SLA's Arabic name of the form's value (fieldValues), not the value itself
    expect(mail!.text).toContain('مدير المصنع في شركة من قطاع الأغذية والمشروبات تضم 850 موظفًا');
    expect(mail!.text).not.toContain('food and beverage');
    expect(mail!.text).toContain('طلب عرضًا توضيحيًا');
    expect(mail!.text).not.toMatch(RULE_ID);
    expect(html).not.toMatch(RULE_ID);
    const layout = await layoutAt(page!, html, 390);
    expect(layout).toMatchObject({ lang: 'ar', dir: 'rtl' });
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
  });
});
