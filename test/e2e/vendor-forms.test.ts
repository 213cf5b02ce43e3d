/**
 * Drop-in capture: forms shaped as Salesforce Web-to-Lead, HubSpot (Forms API v3 JSON), Mautic (multipart,
 * mauticform[...]), Webflow and Netlify generate them, written from each vendor's documentation, served
 * by a second local web server (another origin) and submitted from headless Chromium with only the action
 * URL (HubSpot: the endpoint) pointed at LeadPact. Each lead is stored with its email, names, company, job
 * title and country mapped, and the browser lands on the right page; a filled Netlify honeypot stores
 * nothing and gets the same answer. Also: an Arabic windows-1256 page, an old ISO-8859-1 page that names no
 * charset, a file upload, a bad email.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { type E2e, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';
import { pageBytes, vendorPages as pages } from '../support/vendor-pages.ts';

describe('vendor forms pointed at LeadPact, from another origin in headless Chromium', () => {
  let e2e: E2e | undefined;
  let site: Server | undefined;
  let siteUrl = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    e2e = await startE2e({ time: { manual: MONDAY_0900_BERLIN } });
    const api = e2e.url;
    site = createServer((req, res) => {
      const page = pages(api, siteUrl)[new URL(req.url ?? '/', 'http://x').pathname];
      if (!page) {
        res.writeHead(404).end();
        return;
      }
      const charset = page.charset ?? 'utf-8';
      res.writeHead(200, { 'content-type': `text/html; charset=${charset}` });
      const html = `<!doctype html><html><head><meta charset="${charset}"><title>site</title></head><body>${page.html}</body></html>`;
      // windows-1256, ISO-8859-1: the page's text in its own bytes (TextEncoder only writes UTF-8)
      res.end(pageBytes(html, charset));
    });
    await new Promise<void>((resolve) => site!.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://localhost:${(site.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await e2e?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser!.newPage();
    await page.goto(`${siteUrl}${path}`);
    return page;
  }

  async function stored(email: string) {
    await e2e!.settle();
    return e2e!.runtime.deps.store.getLead(e2e!.leadIdOf(email));
  }

  it('Salesforce Web-to-Lead: names, title, country name, 00N multi-select, UTM and gclid from the action URL, then retURL', async () => {
    // Arrange
    const page = await open('/salesforce');
    const email = 'greta.hoffmann@nordsee-feinkost.example';

    // Act
    await page.fill('#first_name', 'Greta');
    await page.fill('#last_name', 'Hoffmann');
    await page.fill('#email', email);
    await page.fill('#company', 'Nordsee Feinkost GmbH');
    await page.fill('#title', 'Plant Manager');
    await page.fill('#country', 'Germany');
    await page.fill('#phone', '+49 40 1234 5678 ext. 12');
    await page.fill('#description', 'Two lines need new compressors.');
    await page.selectOption('select[name="00N5g00000AbCdE"]', ['Compressors', 'Pumps']);
    await Promise.all([page.waitForURL(`${siteUrl}/thanks`), page.click('input[type=submit]')]);

    // Assert
    expect(await page.locator('h1').textContent()).toBe('Thanks from the site');
    const lead = await stored(email);
    expect(lead?.fields).toMatchObject({
      firstName: 'Greta',
      lastName: 'Hoffmann',
      company: 'Nordsee Feinkost GmbH',
      jobTitle: 'Plant Manager',
      country: 'DE',
      phone: '+49 40 1234 5678 ext. 12',
      message: 'Two lines need new compressors.',
      '00N5g00000AbCdE': 'Compressors; Pumps',
      utm_source: 'linkedin',
      utm_campaign: 'spring',
      gclid: 'G-123',
    });
    expect(lead?.persona).toBe('plant-manager');
    expect(lead?.fieldIssues ?? []).toEqual([]);
  });

  it('HubSpot Forms API v3 JSON from fetch: fields[], context and the consent recorded; 202 JSON to the script', async () => {
    // Arrange
    const page = await open('/hubspot');
    const email = 'sam.reed@acme-foods.example';

    // Act
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('First name').fill('Sam');
    await page.getByLabel('Last name').fill('Reed');
    await page.getByLabel('Company').fill('Acme Foods');
    await page.getByLabel('Job title').fill('Maintenance Engineer');
    await page.getByLabel('Country/Region').fill('United States');
    await page.click('button[type=submit]');
    await page.locator('#answer').filter({ hasText: '202' }).waitFor();

    // Assert
    expect(await page.locator('#answer').textContent()).toBe(`202 {"leadId":"${e2e!.leadIdOf(email)}"}`);
    const lead = await stored(email);
    expect(lead?.fields).toMatchObject({
      firstName: 'Sam',
      lastName: 'Reed',
      company: 'Acme Foods',
      jobTitle: 'Maintenance Engineer',
      country: 'US',
      pageUrl: `${siteUrl}/hubspot`,
      hutk: 'a1b2c3d4e5f6',
    });
    expect(lead?.marketingConsent).toBe(true);
    expect(lead?.legalConsents).toEqual([
      expect.objectContaining({
        source: 'hubspot',
        consentToProcess: true,
        communications: [
          { given: true, subscriptionTypeId: '999', text: 'I agree to receive marketing emails.' },
        ],
      }),
    ]);
  });

  it("HubSpot's own HTML form (LEGAL_CONSENT.* checkboxes, hs_context): the consent recorded, the page kept, then hs_context's thank-you page", async () => {
    // Arrange
    const page = await open('/hubspot-html');
    const email = 'ines.vogt@acme-foods.example';

    // Act
    await page.fill('input[name=email]', email);
    await page.fill('input[name=firstname]', 'Ines');
    await page.fill('input[name=company]', 'Acme Foods');
    await page.getByLabel('I agree to receive other communications from Kessler.').check();
    await Promise.all([page.waitForURL(`${siteUrl}/thanks`), page.click('input[type=submit]')]);

    // Assert: before, the ticked box was a custom field and the lead had no consent; hs_context (the visitor's IP
    // address in it) a custom field too
    const lead = await stored(email);
    expect(lead?.marketingConsent).toBe(true);
    expect(lead?.legalConsents).toEqual([
      expect.objectContaining({
        source: 'hubspot',
        consentToProcess: true,
        communications: [{ given: true, subscriptionTypeId: '999' }],
      }),
    ]);
    expect(lead?.fields).toMatchObject({
      firstName: 'Ines',
      company: 'Acme Foods',
      pageUrl: `${siteUrl}/hubspot-html`,
      hutk: 'f00dfeed',
    });
    expect(JSON.stringify(lead)).not.toContain('203.0.113.7');
    expect(lead?.fieldIssues ?? []).toEqual([]);
  });

  it('Mautic: multipart mauticform[...] fields, position as the job title, then mauticform[return]', async () => {
    // Arrange
    const page = await open('/mautic');
    const email = 'lea.braun@werk-ag.example';

    // Act
    await page.fill('#mauticform_input_demo_email', email);
    await page.fill('#mauticform_input_demo_first_name', 'Lea');
    await page.fill('#mauticform_input_demo_last_name', 'Braun');
    await page.fill('#mauticform_input_demo_company', 'Werk AG');
    await page.fill('#mauticform_input_demo_position', 'Plant Manager');
    await page.selectOption('#mauticform_input_demo_country', 'Austria');
    await Promise.all([page.waitForURL(`${siteUrl}/thanks`), page.click('#mauticform_input_demo_submit')]);

    // Assert
    const lead = await stored(email);
    expect(lead?.fields).toMatchObject({
      firstName: 'Lea',
      lastName: 'Braun',
      company: 'Werk AG',
      jobTitle: 'Plant Manager',
      country: 'AT',
      formId: 'demo-request',
      mauticFormId: '3',
    });
  });

  it("Webflow: label-named fields in any case, the name split, LeadPact's own thank-you page", async () => {
    // Arrange
    const page = await open('/webflow');
    const email = 'omar.haddad@nile-foods.example';

    // Act
    await page.fill('#Name', 'Omar Haddad');
    await page.fill('#Email', email);
    await page.fill('#Company', 'Nile Foods');
    await page.fill('#Job-Title', 'Plant Manager');
    await page.fill('#Country', 'Egypt');
    await page.fill('#Message', 'Please call me.');
    await Promise.all([page.waitForURL(`${e2e!.url}/leads`), page.click('input[type=submit]')]);

    // Assert
    expect(await page.locator('h1').textContent()).toBe('Thank you');
    const lead = await stored(email);
    expect(lead?.fields).toMatchObject({
      firstName: 'Omar',
      lastName: 'Haddad',
      company: 'Nile Foods',
      jobTitle: 'Plant Manager',
      country: 'EG',
      message: 'Please call me.',
    });
  });

  it('Netlify: the name split, role as the job title; a filled bot-field stores nothing and gets the same page', async () => {
    // Arrange
    const person = await open('/netlify');
    const bot = await open('/netlify');
    const email = 'ines.costa@lisboa-bebidas.example';
    const botEmail = 'bot@spam.example';
    const fill = async (page: Page, address: string) => {
      await page.getByLabel('Your Name').fill('Ines Costa');
      await page.getByLabel('Your Email').fill(address);
      await page.getByLabel('Company').fill('Lisboa Bebidas');
      await page.getByLabel('Role').fill('Plant Manager');
      await page.getByLabel('Country').fill('Portugal');
    };

    // Act
    await fill(person, email);
    await fill(bot, botEmail);
    // a bot fills every input, the hidden one too
    await bot.locator('input[name="bot-field"]').evaluate((input) => {
      (input as unknown as { value: string }).value = 'http://spam.example';
    });
    const [personAnswer] = await Promise.all([
      person.waitForResponse((r) => r.url() === `${e2e!.url}/leads`),
      person.click('button[type=submit]'),
    ]);
    const [botAnswer] = await Promise.all([
      bot.waitForResponse((r) => r.url() === `${e2e!.url}/leads`),
      bot.click('button[type=submit]'),
    ]);

    // Assert
    expect(botAnswer.status()).toBe(personAnswer.status());
    expect(await bot.locator('h1').textContent()).toBe(await person.locator('h1').textContent());
    expect((await stored(email))?.fields).toMatchObject({
      firstName: 'Ines',
      lastName: 'Costa',
      company: 'Lisboa Bebidas',
      jobTitle: 'Plant Manager',
      country: 'PT',
      formName: 'contact',
    });
    expect(await stored(botEmail)).toBeUndefined();
  });

  it('a windows-1256 page: its Arabic stored as written, the country named in Arabic mapped', async () => {
    // Arrange
    const page = await open('/arabic');
    const email = 'omar.farouk@cairo-dairy.example';

    // Act
    await page.getByLabel('البريد').fill(email);
    await page.getByLabel('الاسم').fill('عمر');
    await page.getByLabel('المسمى الوظيفي').fill('مدير المصنع');
    await page.getByLabel('البلد').fill('مصر');
    await Promise.all([page.waitForURL(`${e2e!.url}/leads`), page.click('button[type=submit]')]);

    // Assert
    expect((await stored(email))?.fields).toMatchObject({
      firstName: 'عمر',
      jobTitle: 'مدير المصنع',
      country: 'EG',
    });
  });

  it('a windows-1256 page that names no charset: the lead kept, the Arabic values flagged with their bytes, never stored as garbage', async () => {
    // Arrange
    const page = await open('/arabic-unlabelled');
    const email = 'huda.salem@delta-mills.example';

    // Act
    await page.getByLabel('البريد').fill(email);
    await page.getByLabel('الاسم').fill('هدى');
    await page.getByLabel('المسمى الوظيفي').fill('مديرة المصنع');
    await Promise.all([page.waitForURL(`${e2e!.url}/leads`), page.click('button[type=submit]')]);

    // Assert
    expect(await page.locator('h1').textContent()).toBe('Thank you');
    const lead = await stored(email);
    expect(lead?.fields).not.toHaveProperty('firstName');
    expect(lead?.fields).not.toHaveProperty('jobTitle');
    expect(JSON.stringify(lead?.fields)).not.toContain('\ufffd');
    expect(lead?.fieldIssues?.map((issue) => issue.field)).toEqual(['firstName', 'jobTitle']);
    const bytes = (value: string) =>
      Buffer.from(
        value.replace(/%([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
        'latin1',
      );
    expect(new TextDecoder('windows-1256').decode(bytes(lead!.fieldIssues![1]!.value))).toBe('مديرة المصنع');
  });

  it('an old ISO-8859-1 page that names no charset: its umlauts read as windows-1252, the names, company and title stored', async () => {
    // Arrange
    const page = await open('/latin1-unlabelled');
    const email = 'joerg.mueller@kaelte-mueller.example';
    await page.getByLabel('E-Mail').fill(email);
    await page.getByLabel('Vorname').fill('Jörg');
    await page.getByLabel('Nachname').fill('Müller');
    await page.getByLabel('Firma').fill('Müller Kältetechnik GmbH');
    await page.getByLabel('Position').fill('Geschäftsführer');

    // Act
    const [post] = await Promise.all([
      page.waitForRequest((request) => request.url() === `${e2e!.url}/leads`),
      page.waitForURL(`${e2e!.url}/leads`),
      page.click('button[type=submit]'),
    ]);

    // Assert: the browser sent the page's bytes and named no charset
    expect(post.postData()).toContain('lastName=M%FCller');
    expect(await post.headerValue('content-type')).toBe('application/x-www-form-urlencoded');
    expect(await page.locator('h1').textContent()).toBe('Thank you');
    const lead = await stored(email);
    expect(lead?.fields).toMatchObject({
      firstName: 'Jörg',
      lastName: 'Müller',
      company: 'Müller Kältetechnik GmbH',
      jobTitle: 'Geschäftsführer',
    });
    expect(lead?.fieldIssues ?? []).toEqual([]);
  });

  it.each<[string, string, (page: Page) => Promise<void>, number, string]>([
    [
      'a file upload',
      '/upload',
      async (page) => {
        await page.getByLabel('Email').fill('cv@example.com');
        await page
          .getByLabel('CV')
          .setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
      },
      415,
      'Files cannot be sent with a lead',
    ],
    [
      'a bad email',
      '/netlify',
      async (page) => {
        await page.getByLabel('Your Email').fill('not an email');
        // past the browser's own check, as an older browser or a script would post it
        await page.evaluate("document.querySelector('form').setAttribute('novalidate', '')");
      },
      400,
      'Email: please enter a valid email address',
    ],
  ])('%s: an HTML page that says what to fix, nothing stored', async (_case, path, fill, status, text) => {
    // Arrange
    const page = await open(path);
    await fill(page);

    // Act
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${e2e!.url}/leads`),
      page.click('button[type=submit]'),
    ]);

    // Assert
    expect(answer.status()).toBe(status);
    expect(answer.headers()['content-type']).toContain('text/html');
    expect(await page.locator('body').textContent()).toContain(text);
    expect(await stored('cv@example.com')).toBeUndefined();
  });
});
