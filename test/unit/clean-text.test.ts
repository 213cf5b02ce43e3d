/**
 * Text hygiene (lambdas/domain/clean-text.ts): a table of what changes and what must survive, and
 * properties over arbitrary strings: the output is NFC, well-formed, free of forbidden code points, idempotent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanLine, cleanText, isCleanText } from '../../lambdas/domain/clean-text.ts';

// Arabic as people type it: a name, and a message with a right-to-left mark (U+200F) before Latin text
const ARABIC_NAME = 'مريم الحسيني';
const ARABIC_MESSAGE = 'مرحباً، نحتاج إلى عرض سعر لـ\u200F 20 مضخة.\nشكراً لكم';

describe('cleanText', () => {
  it.each<[string, string, string, boolean]>([
    ['plain text', 'Petra Schneider', 'Petra Schneider', false],
    ['NUL removed', "O'Brien\u0000", "O'Brien", false],
    ['other C0 controls removed', 'a\u0001b\u0007c\u001bd\u001fe', 'abcde', false],
    ['DEL and C1 controls removed', 'a\u007fb\u0080c\u009fd', 'abcd', false],
    ['tab becomes a space', 'a\tb', 'a b', false],
    [
      'CR LF in a single line becomes one space',
      'Petra\r\nBcc: x@evil.example',
      'Petra Bcc: x@evil.example',
      false,
    ],
    ['LF in a single line becomes a space', 'a\nb', 'a b', false],
    [
      'CR LF in multi-line text becomes LF',
      'line 1\r\nline 2\rline 3\nline 4',
      'line 1\nline 2\nline 3\nline 4',
      true,
    ],
    ['NEL, LS and PS in multi-line text become LF', 'a\u0085b\u2028c\u2029d', 'a\nb\nc\nd', true],
    ['blank lines kept in multi-line text', 'Hello,\n\nthanks', 'Hello,\n\nthanks', true],
    ['a lone high surrogate becomes U+FFFD', 'a\ud800b', 'a\ufffdb', false],
    ['a lone low surrogate becomes U+FFFD', 'a\udc00b', 'a\ufffdb', false],
    ['a high surrogate at the end becomes U+FFFD', 'ab\ud83d', 'ab\ufffd', false],
    ['reversed surrogates become two U+FFFD', '\ude00\ud83d', '\ufffd\ufffd', false],
    ['a surrogate pair (emoji) survives', 'Zoë 😀 山田', 'Zoë 😀 山田', false],
    ['an emoji ZWJ sequence survives', '👩‍🔧 team', '👩‍🔧 team', false],
    ['ZWNJ in Persian survives', 'می\u200Cخواهم', 'می\u200Cخواهم', false],
    ['a right-to-left override removed (Trojan Source)', 'invoice\u202Efdp.exe', 'invoicefdp.exe', false],
    ['every embedding and override removed', '\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee', 'abcde', false],
    ['every isolate removed', '\u2066a\u2067b\u2068c\u2069d', 'abcd', false],
    ['LRM, RLM and ALM kept', 'a\u200Eb\u200Fc\u061Cd', 'a\u200Eb\u200Fc\u061Cd', false],
    ['a stray byte-order mark removed', '\uFEFFPetra', 'Petra', false],
    [
      'zero-width spaces and word joiners removed (pasted from a web page)',
      'Plant\u200B Manager\u2060\u200B',
      'Plant Manager',
      false,
    ],
    ['NFD becomes NFC', 'Zoe\u0308 Mu\u0308ller', 'Zoë Müller', false],
    ['a control between a letter and its accent: removed, then composed', 'e\u0000\u0301', 'é', false],
    ['Hangul jamo composed', '\u1100\u1161', '\uAC00', false],
    ['an Arabic name survives', ARABIC_NAME, ARABIC_NAME, false],
    ['an Arabic message survives, with its RLM and line break', ARABIC_MESSAGE, ARABIC_MESSAGE, true],
    ['HTML and template syntax stay as text', '<b>{{x}}</b> %s', '<b>{{x}}</b> %s', false],
    [
      'a stack of 80 combining marks (Zalgo) on one letter is cut to six',
      `Pe${'\u0336'.repeat(80)}tra`,
      `Pe${'\u0336'.repeat(6)}tra`,
      false,
    ],
    [
      'each letter keeps its own six',
      `a${'\u0489'.repeat(9)}b${'\u0489'.repeat(9)}`,
      `a${'\u0489'.repeat(6)}b${'\u0489'.repeat(6)}`,
      false,
    ],
    ['Arabic shadda, a vowel and a small alef survive', 'اللّٰهُمَّ', 'اللّٰهُمَّ'.normalize('NFC'), false],
    ['Vietnamese marks survive', 'Nguyễn Thị Thu Hà', 'Nguyễn Thị Thu Hà', false],
    ['the empty string', '', '', false],
  ])('%s', (_case, input, expected, multiline) => {
    // Act
    const cleaned = cleanText(input, { multiline });

    // Assert
    expect(cleaned).toBe(expected);
    expect(isCleanText(cleaned, { multiline })).toBe(true);
  });

  it.each<[string, string]>([
    ['line breaks and runs of space', '  Petra\r\n\tBcc:   x  '],
    ['a bidi override', 'Petra \u202Egnp.exe'],
  ])('cleanLine makes one trimmed line of %s', (_case, input) => {
    expect(cleanLine(input)).toMatch(/^\S(.*\S)?$/u);
    expect(cleanLine(input)).not.toMatch(/[\r\n\t\u202A-\u202E\u2066-\u2069]/);
  });
});

/** Code points cleanText never outputs (multi-line text may keep "\n"). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Strings rich in what cleanText handles: controls, surrogate halves, bidi controls, combining marks, Arabic. */
const nastyString = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '\r\n',
        '\r',
        '\n',
        '\u0000',
        '\u0085',
        '\u2028',
        '\u202E',
        '\u2067',
        '\u200F',
        '\uFEFF',
        '\ud800',
        '\udfff',
        '\u0301',
        '\u0651\u064E',
        'ّ',
        'مريم',
        'e',
      ),
      fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('cleanText properties', () => {
  it.each([false, true])(
    'multiline %s: NFC, well-formed, no forbidden code point, idempotent',
    (multiline) => {
      fc.assert(
        fc.property(nastyString, (input) => {
          const cleaned = cleanText(input, { multiline });
          expect(cleaned.normalize('NFC')).toBe(cleaned);
          expect(cleaned).not.toMatch(FORBIDDEN);
          expect(cleaned).not.toMatch(LONE_SURROGATE);
          if (!multiline) expect(cleaned).not.toContain('\n');
          expect(cleanText(cleaned, { multiline })).toBe(cleaned);
        }),
        { numRuns: 2000 },
      );
    },
  );

  it('keeps a clean string as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (input) => {
        const clean = input.normalize('NFC');
        fc.pre(!FORBIDDEN.test(clean) && !clean.includes('\n'));
        expect(cleanText(clean)).toBe(clean);
      }),
      { numRuns: 1000 },
    );
  });
});
