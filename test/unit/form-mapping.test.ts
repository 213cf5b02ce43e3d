/**
 * Vendor forms as LeadPact reads them: each preset's documented names mapped to LeadPact's fields,
 * case-insensitively; unknown names (Salesforce 00N ids) kept as custom fields; multi-selects keep
 * every value; honeypots and return-URL fields picked out; values read leniently (ADR 0018).
 */
import { describe, expect, it } from 'vitest';
import { mapFormPost, type PostedFields } from '../../lambdas/domain/form-mapping.ts';
import { type PresetName, questionStem } from '../../lambdas/domain/form-presets.ts';
import { formValues } from '../../lambdas/domain/form-values.ts';
import { makeSla } from '../support/sla.ts';

const SLA = makeSla({ forms: [{ id: 'demo-request', name: 'Book a demo' }] });

function read(
  fields: PostedFields,
  options: { detected?: PresetName; sla?: typeof SLA; formId?: string } = {},
) {
  const mapped = mapFormPost(options.sla ?? SLA, fields, {
    ...(options.detected ? { detected: options.detected } : {}),
    // the SLA form the action URL names (?formId=)
    ...(options.formId ? { formId: options.formId } : {}),
  });
  return { mapped, values: formValues(mapped) };
}

describe('vendor presets', () => {
  it.each<[string, PostedFields, Record<string, unknown>, PresetName?]>([
    [
      'Salesforce Web-to-Lead',
      [
        ['oid', '00D5g000001abcd'],
        ['retURL', 'https://www.example.com/thanks'],
        ['first_name', 'Greta'],
        ['last_name', 'Hoffmann'],
        ['email', 'greta@nordsee.example'],
        ['company', 'Nordsee Feinkost'],
        ['title', 'Plant Manager'],
        ['country', 'Germany'],
        ['employees', '850'],
        ['description', 'Two lines need compressors'],
        ['00N5g00000AbCdE', 'Compressors'],
        ['00N5g00000AbCdE', 'Pumps'],
        ['emailOptOut', '1'],
        // the generated form's button: <input type="submit" name="submit"> (docs/forms.md)
        ['submit', 'Submit'],
      ],
      {
        firstName: 'Greta',
        lastName: 'Hoffmann',
        company: 'Nordsee Feinkost',
        jobTitle: 'Plant Manager',
        country: 'DE',
        employees: 850,
        message: 'Two lines need compressors',
        '00N5g00000AbCdE': 'Compressors; Pumps',
      },
    ],
    [
      'HubSpot fields[]',
      [
        ['email', 'sam@acme.example'],
        ['firstname', 'Sam'],
        ['lastname', 'Reed'],
        ['jobtitle', 'Maintenance Engineer'],
        ['company', 'Acme'],
        ['country', 'United States'],
        ['numemployees', '500-1000'],
        ['annualrevenue', '25000000'],
      ],
      {
        firstName: 'Sam',
        lastName: 'Reed',
        jobTitle: 'Maintenance Engineer',
        company: 'Acme',
        country: 'US',
        employees: 500,
        revenue: 25_000_000,
      },
      'hubspot',
    ],
    [
      'Mautic mauticform[...] (title is the salutation)',
      [
        ['email', 'lea@werk.example'],
        ['firstname', 'Lea'],
        ['lastname', 'Braun'],
        ['title', 'Dr.'],
        ['position', 'Head of Production'],
        ['company', 'Werk AG'],
        ['country', 'Austria'],
        ['formId', '3'],
        ['return', 'https://www.example.com/thanks'],
        ['messenger', '1'],
      ],
      {
        firstName: 'Lea',
        lastName: 'Braun',
        salutation: 'Dr.',
        jobTitle: 'Head of Production',
        company: 'Werk AG',
        country: 'AT',
        mauticFormId: '3',
      },
      'mautic',
    ],
    [
      'Webflow (label-named fields)',
      [
        ['Name', 'Omar Haddad'],
        ['Email', 'omar@nile.example'],
        ['Company', 'Nile Foods'],
        ['Job Title', 'Plant Manager'],
        ['Message', 'Call me'],
      ],
      {
        firstName: 'Omar',
        lastName: 'Haddad',
        company: 'Nile Foods',
        jobTitle: 'Plant Manager',
        message: 'Call me',
      },
    ],
    [
      // Webflow numbers a field it already has on another form of the site: "Email 2", "Name 2"
      'Webflow (numbered copies of its fields)',
      [
        ['Name 2', 'Omar Haddad'],
        ['Email 2', 'omar@nile.example'],
        ['Company 2', 'Nile Foods'],
        ['Message 2', 'Call me'],
        ['Address 2', 'Cairo'],
      ],
      {
        firstName: 'Omar',
        lastName: 'Haddad',
        company: 'Nile Foods',
        message: 'Call me',
        'Address 2': 'Cairo',
      },
    ],
    [
      'a numbered field beside the field itself stays a field of its own',
      [
        ['Phone', '+20 2 1234 5678'],
        ['Phone 2', '+20 10 1234 5678'],
        ['Email', 'omar@nile.example'],
      ],
      { phone: '+20 2 1234 5678', 'Phone 2': '+20 10 1234 5678' },
    ],
    [
      'Netlify (form-name, name split)',
      [
        ['form-name', 'contact'],
        ['bot-field', ''],
        ['name', 'Ludwig van Beethoven'],
        ['email', 'ludwig@bonn.example'],
        ['message', 'Hi'],
      ],
      { formName: 'contact', firstName: 'Ludwig', lastName: 'van Beethoven', message: 'Hi' },
    ],
    [
      'Contact Form 7 (your-* names, its hidden _wpcf7 fields)',
      [
        ['_wpcf7', '123'],
        ['_wpcf7_version', '5.9.3'],
        ['_wpcf7_locale', 'en_US'],
        ['_wpcf7_unit_tag', 'wpcf7-f123-p45-o1'],
        ['_wpcf7_container_post', '45'],
        ['_wpcf7_posted_data_hash', ''],
        ['_wpcf7_recaptcha_response', '03AFcWeA6...'],
        ['your-name', 'Cora Seven'],
        ['your-email', 'cora@cf7.example'],
        ['your-subject', 'Quote'],
        ['your-message', 'Need pumps'],
      ],
      { firstName: 'Cora', lastName: 'Seven', 'your-subject': 'Quote', message: 'Need pumps' },
    ],
    [
      'Arabic labels (a Webflow or Contact Form 7 form on an Arabic site), typed with and without hamza, ه for ة',
      [
        ['الإسم', 'عمر حداد'],
        ['البريد الالكتروني', 'omar@nile.example'],
        ['اسم الشركه', 'شركة النيل للأغذية'],
        ['المسمى الوظيفي', 'مدير المصنع'],
        ['رقم الجوال', '٠٥٠١٢٣٤٥٦٧'],
        ['الدولة', 'مصر'],
        ['عدد الموظفين', '١٬٢٠٠'],
        ['الرسالة', 'نريد عرضًا لـ Atlas Copco GA37'],
      ],
      {
        firstName: 'عمر',
        lastName: 'حداد',
        company: 'شركة النيل للأغذية',
        jobTitle: 'مدير المصنع',
        phone: '0501234567',
        country: 'EG',
        employees: 1200,
        message: 'نريد عرضًا لـ Atlas Copco GA37',
      },
    ],
  ])('reads a %s post', (_vendor, fields, expected, detected) => {
    // Act
    const { values } = read(fields, detected ? { detected } : {});

    // Assert
    expect(values.fields).toEqual(expected);
    expect(values.fieldIssues).toEqual([]);
  });

  it.each<[string, PostedFields, string | undefined]>([
    ['retURL', [['retURL', 'https://www.example.com/a']], 'https://www.example.com/a'],
    ['_redirect', [['_redirect', 'https://www.example.com/b']], 'https://www.example.com/b'],
    ['_next', [['_next', 'https://www.example.com/c']], 'https://www.example.com/c'],
    ['none', [['firstName', 'Ada']], undefined],
  ])('picks the return URL from %s', (_name, fields, expected) => {
    // Act
    const { mapped } = read([['email', 'ada@plant.example'], ...fields]);

    // Assert
    expect(mapped.returnUrl).toBe(expected);
  });

  it.each<[string, { detected?: PresetName; sla?: typeof SLA; formId?: string }]>([
    ["a post with Marketo's hidden fields (detected)", { detected: 'marketo' }],
    [
      "a form's values sent by its onSubmit, to an SLA form that names the preset",
      {
        sla: makeSla({ forms: [{ id: 'demo-request', name: 'Book a demo', preset: 'marketo' }] }),
        formId: 'demo-request',
      },
    ],
  ])("reads Marketo's names in %s: Title, Unsubscribed, formid, returnURL", (_how, options) => {
    // Act
    const { mapped, values } = read(
      [
        ['Email', 'greta@nordsee.example'],
        ['FirstName', 'Greta'],
        ['Title', 'Plant Manager'],
        ['MobilePhone', '+49 171 1234567'],
        ['Unsubscribed', 'yes'],
        ['formid', '1045'],
        ['returnURL', 'https://www.example.com/thanks'],
      ],
      options,
    );

    // Assert
    expect(values.fields).toMatchObject({
      firstName: 'Greta',
      jobTitle: 'Plant Manager',
      phone: '+49 171 1234567',
      // Marketo's own form number: the SLA form is named by the action URL (?formId=), as for Mautic
      marketoFormId: '1045',
    });
    expect(values.fields.formId).toBe(options.formId);
    expect(values.optOut).toBe(true);
    expect(mapped.returnUrl).toBe('https://www.example.com/thanks');
  });

  it("reads Marketo's names as anyone's in a post that is not Marketo's: title is the job title, formid the form", () => {
    // Act
    const { values } = read([
      ['Title', 'Plant Manager'],
      ['formid', 'demo-request'],
      ['Unsubscribed', 'yes'],
    ]);

    // Assert: Salesforce's title, LeadPact's own formId; Unsubscribed is no opt-out here, and no custom field
    // beside the lead's own `unsubscribed` either: kept in fieldIssues for a person to read
    expect(values.fields).toEqual({ jobTitle: 'Plant Manager', formId: 'demo-request' });
    expect(values.fieldIssues).toEqual([
      { field: 'Unsubscribed', value: 'yes', message: 'a name LeadPact uses for the lead’s own state' },
    ]);
    expect(values.optOut).not.toBe(true);
  });

  it('reads mauticform[return] as the return URL only in a Mautic-shaped post', () => {
    // Act
    const mautic = read([['return', 'https://www.example.com/m']], { detected: 'mautic' }).mapped;
    const other = read([['return', 'https://www.example.com/m']]).mapped;

    // Assert
    expect(mautic.returnUrl).toBe('https://www.example.com/m');
    expect(other.returnUrl).toBeUndefined();
  });

  it.each<[string, PostedFields, boolean]>([
    ["Netlify's bot-field filled", [['bot-field', 'http://spam.example']], true],
    ['_gotcha filled', [['_gotcha', 'x']], true],
    ['bot-field empty', [['bot-field', '']], false],
    ['no honeypot', [['firstName', 'Ada']], false],
  ])('tells a bot by %s', (_case, fields, bot) => {
    // Act
    const { mapped } = read([['email', 'ada@plant.example'], ...fields]);

    // Assert
    expect(mapped.honeypot).toBe(bot);
  });
});

