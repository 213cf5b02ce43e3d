/**
 * A Latin name inside Arabic words (a rep "Katrin Vogel", a lead "Petra Schmidt", a company "Kessler Industrial
 * GmbH", an SLA's outcome or stage "Quote presented") arrives isolated (FSI ... PDI, locale.ts isolated), so the
 * comma, the time or the bracket after it stays where the sentence put it. Every Arabic text function of the pages
 * (page-text.ts), the emails (email-text.ts) and the console (console-text.ts) is called with Latin names in its
 * name parameters; a parameter nobody has classified fails the guard, so a new text function is looked at too.
 */
import { describe, expect, it } from 'vitest';
import { consoleText } from '../../lambdas/api/console/console-text.ts';
import { emailText } from '../../lambdas/domain/email-text.ts';
import { isolated } from '../../lambdas/domain/locale.ts';
import { pageText } from '../../lambdas/domain/page-text.ts';
import { leaves, type TextTree } from '../support/text-tree.ts';

const FSI = '\u2068';
const PDI = '\u2069';

/** parameters that carry a person's, a company's or an SLA's name, by the name the text functions give them */
const NAME_PARAMETERS = new Set([
  'by',
  'deputy',
  'form',
  'id',
  'lead',
  'lost',
  'manager',
  'name',
  'names',
  'outcome',
  'owner',
  'queue',
  'rep',
  'sender',
  'sla',
  'slaName',
  'stage',
  'status',
  'successor',
  'title',
  'value',
  'version',
  'won',
]);

/**
 * where a parameter's name says less than its function: `from` and `to` are a person there, `sql` and `mql` stage
 * names in funnelNote (numbers in thresholds), a stage's id in journeyStageName
 */
const NAMES_OF: Readonly<Record<string, readonly string[]>> = {
  'email-text.reassignedToYou.preheader': ['from'],
  'email-text.reassignedToYou.intro': ['from'],
  'email-text.leadRecycled.intro': ['to'],
  'console-text.overview.funnelNote': ['sql', 'mql'],
  // a stage's id, answered by its Arabic word
  'email-text.journeyStageName': [],
};

/**
 * parameters that are no name: times and dates already in Arabic words, counts, flags, channels and phrases
 * LeadPact composed itself (whose names it isolated when it composed them), lists, a person's own free words
 */
const NOT_NAMES = new Set([
  '_count',
  '_kind',
  'action',
  'actual',
  'after',
  'ago',
  'amount',
  'asked',
  'at',
  'attempted',
  'away',
  'back',
  'breach',
  'breached',
  'business',
  'cadence',
  'channel',
  'configured',
  'conversionToNext',
  'coolOff',
  'count',
  'customer',
  'days',
  'due',
  'email',
  'end',
  'endpoint',
  'engagement',
  'event',
  'expired',
  'expires',
  'expiry',
  'first',
  'fit',
  'formatted',
  'from',
  'given',
  'hadItBefore',
  'handed',
  'headline',
  'hours',
  'known',
  'last',
  'late',
  'leads',
  'list',
  'logged',
  'managerAt',
  'max',
  'median',
  'met',
  'minutes',
  'more',
  'mql',
  'n',
  'noRep',
  'none',
  'noneN',
  'notAsked',
  'note',
  'noted',
  'now',
  'number',
  'of',
  'ofN',
  'on',
  'p90',
  'pending',
  'rate',
  'reached',
  'reason',
  'reassignAt',
  'rejected',
  'reps',
  'role',
  'scheduled',
  'sessions',
  'shown',
  'since',
  'span',
  'sql',
  'start',
  'statuses',
  'step',
  'steps',
  'stays',
  'target',
  'text',
  'theirs',
  'then',
  'tier',
  'time',
  'times',
  'to',
  'total',
  'touchedLate',
  'unit',
  'until',
  'viewerIsRep',
  'what',
  'when',
  'where',
  'why',
  'within',
  'withdrawn',
  'zone',
]);

/**
 * Functions left as they are, and why: the consent text a form without one stores (consent.ts) is the text a
 * person agreed to, kept as words alone; `summary` takes one object (called by its own row below).
 */
const LEFT_OUT = new Set(['page-text.consent.defaultText', 'email-text.summary']);

/** Latin names, as an SLA of a German company has them */
const LATIN_NAMES = [
  'Katrin Vogel',
  'Petra Schmidt (Kessler Industrial GmbH)',
  'Quote presented',
  'Jonas Weber',
  'Kessler Industrial GmbH',
  'No answer',
  'EMEA Enterprise',
];

/** what a non-name argument is: Arabic words, so any Latin letters in the text come from the names */
const NOT_A_NAME = 'كلمات';

type TextFunction = (...args: unknown[]) => unknown;

/** a function's parameters by name, from its source: `(lead, rep, on) =>`, `sender =>` */
function parameterNames(fn: TextFunction): string[] {
  const source = fn.toString();
  const list =
    /^\s*(?:async\s*)?(?:function\b[^(]*|[\w$]+\s*)?\(([^)]*)\)/.exec(source)?.[1] ??
    /^\s*([\w$]+)\s*=>/.exec(source)?.[1];
  if (list === undefined) throw new Error(`cannot read the parameters of ${source.slice(0, 80)}`);
  return list
    .split(',')
    .map((parameter) => parameter.replace(/[=:].*$/s, '').trim())
    .filter(Boolean);
}

