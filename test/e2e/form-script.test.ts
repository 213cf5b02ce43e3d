/**
 * The embeddable form: a site on another origin adds one script tag (GET /forms/{formId}.js); headless
 * Chromium renders the SLA's form, the browser's validation stops an empty email, a post answers in the
 * page (fetch, 202) and stores the lead counted as that SLA form; a bot filling the honeypot gets the same
 * answer and stores nothing. A consent text of any length, left to right or right to left, leaves the box
 * its size and a label to tap. Screenshots at 390 and 1280 px land in test-results/ for a person to look at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Form, Sla } from '../../lambdas/domain/sla-schema.ts';
import { formSnippet } from '../../lib/form-snippet.ts';
import { type E2e, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = 'test-results/form-script';

/** Consent texts as marketers write them, from a short line to a German legal paragraph, each on a form of its own. */
const CONSENT_TEXTS = [
  { formId: 'consent-de-short', lang: 'de', text: 'Newsletter abonnieren' },
  { formId: 'demo-request', lang: 'en', text: 'Send me useful content (you can unsubscribe any time)' },
  {
    formId: 'consent-de-sentence',
    lang: 'de',
    text: 'Ja, ich möchte den Newsletter der Kessler Industrial GmbH per E-Mail erhalten.',
  },
  {
    formId: 'consent-de-legal',
    lang: 'de',
    text:
      'Ja, ich möchte den Newsletter der Kessler Industrial GmbH mit Informationen zu Produkten, Veranstaltungen ' +
      'und Fachbeiträgen per E-Mail erhalten. Die Einwilligung kann ich jederzeit widerrufen, z. B. über den ' +
      'Abmeldelink in jeder E-Mail. Hinweise zum Datenschutz finden Sie in unserer Datenschutzerklärung.',
  },
  {
    formId: 'consent-de-address',
    lang: 'de',
    text: 'Einwilligung und Widerruf: https://www.kessler-industrial.example/datenschutz/newsletter-einwilligung',
  },
  {
    formId: 'consent-ar-legal',
    lang: 'ar',
    text:
      'نعم، أرغب في تلقي النشرة الإخبارية من شركة كيسلر الصناعية عبر البريد الإلكتروني، مع معلومات عن المنتجات ' +
      'والفعاليات والمقالات المتخصصة. يمكنني سحب موافقتي في أي وقت، مثلًا عبر رابط إلغاء الاشتراك في كل رسالة. ' +
      'تجدون معلومات حماية البيانات في سياسة الخصوصية لدينا.',
  },
] as const;

/** The default SLA with one more form per consent text above (German texts as the form's consentText, Arabic in consentTexts). */
function withConsentForms(sla: Sla): Sla {
  const base = sla.forms.find((form) => form.id === 'demo-request')!;
  const forms: Form[] = CONSENT_TEXTS.filter(({ formId }) => formId !== base.id).map(
    ({ formId, lang, text }) =>
      lang === 'ar'
        ? { ...base, id: formId, consentTexts: { ar: text } }
        : { ...base, id: formId, consentText: text, consentTexts: undefined },
  );
  return { ...sla, forms: [...sla.forms, ...forms] };
}

/** The consent box, once the script has taken the form in hand (rendered it, or enhanced a pasted one). */
const CONSENT_BOX = 'form.lp-form input[name="marketingConsent"]';

/** Where the page is in pixels: the consent box, its label, and the label's text (what a finger taps). */
interface ConsentGeometry {
  box: { x: number; y: number; width: number; height: number };
  label: { width: number; height: number };
  text: { left: number; right: number; centerX: number; centerY: number };
}

