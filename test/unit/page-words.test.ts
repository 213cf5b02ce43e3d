/**
 * The words of LeadPact's pages as a native reader reads them (page-text.ts, console-text.ts): Arabic written with
 * Arabic punctuation and quotation marks, a lead called what HubSpot and Salesforce call it in Arabic (عميل محتمل:
 * a bare عميل reads "customer", and a lead that became one read "this customer became an actual customer"), an
 * Arabic time after "يوم", and German sentences whose case fits every phrase put into them.
 */
import { describe, expect, it } from 'vitest';
import { consoleText } from '../../lambdas/api/console/console-text.ts';
import { pageText } from '../../lambdas/domain/page-text.ts';
import { reportHtml, slaReport } from '../../lambdas/domain/sla-report.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { leaves, type TextTree } from '../support/text-tree.ts';

/** Each text of a table with every argument a marker: [key, text] */
function texts(table: TextTree): [string, string][] {
  return [...leaves(table)].flatMap(([key, value]) => {
    if (typeof value === 'string') return [[key, value] as [string, string]];
    if (typeof value !== 'function') return [];
    const args = Array.from({ length: value.length }, (_, i) => `⟦${i}⟧`);
    const out = (value as (...a: unknown[]) => unknown)(...args);
    return typeof out === 'string' ? [[key, out] as [string, string]] : [];
  });
}

/** What a reader sees of a text: markup and code (an API address, a header's name) left out. */
const visible = (text: string) => text.replace(/<code[^>]*>.*?<\/code>/g, '').replace(/<[^>]*>/g, '');

const ARABIC_TABLES: readonly [string, TextTree][] = [
  ['page-text', pageText('ar') as unknown as TextTree],
  ['console-text', consoleText('ar') as unknown as TextTree],
];

