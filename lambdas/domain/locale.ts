/**
 * Locales (ADR 0019): which language a person reads. A lead's locale comes from the form (a
 * `locale` or `language` field), else the browser's `Accept-Language`, else the SLA's default; a
 * rep's or manager's from the SLA (`routing.reps[].locale`), else the default. Every choice is one
 * of the SLA's `locales.supported`, so an email always has its text in that language: the closest
 * supported tag wins ("ar-EG" reads "ar"; "en-GB" may be offered as itself).
 *
 * Pure: no I/O, no clock.
 */
import type { LeadFields } from './lead.ts';
import type { Sla } from './sla-schema.ts';

/**
 * Languages LeadPact ships its own email and page text in (email-text.ts, page-text.ts). The console and the
 * SLA report page have their own list (console-language.ts): German reads them in English.
 */
export const SHIPPED_LANGUAGES = ['en', 'ar', 'de'] as const;
export type ShippedLanguage = (typeof SHIPPED_LANGUAGES)[number];

/** Languages written right to left (their primary subtag). */
const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ks', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** The form fields a lead's locale may come from, in order. */
export const LOCALE_FIELDS = ['locale', 'language'] as const;

/** A tag's language: "ar-EG" -> "ar"; lower case. */
export function languageOf(tag: string): string {
  return tag.trim().split(/[-_]/)[0]!.toLowerCase();
}

export function textDirection(tag: string): 'ltr' | 'rtl' {
  return RTL.has(languageOf(tag)) ? 'rtl' : 'ltr';
}

/** FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE (Unicode's bidi isolates) */
const FSI = '\u2068';
const PDI = '\u2069';

/**
 * `text` in its own direction inside any sentence (FSI ... PDI): a Latin name (a rep, a lead, a company, an SLA
 * name) inside Arabic words keeps its order, and the comma, time or bracket after it stays where the sentence put
 * it; unisolated, "SQL، 3 ديسمبر" drew the day on the stage's side. The one helper every text function uses for a
 * name it is given (ADR 0019). First strong isolate, but right to left for a name of Latin and Arabic words that
 * begins with the Latin ones (latinFirstWithArabic). Text whose letters are all inside isolates already (a lead's
 * title, its name and company each isolated: "Petra Schmidt (Kessler)") is returned as it is: isolated once more,
 * as a whole, it would take the direction of no letter (left to right) and draw an Arabic page's brackets the
 * other way round.
 */
export function isolated(text: string): string {
  if (isolatedAlready(text)) return text;
  return `${latinFirstWithArabic(text) ? RLI : FSI}${text}${PDI}`;
}

/** RIGHT-TO-LEFT ISOLATE */
const RLI = '\u2067';

/**
 * A name of Latin and Arabic words that begins with the Latin ones ("Kessler Industrial - اتفاقية التسويق"): its
 * first strong letter would make it left to right, its Latin words drawn at the left of its Arabic ones, so an
 * Arabic reader read them last; isolated right to left, an Arabic sentence reads it as its author wrote it (the
 * worked example's Arabic SLA name). Such a name in an English sentence (rare: English readers get the English
 * names) reads its Arabic words first.
 */
function latinFirstWithArabic(text: string): boolean {
  const first = /[\p{Script=Latin}\p{Script=Arabic}]/u.exec(text)?.[0];
  return first !== undefined && /\p{Script=Latin}/u.test(first) && /\p{Script=Arabic}/u.test(text);
}

/** whether `text` has an isolate and no letter outside its isolates */
function isolatedAlready(text: string): boolean {
  let depth = 0;
  let outside = '';
  for (const unit of text) {
    if (unit === FSI || unit === '\u2066' || unit === '\u2067') depth++;
    else if (unit === PDI) depth = Math.max(0, depth - 1);
    else if (depth === 0) outside += unit;
  }
  return outside.length < text.length && !/\p{L}/u.test(outside);
}

/** A well-formed BCP 47 tag in its canonical case ("ar-eg" -> "ar-EG"), or undefined. */
export function canonicalTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag.trim().replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
}

