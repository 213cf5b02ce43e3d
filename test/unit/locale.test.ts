import { describe, expect, it } from 'vitest';
import { fromAddress } from '../../lambdas/adapters/ses-mailer.ts';
import {
  acceptedLanguages,
  closestLocale,
  leadLocale,
  localeField,
  personLocale,
  textDirection,
} from '../../lambdas/domain/locale.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { makeSla } from '../support/sla.ts';

const sla = makeSla({ locales: { default: 'en', supported: ['en', 'ar', 'en-GB'] } });

describe('acceptedLanguages', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['ar', ['ar']],
    ['de-DE,de;q=0.9,en;q=0.8', ['de-DE', 'de', 'en']],
    ['en;q=0.5, ar-EG', ['ar-EG', 'en']],
    ['fr;q=0, *;q=0.1, ar;q=0.2', ['ar']],
    ['en;q=0.8,ar;q=0.8', ['en', 'ar']],
  ])('%j -> %j', (header, expected) => {
    expect(acceptedLanguages(header)).toEqual(expected);
  });

  it('reads a header of thousands of ranges (sent before sign-in, by anyone) in its first 32 only', () => {
    // Arrange: 10 KB of ranges, the one the SLA supports last: each range read cost a tag's canonical form,
    // about 25 ms of a console request (4,999 of them)
    const header = `${'x,'.repeat(4_999)}ar`;
    // Act
    const ranges = acceptedLanguages(header);
    // Assert
    expect(ranges).toHaveLength(32);
    expect(ranges).not.toContain('ar');
  });
});

describe('closestLocale', () => {
  it.each<[string, string | undefined]>([
    ['ar', 'ar'],
    ['ar-EG', 'ar'],
    ['AR_eg', 'ar'],
    ['en-gb', 'en-GB'],
    ['en-US', 'en'],
    ['de', undefined],
    ['not a tag!', undefined],
  ])('%s -> %s', (wanted, expected) => {
    expect(closestLocale(wanted, sla.locales.supported)).toBe(expected);
  });
});

describe("a lead's locale", () => {
  it.each<[string, Record<string, string>, string | undefined, string | undefined]>([
    ['the form names it', { locale: 'ar' }, 'en', 'ar'],
    ['or its language field', { language: 'ar-SA' }, undefined, 'ar'],
    ['else the browser, best supported first', {}, 'de-DE,ar;q=0.7,en;q=0.5', 'ar'],
    ['a form value nobody supports falls to the browser', { locale: 'de' }, 'en-GB', 'en-GB'],
    ['nothing given: nothing stored', {}, undefined, undefined],
    ['nothing supported: nothing stored', {}, 'fr,de', undefined],
  ])('%s', (_what, fields, acceptLanguage, stored) => {
    // Act
    const field = localeField(sla, fields, acceptLanguage);

    // Assert
    expect(field.locale).toBe(stored);
    expect(leadLocale(sla, { ...fields, ...field })).toBe(stored ?? 'en');
  });

  it.each<[string | undefined, string]>([
    [undefined, 'en'],
    ['ar', 'ar'],
    ['ar-EG', 'ar'],
  ])("a rep's locale %s -> %s", (locale, expected) => {
    expect(personLocale(sla, { locale })).toBe(expected);
  });
});

describe('textDirection', () => {
  it.each<[string, 'ltr' | 'rtl']>([
    ['ar', 'rtl'],
    ['ar-EG', 'rtl'],
    ['he', 'rtl'],
    ['fa-IR', 'rtl'],
    ['en', 'ltr'],
    ['en-GB', 'ltr'],
  ])('%s -> %s', (tag, dir) => {
    expect(textDirection(tag)).toBe(dir);
  });
});

describe('locales in the SLA file', () => {
  const base = 'version: "1"\nrouting: { reps: [{ id: ann, name: Ann, email: ann@example.com';

  it.each<[string, string, string]>([
    ['a language LeadPact has no text for', `${base} }] }\nlocales: { supported: [en, fr] }`, 'none of them'],
    [
      'a default outside supported',
      `${base} }] }\nlocales: { default: ar, supported: [en] }`,
      'must be one of',
    ],
    ['a rep in an unsupported locale', `${base}, locale: ar }] }`, 'locale (locales.supported)'],
    [
      'a template variant in an unsupported locale',
      `${base} }] }\nnurture: { templates: [{ id: t, subject: S, text: T, locales: { ar: { subject: S, text: T } } }] }`,
      'locale (locales.supported)',
    ],
    ['not a language tag', `${base} }] }\nlocales: { supported: [en, "e n"] }`, 'language tag'],
  ])('refuses %s', (_what, yaml, message) => {
    // Act
    const parsed = parseSla(yaml);

    // Assert
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).toContain(message);
  });

  it.each<[string, string]>([
    ['German and English, German the default', `${base} }] }\nlocales: { default: de, supported: [de, en] }`],
    ['German only', `${base} }] }\nlocales: { default: de, supported: [de] }`],
    ['a region of German', `${base} }] }\nlocales: { default: de-AT, supported: [de-AT, de-DE] }`],
    [
      'a German rep, German names and a German template variant',
      `${base}, locale: de, names: { de: Anna }, }] }\nnames: { de: Vereinbarung }\nlocales: { default: de, supported: [de, en] }\nnurture: { senderName: S, senderNames: { de: Kessler Industrie }, templates: [{ id: t, subject: S, text: T, locales: { de: { subject: Betreff, text: Text } } }] }`,
    ],
  ])('accepts %s', (_what, yaml) => {
    // Act
    const parsed = parseSla(yaml);

    // Assert
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it('accepts Arabic reps and template variants when Arabic is supported', () => {
    const parsed = parseSla(
      `${base}, locale: ar }] }\nlocales: { supported: [en, ar] }\nnurture: { templates: [{ id: t, subject: S, text: T, locales: { ar: { subject: ع, text: ن } } }] }`,
    );
    expect(parsed.ok).toBe(true);
  });
});

describe('fromAddress', () => {
  it.each<[string, string]>([
    ['Kessler Industrial', '"Kessler Industrial" <leads@kessler.example>'],
    ['شركة كيسلر', `=?UTF-8?B?${Buffer.from('شركة كيسلر').toString('base64')}?= <leads@kessler.example>`],
    ['Kessler "Best" <x>', 'leads@kessler.example'],
    ['', 'leads@kessler.example'],
  ])('%j', (name, expected) => {
    expect(fromAddress(name, 'leads@kessler.example')).toBe(expected);
  });
});
