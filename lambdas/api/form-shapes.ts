/**
 * The shapes a form post arrives in, flattened to named fields for the mapping (domain/form-mapping.ts):
 * a plain JSON object; HubSpot's Forms API v3 JSON (`fields[]`, `context`, `legalConsentOptions`);
 * Typeform's webhook (`form_response` with `answers[]`, posted by Typeform's servers); an HTML form
 * (URL-encoded or multipart), Mautic's `mauticform[...]` names included; and the UTM parameters and
 * click ids on the action URL's query string.
 */
import { cleanText } from '../domain/clean-text.ts';
import type { MappingHints, PostedFields, PostedValue } from '../domain/form-mapping.ts';
import { vendorOfNames } from '../domain/form-presets.ts';
import { type FieldIssue, fieldIssue } from '../domain/form-values.ts';
import type { LegalConsent } from '../domain/lead-state.ts';
import { type FormBody, HttpError } from './http.ts';

export interface ShapedPost {
  readonly fields: PostedFields;
  readonly hints: MappingHints;
  /** what the post's shape could not carry (a nested object or list where a value belongs) */
  readonly unfit: readonly UnfitValue[];
  /** HubSpot's legalConsentOptions, as the visitor saw and answered them */
  readonly legalConsent?: LegalConsent;
  /**
   * fields that count only where `fields` give none (mapFormPost's fallback): Typeform's hidden fields, filled
   * from the link the person opened, which may be someone else's (a forwarded campaign link)
   */
  readonly fallback?: PostedFields;
  /**
   * The vendor's own id of this submission and when it was submitted (Typeform's response `token` and
   * `submitted_at`): a vendor that sends it again (Typeform does after a timeout or a 5xx) sends the same
   * submission, which is stored once (leads-public.ts submitLead)
   */
  readonly sent?: { readonly id: string; readonly at?: string };
}

/**
 * A posted value the post's shape cannot carry as a field's value (a value, or a list of values, belongs):
 * kept for a person to read (ADR 0018: unfitIssue), never dropped. A value posted as the email refuses the post.
 */
export interface UnfitValue {
  /** the posted name */
  readonly name: string;
  /** the start of the value as JSON */
  readonly value: string;
  /** what it is instead: "an object", "a list inside a list" */
  readonly what: string;
}

/** An unfit value as the lead keeps it in its fieldIssues. */
export function unfitIssue({ name, value, what }: UnfitValue): FieldIssue {
  return fieldIssue(name, value, `a value, not ${what}`);
}

/** Names on the action URL's query string a form post may carry (a landing page's UTM links). */
const QUERY_FIELDS = new Set([
  'formId',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'gclid',
  'fbclid',
  'msclkid',
]);
const MAX_CONSENT_TEXT = 1000;

/** A post's body and the action URL's query string (`rawQueryString`, as API Gateway gives it) flattened. */
export function shapePost(body: FormBody, request: { readonly rawQueryString?: string }): ShapedPost {
  const query = new URLSearchParams(request.rawQueryString ?? '');
  const fromQuery: [string, PostedValue][] = [];
  for (const [name, value] of query) {
    if (QUERY_FIELDS.has(name) && value.trim() !== '') fromQuery.push([name, value]);
  }
  const queryFormId = fromQuery.find(([name]) => name === 'formId')?.[1];
  const base = body.kind === 'json' ? shapeJson(body.data, body.members) : shapeForm(body.fields);
  // the action URL's values count where the body has none of its own
  const named = new Set([...base.fields, ...(base.fallback ?? [])].map(([name]) => name.toLowerCase()));
  // (the formId is a hint, not a field: mapFormPost uses it when the fields name no form)
  const fields = [
    ...base.fields,
    ...fromQuery.filter(([name]) => name !== 'formId' && !named.has(name.toLowerCase())),
  ];
  return {
    ...base,
    fields,
    hints: { ...base.hints, ...(typeof queryFormId === 'string' ? { formId: queryFormId } : {}) },
  };
}

/** Elementor's webhook with "advanced data": fields[<id>][title|value|type|...], form[...], meta[<key>][...] */
const RECORD_NAME = /^(fields|meta)\[([^\]]+)\]\[([a-z_]+)\]$/;

/**
 * What Elementor's simple webhook adds after the fields when its metadata is on, signed "Powered by:
 * Elementor": the visitor's IP address and browser are no lead fields (personal data nobody asked for), the
 * date and time the post's own; "Page URL" stays (the page the lead came from).
 */
