/**
 * Every page a person opens, in English and Arabic, as headless Chromium shows it (ADR 0024): the rep's
 * action pages (confirm, done, a link that moved on, a used link) in the rep's language from the SLA
 * (`routing.reps[].locale`); the lead's unsubscribe and consent pages in the lead's language; the form's
 * thank-you and error pages in the language the post names; a broken link in the browser's language.
 *
 * Asserted for each: `lang` and `dir`, the text in that language with the SLA's names in it
 * (`names.ar`), no horizontal scroll at 390 px. Screenshots at 390 and 1280 px land in
 * test-results/pages/ for a person to look at.
 *
 * Wiring as test/integration/actions.test.ts: a second API server on the runtime's deps, with an
 * action secret. The worked example with Lena Hartmann reading Arabic (`locale: ar`), Jonas the default.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionKind, handoverOf, signActionToken } from '../../lambdas/domain/action-links.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { type RunningServer, startApiServer } from '../../local/http-server.ts';
import { launchChromium, layoutAt, offlinePage } from '../support/chromium.ts';
import { ADMIN_TOKEN, MINUTE, useLocalApi } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

const SECRET = 'pages-test-secret-4e7a9c1d2b';
const SHOTS = 'test-results/pages';
const PHONE = 390;
const DESKTOP = 1280;

type Language = 'en' | 'ar';

/** the worked example; Lena reads Arabic */
function sla(): Sla {
  const base = loadDefaultSla();
  return {
    ...base,
    routing: {
      ...base.routing,
      reps: base.routing.reps.map((rep) => (rep.id === 'lena' ? { ...rep, locale: 'ar' } : rep)),
    },
  };
}

/** who reads each language: the rep a link is sent to, and a lead */
const READER = {
  en: { rep: 'jonas', lead: { firstName: 'Petra', lastName: 'Schneider', company: 'Brauhaus Werke' } },
  ar: {
    rep: 'lena',
    lead: { firstName: 'سلمى', lastName: 'حداد', company: 'شركة الخليج للأغذية', locale: 'ar' },
  },
} as const;

const SQL = {
  jobTitle: 'Plant Manager',
  industry: 'manufacturing',
  employees: 800,
  country: 'DE',
  formId: 'demo-request',
  marketingConsent: true,
};

