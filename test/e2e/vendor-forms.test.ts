/**
 * Drop-in capture: forms shaped as Salesforce Web-to-Lead, HubSpot (Forms API v3 JSON), Mautic (multipart,
 * mauticform[...]), Webflow and Netlify generate them, written from each vendor's documentation, served
 * by a second local web server (another origin) and submitted from headless Chromium with only the action
 * URL (HubSpot: the endpoint) pointed at LeadPact. Each lead is stored with its email, names, company, job
 * title and country mapped, and the browser lands on the right page; a filled Netlify honeypot stores
 * nothing and gets the same answer. Also: an Arabic windows-1256 page, a file upload, a bad email.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2e, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';

const CHROMIUM = '/usr/bin/chromium';

/** The vendor pages, as each vendor's docs show them, with the action pointed at LeadPact (`API`). */
function pages(api: string, site: string): Record<string, { html: string; charset?: string }> {
  return {
    '/salesforce': {
      html: `<form action="${api}/leads?encoding=UTF-8&utm_source=linkedin&utm_campaign=spring&gclid=G-123" method="POST">
<input type=hidden name="oid" value="00D5g000001AbCd">
<input type=hidden name="retURL" value="${site}/thanks">
<label for="first_name">First Name</label><input id="first_name" maxlength="40" name="first_name" size="20" type="text">
<label for="last_name">Last Name</label><input id="last_name" maxlength="80" name="last_name" size="20" type="text">
<label for="email">Email</label><input id="email" maxlength="80" name="email" size="20" type="text">
<label for="company">Company</label><input id="company" maxlength="40" name="company" size="20" type="text">
<label for="title">Title</label><input id="title" maxlength="40" name="title" size="20" type="text">
<label for="country">Country</label><input id="country" maxlength="40" name="country" size="20" type="text">
<label for="phone">Phone</label><input id="phone" maxlength="40" name="phone" size="20" type="text">
<label for="description">Description</label><textarea id="description" name="description"></textarea>
<label for="00N5g00000AbCdE">Products:</label><select id="00N5g00000AbCdE" multiple name="00N5g00000AbCdE" title="Products"><option value="Compressors">Compressors</option><option value="Pumps">Pumps</option><option value="Service">Service</option></select>
<input type="submit" name="submit">
</form>`,
    },
    '/hubspot': {
      html: `<form id="hs"><label>Email <input name="email" type="email"></label><label>First name <input name="firstname"></label>
<label>Last name <input name="lastname"></label><label>Company <input name="company"></label><label>Job title <input name="jobtitle"></label>
<label>Country/Region <input name="country"></label><label><input type="checkbox" name="consent" checked> I agree to receive marketing emails.</label>
<button type="submit">Submit</button></form><p id="answer"></p>
<script>
document.getElementById('hs').addEventListener('submit', function (event) {
  event.preventDefault();
  var form = event.target;
  var fields = ['email', 'firstname', 'lastname', 'company', 'jobtitle', 'country'].map(function (name) {
    return { objectTypeId: '0-1', name: name, value: form.elements[name].value };
  });
  fetch('${api}/leads', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      fields: fields,
      context: { pageUri: location.href, pageName: 'Book a demo', hutk: 'a1b2c3d4e5f6' },
      legalConsentOptions: { consent: { consentToProcess: true, text: 'I agree to allow Kessler to store and process my personal data.',
        communications: [{ value: form.elements.consent.checked, subscriptionTypeId: 999, text: 'I agree to receive marketing emails.' }] } }
    })
  }).then(function (r) { return r.json().then(function (b) { document.getElementById('answer').textContent = r.status + ' ' + JSON.stringify(b); }); });
});
</script>`,
    },
    '/mautic': {
      html: `<div id="mauticform_wrapper_demo" class="mauticform_wrapper">
<form autocomplete="false" role="form" method="post" action="${api}/leads?formId=demo-request" id="mauticform_demo" data-mautic-form="demo" enctype="multipart/form-data">
<label for="mauticform_input_demo_email">Email</label><input id="mauticform_input_demo_email" name="mauticform[email]" value="" class="mauticform-input" type="email">
<label for="mauticform_input_demo_first_name">First Name</label><input id="mauticform_input_demo_first_name" name="mauticform[firstname]" value="" type="text">
<label for="mauticform_input_demo_last_name">Last Name</label><input id="mauticform_input_demo_last_name" name="mauticform[lastname]" value="" type="text">
<label for="mauticform_input_demo_company">Company</label><input id="mauticform_input_demo_company" name="mauticform[company]" value="" type="text">
<label for="mauticform_input_demo_position">Position</label><input id="mauticform_input_demo_position" name="mauticform[position]" value="" type="text">
<label for="mauticform_input_demo_country">Country</label><select id="mauticform_input_demo_country" name="mauticform[country]"><option value="Austria">Austria</option><option value="Germany">Germany</option></select>
<button type="submit" name="mauticform[submit]" id="mauticform_input_demo_submit" value="">Submit</button>
<input type="hidden" name="mauticform[formId]" id="mauticform_demo_id" value="3">
<input type="hidden" name="mauticform[return]" id="mauticform_demo_return" value="${site}/thanks">
<input type="hidden" name="mauticform[formName]" id="mauticform_demo_name" value="demo">
</form></div>`,
    },
    '/webflow': {
      html: `<div class="w-form"><form id="email-form" name="email-form" data-name="Email Form" method="post" action="${api}/leads">
<label for="Name">Name</label><input type="text" class="w-input" maxlength="256" name="Name" data-name="Name" id="Name">
<label for="Email">Email Address</label><input type="email" class="w-input" maxlength="256" name="Email" data-name="Email" id="Email" required>
<label for="Company">Company</label><input type="text" class="w-input" maxlength="256" name="Company" data-name="Company" id="Company">
<label for="Job-Title">Job Title</label><input type="text" class="w-input" maxlength="256" name="Job-Title" data-name="Job Title" id="Job-Title">
<label for="Country">Country</label><input type="text" class="w-input" maxlength="256" name="Country" data-name="Country" id="Country">
<label for="Message">Message</label><textarea name="Message" maxlength="5000" id="Message" class="w-input"></textarea>
<input type="submit" value="Submit" class="w-button"></form></div>`,
    },
    '/netlify': {
      html: `<form name="contact" method="POST" netlify-honeypot="bot-field" data-netlify="true" action="${api}/leads">
<input type="hidden" name="form-name" value="contact">
<p style="display:none"><label>Don’t fill this out if you’re human: <input name="bot-field"></label></p>
<p><label>Your Name: <input type="text" name="name"></label></p>
<p><label>Your Email: <input type="email" name="email"></label></p>
<p><label>Company: <input type="text" name="company"></label></p>
<p><label>Role: <input type="text" name="role"></label></p>
<p><label>Country: <input type="text" name="country"></label></p>
<p><label>Message: <textarea name="message"></textarea></label></p>
<p><button type="submit">Send</button></p></form>`,
    },
    '/arabic': {
      charset: 'windows-1256',
      html: `<form method="post" action="${api}/leads" accept-charset="windows-1256">
<input type="hidden" name="_charset_"><label>البريد <input name="email"></label><label>الاسم <input name="firstName"></label>
<label>المسمى الوظيفي <input name="jobTitle"></label><label>البلد <input name="country"></label><button type="submit">إرسال</button></form>`,
    },
    '/upload': {
      html: `<form method="post" action="${api}/leads" enctype="multipart/form-data"><label>Email <input name="email"></label>
<label>CV <input type="file" name="cv"></label><button type="submit">Send</button></form>`,
    },
    '/thanks': { html: '<h1>Thanks from the site</h1>' },
  };
}

async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed (${CHROMIUM} is missing): apt-get update && apt-get install -y chromium`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
}

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
      // windows-1256: the page's Arabic in its own bytes (TextEncoder only writes UTF-8)
      res.end(charset === 'utf-8' ? html : encode1256(html));
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

/** HTML with Arabic text as windows-1256 bytes (ASCII as is). */
function encode1256(text: string): Buffer {
  const decoder = new TextDecoder('windows-1256');
  const table = new Map<string, number>();
  for (let byte = 0x80; byte <= 0xff; byte++) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  return Buffer.from(
    [...text].map((char) => (char.charCodeAt(0) < 0x80 ? char.charCodeAt(0) : (table.get(char) ?? 0x3f))),
  );
}
