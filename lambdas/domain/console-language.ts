/**
 * The language of the console and the SLA report page (console-text.ts, sla-report.ts), which LeadPact ships
 * in fewer languages than its emails and public pages (locale.ts SHIPPED_LANGUAGES). A shipped language without
 * console words reads the console and the report in English, as a whole: words, names, dates and numbers, and
 * `lang="en"`, never German dates around English sentences. Said here once, per language, so a language added
 * to SHIPPED_LANGUAGES is a compile error until someone decides (ADR 0019, German amendment).
 *
 * Pure: no I/O.
 */
import { languageOf, type ShippedLanguage, shippedLanguage } from './locale.ts';

/** Languages the console's and the report page's own words are written in. */
export const CONSOLE_LANGUAGES = ['en', 'ar'] as const;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];

/** For each shipped language, the language its readers see the console and the report in. */
const CONSOLE_LANGUAGE_OF: Readonly<Record<ShippedLanguage, ConsoleLanguage>> = {
  en: 'en',
  ar: 'ar',
  // German emails and pages are German; the console and the report are English for a German locale
  de: 'en',
};

export function consoleLanguage(locale: string): ConsoleLanguage {
  return CONSOLE_LANGUAGE_OF[shippedLanguage(locale)];
}

/**
 * The locale the console and the report are drawn in for a reader in `locale`: their own ("ar-EG", "en-GB")
 * where the console speaks their language, else the console language itself ("de-DE" -> "en").
 */
export function consoleLocale(locale: string): string {
  const language = consoleLanguage(locale);
  return languageOf(locale) === language ? locale : language;
}