const ELEMENTOR_METADATA = new Set(['date', 'time', 'user agent', 'remote ip', 'powered by', 'credit']);

function shapeForm(pairs: readonly (readonly [string, string])[]): ShapedPost {
  if (pairs.some(([name]) => RECORD_NAME.test(name) && name.startsWith('fields[')))
    return shapeRecordForm(pairs);
  const elementor = pairs.some(
    ([name, value]) => name.trim().toLowerCase() === 'powered by' && /elementor/i.test(value),
  );
  if (elementor) pairs = pairs.filter(([name]) => !ELEMENTOR_METADATA.has(name.trim().toLowerCase()));
  const hubSpot = hubSpotHtml(pairs);
  if (hubSpot) pairs = hubSpot.rest;
  let mautic = false;
  const fields = pairs.map(([name, value]): [string, PostedValue] => {
    const inner = /^mauticform\[([^\]]*)\](?:\[\])?$/.exec(name);
    if (inner) {
      mautic = true;
      return [inner[1]!, value];
    }
    // PHP-style multi-value names: interests[] is interests
    return [name.endsWith('[]') ? name.slice(0, -2) : name, value];
  });
  if (hubSpot) {
    return {
      fields: [...fields, ...hubSpot.fields],
      hints: { detected: 'hubspot' },
      unfit: [],
      ...(hubSpot.legalConsent ? { legalConsent: hubSpot.legalConsent } : {}),
    };
  }
  const detected = mautic ? 'mautic' : vendorOfNames(fields.map(([name]) => name));
  return { fields, hints: detected ? { detected } : {}, unfit: [] };
}

/** HubSpot's HTML form's consent checkboxes: `LEGAL_CONSENT.subscription_type_<id>`, `LEGAL_CONSENT.processing`. */
const LEGAL_CONSENT_NAME = /^LEGAL_CONSENT\.(?:subscription_type_(.+)|(processing))$/;
/** What a ticked checkbox posts: HubSpot's own `true`, a plain checkbox's `on` */
const TICKED = new Set(['true', 'on', 'yes', '1']);
/**
 * hs_context's keys read, by the same names: the page, the tracking cookie, the thank-you page (`redirectUrl`, as
 * `redirect_url` is: an allowed origin only); the rest (the visitor's `ipAddress`) is not kept
 */
const HS_CONTEXT_FIELDS = ['pageUrl', 'hutk', 'pageName', 'redirectUrl'] as const;

/**
 * HubSpot's own HTML form (the markup its embed renders, or a page built for the legacy Forms API), its action
 * pointed at LeadPact: `hs_context` (JSON: the page, the tracking cookie, the visitor's IP address) and the
 * `LEGAL_CONSENT.*` checkboxes, read as the v3 JSON's context and legalConsentOptions are (shapeHubSpot).
 * Undefined when the post has neither.
 */
function hubSpotHtml(pairs: readonly (readonly [string, string])[]):
  | {
      rest: (readonly [string, string])[];
      fields: [string, PostedValue][];
      legalConsent?: LegalConsent;
    }
  | undefined {
  const rest: (readonly [string, string])[] = [];
  const fields: [string, PostedValue][] = [];
  const communications: LegalConsent['communications'][number][] = [];
  let consentToProcess: boolean | undefined;
  let seen = false;
  for (const pair of pairs) {
    const [name, value] = pair;
    const consent = LEGAL_CONSENT_NAME.exec(name);
    if (consent) {
      seen = true;
      const given = TICKED.has(value.trim().toLowerCase());
      if (consent[2]) consentToProcess = given;
      else if (communications.length < 20)
        communications.push({ given, subscriptionTypeId: consentText(consent[1]!) });
    } else if (name === 'hs_context') {
      seen = true;
      fields.push(...hsContextFields(value));
    } else rest.push(pair);
  }
  if (!seen) return undefined;
  if (communications.some((c) => c.given)) fields.push(['marketingConsent', true]);
  const legalConsent: LegalConsent | undefined =
    communications.length > 0 || consentToProcess !== undefined
      ? {
          source: 'hubspot',
          ...(consentToProcess === undefined ? {} : { consentToProcess }),
          communications,
        }
      : undefined;
  return { rest, fields, ...(legalConsent ? { legalConsent } : {}) };
}