describe('a mobile number beside a phone (the vendors map both to the phone)', () => {
  it.each<[string, PostedFields, Record<string, unknown>, PresetName?]>([
    [
      'Salesforce: phone and mobile',
      [
        ['phone', '+49 171 234567'],
        ['mobile', '0171 2345678'],
      ],
      { phone: '+49 171 234567', mobile: '0171 2345678' },
      'salesforce',
    ],
    [
      'HubSpot: phone and mobilephone',
      [
        ['mobilephone', '0171 2345678'],
        ['phone', '+49 171 234567'],
      ],
      { phone: '+49 171 234567', mobilephone: '0171 2345678' },
      'hubspot',
    ],
    [
      'Marketo: Phone and MobilePhone',
      [
        ['Phone', '+49 171 234567'],
        ['MobilePhone', '0171 2345678'],
      ],
      { phone: '+49 171 234567', MobilePhone: '0171 2345678' },
      'marketo',
    ],
    [
      'Mautic: phone and mobile',
      [
        ['phone', '+49 171 234567'],
        ['mobile', '0171 2345678'],
      ],
      { phone: '+49 171 234567', mobile: '0171 2345678' },
      'mautic',
    ],
    [
      'Salesforce: a mobile alone is the phone',
      [['mobile', '0171 2345678']],
      { phone: '0171 2345678' },
      'salesforce',
    ],
    [
      'HubSpot: a phone left blank, the mobile is the phone',
      [
        ['phone', ' '],
        ['mobilephone', '0171 2345678'],
      ],
      { phone: '0171 2345678' },
      'hubspot',
    ],
  ])('%s: both numbers kept, the phone dials', (_case, fields, expected, detected) => {
    // Act
    const { values } = read(fields, detected ? { detected } : {});

    // Assert
    expect(values.fields).toEqual(expected);
    expect(values.fieldIssues).toEqual([]);
  });
});

