/**
 * The charset of a form post that names none: no `charset` in its content type, no `_charset_` field (nor, for
 * a multipart part, its own). A browser posts its page's bytes then and says nothing of their encoding.
 */

import { isAscii, isUtf8 } from 'node:buffer';
import { decodeWindows1252 } from './windows-1252.ts';

export type UndeclaredCharset = 'utf-8' | 'windows-1252';

/**
 * How to read each of a post's texts (its names and values) when the post names no charset. A UTF-8 page's
 * bytes are UTF-8. An old Western page's (`<meta charset="iso-8859-1">`, which browsers read as windows-1252)
 * are not: `ü` is `%FC`, never UTF-8. So a post with a text that is not UTF-8 is a windows-1252 page (the WHATWG
 * default for legacy Western pages; every byte is a character), the whole post, as a page has one encoding: its
 * ASCII texts too, so a reference the page could not hold (`&#128512;`) is read back as the character. A text
 * that is UTF-8 beyond ASCII stays UTF-8.
 *
 * Unless those bytes are a page in another script (windows-1256 Arabic, windows-1251 Cyrillic, Greek,
 * Hebrew): they are windows-1252 too, but as nonsense, "مدير المصنع" reading "ãÏíÑ ÇáãÕäÚ": words whose letters
 * are none of them ASCII, which Western text does not write (its accents sit among ASCII letters: "Müller",
 * "Größe"). Such a post stays UTF-8, what is not UTF-8 text is left unread (ADR 0018), and the page must name its
 * charset: `<input type="hidden" name="_charset_">`.
 */
export function undeclaredCharsets(texts: readonly Uint8Array[]): (text: Uint8Array) => UndeclaredCharset {
  const notUtf8 = texts.filter((text) => !isUtf8(text));
  const westernPage =
    notUtf8.length > 0 && !notUtf8.some((text) => hasWordOfNoAsciiLetter(decodeWindows1252(text)));
  return (text) => (westernPage && !(isUtf8(text) && !isAscii(text)) ? 'windows-1252' : 'utf-8');
}

/** A word of two or more letters, none of them ASCII ("ãÏíÑ"; a single one is Western too: French "à"). */
function hasWordOfNoAsciiLetter(text: string): boolean {
  return (text.match(/\p{L}{2,}/gu) ?? []).some((word) => !/[A-Za-z]/.test(word));
}