const ARABIC_TABLES: readonly [string, TextTree][] = [
  ['page-text', pageText('ar') as unknown as TextTree],
  ['email-text', emailText('ar') as unknown as TextTree],
  ['console-text', consoleText('ar') as unknown as TextTree],
];

/** every Arabic text function: [table.key, function, its parameters] */
const FUNCTIONS = ARABIC_TABLES.flatMap(([table, tree]) =>
  [...leaves(tree)]
    .filter(([key, value]) => typeof value === 'function' && !LEFT_OUT.has(`${table}.${key}`))
    .map(([key, value]) => {
      const fn = value as TextFunction;
      return [`${table}.${key}`, fn, parameterNames(fn)] as const;
    }),
);

const namesOf = (key: string, parameters: readonly string[]) =>
  parameters.filter((parameter) => NAMES_OF[key]?.includes(parameter) ?? NAME_PARAMETERS.has(parameter));

const WITH_NAMES = FUNCTIONS.filter(([key, , parameters]) => namesOf(key, parameters).length > 0);

/** the names in `text` that are not isolated: each name's occurrences outside FSI name PDI */
function bareNames(text: string, names: readonly string[]): string[] {
  return names.filter((name) => text.split(name).length !== text.split(`${FSI}${name}${PDI}`).length);
}

describe('a Latin name inside Arabic text arrives isolated (FSI ... PDI)', () => {
  it('every parameter of every Arabic text function is classified: a name, or no name', () => {
    // Arrange
    const unclassified = FUNCTIONS.flatMap(([key, , parameters]) =>
      parameters
        .filter((parameter) => !NAME_PARAMETERS.has(parameter) && !NOT_NAMES.has(parameter))
        .map((parameter) => `${key}(${parameter})`),
    );

    // Assert: the three tables hold many such functions, each one read
    expect(FUNCTIONS.length).toBeGreaterThan(150);
    expect(WITH_NAMES.length).toBeGreaterThan(80);
    expect(unclassified).toEqual([]);
  });

  it.each(WITH_NAMES.map(([key, fn, parameters]) => [key, fn, parameters] as const))(
    '%s',
    (key, fn, parameters) => {
      // Arrange: each name parameter a Latin name, every other argument Arabic words
      const names = namesOf(key, parameters);
      const args = parameters.map((parameter, i) =>
        names.includes(parameter) ? LATIN_NAMES[i % LATIN_NAMES.length]! : NOT_A_NAME,
      );
      const given = [...new Set(args.filter((arg) => arg !== NOT_A_NAME))];

      // Act
      const text = fn(...args);

      // Assert: every name is in the text, and each time inside its isolate
      expect(typeof text).toBe('string');
      for (const name of given) expect(text as string).toContain(`${FSI}${name}${PDI}`);
      expect(bareNames(text as string, given)).toEqual([]);
    },
  );

  it('the email summary of a lead: its job title, company, industry and country isolated', () => {
    // Arrange
    const summary = emailText('ar').summary;

    // Act
    const atCompany = summary({
      who: 'Plant Manager',
      company: 'Kessler Industrial GmbH',
      country: 'Germany',
      did: [],
    });
    const inIndustry = summary({ who: 'Plant Manager', industry: 'Food & Beverage', did: [] });

    // Assert
    expect(bareNames(atCompany, ['Plant Manager', 'Kessler Industrial GmbH', 'Germany'])).toEqual([]);
    expect(atCompany).toContain(`${FSI}Kessler Industrial GmbH${PDI}`);
    expect(bareNames(inIndustry, ['Plant Manager', 'Food & Beverage'])).toEqual([]);
    expect(inIndustry).toContain(`${FSI}Food & Beverage${PDI}`);
  });

  it.each([
    ['a name', 'Katrin Vogel', `${FSI}Katrin Vogel${PDI}`],
    [
      'a name isolated already: as it is, never twice',
      `${FSI}Katrin Vogel${PDI}`,
      `${FSI}Katrin Vogel${PDI}`,
    ],
    [
      "a lead's title, its name and company each isolated: as it is, its brackets the sentence's",
      `${FSI}Petra Schmidt${PDI} (${FSI}Kessler${PDI})`,
      `${FSI}Petra Schmidt${PDI} (${FSI}Kessler${PDI})`,
    ],
    [
      "a list of isolated names joined by Arabic words: isolated as a whole, its direction the Arabic words'",
      `${FSI}Katrin Vogel${PDI} و${FSI}Jonas Weber${PDI}`,
      `\u2067${FSI}Katrin Vogel${PDI} و${FSI}Jonas Weber${PDI}${PDI}`,
    ],
    ['a name with digits', 'Team 2', `${FSI}Team 2${PDI}`],
    [
      'a name of Latin and Arabic words, the Latin first: right to left (RLI), read as its author wrote it',
      'Kessler Industrial - اتفاقية التسويق والمبيعات',
      '\u2067Kessler Industrial - اتفاقية التسويق والمبيعات\u2069',
    ],
    ['an Arabic name', 'لينا هارتمان', `${FSI}لينا هارتمان${PDI}`],
    ['an empty name', '', `${FSI}${PDI}`],
  ])('isolated: %s', (_case, text, expected) => {
    // Act
    const out = isolated(text);

    // Assert
    expect(out).toBe(expected);
  });
});
