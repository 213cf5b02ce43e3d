/**
 * Text as lead search compares it (GET /leads?q=, the console's search box): the terms the search indexes hold
 * (a lead's email, name and company: adapters/table-definition.ts searchTermsOf) and the query, folded alike.
 *
 * - Compatibility forms split (NFKD) and every combining mark removed: Latin accents ("Zéd" is "zed"), Arabic
 *   tashkeel and the hamza carried by a letter (أ إ آ read as ا, ؤ as و, ئ as ي); the tatweel ـ removed.
 * - Lower case, runs of white space as one space, none at either end.
 * - The letters Arabic writers use for one another (arabic-letters.ts): ة as ه, ى as ي. So "فاطمه" finds
 *   "فاطمة", "مصطفي" finds "مصطفى", and the other way round.
 *
 * Job-title matching (match-text.ts) reads the same letters alike; it also drops the article and the feminine
 * ending, which a prefix search of names must not (ADR 0054 lists where the two folds differ, and why).
 *
 * Index entries written before ADR 0054 hold the fold without the third point (searchTextV1): a lead not
 * written since is looked up by every spelling of the query that fold could have kept (legacySpellings).
 */
import { readSpellingVariants, spellingsOf } from './arabic-letters.ts';

/** A search term or query as the indexes hold it and `q` is matched (see the module comment). */
export function searchText(value: string): string {
  return readSpellingVariants(searchTextV1(value));
}

/**
 * The fold of the index entries written before ADR 0054: as searchText, but ة and ى kept as typed. What the
 * legacy look-ups (legacySpellings) are for; to go with them (ADR 0054).
 */
export function searchTextV1(value: string): string {
  return withoutMarks(value).toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * A search query as searchText folds it, but ä ö ü kept (lower case): german-query-variants.ts looks each up
 * as a o u (the indexes' fold) and as ae oe ue, so "Müller" finds a lead typed "Mueller" (ADR 0054 amended).
 */
export function searchQueryText(value: string): string {
  // odd pieces: the umlauts, kept; even pieces: the text between them, folded
  const pieces = value.normalize('NFC').split(/([äöüÄÖÜ])/);
  const folded = pieces
    .map((piece, at) => (at % 2 === 1 ? piece.toLowerCase() : withoutMarks(piece)))
    .join('');
  return readSpellingVariants(folded.toLowerCase().replace(/\s+/g, ' ').trim());
}

/** Compatibility forms split (NFKD), every combining mark and the tatweel removed. */
function withoutMarks(value: string): string {
  return value.normalize('NFKD').replace(/[\p{M}\u0640]/gu, '');
}

/** Most spellings legacySpellings gives for one query: past it, the rest of the query is checked on each match. */
export const LEGACY_SPELLINGS_MAX = 8;

export interface LegacySpelling {
  /** a prefix to look up, as an entry written before ADR 0054 may begin */
  readonly prefix: string;
  /**
   * the prefix is shorter than the query (LEGACY_SPELLINGS_MAX reached): an entry that begins with it matches
   * only when its term, its letters read (readSpellingVariants), begins with the query (isSpellingOf)
   */
  readonly partial: boolean;
}

/**
 * The prefixes that find every entry a query (`folded`, in searchText form) matches, whichever fold wrote the
 * entry: each ه of the query may be a ة there, each ي a ى. The query itself first; `folded` without either
 * letter (any Latin query) is its only spelling. Past `max` spellings the prefixes stop before the next such
 * letter (`partial`): at least the first two letters (an index partition) are always spelt out when `max` >= 4.
 */
export function legacySpellings(folded: string, max = LEGACY_SPELLINGS_MAX): LegacySpelling[] {
  let prefixes = [''];
  for (const letter of folded) {
    const spellings = spellingsOf(letter);
    if (prefixes.length * spellings.length > max)
      return prefixes.map((prefix) => ({ prefix, partial: true }));
    prefixes = prefixes.flatMap((prefix) => spellings.map((spelling) => prefix + spelling));
  }
  return prefixes.map((prefix) => ({ prefix, partial: false }));
}

/** Whether an index term (of either fold) matches the query `folded` (in searchText form). */
export function isSpellingOf(term: string, folded: string): boolean {
  return readSpellingVariants(term).startsWith(folded);
}
