/**
 * LeadPact's own words in emails and pages (lambdas/domain/email-text.ts, page-text.ts) are complete in every
 * shipped language: no text is empty, and every function puts in each argument English puts in (a placeholder
 * left out in a translation loses a name, a time or a link's subject). The types make a missing key a compile
 * error; this makes a dropped argument a failing test.
 */
import { describe, expect, it } from 'vitest';
import { emailText } from '../../lambdas/domain/email-text.ts';
import { SHIPPED_LANGUAGES, type ShippedLanguage } from '../../lambdas/domain/locale.ts';
import { pageText } from '../../lambdas/domain/page-text.ts';
import { leaves, type TextTree } from '../support/text-tree.ts';

/** Functions whose arguments are not all text (an object of parts, a unit): their own tests read them. */
const NOT_TEXT_ARGUMENTS = new Set(['summary', 'span']);

/** The arguments' markers a function's text holds (each argument a distinct marker). */
function placeholders(key: string, fn: (...args: unknown[]) => unknown): string[] {
  if (NOT_TEXT_ARGUMENTS.has(key)) return [];
  const args = Array.from({ length: fn.length }, (_, i) => `⟦${i}⟧`);
  const out = String(fn(...args));
  return args.filter((marker) => out.includes(marker));
}

const TABLES: Readonly<Record<string, (language: ShippedLanguage) => unknown>> = {
  'email-text': emailText,
  'page-text': pageText,
};

const CASES = Object.keys(TABLES).flatMap((table) =>
  SHIPPED_LANGUAGES.filter((language) => language !== 'en').map((language) => [table, language] as const),
);

describe("LeadPact's words in emails and pages", () => {
  it.each(CASES)(
    '%s in %s: every key English has, no text empty, every argument English puts in',
    (table, language) => {
      // Arrange
      const english = leaves(TABLES[table]!('en') as TextTree);

      // Act
      const words = leaves(TABLES[table]!(language) as TextTree);

      // Assert
      expect([...english.keys()].filter((key) => !words.has(key))).toEqual([]);
      for (const [key, value] of words) {
        if (typeof value === 'string') expect(value.trim(), key).not.toBe('');
        const theirs = english.get(key);
        if (typeof value !== 'function' || typeof theirs !== 'function') continue;
        const mine = placeholders(key, value as (...args: unknown[]) => unknown);
        const missing = placeholders(key, theirs as (...args: unknown[]) => unknown).filter(
          (m) => !mine.includes(m),
        );
        expect(missing, `${key}: ${language} leaves out`).toEqual([]);
      }
    },
  );
});
