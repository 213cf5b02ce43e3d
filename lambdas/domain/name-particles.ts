/**
 * The particles a surname may open with (von der Heide, van den Berg, de la Cruz, Al-Rashid, bin Salman): a rep
 * searches by the surname heard on the phone, "Heide", "Berg", "Rashid" (ADR 0082). The surname index keys a
 * surname without them (adapters/table-definition.ts searchTermsOf), and a search query is read the same way
 * for that index (searchQueriesFor), so "von der Heide" and "Heide" both find Petra von der Heide.
 *
 * - Whole words only: "Vondráček", "Delgado", "Alvarez" open with no particle and keep their exact prefix.
 * - The Arabic article written onto the name in Latin letters, "al-" and "el-", goes as well ("Al-Rashid").
 * - At least one word that is no particle is kept: "Le" (a Vietnamese surname), "Van", "von der" stay as they
 *   are, so a query of particles alone is looked up as typed.
 * - Arabic script: the separate words آل (folded ال), بن, ابن, بنت, ابو. The article joined to a name (الرشيد) is
 *   kept: a query without it already looks it up with it (arabic-query-variants.ts).
 *
 * Pure. `folded` is a search term or query as search-text.ts folds it: lower case, no accents, single spaces.
 */

/** the words a surname may open with before its own name, as folded (ADR 0082) */
const PARTICLES: ReadonlySet<string> = new Set([
  // Dutch, German, French, Italian, Spanish, Portuguese
  'von',
  'van',
  'der',
  'den',
  'de',
  'del',
  'della',
  'di',
  'da',
  'du',
  'la',
  'le',
  'ten',
  'ter',
  'zu',
  // Arabic in Latin letters
  'al',
  'el',
  'bin',
  'bint',
  'ibn',
  'abu',
  // Arabic script (آل folds to ال)
  'ال',
  'بن',
  'ابن',
  'بنت',
  'ابو',
]);

/** the Arabic article written onto a name in Latin letters */
const JOINED_ARTICLE = /^(al|el)-(?=\S)/;

/**
 * `folded` without the particles it opens with: "von der heide" is "heide", "al-rashid omar" "rashid omar";
 * `folded` itself when it opens with none, or when nothing but particles would be left.
 */
export function withoutLeadingParticles(folded: string): string {
  const words = folded.split(' ');
  let at = 0;
  while (at < words.length && PARTICLES.has(words[at]!)) at += 1;
  if (at === words.length) return folded;
  const first = words[at]!.replace(JOINED_ARTICLE, '');
  return [first, ...words.slice(at + 1)].join(' ');
}
