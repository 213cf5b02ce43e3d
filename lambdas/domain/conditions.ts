/**
 * The match operators of the SLA file (equals, in, notIn, contains, gte, lte, exists) and
 * the facts they test: a lead's form fields plus derived ones. Form data is messy text, so
 * comparisons forgive case, surrounding spaces and numbers sent as strings.
 *
 * A fact may hold several values: regions overlap (DE is in both "dach" and "europe"), and
 * `region in [europe]` must hold for a German lead. Such a fact matches when one of its values
 * satisfies the operators and none of them is excluded by `notIn`.
 */
import type { FieldValue, LeadInput } from './lead.ts';
import { emailDomain } from './lead.ts';
import type { Condition, Sla } from './sla-schema.ts';

/** One value, or several (a country in overlapping regions). */
export type FactValue = FieldValue | readonly FieldValue[];

/** What conditions test: field name -> value. Derived: email, emailDomain, region (+ persona,
 *  seniority, leadType, fitTier when known). */
export type Facts = Record<string, FactValue | undefined>;

/** The operators of a condition, ICP criterion or negative rule, without its field. */
export type MatchOps = Omit<Condition, 'field'>;

export type Matcher = (value: FactValue | undefined) => boolean;

type Scalar = string | number | boolean;

/** An expected value, normalised once so a match does no parsing of the rule. */
interface Expected {
  readonly text: string;
  readonly number: number | undefined;
  readonly boolean: boolean | undefined;
  readonly kind: 'string' | 'number' | 'boolean';
}

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);
const NOT_BLANK = /\S/;

/** A number from a number or a numeric string ("250", " 1.5 "); hex, exponents and words are not numbers. */
export function numericValue(value: FieldValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return NUMERIC.test(trimmed) ? Number(trimmed) : undefined;
}

/** Trimmed, lower-cased text of a value. */
export function normalText(value: FieldValue): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : String(value);
}

/** A blank string is what an empty form input posts: it means "not given". */
export function isPresent(value: FieldValue | undefined): value is FieldValue {
  return value !== undefined && (typeof value !== 'string' || NOT_BLANK.test(value));
}

function booleanValue(value: FieldValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  const word = value.trim().toLowerCase();
  // HTML checkboxes post "on"; CRMs send "yes"/"no"
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
}

function toExpected(value: Scalar): Expected {
  if (typeof value === 'number')
    return { kind: 'number', text: String(value), number: value, boolean: undefined };
  if (typeof value === 'boolean')
    return { kind: 'boolean', text: String(value), number: undefined, boolean: value };
  return { kind: 'string', text: normalText(value), number: numericValue(value), boolean: undefined };
}

function same(expected: Expected, actual: FieldValue, actualText: string): boolean {
  if (expected.kind === 'boolean') return booleanValue(actual) === expected.boolean;
  if (expected.kind === 'number' || (typeof actual === 'number' && expected.number !== undefined)) {
    return numericValue(actual) === expected.number;
  }
  return actualText === expected.text;
}

const compiled = new WeakMap<MatchOps, Matcher>();

/** Builds a matcher for the operators; every given operator must hold. A missing or blank value
 *  satisfies only `exists: false` (unknown is not evidence, so notIn does not hold either). */
export function compileCondition(ops: MatchOps): Matcher {
  const cached = compiled.get(ops);
  if (cached) return cached;
  const equals = ops.equals === undefined ? undefined : toExpected(ops.equals);
  const anyOf = ops.in?.map(toExpected);
  const noneOf = ops.notIn?.map(toExpected);
  const needles =
    ops.contains === undefined
      ? undefined
      : (typeof ops.contains === 'string' ? [ops.contains] : ops.contains).map((n) => n.trim().toLowerCase());
  const { gte, lte, exists } = ops;
  const testsValue =
    equals !== undefined ||
    anyOf !== undefined ||
    noneOf !== undefined ||
    needles !== undefined ||
    gte !== undefined ||
    lte !== undefined;

  /** every operator but notIn holds for this present value */
  const holds = (value: FieldValue): boolean => {
    if (exists === false) return false;
    if (!testsValue) return true;
    const text = normalText(value);
    if (equals !== undefined && !same(equals, value, text)) return false;
    if (anyOf !== undefined && !anyOf.some((e) => same(e, value, text))) return false;
    if (needles !== undefined && !needles.some((needle) => text.includes(needle))) return false;
    if (gte !== undefined || lte !== undefined) {
      const n = numericValue(value);
      if (n === undefined) return false;
      if (gte !== undefined && n < gte) return false;
      if (lte !== undefined && n > lte) return false;
    }
    return true;
  };
  const excluded = (value: FieldValue): boolean =>
    noneOf?.some((e) => same(e, value, normalText(value))) === true;

  const matcher: Matcher = (value) => {
    if (!isArray(value)) {
      if (!isPresent(value)) return exists === false && !testsValue;
      return !excluded(value) && holds(value);
    }
    const present = value.filter(isPresent);
    if (present.length === 0) return exists === false && !testsValue;
    return !present.some(excluded) && present.some(holds);
  };
  compiled.set(ops, matcher);
  return matcher;
}

