/** A lead's custom fields together (ADR 0050): at most 100 names and 32 KB of names and values. */
import { describe, expect, it } from 'vitest';
import {
  customFieldRefusal,
  MAX_LEAD_CUSTOM_BYTES,
  MAX_LEAD_CUSTOM_FIELDS,
  utf8Bytes,
} from '../../lambdas/domain/form-values.ts';
import type { FieldValue } from '../../lambdas/domain/lead.ts';
import { fillMissingFields } from '../../lambdas/domain/lead-state.ts';

const named = (count: number, value: FieldValue = 'x'): Record<string, FieldValue> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}`, value]));

describe('customFieldRefusal', () => {
  it('takes the 100th custom field and refuses the 101st; a known field is never refused', () => {
    expect(customFieldRefusal(named(MAX_LEAD_CUSTOM_FIELDS - 1), 'new', 'x')).toBeUndefined();
    expect(customFieldRefusal(named(MAX_LEAD_CUSTOM_FIELDS), 'new', 'x')).toMatch(
      /at most 100 custom fields/,
    );
    expect(customFieldRefusal(named(MAX_LEAD_CUSTOM_FIELDS), 'f0', 'changed')).toBeUndefined();
    expect(customFieldRefusal(named(MAX_LEAD_CUSTOM_FIELDS), 'company', 'Qualmfjord')).toBeUndefined();
  });

  it('counts UTF-8 bytes: 32 KB of Arabic is half as many characters as of ASCII', () => {
    const arabic = 'ع'.repeat(1000);
    const fields = named(Math.floor(MAX_LEAD_CUSTOM_BYTES / 2_003), arabic);
    expect(customFieldRefusal(fields, 'last', 'ع'.repeat(400))).toMatch(/32 KB/);
    expect(customFieldRefusal(fields, 'last', 'a'.repeat(400))).toBeUndefined();
  });

  it('lets a lead over the bytes bound (stored before it) shrink, not grow', () => {
    const fields = named(40, 'a'.repeat(1000));
    expect(customFieldRefusal(fields, 'f0', 'a'.repeat(500))).toBeUndefined();
    expect(customFieldRefusal(fields, 'f0', 'a'.repeat(1001))).toMatch(/32 KB/);
  });
});

describe('fillMissingFields', () => {
  it('keeps what fits and names the rest with why, in the order posted', () => {
    const posted = { company: 'Qualmfjord', ...named(MAX_LEAD_CUSTOM_FIELDS + 2) };
    const { fields, added, refused } = fillMissingFields({}, posted);
    expect(Object.keys(fields)).toHaveLength(MAX_LEAD_CUSTOM_FIELDS + 1);
    expect(added).toHaveLength(MAX_LEAD_CUSTOM_FIELDS + 1);
    expect(refused.map((issue) => issue.field)).toEqual(['f100', 'f101']);
  });
});

describe('utf8Bytes', () => {
  it('is the UTF-8 length', () => {
    for (const text of ['', 'abc', 'مصنع', '界', '😀', 'a😀b', '\ud83d'])
      expect(utf8Bytes(text)).toBe(Buffer.byteLength(text));
  });
});
