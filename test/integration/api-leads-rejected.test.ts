/**
 * POST /leads refused, through the real local server: a post without a valid email, a malformed, oversized or
 * hostile body gets its 4xx JSON error naming the field, never a 500, and leaves no lead, event or workflow
 * call behind. Any other bad field is lenient (ADR 0018): the lead is kept, the value flagged in fieldIssues.
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../lambdas/domain/email-templates.ts';
import { pageText } from '../../lambdas/domain/page-text.ts';
import { expectError, expectNothingStored, type RequestOptions, useLocalApi } from '../support/local-api.ts';

describe('POST /leads', () => {
  const api = useLocalApi();

  describe('rejected posts store nothing', () => {
    const big = (email: string, size: number) => JSON.stringify({ email, message: 'x'.repeat(size) });
    it.each<{
      name: string;
      send: (email: string) => RequestOptions;
      status: number;
      code: string;
      path?: string;
    }>([
      {
        name: 'invalid JSON',
        send: (email) => ({ body: `{"email":"${email}",`, contentType: 'application/json' }),
        status: 400,
        code: 'invalid_json',
      },
      {
        name: 'a JSON array',
        send: (email) => ({ json: [{ email }] }),
        status: 400,
        code: 'invalid_request',
        path: '(body)',
      },
      {
        name: 'no email',
        send: (email) => ({ json: { firstName: email } }),
        status: 400,
        code: 'invalid_request',
        path: 'email',
      },
      {
        name: 'a malformed email',
        send: (email) => ({ json: { email: email.replace('@', ' at ') } }),
        status: 400,
        code: 'invalid_request',
        path: 'email',
      },
      {
        name: 'an email with a header break',
        send: (email) => ({ json: { email: `${email}\r\nBcc: all@example.com` } }),
        status: 400,
        code: 'invalid_request',
        path: 'email',
      },
      {
        name: 'an email whose local part is over 64 characters (RFC 5321: no mail reaches it)',
        send: (email) => ({ json: { email: `${'a'.repeat(65)}${email}` } }),
        status: 400,
        code: 'invalid_request',
        path: 'email',
      },
      {
        name: 'an email whose domain has a label over 63 characters',
        send: (email) => ({ json: { email: email.replace('@', `@${'b'.repeat(64)}.`) } }),
        status: 400,
        code: 'invalid_request',
        path: 'email',
      },
      {
        name: 'an email whose domain has a label ending in a hyphen',
        send: (email) => ({ json: { email: email.replace('@', '@plant-.') } }),
        status: 400,
        code: 'invalid_request',
        path: 'email',
      },
      {
        name: 'an email over 254 characters',
        send: (email) => ({ json: { email: `${'a'.repeat(250)}${email}` } }),
        status: 400,
        code: 'invalid_request',
        path: 'email',
      },
      {
        name: 'two emails in an array',
        send: (email) => ({ json: { email: [email, 'other@example.com'] } }),
        status: 400,
        code: 'invalid_request',
        path: 'email',
      },
      {
        name: 'an operator object as the email',
        send: (email) => ({ json: { email: { $ne: null }, firstName: email } }),
        status: 400,
        code: 'invalid_request',
        path: 'email',
      },
      {
        name: 'a body over 64 KB (refused by the server before the handler)',
        send: (email) => ({ body: big(email, 100_000), contentType: 'application/json' }),
        status: 413,
        code: 'payload_too_large',
      },
      {
        name: 'text/plain',
        send: (email) => ({ body: JSON.stringify({ email }), contentType: 'text/plain' }),
        status: 415,
        code: 'unsupported_media_type',
        path: 'content-type',
      },
      {
        name: 'multipart/form-data with a file',
        send: (email) => ({
          body: `--b\r\ncontent-disposition: form-data; name="email"\r\n\r\n${email}\r\n--b\r\ncontent-disposition: form-data; name="cv"; filename="cv.pdf"\r\ncontent-type: application/pdf\r\n\r\n%PDF-1.4\r\n--b--`,
          contentType: 'multipart/form-data; boundary=b',
        }),
        status: 415,
        code: 'unsupported_media_type',
        path: 'cv',
      },
      {
        name: 'a multipart post without a boundary',
        send: (email) => ({ body: `email=${email}`, contentType: 'multipart/form-data' }),
        status: 400,
        code: 'invalid_request',
        path: 'content-type',
      },
      {
        name: 'no content type',
        send: (email) => ({ body: JSON.stringify({ email }) }),
        status: 415,
        code: 'unsupported_media_type',
        path: 'content-type',
      },
    ])('refuses $name with $status $code', async ({ send, status, code, path }) => {
      // Arrange
      const email = api.uniqueEmail('rejected');

      // Act
      const response = await api.request('POST', '/leads', { token: null, ...send(email) });

      // Assert
      expectError(response, status, code, path);
      await expectNothingStored(api, email);
    });

    it.each<{
      name: string;
      send: (email: string) => RequestOptions;
      fields: Record<string, unknown>;
      issues: string[];
      absent?: string[];
    }>([
      {
        name: 'employees that are not a number',
        send: (email) => ({ form: { email, employees: 'many' } }),
        fields: {},
        issues: ['employees'],
        absent: ['employees'],
      },
      {
        name: 'negative employees',
        send: (email) => ({ form: { email, employees: '-5' } }),
        fields: {},
        issues: ['employees'],
        absent: ['employees'],
      },
      {
        name: 'employees beyond any number',
        send: (email) => ({ form: { email, employees: '1e400' } }),
        fields: {},
        issues: ['employees'],
        absent: ['employees'],
      },
      {
        name: 'a country by name',
        send: (email) => ({ form: { email, country: 'Germany' } }),
        fields: { country: 'DE' },
        issues: [],
      },
      {
        name: 'a country that is no country',
        send: (email) => ({ form: { email, country: 'Atlantis' } }),
        fields: {},
        issues: ['country'],
        absent: ['country'],
      },
      {
        name: 'a two-letter code that is no country',
        send: (email) => ({ form: { email, country: 'xx' } }),
        fields: {},
        issues: ['country'],
        absent: ['country'],
      },
      {
        name: 'a phone number with an extension',
        send: (email) => ({ form: { email, phone: '+49 89 1234 5678 ext. 12' } }),
        fields: { phone: '+49 89 1234 5678 ext. 12' },
        issues: [],
      },
      {
        name: 'consent that is not yes or no',
        send: (email) => ({ form: { email, marketingConsent: 'maybe', firstName: 'Ada' } }),
        fields: { firstName: 'Ada' },
        issues: ['marketingConsent'],
      },
      {
        name: 'a page URL that is not a URL',
        send: (email) => ({ json: { email, pageUrl: 'not a url' } }),
        fields: {},
        issues: ['pageUrl'],
        absent: ['pageUrl'],
      },
      {
        name: 'two first names (a multi-value field)',
        send: (email) => ({ json: { email, firstName: ['Ada', 'Augusta'] } }),
        fields: { firstName: 'Ada; Augusta' },
        issues: [],
      },
      {
        name: 'a nested object as a custom field',
        send: (email) => ({ json: { email, budget: { min: 1, max: 2 } } }),
        fields: {},
        issues: ['budget'],
        absent: ['budget'],
      },
      {
        name: '21 custom fields',
        send: (email) => ({
          json: { email, ...Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`custom${i}`, 'x'])) },
        }),
        fields: { custom0: 'x', custom20: 'x' },
        issues: [],
      },
      {
        name: 'an emoji custom field name',
        send: (email) => ({ json: { email, '😀': 'x' } }),
        fields: {},
        issues: ['😀'],
        absent: ['😀'],
      },
      {
        name: 'a custom field named constructor (JSON)',
        send: (email) => ({ json: { email, constructor: 'x' } }),
        fields: {},
        issues: ['constructor'],
      },
      {
        name: 'a custom field named toString (form)',
        send: (email) => ({ form: { email, toString: 'x' } }),
        fields: {},
        issues: ['toString'],
      },
      {
        name: 'a custom number beyond 2^53',
        send: (email) => ({ body: `{"email":"${email}","score":1e300}`, contentType: 'application/json' }),
        fields: {},
        issues: ['score'],
        absent: ['score'],
      },
      {
        name: 'a custom number below DynamoDB precision',
        send: (email) => ({ body: `{"email":"${email}","score":1e-300}`, contentType: 'application/json' }),
        fields: {},
        issues: ['score'],
        absent: ['score'],
      },
      {
        name: 'a custom number of 400 digits',
        send: (email) => ({
          body: `{"email":"${email}","score":1${'0'.repeat(400)}}`,
          contentType: 'application/json',
        }),
        fields: {},
        issues: ['score'],
        absent: ['score'],
      },
      {
        name: 'a value whose bytes are not text in the charset posted (a windows-1256 page without _charset_)',
        send: (email) => ({
          // "عمر" as windows-1256 bytes, posted as a page in that encoding does with no accept-charset
          body: `email=${encodeURIComponent(email)}&firstName=%DA%E3%D1&company=Cairo+Dairy`,
          contentType: 'application/x-www-form-urlencoded',
        }),
        fields: { company: 'Cairo Dairy' },
        issues: ['firstName'],
        absent: ['firstName'],
      },
      {
        name: 'a custom value over 1000 characters (its first 1000 kept: prose, the rep reads its start)',
        send: (email) => ({ json: { email, note: 'x'.repeat(1001) } }),
        fields: { note: 'x'.repeat(1000) },
        issues: ['note'],
      },
    ])(
      'keeps the lead with $name: 202, the value flagged in fieldIssues, never scored',
      async ({ send, fields, issues, absent }) => {
        // Arrange
        const email = api.uniqueEmail('lenient');

        // Act
        const response = await api.request('POST', '/leads', { token: null, ...send(email) });

        // Assert
        expect(response.status, response.text).toBe(202);
        const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
        expect(stored?.fields).toMatchObject(fields);
        for (const name of absent ?? []) expect(stored?.fields).not.toHaveProperty([name]);
        expect((stored?.fieldIssues ?? []).map((issue) => issue.field)).toEqual(issues);
      },
    );

    it('keeps the bytes of a value that is not text in its charset, percent-encoded, and says what to add to the form', async () => {
      // Arrange
      const email = api.uniqueEmail('charset');

      // Act
      const response = await api.request('POST', '/leads', {
        token: null,
        body: `email=${encodeURIComponent(email)}&jobTitle=%E3%CF%ED%D1+%C7%E1%E3%D5%E4%DA`,
        contentType: 'application/x-www-form-urlencoded',
      });

      // Assert
      expect(response.status, response.text).toBe(202);
      const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
      expect(stored?.fieldIssues).toEqual([
        {
          field: 'jobTitle',
          value: '%E3%CF%ED%D1 %C7%E1%E3%D5%E4%DA',
          message: expect.stringMatching(/not UTF-8 text.*_charset_/),
        },
      ]);
      // the bytes decode as the page wrote them once its encoding is known
      const bytes = Buffer.from(
        stored!.fieldIssues![0]!.value.replace(/%([0-9A-F]{2})/g, (_m, h: string) =>
          String.fromCharCode(Number.parseInt(h, 16)),
        ),
        'latin1',
      );
      expect(new TextDecoder('windows-1256').decode(bytes)).toBe('مدير المصنع');
    });

    it.each<{ language: string; accept: string; field: string; named: string; absent: string }>([
      {
        language: 'English',
        accept: 'en',
        field: 'cv',
        named: 'cv: file uploads are not accepted.',
        absent: pageText('en').form.unreadable,
      },
      {
        language: 'Arabic',
        accept: 'ar-SA,ar;q=0.9',
        field: 'cv',
        named: pageText('ar').form.fileField('cv'),
        absent: pageText('ar').form.unreadable,
      },
      {
        language: 'English',
        accept: 'en',
        field: '',
        named: 'The form sent a file: file uploads are not accepted.',
        absent: '(file)',
      },
      {
        language: 'Arabic',
        accept: 'ar',
        field: '',
        named: pageText('ar').form.fileField(),
        absent: '(file)',
      },
    ])(
      'shows a browser a page in $language naming the file field "$field" it cannot take',
      async ({ accept, field, named, absent }) => {
        // Arrange: a form page of a site with an upload input, sent by a browser
        const email = api.uniqueEmail('file-page');

        // Act
        const response = await api.request('POST', '/leads', {
          token: null,
          body: `--b\r\ncontent-disposition: form-data; name="email"\r\n\r\n${email}\r\n--b\r\ncontent-disposition: form-data; name="${field}"; filename="cv.pdf"\r\ncontent-type: application/pdf\r\n\r\n%PDF-1.4\r\n--b--`,
          contentType: 'multipart/form-data; boundary=b',
          headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'accept-language': accept },
        });

        // Assert: the field named, not "something we cannot read"; nothing stored
        expect(response.status).toBe(415);
        expect(response.headers.get('content-type')).toContain('text/html');
        expect(response.text).toContain(escapeHtml(named));
        expect(response.text).not.toContain(escapeHtml(absent));
        await expectNothingStored(api, email);
      },
    );

    it.each<[string, string]>([
      ['JSON', '{"email":"%EMAIL%","__proto__":{"polluted":true},"firstName":"Ada"}'],
      ['a form', 'email=%EMAIL%&__proto__=polluted&firstName=Ada'],
    ])('drops a __proto__ key in %s without polluting any prototype', async (kind, template) => {
      // Arrange
      const email = api.uniqueEmail('proto');
      const body = template.replace('%EMAIL%', kind === 'JSON' ? email : encodeURIComponent(email));
      const contentType = kind === 'JSON' ? 'application/json' : 'application/x-www-form-urlencoded';

      // Act
      const response = await api.request('POST', '/leads', { token: null, body, contentType });

      // Assert
      expect(response.status, response.text).toBe(202);
      const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
      expect(stored?.fields).toEqual({ firstName: 'Ada' });
      expect(Object.hasOwn(stored?.fields ?? {}, '__proto__')).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('what JSON.parse hides: nested lists, objects as the email, names given twice, state names', () => {
    const json = (body: string): RequestOptions => ({ body, contentType: 'application/json' });
    const form = (body: string): RequestOptions => ({
      body,
      contentType: 'application/x-www-form-urlencoded',
    });
    const STATE_NAME = 'a name LeadPact uses for the lead’s own state';

    it.each<{ name: string; send: (email: string) => RequestOptions; path: string; message: string }>([
      {
        name: 'an object as the email',
        send: () => json('{"email":{"a":"b"}}'),
        path: 'email',
        message: 'a single email address, not an object',
      },
      {
        name: 'a list inside a list as the email',
        send: () => json('{"email":[["x@example.com"]]}'),
        path: 'email',
        message: 'a single email address, not a list inside a list',
      },
      {
        name: 'an object beside a valid email, under a name that maps to email',
        send: (email) => json(`{"email":"${email}","E-Mail":{"a":"b"}}`),
        path: 'email',
        message: 'a single email address, not an object',
      },
      {
        name: 'the email key given twice with two addresses',
        send: (email) => json(`{"email":"${email}","email":"other@example.com"}`),
        path: 'email',
        message: 'one email address, not several',
      },
      {
        name: 'the email key given twice, the second escaped',
        send: (email) => json(`{"email":"other@example.com","\\u0065mail":"${email}"}`),
        path: 'email',
        message: 'one email address, not several',
      },
      {
        name: 'a name given twice inside a HubSpot field',
        send: (email) => json(`{"fields":[{"name":"email","value":"other@example.com","value":"${email}"}]}`),
        path: 'fields[0].value',
        message: 'a name given once in its object, not twice',
      },
    ])('refuses $name with 400 naming $path: "$message"', async ({ send, path, message }) => {
      // Arrange
      const email = api.uniqueEmail('json-shape');

      // Act
      const response = await api.request('POST', '/leads', { token: null, ...send(email) });

      // Assert
      const body = expectError(response, 400, 'invalid_request', path);
      expect(body.error.fields).toEqual([{ path, message }]);
      await expectNothingStored(api, email);
    });

    it.each<{
      name: string;
      send: (email: string) => RequestOptions;
      fields: Record<string, unknown>;
      issues: { field: string; value: string; message: string }[];
      absent?: string[];
    }>([
      {
        name: 'a list inside a multi-select list (JSON)',
        send: (email) => json(`{"email":"${email}","interest":["pumps",["compressors"]]}`),
        fields: { interest: 'pumps' },
        issues: [
          { field: 'interest', value: '["compressors"]', message: 'a value, not a list inside a list' },
        ],
      },
      {
        name: 'a custom field that is a list of lists (JSON)',
        send: (email) => json(`{"email":"${email}","custom":[["a"]]}`),
        fields: {},
        issues: [{ field: 'custom', value: '["a"]', message: 'a value, not a list inside a list' }],
        absent: ['custom'],
      },
      {
        name: 'an object inside a list (JSON)',
        send: (email) => json(`{"email":"${email}","interest":["pumps",{"b":1}]}`),
        fields: { interest: 'pumps' },
        issues: [{ field: 'interest', value: '{"b":1}', message: 'a value, not an object' }],
      },
      {
        name: 'a list of two values (JSON)',
        send: (email) => json(`{"email":"${email}","interest":["pumps","compressors"]}`),
        fields: { interest: 'pumps; compressors' },
        issues: [],
      },
      {
        name: 'a name given twice (JSON), read as a form reads a repeated name',
        send: (email) => json(`{"email":"${email}","interest":"pumps","interest":"compressors"}`),
        fields: { interest: 'pumps; compressors' },
        issues: [],
      },
      {
        name: 'a name given twice (a form)',
        send: (email) => form(`email=${encodeURIComponent(email)}&interest=pumps&interest=compressors`),
        fields: { interest: 'pumps; compressors' },
        issues: [],
      },
      {
        name: 'the same email given twice (JSON), one address',
        send: (email) => json(`{"email":"${email}","email":" ${email.toUpperCase()} ","firstName":"Ada"}`),
        fields: { firstName: 'Ada' },
        issues: [],
      },
      {
        name: 'a custom field named owner (JSON)',
        send: (email) => json(`{"email":"${email}","owner":"lena"}`),
        fields: {},
        issues: [{ field: 'owner', value: 'lena', message: STATE_NAME }],
        absent: ['owner'],
      },
      {
        name: 'custom fields named Lead Status and lifecycle_stage (a form)',
        send: (email) =>
          form(`email=${encodeURIComponent(email)}&Lead+Status=qualified&lifecycle_stage=customer&plant=Ulm`),
        fields: { plant: 'Ulm' },
        issues: [
          { field: 'Lead Status', value: 'qualified', message: STATE_NAME },
          { field: 'lifecycle_stage', value: 'customer', message: STATE_NAME },
        ],
        absent: ['Lead Status', 'lifecycle_stage'],
      },
      {
        name: 'custom fields named score and consent (JSON)',
        send: (email) => json(`{"email":"${email}","score":100,"consent":true}`),
        fields: {},
        issues: [
          { field: 'score', value: '100', message: STATE_NAME },
          { field: 'consent', value: 'true', message: STATE_NAME },
        ],
        absent: ['score', 'consent'],
      },
    ])(
      'keeps the lead with $name, every value kept or in fieldIssues',
      async ({ send, fields, issues, absent }) => {
        // Arrange
        const email = api.uniqueEmail('json-shape');

        // Act
        const response = await api.request('POST', '/leads', { token: null, ...send(email) });

        // Assert
        expect(response.status, response.text).toBe(202);
        const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
        expect(stored?.fields).toMatchObject(fields);
        for (const name of absent ?? []) expect(stored?.fields).not.toHaveProperty([name]);
        expect(stored?.fieldIssues ?? []).toEqual(issues);
      },
    );
  });
});