function hsContextFields(json: string): [string, PostedValue][] {
  let context: unknown;
  try {
    context = JSON.parse(json);
  } catch {
    return [];
  }
  if (!isObject(context)) return [];
  return HS_CONTEXT_FIELDS.flatMap((name): [string, PostedValue][] => {
    const value = context[name];
    return typeof value === 'string' && value.trim() !== '' ? [[name, value]] : [];
  });
}

/**
 * A JSON post: a vendor's shape, or LeadPact's own fields. `members`: the top-level names in order with every
 * value of a name given twice (http.ts jsonFormBody), read as a form's repeated name; a vendor's shape has no
 * such reading and refuses it, naming it.
 */
function shapeJson(data: unknown, members?: readonly (readonly [string, unknown])[]): ShapedPost {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new HttpError(400, 'invalid_request', 'the lead is invalid', [
      { path: '(body)', message: 'a JSON object with the lead’s fields' },
    ]);
  }
  const object = data as Record<string, unknown>;
  const vendorShape = vendorJsonShape(object);
  if (vendorShape && members) throw repeatedNameRefusal(members);
  if (vendorShape === 'typeform') return shapeTypeform(object.form_response as Record<string, unknown>);
  if (vendorShape === 'records')
    return shapeRecords(object.fields as Record<string, unknown>, recordExtras(object));
  if (vendorShape === 'hubspot') return shapeHubSpot(object);
  const fields: [string, PostedValue][] = [];
  const unfit: UnfitValue[] = [];
  for (const [name, value] of members ?? Object.entries(object)) addJsonValue(fields, unfit, name, value);
  const detected = vendorOfNames(Object.keys(object));
  return { fields, hints: detected ? { detected } : {}, unfit };
}

/** The vendor whose JSON shape a post has, undefined for LeadPact's own fields. */
function vendorJsonShape(object: Record<string, unknown>): 'typeform' | 'records' | 'hubspot' | undefined {
  if (isTypeformPost(object)) return 'typeform';
  // fields as records: { fields: { <id>: { title, value, type } } } (form builders' webhooks)
  if (
    isObject(object.fields) &&
    Object.values(object.fields).some((field) => isObject(field) && 'value' in field)
  )
    return 'records';
  // HubSpot's shape: `fields` holds { name, value } entries (a form's own multi-select named "fields" does not)
  if (
    Array.isArray(object.fields) &&
    object.fields.some((entry) => isObject(entry) && typeof entry.name === 'string')
  )
    return 'hubspot';
  return undefined;
}

function repeatedNameRefusal(members: readonly (readonly [string, unknown])[]): HttpError {
  const names = members.map(([name]) => name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i) ?? '(body)';
  return new HttpError(400, 'invalid_request', 'the lead is invalid', [
    { path: repeated, message: 'a name given once in its object, not twice' },
  ]);
}

/** HubSpot Forms API v3: `{ fields: [{ name, value }], context: { pageUri, hutk }, legalConsentOptions }`. */
function shapeHubSpot(object: Record<string, unknown>): ShapedPost {
  const fields: [string, PostedValue][] = [];
  const unfit: UnfitValue[] = [];
  for (const entry of object.fields as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { name, value, objectTypeId } = entry as {
      name?: unknown;
      value?: unknown;
      objectTypeId?: unknown;
    };
    if (typeof name !== 'string') continue;
    // HubSpot sends a multiple-checkbox property as "a;b;c"
    addJsonValue(fields, unfit, objectTypeId === HUBSPOT_COMPANY ? companyProperty(name) : name, value);
  }
  const context = (isObject(object.context) ? object.context : {}) as Record<string, unknown>;
  if (typeof context.pageUri === 'string') fields.push(['pageUrl', context.pageUri]);
  if (typeof context.hutk === 'string') fields.push(['hutk', context.hutk]);
  if (typeof context.pageName === 'string') fields.push(['pageName', context.pageName]);
  const legalConsent = hubSpotConsent(object.legalConsentOptions);
  if (legalConsent?.communications.some((c) => c.given)) fields.push(['marketingConsent', true]);
  return { fields, hints: { detected: 'hubspot' }, unfit, ...(legalConsent ? { legalConsent } : {}) };
}

/** HubSpot's object type of companies: a form's company fields (`name`, `domain`, `numberofemployees`, ...). */
const HUBSPOT_COMPANY = '0-2';
/** A company property as the lead's field: its `name` is the company (not the person's), `domain` the website. */
const COMPANY_PROPERTIES: Readonly<Record<string, string>> = {
  name: 'company',
  domain: 'website',
  website: 'website',
  phone: 'companyPhone',
};
function companyProperty(name: string): string {
  return ownValue(COMPANY_PROPERTIES, name.trim().toLowerCase()) ?? name;
}

