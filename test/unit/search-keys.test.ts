/**
 * The search indexes' keys are cut from names (the first 2 characters for the partition, 100 for the term):
 * cut between the two halves of an emoji or a rare CJK character, a key held a lone surrogate, which is no
 * UTF-8 string at all; DynamoDB takes keys as UTF-8. A key must be well-formed whatever the name.
 */
import { describe, expect, it } from 'vitest';
import { foldSearchTerm, leadIndexKeys } from '../../lambdas/adapters/table-definition.ts';
import { leadState } from '../support/lead-state.ts';

describe('search index keys of names with characters outside the BMP', () => {
  it.each([
    ['company', { company: `A😀 Werke` }],
    ['company, cut at 100', { company: `${'a'.repeat(99)}𠜎 GmbH` }],
    ['name', { firstName: `${'b'.repeat(99)}𩸽`, lastName: 'Okafor' }],
  ])('are well-formed UTF-16 (%s)', (_case, fields) => {
    // Arrange
    const lead = leadState({ fields });

    // Act
    const keys = leadIndexKeys(lead);

    // Assert
    expect(Object.values(keys).some((key) => /^(NAME|COMPANY)#/.test(key))).toBe(true);
    for (const key of Object.values(keys)) expect(isWellFormed(key), key).toBe(true);
  });
});

/** No lone surrogate: every high surrogate followed by a low one, every low one preceded by a high one. */
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

describe('search terms of Arabic names', () => {
  it.each([
    ['tatweel (kashida) stretching a name', 'الأحمـــد', 'الأحمد'],
    ['hamza on alef, as typed or not', 'أحمد', 'احمد'],
    ['tashkeel', 'سَارَة', 'سارة'],
    ['taa marbuta, as typed or as haa (ADR 0054)', 'فاطمة الزهراني', 'فاطمه الزهراني'],
    ['alef maqsura, as typed or as yaa (ADR 0054)', 'مصطفى', 'مصطفي'],
  ])('fold %s to what a search types', (_case, stored, typed) => {
    // Act
    const key = foldSearchTerm(stored);

    // Assert
    expect(key).toBe(foldSearchTerm(typed));
  });
});
