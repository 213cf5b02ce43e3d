/**
 * A full name posted in one field (`name`, Webflow's `Name`, Contact Form 7's `your-name`) as a first and a last
 * name: the first name is the first word, the last name the rest ("Ludwig van Beethoven": Ludwig, van Beethoven;
 * "Ana María de la Cruz": Ana, María de la Cruz). Pure: no I/O.
 *
 * Arabic given names of two words stay together, so that an email greets "مرحبًا عبد الرحمن،" and never
 * "مرحبًا عبد،" ("servant" alone), "أبو" ("father of"), "أم" ("mother of") or "ابن" ("son of"):
 * - a word that only opens a name takes the next word with it: عبد (عبد الله، عبد الرحمن، عبد العزيز), أبو (أبو بكر),
 *   أم (أم كلثوم), and ابن، بن، بنت when the name begins with them (ابن خلدون); a chain too: أبو عبد الله;
 * - a word that only closes a name joins the word before it: الدين (نور الدين، صلاح الدين), الله (فتح الله،
 *   عطا الله) and الإسلام (سيف الإسلام): no family name is that word alone.
 * After the first name, بن / ابن / بنت ("son / daughter of") begin the last name, as the rest does: "محمد بن
 * سلمان" is محمد, بن سلمان; "عبد الله بن عبد العزيز" is عبد الله, بن عبد العزيز.
 * Words are compared as lead search folds them (search-text.ts: tashkeel, tatweel and the hamza on alef removed,
 * so أبو is ابو and عَبْد is عبد) and kept as typed. Written as one word (عبدالله) a name is one word already.
 * Latin names are split as before: a transliteration ("Abdul Rahman") is the first word and the rest.
 */
import { searchText } from './search-text.ts';

export interface NameParts {
  readonly firstName?: string;
  readonly lastName?: string;
}

/** Words that open a two-word given name, as searchText folds them: servant of, father of, mother of, son/daughter of. */
const OPENING_WORDS: ReadonlySet<string> = new Set(['عبد', 'ابو', 'ام', 'ابن', 'بن', 'بنت'].map(searchText));
/** Words that close a two-word given name, as searchText folds them: the faith, God, Islam. */
const CLOSING_WORDS: ReadonlySet<string> = new Set(['الدين', 'الله', 'الإسلام'].map(searchText));

/** The first and last name in `fullName` (cleaned text): see the module comment. */
export function splitFullName(fullName: string): NameParts {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return {};
  const folded = words.map(searchText);
  let firstLength = 1;
  while (
    firstLength < words.length &&
    (OPENING_WORDS.has(folded[firstLength - 1]!) || CLOSING_WORDS.has(folded[firstLength]!))
  )
    firstLength++;
  const lastName = words.slice(firstLength).join(' ');
  return { firstName: words.slice(0, firstLength).join(' '), ...(lastName ? { lastName } : {}) };
}