function hubSpotConsent(options: unknown): LegalConsent | undefined {
  if (!isObject(options)) return undefined;
  const consent = isObject(options.consent) ? options.consent : undefined;
  const interest = isObject(options.legitimateInterest) ? options.legitimateInterest : undefined;
  if (!consent && !interest) return undefined;
  const communications = (Array.isArray(consent?.communications) ? consent.communications : [])
    .filter(isObject)
    .slice(0, 20)
    .map((c) => ({
      given: c.value === true,
      ...(typeof c.subscriptionTypeId === 'number' || typeof c.subscriptionTypeId === 'string'
        ? { subscriptionTypeId: String(c.subscriptionTypeId) }
        : {}),
      ...(typeof c.text === 'string' ? { text: consentText(c.text) } : {}),
    }));
  return {
    source: 'hubspot',
    ...(typeof consent?.consentToProcess === 'boolean' ? { consentToProcess: consent.consentToProcess } : {}),
    ...(typeof consent?.text === 'string' ? { text: consentText(consent.text) } : {}),
    communications,
    ...(interest
      ? {
          legitimateInterest: {
            given: interest.value === true,
            ...(typeof interest.legalBasis === 'string'
              ? { legalBasis: consentText(interest.legalBasis) }
              : {}),
            ...(typeof interest.text === 'string' ? { text: consentText(interest.text) } : {}),
          },
        }
      : {}),
  };
}

/**
 * A webhook that sends each field as a record, `{ title (or label), value, type }` keyed by the field's id:
 * Elementor's "advanced data" (as form fields `fields[email][value]`), and form builders' JSON. Each field is
 * named by its title, else its id; the only `email` and the only `tel`/`phone` field by their type. The
 * form's id is kept as `form_id` (the SLA form on the URL still decides), the page as `pageUrl`.
 */
function shapeRecords(
  records: Record<string, unknown>,
  extras: readonly [string, PostedValue][],
): ShapedPost {
  const entries = Object.entries(records).filter((entry): entry is [string, Record<string, unknown>] =>
    isObject(entry[1]),
  );
  // a type is the sender's data: only RECORD_TYPES' own names say a field ("constructor" is no key of ours)
  const typeOf = (record: Record<string, unknown>) =>
    typeof record.type === 'string' ? (ownValue(RECORD_TYPES, record.type.toLowerCase()) ?? '') : '';
  // Elementor posts every field, the blank ones too: an optional second email field left blank is no rival
  const filled = ({ value }: Record<string, unknown>) =>
    typeof value === 'string'
      ? value.trim() !== ''
      : Array.isArray(value)
        ? value.length > 0
        : value !== undefined && value !== null;
  const sole = soleTyped(entries, ([, record]) => (filled(record) ? typeOf(record) : undefined));
  const fields: [string, PostedValue][] = [];
  const unfit: UnfitValue[] = [];
  for (const entry of entries) {
    const [id, record] = entry;
    const title = [record.title, record.label].find(
      (text): text is string => typeof text === 'string' && text.trim() !== '',
    );
    const name = sole(entry) ?? (title ? cleanText(title).trim() : id);
    addJsonValue(fields, unfit, name, record.value);
  }
  return { fields: [...fields, ...extras], hints: {}, unfit };
}

/**
 * The lead field an item's type names, for the only item of that field (the only email answer is the lead's
 * email, whatever its question says); undefined for the rest: Typeform's answers and records' fields alike.
 */
function soleTyped<T>(
  items: readonly T[],
  fieldOf: (item: T) => string | undefined,
): (item: T) => string | undefined {
  const counts = new Map<string, number>();
  for (const item of items) {
    const field = fieldOf(item);
    if (field) counts.set(field, (counts.get(field) ?? 0) + 1);
  }
  return (item) => {
    const field = fieldOf(item);
    return field && counts.get(field) === 1 ? field : undefined;
  };
}

/** Record types that say which lead field they are */
const RECORD_TYPES: Readonly<Record<string, string>> = { email: 'email', tel: 'phone', phone: 'phone' };

