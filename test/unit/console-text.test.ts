/**
 * The console's words (lambdas/api/console/console-text.ts) are complete in every console language (domain/console-language.ts): the same
 * keys, each a text where the other has a text and a function where it has one, and every function puts
 * each of its arguments in (a placeholder left out in a translation loses a name or a time). Arabic counts
 * take the noun's form for the number (Intl.PluralRules: 1, 2, 3-10, 11+).
 */
import { describe, expect, it } from 'vitest';
import { consoleText } from '../../lambdas/api/console/console-text.ts';
import { attemptByName, uiFor } from '../../lambdas/api/console/html.ts';
import { CONSOLE_LANGUAGES } from '../../lambdas/domain/console-language.ts';
import { leaves, type TextTree } from '../support/text-tree.ts';
import { defaultSla } from '../support/workflow-harness.ts';

/** English shows an error's message as the API wrote it: only other languages need words for them. */
const ENGLISH_AS_WRITTEN = ['errors.codes.', 'errors.messages.', 'errors.fieldNames.'];

/** The arguments' markers a function's text holds (each argument a distinct marker). */
function placeholders(fn: (...args: unknown[]) => unknown): string[] {
  const args = Array.from({ length: fn.length }, (_, i) => `⟦${i}⟧`);
  const out = String(fn(...args));
  return args.filter((marker) => out.includes(marker));
}

describe("the console's words", () => {
  const en = leaves(consoleText('en') as unknown as TextTree);

  it.each(CONSOLE_LANGUAGES.filter((language) => language !== 'en'))(
    '%s has every key English has, of the same kind, and no key English lacks',
    (language) => {
      const other = leaves(consoleText(language) as unknown as TextTree);
      const missing = [...en.keys()].filter((key) => !other.has(key));
      const extra = [...other.keys()].filter(
        (key) => !en.has(key) && !ENGLISH_AS_WRITTEN.some((prefix) => key.startsWith(prefix)),
      );
      expect(missing, `missing in ${language}`).toEqual([]);
      expect(extra, `only in ${language}`).toEqual([]);
      for (const [key, value] of en) expect(typeof other.get(key), key).toBe(typeof value);
    },
  );

  it.each(CONSOLE_LANGUAGES)(
    '%s: no text is empty, and every function uses each argument as English does',
    (language) => {
      const table = leaves(consoleText(language) as unknown as TextTree);
      for (const [key, value] of table) {
        if (typeof value === 'string') expect(value.trim(), key).not.toBe('');
        if (typeof value !== 'function') continue;
        const english = en.get(key);
        if (typeof english !== 'function') continue;
        expect(value.length, `${key}: arguments`).toBe(english.length);
        const mine = placeholders(value as (...args: unknown[]) => unknown);
        const theirs = placeholders(english as (...args: unknown[]) => unknown);
        for (const marker of theirs.filter((m) => !mine.includes(m)))
          expect(
            COUNT_ARGUMENTS[key]?.includes(Number(marker.slice(1, -1))),
            `${key}: ${language} leaves out argument ${marker}`,
          ).toBe(true);
      }
    },
  );

  it('Arabic counts take the plural form for their number', () => {
    const { overview, lead } = consoleText('ar');
    expect(overview.dueCaption('لينا', 1, '1', false)).toBe('\u2068لينا\u2069: عميل محتمل واحد مستحق');
    expect(overview.dueCaption('لينا', 2, '2', false)).toBe('\u2068لينا\u2069: عميلان محتملان مستحقان');
    expect(overview.dueCaption('لينا', 3, '3', false)).toBe('\u2068لينا\u2069: 3 عملاء محتملين مستحقين');
    expect(overview.dueCaption('لينا', 11, '11', false)).toBe('\u2068لينا\u2069: 11 عميلًا محتملًا مستحقًا');
    expect(overview.dueCaption('لينا', 100, '100', false)).toBe('\u2068لينا\u2069: 100 عميل محتمل مستحق');
    expect(overview.dueCaption('لينا', 10, '10', true)).toBe('\u2068لينا\u2069: أول 10 من المستحقين');
    expect(lead.latestAttempts('100', 102, '102')).toBe('آخر 100 من 102 محاولة.');
    expect(lead.latestAttempts('100', 105, '105')).toBe('آخر 100 من 105 محاولات.');
  });
});

/**
 * Arguments a language may leave out, by index: a count given twice, as a number (for the plural) and as its
 * formatted text (either may be written); a choice that picks the words (a role, a change's kind: Arabic has
 * a word for each, English writes the id's words).
 */
const COUNT_ARGUMENTS: Readonly<Record<string, readonly number[]>> = {
  'overview.dueCaption': [1, 2],
  'lead.latestAttempts': [1, 2],
  'people.formerPerson': [0],
  'lead.otherKind': [0],
  'webhooks.failingNoticeHtml': [0, 1],
  'webhooks.failing': [0, 1],
  'webhooks.toReplayNoticeHtml': [0, 1],
  'webhooks.answeringAgain': [0, 1],
  'sla.mqlsPerMonth': [0, 1],
  'sla.cadenceHtml': [1, 2],
  'sla.signedOut': [1, 2],
  'reports.waited': [0, 1],
};

describe('"Logged already?" names a note only when the attempts have one', () => {
  it.each(CONSOLE_LANGUAGES)('%s', (language) => {
    // Arrange
    const { loggedHtml } = consoleText(language).lead.sameCall;
    const noted = consoleText(language).lead.sameCall.loggedHtml('X', 'Y', 'Z', true);

    // Act
    const bare = loggedHtml('X', 'Y', 'Z', false);

    // Assert: the sentence with a note is the bare one and the words about the note (the Arabic outcome isolated)
    expect(noted.length).toBeGreaterThan(bare.length);
    expect(bare).toMatch(/\u2068?X\u2069? \(Y\) (at|في) Z/);
  });

  it.each(CONSOLE_LANGUAGES)('%s: an attempt logged without a channel is named without one', (language) => {
    // Act
    const bare = consoleText(language).lead.sameCall.loggedHtml('X', undefined, 'Z', false);

    // Assert
    expect(bare).toMatch(/\u2068?X\u2069? (at|في) Z/);
  });
});

describe('who made an attempt (the lead page\'s "By")', () => {
  const sla = defaultSla();

  it.each([
    ['en', 'jonas', 'Jonas Berger'],
    ['en', 'gone-rep', 'a former rep'],
    // a CRM's late sync naming no rep, its handover off the state: someone made the call, not "nobody"
    ['en', undefined, 'not recorded'],
    ['ar', undefined, 'غير مسجَّل'],
  ])('%s, rep %s: %s', (locale, repId, shown) => {
    expect(attemptByName(sla, repId, uiFor(locale))).toBe(shown);
  });
});
