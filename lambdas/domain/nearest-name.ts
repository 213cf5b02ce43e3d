/**
 * "Did you mean ...?": the known name a mistyped one is closest to (a letter or two apart, case aside), for
 * the errors that name a setting or a key nobody has. Pure.
 */

/** how many letters a mistyped name may be off and still be taken for a known one */
const MAX_TYPO_DISTANCE = 2;

/** The first of `known` within two edits of `given` (case ignored), or undefined when none is that close. */
export function nearestName(given: string, known: readonly string[]): string | undefined {
  const typed = given.toLowerCase();
  return known.find((name) => editDistance(name.toLowerCase(), typed) <= MAX_TYPO_DISTANCE);
}

/** Levenshtein distance: names are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = row;
  }
  return previous[b.length]!;
}
