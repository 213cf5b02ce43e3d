/**
 * Buyer personas (glossary term 3): the person inside the company. A persona is matched on
 * job-title keywords, department and seniority; seniority is read from the job title unless
 * the form gives a valid one. Words match whole, in any script (job titles are not all English).
 */
import { type Facts, normalText } from './conditions.ts';
import type { FieldValue, Reason } from './lead.ts';
import { SENIORITIES, type Seniority } from './sla-constants.ts';
import type { Persona, Sla } from './sla-schema.ts';

export interface PersonaResult {
  readonly persona: Persona | undefined;
  readonly seniority: Seniority;
  readonly reasons: Reason[];
}

const KEYWORD_POINTS = 2;
const DEPARTMENT_POINTS = 2;
const SENIORITY_POINTS = 1;

// Letters and digits of any script delimit words; "\b" only knows ASCII.
const BEFORE = '(?<![\\p{L}\\p{N}])';
const AFTER = '(?![\\p{L}\\p{N}])';

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
  return new RegExp(`${BEFORE}(?:${alternatives.join('|')})${AFTER}`, 'iu');
}

// Highest level first. "vice president" is not a president, and a product/process/account/data
// owner is not a business owner.
const SENIORITY_PATTERNS: readonly (readonly [Seniority, RegExp])[] = [
  [
    'c-level',
    new RegExp(
      `${BEFORE}(?:chief|ceo|cto|cfo|coo|cio|cmo|cro|cpo|cso|cdo|ciso|founder|cofounder|(?<!(?:product|process|account|data)\\s+)owner|(?<!vice[\\s-]+)president)${AFTER}`,
      'iu',
    ),
  ],
  ['vp', new RegExp(`${BEFORE}(?:vp|svp|evp|vice[\\s-]+president)${AFTER}`, 'iu')],
  ['director', new RegExp(`${BEFORE}(?:director|head\\s+of)${AFTER}`, 'iu')],
  ['manager', new RegExp(`${BEFORE}(?:manager|lead|supervisor)${AFTER}`, 'iu')],
];

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
  for (const [level, pattern] of SENIORITY_PATTERNS) if (pattern.test(jobTitle)) return level;
  return 'individual';
}

interface CompiledPersona {
  readonly keywords: RegExp | undefined;
  readonly departments: RegExp | undefined;
}

const compiled = new WeakMap<Persona, CompiledPersona>();

function compile(persona: Persona): CompiledPersona {
  let entry = compiled.get(persona);
  if (!entry) {
    entry = {
      keywords: wholeWords(persona.match.jobTitleKeywords),
      departments: wholeWords(persona.match.departments),
    };
    compiled.set(persona, entry);
  }
  return entry;
}

/**
 * The best persona: a job-title keyword hit scores 2, a department hit 2 (departments are
 * often free text, so whole words, not equality), a listed seniority 1. A persona needs a
 * keyword or department hit; the highest score wins, ties go to the one declared first.
 */
export function matchPersona(sla: Sla, facts: Facts): PersonaResult {
  const jobTitle = typeof facts['jobTitle'] === 'string' ? facts['jobTitle'] : '';
  const department = typeof facts['department'] === 'string' ? facts['department'] : '';
  const seniorityField = facts['seniority'];
  const seniority = inferSeniority(jobTitle, typeof seniorityField === 'string' ? seniorityField : undefined);
  let best: { persona: Persona; score: number; why: string[] } | undefined;

  for (const persona of sla.personas) {
    const { keywords, departments } = compile(persona);
    const keyword = keywords?.exec(jobTitle)?.[0];
    const dept = departments?.exec(department)?.[0];
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
