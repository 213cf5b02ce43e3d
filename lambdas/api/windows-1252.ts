/**
 * windows-1252 (what browsers send for a Latin-1 page) by the WHATWG table: 0x80-0x9F are €, curly quotes,
 * dashes, ™ and the like. Node 20's own decoder reads them as control characters, which the text cleaner then
 * drops ("5000€ “urgent” – thanks" became "5000 urgent  thanks"); every byte has a character, so nothing is fatal.
 */
const WINDOWS_1252_80_9F =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes)
    out += byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_80_9F[byte - 0x80] : String.fromCharCode(byte);
  return out;
}