// Array.isArray does not narrow readonly arrays
function isArray(value: FactValue | undefined): value is readonly FieldValue[] {
  return Array.isArray(value);
}

/** Whether a value satisfies every operator given (compiled once per operators object). */
export function matchesCondition(ops: MatchOps, value: FactValue | undefined): boolean {
  return compileCondition(ops)(value);
}

/** Whether a `{ field, <operators> }` condition holds against the facts. */
export function conditionHolds(condition: Condition, facts: Facts): boolean {
  return compileCondition(condition)(facts[condition.field]);
}

const described = new WeakMap<Condition, string>();
const listText = (values: readonly Scalar[]) => `[${values.join(', ')}]`;

/** A short text of a condition for reasons, e.g. `industry in [software, saas]` (memoised: rules are static). */
export function describeCondition(condition: Condition): string {
  let text = described.get(condition);
  if (text !== undefined) return text;
  const parts: string[] = [];
  if (condition.equals !== undefined) parts.push(`= ${condition.equals}`);
  if (condition.in) parts.push(`in ${listText(condition.in)}`);
  if (condition.notIn) parts.push(`not in ${listText(condition.notIn)}`);
  if (condition.contains !== undefined) {
    const { contains } = condition;
    parts.push(`contains ${typeof contains === 'string' ? contains : listText(contains)}`);
  }
  if (condition.gte !== undefined) parts.push(`>= ${condition.gte}`);
  if (condition.lte !== undefined) parts.push(`<= ${condition.lte}`);
  if (condition.exists !== undefined) parts.push(condition.exists ? 'exists' : 'is missing');
  text = `${condition.field} ${parts.join(' and ')}`;
  described.set(condition, text);
  return text;
}

const regionIndex = new WeakMap<Sla['regions'], ReadonlyMap<string, readonly string[]>>();
const NO_REGIONS: readonly string[] = Object.freeze([]);

/** The regions containing an ISO country code, in declaration order (regions may overlap). */
export function regionsOf(sla: Sla, country: FieldValue | undefined): readonly string[] {
  if (typeof country !== 'string') return NO_REGIONS;
  let index = regionIndex.get(sla.regions);
  if (!index) {
    const map = new Map<string, string[]>();
    for (const [region, countries] of Object.entries(sla.regions)) {
      for (const code of countries) {
        const list = map.get(code);
        if (!list) map.set(code, [region]);
        else if (!list.includes(region)) list.push(region);
      }
    }
    index = map;
    regionIndex.set(sla.regions, index);
  }
  return index.get(country.trim().toUpperCase()) ?? NO_REGIONS;
}

/** The first declared region containing the country: one region for display and routing. */
export function regionOf(sla: Sla, country: FieldValue | undefined): string | undefined {
  return regionsOf(sla, country)[0];
}

/** The facts conditions test: form fields, then derived fields, which a form cannot override.
 *  `region` is the region id, or the list of them when the country is in several. */
export function leadFacts(sla: Sla, lead: Pick<LeadInput, 'email' | 'fields'>): Facts {
  const regions = regionsOf(sla, lead.fields['country']);
  return {
    ...lead.fields,
    email: lead.email.trim().toLowerCase(),
    emailDomain: emailDomain(lead.email),
    region: regions.length === 0 ? undefined : regions.length === 1 ? regions[0] : regions,
  };
}
