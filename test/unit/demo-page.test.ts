/**
 * The demo page's choices read as words for a visitor, in the page's language; the values posted stay the
 * ones the SLA's rules match (`industry: food-and-beverage`, `interest: compressors`).
 */
import { describe, expect, it } from 'vitest';
import { demoPage } from '../../local/demo-page.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const options = { sla, apiUrl: 'http://127.0.0.1:3000', inboxUrl: 'http://127.0.0.1:8005/', speed: 1 };

/** [value, label] of each option of the select named `name` */
function choices(html: string, name: string): [string, string][] {
  const select = new RegExp(`<select name="${name}">(.*?)</select>`, 's').exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option(?: value="([^"]*)")?>([^<]*)<\/option>/g)].map((m) => [
    m[1] ?? m[2]!,
    m[2]!,
  ]);
}

describe('the demo page’s industry and interest choices', () => {
  it('in English: words, posting the values the SLA matches', () => {
    // Act
    const html = demoPage(options, 'en');

    // Assert
    expect(choices(html, 'industry')).toContainEqual(['food-and-beverage', 'Food and beverage']);
    expect(choices(html, 'interest')).toContainEqual(['spare-parts', 'Spare parts']);
    for (const [value, label] of [...choices(html, 'industry'), ...choices(html, 'interest')])
      if (value) expect(label, value).not.toBe(value);
  });

  it('in Arabic: Arabic words, the same values', () => {
    // Act
    const html = demoPage(options, 'ar');

    // Assert
    const all = [...choices(html, 'industry'), ...choices(html, 'interest')].filter(([value]) => value);
    expect(all.map(([value]) => value)).toEqual(
      [...choices(demoPage(options, 'en'), 'industry'), ...choices(demoPage(options, 'en'), 'interest')]
        .map(([value]) => value)
        .filter(Boolean),
    );
    for (const [value, label] of all) expect(label, value).toMatch(/\p{Script=Arabic}/u);
  });
});

describe('the demo page’s consent box', () => {
  it.each(['en', 'ar'])('is not ticked for the visitor (%s): consent is given, never assumed', (locale) => {
    // Act
    const html = demoPage(options, locale);

    // Assert
    const box = /<input type="checkbox" name="marketingConsent"[^>]*>/.exec(html)?.[0];
    expect(box).toBeDefined();
    expect(box).not.toMatch(/\bchecked\b/);
  });
});