/**
 * Ranges of an `Accept-Language` header read, at most: a browser sends a few; a header of thousands (anyone
 * can send one, before signing in) cost a canonical tag each, about 25 ms of the request.
 */
const MAX_LANGUAGE_RANGES = 32;

/**
 * The language ranges of an `Accept-Language` header, best first (RFC 9110 section 12.5.4): quality
 * 0 and "*" dropped, ties kept in the header's order; its first MAX_LANGUAGE_RANGES only.
 */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',', MAX_LANGUAGE_RANGES)
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      const quality = q === undefined ? 1 : Number(q);
      return { range: range.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.range !== '' && entry.range !== '*' && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map((entry) => entry.range);
}

/** The supported locale closest to `wanted`: the same tag, else one of its language; undefined if none. */
export function closestLocale(wanted: string, supported: readonly string[]): string | undefined {
  const tag = canonicalTag(wanted);
  if (!tag) return undefined;
  const exact = supported.find((s) => s.toLowerCase() === tag.toLowerCase());
  if (exact) return exact;
  const language = languageOf(tag);
  return (
    supported.find((s) => s.toLowerCase() === language) ?? supported.find((s) => languageOf(s) === language)
  );
}

/**
 * The `locale` field to store on a lead: set when the form or the browser named a supported language,
 * none otherwise (the SLA's default then applies when an email is written, leadLocale).
 */
export function localeField(
  sla: Pick<Sla, 'locales'>,
  fields: LeadFields,
  acceptLanguage?: string,
): { readonly locale?: string } {
  const candidates = [
    ...LOCALE_FIELDS.map((name) => fields[name]).filter((v): v is string => typeof v === 'string'),
    ...acceptedLanguages(acceptLanguage),
  ];
  for (const wanted of candidates) {
    const found = closestLocale(wanted, sla.locales.supported);
    if (found) return { locale: found };
  }
  return {};
}

/** The locale a lead's emails use: the one stored on it (resolveLeadLocale), else the SLA's default. */
export function leadLocale(sla: Sla, fields: LeadFields): string {
  const stored = fields['locale'];
  return (typeof stored === 'string' && closestLocale(stored, sla.locales.supported)) || sla.locales.default;
}

/** A rep's or manager's locale: their own in the SLA, else the SLA's default. */
export function personLocale(sla: Sla, person: { readonly locale?: string | undefined }): string {
  return (person.locale && closestLocale(person.locale, sla.locales.supported)) || sla.locales.default;
}

/** The shipped language LeadPact's own text is shown in for a locale (English when it ships none). */
export function shippedLanguage(locale: string): ShippedLanguage {
  const language = languageOf(locale);
  return (SHIPPED_LANGUAGES as readonly string[]).includes(language) ? (language as ShippedLanguage) : 'en';
}

/** The script each shipped language is written in. */
const SCRIPTS: Readonly<Record<ShippedLanguage, RegExp>> = {
  en: /^\p{Script=Latin}$/u,
  ar: /^\p{Script=Arabic}$/u,
  de: /^\p{Script=Latin}$/u,
};

/**
 * Whether a reader in `locale` reads `text` as their own words: it has letters and every one is in their
 * language's script (Latin for English and German, Arabic for Arabic). Digits and punctuation do not count.
 */
export function writtenIn(text: string, locale: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  const script = SCRIPTS[shippedLanguage(locale)];
  return letters.length > 0 && letters.every((letter) => script.test(letter));
}

/**
 * ` lang="ar"` for words written in Arabic letters alone (a lead's name, job title, message, or an Arabic run
 * inside an English sentence), else nothing: a screen reader then reads them with an Arabic voice on an English
 * page or email (WCAG 3.1.2). Latin letters say no language (English, German, ...): nothing is claimed for them.
 */
export function arabicLangAttribute(text: string): string {
  return writtenIn(text, 'ar') ? ' lang="ar"' : '';
}
