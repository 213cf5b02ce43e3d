/**
 * The graphemes of a text (what a reader counts as one character: an emoji sequence, a letter with its
 * accents), for cutting text without splitting one. Pure: no I/O.
 *
 * The Intl.Segmenter is made by the first call, not when a module loads: making one loads ICU's break
 * rules, ~6 ms of CPU, a third of an empty handler's cold start, which every bundle carrying the text
 * helpers paid at init (docs/decisions/0026-lambda-init-budget.md). Only a text over its limit is ever
 * segmented, so most containers never make it.
 */

let segmenter: Intl.Segmenter | undefined;

export function graphemes(text: string): Intl.Segments {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter.segment(text);
}