/** What a records post carries beside its fields: its form's id, the page it was posted from. */
function recordExtras(object: Record<string, unknown>): [string, PostedValue][] {
  const extras: [string, PostedValue][] = [];
  const form = isObject(object.form) ? object.form : {};
  if (typeof form.id === 'string' || typeof form.id === 'number') extras.push(['form_id', form.id]);
  const meta = isObject(object.meta) ? object.meta : {};
  const page = isObject(meta.page_url) ? meta.page_url.value : undefined;
  if (typeof page === 'string' && page.trim() !== '') extras.push(['pageUrl', page]);
  return extras;
}

/** Elementor's advanced data as form fields: fields[<id>][<key>] grouped into records, form[id], meta[page_url][value]. */
function shapeRecordForm(pairs: readonly (readonly [string, string])[]): ShapedPost {
  // records keyed by the posted ids in Maps (an id such as __proto__ is an id like any other)
  const groups = {
    fields: new Map<string, Record<string, string>>(),
    meta: new Map<string, Record<string, string>>(),
  };
  const form = new Map<string, string>();
  const rest: [string, PostedValue][] = [];
  for (const [name, value] of pairs) {
    const record = RECORD_NAME.exec(name);
    const formKey = /^form\[([a-z_]+)\]$/.exec(name)?.[1];
    if (record) {
      const group = groups[record[1] as keyof typeof groups];
      const entry = group.get(record[2]!) ?? (Object.create(null) as Record<string, string>);
      entry[record[3]!] = value;
      group.set(record[2]!, entry);
    } else if (formKey) form.set(formKey, value);
    else rest.push([name, value]);
  }
  const extras = recordExtras({
    form: { id: form.get('id') },
    meta: { page_url: groups.meta.get('page_url') ?? {} },
  });
  const shaped = shapeRecords(Object.fromEntries(groups.fields), extras);
  return { ...shaped, fields: [...shaped.fields, ...rest] };
}

/**
 * Typeform's webhook: `{ event_type: "form_response", form_response: { form_id, definition: { fields },
 * answers, hidden } }` (docs/forms.md#typeform). Typeform's servers post it, not a browser.
 */
export function isTypeformPost(data: unknown): boolean {
  return (
    isObject(data) &&
    typeof data.event_type === 'string' &&
    data.event_type.startsWith('form_response') &&
    isObject(data.form_response) &&
    Array.isArray(data.form_response.answers)
  );
}

/** Typeform sends answers before the form is submitted when asked to: those are no lead yet. */
export function isTypeformPartial(data: unknown): boolean {
  return isTypeformPost(data) && (data as Record<string, unknown>).event_type !== 'form_response';
}

/** a vendor's submission id as an event id takes it (docs/api.md `eventId`), with room for its prefix */
const SENT_ID = /^[A-Za-z0-9_.:-]{1,80}$/;

/**
 * The refs Typeform's builder generates: a UUID (older forms) or a ULID, 26 characters of Crockford base32
 * (`01GV3CX07TK8PHYY19BX7HMJCA`, forms built since 2022). No name a person gave, so the question's title is used.
 */
const GENERATED_REF =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-7][0-9A-HJKMNP-TV-Z]{25})$/i;

/** The one answer of these types in a response is the lead's email or phone, whatever its question says. */
const TYPED_FIELDS: Readonly<Record<string, string>> = { email: 'email', phone_number: 'phone' };

/**
 * The only email or phone answer is `email` or `phone` (whatever its ref or title); each other answer named
 * by its question's ref when a person gave it one (`first_name`, `company`), else by the question's title
 * ("What's your first name?", which the mapping reads past: form-presets.ts questionStem), else the field id. Hidden fields
 * (`utm_source`, ...) as posted; Typeform's form id kept as `typeformFormId`.
 */
