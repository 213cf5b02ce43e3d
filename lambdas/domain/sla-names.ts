/**
 * The SLA's names in the reader's language (ADR 0024). Everything a person reads by its SLA name
 * (persona, lead type, lead status, deal stage, outcome, cadence, queue, track, form, the SLA itself)
 * may carry `names: { <locale>: "..." }` beside `name`; the company's sender name has `senderNames`,
 * the lifecycle stages `lifecycle.namesByLocale`. A reader gets the name in their locale, else in its
 * language ("ar-EG" reads `ar`), else `name`: an SLA file without any `names` reads as before.
 *
 * Pure: no I/O, no clock.
 */
import { normalText } from './conditions.ts';
import { languageOf, type ShippedLanguage, shippedLanguage } from './locale.ts';
import type { LifecycleStage, Sla } from './sla-schema.ts';

/** Per-locale names of one thing: locale tag (one of locales.supported) -> the name. */
export type LocalNames = Readonly<Record<string, string>>;

/** Something the SLA names: its `name`, and optionally its names per locale. */
export interface Named {
  readonly name: string;
  readonly names?: LocalNames | undefined;
}

/** The entry of `names` for `locale`: the tag itself, else its language; undefined when none. */
export function pickLocal(names: LocalNames | undefined, locale: string): string | undefined {
  if (!names) return undefined;
  if (names[locale] !== undefined) return names[locale];
  const lower = locale.toLowerCase();
  const exact = Object.keys(names).find((tag) => tag.toLowerCase() === lower);
  if (exact) return names[exact];
  const language = languageOf(locale);
  const same = Object.keys(names).find((tag) => tag.toLowerCase() === language);
  return same === undefined ? undefined : names[same];
}

/** A thing's name for a reader in `locale`: its `names` entry, else `name`. */
export function localName(named: Named, locale: string): string {
  return pickLocal(named.names, locale) ?? named.name;
}

/** The name of the SLA item with `id` in `items`, for `locale`; `fallback` (default: the id) when none has it. */
export function nameOf(
  items: readonly (Named & { readonly id: string })[],
  id: string | undefined,
  locale: string,
  fallback?: string,
): string {
  const item = id === undefined ? undefined : items.find((candidate) => candidate.id === id);
  return item ? localName(item, locale) : (fallback ?? id ?? '');
}

/**
 * What decided a change, for a reader in `locale`: the SLA's name of the outcome (`contact.outcome.<id>`),
 * deal stage (`deals.stage.<id>`) or lead status (`leadStatus.<id>`) a rule names; any other rule as written.
 */
export function ruleNameIn(sla: Sla, rule: string, locale: string): string {
  const named = (prefix: string, items: readonly (Named & { readonly id: string })[]) =>
    rule.startsWith(prefix) ? nameOf(items, rule.slice(prefix.length), locale, rule) : undefined;
  return (
    named('contact.outcome.', sla.contact.outcomes) ??
    named('deals.stage.', sla.deals.stages) ??
    named('leadStatus.', sla.leadStatuses) ??
    rule
  );
}

/**
 * The SLA's name of a form value (`fieldValues.<field>.<value>`) for a reader in `locale`: its `names` entry,
 * else its `name`; undefined when the SLA does not name it. The value is matched as conditions match it
 * (trimmed, case ignored), so "Food-and-Beverage" is `food-and-beverage`.
 */
export function fieldValueName(sla: Sla, field: string, value: string, locale: string): string | undefined {
  // own keys only: a lead's value is free text, and the map a plain object ("constructor" is no name)
  const values = Object.hasOwn(sla.fieldValues, field) ? sla.fieldValues[field] : undefined;
  if (!values) return undefined;
  const wanted = normalText(value);
  const key = Object.hasOwn(values, value)
    ? value
    : Object.keys(values).find((candidate) => normalText(candidate) === wanted);
  const named = key === undefined ? undefined : values[key];
  return named && (pickLocal(named.names, locale) ?? named.name);
}

/** The company's sender name (nurture.senderName / senderNames) for `locale`. */
export function senderNameIn(sla: Sla, locale: string): string {
  return pickLocal(sla.nurture.senderNames, locale) ?? sla.nurture.senderName;
}

/** The SLA's own name (name / names) for `locale`. */
export function slaNameIn(sla: Sla, locale: string): string {
  return pickLocal(sla.names, locale) ?? sla.name;
}

/** LeadPact's names for the fixed lifecycle stages, per shipped language: used when the SLA names none. */
const SHIPPED_STAGE_NAMES: Readonly<Record<ShippedLanguage, Readonly<Record<LifecycleStage, string>>>> = {
  en: {
    subscriber: 'Subscriber',
    lead: 'Lead',
    mql: 'Marketing qualified lead',
    sql: 'Sales qualified lead',
    opportunity: 'Opportunity',
    customer: 'Customer',
  },
  ar: {
    subscriber: 'مشترك',
    lead: 'عميل محتمل',
    mql: 'عميل مؤهل تسويقيًا',
    sql: 'عميل مؤهل للمبيعات',
    opportunity: 'فرصة بيعية',
    customer: 'عميل',
  },
  de: {
    subscriber: 'Abonnent',
    lead: 'Lead',
    mql: 'Marketingqualifizierter Lead',
    sql: 'Vertriebsqualifizierter Lead',
    opportunity: 'Verkaufschance',
    customer: 'Kunde',
  },
};

/**
 * A lifecycle stage's name for `locale`: `lifecycle.namesByLocale`, else LeadPact's own name in that
 * language while the SLA keeps LeadPact's English one, else the SLA's `lifecycle.names`.
 */
export function stageNameIn(sla: Sla, stage: string, locale: string): string {
  const own = sla.lifecycle.names[stage as LifecycleStage] ?? stage;
  const byLocale = sla.lifecycle.namesByLocale;
  const tags = Object.keys(byLocale);
  const tag =
    tags.find((t) => t.toLowerCase() === locale.toLowerCase()) ??
    tags.find((t) => t.toLowerCase() === languageOf(locale));
  const named = tag === undefined ? undefined : byLocale[tag]?.[stage as LifecycleStage];
  if (named) return named;
  const shipped = SHIPPED_STAGE_NAMES.en[stage as LifecycleStage];
  if (shipped !== undefined && own === shipped) {
    return SHIPPED_STAGE_NAMES[shippedLanguage(locale)][stage as LifecycleStage];
  }
  return own;
}
