/**
 * Text hygiene for everything a lead can carry (form fields, event properties, a rep's notes):
 * what is stored is well-formed, NFC-normalised Unicode without invisible controls that could
 * hide, reorder or inject text. Pure: no I/O. ADR 0010 explains the choices.
 *
 * - lone surrogates (JSON can carry them, UTF-8 cannot) become U+FFFD, as any UTF-8 decoder does;
 * - line breaks (CR LF, CR, LF, NEL, U+2028, U+2029) become "\n" in multi-line text and a space in
 *   a single line; a tab becomes a space;
 * - every other C0 control, DEL and the C1 controls are removed;
 * - the explicit bidi controls (embeddings and overrides U+202A-U+202E, isolates U+2066-U+2069,
 *   the "Trojan Source" characters), U+FEFF (a stray byte-order mark), and the zero-width space U+200B
 *   and word joiner U+2060 (pasted from web pages: invisible, they stop "Plant\u200B Manager" matching
 *   "Plant Manager" and "DE\u200B" reading as a country) are removed;
 * - the implicit direction marks U+200E LRM, U+200F RLM and U+061C ALM are kept: Arabic and
 *   Hebrew text uses them legitimately and they cannot reorder text beyond their neighbours;
 *   ZWJ and ZWNJ are kept too (emoji sequences, Persian spelling);
 * - last, NFC: canonically equivalent input is stored the same way (NFC may reorder combining
 *   marks by their canonical class, e.g. Arabic shadda and fatha; the rendering is the same);
 * - and a run of combining marks on one character is cut to six (MAX_MARKS): writing needs three or
 *   four at most (Arabic shadda, a vowel and a small alef; Vietnamese two; Hebrew points and a
 *   cantillation mark), while a stack of dozens ("Zalgo" text) paints over the lines above and below
 *   it on a rep's console page and in the list, hiding other leads' rows.
 *
 * The result is idempotent: cleanText(cleanText(x)) === cleanText(x). Trimming is left to the field.
 */

import { graphemes } from './graphemes.ts';

export interface CleanTextOptions {
  /** keep line breaks (as "\n"): long free text such as a message or a note */
  readonly multiline?: boolean;
}

const REPLACEMENT = '\uFFFD';

/** The cleaned text: see the module comment. */
export function cleanText(input: string, options: CleanTextOptions = {}): string {
  const lineBreak = options.multiline ? '\n' : ' ';
  let out = '';
  let kept = 0; // start of the run of code units copied as they are
  const flush = (end: number, insert: string) => {
    out += input.slice(kept, end) + insert;
  };
  for (let i = 0; i < input.length; i++) {
    const unit = input.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x7f) continue; // printable ASCII: the common case
    let insert: string | undefined;
    let width = 1;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = input.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a well-formed pair
        continue;
      }
      insert = REPLACEMENT;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      insert = REPLACEMENT;
    } else if (unit === 0x0d) {
      insert = lineBreak;
      if (input.charCodeAt(i + 1) === 0x0a) width = 2;
    } else if (unit === 0x0a || unit === 0x85 || unit === 0x2028 || unit === 0x2029) {
      insert = lineBreak;
    } else if (unit === 0x09) {
      insert = ' ';
    } else if (isRemoved(unit)) {
      insert = '';
    } else {
      continue;
    }
    flush(i, insert);
    i += width - 1;
    kept = i + 1;
  }
  if (kept === 0) return capMarks(input.normalize('NFC'));
  out += input.slice(kept);
  return capMarks(out.normalize('NFC'));
}

/** The most combining marks one character keeps (see the module comment). */
export const MAX_MARKS = 6;
const MARK_STACK = new RegExp(`(\\p{M}{${MAX_MARKS}})\\p{M}+`, 'gu');

function capMarks(text: string): string {
  return text.replace(MARK_STACK, '$1');
}

/** Cleaned multi-line text: cleanText with line breaks kept. */
export const cleanMultilineText = (input: string): string => cleanText(input, { multiline: true });

/** One line for a subject or a heading: cleaned, every run of white space one space, trimmed. */
export function cleanLine(input: string): string {
  return cleanText(input).replace(/\s+/g, ' ').trim();
}

/**
 * At most `max` UTF-16 code units of `text` (the unit the stored limits count), cut between graphemes:
 * never half an emoji (a lone surrogate), nor a letter without its accent.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes(text)) {
    if (kept.length + segment.length > max) break;
    kept += segment;
  }
  return kept;
}

/** Code units cleanText removes outright (controls other than line breaks and tab, bidi controls, BOM, ZWSP, WJ). */
function isRemoved(unit: number): boolean {
  return (
    unit < 0x20 || // C0 (line breaks and tab are handled before)
    (unit >= 0x7f && unit <= 0x9f) || // DEL, C1
    (unit >= 0x202a && unit <= 0x202e) || // LRE RLE PDF LRO RLO
    (unit >= 0x2066 && unit <= 0x2069) || // LRI RLI FSI PDI
    unit === 0xfeff ||
    unit === 0x200b || // zero-width space
    unit === 0x2060 // word joiner
  );
}

/** True when `text` holds nothing cleanText would change (for assertions and guards). */
export function isCleanText(text: string, options: CleanTextOptions = {}): boolean {
  return cleanText(text, options) === text;
}