describe('GET /forms/{formId}.js on another site, in headless Chromium', () => {
  let e2e: E2e | undefined;
  let site: Server | undefined;
  let siteUrl = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    e2e = await startE2e({ sla: withConsentForms(loadDefaultSla()), time: { manual: MONDAY_0900_BERLIN } });
    const api = e2e.url;
    site = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      // /consent/<rendered|pasted>/<formId>/<lang>: a page in that language with one form and its consent box,
      // rendered by the script or pasted (the stack's FormSnippet) and enhanced by it; its lines as tight as
      // the browser's default (line-height: normal, under 24 px)
      const consentPage = /^\/consent\/(rendered|pasted)\/([\w-]+)\/(\w+)$/.exec(req.url ?? '');
      if (consentPage) {
        const [, how, formId, lang] = consentPage;
        const text = CONSENT_TEXTS.find((consent) => consent.formId === formId)?.text;
        const form =
          how === 'pasted'
            ? formSnippet({ apiUrl: api, formId, locale: lang, consentText: text })
            : `<script src="${api}/forms/${formId}.js" data-fields="email" data-title="none"></script>`;
        res.end(`<!doctype html><html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Kessler</title></head>
<body style="font:16px system-ui,sans-serif;margin:0;padding:1rem">
${form}
</body></html>`);
        return;
      }
      // an Arabic page: the script reads its lang and renders the form in Arabic, right to left
      if (req.url?.split('?')[0] === '/ar') {
        res.end(`<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>كيسلر: احجز عرضًا توضيحيًا</title></head><body style="font:16px/1.5 system-ui,sans-serif;margin:0;padding:1rem">
<script src="${api}/forms/demo-request.js" data-fields="email,firstName,lastName,company,jobTitle,country,employees,message"></script>
</body></html>`);
        return;
      }
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Kessler: book a demo</title></head><body style="font:16px/1.5 system-ui,sans-serif;margin:0;padding:1rem">
<h1>Book a demo</h1>
<script src="${api}/forms/demo-request.js" data-fields="email,firstName,lastName,company,jobTitle,country,employees,message" data-title="none"></script>
</body></html>`);
    });
    await new Promise<void>((resolve) => site!.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://localhost:${(site.address() as AddressInfo).port}`;
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium is not installed (${CHROMIUM}): apt-get install -y chromium`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await e2e?.close();
  });

  async function open(width: number): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width, height: 900 } });
    await page.goto(siteUrl);
    await page.locator('form[data-leadpact-form="demo-request"]').waitFor();
    return page;
  }

  it.each([390, 1280])('renders the form at %i px without horizontal scrolling', async (width) => {
    // Arrange + Act
    const page = await open(width);
    await page.screenshot({ path: `${SHOTS}/form-${width}.png`, fullPage: true });

    // Assert
    const labels = await page.locator('form label').allTextContents();
    expect(labels.slice(0, 3)).toEqual(['Work email *', 'First name', 'Last name']);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
  });

  it('stops an empty email in the browser, then answers a post in the page and stores the lead', async () => {
    // Arrange
    const page = await open(390);
    const email = 'mara.keller@alpen-molkerei.example';

    // Act: an empty email first, then the whole form
    await page.getByRole('button', { name: 'Send' }).click();
    const blocked = await page.evaluate(
      "document.querySelector('input[name=email]').validationMessage !== ''",
    );
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('First name').fill('Mara');
    await page.getByLabel('Last name').fill('Keller');
    await page.getByLabel('Company').fill('Alpen Molkerei');
    await page.getByLabel('Job title').fill('Plant Manager');
    await page.getByLabel('Country').fill('Switzerland');
    await page.getByLabel('Employees').fill('850');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/thanks-390.png`, fullPage: true });

    // Assert
    expect(blocked).toBe(true);
    expect(page.url()).toBe(`${siteUrl}/`);
    await e2e!.settle();
    const lead = await e2e!.runtime.deps.store.getLead(e2e!.leadIdOf(email));
    expect(lead?.fields).toMatchObject({
      firstName: 'Mara',
      lastName: 'Keller',
      company: 'Alpen Molkerei',
      jobTitle: 'Plant Manager',
      country: 'CH',
      employees: 850,
      formId: 'demo-request',
    });
  });

  it.each([
    ['ticked', true],
    ['not ticked', false],
  ])(
    'the consent box %s: the thank-you says to confirm by email only when it was ticked',
    async (_, tick) => {
      // Arrange: the demo request form asks for consent under double opt-in (the default)
      const page = await open(390);
      await page.getByLabel('Work email').fill(`confirm.${tick}@alpen-molkerei.example`);
      if (tick) await page.getByRole('checkbox').check();

      // Act
      await page.getByRole('button', { name: 'Send' }).click();
      const status = page.getByRole('status').filter({ hasText: 'Thank you' });
      await status.waitFor();

      // Assert (a German re-trial: a newsletter sign-up read only "We will be in touch")
      expect((await status.textContent())?.includes('confirm your address with the link in the email')).toBe(
        tick,
      );
    },
  );

  it('gives a bot that fills the honeypot the same answer and stores nothing', async () => {
    // Arrange
    const page = await open(1280);
    const email = 'bot@spam.example';
    // a person never sees it: its box is 1 px, clipped (a CSS change once showed it as a field)
    const trap = await page.locator('input[name="_gotcha"]').locator('xpath=..').boundingBox();
    expect(trap === null || (trap.width <= 1 && trap.height <= 1)).toBe(true);
    await page.getByLabel('Work email').fill(email);
    await page.locator('input[name="_gotcha"]').evaluate((input) => {
      (input as unknown as { value: string }).value = 'http://spam.example';
    });

    // Act
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();

    // Assert
    await e2e!.settle();
    expect(await e2e!.runtime.deps.store.getLead(e2e!.leadIdOf(email))).toBeUndefined();
  });

  it('answers an unknown form with 404 naming the forms there are', async () => {
    // Act
    const response = await fetch(`${e2e!.url}/forms/nope.js`);

    // Assert
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { fields: { path: string; message: string }[] } };
    expect(body.error.fields[0]).toMatchObject({
      path: 'formId',
      message: expect.stringContaining('demo-request.js'),
    });
  });

  it.each([390, 1280])(
    'on an Arabic page: the form in Arabic, right to left, at %i px without horizontal scrolling',
    async (width) => {
      // Arrange + Act
      const page = await browser!.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${siteUrl}/ar?utm_source=newsletter`);
      const form = page.locator('form[data-leadpact-form="demo-request"]');
      await form.waitFor();
      await page.screenshot({ path: `${SHOTS}/form-ar-${width}.png`, fullPage: true });

      // Assert: LeadPact's labels, the form's Arabic name (forms[].names.ar) and consent text (consentTexts.ar)
      expect(await form.getAttribute('lang')).toBe('ar');
      expect(await form.getAttribute('dir')).toBe('rtl');
      expect(await page.locator('form h2').textContent()).toBe('احجز عرضًا توضيحيًا');
      const labels = await page.locator('form label').allTextContents();
      expect(labels.slice(0, 3)).toEqual(['البريد الإلكتروني للعمل *', 'الاسم الأول', 'اسم العائلة']);
      expect(labels).toContain('أرسلوا لي محتوى مفيدًا (يمكنني إلغاء الاشتراك في أي وقت)');
      expect(await page.getByRole('button').textContent()).toBe('إرسال');
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await page.close();
    },
  );

  it('an Arabic visitor who ticks the box: answered in Arabic in the page, the lead stored in Arabic with the text they read', async () => {
    // Arrange
    const page = await browser!.newPage({ viewport: { width: 390, height: 900 } });
    await page.goto(`${siteUrl}/ar`);
    const email = 'salma.haddad@gulf-foods.example';

    // Act
    await page.getByLabel('البريد الإلكتروني للعمل').fill(email);
    await page.getByLabel('الاسم الأول').fill('سلمى');
    await page.getByLabel('المسمى الوظيفي').fill('مديرة المصنع');
    await page.getByLabel('أرسلوا لي محتوى مفيدًا').check();
    await page.getByRole('button', { name: 'إرسال' }).click();
    await page.getByRole('status').filter({ hasText: 'شكرًا لك' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/thanks-ar-390.png`, fullPage: true });

    // Assert
    await e2e!.settle();
    const lead = await e2e!.runtime.deps.store.getLead(e2e!.leadIdOf(email));
    expect(lead?.fields).toMatchObject({ firstName: 'سلمى', locale: 'ar', formId: 'demo-request' });
    expect(lead?.persona).toBe('plant-manager');
    expect(lead?.consent?.text).toBe('أرسلوا لي محتوى مفيدًا (يمكنني إلغاء الاشتراك في أي وقت)');
    // where: the page the form was on (the script adds it), without a query string
    expect(lead?.consent?.pageUrl).toBe(`${siteUrl}/ar`);
    await page.close();
  });
  it('an Arabic visitor typing on an Arabic keyboard: the employees in Arabic digits pass, and a refused email is said in Arabic', async () => {
    // Arrange
    const page = await browser!.newPage({ viewport: { width: 390, height: 900 } });
    await page.goto(`${siteUrl}/ar`);
    const email = 'karim.nasser@gulf-foods.example';

    // Act 1: an address the browser takes and LeadPact refuses (no top-level domain)
    await page.getByLabel('البريد الإلكتروني للعمل').fill('karim@gulf-foods');
    await page.getByLabel('عدد الموظفين').fill('٨٥٠');
    await page.getByRole('button', { name: 'إرسال' }).click();
    const refused = page.locator('.lp-error');
    await refused.first().waitFor();
    await page.screenshot({ path: `${SHOTS}/email-refused-ar-390.png`, fullPage: true });

    // Assert 1: the reason in Arabic beside the field, no English message of the API
    expect(await refused.allTextContents()).toEqual([
      'البريد الإلكتروني: يرجى إدخال عنوان صحيح، مثل name@company.com.',
    ]);

    // Act 2: corrected; the employees as typed
    await page.getByLabel('البريد الإلكتروني للعمل').fill(email);
    await page.getByRole('button', { name: 'إرسال' }).click();
    await page.getByRole('status').filter({ hasText: 'شكرًا لك' }).waitFor();

    // Assert 2: the browser did not stop "٨٥٠"; the lead has 850 employees
    await e2e!.settle();
    const lead = await e2e!.runtime.deps.store.getLead(e2e!.leadIdOf(email));
    expect(lead?.fields).toMatchObject({ employees: 850, locale: 'ar' });
    await page.close();
  });

  /** The email field's error, its description and the page's focus and status: what a screen reader meets. */
  const EMAIL_STATE = `(() => {
    const input = document.querySelector('form.lp-form input[name="email"]');
    const describedBy = input.getAttribute('aria-describedby');
    const description = describedBy && document.getElementById(describedBy);
    const focused = document.activeElement;
    return {
      invalid: input.getAttribute('aria-invalid'),
      description: description ? description.textContent : null,
      focused: focused === input ? 'email' : focused.getAttribute('role') || focused.tagName.toLowerCase(),
      focusedText: focused.textContent,
      status: document.querySelector('form.lp-form [role=status]').textContent,
      errorsShown: document.querySelectorAll('form.lp-form .lp-error').length,
    };
  })()`;
  interface EmailState {
    invalid: string | null;
    description: string | null;
    focused: string;
    focusedText: string;
    status: string;
    errorsShown: number;
  }

  it.each([
    {
      lang: 'en',
      path: '/',
      email: 'Work email',
      send: 'Send',
      fieldNamed: 'Email',
      reason: 'please enter a valid email address, such as name@company.com',
      tryAgain: /try again|invalid/i,
      thanks: 'Thank you',
    },
    {
      lang: 'ar',
      path: '/ar',
      email: 'البريد الإلكتروني للعمل',
      send: 'إرسال',
      fieldNamed: 'البريد الإلكتروني',
      reason: 'يرجى إدخال عنوان صحيح، مثل name@company.com',
      tryAgain: /المحاولة مرة أخرى|تعذّر/,
      thanks: 'شكرًا لك',
    },
  ])(
    'a $lang page: an email the server refuses is marked, described, focused and said in the status; corrected, the thank-you gets the focus',
    async ({ lang, path, email, send, fieldNamed, reason, tryAgain, thanks }) => {
      // Arrange
      const page = await browser!.newPage({ viewport: { width: 390, height: 900 } });
      await page.goto(`${siteUrl}${path}`);
      const emailInput = page.getByRole('textbox', { name: email });

      // Act 1: an address the browser takes and LeadPact refuses (no top-level domain), sent by the button
      await emailInput.fill('name@company');
      await page.getByRole('button', { name: send }).click();
      await page.locator('form.lp-form .lp-error').first().waitFor();
      const refused = (await page.evaluate(EMAIL_STATE)) as EmailState;
      await page.screenshot({ path: `${SHOTS}/email-refused-focus-${lang}-390.png`, fullPage: true });

      // Assert 1: marked invalid, described by the reason, focused, and the status names the field and the fix
      expect(refused.invalid).toBe('true');
      expect(refused.description).toContain(fieldNamed);
      expect(refused.description).toContain(reason);
      expect(refused.focused).toBe('email');
      expect(refused.status).toContain(fieldNamed);
      expect(refused.status).toContain(reason);
      expect(refused.status).not.toMatch(tryAgain);

      // Act 2: the visitor corrects the address (the mark goes as they type), then sends
      await emailInput.fill(`${lang}.visitor@alpen-molkerei.example`);
      const edited = (await page.evaluate(EMAIL_STATE)) as EmailState;
      await page.getByRole('button', { name: send }).click();
      await page.getByRole('status').filter({ hasText: thanks }).waitFor();
      const sent = (await page.evaluate(EMAIL_STATE)) as EmailState;

      // Assert 2: no mark nor message left; the focus on the thank-you, not lost to the page
      expect(edited).toMatchObject({ invalid: null, description: null, errorsShown: 0 });
      expect(sent).toMatchObject({ invalid: null, description: null, errorsShown: 0, focused: 'status' });
      expect(sent.focusedText).toContain(thanks);
      await page.close();
    },
  );

  it.each([
    { lang: 'en', path: '/', employees: 'Employees', hint: 'A number, such as 850 or 1,200' },
    { lang: 'ar', path: '/ar', employees: 'عدد الموظفين', hint: 'رقم، مثل ٨٥٠ أو ١٬٢٠٠' },
  ])(
    'a $lang page: employees the browser refuses are answered with what the field wants',
    async ({ path, employees, hint }) => {
      // Arrange
      const page = await browser!.newPage({ viewport: { width: 390, height: 900 } });
      await page.goto(`${siteUrl}${path}`);
      const input = page.getByRole('textbox', { name: employees });

      // Act
      await input.fill('lots');
      const check = await input.evaluate((element) => {
        const field = element as unknown as { validity: { patternMismatch: boolean }; title: string };
        return { patternMismatch: field.validity.patternMismatch, title: field.title };
      });

      // Assert: refused by the browser's check, whose bubble shows the input's title under "Please match the
      // requested format." (Chromium leaves the title out of validationMessage)
      expect(check).toEqual({ patternMismatch: true, title: hint });
      await page.close();
    },
  );

  it.each(
    [
      ...CONSENT_TEXTS.map((consent) => ({ ...consent, how: 'rendered' })),
      // the pasted form's label is the plain <label><input type=checkbox> text</label> of FormSnippet
      ...CONSENT_TEXTS.filter(({ formId }) => formId.endsWith('-legal')).map((consent) => ({
        ...consent,
        how: 'pasted',
      })),
    ].flatMap((consent) => [390, 1280].map((width) => ({ ...consent, width, length: consent.text.length }))),
  )(
    'a $length-character $lang consent text, $how, at $width px: the box keeps its size and a tap on the text ticks it',
    async ({ how, formId, lang, text, width }) => {
      // Arrange
      const page = await browser!.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${siteUrl}/consent/${how}/${formId}/${lang}`);
      const box = page.locator(CONSENT_BOX);
      await box.waitFor();
      // the page's own script (no DOM types here): the box, its label, and the words after the box in it
      const geometry = (await page.evaluate(`(() => {
        const input = document.querySelector('${CONSENT_BOX}');
        const label = input.closest('label');
        const words = document.createRange();
        words.selectNodeContents(label);
        words.setStartAfter(input);
        const text = words.getBoundingClientRect();
        const { x, y, width, height } = input.getBoundingClientRect();
        const outer = label.getBoundingClientRect();
        return {
          box: { x, y, width, height },
          label: { width: outer.width, height: outer.height },
          text: { left: text.left, right: text.right, centerX: text.left + text.width / 2, centerY: text.top + 12 },
        };
      })()`)) as ConsentGeometry;
      await page.screenshot({
        path: `${SHOTS}/consent-${how}-${lang}-${text.length}-${width}.png`,
        fullPage: true,
      });

      // Act: a finger on the words, not on the box
      await page.mouse.click(geometry.text.centerX, geometry.text.centerY);

      // Assert: the box a square of its default size at least (neither squeezed nor stretched), beside the words
      // (at their start: right in Arabic), a label to tap of 24 x 24 px at least (WCAG 2.5.8), the text
      // consented to, ticked, no sideways scroll
      expect(geometry.box.width).toBeGreaterThanOrEqual(13);
      expect(geometry.box.width).toBeCloseTo(geometry.box.height, 0);
      if (lang === 'ar') expect(geometry.box.x).toBeGreaterThanOrEqual(geometry.text.right);
      else expect(geometry.box.x + geometry.box.width).toBeLessThanOrEqual(geometry.text.left);
      expect(geometry.label.width).toBeGreaterThanOrEqual(24);
      expect(geometry.label.height).toBeGreaterThanOrEqual(24);
      expect((await box.locator('xpath=..').textContent())?.trim()).toBe(text);
      expect(await box.isChecked()).toBe(true);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await page.close();
    },
  );
});
