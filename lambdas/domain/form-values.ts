/**
 * Lenient per field, strict per lead (ADR 0018): a mapped form post's values as the lead's fields.
 * Only the email can reject a lead (the edge checks it); any other value that does not read as its
 * field's type is kept as given in `fieldIssues` with what is wrong, and left out of the fields the
 * SLA scores, so "Germany" becomes DE, "500-1000" employees 500, and "lots" employees an issue, not a
 * lost lead. Pure: no I/O, no clock.
 */
import { cleanMultilineText, cleanText, cutText } from './clean-text.ts';
import { countryCode } from './country-codes.ts';
import type { MappedPost, PostedValue } from './form-mapping.ts';
import { fieldKey } from './form-presets.ts';
import { splitFullName } from './full-name.ts';
import type { FieldValue } from './lead.ts';
import { postedAmount, postedCount } from './posted-number.ts';
import type { Refusal } from './refusal.ts';

/** A value the lead keeps as given but no rule reads: what was posted and what is wrong with it. */
export interface FieldIssue {
  readonly field: string;
  readonly value: string;
  readonly message: string;
}

export interface FormValues {
  /** the posted email, trimmed; the edge validates it */
  readonly email?: string;
  readonly fields: Record<string, FieldValue>;
  readonly fieldIssues: FieldIssue[];
  /** the visitor ticked a consent box (or a vendor's opt-in) and no opt-out */
  readonly marketingConsent: boolean;
  /** the visitor ticked an opt-out (Salesforce's emailOptOut): withdraws a consent given before */
  readonly optOut: boolean;
}

/** A multi-select's values stored in one field, as Salesforce stores a multi-picklist. */
export const MULTI_VALUE_SEPARATOR = '; ';
export const MAX_CUSTOM_FIELDS = 50;
const MAX_ISSUE_VALUE = 200;
const MAX_CUSTOM_NAME = 64;

/**
 * Reads a posted value as its field's type: the text, and the value as posted (a JSON number stays one). A
 * value kept in part has its issue beside it (`issue` alone: the value is not kept).
 */
type Reader = (text: string, posted?: PostedValue) => { value: FieldValue; issue?: string } | RefusedValue;

/** A value not kept: what is wrong, in English, and (where a reader in another language needs it) why, as data. */
export interface RefusedValue {
  readonly issue: string;
  readonly refusal?: Refusal;
}

/**
 * A text field. Prose over its limit (a message, a custom field's text: `multiline`) is kept cut to the limit,
 * with an issue saying so: the rep reads the request's start rather than nothing. A one-line value over its
 * limit (a name, an id, a campaign tag) is not kept: cut, it would be a wrong name or id.
 */
const text =
  (max: number, multiline = false): Reader =>
  (value) => {
    const cleaned = (multiline ? cleanMultilineText(value) : cleanText(value)).trim();
    if (cleaned.length <= max) return { value: cleaned };
    if (!multiline) return { issue: `at most ${max} characters`, refusal: { kind: 'tooLong', max } };
    return {
      value: cutText(cleaned, max).trimEnd(),
      issue: `cut to its first ${max} characters of ${cleaned.length}`,
    };
  };

/**
 * A whole number up to `max` from a form's text, read by `read` (posted-number.ts: "1,200", "10k", "25 Mio.",
 * "500-1000" as its lower bound), its digits typed on any keyboard; a JSON number as its whole part.
 */
const wholeNumber =
  (max: number, read: (text: string) => number | undefined, example: string): Reader =>
  (given, posted) => {
    const number = typeof posted === 'number' ? Math.floor(posted) : read(asciiDigits(given));
    if (number === undefined) return { issue: example };
    if (!Number.isSafeInteger(number) || number < 0 || number > max)
      return { issue: `a whole number up to ${max}` };
    return { value: number };
  };

/**
 * Digits as an Arabic or Persian keyboard types them, as ASCII: Arabic-Indic (U+0660-0669, ٠-٩) and
 * Extended Arabic-Indic (U+06F0-06F9, ۰-۹) digits, the Arabic decimal separator (٫) as "." and the thousands
 * separator (٬) as ",". For numbers and phone numbers only: a phone dials, a count compares and a CRM
 * reads ASCII digits; prose (a message, a name) keeps its digits as written.
 */
