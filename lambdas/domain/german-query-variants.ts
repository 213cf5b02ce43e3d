/**
 * How German names are also written, for a search query (GET /leads?q=, the console's search): on a keyboard
 * without umlauts a German team types "Mueller" for Müller, "Koenig" for König, "Weiss" for Weiß, and a lead
 * typed that way ("Mueller") is searched as "Müller". The search indexes keep each lead's terms as written
 * (folded: search-text.ts, Müller as "muller", Weiß as "weiß"), so the query is looked up in each of its
 * spellings instead, as its Arabic forms are (arabic-query-variants.ts): no index key changes, no index pass.
 *
 * - ä ö ü (the query keeps them: searchQueryText) as a o u, the stored fold of the umlaut, and as ae oe ue.
 * - ae oe ue as typed and as a o u (the fold of ä ö ü); not after a vowel or q (Bauer, Feuer, Queen: no umlaut
 *   there) and not as the query's last letters (Zoe, Joe, Sue: "zo" would find every Zo…; "koen" finds König).
 * - ss and ß each as the other.
 *
 * Each such place doubles the spellings; past GERMAN_QUERY_VARIANTS_MAX, the later places are looked up as
 * typed (ä ö ü as a o u) only. A false hit costs a Query that finds nothing ("manuel" as "manul"), or a name
 * that is one ("michael" finds Michal too). Pure. Arabic queries: themselves alone.
 */

/** Most spellings of one query: two places spelt both ways ("grossmann koenig": 4) */
export const GERMAN_QUERY_VARIANTS_MAX = 4;

/** per place a query may be spelt two ways: how it is looked up as typed (the index's fold), and the other way */
const SPELLINGS: Readonly<Record<string, readonly [typed: string, other: string]>> = {
  ä: ['a', 'ae'],
  ö: ['o', 'oe'],
  ü: ['u', 'ue'],
  ae: ['ae', 'a'],
  oe: ['oe', 'o'],
  ue: ['ue', 'u'],
  ss: ['ss', 'ß'],
  ß: ['ß', 'ss'],
};

const SPELT_TWO_WAYS = /[äöüß]|ss|(?<![aeiouyq])[aou]e(?=\p{L})/gu;

/**
 * `q` (searchQueryText: folded, ä ö ü kept) as the indexes are queried: its spelling as typed, in the indexes'
 * fold (ä ö ü as a o u), first, then each other spelling once, at most `max`.
 */
export function germanQueryVariants(q: string, max = GERMAN_QUERY_VARIANTS_MAX): string[] {
  let forms = [''];
  let from = 0;
  for (const place of q.matchAll(SPELT_TWO_WAYS)) {
    const [typed, other] = SPELLINGS[place[0]]!;
    const spellings = forms.length * 2 > max ? [typed] : [typed, other];
    const between = q.slice(from, place.index);
    forms = forms.flatMap((form) => spellings.map((spelling) => form + between + spelling));
    from = place.index + place[0].length;
  }
  return [...new Set(forms.map((form) => form + q.slice(from)))];
}