describe('pages in the reader language, in headless Chromium', () => {
  const api = useLocalApi({ sla: sla() });
  let server: RunningServer;
  let browser: Browser;
  let nonces = 0;

  beforeAll(async () => {
    server = await startApiServer({
      deps: { ...api.runtime.deps, actionSecret: SECRET },
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function lead(language: Language, handOff = true): Promise<string> {
    const leadId = await api.createLead({
      email: api.uniqueEmail(language),
      ...SQL,
      ...READER[language].lead,
    });
    if (handOff) await api.handOff(leadId, READER[language].rep);
    return leadId;
  }

  async function token(leadId: string, action: ActionKind, value: string): Promise<string> {
    const stored = await api.runtime.deps.store.getLead(leadId);
    const handover = stored && handoverOf(stored);
    return signActionToken(
      {
        leadId,
        cycle: 1,
        action,
        value,
        nonce: `p${++nonces}`,
        exp: Math.floor(api.clock.now().getTime() / 1000) + 3600,
        ...(handover ? { handover } : {}),
      },
      SECRET,
    );
  }

  /**
   * the page open in Chromium, measured at 390 px, screenshots at 390 and 1280 px; its text as read, without the
   * invisible isolates around a lead's name and company
   */
  async function measure(page: Page, name: string) {
    await page.setViewportSize({ width: DESKTOP, height: 800 });
    await page.screenshot({ path: `${SHOTS}/${name}-${DESKTOP}.png`, fullPage: true });
    await page.setViewportSize({ width: PHONE, height: 800 });
    await page.screenshot({ path: `${SHOTS}/${name}-${PHONE}.png`, fullPage: true });
    return (await page.evaluate(`({
      scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
      lang: document.documentElement.getAttribute('lang'),
      dir: document.documentElement.getAttribute('dir'),
      title: document.querySelector('h1').innerText.replace(/[\\u2068\\u2069]/g, ''),
      text: document.body.innerText.replace(/[\\u2068\\u2069]/g, ''),
    })`)) as { scrollWidth: number; lang: string; dir: string; title: string; text: string };
  }

  const DIR = { en: 'ltr', ar: 'rtl' } as const;

  it('an Arabic page naming a lead in Latin script reads the name, then the company in its brackets', async () => {
    // Arrange: Petra Schneider of Brauhaus Werke, handed to Lena, who reads Arabic
    const leadId = await api.createLead({ email: api.uniqueEmail('mixed'), ...SQL, ...READER.en.lead });
    await api.handOff(leadId, READER.ar.rep);
    const page = await browser.newPage();

    // Act
    await page.goto(`${server.url}/actions/${await token(leadId, 'outcome', 'connected')}`);
    await measure(page, 'action-confirm-ar-latin-lead');
    // where each part is drawn on one line (the heading kept from wrapping): the name, the company, its brackets
    const drawn = (await page.evaluate(`(() => {
      const heading = document.querySelector('h1');
      heading.style.whiteSpace = 'nowrap';
      const node = heading.firstChild;
      const text = node.textContent;
      const box = (from, length) => {
        const range = document.createRange();
        range.setStart(node, from);
        range.setEnd(node, from + length);
        const rect = range.getBoundingClientRect();
        return { left: rect.left, right: rect.right };
      };
      const name = text.indexOf('Petra Schneider');
      const company = text.indexOf('Brauhaus Werke');
      return {
        dir: getComputedStyle(heading).direction,
        name: box(name, 'Petra Schneider'.length),
        company: box(company, 'Brauhaus Werke'.length),
        open: box(text.lastIndexOf('(', company), 1),
        close: box(text.indexOf(')', company), 1),
      };
    })()`)) as Record<'name' | 'company' | 'open' | 'close', { left: number; right: number }> & {
      dir: string;
    };
    await page.close();

    // Assert: right to left, as the sentence reads: the name, "(", the company, ")"
    expect(drawn.dir).toBe('rtl');
    expect(drawn.name.left, JSON.stringify(drawn)).toBeGreaterThanOrEqual(drawn.open.right - 1);
    expect(drawn.open.left, JSON.stringify(drawn)).toBeGreaterThanOrEqual(drawn.company.right - 1);
    expect(drawn.company.left, JSON.stringify(drawn)).toBeGreaterThanOrEqual(drawn.close.right - 1);
  });

  describe.each([
    {
      language: 'en' as const,
      confirm: 'Log outcome: Connected for Petra Schneider (Brauhaus Werke)?',
      button: 'Yes: Log outcome: Connected',
      done: 'Done: Log outcome: Connected',
      now: 'is now Sales qualified lead, status Connected.',
      used: 'This link was already used',
      movedOn: 'This lead moved to Mats Lindqvist',
    },
    {
      language: 'ar' as const,
      confirm: 'تسجيل النتيجة: تم التواصل للعميل المحتمل سلمى حداد (شركة الخليج للأغذية)؟',
      // the button as drawn, its isolates kept (measure() reads the heading and the text without them)
      button: 'نعم: تسجيل النتيجة: \u2068تم التواصل\u2069',
      done: 'تم: تسجيل النتيجة: تم التواصل',
      now: 'الآن في مرحلة عميل مؤهل للمبيعات، والحالة تم التواصل.',
      used: 'استُخدم هذا الرابط من قبل',
      movedOn: 'انتقل هذا العميل المحتمل إلى Mats Lindqvist',
    },
  ])('the rep action pages in $language', (expected) => {
    const { language } = expected;

    it('confirm (GET) and done (POST, the button pressed): the SLA names in the rep language', async () => {
      // Arrange
      const leadId = await lead(language);
      const page = await browser.newPage();

      // Act: open the link, measure, press the button
      await page.goto(`${server.url}/actions/${await token(leadId, 'outcome', 'connected')}`);
      const confirm = await measure(page, `action-confirm-${language}`);
      const buttonText = await page.locator('button').textContent();
      await Promise.all([page.waitForNavigation(), page.locator('button').click()]);
      const done = await measure(page, `action-done-${language}`);

      // Assert
      expect(confirm).toMatchObject({ lang: language, dir: DIR[language], title: expected.confirm });
      expect(buttonText).toBe(expected.button);
      expect(confirm.scrollWidth).toBeLessThanOrEqual(PHONE);
      expect(done).toMatchObject({ lang: language, dir: DIR[language], title: expected.done });
      expect(done.text).toContain(expected.now);
      expect(done.scrollWidth).toBeLessThanOrEqual(PHONE);
      await page.close();
    });

    it('a used link and a link whose lead moved on: why, in the rep language, no button', async () => {
      // Arrange: one link pressed; another lead reassigned to Mats after its email
      const pressed = await lead(language);
      const used = await token(pressed, 'outcome', 'no-answer');
      expect((await fetch(`${server.url}/actions/${used}`, { method: 'POST' })).status).toBe(200);
      const moved = await lead(language);
      const stale = await token(moved, 'outcome', 'connected');
      api.clock.advance(MINUTE);
      const at = api.clock.now().toISOString();
      await updateLead(api.runtime.deps.store, moved, (current) => ({
        ...current,
        ownerId: 'mats',
        ownerSince: at,
      }));
      const page = await browser.newPage();

      // Act
      const usedAnswer = await page.goto(`${server.url}/actions/${used}`);
      const usedPage = await measure(page, `action-used-${language}`);
      const movedAnswer = await page.goto(`${server.url}/actions/${stale}`);
      const movedPage = await measure(page, `action-moved-on-${language}`);

      // Assert
      expect(usedAnswer?.status()).toBe(409);
      expect(usedPage).toMatchObject({ lang: language, dir: DIR[language], title: expected.used });
      expect(movedAnswer?.status()).toBe(410);
      expect(movedPage).toMatchObject({ lang: language, dir: DIR[language], title: expected.movedOn });
      expect(await page.locator('button').count()).toBe(0);
      for (const measured of [usedPage, movedPage]) expect(measured.scrollWidth).toBeLessThanOrEqual(PHONE);
      await page.close();
    });
  });

  it.each([
    ['en', 'broken', 400, 'This link does not work', 'This link is incomplete or was changed'],
    ['ar', 'broken', 400, 'هذا الرابط لا يعمل', 'هذا الرابط ناقص أو تغيّر'],
    ['en', 'expired', 410, 'This link has expired', 'reply to any of our emails and we will unsubscribe you'],
    ['ar', 'expired', 410, 'انتهت صلاحية هذا الرابط', 'رُدّ على أي رسالة منا وسنلغي اشتراكك'],
  ] as const)(
    'in %s, a %s link answers in the browser language',
    async (language, kind, status, title, sentence) => {
      // Arrange: a browser whose Accept-Language is the reader's; an unsubscribe link an hour past its expiry
      const context = await browser.newContext({ locale: language === 'ar' ? 'ar-EG' : 'en-US' });
      const page = await context.newPage();
      const expired = signActionToken(
        {
          leadId: 'lead-gone',
          cycle: 1,
          action: 'unsubscribe',
          value: '',
          nonce: `x${++nonces}`,
          exp: Math.floor(api.clock.now().getTime() / 1000) - 3600,
        },
        SECRET,
      );
      const path = kind === 'broken' ? '/actions/not-a-token' : `/unsubscribe/${expired}`;

      // Act
      const answer = await page.goto(`${server.url}${path}`);
      const measured = await measure(page, `link-${kind}-${language}`);

      // Assert
      expect(answer?.status()).toBe(status);
      expect(measured).toMatchObject({ lang: language, dir: DIR[language], title });
      expect(measured.text).toContain(sentence);
      expect(measured.scrollWidth).toBeLessThanOrEqual(PHONE);
      await context.close();
    },
  );

  it("an expired action link answers in the language of the rep it was sent to, whatever the browser's", async () => {
    // Arrange: Lena reads Arabic; her phone's browser asks for English; her link expired an hour ago
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const expired = signActionToken(
      {
        leadId: 'lead-gone',
        cycle: 1,
        action: 'outcome',
        value: 'no-answer',
        nonce: `x${++nonces}`,
        exp: Math.floor(api.clock.now().getTime() / 1000) - 3600,
        handover: { ownerId: READER.ar.rep, since: 1 },
      },
      SECRET,
    );

    // Act
    const answer = await page.goto(`${server.url}/actions/${expired}`);
    const measured = await measure(page, 'link-expired-rep-ar');

    // Assert: in Lena's language, as every other page of her links
    expect(answer?.status()).toBe(410);
    expect(measured).toMatchObject({ lang: 'ar', dir: 'rtl', title: 'انتهت صلاحية هذا الرابط' });
    expect(measured.scrollWidth).toBeLessThanOrEqual(PHONE);
    await context.close();
  });

  describe.each([
    {
      language: 'en' as const,
      question: 'Unsubscribe from Kessler Industrial?',
      unsubscribed: 'You are unsubscribed',
      confirm: 'Confirm your subscription to Kessler Industrial',
      agreed: 'Send me useful content (you can unsubscribe any time)',
      confirmed: 'Your subscription is confirmed',
    },
    {
      language: 'ar' as const,
      question: 'إلغاء الاشتراك في رسائل Kessler Industrial؟',
      unsubscribed: 'تم إلغاء اشتراكك',
      confirm: 'أكّد اشتراكك في رسائل Kessler Industrial',
      agreed: 'أرسلوا لي محتوى مفيدًا (يمكنني إلغاء الاشتراك في أي وقت)',
      confirmed: 'تم تأكيد اشتراكك',
    },
  ])('the lead pages in $language', (expected) => {
    const { language } = expected;

    it('consent: the page quotes the consent text the lead read, in their language; the button confirms', async () => {
      // Arrange: a double opt-in form post; its confirmation link
      const leadId = await lead(language, false);
      const stored = await api.runtime.deps.store.getLead(leadId);
      const page = await browser.newPage();

      // Act
      await page.goto(`${server.url}/consent/${await token(leadId, 'consent', stored!.consent!.requestId)}`);
      const confirm = await measure(page, `consent-confirm-${language}`);
      await Promise.all([page.waitForNavigation(), page.locator('button').click()]);
      const confirmed = await measure(page, `consent-confirmed-${language}`);

      // Assert
      expect(confirm).toMatchObject({ lang: language, dir: DIR[language], title: expected.confirm });
      expect(confirm.text).toContain(expected.agreed);
      expect(confirmed).toMatchObject({ lang: language, dir: DIR[language], title: expected.confirmed });
      for (const measured of [confirm, confirmed]) expect(measured.scrollWidth).toBeLessThanOrEqual(PHONE);
      expect((await api.runtime.deps.store.getLead(leadId))?.consent?.confirmedAt).toBeDefined();
      await page.close();
    });

    it('unsubscribe: the question, then the answer, in the lead language', async () => {
      // Arrange
      const leadId = await lead(language, false);
      const page = await browser.newPage();

      // Act
      await page.goto(`${server.url}/unsubscribe/${await token(leadId, 'unsubscribe', '')}`);
      const question = await measure(page, `unsubscribe-${language}`);
      await Promise.all([page.waitForNavigation(), page.locator('button').click()]);
      const done = await measure(page, `unsubscribed-${language}`);

      // Assert
      expect(question).toMatchObject({ lang: language, dir: DIR[language], title: expected.question });
      expect(done).toMatchObject({ lang: language, dir: DIR[language], title: expected.unsubscribed });
      for (const measured of [question, done]) expect(measured.scrollWidth).toBeLessThanOrEqual(PHONE);
      expect((await api.runtime.deps.store.getLead(leadId))?.unsubscribed).toBe(true);
      await page.close();
    });
  });

  it.each([
    ['en', 'Thank you', 'Please check the form', 'Email: please enter a valid email address'],
    ['ar', 'شكرًا لك', 'يرجى مراجعة النموذج', 'البريد الإلكتروني: يرجى إدخال عنوان صحيح'],
  ] as const)(
    'a browser form post in %s: the thank-you page and what to fix',
    async (language, thanks, check, fix) => {
      // Arrange: a plain form post from a browser, its language in the form's locale field
      const post = (email: string) =>
        fetch(`${api.url}/leads`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          body: new URLSearchParams({ email, firstName: 'Ada', locale: language }).toString(),
        });
      const page = await offlinePage(browser);

      // Act
      const good = await post(api.uniqueEmail(`form-${language}`));
      const thanksPage = await layoutAt(
        page,
        await good.text(),
        PHONE,
        `${SHOTS}/form-thanks-${language}-${PHONE}.png`,
      );
      const bad = await post('not-an-email');
      const badHtml = await bad.text();
      const errorPage = await layoutAt(page, badHtml, PHONE, `${SHOTS}/form-error-${language}-${PHONE}.png`);
      await layoutAt(page, badHtml, DESKTOP, `${SHOTS}/form-error-${language}-${DESKTOP}.png`);

      // Assert
      expect(good.status).toBe(200);
      expect(thanksPage).toMatchObject({ lang: language, dir: DIR[language] });
      expect(thanksPage.text).toContain(thanks);
      expect(bad.status).toBe(400);
      expect(errorPage).toMatchObject({ lang: language, dir: DIR[language] });
      expect(errorPage.text).toContain(check);
      expect(errorPage.text).toContain(fix);
      for (const measured of [thanksPage, errorPage]) expect(measured.scrollWidth).toBeLessThanOrEqual(PHONE);
      await page.close();
    },
  );
});
