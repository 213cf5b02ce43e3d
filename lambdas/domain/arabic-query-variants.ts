/**
 * How Arabic names are also written, for a search query (GET /leads?q=, the console's search): a Saudi team
 * types "عبدالله" for "عبد الله" and the other way round, and a family name without its article ("قحطاني" for
 * "القحطاني", as they say it after "بن" or in a list). The search indexes keep each lead's terms as written
 * (folded: search-text.ts), so the query is looked up in each of its forms instead: no index key changes, no
 * index pass; at most four look-ups where there was one, for an Arabic query only.
 *
 * - "عبد ال…" and "عبدال…" (عبد الله, عبد الرحمن, عبد العزيز: عبد with a name of God, always with its article), and
 *   "ابو …" and "ابو…" (ابو بكر, ابوظبي): each finds the other.
 * - A query whose first word is Arabic and has no article also looks up that word with it: "قحطاني" finds
 *   "القحطاني", "افق" "الافق". A query with the article finds only what has it.
 *
 * Pure. `q` is folded (searchText: hamza on alef removed, so أبو is ابو here). Latin queries: themselves alone.
 */

/** words that open a compound name or a lineage: never a family name that drops its article */
const PARTICLES = new Set(['عبد', 'ابو', 'ام', 'بن', 'ابن', 'بنت']);

/**
 * `q` and the other ways its Arabic name parts are written, `q` first, each once (at most four). `article`
 * false: no form with the article added (an index whose terms open with a first name, for a one-word query).
 */
export function arabicQueryVariants(q: string, article = true): string[] {
  if (!/[\u0621-\u064a]/.test(q)) return [q];
  const compounds = [q, otherCompoundSpelling(q)].filter((form): form is string => form !== undefined);
  const withArticle = compounds.flatMap((form) => {
    if (!article) return [];
    const words = form.split(' ');
    const last = words.at(-1)!;
    // a family name as said without its article; not a compound's own word (عبدالله, ابو بكر's بكر)
    const bare =
      /^[\u0621-\u064a]{2,}$/.test(last) &&
      !/^(ال|عبد|ابو)/.test(last) &&
      !PARTICLES.has(last) &&
      !PARTICLES.has(words.at(-2) ?? '');
    return bare ? [[...words.slice(0, -1), `ال${last}`].join(' ')] : [];
  });
  return [...new Set([...compounds, ...withArticle])];
}

/** The compound's other spelling: "عبد ال…" as "عبدال…" and back, "ابو …" as "ابو…" and back; undefined if none. */
function otherCompoundSpelling(q: string): string | undefined {
  for (const [spaced, joined] of COMPOUNDS) {
    if (spaced.test(q)) return q.replace(spaced, '$1$2');
    if (joined.test(q)) return q.replace(joined, '$1$2 ');
  }
  return undefined;
}

/** per compound: its spaced form (to join) and its joined form (to space), each as the word it opens */
const COMPOUNDS: readonly (readonly [RegExp, RegExp])[] = [
  [/(^| )(عبد) (?=ال)/, /(^| )(عبد)(?=ال)/],
  [/(^| )(ابو) (?=[\u0621-\u064a])/, /(^| )(ابو)(?=[\u0621-\u064a]{2})/],
];
