/**
 * POST /leads, the public route web forms post to, through the real local server (dynalite, the DynamoDB
 * store, a RecordingWorkflow) over a socket: form and JSON posts, repeat and concurrent posts of one email,
 * the honeypot, thank-you redirects, CORS and throttling (rejected posts: api-leads-rejected.test.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import { pageText } from '../../lambdas/domain/page-text.ts';
import { startApiServer } from '../../local/http-server.ts';
import {
  ALLOWED_ORIGIN,
  type ApiResponse,
  DAY,
  expectError,
  expectNothingStored,
  OTHER_ORIGIN,
  type RequestOptions,
  useLocalApi,
} from '../support/local-api.ts';

const LEAD_ID = /^[A-Za-z0-9_-]{22}$/;

describe('POST /leads', () => {
  const api = useLocalApi();

  describe('accepted posts', () => {
    it.each<[string, (email: string) => RequestOptions]>([
      [
        'a plain HTML form post',
        (email) => ({
          form: {
            email,
            firstName: 'Petra',
            jobTitle: 'Plant Manager',
            employees: '850',
            revenue: '140,000,000',
            country: 'de',
            industry: 'food-and-beverage',
            marketingConsent: 'on',
            formId: 'demo-request',
          },
        }),
      ],
      [
        'a JSON post',
        (email) => ({
          json: {
            email,
            firstName: 'Petra',
            jobTitle: 'Plant Manager',
            employees: 850,
            revenue: 140_000_000,
            country: 'DE',
            industry: 'food-and-beverage',
            marketingConsent: true,
            formId: 'demo-request',
          },
        }),
      ],
    ])('accepts %s: 202 {leadId}, the lead stored, judged and its workflow started', async (_kind, make) => {
      // Arrange
      const email = api.uniqueEmail('petra');

      // Act
      const response = await api.request('POST', '/leads', { token: null, ...make(email) });

      // Assert
      expect(response.status, response.text).toBe(202);
      expect(response.body).toEqual({ leadId: api.leadIdOf(email) });
      const leadId = (response.body as { leadId: string }).leadId;
      expect(leadId).toMatch(LEAD_ID);
      const stored = await api.runtime.deps.store.getLead(leadId);
      expect(stored).toMatchObject({
        email,
        fields: { firstName: 'Petra', employees: 850, revenue: 140_000_000, country: 'DE' },
        marketingConsent: true,
        stage: 'sql',
        leadType: 'equipment-sales',
        persona: 'plant-manager',
        version: 1,
      });
      const events = await api.runtime.deps.store.listEvents(leadId);
      expect(events).toMatchObject([{ type: 'demo_request', properties: { formId: 'demo-request' } }]);
      expect(api.workflowCalls(leadId)).toEqual([{ action: 'start', detail: 'cycle 1' }]);
    });

    it("counts a post as the action URL's SLA form when its own form id field names none (Elementor, Marketo)", async () => {
      // Arrange: a WordPress/Marketo form keeps its own form id field; the action URL names the SLA form
      const email = api.uniqueEmail('elementor');
      const form = { email, form_id: 'a1b2c3d', post_id: '42', marketingConsent: 'on' };

      // Act
      const response = await api.request('POST', '/leads?formId=demo-request', { token: null, form });

      // Assert: the SLA form's event, tags and consent text; the vendor's id kept as an issue
      expect(response.status, response.text).toBe(202);
      const leadId = api.leadIdOf(email);
      const events = await api.runtime.deps.store.listEvents(leadId);
      expect(events).toMatchObject([
        { type: 'demo_request', contentTags: ['pricing'], properties: { formId: 'demo-request' } },
      ]);
      const stored = await api.runtime.deps.store.getLead(leadId);
      expect(stored?.fields).toMatchObject({ formId: 'demo-request', post_id: '42' });
      expect(stored?.consent).toMatchObject({ formId: 'demo-request', text: api.sla.forms[0]!.consentText });
      expect(stored?.fieldIssues).toEqual([
        { field: 'form_id', value: 'a1b2c3d', message: expect.stringContaining('demo-request') },
      ]);
    });

    it("reads Marketo's own form post (Forms 2.0 names, its hidden fields): Title is the job title, the referrer the page, nothing of its tracking kept", async () => {
      // Arrange: the post Marketo's forms2.min.js makes, its action pointed at LeadPact (the URL names the SLA form)
      const email = api.uniqueEmail('greta');
      const make = (email: string): RequestOptions => ({
        form: {
          munchkinId: '123-ABC-456',
          formid: '1045',
          formVid: '1045',
          _mktoReferrer: 'https://www.kessler-industrial.example/demo?utm_source=linkedin',
          _mkt_trk: 'id:123-ABC-456&token:_mch-example.com-1700000000000-12345',
          checksumFields: 'Email,FirstName',
          checksum: 'a1b2c3',
          Email: email,
          FirstName: 'Greta',
          LastName: 'Hoffmann',
          Title: 'Plant Manager',
          Company: 'Nordsee Feinkost GmbH',
          Phone: '+49 40 1234567',
          Country: 'Germany',
          NumberOfEmployees: '850',
          Industry: 'food-and-beverage',
          LeadSource: 'Website',
          Unsubscribed: 'yes',
        },
      });

      // Act
      const response = await api.request('POST', '/leads?formId=demo-request', {
        token: null,
        ...make(email),
      });

      // Assert
      expect(response.status, response.text).toBe(202);
      const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
      expect(stored?.fields).toMatchObject({
        firstName: 'Greta',
        lastName: 'Hoffmann',
        jobTitle: 'Plant Manager',
        company: 'Nordsee Feinkost GmbH',
        country: 'DE',
        employees: 850,
        leadSource: 'Website',
        pageUrl: 'https://www.kessler-industrial.example/demo?utm_source=linkedin',
      });
      expect(stored?.persona).toBe('plant-manager');
      // a new lead that ticked the opt-out gets no marketing email, and is recorded unsubscribed
      expect(stored).toMatchObject({ marketingConsent: false, unsubscribed: true });
      const kept = JSON.stringify(stored);
      for (const tracking of ['123-ABC-456', '_mch-example.com', 'a1b2c3', 'checksumFields', 'formVid'])
        expect(kept).not.toContain(tracking);
      expect(stored?.fieldIssues ?? []).toEqual([]);
    });

    it.each([
      ['a plain form', { optOut: 'on' }],
      ["Salesforce's Web-to-Lead", { emailOptOut: '1', oid: '00D000000000062' }],
    ])('records a new person who ticked the opt-out on %s as unsubscribed', async (_, optOut) => {
      // Arrange: someone we never heard of, who asks for a call and ticks "no marketing email"
      const email = api.uniqueEmail('opted-out');

      // Act
      const response = await api.postForm({ email, first_name: 'Ilse', message: 'call me', ...optOut });

      // Assert: suppressed as by an unsubscribe link (a CRM or events out sees it), and a later box ticked on a
      // form must be confirmed (re-consent), not a quiet subscription
      expect(response.status, response.text).toBe(202);
      const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
      expect(stored).toMatchObject({ marketingConsent: false, unsubscribed: true });
      expect(stored?.timeline.map((entry) => entry.kind)).toContain('unsubscribed');
      const read = await api.request('GET', `/leads/${api.leadIdOf(email)}`);
      expect(read.body).toMatchObject({ unsubscribed: true, marketingConsent: false });
    });

    it('takes a Webflow form whose fields Webflow numbered ("Email 2"), as its own', async () => {
      // Arrange: the site's second form: Webflow names its fields after the first form's, numbered
      const email = api.uniqueEmail('webflow-copy');

      // Act
      const response = await api.postForm({
        'Name 2': 'Omar Haddad',
        'Email 2': email,
        'Message 2': 'Call me',
      });

      // Assert
      expect(response.status, response.text).toBe(202);
      const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
      expect(stored?.fields).toMatchObject({ firstName: 'Omar', lastName: 'Haddad' });
    });

    it.each([
      ['a Latin name', 'Petra Schmidt', { firstName: 'Petra', lastName: 'Schmidt' }],
      [
        'an Arabic compound given name',
        'عبد الرحمن القحطاني',
        { firstName: 'عبد الرحمن', lastName: 'القحطاني' },
      ],
    ])('splits one name field holding %s into first and last name', async (_, name, expected) => {
      // Arrange: a form that asks for the whole name in one field
      const email = api.uniqueEmail('one-name-field');

      // Act
      const response = await api.postForm({ name, email, marketingConsent: 'true' });

      // Assert: the first name is what the emails greet ("مرحبًا عبد الرحمن،", never "مرحبًا عبد،")
      expect(response.status, response.text).toBe(202);
      const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
      expect(stored?.fields).toMatchObject(expected);
    });

    it.each([
      ['URL-encoded', false],
      ['multipart', true],
    ])(
      'takes a %s form post of a 5,000-letter Arabic message (~30 KB URL-encoded), the message whole',
      async (_kind, multipart) => {
        // Arrange: what a visitor may write, as their browser posts it
        const email = api.uniqueEmail('arabic-long');
        const message = 'نحتاج إلى عرض سعر لخط إنتاج كامل. '.repeat(200).slice(0, 5000).trim();
        const fields = { email, locale: 'ar', message };
        const part = ([name, value]: [string, string]) =>
          `--b\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

        // Act
        const response = multipart
          ? await api.request('POST', '/leads', {
              token: null,
              body: `${Object.entries(fields).map(part).join('')}--b--\r\n`,
              contentType: 'multipart/form-data; boundary=b',
            })
          : await api.postForm(fields);

        // Assert
        expect(response.status, response.text).toBe(202);
        expect((await api.runtime.deps.store.getLead(api.leadIdOf(email)))?.fields.message).toBe(message);
      },
    );

    it('treats blank optional inputs of a plain HTML form as not given', async () => {
      // Arrange: a form sends every input, filled or not
      const email = api.uniqueEmail('blank');
      const form = {
        email,
        firstName: 'Ada',
        employees: '',
        country: ' ',
        pageUrl: '',
        formId: '',
        note: '',
      };

      // Act
      const response = await api.postForm(form);

      // Assert
      expect(response.status, response.text).toBe(202);
      const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
      expect(stored?.fields).toEqual({ firstName: 'Ada' });
    });

    it.each([
      ['a second, blank email input', (email: string) => `email=&email=${encodeURIComponent(email)}&email=+`],
      [
        'the email twice (a visible input and a hidden copy)',
        (email: string) =>
          `email=${encodeURIComponent(email)}&Email=${encodeURIComponent(email.toUpperCase())}`,
      ],
    ])('keeps a form post carrying %s: one address is given', async (_kind, body) => {
      // Arrange
      const email = api.uniqueEmail('twice');

      // Act
      const response = await api.postForm(body(email));

      // Assert
      expect(response.status, response.text).toBe(202);
      expect(response.body).toEqual({ leadId: api.leadIdOf(email) });
      expect((await api.runtime.deps.store.getLead(api.leadIdOf(email)))?.email).toBe(email);
    });

    it.each([
      ['a multi-select named fields', ['pumps', 'valves'], { fields: 'pumps; valves' }],
      ['an empty list named fields', [], {}],
    ])(
      'keeps a JSON lead with %s: only HubSpot’s {name, value} entries make a HubSpot post',
      async (_kind, fields, stored) => {
        // Arrange
        const email = api.uniqueEmail('fields');

        // Act
        const response = await api.postLead({ email, firstName: 'Ada', fields });

        // Assert
        expect(response.status, response.text).toBe(202);
        expect((await api.runtime.deps.store.getLead(api.leadIdOf(email)))?.fields).toEqual({
          firstName: 'Ada',
          ...stored,
        });
      },
    );

    it('refuses a post with two different emails naming email, without calling it missing', async () => {
      // Arrange
      const email = api.uniqueEmail('two');

      // Act
      const response = await api.postForm(`email=${encodeURIComponent(email)}&email=other%40plant.example`);

      // Assert
      expectError(response, 400, 'invalid_request', 'email');
      expect(JSON.stringify(response.body)).not.toContain('required');
      await expectNothingStored(api, email);
    });

    it('gives the same id to one email in any case and whitespace, and answers a known email as a new one', async () => {
      // Arrange
      const email = api.uniqueEmail('ada');
      const spellings = [email, `  ${email.toUpperCase()}  `, `\t${email.replace('ada', 'ADA')}`];

      // Act
      const responses: ApiResponse[] = [];
      for (const spelling of spellings) responses.push(await api.postLead({ email: spelling }));

      // Assert
      const leadId = api.leadIdOf(email);
      for (const response of responses) {
        expect(response.status).toBe(202);
        expect(response.body).toEqual({ leadId });
      }
      expect(responses[1]!.text).toBe(responses[0]!.text);
      expect(await api.runtime.deps.store.listEvents(leadId)).toHaveLength(3);
      expect((await api.runtime.deps.store.getLead(leadId))?.email).toBe(email);
    });

    it('keeps a lead whose email has an internationalized domain, as its ASCII form: one lead for both spellings', async () => {
      // Arrange: a German company's umlaut domain and an Egyptian .مصر one, then their punycode twins
      const unicode = ['lea@müller-kälte.example', 'omar@مصنع.مصر'];
      const ascii = ['lea@xn--mller-klte-w5a5z.example', 'omar@xn--0gbi8af.xn--wgbh1c'];

      // Act
      const responses: ApiResponse[] = [];
      for (const email of [...unicode, ...ascii])
        responses.push(await api.postLead({ email, firstName: 'X' }));

      // Assert
      for (const response of responses) expect(response.status, response.text).toBe(202);
      for (const [i, email] of ascii.entries()) {
        expect(responses[i]!.body).toEqual({ leadId: api.leadIdOf(email) });
        expect(responses[i + 2]!.body).toEqual(responses[i]!.body);
        expect((await api.runtime.deps.store.getLead(api.leadIdOf(email)))?.email).toBe(email);
      }
    });

    it('keeps an email typed in a right-to-left input: the invisible direction marks and zero-width characters it carries are no part of it', async () => {
      // Arrange: what Arabic keyboards and a copy from right-to-left text put around or inside an address
      // (RLM, LRM, an embedding, an isolate, a zero-width space, a BOM), and a full-width one from an IME
      const email = api.uniqueEmail('rtl-typed');
      const [local, domain] = email.split('@') as [string, string];
      const typed = [
        `\u200f${email}`,
        `${email}\u200e`,
        `\u202b${email}\u202c`,
        `\u2067${email}\u2069`,
        `${local}\u200b@${domain}`,
        `\ufeff${email}`,
        `${local.toUpperCase().replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))}@${domain}`,
      ];

      // Act
      const responses: ApiResponse[] = [];
      for (const value of typed) responses.push(await api.postLead({ email: value, firstName: 'ليلى' }));

      // Assert: every spelling is the one lead, stored with the address as mail needs it
      for (const response of responses) {
        expect(response.status, response.text).toBe(202);
        expect(response.body).toEqual({ leadId: api.leadIdOf(email) });
      }
      expect((await api.runtime.deps.store.getLead(api.leadIdOf(email)))?.email).toBe(email);
    });

    it('still refuses an email that is only invisible characters, naming email', async () => {
      // Act
      const response = await api.postLead({ email: '\u200f\u200e\u200b', firstName: 'X' });

      // Assert
      expectError(response, 400, 'invalid_request', 'email');
    });

    it('appends a repeat post as a submission event that fills only missing fields', async () => {
      // Arrange
      const email = api.uniqueEmail('repeat');
      const leadId = await api.createLead({ email, firstName: 'Ada', company: 'Analytical Engines' });
      api.clock.advance(DAY);

      // Act
      const response = await api.postLead({
        email,
        firstName: 'Augusta',
        company: 'Someone Else Ltd',
        jobTitle: 'Plant Manager',
        phone: '+44 20 7946 0000',
      });

      // Assert
      expect(response.status).toBe(202);
      const lead = await api.readLead(leadId);
      expect(lead.fields).toEqual({
        firstName: 'Ada',
        company: 'Analytical Engines',
        jobTitle: 'Plant Manager',
        phone: '+44 20 7946 0000',
      });
      expect(lead.eventCount).toBe(2);
      expect(lead.events.map((event) => event.type)).toEqual(['form_submission', 'form_submission']);
      expect(lead.timeline.at(-1)).toMatchObject({
        kind: 'submitted',
        by: 'form',
        reasons: [{ rule: 'form.unknown', detail: 'new fields: jobTitle, phone' }],
      });
      expect(api.workflowCalls(leadId)).toEqual([
        { action: 'start', detail: 'cycle 1' },
        { action: 'signal', detail: 'form submission' },
      ]);
    });

    it('never lowers the stage: an SQL whose score decayed stays an SQL after a repeat post', async () => {
      // Arrange: a demo request makes an SQL; 120 days later its engagement has mostly decayed
      const email = api.uniqueEmail('decayed');
      const profile = {
        industry: 'manufacturing',
        employees: 500,
        revenue: 50_000_000,
        country: 'DE',
        jobTitle: 'Plant Manager',
        department: 'operations',
      };
      const leadId = await api.createLead({ email, ...profile, formId: 'demo-request' });
      expect((await api.readLead(leadId)).lifecycleStage).toBe('sql');
      api.clock.advance(120 * DAY);

      // Act
      const response = await api.postLead({ email, ...profile });

      // Assert
      expect(response.status).toBe(202);
      const lead = await api.readLead(leadId);
      expect(lead.scores.total).toBeLessThan(api.sla.scoring.thresholds.sql);
      expect(lead.lifecycleStage).toBe('sql');
      expect(lead.fields.formId).toBe('demo-request');
    });

    it('makes exactly one lead of 20 concurrent posts of one email', async () => {
      // Arrange
      const email = api.uniqueEmail('burst');
      const posts = Array.from({ length: 20 }, (_, i) => ({
        email: i % 2 === 0 ? email : ` ${email.toUpperCase()} `,
        firstName: `Post ${i}`,
      }));

      // Act
      const responses = await Promise.all(posts.map((post) => api.postLead(post)));

      // Assert
      const leadId = api.leadIdOf(email);
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(202));
      expect(new Set(responses.map((response) => (response.body as { leadId: string }).leadId))).toEqual(
        new Set([leadId]),
      );
      const lead = await api.readLead(leadId);
      expect(lead.eventCount).toBe(20);
      expect(new Set(lead.events.map((event) => event.type))).toEqual(new Set(['form_submission']));
      expect((await api.runtime.deps.store.getLead(leadId))?.version).toBe(20);
      expect(api.workflowCalls(leadId).filter((call) => call.action === 'start')).toHaveLength(1);
    });

    it('stores unicode, HTML and SQL verbatim and serves them back as JSON data', async () => {
      // Arrange
      const email = api.uniqueEmail('verbatim');
      const hostile = {
        firstName: 'Zoë 😀 山田',
        lastName: "O'Brien\u0000",
        company: "Robert'); DROP TABLE leads;--",
        message: '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>',
        industry: '{{constructor.constructor("return process")()}}',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant to stay literal
        interest: '${7*7} %s %n',
      };

      // Act
      const response = await api.postLead({ email, ...hostile });

      // Assert
      expect(response.status, response.text).toBe(202);
      const read = await api.request('GET', `/leads/${api.leadIdOf(email)}`);
      expect(read.headers.get('content-type')).toMatch(/^application\/json/);
      // verbatim but for the NUL: stored text is cleaned of control characters (clean-text.ts)
      expect((read.body as { fields: unknown }).fields).toEqual({ ...hostile, lastName: "O'Brien" });
      expect(await api.createLead({ email: api.uniqueEmail('after-sql') })).toMatch(LEAD_ID);
    });
  });

  describe('honeypot', () => {
    it.each<[string, (email: string) => RequestOptions, number]>([
      ['a JSON post', (email) => ({ json: { email, _gotcha: 'http://spam.example' } }), 202],
      ['a form post', (email) => ({ form: { email, _gotcha: 'buy now' } }), 202],
      [
        'a form post asking for a redirect',
        (email) => ({ form: { email, _gotcha: 'x', _redirect: `${ALLOWED_ORIGIN}/thanks` } }),
        303,
      ],
    ])('answers %s with a filled honeypot as usual and stores nothing', async (_kind, make, status) => {
      // Arrange
      const email = api.uniqueEmail('bot');

      // Act
      const response = await api.request('POST', '/leads', { token: null, ...make(email) });

      // Assert
      expect(response.status).toBe(status);
      if (status === 202) expect(response.body).toEqual({ leadId: api.leadIdOf(email) });
      await expectNothingStored(api, email);
    });
  });

  describe('thank-you redirect', () => {
    it('answers a form post with 303 to a thank-you page on an allowed origin', async () => {
      // Arrange
      const email = api.uniqueEmail('redirect');

      // Act
      const response = await api.postForm({ email, _redirect: `${ALLOWED_ORIGIN}/thanks?x=1` });

      // Assert
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`${ALLOWED_ORIGIN}/thanks?x=1`);
      expect(await api.runtime.deps.store.getLead(api.leadIdOf(email))).toBeDefined();
    });

    it.each([
      ['relative to the page', 'thanks.html', `${ALLOWED_ORIGIN}/de/landing/thanks.html`],
      ['relative to the site', '/thanks', `${ALLOWED_ORIGIN}/thanks`],
    ])(
      'resolves a thank-you page %s against the posting page (its Referer)',
      async (_kind, target, location) => {
        // Arrange: a browser sends its origin and, same-origin or with a full referrer policy, the page
        const email = api.uniqueEmail('redirect-relative');

        // Act
        const response = await api.postForm(
          { email, _redirect: target },
          {
            origin: ALLOWED_ORIGIN,
            headers: { referer: `${ALLOWED_ORIGIN}/de/landing/form.html?utm_source=x` },
          },
        );

        // Assert
        expect(response.status, response.text).toBe(303);
        expect(response.headers.get('location')).toBe(location);
      },
    );

    it('answers a JSON post with 202 {leadId} even when it names a thank-you page', async () => {
      // Arrange
      const email = api.uniqueEmail('redirect-json');

      // Act
      const response = await api.postLead({ email, _redirect: `${ALLOWED_ORIGIN}/thanks` });

      // Assert
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ leadId: api.leadIdOf(email) });
    });

    it.each([
      ['another origin', `${OTHER_ORIGIN}/thanks`],
      ['the allowed host over http', ALLOWED_ORIGIN.replace('https:', 'http:') + '/thanks'],
      ['user info before another host', `https://www.kessler-industrial.example@evil.example/`],
      ['a javascript: URL', 'javascript:alert(document.domain)'],
      ['a protocol-relative URL', '//evil.example/thanks'],
      ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ])(
      'never redirects to %s: the lead kept, the redirect flagged on _redirect, no Location',
      async (_kind, target) => {
        // Arrange
        const email = api.uniqueEmail('open-redirect');

        // Act
        const response = await api.postForm({ email, _redirect: target });

        // Assert
        expect(response.status, response.text).toBe(202);
        expect(response.headers.get('location')).toBeNull();
        const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
        expect(stored?.fieldIssues?.map((issue) => issue.field)).toEqual(['_redirect']);
      },
    );

    it.each([
      ['CR LF and a header', `${ALLOWED_ORIGIN}/thanks\r\nSet-Cookie: session=stolen`],
      ['a second Location', `${ALLOWED_ORIGIN}/\r\nLocation: ${OTHER_ORIGIN}/`],
      ['a tab', `${ALLOWED_ORIGIN}/th\tanks`],
      ['unicode and emoji', `${ALLOWED_ORIGIN}/dänke-😀`],
    ])(
      'keeps a redirect with %s to one percent-encoded Location on the allowed origin',
      async (_kind, target) => {
        // Arrange
        const email = api.uniqueEmail('injection');

        // Act
        const response = await api.postForm({ email, _redirect: target });

        // Assert
        expect(response.status, response.text).toBe(303);
        const location = response.headers.get('location') ?? '';
        expect(location.startsWith(`${ALLOWED_ORIGIN}/`)).toBe(true);
        expect(location).toMatch(/^[\x21-\x7e]+$/);
        expect(response.headers.get('set-cookie')).toBeNull();
      },
    );
  });

  describe('thank-you redirect with allowedOrigins "*" (any origin for CORS, never for redirects)', () => {
    const anyOrigin = useLocalApi({ allowedOrigins: ['*', ALLOWED_ORIGIN] });

    it.each<[string, Record<string, string>]>([
      ['_redirect', { _redirect: 'https://evil.example/login' }],
      ["Salesforce's retURL", { retURL: 'https://evil.example/login' }],
      ["HubSpot's hs_context redirectUrl", { hs_context: '{"redirectUrl":"https://evil.example/hs"}' }],
      ['a backslash', { _redirect: 'http:\\\\evil.example' }],
      ['a host under a loopback name', { _redirect: 'http://127.0.0.1.evil.example/' }],
    ])('never redirects %s to an origin the list does not name', async (_kind, fields) => {
      // Arrange
      const email = anyOrigin.uniqueEmail('any-origin');

      // Act
      const response = await anyOrigin.postForm({ email, ...fields }, { origin: 'https://attacker.example' });

      // Assert: the post is accepted (CORS allows any origin), the visitor stays on LeadPact's thank-you page
      expect(response.status, response.text).toBe(202);
      expect(response.headers.get('location')).toBeNull();
      const stored = await anyOrigin.runtime.deps.store.getLead(anyOrigin.leadIdOf(email));
      expect(stored?.fieldIssues?.map((issue) => issue.field)).toEqual(['_redirect']);
    });

    it('still redirects to an origin the list names beside "*"', async () => {
      // Arrange
      const email = anyOrigin.uniqueEmail('named-origin');

      // Act
      const response = await anyOrigin.postForm(
        { email, _redirect: `${ALLOWED_ORIGIN}/thanks` },
        { origin: 'https://attacker.example' },
      );

      // Assert
      expect(response.status, response.text).toBe(303);
      expect(response.headers.get('location')).toBe(`${ALLOWED_ORIGIN}/thanks`);
    });
  });

  describe('CORS', () => {
    it('answers an allowed origin with CORS headers', async () => {
      // Arrange
      const email = api.uniqueEmail('cors');

      // Act
      const response = await api.postLead({ email }, { origin: ALLOWED_ORIGIN });

      // Assert
      expect(response.status).toBe(202);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(response.headers.get('vary')).toMatch(/origin/i);
    });

    it('adds CORS headers to an error for an allowed origin, so the page can read it', async () => {
      // Act
      const response = await api.postLead({ email: 'not-an-email' }, { origin: ALLOWED_ORIGIN });

      // Assert
      expectError(response, 400, 'invalid_request', 'email');
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    });

    it('refuses another origin with 403 naming origin, without CORS headers, and stores nothing', async () => {
      // Arrange
      const email = api.uniqueEmail('cors-evil');

      // Act
      const response = await api.postLead({ email }, { origin: OTHER_ORIGIN });

      // Assert
      expectError(response, 403, 'origin_not_allowed', 'origin');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      await expectNothingStored(api, email);
    });

    it('shows a browser posting from another origin a 403 page that says why, and stores nothing', async () => {
      // Arrange
      const email = api.uniqueEmail('cors-page');

      // Act
      const response = await api.request('POST', '/leads', {
        token: null,
        form: { email },
        headers: { origin: OTHER_ORIGIN, 'sec-fetch-mode': 'navigate', accept: 'text/html' },
      });

      // Assert
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.text).toContain(`Posts from ${OTHER_ORIGIN} are not allowed`);
      expect(response.text).toContain('add it to the allowed origins');
      await expectNothingStored(api, email);
    });

    it.each([
      ['the box ticked on a double opt-in form', 'newsletter', { marketingConsent: 'on' }, true],
      ['no box ticked', 'newsletter', {}, false],
    ])('%s: the thank-you page says to confirm by email: %s', async (_, formId, extra, says) => {
      // Arrange (a German re-trial: the page said only "We will be in touch" to a newsletter sign-up that must
      // confirm by email first; a single opt-in form says nothing of it: consentModeOf, consent-status)
      const email = api.uniqueEmail(`confirm-${formId}`);

      // Act
      const response = await api.request('POST', `/leads?formId=${formId}`, {
        token: null,
        form: { email, ...extra },
        headers: { 'sec-fetch-mode': 'navigate', accept: 'text/html' },
      });

      // Assert
      expect(response.status).toBe(200);
      expect(response.text.includes('confirm your address with the link in the email we send you')).toBe(
        says,
      );
    });

    it('shows a browser whose post is over the server’s 64 KB read limit a page, not JSON, and stores nothing', async () => {
      // Arrange
      const email = api.uniqueEmail('huge-page');

      // Act
      const response = await api.request('POST', '/leads', {
        token: null,
        form: { email, message: 'x'.repeat(100_000) },
        headers: { 'sec-fetch-mode': 'navigate', accept: 'text/html' },
      });

      // Assert
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.text).toContain('<html lang="en"');
      expect(response.text).not.toContain('"error"');
      await expectNothingStored(api, email);
    });

    it('shows a browser a page in its language, not JSON, when the store fails (a 500); a program gets JSON', async () => {
      // Arrange: a fault that cannot be caused through dynalite on demand: the store's create rejects, as an
      // unreachable DynamoDB would (a stub, said so)
      const store = Object.create(api.runtime.deps.store) as typeof api.runtime.deps.store;
      store.createLead = () => Promise.reject(new Error('DynamoDB unreachable'));
      const server = await startApiServer({
        deps: { ...api.runtime.deps, store },
        adminToken: 'unused-admin-token',
        port: 0,
        rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
      });
      const post = (headers: Record<string, string>) =>
        fetch(`${server.url}/leads`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams({ email: api.uniqueEmail('store-down'), locale: 'ar' }).toString(),
        });
      const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);

      // Act
      let browser: Response;
      let program: Response;
      try {
        browser = await post({ 'sec-fetch-mode': 'navigate', accept: 'text/html' });
        program = await post({});
      } finally {
        error.mockRestore();
        await server.close();
      }

      // Assert
      expect(browser.status).toBe(500);
      expect(browser.headers.get('content-type')).toContain('text/html');
      const page = await browser.text();
      expect(page).toContain('<html lang="ar" dir="rtl"');
      expect(page).not.toContain('"error"');
      // ours to fix, not the visitor's: try again later, not "correct it"
      expect(page).toContain(pageText('ar').form.tryLater);
      expect(page).not.toContain(pageText('ar').form.goBack);
      expect(program.status).toBe(500);
      expect(program.headers.get('content-type')).toContain('application/json');
      expect(await program.json()).toMatchObject({ error: { code: 'internal' } });
    });

    it('accepts a post without an Origin (curl, server to server) without CORS headers', async () => {
      // Act
      const response = await api.postLead({ email: api.uniqueEmail('curl') });

      // Assert
      expect(response.status).toBe(202);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers a preflight from an allowed origin with 204 and the CORS headers', async () => {
      // Act
      const response = await api.request('OPTIONS', '/leads', {
        token: null,
        origin: ALLOWED_ORIGIN,
        headers: {
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });

      // Assert
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')).toContain('content-type');
    });

    it.each([
      ['another origin on the public route', '/leads', OTHER_ORIGIN],
      ['no origin', '/leads', undefined],
      ['an allowed origin on an authenticated route', '/leads/AAAAAAAAAAAAAAAAAAAAAA', ALLOWED_ORIGIN],
    ])('refuses a preflight with %s: 403 without CORS headers', async (_kind, path, origin) => {
      // Act
      const response = await api.request('OPTIONS', path, {
        token: null,
        ...(origin ? { origin } : {}),
        headers: { 'access-control-request-method': 'POST' },
      });

      // Assert
      expectError(response, 403, 'origin_not_allowed');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('a refused preflight on the form route names the origin and how to allow it, as the post does', async () => {
      // Act: the request a browser sends first for a fetch() with a JSON body from another site
      const response = await api.request('OPTIONS', '/leads', {
        token: null,
        origin: OTHER_ORIGIN,
        headers: {
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });

      // Assert
      const body = expectError(response, 403, 'origin_not_allowed', 'origin');
      expect(body.error.message).toContain(OTHER_ORIGIN);
      expect(body.error.message).toContain('--origin');
    });
  });
});

describe('POST /leads throttling', () => {
  const api = useLocalApi({ rateLimit: { perMinute: 60, burst: 3 } });

  it('answers 429 with Retry-After once the burst is spent, and stores nothing', async () => {
    // Arrange: spend the burst of 3 (the limit applies before the body is read)
    for (let i = 0; i < 3; i++) {
      const spent = await api.request('POST', '/leads', {
        token: null,
        body: 'x',
        contentType: 'text/plain',
      });
      expect(spent.status).toBe(415);
    }
    const email = api.uniqueEmail('throttled');

    // Act
    const response = await api.postLead({ email });

    // Assert
    expectError(response, 429, 'too_many_requests');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await expectNothingStored(api, email);
  });

  it('does not throttle the authenticated routes', async () => {
    // Arrange: the public route is throttled for this address
    let throttled: ApiResponse | undefined;
    for (let i = 0; i < 4; i++) {
      throttled = await api.request('POST', '/leads', { token: null, body: 'x', contentType: 'text/plain' });
    }
    expect(throttled?.status).toBe(429);

    // Act
    const response = await api.request('GET', '/leads/AAAAAAAAAAAAAAAAAAAAAA');

    // Assert
    expectError(response, 404, 'not_found');
  });
});
