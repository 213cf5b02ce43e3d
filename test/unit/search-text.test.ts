/**
 * The search fold (domain/search-text.ts, ADR 0054): the spellings Arabic writers swap (ة / ه, ى / ي) and the
 * hamza forms read alike, Latin as before; and the legacy spellings, which find an index entry written by the
 * fold before (ة and ى kept as typed) by any spelling of the query.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchText } from '../../lambdas/domain/match-text.ts';
import {
  isSpellingOf,
  LEGACY_SPELLINGS_MAX,
  legacySpellings,
  searchText,
  searchTextV1,
} from '../../lambdas/domain/search-text.ts';

describe('searchText reads the spellings of one name alike', () => {
  it.each<[string, string, string]>([
    ['taa marbuta or haa at the end', 'فاطمة', 'فاطمه'],
    ['taa marbuta or haa, full name', 'فاطمة الزهراني', 'فاطمه الزهراني'],
    ['alef maqsura or yaa at the end', 'مصطفى', 'مصطفي'],
    ['alef maqsura for a final yaa (Egypt)', 'مى', 'مي'],
    ['both in one name', 'هدى سلامة', 'هدي سلامه'],
    ['hamza on alef', 'أحمد', 'احمد'],
    ['hamza below alef', 'إبراهيم', 'ابراهيم'],
    ['madda', 'آمنة', 'امنه'],
    ['hamza on waw', 'مؤمن', 'مومن'],
    ['hamza on yaa', 'هيئة', 'هييه'],
    ['tashkeel', 'فَاطِمَة', 'فاطمه'],
    ['tatweel', 'فاطمـــة', 'فاطمه'],
    ['presentation forms', 'ﻓﺎﻃﻤﺔ', 'فاطمه'],
    ['Latin accents and case', 'Zéd MÜLLER', 'zed muller'],
    ['white space', '  فاطمة \t الزهراني ', 'فاطمه الزهراني'],
  ])('%s: %s reads as %s', (_case, typed, folded) => {
    // Act, Assert: both spellings fold to the one form
    expect(searchText(typed)).toBe(folded);
    expect(searchText(folded)).toBe(folded);
  });

  it.each<[string, string]>([
    ['a haa inside a word is no taa marbuta', 'مهند'],
    ['another name', 'علي'],
    ['Latin', 'petra schmidt'],
  ])('%s: %s keeps its letters', (_case, typed) => {
    expect(searchText(typed)).toBe(typed);
  });

  it.each<[string, string, string]>([
    ['ة / ه', 'فاطمة', 'فاطمه'],
    ['ى / ي', 'مصطفى', 'مصطفي'],
    ['أ / ا', 'أحمد', 'احمد'],
    ['ؤ / و', 'مؤمن', 'مومن'],
    ['ئ / ي', 'رئيس', 'رييس'],
    ['tatweel', 'مـدير', 'مدير'],
  ])('agrees with job-title matching (match-text) on %s', (_case, one, other) => {
    expect(searchText(one)).toBe(searchText(other));
    expect(matchText(one)).toBe(matchText(other));
  });

  it('leaves Latin text as the fold before it did', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), fc.string(), (ascii, any) => {
        const latin = `${ascii}${any.replace(/[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]/g, '')}`;
        expect(searchText(latin)).toBe(searchTextV1(latin));
        expect(legacySpellings(searchText(latin))).toEqual([{ prefix: searchText(latin), partial: false }]);
      }),
    );
  });
});

describe('legacySpellings', () => {
  it.each<[string, string[]]>([
    ['فاطمه', ['فاطمه', 'فاطمة']],
    ['مصطفي', ['مصطفي', 'مصطفى']],
    ['هدي', ['هدي', 'هدى', 'ةدي', 'ةدى']],
    ['محمد', ['محمد']],
    ['zed', ['zed']],
  ])('%s: %j', (folded, prefixes) => {
    expect(legacySpellings(folded)).toEqual(prefixes.map((prefix) => ({ prefix, partial: false })));
  });

  it('stops spelling out past its maximum: the rest is checked on each match', () => {
    // Act: four letters of two spellings each, 16 spellings
    const spellings = legacySpellings('هيهي هه');

    // Assert
    expect(spellings).toHaveLength(LEGACY_SPELLINGS_MAX);
    expect(spellings.every((spelling) => spelling.partial && spelling.prefix.length === 3)).toBe(true);
  });

  // the letters the two folds read differently, beside others, Latin, marks and spaces
  const letters = fc.constantFrom(...'ةهىياأإآؤوئمطفلزرنع abzéÉ'.split(''), '\u064E', '\u0640');

  it('finds an entry of either fold by any prefix of any spelling of its name', () => {
    fc.assert(
      fc.property(fc.array(letters, { minLength: 2, maxLength: 24 }), fc.nat(), (chars, cut) => {
        // Arrange: a name as typed, its entries as each fold wrote it, a query as a user types one of its spellings
        const typed = chars.join('');
        const legacy = searchTextV1(typed);
        const current = searchText(typed);
        const q = current.slice(0, 2 + (cut % Math.max(1, current.length - 1)));
        fc.pre(q.length >= 2);

        // Act
        const spellings = legacySpellings(q);

        // Assert: both entries begin with a prefix looked up, and both are matches
        for (const entry of [legacy, current]) {
          expect(spellings.some(({ prefix }) => entry.startsWith(prefix))).toBe(true);
          expect(isSpellingOf(entry, q)).toBe(true);
        }
        expect(spellings.length).toBeLessThanOrEqual(LEGACY_SPELLINGS_MAX);
        expect(spellings.every(({ prefix }) => prefix.length >= 2)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds no entry whose name is another', () => {
    fc.assert(
      fc.property(
        fc.array(letters, { minLength: 2, maxLength: 12 }),
        fc.array(letters, { minLength: 2, maxLength: 12 }),
        (a, b) => {
          const entry = searchTextV1(a.join(''));
          const q = searchText(b.join(''));
          fc.pre(q.length >= 2);
          expect(isSpellingOf(entry, q)).toBe(searchText(a.join('')).startsWith(q));
        },
      ),
    );
  });
});
