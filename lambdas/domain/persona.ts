/**
 * Buyer personas (glossary term 3): the person inside the company. A persona is matched on
 * job-title keywords, department and seniority; seniority is read from the job title unless
 * the form gives a valid one. Words match whole, in any script (job titles are not all English);
 * titles and keywords are compared in match-text.ts form, so Arabic titles match with or without
 * the article ال and in their feminine forms, and German ones with or without umlauts and ß.
 */
import { type Facts, normalText } from './conditions.ts';
import { GERMAN_SENIORITY } from './german-seniority.ts';
import type { FieldValue, Reason } from './lead.ts';
import { matchText } from './match-text.ts';
import { SENIORITIES, type Seniority } from './sla-constants.ts';
import type { Persona, Sla } from './sla-schema.ts';
import { WORD_END, WORD_START } from './word-bounds.ts';

export interface PersonaResult {
  readonly persona: Persona | undefined;
  readonly seniority: Seniority;
  readonly reasons: Reason[];
}

const KEYWORD_POINTS = 2;
const DEPARTMENT_POINTS = 2;
const SENIORITY_POINTS = 1;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One case-insensitive regexp matching any of the phrases as whole words (inner spaces flexible). */
export function wholeWords(phrases: readonly string[]): RegExp | undefined {
  const alternatives = phrases
    .map((phrase) => phrase.trim())
    .filter((phrase) => phrase !== '')
    .map((phrase) => phrase.split(/\s+/).map(escapeRegExp).join('\\s+'));
  if (alternatives.length === 0) return undefined;
  return new RegExp(`${WORD_START}(?:${alternatives.join('|')})${WORD_END}`, 'iu');
}

/** A language's seniority words: the first row whose pattern matches a title gives its level. */
type SeniorityWords = readonly (readonly [Seniority, RegExp])[];

// English, on the title as written (any case). Highest level first. "vice president" is not a president, and a product/process/account/data
// owner is not a business owner. A "Managing Director" runs the company (a UK or German MD, a Geschäftsführer),
// not a department.
const ENGLISH_SENIORITY: SeniorityWords = [
  [
    'c-level',
    new RegExp(
      `${WORD_START}(?:chief|ceo|cto|cfo|coo|cio|cmo|cro|cpo|cso|cdo|ciso|founder|cofounder|managing[\\s-]+director|(?<!(?:product|process|account|data)\\s+)owner|(?<!vice[\\s-]+)president)${WORD_END}`,
      'iu',
    ),
  ],
  ['vp', new RegExp(`${WORD_START}(?:vp|svp|evp|vice[\\s-]+president)${WORD_END}`, 'iu')],
  ['director', new RegExp(`${WORD_START}(?:director|head\\s+of)${WORD_END}`, 'iu')],
  ['manager', new RegExp(`${WORD_START}(?:manager|lead|supervisor)${WORD_END}`, 'iu')],
];

/** An Arabic phrase (already in matchText form) as a whole-word pattern source. */
const ar = (...phrases: string[]) =>
  `${WORD_START}(?:${phrases.map((phrase) => phrase.replace(/ /g, '\\s+')).join('|')})${WORD_END}`;

/**
 * Arabic seniority words, on the title in matchText form (no article, no feminine ending, plain
 * alef), most specific phrase first: "نائب الرئيس" (vice president) is not a president, "رئيس قسم"
 * (head of department) is a director, "رئيس فريق" (team lead) a manager, and a bare "رئيس"
 * (president, chairman) c-level. "مدير عام" / "مدير تنفيذي" (general manager, CEO) lead an
 * organisation; "مدير" alone is a manager, as are "مسؤول" (officer), "مشرف" (supervisor) and
 * "نائب مدير" (deputy manager).
 */
const ARABIC_SENIORITY: SeniorityWords = [
  ['vp', new RegExp(ar('نايب رييس'), 'u')],
  ['director', new RegExp(ar('رييس (?:قسم|قطاع|ادار|اقسام|وحد)', 'مدير (?:ادار|قطاع|اول)'), 'u')],
  ['manager', new RegExp(ar('رييس (?:فريق|وردي|عمال)', 'نايب مدير', 'قايد فريق'), 'u')],
  ['c-level', new RegExp(ar('رييس', 'مدير (?:عام|تنفيذي)', 'موسس', 'شريك موسس', 'مالك', 'صاحب'), 'u')],
  ['manager', new RegExp(ar('مدير', 'مسوول', 'مشرف'), 'u')],
];

/**
 * The languages whose seniority words are read on the title in matchText form, each table on its own. A
 * title is read in each language, the English words above included, and the highest reading wins, so
 * "Geschäftsführer / Managing Director" is c-level.
 */
