/**
 * Text as job-title matching compares it, in any script: the SLA's keywords and a lead's job title
 * go through the same normalisation, so "مديرة المصنع" (plant manager, feminine, with the article)
 * matches the keyword "مدير مصنع" as "Plant Manager" matches "plant manager".
 *
 * - Unicode compatibility forms folded (NFKC: Arabic presentation forms become letters), lower case.
 * - Arabic: short vowels and other marks (tashkeel) and the tatweel stretch removed; the hamza-carrying
 *   alef forms (أ إ آ ٱ) read as ا, ؤ as و, ئ as ي; the letters writers use for one another read alike as
 *   search reads them (arabic-letters.ts): alef maqsura ى as ي, taa marbuta ة as ه; a word-initial article
 *   ال, also after و ب ف ك (وال، بال...) or as لل, removed from words that keep three letters; the feminine
 *   ending, a final taa marbuta ة or the ه written for it (مديرة، مديره، مهندسة), removed from words that
 *   keep three letters.
 * - German: ä ö ü as ae oe ue and ß as ss, the way a keyboard without umlauts writes them, so "Geschaeftsfuehrer"
 *   matches the keyword `geschäftsführer` and "Strassenbau" `straßenbau`, and the other way round. The fold
 *   only writes out ä ö ü ß; an "ae", "oe" or "ue" as typed is kept, so "Israel", "Michael", "Bauer" and
 *   "Queen" keep their letters and no English word changes. The feminine form of a German agent noun reads as
 *   the masculine, as Arabic's feminine ending does: -erin, -orin, -eurin (and -innen) lose their "in(nen)" when
 *   three letters stay before the -er/-or/-eur, so "Geschäftsführerin" matches `geschäftsführer`,
 *   "Einkaufsleiterin" `einkaufsleiter`, "Direktorin" `direktor` (a German team read a Geschäftsführerin as
 *   no persona where her male colleague was an SQL).
 * - Other letters are only lower-cased: "Alpha" keeps its "al", "Gérant" its "é".
 *
 * Pure, and small on purpose: light stemming that the SLA's authors can predict, not a morphological
 * analyser (ADR 0019).
 */

import { readSpellingVariants } from './arabic-letters.ts';

/** Arabic marks: tanween, harakat, shadda, sukun, maddah and hamza above/below, superscript alef; tatweel. */
const MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
const LETTER_FORMS: Readonly<Record<string, string>> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ؤ: 'و',
  ئ: 'ي',
};
const FORMS = /[أإآٱؤئ]/g;
const ARABIC_WORD = /[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF]+/g;
/** The article and the one-letter words that attach in front of it, longest first. */
const ARTICLES = ['وال', 'بال', 'فال', 'كال', 'لل', 'ال'] as const;
const MIN_STEM = 3;

/** German letters written out as a keyboard without them writes them (lower case: ẞ lower-cases to ß). */
const GERMAN_WRITTEN_OUT: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };
const GERMAN_LETTERS = /[äöüß]/g;
/** a German agent noun's feminine ending (-erin, -orin, -eurin; plural -innen), at a word's end */
const GERMAN_FEMININE = /(\p{L}{3,}(?:er|or|eur))in(?:nen)?(?![\p{L}\p{N}])/gu;

/** One Arabic word without its article and feminine ending, ة or the ه written for it (letters already folded). */
export function arabicStem(word: string): string {
  let stem = word;
  for (const article of ARTICLES) {
    if (stem.startsWith(article) && stem.length - article.length >= MIN_STEM) {
      stem = stem.slice(article.length);
      break;
    }
  }
  if ((stem.endsWith('ة') || stem.endsWith('ه')) && stem.length - 1 >= MIN_STEM) stem = stem.slice(0, -1);
  return stem;
}

/** The form a job title, department or keyword is compared in (see the module comment). */
export function matchText(text: string): string {
  const letters = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(MARKS, '')
    .replace(FORMS, (c) => LETTER_FORMS[c] ?? c)
    .replace(GERMAN_LETTERS, (c) => GERMAN_WRITTEN_OUT[c] ?? c)
    .replace(GERMAN_FEMININE, '$1');
  return readSpellingVariants(letters).replace(ARABIC_WORD, arabicStem);
}
