/**
 * Form bodies as browsers send them: URL-encoded and multipart, in the page's charset; files refused;
 * HubSpot's, Typeform's and Mautic's shapes and the action URL's UTM parameters flattened; who wants HTML.
 */
import { describe, expect, it } from 'vitest';
import { isTypeformPartial, isTypeformPost, shapePost, unfitIssue } from '../../lambdas/api/form-shapes.ts';
import { HttpError, type HttpEvent, readFormBody, wantsHtml } from '../../lambdas/api/http.ts';
import { DEMO_QUESTIONS, typeformPost } from '../support/typeform.ts';

function event(body: Buffer | string, contentType: string, extra: Partial<HttpEvent> = {}): HttpEvent {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    headers: { 'content-type': contentType, ...(extra.headers ?? {}) },
    body: bytes.toString('base64'),
    isBase64Encoded: true,
    rawQueryString: extra.rawQueryString ?? '',
  } as unknown as HttpEvent;
}

/** "مدير المصنع" (plant manager) as a windows-1256 page sends it, percent-encoded. */
const PLANT_MANAGER_1256 = Buffer.from([0xe3, 0xcf, 0xed, 0xd1, 0x20, 0xc7, 0xe1, 0xe3, 0xd5, 0xe4, 0xda]);
const percent = (bytes: Buffer) =>
  [...bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

describe('readFormBody', () => {
  it.each<[string, HttpEvent]>([
    [
      'a URL-encoded windows-1256 post naming its charset in _charset_',
      event(
        `_charset_=windows-1256&email=a%40b.example&jobTitle=${percent(PLANT_MANAGER_1256)}`,
        'application/x-www-form-urlencoded',
      ),
    ],
    [
      'a URL-encoded post naming its charset in the content type',
      event(
        `email=a%40b.example&jobTitle=${percent(PLANT_MANAGER_1256)}`,
        'application/x-www-form-urlencoded; charset=windows-1256',
      ),
    ],
    [
      'a multipart windows-1256 post',
      event(
        Buffer.concat([
          Buffer.from('--XyZ\r\ncontent-disposition: form-data; name="_charset_"\r\n\r\nwindows-1256\r\n'),
          Buffer.from('--XyZ\r\ncontent-disposition: form-data; name="email"\r\n\r\na@b.example\r\n'),
          Buffer.from('--XyZ\r\ncontent-disposition: form-data; name="jobTitle"\r\n\r\n'),
          PLANT_MANAGER_1256,
          Buffer.from('\r\n--XyZ--\r\n'),
        ]),
        'multipart/form-data; boundary=XyZ',
      ),
    ],
  ])('decodes %s', (_case, request) => {
    // Act
    const body = readFormBody(request, 16_384);

    // Assert
    expect(body.kind === 'json' ? [] : body.fields).toContainEqual(['jobTitle', 'مدير المصنع']);
  });

  it('reads a post whose optional file input was left empty (the part a browser sends for it: no file name, no bytes)', () => {
    // Arrange: Chromium's bytes for <input type="file" name="attachment"> with no file chosen
    const request = event(
      '--b\r\ncontent-disposition: form-data; name="email"\r\n\r\na@b.example\r\n' +
        '--b\r\ncontent-disposition: form-data; name="attachment"; filename=""\r\ncontent-type: application/octet-stream\r\n\r\n\r\n' +
        '--b\r\ncontent-disposition: form-data; name="firstName"\r\n\r\nAnna\r\n--b--\r\n',
      'multipart/form-data; boundary=b',
    );

    // Act
    const body = readFormBody(request, 16_384);

    // Assert
    expect(body.kind === 'json' ? [] : body.fields).toEqual([
      ['email', 'a@b.example'],
      ['firstName', 'Anna'],
    ]);
  });

  it.each<[string, HttpEvent, [string, string][]]>([
    [
      "a Latin-1 page's €, curly quotes and dash (windows-1252, as browsers send it)",
      event(
        '_charset_=windows-1252&message=Budget+5000%80+%93urgent%94+%96+thanks+%99',
        'application/x-www-form-urlencoded',
      ),
      [['message', 'Budget 5000€ “urgent” – thanks ™']],
    ],
    [
      'the same named latin1 in the content type',
      event('message=%80%85', 'application/x-www-form-urlencoded; charset=latin1'),
      [['message', '€…']],
    ],
    [
      'what a windows-1256 page cannot hold, sent as references: Arabic-Indic digits, an emoji',
      event(
        `_charset_=windows-1256&phone=%26%231632%3B%26%231637%3B%26%231632%3B&company=${percent(Buffer.from([0xe3, 0xd5, 0xe4, 0xda]))}+%26%23128512%3B`,
        'application/x-www-form-urlencoded',
      ),
      [
        ['phone', '٠٥٠'],
        ['company', 'مصنع 😀'],
      ],
    ],
    [
      'references in a multipart windows-1256 post',
      event(
        '--b\r\ncontent-disposition: form-data; name="_charset_"\r\n\r\nwindows-1256\r\n--b\r\ncontent-disposition: form-data; name="message"\r\n\r\n&#1633;&#1634; &#0; &#55357; &#99999999;\r\n--b--',
        'multipart/form-data; boundary=b',
      ),
      [['message', '١٢ &#0; &#55357; &#99999999;']],
    ],
    [
      'a UTF-8 post: a reference is text someone typed',
      event('message=%26%231632%3B', 'application/x-www-form-urlencoded'),
      [['message', '&#1632;']],
    ],
  ])('reads %s', (_case, request, expected) => {
    // Act
    const body = readFormBody(request, 16_384);

    // Assert
    expect(body.kind === 'json' ? [] : body.fields.filter(([name]) => name !== '_charset_')).toEqual(
      expected,
    );
  });

  it('keeps every value of a repeated name, in order', () => {
    // Act
    const body = readFormBody(
      event('email=a%40b.example&interest=pumps&interest=compressors', 'application/x-www-form-urlencoded'),
      16_384,
    );

    // Assert
    expect(body.kind === 'json' ? [] : body.fields.filter(([name]) => name === 'interest')).toEqual([
      ['interest', 'pumps'],
      ['interest', 'compressors'],
    ]);
  });

  it.each<[string, HttpEvent, [string, string][], string[]]>([
    [
      "an old Latin-1 page's umlauts (<meta charset=iso-8859-1>, no charset in the post)",
      event(
        'lastName=M%FCller&jobTitle=Gesch%E4ftsf%FChrer&firstName=J%F6rg&company=M%FCller+K%E4ltetechnik+GmbH&email=joerg%40kaelte.example',
        'application/x-www-form-urlencoded',
      ),
      [
        ['lastName', 'Müller'],
        ['jobTitle', 'Geschäftsführer'],
        ['firstName', 'Jörg'],
        ['company', 'Müller Kältetechnik GmbH'],
        ['email', 'joerg@kaelte.example'],
      ],
      [],
    ],
    [
      'one Latin-1 value among ASCII ones (%FC alone is never UTF-8)',
      event('email=a%40b.example&company=Acme&city=K%F6ln', 'application/x-www-form-urlencoded'),
      [
        ['email', 'a@b.example'],
        ['company', 'Acme'],
        ['city', 'Köln'],
      ],
      [],
    ],
    [
      "a Latin-1 page's €, curly quotes and an emoji it could not hold (a reference, read back)",
      event(
        'message=Budget+5000%80+%93dringend%94&note=%26%23128512%3B',
        'application/x-www-form-urlencoded',
      ),
      [
        ['message', 'Budget 5000€ “dringend”'],
        ['note', '😀'],
      ],
      [],
    ],
    [
      'a value that is UTF-8 beside a Latin-1 one: kept as UTF-8',
      event('company=K%C3%A4lte+AG&lastName=M%FCller', 'application/x-www-form-urlencoded'),
      [
        ['company', 'Kälte AG'],
        ['lastName', 'Müller'],
      ],
      [],
    ],
    [
      "a Latin-1 page's field name",
      event('Stra%DFe=Hauptstra%DFe+1', 'application/x-www-form-urlencoded'),
      [['Straße', 'Hauptstraße 1']],
      [],
    ],
    [
      'a multipart Latin-1 post',
      event(
        Buffer.concat([
          Buffer.from('--b\r\ncontent-disposition: form-data; name="firstName"\r\n\r\nJ\xF6rg\r\n', 'latin1'),
          Buffer.from(
            '--b\r\ncontent-disposition: form-data; name="lastName"\r\n\r\nM\xFCller\r\n--b--\r\n',
            'latin1',
          ),
        ]),
        'multipart/form-data; boundary=b',
      ),
      [
        ['firstName', 'Jörg'],
        ['lastName', 'Müller'],
      ],
      [],
    ],
    [
      'an Arabic windows-1256 page: left unread (its words have no ASCII letter: not a Western page)',
      event(
        `email=a%40b.example&firstName=%DA%E3%D1&jobTitle=${percent(PLANT_MANAGER_1256)}`,
        'application/x-www-form-urlencoded',
      ),
      [['email', 'a@b.example']],
      ['firstName', 'jobTitle'],
    ],
    [
      'a Western-looking value on that Arabic page: unread too (a page has one encoding)',
      event(`lastName=M%FCller&jobTitle=${percent(PLANT_MANAGER_1256)}`, 'application/x-www-form-urlencoded'),
      [],
      ['lastName', 'jobTitle'],
    ],
    [
      'a Cyrillic windows-1251 page ("Иван")',
      event('firstName=%C8%E2%E0%ED', 'application/x-www-form-urlencoded'),
      [],
      ['firstName'],
    ],
    [
      'a multipart Arabic windows-1256 post',
      event(
        Buffer.concat([
          Buffer.from('--b\r\ncontent-disposition: form-data; name="jobTitle"\r\n\r\n'),
          PLANT_MANAGER_1256,
          Buffer.from('\r\n--b--\r\n'),
        ]),
        'multipart/form-data; boundary=b',
      ),
      [],
      ['jobTitle'],
    ],
  ])('reads a post that names no charset: %s', (_case, request, expectedFields, expectedUnread) => {
    // Act
    const body = readFormBody(request, 16_384);

    // Assert
    if (body.kind === 'json') throw new Error('a form post read as JSON');
    expect(body.fields).toEqual(expectedFields);
    expect((body.unreadable ?? []).map((issue) => issue.field)).toEqual(expectedUnread);
  });

  it.each<[string, HttpEvent, number, string]>([
    [
      'a file',
      event(
        '--b\r\ncontent-disposition: form-data; name="cv"; filename="cv.pdf"\r\n\r\n%PDF\r\n--b--',
        'multipart/form-data; boundary=b',
      ),
      415,
      'cv',
    ],
    [
      'a file too large to read, named by its field',
      event(
        `--b\r\ncontent-disposition: form-data; name="email"\r\n\r\na@b.example\r\n--b\r\ncontent-disposition: form-data; name="Attachment"; filename="brochure.pdf"\r\n\r\n${'%'.repeat(20_000)}\r\n--b--`,
        'multipart/form-data; boundary=b',
      ),
      415,
      'Attachment',
    ],
    [
      'an empty file chosen (a file name, no bytes)',
      event(
        '--b\r\ncontent-disposition: form-data; name="cv"; filename="empty.txt"\r\n\r\n\r\n--b--',
        'multipart/form-data; boundary=b',
      ),
      415,
      'cv',
    ],
    [
      'a post too large whose only file input was left empty: too large, not a file',
      event(
        `--b\r\ncontent-disposition: form-data; name="message"\r\n\r\n${'x'.repeat(20_000)}\r\n--b\r\ncontent-disposition: form-data; name="cv"; filename=""\r\n\r\n\r\n--b--`,
        'multipart/form-data; boundary=b',
      ),
      413,
      '(none)',
    ],
    [
      'a multipart post without its closing line',
      event('--b\r\ncontent-disposition: form-data; name="x"\r\n\r\n1', 'multipart/form-data; boundary=b'),
      400,
      '(body)',
    ],
    [
      'an unknown charset',
      event('email=a', 'application/x-www-form-urlencoded; charset=klingon'),
      415,
      'charset',
    ],
    ['text/plain', event('email=a', 'text/plain'), 415, 'content-type'],
  ])('refuses %s with %i naming %s', (_case, request, status, path) => {
    // Act
    let error: unknown;
    try {
      readFormBody(request, 16_384);
    } catch (caught) {
      error = caught;
    }

    // Assert
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(status);
    expect((error as HttpError).fields.map((field) => field.path)).toEqual(path === '(none)' ? [] : [path]);
  });
});

describe('shapePost', () => {
  it('reads HubSpot v3 JSON: fields[], context and the consent given', () => {
    // Arrange
    const body = {
      kind: 'json' as const,
      data: {
        fields: [
          { objectTypeId: '0-1', name: 'email', value: 'sam@acme.example' },
          { objectTypeId: '0-1', name: 'firstname', value: 'Sam' },
        ],
        context: { pageUri: 'https://www.acme.example/demo', hutk: 'abc123', pageName: 'Demo' },
        legalConsentOptions: {
          consent: {
            consentToProcess: true,
            text: 'I agree to the processing of my data.',
            communications: [{ value: true, subscriptionTypeId: 999, text: 'Send me marketing emails.' }],
          },
        },
      },
    };

    // Act
    const shaped = shapePost(body, event('', 'application/json'));

    // Assert
    expect(shaped.hints.detected).toBe('hubspot');
    expect(shaped.fields).toEqual([
      ['email', 'sam@acme.example'],
      ['firstname', 'Sam'],
      ['pageUrl', 'https://www.acme.example/demo'],
      ['hutk', 'abc123'],
      ['pageName', 'Demo'],
      ['marketingConsent', true],
    ]);
    expect(shaped.legalConsent).toEqual({
      source: 'hubspot',
      consentToProcess: true,
      text: 'I agree to the processing of my data.',
      communications: [{ given: true, subscriptionTypeId: '999', text: 'Send me marketing emails.' }],
    });
  });

  it.each([
    ['URL-encoded', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data'],
  ])(
    "reads HubSpot's own HTML form (%s): hs_context's page, LEGAL_CONSENT.* as the consent given, no IP address kept",
    (_, contentType) => {
      // Arrange: the form HubSpot's embed renders, its action pointed at LeadPact (older pages post it as such,
      // with the legacy Forms API's hs_context)
      const context = JSON.stringify({
        hutk: 'abc123',
        ipAddress: '203.0.113.7',
        pageUrl: 'https://www.acme.example/demo',
        pageName: 'Demo',
        redirectUrl: 'https://www.acme.example/thanks',
      });
      const pairs: [string, string][] = [
        ['firstname', 'Sam'],
        ['email', 'sam@acme.example'],
        ['LEGAL_CONSENT.subscription_type_4681882', 'true'],
        ['LEGAL_CONSENT.subscription_type_4681883', 'false'],
        ['LEGAL_CONSENT.processing', 'true'],
        ['hs_context', context],
      ];
      const body = { kind: 'form' as const, fields: pairs };

      // Act
      const shaped = shapePost(body, event('', contentType));

      // Assert: before, hs_context (with the visitor's IP address) and LEGAL_CONSENT.* were custom fields and a
      // visitor who ticked the subscription got no marketingConsent
      expect(shaped.hints.detected).toBe('hubspot');
      expect(shaped.fields).toEqual([
        ['firstname', 'Sam'],
        ['email', 'sam@acme.example'],
        ['pageUrl', 'https://www.acme.example/demo'],
        ['hutk', 'abc123'],
        ['pageName', 'Demo'],
        ['redirectUrl', 'https://www.acme.example/thanks'],
        ['marketingConsent', true],
      ]);
      expect(shaped.legalConsent).toEqual({
        source: 'hubspot',
        consentToProcess: true,
        communications: [
          { given: true, subscriptionTypeId: '4681882' },
          { given: false, subscriptionTypeId: '4681883' },
        ],
      });
    },
  );

  it.each([
    ['no subscription ticked (only processing)', [['LEGAL_CONSENT.processing', 'true']], undefined],
    ['a plain checkbox (on)', [['LEGAL_CONSENT.subscription_type_7', 'on']], true],
    ['hs_context that is no JSON', [['hs_context', '{not json']], undefined],
  ] as const)('HubSpot HTML form: %s', (_, extra, consent) => {
    // Arrange
    const body = {
      kind: 'form' as const,
      fields: [['email', 'sam@acme.example'], ...extra] as [string, string][],
    };

    // Act
    const shaped = shapePost(body, event('', 'application/x-www-form-urlencoded'));

    // Assert: the consent given or not; neither hs_context nor LEGAL_CONSENT.* is ever a field
    expect(shaped.fields.find(([name]) => name === 'marketingConsent')?.[1]).toBe(consent);
    expect(shaped.fields.map(([name]) => name)).not.toContain('hs_context');
    expect(shaped.fields.some(([name]) => name.startsWith('LEGAL_CONSENT'))).toBe(false);
  });

  it("reads HubSpot v3 company properties (objectTypeId 0-2): the company's name is the company, not the person's name", () => {
    // Arrange: a HubSpot form with company fields, as HubSpot's form builder adds them (object 0-2: companies)
    const body = {
      kind: 'json' as const,
      data: {
        fields: [
          { objectTypeId: '0-1', name: 'email', value: 'hana@acme.example' },
          { objectTypeId: '0-1', name: 'firstname', value: 'Hana' },
          { objectTypeId: '0-2', name: 'name', value: 'Acme Foods GmbH' },
          { objectTypeId: '0-2', name: 'domain', value: 'acme.example' },
          { objectTypeId: '0-2', name: 'phone', value: '+49 30 1234' },
          { objectTypeId: '0-2', name: 'numberofemployees', value: '850' },
        ],
      },
    };

    // Act
    const shaped = shapePost(body, event('', 'application/json'));

    // Assert
    expect(shaped.fields).toEqual([
      ['email', 'hana@acme.example'],
      ['firstname', 'Hana'],
      ['company', 'Acme Foods GmbH'],
      ['website', 'acme.example'],
      ['companyPhone', '+49 30 1234'],
      ['numberofemployees', '850'],
    ]);
  });

  it("reads Typeform's webhook: each answer by its ref, else its title; the only email and phone by type; hidden fields; Typeform's form id", () => {
    // Arrange
    const data = typeformPost(DEMO_QUESTIONS, { hidden: { utm_source: 'linkedin' } });

    // Act
    const shaped = shapePost({ kind: 'json', data }, event('', 'application/json'));

    // Assert
    expect(shaped.fields).toEqual([
      ["What's your first name?", 'Lena'],
      ['last_name', 'Vogt'],
      ['email', 'lena.vogt@rheinwerk-brau.example'],
      ['phone', '+4922112345678'],
      ['company', 'Rheinwerk Brau GmbH'],
      ["What's your job title?", 'Plant Manager'],
      ['country', 'Germany'],
      ['employees', 420],
      ['What are you interested in?', 'Compressors'],
      ['What are you interested in?', 'Service'],
      ['message', 'Two lines to replace in spring.'],
      ['typeformFormId', 'lT4Z3j'],
    ]);
    // hidden fields count where the answers give none (mapFormPost's fallback)
    expect(shaped.fallback).toEqual([['utm_source', 'linkedin']]);
    expect(shaped.unfit.map(unfitIssue)).toEqual([]);
    expect(isTypeformPost(data)).toBe(true);
    expect(isTypeformPartial(data)).toBe(false);
  });

  it('Typeform: two email answers keep their questions (a referral form), "other" choices and unanswered questions', () => {
    // Arrange
    const data = typeformPost([
      { id: 'a', title: 'Your email', type: 'email', answer: { type: 'email', value: 'me@a.example' } },
      {
        id: 'b',
        title: "Your colleague's email",
        type: 'email',
        answer: { type: 'email', value: 'co@a.example' },
      },
      {
        id: 'c',
        title: 'Role',
        type: 'multiple_choice',
        answer: { type: 'choice', value: { other: 'Shift lead' } },
      },
      { id: 'd', title: 'Budget?', type: 'number' },
      { id: 'e', title: 'Pay', type: 'payment', answer: { type: 'payment', value: { amount: '10' } } },
    ]);

    // Act
    const shaped = shapePost({ kind: 'json', data }, event('', 'application/json'));

    // Assert
    expect(shaped.fields).toEqual([
      ['Your email', 'me@a.example'],
      ["Your colleague's email", 'co@a.example'],
      ['Role', 'Shift lead'],
      ['typeformFormId', 'lT4Z3j'],
    ]);
  });

  it('Typeform: a ref its builder generated as a ULID (01GV3CX07TK8PHYY19BX7HMJCA, forms built since 2022) names nothing: the title is used', () => {
    // Arrange: the refs Typeform's builder gives new questions are ULIDs, 26 characters of Crockford base32,
    // as in the payloads of forms built in its web builder (UUIDs before)
    const data = typeformPost([
      {
        id: 'GuQxnVdjgS7Z',
        title: "What's your first name?",
        type: 'short_text',
        ref: '01GV3CX07TK8PHYY19BX7HMJCA',
        answer: { type: 'text', value: 'Tara' },
      },
      {
        id: 'r2NV4a7LSugq',
        title: 'Where can we reach you?',
        type: 'email',
        ref: '01GQZMFYAD53N13MC7G0AKFWC6',
        answer: { type: 'email', value: 'tara@a.example' },
      },
      {
        id: 'mMGwZGAyTvf1',
        title: 'Your job title',
        type: 'short_text',
        ref: '01gg6mx757ca4r148azct47rr3',
        answer: { type: 'text', value: 'Plant Manager' },
      },
    ]);

    // Act
    const shaped = shapePost({ kind: 'json', data }, event('', 'application/json'));

    // Assert
    expect(shaped.fields).toEqual([
      ["What's your first name?", 'Tara'],
      ['email', 'tara@a.example'],
      ['Your job title', 'Plant Manager'],
      ['typeformFormId', 'lT4Z3j'],
    ]);
  });

  it('Typeform: the only email and phone answers are the lead’s whatever refs they were given (readable_ref_email)', () => {
    // Arrange: refs someone (or Typeform's example payload) gave the questions, which name no lead field
    const data = typeformPost([
      {
        id: 'e',
        title: 'Where can we reach you?',
        type: 'email',
        ref: 'readable_ref_email',
        answer: { type: 'email', value: 'me@a.example' },
      },
      {
        id: 'p',
        title: 'A number for the call',
        type: 'phone_number',
        ref: 'fhg908-ewb047-gfp261-mxw563',
        answer: { type: 'phone_number', value: '+4922112345678' },
      },
      {
        id: 'c',
        title: 'Company',
        type: 'short_text',
        ref: 'company',
        answer: { type: 'text', value: 'Acme' },
      },
    ]);

    // Act
    const shaped = shapePost({ kind: 'json', data }, event('', 'application/json'));

    // Assert
    expect(shaped.fields).toEqual([
      ['email', 'me@a.example'],
      ['phone', '+4922112345678'],
      ['company', 'Acme'],
      ['typeformFormId', 'lT4Z3j'],
    ]);
  });

  it.each([
    [
      'a partial response',
      { event_type: 'form_response_partial', form_response: { answers: [] } },
      true,
      true,
    ],
    [
      'a plain lead with a field named form_response',
      { email: 'a@b.example', form_response: 'yes' },
      false,
      false,
    ],
    ['no answers list', { event_type: 'form_response', form_response: { answers: 'x' } }, false, false],
  ])('%s: Typeform %s, partial %s', (_case, data, typeform, partial) => {
    expect(isTypeformPost(data)).toBe(typeform);
    expect(isTypeformPartial(data)).toBe(partial);
  });

  it("reads Elementor's webhook with advanced data: fields[id][title|value|type] as records, the form's id, the page", () => {
    // Arrange
    const pairs: [string, string][] = [
      ['form[id]', 'a1b2c3d'],
      ['form[name]', 'Demo request'],
      ['fields[name][id]', 'name'],
      ['fields[name][type]', 'text'],
      ['fields[name][title]', 'Your Name'],
      ['fields[name][value]', 'Jonas Berg'],
      ['fields[field_9f1][type]', 'email'],
      ['fields[field_9f1][title]', 'Where can we reach you?'],
      ['fields[field_9f1][value]', 'jonas@berg.example'],
      ['fields[field_77a][type]', 'text'],
      ['fields[field_77a][title]', 'Company'],
      ['fields[field_77a][value]', 'Berg Maschinen'],
      ['fields[field_2c][type]', 'tel'],
      ['fields[field_2c][title]', 'Mobile'],
      ['fields[field_2c][value]', '+46 70 123 45 67'],
      ['meta[page_url][title]', 'Page URL'],
      ['meta[page_url][value]', 'https://www.berg.example/demo'],
      ['meta[remote_ip][value]', '198.51.100.7'],
    ];
    const body = pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');

    // Act
    const shaped = shapePost(
      readFormBody(event(body, 'application/x-www-form-urlencoded'), 16_384),
      event('', 'application/x-www-form-urlencoded'),
    );

    // Assert
    expect(shaped.fields).toEqual([
      ['Your Name', 'Jonas Berg'],
      ['email', 'jonas@berg.example'],
      ['Company', 'Berg Maschinen'],
      ['phone', '+46 70 123 45 67'],
      ['form_id', 'a1b2c3d'],
      ['pageUrl', 'https://www.berg.example/demo'],
    ]);
  });

  it('an Elementor post with ids like __proto__ and constructor: records like any other, nothing inherited', () => {
    // Arrange
    const pairs: [string, string][] = [
      ['fields[__proto__][title]', 'Company'],
      ['fields[__proto__][value]', 'Proto GmbH'],
      ['fields[constructor][type]', 'email'],
      ['fields[constructor][value]', 'c@proto.example'],
      ['form[__proto__]', 'x'],
      ['meta[__proto__][value]', 'y'],
    ];
    const body = pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');

    // Act
    const shaped = shapePost(
      readFormBody(event(body, 'application/x-www-form-urlencoded'), 16_384),
      event('', 'application/x-www-form-urlencoded'),
    );

    // Assert
    expect(shaped.fields).toEqual([
      ['Company', 'Proto GmbH'],
      ['email', 'c@proto.example'],
    ]);
    expect(({} as Record<string, unknown>).value).toBeUndefined();
  });

  it('Elementor: an optional second email field left blank does not unseat the one filled in as the lead’s email', () => {
    // Arrange: Elementor posts every field, the blank ones too
    const fields: [string, string][] = [
      ['fields[field_1][type]', 'email'],
      ['fields[field_1][title]', 'Where can we reach you?'],
      ['fields[field_1][value]', 'jonas@berg.example'],
      ['fields[field_2][type]', 'email'],
      ['fields[field_2][title]', 'A colleague to copy (optional)'],
      ['fields[field_2][value]', ''],
    ];

    // Act
    const shaped = shapePost({ kind: 'form', fields }, event('', 'application/x-www-form-urlencoded'));

    // Assert
    expect(shaped.fields).toContainEqual(['email', 'jonas@berg.example']);
    expect(shaped.fields.filter(([name]) => name === 'email')).toHaveLength(1);
  });

  it('reads a form builder’s JSON of field records: { fields: { id: { label, value, type } }, form: { id } }', () => {
    // Arrange
    const data = {
      form: { id: 12, name: 'Contact' },
      fields: {
        field_1: { label: 'Full Name', value: 'Amal Haddad', type: 'text' },
        field_2: { label: 'Email', value: 'amal@haddad.example', type: 'email' },
        field_3: { label: 'Interests', value: ['Dryers', 'Service'], type: 'checkbox' },
        field_4: { label: '', value: 'no label', type: 'text' },
      },
    };

    // Act
    const shaped = shapePost({ kind: 'json', data }, event('', 'application/json'));

    // Assert
    expect(shaped.fields).toEqual([
      ['Full Name', 'Amal Haddad'],
      ['email', 'amal@haddad.example'],
      ['Interests', 'Dryers'],
      ['Interests', 'Service'],
      ['field_4', 'no label'],
      ['form_id', 12],
    ]);
  });

  it.each<[string, { kind: 'json'; data: unknown } | { kind: 'form'; fields: [string, string][] }]>([
    [
      'a Typeform answer typed "constructor" (an own value)',
      {
        kind: 'json',
        data: typeformPost([
          { id: 'e', title: 'Email', type: 'email', answer: { type: 'email', value: 'a@b.example' } },
          { id: 'c', title: 'Company', type: 'short_text', answer: { type: 'constructor', value: 'Acme' } },
        ]),
      },
    ],
    [
      'a Typeform answer typed "toString" (no value of its own)',
      {
        kind: 'json',
        data: {
          event_type: 'form_response',
          form_response: {
            answers: [
              { type: 'email', email: 'a@b.example', field: { id: 'e' } },
              { type: 'toString', field: { id: 'c' } },
            ],
          },
        },
      },
    ],
    [
      'a Typeform answer typed "__proto__"',
      {
        kind: 'json',
        data: JSON.parse(
          '{"event_type":"form_response","form_response":{"answers":[{"type":"email","email":"a@b.example","field":{"id":"e"}},{"type":"__proto__","__proto__":"x","field":{"id":"c"}}]}}',
        ),
      },
    ],
    [
      'a JSON field record typed "constructor"',
      {
        kind: 'json',
        data: {
          fields: { e: { type: 'email', value: 'a@b.example' }, c: { type: 'constructor', value: 'v' } },
        },
      },
    ],
    [
      'an Elementor field typed "__proto__"',
      {
        kind: 'form',
        fields: [
          ['fields[e][type]', 'email'],
          ['fields[e][value]', 'a@b.example'],
          ['fields[c][type]', '__proto__'],
          ['fields[c][value]', 'v'],
        ],
      },
    ],
    [
      'an Elementor field typed "constructor"',
      {
        kind: 'form',
        fields: [
          ['fields[e][type]', 'email'],
          ['fields[e][value]', 'a@b.example'],
          ['fields[c][type]', 'constructor'],
          ['fields[c][value]', 'v'],
        ],
      },
    ],
  ])('%s: named like any other answer (a type is data, not a key of ours)', (_case, body) => {
    // Act
    const shaped = shapePost(body, event('', 'application/json'));

    // Assert
    expect(shaped.fields.every(([name]) => typeof name === 'string')).toBe(true);
    expect(shaped.fields).toContainEqual(['email', 'a@b.example']);
    expect(shaped.unfit.every((issue) => typeof issue.value === 'string')).toBe(true);
  });

  it('a value nested thousands deep is a field issue showing its start, not a stack overflow', () => {
    // Arrange
    const depth = 20_000;
    const data = JSON.parse(
      `{"event_type":"form_response","form_response":{"answers":[{"type":"email","email":"a@b.example","field":{"id":"e"}}],"hidden":{"campaign":${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}}}}`,
    );

    // Act
    const shaped = shapePost({ kind: 'json', data }, event('', 'application/json'));

    // Assert
    expect(shaped.unfit.map(unfitIssue)).toEqual([
      {
        field: 'campaign',
        value: expect.stringMatching(/^\{"a":\[\{"a":\[/),
        message: 'a value, not an object',
      },
    ]);
  });

  it('an object a post gave where a value belongs is shown in its JSON', () => {
    // Act
    const shaped = shapePost(
      {
        kind: 'json',
        data: { email: 'a@b.example', company: { name: 'Acme "Ltd"', size: [1, true, null] } },
      },
      event('', 'application/json'),
    );

    // Assert
    expect(shaped.unfit.map(unfitIssue)).toEqual([
      {
        field: 'company',
        value: '{"name":"Acme \\"Ltd\\"","size":[1,true,null]}',
        message: 'a value, not an object',
      },
    ]);
  });

  it.each<[string, [string, string][], [string, string][]]>([
    [
      "Elementor's simple webhook with its metadata: the visitor's IP and browser, the date, time and credit are left out",
      [
        ['Name', 'Jonas Berg'],
        ['Email', 'jonas@berg.example'],
        ['Date', 'December 4, 2026'],
        ['Time', '9:14 pm'],
        ['Page URL', 'https://www.berg.example/demo'],
        ['User Agent', 'Mozilla/5.0 (iPhone)'],
        ['Remote IP', '198.51.100.7'],
        ['Powered by', 'Elementor'],
      ],
      [
        ['Name', 'Jonas Berg'],
        ['Email', 'jonas@berg.example'],
        ['Page URL', 'https://www.berg.example/demo'],
      ],
    ],
    [
      'another form with a field named Date keeps it',
      [
        ['email', 'a@b.example'],
        ['Date', 'next week'],
      ],
      [
        ['email', 'a@b.example'],
        ['Date', 'next week'],
      ],
    ],
  ])('%s', (_case, pairs, expected) => {
    // Arrange
    const body = pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');

    // Act
    const shaped = shapePost(
      readFormBody(event(body, 'application/x-www-form-urlencoded'), 16_384),
      event('', 'application/x-www-form-urlencoded'),
    );

    // Assert
    expect(shaped.fields).toEqual(expected);
  });

  it("reads Mautic's mauticform[...] names and the action URL's UTM parameters and click ids", () => {
    // Arrange
    const body = {
      kind: 'form' as const,
      fields: [
        ['mauticform[email]', 'lea@werk.example'],
        ['mauticform[interests][]', 'pumps'],
        ['mauticform[utm_source]', 'newsletter'],
      ] as const,
    };

    // Act
    const shaped = shapePost(
      body,
      event('', 'application/x-www-form-urlencoded', {
        rawQueryString:
          'utm_source=linkedin&utm_campaign=spring&gclid=G1&fbclid=F1&msclkid=M1&other=x&formId=demo-request',
      }),
    );

    // Assert
    expect(shaped.hints).toEqual({ detected: 'mautic', formId: 'demo-request' });
    expect(shaped.fields).toEqual([
      ['email', 'lea@werk.example'],
      ['interests', 'pumps'],
      ['utm_source', 'newsletter'],
      ['utm_campaign', 'spring'],
      ['gclid', 'G1'],
      ['fbclid', 'F1'],
      ['msclkid', 'M1'],
    ]);
  });
});

describe('wantsHtml', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['a navigation', { 'sec-fetch-mode': 'navigate' }, true],
    ['fetch from a page', { 'sec-fetch-mode': 'cors', accept: '*/*' }, false],
    ['an old browser', { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }, true],
    ['curl', { accept: '*/*' }, false],
    ['a JSON client', { accept: 'application/json' }, false],
    ['no headers', {}, false],
  ])('%s: %s', (_case, headers, html) => {
    // Act + Assert
    expect(wantsHtml({ headers } as unknown as HttpEvent)).toBe(html);
  });
});