describe('the same answer posted twice', () => {
  it.each<[string, PostedFields, Record<string, unknown>]>([
    [
      'a name repeated on the page',
      [
        ['firstName', 'Anna'],
        ['firstName', ' Anna '],
      ],
      { firstName: 'Anna' },
    ],
    [
      'a multi-select with a value twice',
      [
        ['interest', 'pumps'],
        ['interest', 'compressors'],
        ['interest', 'pumps'],
      ],
      { interest: 'pumps; compressors' },
    ],
    [
      'a custom field twice',
      [
        ['plant', 'Bremen'],
        ['plant', 'Bremen'],
      ],
      { plant: 'Bremen' },
    ],
  ])('%s is one answer', (_case, fields, expected) => {
    // Act
    const { values } = read(fields);

    // Assert
    expect(values.fields).toEqual(expected);
    expect(values.fieldIssues).toEqual([]);
  });
});

describe('the SLA mapping', () => {
  const sla = makeSla({
    formDefaults: { fields: { interest: 'Product of interest' } },
    forms: [
      {
        id: 'trade-show',
        preset: 'salesforce',
        fields: { jobTitle: ['Funktion'], industry: '00N5g00000Indus' },
        honeypots: ['website_url'],
      },
    ],
  });

  it.each<[string, PostedFields, Record<string, unknown>]>([
    [
      "the form's aliases, case-insensitive",
      [
        ['FUNKTION', 'Werksleiter'],
        ['00n5g00000indus', 'food'],
      ],
      { jobTitle: 'Werksleiter', industry: 'food' },
    ],
    ['the default aliases', [['product of interest', 'pumps']], { interest: 'pumps' }],
    ['the preset beside them', [['title', 'Plant Manager']], { jobTitle: 'Plant Manager' }],
  ])('maps %s', (_case, fields, expected) => {
    // Act
    const { values } = read([['formId', 'trade-show'], ['email', 'a@b.example'], ...fields], { sla });

    // Assert
    expect(values.fields).toMatchObject(expected);
  });

  it("adds the form's own honeypot", () => {
    // Act
    const { mapped } = read(
      [
        ['formId', 'trade-show'],
        ['website_url', 'x'],
      ],
      { sla },
    );

    // Assert
    expect(mapped.honeypot).toBe(true);
  });
});

