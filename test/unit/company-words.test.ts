import { describe, expect, it } from 'vitest';
import { foldSearchTerm, matchesSearch, searchTermsOf } from '../../lambdas/adapters/table-definition.ts';
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

describe('a search past the generic words the company opens with, as the entries are', () => {
  const lead = (company: string) =>
    searchTermsOf({ email: 'x@example.com', fields: { company } } as unknown as LeadState);
  it.each([
    // the name after the first word, as a rep remembers the group (found before the entries skipped)
    ['مجموعة شركات النيل', 'شركات النيل', true],
    ['شركة مصنع الأمل للأغذية', 'مصنع الأمل', true],
    ['مجموعة شركات النيل', 'مجموعة شركات النيل', true],
    ['مجموعة شركات النيل', 'النيل', true],
    // a generic word alone is searched as it is: the company index finds the company by its first word
    ['مجموعة شركات النيل', 'شركات', false],
    ['مجموعة شركات النيل', 'مجموعة', true],
    ['Kessler Industrial GmbH', 'industrial', true],
    ['Kessler Industrial GmbH', 'gmbh', false],
  ])('%s, searched as "%s": %s', (company, q, found) => {
    expect(matchesSearch(lead(company), foldSearchTerm(q))).toBe(found);
  });
});
