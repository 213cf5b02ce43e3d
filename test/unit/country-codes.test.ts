/** countryCode: ISO codes from codes and names in any language, the same answer whether remembered or not. */
import { describe, expect, it } from 'vitest';
import { countryCode } from '../../lambdas/domain/country-codes.ts';

describe('countryCode', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['de', 'DE'],
    ['UK', 'GB'],
    ['Germany', 'DE'],
    ['Deutschland', 'DE'],
    ['ألمانيا', 'DE'],
    ['  germany  ', 'DE'],
    ['السعودية', 'SA'],
    ['الإمارات', 'AE'],
    ['الامارات', 'AE'],
    ['KSA', 'SA'],
    // Arabic as forms are typed: ه for ة and ي for ى (as lead search reads them, ADR 0054), and the usual
    // names CLDR does not give (its فلسطين is الأراضي الفلسطينية, its سوريا not Syria's own سورية)
    ['السعوديه', 'SA'],
    ['المملكه العربيه السعوديه', 'SA'],
    ['الامارات العربيه المتحده', 'AE'],
    ['جمهورية مصر العربية', 'EG'],
    ['فلسطين', 'PS'],
    // Persian letters (ی, ک) as a Persian keyboard types them
    ['ایران', 'IR'],
    ['پاکستان', 'PK'],
    ['سورية', 'SY'],
    ['بريطانيا', 'GB'],
    ['أمريكا', 'US'],
    ['امريكا', 'US'],
    ['ماليزيا', 'MY'],
    ['The Netherlands', 'NL'],
    ['U.S.', 'US'],
    ['Atlantis', undefined],
    // codes: a country's, a former one's successor's, or none
    ['xk', 'XK'],
    ['ic', 'IC'],
    ['DD', 'DE'],
    ['yu', 'RS'],
    ['xx', undefined],
    ['XX', undefined],
    ['aa', undefined],
    ['qm', undefined],
    ['zz', undefined],
    ['xa', undefined],
    ['eu', undefined],
    ['un', undefined],
    ['qu', undefined],
    // a grouping CLDR names is no country, by its name either
    ['European Union', undefined],
    ['United Nations', undefined],
  ])('%j -> %s, asked once and again (the second answer is the remembered one)', (value, expected) => {
    // Act
    const first = countryCode(value);
    const again = countryCode(value);
    // Assert
    expect(first).toBe(expected);
    expect(again).toBe(expected);
  });

  it('a value longer than any country name is looked up but not kept, and still answered', () => {
    // Arrange: a flood of long made-up values, then a long spelling of a real one
    const padded = `${' '.repeat(200)}Germany${' '.repeat(200)}`;
    // Act
    for (let i = 0; i < 600; i++) countryCode(`${'x'.repeat(100)}${i}`);
    // Assert
    expect(countryCode(padded)).toBe('DE');
    expect(countryCode(padded)).toBe('DE');
    expect(countryCode('x'.repeat(100))).toBeUndefined();
  });
});