describe('Gravity Forms (numbered inputs, mapped in the SLA)', () => {
  it('reads the inputs the SLA form maps and drops its hidden plumbing (gform_submit, is_submit_1, state_1, ...)', () => {
    // Arrange: a Gravity Forms post as its form sends it, its action pointed at LeadPact
    const sla = makeSla({
      forms: [
        {
          id: 'contact',
          name: 'Contact',
          fields: { email: 'input_2', firstName: 'input_1.3', lastName: 'input_1.6', message: 'input_4' },
        },
      ],
    });
    const fields: PostedFields = [
      ['input_1.3', 'Grace'],
      ['input_1.6', 'Vity'],
      ['input_2', 'grace@gravity.example'],
      ['input_4', 'Hello'],
      ['is_submit_1', '1'],
      ['gform_submit', '1'],
      ['gform_unique_id', ''],
      ['state_1', 'WyJbXSIsIjZiZjE0ZTNlZGM0YjBmNTg0NTg3ZGZhNjk0N2MzNmNjIl0='],
      ['gform_target_page_number_1', '0'],
      ['gform_source_page_number_1', '1'],
      ['gform_field_values', ''],
      ['version_hash', 'a1b2c3'],
    ];

    // Act
    const { values } = read(fields, { sla, formId: 'contact' });

    // Assert
    expect(values.email).toBe('grace@gravity.example');
    expect(values.fields).toEqual({
      firstName: 'Grace',
      lastName: 'Vity',
      message: 'Hello',
      formId: 'contact',
    });
  });

  it('keeps a field named state_1 in a post that is not Gravity Forms’', () => {
    // Act
    const { values } = read([
      ['email', 'sam@acme.example'],
      ['state_1', 'Ohio'],
    ]);

    // Assert
    expect(values.fields).toEqual({ state_1: 'Ohio' });
  });
});

