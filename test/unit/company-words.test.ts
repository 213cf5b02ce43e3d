import { describe, expect, it } from 'vitest';
import { searchTermsOf } from '../../lambdas/adapters/table-definition.ts';
import type { LeadState } from '../../lambdas/ports/lead-store.ts';

const termsOf = (company: string) =>
  searchTermsOf({ email: 'x@example.com', fields: { company } } as unknown as LeadState)['WORDS#'];

describe("GSI11's company words (ADR 0061 amended)", () => {
  it.each([
    ['Kessler Industrial GmbH', 'industrial gmbh'],
    // folded as every search term (ة is ه, أ is ا: ADR 0054)
    ['شركة النيل للتجارة', 'النيل للتجاره'],
    ['مجموعة شركات النيل', 'النيل'],
    ['شركة مصنع الأمل للأغذية', 'الامل للاغذيه'],
    ['مؤسسة مصانع الخليج', 'الخليج'],
    // every later word generic: from the second word, as before
    ['مجموعة شركات', 'شركات'],
    ['شركة مصنع مصانع', 'مصانع'],
    ['Siemens', undefined],
  ])('%s -> %s', (company, expected) => {
    expect(termsOf(company)).toBe(expected);
  });
});
