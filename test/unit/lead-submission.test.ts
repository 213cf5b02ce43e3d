/**
 * What a web form may post to POST /leads: plain HTML forms send strings, so numbers and booleans are
 * coerced; known fields have limits; unknown fields are kept as custom fields within limits.
 */
import { describe, expect, it } from 'vitest';
import {
  HONEYPOT_FIELD,
  leadFields,
  REDIRECT_FIELD,
  submissionSchema,
} from '../../lambdas/api/lead-submission.ts';

const EMAIL = 'ada@plant.example';

/** The parsed value of one field, or the messages of the issues on it. */
function parseField(name: string, value: unknown): { value: unknown } | { errors: string[] } {
  const result = submissionSchema.safeParse({ email: EMAIL, [name]: value });
  if (result.success) return { value: (result.data as Record<string, unknown>)[name] };
  return { errors: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
}

function errorPaths(body: unknown): string[] {
  const result = submissionSchema.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('coercion of form strings', () => {
  it.each([
    ['employees', '850', 850],
    ['employees', ' 42 ', 42],
    ['employees', '1,200', 1200],
    ['employees', '1 200', 1200],
    ['employees', '10_000', 10_000],
    ['employees', '0', 0],
    ['employees', 850, 850],
    ['employees', '10000000', 10_000_000],
    ['revenue', '140,000,000', 140_000_000],
    ['revenue', '10000000000000', 10_000_000_000_000],
    ['marketingConsent', 'on', true],
    ['marketingConsent', 'TRUE', true],
    ['marketingConsent', 'yes', true],
    ['marketingConsent', '1', true],
    ['marketingConsent', 'off', false],
    ['marketingConsent', 'false', false],
    ['marketingConsent', 'no', false],
    ['marketingConsent', '0', false],
    ['marketingConsent', true, true],
    ['country', 'de', 'DE'],
    ['country', ' us ', 'US'],
    ['firstName', '  Ada  ', 'Ada'],
    ['phone', '+49 (0)30 123-456/7', '+49 (0)30 123-456/7'],
    // an import from an Arabic spreadsheet: Arabic-Indic digits read as ASCII ones
    ['phone', '٠٥٠١٢٣٤٥٦٧', '0501234567'],
    ['employees', '٨٥٠', 850],
    ['revenue', '١٤٠٬٠٠٠٬٠٠٠', 140_000_000],
    ['formId', 'demo-request', 'demo-request'],
    [
      'pageUrl',
      'https://www.kessler-industrial.example/demo?utm_source=x',
      'https://www.kessler-industrial.example/demo?utm_source=x',
    ],
  ])('reads %s %j as %j', (name, input, expected) => {
    // Act
    const parsed = parseField(name, input);

    // Assert
    expect(parsed).toEqual({ value: expected });
  });

  it.each([
    ['employees', 'many'],
    ['employees', '-5'],
    ['employees', '1.5'],
    ['employees', '1e400'],
    ['employees', '10000001'],
    ['employees', true],
    ['employees', [850]],
    ['revenue', '10000000000001'],
    ['marketingConsent', 'maybe'],
    ['marketingConsent', 1],
    ['country', 'Germany'],
    ['country', 'D3'],
    ['phone', 'call me'],
    ['phone', '1'.repeat(41)],
    ['formId', 'demo request'],
    ['formId', 'x'.repeat(101)],
    ['pageUrl', 'not a url'],
    ['pageUrl', `https://x.example/${'a'.repeat(2000)}`],
    [REDIRECT_FIELD, '/thanks'],
    ['firstName', 'x'.repeat(101)],
    ['lastName', ['Lovelace']],
    ['company', 'x'.repeat(201)],
    ['jobTitle', 'x'.repeat(151)],
    ['seniority', 'x'.repeat(51)],
    ['message', 'x'.repeat(5001)],
    ['utm_source', 'x'.repeat(201)],
  ])('refuses %s %j, naming the field', (name, input) => {
    // Act
    const parsed = parseField(name, input);

    // Assert
    expect(parsed).toEqual({ errors: [expect.stringMatching(new RegExp(`^${name}: `))] });
  });

  it.each([
    ['employees', '  '],
    ['country', ''],
    ['pageUrl', ''],
    ['formId', ''],
    ['phone', ' '],
    [REDIRECT_FIELD, ''],
    [HONEYPOT_FIELD, ''],
    ['department', ''],
  ])('treats a blank %s (an empty form input) as not given', (name, input) => {
    // Act
    const result = submissionSchema.safeParse({ email: EMAIL, [name]: input });

    // Assert
    expect(result.success).toBe(true);
    expect(result.data).not.toHaveProperty(name);
  });
});

describe('email', () => {
  it.each([
    ['  Ada@Plant.Example  ', 'Ada@Plant.Example'],
    ['ada+forms@plant.example', 'ada+forms@plant.example'],
  ])('keeps %j trimmed as %j (the id normalises case)', (input, expected) => {
    // Act
    const parsed = submissionSchema.parse({ email: input });

    // Assert
    expect(parsed.email).toBe(expected);
  });

  it.each([
    ['missing', {}],
    ['blank', { email: '   ' }],
    ['without @', { email: 'ada.plant.example' }],
    ['with a header break', { email: 'ada@plant.example\r\nBcc: x@y.example' }],
    ['over 254 characters', { email: `${'a'.repeat(245)}@plant.example` }],
    ['a number', { email: 42 }],
    ['an array', { email: [EMAIL] }],
    ['an operator object', { email: { $ne: null } }],
  ])('refuses an email that is %s', (_kind, body) => {
    // Act + Assert
    expect(errorPaths(body)).toEqual(['email']);
  });
});

describe('custom fields', () => {
  it.each([
    ['a string', 'plantSize', 'large', 'large'],
    ['a trimmed string', 'plantSize', '  large  ', 'large'],
    ['a number', 'lines', 3, 3],
    ['a boolean', 'hasCompressors', true, true],
    ['a dotted name', 'hubspot.owner', 'x', 'x'],
    ['a 64-character name', `a${'b'.repeat(63)}`, 'x', 'x'],
    ['a 1000-character value', 'notes', 'x'.repeat(1000), 'x'.repeat(1000)],
    ['unicode and emoji', 'nickname', 'Zoë 😀 山田', 'Zoë 😀 山田'],
  ])('keeps %s', (_kind, name, value, expected) => {
    // Act
    const parsed = parseField(name, value);

    // Assert
    expect(parsed).toEqual({ value: expected });
  });

  it.each([
    ['a value over 1000 characters', 'notes', 'x'.repeat(1001)],
    ['a nested object', 'budget', { min: 1 }],
    ['an array', 'tags', ['a']],
    ['null', 'notes', null],
    ['a number beyond 2^53', 'big', 2 ** 60],
    ['a number below DynamoDB precision', 'tiny', 1e-200],
    ['a name starting with a digit', '1st', 'x'],
    ['a name starting with _', '_private', 'x'],
    ['a name with a space', 'plant size', 'x'],
    ['a 65-character name', `a${'b'.repeat(64)}`, 'x'],
    ['an emoji name', '😀', 'x'],
    ['constructor', 'constructor', 'x'],
    ['toString', 'toString', 'x'],
    ['hasOwnProperty', 'hasOwnProperty', 'x'],
    ['valueOf', 'valueOf', 1],
  ])('refuses %s, naming the field', (_kind, name, value) => {
    // Act + Assert
    expect(errorPaths({ email: EMAIL, [name]: value })).toEqual([name]);
  });

  it.each([
    [20, []],
    [21, ['']],
  ])('allows at most 20 custom fields (%i)', (count, paths) => {
    // Arrange
    const custom = Object.fromEntries(Array.from({ length: count }, (_, i) => [`custom${i}`, i]));

    // Act + Assert
    expect(errorPaths({ email: EMAIL, ...custom })).toEqual(paths);
  });

  it('drops a JSON __proto__ key without touching any prototype', () => {
    // Arrange
    const body = JSON.parse(`{"email":"${EMAIL}","__proto__":{"polluted":true}}`);

    // Act
    const parsed = submissionSchema.parse(body);

    // Assert
    expect(Object.keys(parsed)).toEqual(['email']);
    expect((parsed as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('leadFields', () => {
  it('keeps what describes the person and the submission, not the email, consent or control fields', () => {
    // Arrange
    const submission = submissionSchema.parse({
      email: EMAIL,
      firstName: 'Ada',
      employees: '850',
      marketingConsent: 'on',
      formId: 'demo-request',
      utm_source: 'google',
      [REDIRECT_FIELD]: 'https://www.kessler-industrial.example/thanks',
      [HONEYPOT_FIELD]: '',
      plantSize: 'large',
    });

    // Act
    const fields = leadFields(submission);

    // Assert
    expect(fields).toEqual({
      firstName: 'Ada',
      employees: 850,
      formId: 'demo-request',
      utm_source: 'google',
      plantSize: 'large',
    });
  });
});

describe('text hygiene (clean-text.ts) at the edge', () => {
  it.each<[string, string, unknown, unknown]>([
    ['a name: NUL removed', 'firstName', "O'Brien\u0000", "O'Brien"],
    ['a name: line breaks become a space', 'company', 'Brauhaus\r\nWerke', 'Brauhaus Werke'],
    ['a name: a bidi override removed', 'lastName', 'Smith\u202Egnp.exe', 'Smithgnp.exe'],
    ['a name: a lone surrogate becomes U+FFFD', 'firstName', 'Zoë\ud800', 'Zoë\ufffd'],
    ['a name: NFD becomes NFC', 'firstName', 'Zoe\u0308', 'Zoë'],
    [
      'a message: CR LF becomes LF, the lines kept',
      'message',
      'Hello,\r\n\r\nwe need 20 pumps.\r\n',
      'Hello,\n\nwe need 20 pumps.',
    ],
    ['a message: controls and isolates removed', 'message', 'a\u0007b\u2066c\u2069', 'abc'],
    ['a UTM value: one line', 'utm_campaign', 'spring\nsale', 'spring sale'],
    ['a custom field: lines kept, NFC', 'plantNotes', 'line 1\r\nCafe\u0301', 'line 1\nCafé'],
    ['an Arabic name survives intact', 'firstName', 'مريم الحسيني', 'مريم الحسيني'],
    [
      'an Arabic message survives intact, its RLM and lines kept',
      'message',
      'مرحباً، نحتاج إلى عرض سعر لـ\u200F 20 مضخة.\nشكراً لكم',
      'مرحباً، نحتاج إلى عرض سعر لـ\u200F 20 مضخة.\nشكراً لكم',
    ],
  ])('%s', (_case, name, input, expected) => {
    expect(parseField(name, input)).toEqual({ value: expected });
  });

  it('counts the limit on the cleaned text: 5000 characters of CR LF lines fit once cleaned', () => {
    const message = 'ab\r\n'.repeat(1250); // 5000 code units posted, 3750 stored
    expect(parseField('message', message)).toEqual({ value: 'ab\n'.repeat(1250).trimEnd() });
  });
});
