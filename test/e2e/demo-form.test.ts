/**
 * The demo page as a newcomer uses it: headless Chromium (the Debian package, driven by playwright-core)
 * opens the runtime's `/`, fills the lead form, submits it as a plain HTML form post, lands on /thanks;
 * the rep's "New SQL" email is then in the SES emulator, and its inbox viewer lists it.
 *
 * Chromium is required: without it this test fails and says how to install it (CI installs it when
 * .ci/needs-chromium exists, see .ci/run).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { type E2e, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';

const JONAS = 'jonas.berger@kessler-industrial.example';
const SHOTS = 'test-results/demo-page';

describe('the demo page in headless Chromium', () => {
  let e2e: E2e | undefined;
  beforeAll(async () => {
    // Mon 09:00 Berlin: the Berlin reps are at work
    e2e = await startE2e({ time: { manual: MONDAY_0900_BERLIN } });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('a plant manager at a big food company books a demo: /thanks, then the rep\'s "New SQL" email in the inbox', async () => {
    // Arrange
    const e = e2e!;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${e.url}/`);

      // Act: the form, filled as a visitor would
      await page.getByLabel('First name').fill('Greta');
      await page.getByLabel('Last name').fill('Hoffmann');
      await page.getByLabel('Work email').fill('greta.hoffmann@nordsee-feinkost.example');
      // the cadence starts with a call, so the form asks for a number and the rep's email shows it
      await page.getByLabel('Phone').fill('+49 40 1234 5678');
      await page.getByLabel('Company').fill('Nordsee Feinkost GmbH');
      await page.getByLabel('Job title').fill('Plant Manager');
      await page.getByLabel('Country').fill('DE');
      await page.getByLabel('Employees').fill('2400');
      await page.getByLabel('Industry').selectOption('food-and-beverage');
      await page.getByLabel('Interested in').selectOption('compressors');
      await page.getByLabel('What do you need?').selectOption({ label: 'Book a demo' });
      await page.getByLabel('Message').fill('Two of our lines need new compressors next year.');
      const posted = page.waitForResponse(
        (r) => r.url() === `${e.url}/leads` && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: 'Send' }).click();
      const response = await posted;
      const answer = { status: response.status(), location: response.headers().location };
      const body = answer.status === 303 ? '' : await response.text();
      await e.settle();

      // Assert: redirected to the thank-you page; an SQL handed to Jonas; his email in the SES emulator's store
      expect(answer, body).toEqual({ status: 303, location: `${e.url}/thanks` });
      await page.waitForURL(`${e.url}/thanks`);
      expect(await page.locator('h1').textContent()).toBe('Thank you!');
      const lead = await e.readLead(e.leadIdOf('greta.hoffmann@nordsee-feinkost.example'));
      // fit 75 (tier A) + demo request 60 + plant-manager bonus 10 = 145: just at the SQL threshold
      expect(lead).toMatchObject({ lifecycleStage: 'sql', leadStatus: 'new', owner: { id: 'jonas' } });
      const subject = 'New SQL: Greta Hoffmann (Nordsee Feinkost GmbH) - first touch by 13:00 CET';
      const mails = await e.mailsTo(JONAS);
      expect(mails.map((mail) => mail.subject)).toEqual([subject]);
      expect(mails[0]!.text).toContain('Job title: Plant Manager');
      expect(mails[0]!.text).toMatch(/Phone:\s+\+49 40 1234 5678\n/);

      // Assert: the inbox viewer (linked from the thank-you page) lists it
      const inboxLink = page.getByRole('link', { name: 'see the email in the inbox' });
      expect(await inboxLink.getAttribute('href')).toBe(e.runtime.mail.inboxUrl);
      const inbox = await browser.newPage();
      await inbox.goto(e.runtime.mail.inboxUrl);
      const card = inbox.locator('.email', { hasText: subject });
      await card.waitFor();
      expect(await card.textContent()).toContain(`To: ${JONAS}`);
    } finally {
      await browser.close();
    }
  });
});

describe('the demo page at a phone width', () => {
  let e2e: E2e | undefined;
  beforeAll(async () => {
    e2e = await startE2e({ time: { manual: MONDAY_0900_BERLIN } });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it.each([
    ['a bad "Employees" value', 'lots', 'ada.lenient@plant.example', `/thanks`, 'Thank you!'],
    ['a bad email', '850', 'not-an-email', '/leads', 'Please check the form'],
  ])(
    '%s: an HTML page, never raw JSON, and no horizontal scroll at 390 px',
    async (_case, employees, email, path, heading) => {
      // Arrange
      const e = e2e!;
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
        await page.goto(`${e.url}/`);
        const fits = (await page.evaluate('document.documentElement.scrollWidth')) as number;

        // Act
        await page.getByLabel('First name').fill('Ada');
        await page.getByLabel('Work email').fill(email);
        await page.getByLabel('Employees').fill(employees);
        // past the browser's own email check, as an older browser would post it
        await page.evaluate("document.querySelector('form').setAttribute('novalidate', '')");
        await Promise.all([
          page.waitForURL(`${e.url}${path}`),
          page.getByRole('button', { name: 'Send' }).click(),
        ]);

        // Assert
        expect(fits).toBeLessThanOrEqual(390);
        expect(await page.locator('h1').textContent()).toBe(heading);
        expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(
          390,
        );
        if (path === '/thanks') {
          await e.settle();
          const stored = await e.runtime.deps.store.getLead(e.leadIdOf(email));
          expect(stored?.fieldIssues?.map((issue) => issue.field)).toEqual(['employees']);
        }
      } finally {
        await browser.close();
      }
    },
  );

  it('in Arabic (the page offers the switch): right to left, Arabic labels, no scroll at 390 px; the lead stored in Arabic', async () => {
    // Arrange
    const e = e2e!;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${e.url}/`);
      await Promise.all([
        page.waitForURL(`${e.url}/?lang=ar`),
        page.getByRole('link', { name: 'العربية' }).click(),
      ]);
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}/demo-ar-1280.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 800 });
      await page.screenshot({ path: `${SHOTS}/demo-ar-390.png`, fullPage: true });
      const layout = (await page.evaluate(
        "({ lang: document.documentElement.lang, dir: document.documentElement.dir, width: document.documentElement.scrollWidth, h1: document.querySelector('h1').textContent })",
      )) as { lang: string; dir: string; width: number; h1: string };
      const email = 'salma.demo@gulf-foods.example';

      // Act
      await page.getByLabel('الاسم الأول').fill('سلمى');
      await page.getByLabel('البريد الإلكتروني للعمل').fill(email);
      await page.getByLabel('المسمى الوظيفي').fill('مديرة المصنع');
      await Promise.all([
        page.waitForURL(`${e.url}/thanks?lang=ar`),
        page.getByRole('button', { name: 'إرسال' }).click(),
      ]);
      await page.screenshot({ path: `${SHOTS}/demo-thanks-ar-390.png`, fullPage: true });

      // Assert
      expect(layout).toEqual({ lang: 'ar', dir: 'rtl', width: 390, h1: 'اطلب عرضًا توضيحيًا' });
      expect(await page.locator('h1').textContent()).toBe('شكرًا لك!');
      expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(
        390,
      );
      await e.settle();
      const stored = await e.runtime.deps.store.getLead(e.leadIdOf(email));
      expect(stored?.fields).toMatchObject({ locale: 'ar', jobTitle: 'مديرة المصنع' });
      expect(stored?.persona).toBe('plant-manager');
    } finally {
      await browser.close();
    }
  });
});