export function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9\u066B\u066C]/g, (c) => {
    const unit = c.charCodeAt(0);
    if (unit === 0x066b) return '.';
    if (unit === 0x066c) return ',';
    return String(unit >= 0x06f0 ? unit - 0x06f0 : unit - 0x0660);
  });
}

const PHONE = /^\+?[0-9 ().\-/]{3,40}(?:\s*(?:ext\.?|extension|x|#)\s*\d{1,6})?$/i;

const READERS: Readonly<Record<string, Reader>> = {
  firstName: text(100),
  lastName: text(100),
  company: text(200),
  jobTitle: text(150),
  phone: (value) => {
    const cleaned = asciiDigits(cleanText(value)).trim();
    return PHONE.test(cleaned)
      ? { value: cleaned }
      : { issue: 'a phone number: digits, spaces, + ( ) - . / and an extension' };
  },
  country: (value) => {
    const code = countryCode(cleanText(value));
    return code ? { value: code } : { issue: 'a country name or two-letter ISO code' };
  },
  employees: wholeNumber(10_000_000, postedCount, 'a whole number or a range such as 500-1000'),
  // the figure as posted, its currency read off and not converted (posted-number.ts postedAmount)
  revenue: wholeNumber(
    10_000_000_000_000,
    postedAmount,
    'an amount such as 25000000, 25M, €25,000,000 or 25 Mio. €',
  ),
  industry: text(100),
  interest: text(100),
  department: text(100),
  seniority: text(50),
  message: text(5000, true),
  website: text(500),
  locale: (value) =>
    /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/.test(value.trim())
      ? { value: value.trim() }
      : { issue: 'a language tag such as en or ar-EG' },
  formId: (value) =>
    /^[A-Za-z0-9_.-]{1,100}$/.test(value.trim())
      ? { value: value.trim() }
      : { issue: 'letters, digits, "-", "_" and "." (at most 100)' },
  pageUrl: (value) =>
    isUrl(value.trim()) && value.length <= 2000 ? { value: value.trim() } : { issue: 'a URL' },
  utm_source: text(200),
  utm_medium: text(200),
  utm_campaign: text(200),
  utm_term: text(200),
  utm_content: text(200),
  gclid: text(200),
  fbclid: text(500),
  msclkid: text(200),
  hutk: text(100),
};

/**
 * A correction's value (PATCH /leads/{id}/fields, the console's corrections) read as a form post reads its
 * field: a count from "1,200" or "٨٥٠", a country's code from its name, a phone's digits, text cleaned and
 * trimmed. Undefined for a name no reader knows: a custom field keeps the value as given. A value that does
 * not read is an issue: a correction is refused naming the field (a person or a program can fix it), where a
 * form post keeps the lead and flags it (ADR 0018).
 */
export function readCorrection(
  name: string,
  value: FieldValue,
): { value: FieldValue } | RefusedValue | undefined {
  const reader = Object.hasOwn(READERS, name) ? READERS[name] : undefined;
  return reader?.(String(value), value);
}

/**
 * What one lead keeps of custom fields (names no reader here knows: a form's own inputs, a PATCH's names), all
 * its posts and changes together: at most this many, and at most this many UTF-8 bytes of names and values.
 * Each post may bring new names (a repeat post fills gaps), so without it a form posted again and again with
 * new hidden inputs grew the state item until DynamoDB refused its writes (400 KB) and the lead froze. Past
 * the bound a form post keeps the lead and flags the field (fieldIssues), a PATCH answers 422 naming it.
 * HubSpot and Salesforce take no field they do not have a property for; this keeps a form's own inputs up
 * to a size no lead needs. Known fields (READERS) have limits of their own and do not count.
 */
export const MAX_LEAD_CUSTOM_FIELDS = 100;
export const MAX_LEAD_CUSTOM_BYTES = 32 * 1024;

/** A field this module reads by its own rule (bounded by it), not a custom one. */
export function isStandardField(name: string): boolean {
  return Object.hasOwn(READERS, name);
}

/**
 * Why `fields` cannot take `name` = `value` (a new custom field past MAX_LEAD_CUSTOM_FIELDS, or custom fields
 * past MAX_LEAD_CUSTOM_BYTES once it replaces what `name` holds); undefined: it fits.
 */
export function customFieldRefusal(
  fields: Readonly<Record<string, FieldValue>>,
  name: string,
  value: FieldValue,
): string | undefined {
  if (isStandardField(name)) return undefined;
  let count = 1;
  let bytes = customFieldBytes(name, value);
  for (const [other, held] of Object.entries(fields)) {
    if (other === name || isStandardField(other) || held === undefined) continue;
    count += 1;
    bytes += customFieldBytes(other, held);
  }
  if (count > MAX_LEAD_CUSTOM_FIELDS && !Object.hasOwn(fields, name))
    return `a lead keeps at most ${MAX_LEAD_CUSTOM_FIELDS} custom fields`;
  // a lead over the bound (stored before it) may still shrink: a value no longer than the one it replaces
  const held = Object.hasOwn(fields, name) ? fields[name] : undefined;
  const grows = held === undefined || customFieldBytes(name, value) > customFieldBytes(name, held);
  if (bytes > MAX_LEAD_CUSTOM_BYTES && grows)
    return `a lead keeps at most ${MAX_LEAD_CUSTOM_BYTES / 1024} KB of custom fields (names and values, UTF-8)`;
  return undefined;
}

function customFieldBytes(name: string, value: FieldValue): number {
  return utf8Bytes(name) + utf8Bytes(String(value));
}

/** The UTF-8 length of `text` (a lone surrogate as the 3 bytes of its replacement). */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * What LeadPact itself says of a lead (lead-state.ts LeadState, GET /leads/{id}), as fieldKey compares names:
 * a posted custom field under one of them (`owner: "lena"`, `Lead Status`) would sit in `fields` beside the
 * lead's real owner and status, for a CRM or a person to misread. Such a value is kept in fieldIssues instead.
 */
const LEAD_STATE_NAMES = new Set([
  'leadid',
  'owner',
  'ownerid',
  'ownername',
  'stage',
  'lifecyclestage',
  'lifecyclestagename',
  'status',
  'leadstatus',
  'leadtype',
  'persona',
  'journeystage',
  'score',
  'scores',
  'totalscore',
  'total',
  'fit',
  'fittier',
  'engagement',
  'consent',
  'unsubscribed',
  'deal',
  'handedoffat',
  'fieldissues',
  'slaversion',
  'erasedat',
]);

/** Names the lead does not keep as fields: the email and the consent, read separately. */
const NOT_FIELDS = new Set(['email', 'marketingConsent', 'optOut', 'name']);

/** Reads a mapped post's values (see the module comment). */
export function formValues(post: MappedPost): FormValues {
  const fields: Record<string, FieldValue> = {};
  const fieldIssues: FieldIssue[] = [];
  const flag = (field: string, value: string, message: string) =>
    fieldIssues.push(fieldIssue(field, value, message));
  let customCount = 0;
  for (const [name, posted] of post.values) {
    if (NOT_FIELDS.has(name)) continue;
    // the same answer twice (a field repeated on the page, a hidden copy) is one answer: "Anna", not "Anna; Anna"
    const given = [...new Set(posted.map((value) => asText(value).trim()).filter((value) => value !== ''))];
    if (given.length === 0) continue;
    if (post.custom.has(name)) {
      const field = customName(name);
      if (!field) {
        flag(name, given.join(MULTI_VALUE_SEPARATOR), 'not a usable field name');
        continue;
      }
      if (LEAD_STATE_NAMES.has(fieldKey(field))) {
        flag(field, given.join(MULTI_VALUE_SEPARATOR), 'a name LeadPact uses for the lead’s own state');
        continue;
      }
      if (++customCount > MAX_CUSTOM_FIELDS) {
        flag(field, given.join(MULTI_VALUE_SEPARATOR), `more than ${MAX_CUSTOM_FIELDS} custom fields`);
        continue;
      }
      const single = posted.length === 1 ? posted[0]! : undefined;
      if (typeof single === 'number' && !isStorableNumber(single)) {
        flag(field, String(single), 'a number between -9007199254740991 and 9007199254740991');
      } else if (typeof single === 'number' || typeof single === 'boolean') fields[field] = single;
      else {
        const read = text(1000, true)(given.join(MULTI_VALUE_SEPARATOR));
        if ('value' in read) fields[field] = read.value;
        if (read.issue) flag(field, given.join(MULTI_VALUE_SEPARATOR), read.issue);
      }
      continue;
    }
    const reader = READERS[name] ?? text(1000, true);
    // a known field posted twice: a multi-select keeps every value; a number reads the first
    const joined =
      typeof posted[0] === 'number' && posted.length === 1
        ? String(posted[0])
        : given.join(MULTI_VALUE_SEPARATOR);
    const read = reader(joined, posted.length === 1 ? posted[0] : undefined);
    if ('value' in read) fields[name] = read.value;
    if (read.issue) flag(name, joined, read.issue);
  }
  // a full name fills the first and last name the form did not ask for separately (full-name.ts)
  const fullName = post.values
    .get('name')
    ?.map(asText)
    .find((value) => value.trim() !== '');
  if (fullName !== undefined) {
    const { firstName, lastName } = splitFullName(cleanText(fullName));
    if (fields.firstName === undefined && firstName) fields.firstName = cutText(firstName, 100);
    if (fields.lastName === undefined && lastName) fields.lastName = cutText(lastName, 100);
  }
  for (const [name, value] of post.otherFormIds ?? []) {
    flag(name, asText(value), `names no form of the SLA: the post counts as ${post.form?.id ?? 'its form'}`);
  }
  const consent = readFlag(post.values.get('marketingConsent'));
  const optOut = readFlag(post.values.get('optOut'));
  for (const [field, read] of [
    ['marketingConsent', consent],
    ['optOut', optOut],
  ] as const) {
    if (read === 'invalid')
      flag(field, post.values.get(field)!.map(asText).join(MULTI_VALUE_SEPARATOR), 'yes or no');
  }
  const email = post.values.get('email')?.map(asText)[0]?.trim();
  return {
    ...(email !== undefined ? { email } : {}),
    fields,
    fieldIssues,
    marketingConsent: consent === true && optOut !== true,
    optOut: optOut === true,
  };
}

/**
 * An issue as the lead keeps it: the posted name and value as given, but cleaned as all stored text is
 * (clean-text.ts: no controls or bidi overrides, no lone surrogates) and cut between graphemes.
 */
export function fieldIssue(field: string, value: string, message: string): FieldIssue {
  return {
    field: cutText(cleanText(field).trim(), MAX_CUSTOM_NAME),
    value: cutText(cleanMultilineText(value), MAX_ISSUE_VALUE),
    message,
  };
}

function asText(value: PostedValue): string {
  return typeof value === 'string' ? value : String(value);
}

/** true, false, undefined (not posted or blank) or 'invalid'. A checkbox group reads its last box. */
function readFlag(values: readonly PostedValue[] | undefined): boolean | undefined | 'invalid' {
  const given = values?.filter((value) => asText(value).trim() !== '');
  if (!given?.length) return undefined;
  const value = given[given.length - 1]!;
  if (typeof value === 'boolean') return value;
  const word = asText(value).trim().toLowerCase();
  if (['on', 'true', 'yes', '1', 'y', 'checked'].includes(word)) return true;
  if (['off', 'false', 'no', '0', 'n'].includes(word)) return false;
  return 'invalid';
}

/** A custom field's stored name: the posted one if it is usable as a key, else undefined. */
function customName(name: string): string | undefined {
  const trimmed = name.trim();
  if (!/^[\p{L}\p{N}][\p{L}\p{N}_.\- ]{0,63}$/u.test(trimmed)) return undefined;
  // names an object inherits (constructor, __proto__) break code that reads map[key]
  if (trimmed in Object.prototype) return undefined;
  return trimmed;
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** DynamoDB and the SDK keep a number exactly only within these bounds (api/http.ts isStorableNumber). */
function isStorableNumber(value: number): boolean {
  const magnitude = Math.abs(value);
  return value === 0 || (magnitude >= 1e-130 && magnitude <= Number.MAX_SAFE_INTEGER);
}