describe('question-phrased labels (Typeform titles, Webflow labels)', () => {
  it.each<[string, string, string]>([
    ["What's your first name?", 'Lena', 'firstName'],
    ['What’s your last name?', 'Vogt', 'lastName'],
    ['Your Email Address:', 'lena@rhein.example', 'email'],
    ['Please enter your work email *', 'lena@rhein.example', 'email'],
    ['What is your job title?', 'Plant Manager', 'jobTitle'],
    ['What are you interested in?', 'Dryers', 'interest'],
    ['Your company', 'Rheinwerk', 'company'],
  ])('"%s" is the lead field it asks for', (label, value, field) => {
    // Act
    const { mapped } = read([
      ['email', 'lena@rhein.example'],
      [label, value],
    ]);

    // Assert
    expect(mapped.values.get(field)).toContain(value);
    expect(mapped.custom.has(label)).toBe(false);
  });

  it.each<[string, string]>([
    ['a question whose stem is no field', 'What company do you work for?'],
    ['a stem that names a return URL', 'Your redirect'],
    ['a stem that names a form id', 'Your form id'],
    ['an Arabic label', 'ما اسمك؟'],
  ])('%s stays a custom field under its label', (_case, label) => {
    // Act
    const { mapped } = read([
      ['email', 'lena@rhein.example'],
      [label, 'x'],
    ]);

    // Assert
    expect(mapped.custom.has(label)).toBe(true);
    expect(mapped.returnUrl).toBeUndefined();
  });
});

describe('question-phrased labels of any length', () => {
  it('a label of 200,000 spaces and question marks before its last letter is read past once, not once per character', () => {
    // Arrange: the 64 KB a Typeform post may have is room for a title like this; stripping its end character
    // by character from every start took seconds per post (quadratic), and this one minutes
    const label = `Your company${' ?'.repeat(100_000)}x`;

    // Act
    const { mapped } = read([
      ['email', 'lena@rhein.example'],
      [label, 'Rheinwerk'],
    ]);

    // Assert
    expect(mapped.custom.has(label)).toBe(true);
    expect(questionStem(`${label} ?:`)).toBe(label.slice('Your '.length));
  });
});

describe('fallback fields (Typeform’s hidden fields, filled from the link)', () => {
  it('count only for the fields the post’s own do not give: its answers win, a blank answer gives none', () => {
    // Arrange: a forwarded campaign link carries its first reader's email, company and name
    const fields: PostedFields = [
      ['email', 'hans@berg.example'],
      ['Your company', 'Berg AG'],
      ['firstName', ' '],
    ];
    const fallback: PostedFields = [
      ['email', 'lena@rhein.example'],
      ['company', 'Rheinwerk'],
      ['firstName', 'Lena'],
      ['utm_source', 'newsletter'],
      ['campaign_code', 'Q1'],
    ];

    // Act
    const mapped = mapFormPost(SLA, fields, {}, fallback);

    // Assert
    expect(Object.fromEntries(mapped.values)).toMatchObject({
      email: ['hans@berg.example'],
      company: ['Berg AG'],
      firstName: [' ', 'Lena'],
      utm_source: ['newsletter'],
      campaign_code: ['Q1'],
    });
    expect(formValues(mapped).fields).toMatchObject({ company: 'Berg AG', firstName: 'Lena' });
  });

  it('a form id among them names the SLA form the post counts as, as one among the fields would', () => {
    // Act
    const mapped = mapFormPost(SLA, [['email', 'hans@berg.example']], { formId: 'other' }, [
      ['formId', 'demo-request'],
    ]);

    // Assert
    expect(mapped.form?.id).toBe('demo-request');
    expect(mapped.values.get('formId')).toEqual(['demo-request']);
  });
});

