/**
 * What a call link may dial: the one number in a lead's phone, and exactly the digits it shows. Pure: no I/O.
 *
 * A `tel:` link built from every ASCII digit of what a form gave dials something else than the rep reads
 * whenever the text holds more than one number: an extension glued on ("+49 30 1234567 ext 89" dialled
 * +4930123456789, another line: Berlin numbers vary in length), a second number ("... / +44 20 7946 0999"),
 * lookalike digits that show but are not dialled (fullwidth, mathematical, Arabic-Indic), a letter that
 * looks like a digit glued on ("234567З"), direction marks that reorder the groups in the text but not in
 * the link, or capital words that are a vanity number's keypad digits ("1 800 FLOWERS"). So a link is made
 * only when the text holds one run of ASCII digits and separators, standing alone (white space, ":", ",",
 * ";" or the text's ends around it), no other digit of any script anywhere, no capital words after it, and
 * nothing but an extension after it in a phone that read as one: the link's text is that run (what it dials,
 * separators aside), shown left to right; what surrounds it is shown beside the link, not in it.
 */
export interface Dialable {
  /** the text before the number, as given */
  readonly before: string;
  /** the number as given (the link's text) */
  readonly number: string;
  /** the text after the number, as given (an extension, a word) */
  readonly after: string;
  /** the `tel:` URL: the number's "+" and digits */
  readonly href: string;
}

/** a "+" with a space after it ("+ 49 30 ...", which a form reads as a phone) is the number's: dialled with it */
const RUN = /(?:\+\s*)?\(?[0-9][0-9 ().\-/]*[0-9]\)?/gu;
/** an extension at the end ("ext 89", "x 12", "#5"): shown after the link, never dialled into the number */
const EXTENSION = /\s*(?:ext\.?|extension|x|#)\s*[0-9]{1,6}\s*$/iu;
const ANY_DIGIT = /\p{N}/u;
const STANDS_ALONE = /^$|^[\s:,;]$/u;
/** capital words right after the number: a vanity number's letters, not a label such as "Mobil" */
const VANITY = /^\s+[A-Z]{3,}(?:\s+[A-Z]{2,})*\s*$/u;

export function dialable(value: string): Dialable | undefined {
  const extension = EXTENSION.exec(value);
  const base = extension ? value.slice(0, extension.index) : value;
  const runs = [...base.matchAll(RUN)];
  if (runs.length !== 1) return undefined;
  const number = runs[0]![0];
  const before = base.slice(0, runs[0]!.index);
  const after = base.slice(runs[0]!.index! + number.length);
  if (ANY_DIGIT.test(before) || ANY_DIGIT.test(after)) return undefined;
  if (!STANDS_ALONE.test(before.slice(-1)) || !STANDS_ALONE.test(after.slice(0, 1))) return undefined;
  // a vanity number ("1 800 FLOWERS"): its capital letters are keypad digits, so the digits alone dial another
  if (VANITY.test(after)) return undefined;
  // "+49 (0)30 ..." or "0049 (0)30 ...": the trunk "0" in brackets is dialled at home only, never after the
  // country code (after "+" or the international prefix "00")
  const digits = number.replace(/^((?:\+|00)[0-9 ]{1,4}?)\s*\(0\)/, '$1').replace(/[^+0-9]/g, '');
  if (digits.replace(/\+/g, '').length < 3) return undefined;
  return { before, number, after: after + (extension?.[0] ?? ''), href: `tel:${digits}` };
}