function shapeTypeform(response: Record<string, unknown>): ShapedPost {
  const definitions = new Map<string, Record<string, unknown>>();
  const definition = isObject(response.definition) ? response.definition : {};
  for (const field of Array.isArray(definition.fields) ? definition.fields : []) {
    if (isObject(field) && typeof field.id === 'string') definitions.set(field.id, field);
  }
  const answers = (response.answers as unknown[]).filter(isObject);
  const sole = soleTyped(answers, (answer) =>
    typeof answer.type === 'string' ? ownValue(TYPED_FIELDS, answer.type) : undefined,
  );
  const fields: [string, PostedValue][] = [];
  const unfit: UnfitValue[] = [];
  for (const answer of answers) {
    const field = isObject(answer.field) ? answer.field : {};
    const described = typeof field.id === 'string' ? definitions.get(field.id) : undefined;
    const ref = typeof field.ref === 'string' ? field.ref : described?.ref;
    const type = typeof answer.type === 'string' ? answer.type : '';
    // the only email or phone answer is the lead's whatever its ref (a ref may name nothing: readable_ref_email)
    const name =
      sole(answer) ??
      (typeof ref === 'string' && ref.trim() !== '' && !GENERATED_REF.test(ref)
        ? ref
        : typeof described?.title === 'string' && described.title.trim() !== ''
          ? cleanText(described.title).trim()
          : typeof field.id === 'string'
            ? field.id
            : undefined);
    if (name === undefined) continue;
    addJsonValue(fields, unfit, name, typeformValue(answer, type));
  }
  // the link's values (utm_source, or the email and company of the person it was sent to): the answers win
  const fallback: [string, PostedValue][] = [];
  const hidden = isObject(response.hidden) ? response.hidden : {};
  for (const [name, value] of Object.entries(hidden)) addJsonValue(fallback, unfit, name, value);
  if (typeof response.form_id === 'string') fields.push(['typeformFormId', response.form_id]);
  const token =
    typeof response.token === 'string' && SENT_ID.test(response.token) ? response.token : undefined;
  const sent = token && {
    id: `typeform:${token}`,
    ...(typeof response.submitted_at === 'string' ? { at: response.submitted_at } : {}),
  };
  return { fields, hints: {}, unfit, ...(fallback.length ? { fallback } : {}), ...(sent ? { sent } : {}) };
}

/** An answer's value by its type: a choice's label (or the "other" text), every label of a multiple choice. */
function typeformValue(answer: Record<string, unknown>, type: string): unknown {
  if (type === 'choice') {
    const choice = isObject(answer.choice) ? answer.choice : {};
    return choice.label ?? choice.other;
  }
  if (type === 'choices') {
    const choices = isObject(answer.choices) ? answer.choices : {};
    const labels = Array.isArray(choices.labels) ? choices.labels : [];
    return choices.other === undefined ? labels : [...labels, choices.other];
  }
  // a payment is no lead field
  if (type === 'payment') return undefined;
  // the answer's own value of its type (a type "toString" has none: not Object.prototype's)
  return ownValue(answer, type);
}

/** `object[key]` when the object has it itself, never what every object inherits ("constructor", "__proto__"). */
function ownValue<T>(object: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function consentText(text: string): string {
  return cleanText(text).trim().slice(0, MAX_CONSENT_TEXT);
}

/**
 * A JSON value as the field `name`'s values: a string, number or boolean as one, a list's items each (a
 * multi-select, as a form's name given again: readFormValues joins them); what is no value (an object, a list
 * inside the list, a number JSON cannot hold) is unfit, kept for a person to read.
 */
function addJsonValue(
  fields: [string, PostedValue][],
  unfit: UnfitValue[],
  name: string,
  value: unknown,
  inList = false,
): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string' || typeof value === 'boolean') fields.push([name, value]);
  else if (typeof value === 'number') {
    if (Number.isFinite(value)) fields.push([name, value]);
    else unfit.push({ name, value: 'a number beyond any limit', what: 'a number beyond any limit' });
  } else if (Array.isArray(value) && !inList) {
    for (const item of value) addJsonValue(fields, unfit, name, item, true);
  } else {
    const what = Array.isArray(value) ? 'a list inside a list' : 'an object';
    unfit.push({ name, value: jsonPreview(value), what });
  }
}

/** How much of an object a field issue shows (fieldIssue keeps 200 characters). */
const PREVIEW_CHARS = 240;

/**
 * The start of `value` as JSON, written only as far as an issue shows: a value nested thousands deep (a
 * Typeform-shaped post may be 64 KB) would overflow JSON.stringify's stack, and a wide one is cut anyway.
 */
function jsonPreview(value: unknown): string {
  let text = '';
  const full = () => text.length >= PREVIEW_CHARS;
  const write = (item: unknown): void => {
    // no deeper once the preview is full: what the issue shows is written
    if (full()) return;
    if (Array.isArray(item)) {
      text += '[';
      item.some((element, i) => {
        if (i > 0) text += ',';
        write(element);
        return full();
      });
      text += ']';
    } else if (typeof item === 'object' && item !== null) {
      text += '{';
      Object.entries(item).some(([key, element], i) => {
        text += `${i > 0 ? ',' : ''}${JSON.stringify(key)}:`;
        write(element);
        return full();
      });
      text += '}';
    } else text += JSON.stringify(item) ?? 'null';
  };
  write(value);
  return text.slice(0, PREVIEW_CHARS);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