describe('lenient values', () => {
  it.each<[string, string, unknown]>([
    ['country', 'Germany', 'DE'],
    ['country', 'deutschland', 'DE'],
    ['country', 'ألمانيا', 'DE'],
    ['country', 'uk', 'GB'],
    ['country', 'fr', 'FR'],
    ['employees', '1,200', 1200],
    ['employees', '500-1000', 500],
    ['employees', '1000+', 1000],
    ['employees', '10,001 or more', 10_001],
    ['employees', '10k', 10_000],
    ['revenue', '25M', 25_000_000],
    ['employees', '1.5k', 1_500],
    ['employees', '1,5k', 1_500],
    ['revenue', '2.5M', 2_500_000],
    ['revenue', '1,234.56', 1_234],
    ['revenue', '1.234.567,89', 1_234_567],
    ['employees', '10.000', 10_000],
    ['phone', '+49 89 1234 5678 ext. 12', '+49 89 1234 5678 ext. 12'],
    ['phone', '(555) 123-4567 x89', '(555) 123-4567 x89'],
    // as an Arabic or Persian keyboard types digits: ASCII, so the phone dials and the count is scored
    ['phone', '٠٥٠١٢٣٤٥٦٧', '0501234567'],
    ['phone', '+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧', '+966 50 123 4567'],
    ['phone', '۰۹۱۲ ۳۴۵ ۶۷۸۹', '0912 345 6789'],
    ['employees', '٨٥٠', 850],
    ['employees', '١٬٢٠٠', 1200],
    ['employees', '٥٠٠-١٠٠٠', 500],
    ['employees', '۱۵۰۰', 1500],
    ['revenue', '١٤٠٠٠٠٠٠٠', 140_000_000],
    ['revenue', '٢٫٥M', 2_500_000],
  ])('reads %s %j as %j', (name, posted, expected) => {
    // Act
    const { values } = read([[name, posted]]);

    // Assert
    expect(values.fields[name]).toEqual(expected);
    expect(values.fieldIssues).toEqual([]);
  });

  it.each<[string, number]>([
    // a currency symbol or ISO code before or after the figure, read off: the figure is taken as is
    ['25000000 €', 25_000_000],
    ['€25,000,000', 25_000_000],
    ['€ 25.000.000,00', 25_000_000],
    ['EUR 25.000.000', 25_000_000],
    ['25.000.000 EUR', 25_000_000],
    ['25 Mio. €', 25_000_000],
    ['2,5 Mio. EUR', 2_500_000],
    ['$25M', 25_000_000],
    ['$25MM', 25_000_000],
    ['US$ 25 million', 25_000_000],
    ['USD 25,000,000', 25_000_000],
    ['£1.2bn', 1_200_000_000],
    ['CHF 40 Mio', 40_000_000],
    ['SAR 25M', 25_000_000],
    ['AED 25,000,000', 25_000_000],
    ['25 Millionen Euro', 25_000_000],
    ['€1M-€5M', 1_000_000],
    // magnitude words, with or without a currency
    ['25 Mrd', 25_000_000_000],
    ['1,5 Mrd. €', 1_500_000_000],
    ['2 Milliarden', 2_000_000_000],
    ['3B', 3_000_000_000],
    ['40 Mn', 40_000_000],
    ['500 Tsd. €', 500_000],
    ['25 مليون', 25_000_000],
    ['٢٥ مليون ريال', 25_000_000],
    ['1 مليار ر.س', 1_000_000_000],
  ])('reads revenue %j as %j', (posted, expected) => {
    // Act
    const { values } = read([['revenue', posted]]);

    // Assert
    expect(values.fields.revenue).toBe(expected);
    expect(values.fieldIssues).toEqual([]);
  });

  it.each([['25 miles'], ['€ lots'], ['EURX 25'], ['25 Mio. Mio.']])(
    'keeps revenue %j as a field issue naming what reads',
    (posted) => {
      // Act
      const { values } = read([['revenue', posted]]);

      // Assert
      expect(values.fields).not.toHaveProperty('revenue');
      expect(values.fieldIssues).toEqual([
        {
          field: 'revenue',
          value: posted,
          message: 'an amount such as 25000000, 25M, €25,000,000 or 25 Mio. €',
        },
      ]);
    },
  );

  it('reads a JSON number with a fraction as its whole part, not its digits run together', () => {
    // Act: a program's revenue in currency units, with cents
    const { values } = read([
      ['revenue', 1234567.891],
      ['employees', 12.5],
    ]);

    // Assert
    expect(values.fields).toMatchObject({ revenue: 1_234_567, employees: 12 });
    expect(values.fieldIssues).toEqual([]);
  });

  it.each<[string, string]>([
    ['country', 'Atlantis'],
    ['country', 'xx'],
    ['country', 'EU'],
    ['employees', 'lots'],
    ['employees', '-5'],
    ['phone', 'call me after 5'],
    ['pageUrl', 'not a url'],
    ['marketingConsent', 'maybe'],
  ])('keeps %s %j as a field issue, out of the scored fields', (name, posted) => {
    // Act
    const { values } = read([[name, posted]]);

    // Assert
    expect(values.fields).not.toHaveProperty([name]);
    expect(values.fieldIssues).toEqual([{ field: name, value: posted, message: expect.any(String) }]);
  });

  it.each<[string, number, number | undefined, string]>([
    // prose: the rep reads the request's start rather than nothing
    ['message', 6316, 5000, `We need a quote. ${'Details of the line. '.repeat(300)}`],
    ['message', 5199, 5000, 'طلب عرض سعر. '.repeat(400)],
    ['plantNotes', 1200, 1000, 'n'.repeat(1200)],
    // one line: a cut name or campaign tag would be a wrong one
    ['lastName', 105, undefined, 'L'.repeat(105)],
    ['utm_campaign', 201, undefined, 'c'.repeat(201)],
  ])('a %s over its limit (%i characters) keeps %s of them, with an issue', (name, length, kept, posted) => {
    // Act
    const { values } = read([[name, posted]]);

    // Assert
    expect(posted.trim().length).toBe(length);
    if (kept === undefined) expect(values.fields).not.toHaveProperty([name]);
    else expect(values.fields[name]).toBe(posted.trim().slice(0, kept).trimEnd());
    expect(values.fieldIssues).toEqual([
      {
        field: name,
        value: expect.any(String),
        message:
          kept === undefined
            ? expect.stringMatching(/^at most/)
            : `cut to its first ${kept} characters of ${length}`,
      },
    ]);
  });

  it.each<[string, PostedFields, boolean]>([
    ['a ticked consent box', [['marketingConsent', 'on']], true],
    [
      'Salesforce emailOptOut',
      [
        ['marketingConsent', 'on'],
        ['emailOptOut', '1'],
      ],
      false,
    ],
    ['no box', [], false],
    // docs/api.md: a repeated yes/no box reads its last value (the hidden false before the checkbox), no issue
    [
      'the hidden false then the ticked box',
      [
        ['marketingConsent', 'false'],
        ['marketingConsent', 'true'],
      ],
      true,
    ],
    [
      'true then false: the last value',
      [
        ['marketingConsent', 'true'],
        ['marketingConsent', 'false'],
      ],
      false,
    ],
  ])('reads consent from %s', (_case, fields, consent) => {
    // Act
    const { values } = read(fields);

    // Assert
    expect(values.marketingConsent).toBe(consent);
    expect(values.fieldIssues).toEqual([]);
  });
});