describe('Arabic page and console words', () => {
  it.each(ARABIC_TABLES)(
    '%s: Arabic punctuation (، ؛ ؟) and quotation marks (« »), never the Latin ones',
    (_table, table) => {
      // Arrange
      const all = texts(table);

      // Act: a Latin comma between digits is a number's ("1,200"), not punctuation
      const latin = all.filter(([, text]) => /[;?"]|,(?!\d)/.test(visible(text)));

      // Assert
      expect(latin).toEqual([]);
    },
  );

  it.each(ARABIC_TABLES)(
    '%s: a lead is an عميل محتمل; a bare عميل is a customer (what a lead becomes), never a lead',
    (_table, table) => {
      // Arrange: a word of the root (عميل، العميل، للعميل، عملاء، عملائك، عميلان ...) and the word after it
      const word =
        /(?:^|[^\p{L}\p{M}])((?:ال|لل|و|ب|ل)?(?:عميل|عملاء|عملائ)[\p{L}\p{M}]*)(?:\s+([\p{L}\p{M}]+))?/gu;

      // Act: each one not followed by محتمل in its form, unless it is the customer a lead becomes ("عميلًا")
      const bare = texts(table).flatMap(([key, text]) =>
        [...visible(text).matchAll(word)]
          .filter(([, noun, next]) => !/^(?:ال)?محتمل/.test(next ?? '') && noun !== 'عميلًا')
          .map(([match]) => `${key}: ${match.trim()}`),
      );

      // Assert
      expect(bare).toEqual([]);
    },
  );

  it.each([
    [
      'a link expires',
      pageText('ar').action.worksOnce('الخميس، 10 ديسمبر 2026 في 11:00 غرينتش+1'),
      'يوم الخميس',
    ],
    ['a lead moved on', pageText('ar').action.on('الخميس، 10 ديسمبر 2026 في 11:00 غرينتش+1'), 'يوم الخميس'],
  ])('an Arabic time on a page begins with يوم before its weekday: %s', (_case, text, expected) => {
    // Assert
    expect(text).toContain(expected);
  });
});

describe('German page words', () => {
  const t = pageText('de').action;

  it.each([
    [
      'the title',
      t.movedOnTitle(t.anotherRep),
      'Dieser Lead wurde an eine andere Person im Vertrieb weitergegeben',
    ],
    [
      'the sentence',
      t.movedOn('Petra Schneider', t.anotherRep, t.on('Do., 10. Dez. 2026, 11:00 MEZ')),
      'Petra Schneider wurde am Do., 10. Dez. 2026, 11:00 MEZ an eine andere Person im Vertrieb übergeben, nachdem diese E-Mail verschickt wurde.',
    ],
    [
      'who gets the links',
      t.movedOnNext(t.anotherRep),
      'Erinnerungen und Links dazu erhält jetzt eine andere Person im Vertrieb.',
    ],
  ])(
    '"another rep" is in the case each sentence about a lead that moved on needs: %s',
    (_case, text, expected) => {
      // Assert
      expect(text).toBe(expected);
    },
  );
});

describe('console words about an attempt name its channel, never a call for an email (ADR 0087)', () => {
  /** a call named: English "call" ("called"), Arabic مكالمة or اتصل */
  const CALL_WORDS = { en: /\bcall/i, ar: /مكالم|اتصل/ } as const;

  it.each([
    ['en', 'phone', 'call'],
    ['en', 'email', 'email'],
    ['en', 'linkedin', 'LinkedIn message'],
    ['en', 'sms', 'SMS'],
    ['en', 'video', 'video call'],
    ['en', undefined, 'attempt'],
    ['ar', 'phone', 'المكالمة نفسها'],
    ['ar', 'email', 'رسالة البريد الإلكتروني نفسها'],
    ['ar', 'linkedin', 'رسالة لينكدإن نفسها'],
    ['ar', 'sms', 'الرسالة النصية نفسها'],
    ['ar', 'video', 'مكالمة الفيديو نفسها'],
    ['ar', undefined, 'المحاولة نفسها'],
  ] as const)('%s: "Logged already?" about an attempt by %s names it: %s', (language, channel, same) => {
    // Arrange
    const asked = consoleText(language).lead.sameCall;

    // Act
    const question = asked.askAgain(channel);
    const button = asked.sameOne(channel);

    // Assert
    expect(question).toContain(same);
    expect(button).toContain(same);
  });

  it.each(
    (['en', 'ar'] as const).flatMap((language) =>
      (['email', 'linkedin', 'sms', undefined] as const).map((channel) => [language, channel] as const),
    ),
  )(
    '%s: the attempt form and its answers for an attempt by %s say nothing of a call',
    (language, channel) => {
      // Arrange
      const t = consoleText(language);

      // Act: the form's time hint (for every channel), the question and its button, the refusal of a future time
      const words = [
        t.lead.whenHint('CET'),
        t.lead.sameCall.askAgain(channel),
        t.lead.sameCall.sameOne(channel),
        t.errors.refusals.attemptInFuture(channel),
      ];

      // Assert
      expect(words.filter((text) => CALL_WORDS[language].test(text))).toEqual([]);
    },
  );
});

describe('the links\' "Logged already?" page and the SLA report name an attempt, never a call for an email (ADR 0087)', () => {
  /** a call named: English "call" ("called"), German Anruf/Telefonat ("angerufen"), Arabic مكالمة, اتصل or اتصالات */
  const CALL_WORDS = { en: /\bcall/i, de: /anruf|telefon/i, ar: /مكالم|اتصل|اتصالات/ } as const;
  const EMPTY_REPORT_WINDOW = {
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-12-01T00:00:00.000Z',
    now: new Date('2026-12-01T00:00:00.000Z'),
  };

  it.each([
    ['en', 'phone', 'Did you call again?', 'the same call?'],
    ['en', 'email', 'Did you write again?', 'the same email?'],
    ['en', 'linkedin', 'Did you send another LinkedIn message?', 'the same LinkedIn message?'],
    ['en', 'sms', 'Did you send another SMS?', 'the same SMS?'],
    ['en', undefined, 'Did you try again?', 'the same attempt?'],
    ['de', 'phone', 'Haben Sie noch einmal angerufen?', 'War es derselbe Anruf?'],
    ['de', 'email', 'Haben Sie noch eine E-Mail geschrieben?', 'War es dieselbe E-Mail?'],
    [
      'de',
      'linkedin',
      'Haben Sie noch eine LinkedIn-Nachricht geschickt?',
      'War es dieselbe LinkedIn-Nachricht?',
    ],
    ['de', 'sms', 'Haben Sie noch eine SMS geschickt?', 'War es dieselbe SMS?'],
    ['de', undefined, 'Haben Sie es noch einmal versucht?', 'War es derselbe Versuch?'],
    ['ar', 'phone', 'هل اتصلت مرة أخرى؟', 'أم هي المكالمة نفسها؟'],
    ['ar', 'email', 'هل كتبت رسالة بريد إلكتروني أخرى؟', 'أم هي رسالة البريد الإلكتروني نفسها؟'],
    ['ar', 'linkedin', 'هل أرسلت رسالة أخرى عبر لينكدإن؟', 'أم هي رسالة لينكدإن نفسها؟'],
    ['ar', 'sms', 'هل أرسلت رسالة نصية أخرى؟', 'أم هي الرسالة النصية نفسها؟'],
    ['ar', undefined, 'هل حاولت التواصل مرة أخرى؟', 'أم هي المحاولة نفسها؟'],
  ] as const)(
    '%s: a link asked about an attempt by %s asks "%s" and "%s"',
    (language, channel, again, same) => {
      // Arrange
      const t = pageText(language).action;

      // Act
      const question = t.sameCallAsk(channel);

      // Assert
      expect(question).toContain(again);
      expect(question).toContain(same);
    },
  );

  it.each(
    (['en', 'de', 'ar'] as const).flatMap((language) =>
      (['email', 'linkedin', 'sms', undefined] as const).map((channel) => [language, channel] as const),
    ),
  )('%s: the question on a link that logs an attempt by %s says nothing of a call', (language, channel) => {
    // Arrange
    const t = pageText(language).action;

    // Act: the title, the sentence naming what was logged, the question, the button
    const words = [
      t.sameCallTitle,
      t.sameCallLogged('No answer', 'Petra Schneider', t.on('Thu, 3 Dec, 14:30'), 'Carla Ruiz'),
      t.sameCallAsk(channel),
      t.logAnother,
    ];

    // Assert
    expect(words.filter((text) => CALL_WORDS[language].test(text))).toEqual([]);
  });

  it.each(['en', 'ar'] as const)(
    "%s: the report's attempts note and takeover note count attempts, not calls (console and report page)",
    (language) => {
      // Arrange: the console's report legend and takeover section; the report page (reportHtml) of the default SLA
      const reports = consoleText(language).reports;
      const html = reportHtml(slaReport(loadDefaultSla(), [], EMPTY_REPORT_WINDOW), { locale: language });

      // Act: the notes as read (the report page's takeover heading and note, found by its heading)
      const overToNote = /<h2>[^<]*<\/h2><p>([^<]*)<\/p>/
        .exec(html.slice(html.indexOf(language === 'en' ? 'Over to the managers' : 'المحالون إلى المديرين')))
        ?.at(1);
      const notes = [
        reports.legend.attempts,
        reports.overTo.note,
        overToNote ?? 'the takeover note is missing',
      ];

      // Assert
      expect(notes.filter((text) => CALL_WORDS[language].test(text))).toEqual([]);
    },
  );
});