const SENIORITY_IN_MATCH_TEXT: readonly SeniorityWords[] = [ARABIC_SENIORITY, GERMAN_SENIORITY];

function isSeniority(text: string): text is Seniority {
  return (SENIORITIES as readonly string[]).includes(text);
}

/** Seniority from a job title; a `seniority` form field that names a valid level wins. */
export function inferSeniority(jobTitle: FieldValue | undefined, seniorityField?: FieldValue): Seniority {
  if (typeof seniorityField === 'string') {
    const given = normalText(seniorityField);
    if (isSeniority(given)) return given;
  }
  if (typeof jobTitle !== 'string') return 'individual';
  const folded = matchText(jobTitle);
  const readings = [
    firstMatch(ENGLISH_SENIORITY, jobTitle),
    ...SENIORITY_IN_MATCH_TEXT.map((table) => firstMatch(table, folded)),
  ];
  // SENIORITIES lists the highest level first
  return SENIORITIES.find((level) => readings.includes(level)) ?? 'individual';
}

/** The level of a language's table's first row that matches `title`; undefined when none does. */
function firstMatch(table: SeniorityWords, title: string): Seniority | undefined {
  return table.find(([, pattern]) => pattern.test(title))?.[0];
}

/** A list of phrases in match form: one regexp for the test, and each phrase's own for the reason. */
interface CompiledPhrases {
  readonly any: RegExp | undefined;
  readonly each: readonly (readonly [phrase: string, pattern: RegExp | undefined])[];
}

interface CompiledPersona {
  readonly keywords: CompiledPhrases;
  readonly departments: CompiledPhrases;
}

const compiled = new WeakMap<Persona, CompiledPersona>();

function phrases(list: readonly string[]): CompiledPhrases {
  const folded = list.map(matchText);
  return {
    any: wholeWords(folded),
    each: list.map((phrase, i) => [phrase, wholeWords([folded[i]!])] as const),
  };
}

function compile(persona: Persona): CompiledPersona {
  let entry = compiled.get(persona);
  if (!entry) {
    entry = {
      keywords: phrases(persona.match.jobTitleKeywords),
      departments: phrases(persona.match.departments),
    };
    compiled.set(persona, entry);
  }
  return entry;
}

/** The SLA's phrase (as written there) that matches the text in match form; undefined when none does. */
function matched(compiledPhrases: CompiledPhrases, folded: string): string | undefined {
  if (!compiledPhrases.any?.test(folded)) return undefined;
  return compiledPhrases.each.find(([, pattern]) => pattern?.test(folded))?.[0];
}

/**
 * The best persona: a job-title keyword hit scores 2, a department hit 2 (departments are
 * often free text, so whole words, not equality), a listed seniority 1. A persona needs a
 * keyword or department hit; the highest score wins, ties go to the one declared first.
 */
export function matchPersona(sla: Sla, facts: Facts): PersonaResult {
  const title = typeof facts['jobTitle'] === 'string' ? facts['jobTitle'] : '';
  const seniorityField = facts['seniority'];
  const seniority = inferSeniority(title, typeof seniorityField === 'string' ? seniorityField : undefined);
  // keywords and text compared in one form (match-text.ts): any case, Arabic article and feminine forms,
  // German umlauts and ß as ae oe ue ss
  const jobTitle = matchText(title);
  const department = matchText(typeof facts['department'] === 'string' ? facts['department'] : '');
  let best: { persona: Persona; score: number; why: string[] } | undefined;

  for (const persona of sla.personas) {
    const { keywords, departments } = compile(persona);
    const keyword = matched(keywords, jobTitle);
    const dept = matched(departments, department);
    if (keyword === undefined && dept === undefined) continue;
    const senior = persona.match.seniority.includes(seniority);
    const score =
      (keyword !== undefined ? KEYWORD_POINTS : 0) +
      (dept !== undefined ? DEPARTMENT_POINTS : 0) +
      (senior ? SENIORITY_POINTS : 0);
    if (best !== undefined && score <= best.score) continue;
    const why: string[] = [];
    if (keyword !== undefined) why.push(`job title has "${keyword}" (+${KEYWORD_POINTS})`);
    if (dept !== undefined) why.push(`department "${dept}" (+${DEPARTMENT_POINTS})`);
    if (senior) why.push(`seniority ${seniority} (+${SENIORITY_POINTS})`);
    best = { persona, score, why };
  }

  if (!best) {
    return {
      persona: undefined,
      seniority,
      reasons: [
        { rule: 'persona.none', detail: `no persona matches job title or department (${seniority})` },
      ],
    };
  }
  return {
    persona: best.persona,
    seniority,
    reasons: [
      {
        rule: `persona.${best.persona.id}`,
        detail: `${best.persona.name}: ${best.why.join(', ')}, match score ${best.score}`,
      },
    ],
  };
}