describe('the mapping kept per SLA, form and vendor (built once, issue 15)', () => {
  it('reads each post by its own form and vendor, whatever was read before it', () => {
    // Arrange: two forms of one SLA giving one posted name different meanings, and two SLAs
    const sla = makeSla({
      forms: [
        { id: 'plant', name: 'Plant', fields: { jobTitle: 'role' } },
        { id: 'office', name: 'Office', fields: { industry: 'role' } },
      ],
    });
    const other = makeSla({ forms: [{ id: 'plant', name: 'Plant', fields: { interest: 'role' } }] });
    const post = (formId: string): PostedFields => [
      ['formId', formId],
      ['role', 'x'],
      ['title', 'Mr'],
    ];

    // Act: in turn, each more than once
    const reads = [
      read(post('plant'), { sla }),
      read(post('office'), { sla }),
      read(post('plant'), { sla: other }),
      read(post('plant'), { sla, detected: 'mautic' }),
      read(post('plant'), { sla }),
      read(post('office'), { sla }),
    ].map(({ values }) => values.fields);

    // Assert: `title` is the job title (Salesforce's name) except in a Mautic-shaped post (a salutation)
    expect(reads[0]).toMatchObject({ jobTitle: 'x; Mr' });
    expect(reads[1]).toMatchObject({ industry: 'x', jobTitle: 'Mr' });
    expect(reads[2]).toMatchObject({ interest: 'x', jobTitle: 'Mr' });
    expect(reads[3]).toMatchObject({ jobTitle: 'x' });
    expect(reads[4]).toEqual(reads[0]);
    expect(reads[5]).toEqual(reads[1]);
  });
});
