/**
 * Country names to ISO 3166-1 alpha-2 codes, for forms that post "Germany" or "Deutschland" where
 * LeadPact's rules expect DE. Built once from Intl.DisplayNames (the runtime's CLDR data, no I/O) in
 * a few languages, plus the usual short forms. Pure.
 *
 * A two-letter code is a country's only if CLDR names it as a region: the ISO 3166-1 alpha-2 codes
 * assigned, the exceptionally reserved places (IC Canary Islands, AC Ascension...), and XK (Kosovo, the
 * user-assigned code the EU and CLDR use), with a former code read as its successor's (UK, DD, YU). The
 * groupings CLDR names too are no country (EU, EZ, UN, QO), nor are its pseudo-regions (XA, XB); any other
 * code (XX, AA, QM...) is unknown: a form's value that is no country is a field issue, never a stored code.
 */

import { readSpellingVariants } from './arabic-letters.ts';

const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ar'];
const EXTRA: Readonly<Record<string, string>> = {
  usa: 'US',
  us: 'US',
  unitedstatesofamerica: 'US',
  america: 'US',
  uk: 'GB',
  greatbritain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  britain: 'GB',
  uae: 'AE',
  holland: 'NL',
  russia: 'RU',
  southkorea: 'KR',
  korea: 'KR',
  czechia: 'CZ',
  czechrepublic: 'CZ',
  turkey: 'TR',
  ivorycoast: 'CI',
  thenetherlands: 'NL',
  ksa: 'SA',
  // Arabic forms' usual names, shorter than CLDR's (المملكة العربية السعودية، الإمارات العربية المتحدة), or
  // official and common ones CLDR does not give (its PS is الأراضي الفلسطينية, its SY سوريا)
  السعودية: 'SA',
  الامارات: 'AE',
  جمهوريةمصرالعربية: 'EG',
  فلسطين: 'PS',
  دولةفلسطين: 'PS',
  سورية: 'SY',
  بريطانيا: 'GB',
  أمريكا: 'US',
};

/** regions CLDR names that are not a country: groupings and pseudo-regions */
const NOT_COUNTRIES: ReadonlySet<string> = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ']);

let table: Map<string, string> | undefined;
/** the codes of a country, as CLDR names them (build) */
let codes: Set<string> | undefined;

/**
 * A name as compared: lower case, letters only, accents (tashkeel, the hamza on a letter) dropped, the Arabic
 * article kept as written, and ة and ى read as ه and ي, as lead search reads them (arabic-letters.ts, ADR 0054):
 * السعوديه is السعودية; Persian ی, ک, پ as ي, ك, ب.
 */
function nameKey(name: string): string {
  return readSpellingVariants(
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}]/gu, '')
      // Persian letters as a Persian keyboard types a name Arabic spells with its own: ایران, پاکستان
      .replace(/ی/g, 'ي')
      .replace(/ک/g, 'ك')
      .replace(/پ/g, 'ب'),
  );
}

function build(): Map<string, string> {
  const map = new Map<string, string>();
  codes = new Set();
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const language of LANGUAGES) {
    const names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    for (const a of letters) {
      for (const b of letters) {
        const code = a + b;
        // a deprecated code (DD, UK, SU) names its successor's country: take the successor's code
        if (Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`) continue;
        let name: string | undefined;
        try {
          name = names.of(code);
        } catch {
          name = undefined;
        }
        if (!name || /^[A-Z]{2}$/.test(name) || /unknown/i.test(name) || NOT_COUNTRIES.has(code)) continue;
        codes.add(code);
        const key = nameKey(name);
        if (key && !map.has(key)) map.set(key, code);
      }
    }
  }
  for (const [name, code] of Object.entries(EXTRA)) map.set(nameKey(name), code);
  return map;
}

/** answers given, by the value as posted: forms post a few spellings again and again (issue 15) */
const answered = new Map<string, string | undefined>();
const ANSWERS_KEPT = 512;
/** no country's name is longer ("Saint Vincent and the Grenadines", in any language): a longer value is
 * looked up but not kept, so the memory stays a few tens of KB whatever a form is sent */
const LONGEST_KEPT = 64;

/** The ISO code for a code or a country's name ("de", "Germany", "Deutschland", "ألمانيا"), or undefined. */
export function countryCode(value: string): string | undefined {
  if (answered.has(value)) return answered.get(value);
  const code = lookUp(value);
  if (value.length > LONGEST_KEPT) return code;
  // bounded: a flood of made-up names starts the memory over rather than growing it
  if (answered.size >= ANSWERS_KEPT) answered.clear();
  answered.set(value, code);
  return code;
}

function lookUp(value: string): string | undefined {
  const trimmed = value.trim();
  table ??= build();
  const named = table.get(nameKey(trimmed));
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    // a deprecated code (UK) as its successor (GB)
    const canonical = Intl.getCanonicalLocales(`und-${trimmed.toUpperCase()}`)[0]?.slice(4);
    return canonical && codes?.has(canonical) ? canonical : undefined;
  }
  return named;
}
