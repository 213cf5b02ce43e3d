/**
 * Letters Arabic writers use for one another: one table for every comparison of text LeadPact makes, lead
 * search (search-text.ts) and job-title matching (match-text.ts), so the two agree that "فاطمه" is "فاطمة".
 *
 * - taa marbuta ة and haa ه: the feminine ending written with its two dots or without (فاطمة / فاطمه,
 *   مديرة / مديره): many keyboards and habits give ه for both.
 * - alef maqsura ى and yaa ي: the final yaa written without its dots or with them (مصطفى / مصطفي; Egypt writes
 *   ى for a final ي: مى for مي).
 *
 * Each is read as the second letter of its pair. Only these two pairs: each doubles the spellings a search
 * written before they were read must look up (ADR 0054), and they are the ones writers swap in names.
 */
export const SPELLING_VARIANTS: Readonly<Record<string, string>> = { ة: 'ه', ى: 'ي' };

const VARIANT = /[ةى]/g;

/** `text` with each letter of SPELLING_VARIANTS read as its partner (the same length: one letter for one). */
export function readSpellingVariants(text: string): string {
  return text.replace(VARIANT, (letter) => SPELLING_VARIANTS[letter] ?? letter);
}

/** The letters that read as `letter` (itself first): ه -> [ه, ة], ي -> [ي, ى], any other -> [it]. */
export function spellingsOf(letter: string): readonly string[] {
  return SPELLINGS.get(letter) ?? [letter];
}

const SPELLINGS = new Map<string, string[]>();
for (const [variant, letter] of Object.entries(SPELLING_VARIANTS))
  SPELLINGS.set(letter, [...(SPELLINGS.get(letter) ?? [letter]), variant]);
