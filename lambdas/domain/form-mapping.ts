/**
 * A form post, whatever its vendor's field names, as LeadPact's fields: names mapped by the SLA's
 * `fields` aliases, the form's presets and LeadPact's own names (form-presets.ts), case-insensitive;
 * unknown names kept as custom fields; repeated names (a multi-select) keep every value; the
 * honeypots and the return-URL field picked out. Pure: no I/O, no clock.
 */
import {
  COMMON,
  DROPPED,
  type FormPreset,
  fieldKey,
  PRESETS,
  type PresetName,
  questionStem,
  RETURN_URL,
  SECOND_CHOICES,
} from './form-presets.ts';
import type { Form, FormMapping, Sla } from './sla-schema.ts';

/** One posted value as it arrived: text from an HTML form, or a JSON scalar. */
export type PostedValue = string | number | boolean;
/** A post's fields in order; a name may repeat (a multi-select, checkboxes). */
export type PostedFields = readonly (readonly [string, PostedValue])[];

export interface MappedPost {
  /** LeadPact field name (or a custom name) -> every value posted for it, in order */
  readonly values: ReadonlyMap<string, readonly PostedValue[]>;
  /** names that were not LeadPact's own nor aliased: stored as custom fields */
  readonly custom: ReadonlySet<string>;
  /** where the browser goes after the post, as posted (checked at the edge) */
  readonly returnUrl?: string;
  /** a honeypot field was filled: a bot */
  readonly honeypot: boolean;
  /** the SLA form the post counts as, when it names one */
  readonly form?: Form;
  /** form ids the post's fields gave that name no SLA form, when the post counts as one (the action URL's) */
  readonly otherFormIds?: readonly (readonly [string, PostedValue])[];
  /** the names of values that were no value (`unfit`: a nested object or list) -> the field each stands for */
  readonly unfitFields?: ReadonlyMap<string, string>;
}

export interface MappingHints {
  /** the vendor the post's shape gave away (mauticform[...] names, HubSpot's fields[] JSON) */
  readonly detected?: PresetName;
  /** the formId on the action URL's query string */
  readonly formId?: string;
}

/** The SLA form a post names (formId in the fields or on the URL, or Netlify's form-name). */
export function formOf(sla: Sla, fields: PostedFields, hints: MappingHints): Form | undefined {
  const named = [
    ...fields.filter(([name]) => ['formid', 'formname'].includes(fieldKey(name))).map(([, v]) => String(v)),
    ...(hints.formId ? [hints.formId] : []),
  ];
  for (const id of named) {
    const form = sla.forms.find((candidate) => candidate.id === id.trim());
    if (form) return form;
  }
  return undefined;
}

/** The presets a post is read with: the form's, else the SLA's default, else the detected vendor's and the rest. */
export function presetsFor(sla: Sla, form: Form | undefined, detected?: PresetName): PresetName[] {
  const configured = form?.preset ?? sla.formDefaults.preset;
  if (configured) return typeof configured === 'string' ? [configured] : [...configured];
  // Mautic's `title` (a salutation) and `formId` (its own number) mean something else elsewhere, as Marketo's
  // `formid`: their names apply only to a post shaped like theirs (or a form that names the preset)
  const rest: PresetName[] = ['salesforce', 'hubspot', 'webflow', 'netlify'];
  return detected ? [detected, ...rest.filter((name) => name !== detected)] : rest;
}

interface Mapping {
  readonly aliases: ReadonlyMap<string, string>;
  readonly honeypots: ReadonlySet<string>;
}

/** Mappings built, per SLA (its forms are its own objects), form and detected vendor: every post read them. */
const built = new WeakMap<Sla, Map<Form | undefined, Map<PresetName | undefined, Mapping>>>();

/**
 * The aliases and honeypots in force for a form: its own, the SLA's default, the presets, LeadPact's own.
 * Built once per SLA, form and vendor (a few hundred names; issue 15: not again for every post).
 */
export function mappingFor(sla: Sla, form: Form | undefined, detected?: PresetName): Mapping {
  const forms = built.get(sla) ?? new Map<Form | undefined, Map<PresetName | undefined, Mapping>>();
  built.set(sla, forms);
  const byVendor = forms.get(form) ?? new Map<PresetName | undefined, Mapping>();
  forms.set(form, byVendor);
  const mapping = byVendor.get(detected) ?? buildMapping(sla, form, detected);
  byVendor.set(detected, mapping);
  return mapping;
}

function buildMapping(sla: Sla, form: Form | undefined, detected?: PresetName): Mapping {
  const aliases = new Map<string, string>();
  const honeypots = new Set<string>();
  const addMapping = (mapping: FormMapping | undefined) => {
    for (const [target, names] of Object.entries(mapping?.fields ?? {})) {
      for (const name of typeof names === 'string' ? [names] : names) {
        if (!aliases.has(fieldKey(name))) aliases.set(fieldKey(name), target);
      }
    }
    for (const name of mapping?.honeypots ?? []) honeypots.add(fieldKey(name));
  };
  const addPreset = (preset: FormPreset) => {
    for (const [key, target] of Object.entries(preset.aliases))
      if (!aliases.has(key)) aliases.set(key, target);
    for (const name of preset.honeypots) honeypots.add(fieldKey(name));
  };
  addMapping(form);
  addMapping(sla.formDefaults);
  for (const name of presetsFor(sla, form, detected)) addPreset(PRESETS[name]);
  addPreset(COMMON);
  return { aliases, honeypots };
}

/** `gform_submit`: a field only Gravity Forms' own form posts. */
const GRAVITY_SIGN = 'gformsubmit';
/**
 * Gravity Forms' hidden fields, never a person's answer: `gform_*`, and `is_submit_<form>`, `state_<form>`,
 * `version_hash`. Dropped only from a post with `gform_submit`, since `state_1` may be a field elsewhere.
 */
const GRAVITY_PLUMBING = /^(?:gform_\w*|is_submit_\d+|state_\d+|version_hash)$/i;

/**
 * The lead field a numbered copy of a field stands for: Webflow names a field its site already has on another
 * form "Email 2", "Name 2". Only where the post has no field for it (a "Phone 2" beside "Phone" stays a custom
 * field of its own).
 */
function numberedCopy(
  aliases: ReadonlyMap<string, string>,
  name: string,
  named: ReadonlySet<string | undefined>,
): string | undefined {
  const stem = /^(.*\D)[\s_-]+\d{1,2}$/.exec(name.trim())?.[1];
  const target = stem === undefined ? undefined : aliases.get(fieldKey(stem));
  return target !== undefined && !named.has(target) ? target : undefined;
}

/** The lead field a question-phrased label asks for ("What's your job title?"), when its stem is one. */
function askedFor(aliases: ReadonlyMap<string, string>, label: string): string | undefined {
  const stem = fieldKey(questionStem(label));
  if (stem === fieldKey(label)) return undefined;
  const target = aliases.get(stem);
  // a return URL, a dropped name or a form id are never asked of a person
  return target === RETURN_URL || target === DROPPED || target === 'formId' ? undefined : target;
}

/**
 * Maps a post's names (see the module comment). `fallback`: fields that count only for a lead field (or
 * custom name) the post's own fields give no value for: Typeform's hidden fields, which the link the person
 * opened filled (a forwarded campaign link carries its first reader's email and company; the answers win).
 * `unfit`: names whose values the post's shape could not carry (a nested object), mapped in `unfitFields` so
 * an object posted as the email is named as the email.
 */
export function mapFormPost(
  sla: Sla,
  fields: PostedFields,
  hints: MappingHints = {},
  fallback: PostedFields = [],
  unfit: readonly string[] = [],
): MappedPost {
  // a form id the link filled (Typeform's hidden formId) names the SLA form as the fields' would
  const form = formOf(sla, [...fields, ...fallback], hints);
  const { aliases, honeypots } = mappingFor(sla, form, hints.detected);
  const values = new Map<string, PostedValue[]>();
  const custom = new Set<string>();
  let returnUrl: string | undefined;
  let honeypot = false;
  const otherFormIds: [string, PostedValue][] = [];
  const add = (name: string, value: PostedValue) => {
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  };
  const given = new Set<string>();
  const gravity = fields.some(([name]) => fieldKey(name) === GRAVITY_SIGN);
  // the fields the post names itself: a numbered copy ("Email 2") stands for one only where it is missing
  const named = new Set(fields.map(([name]) => aliases.get(fieldKey(name))).filter((target) => target));
  // the fields the post gives a value under a first-choice name: a second choice (a mobile) does not join them
  const firstChoices = new Set(
    fields
      .filter(([name, value]) => String(value).trim() !== '' && !SECOND_CHOICES.has(fieldKey(name)))
      .map(([name]) => aliases.get(fieldKey(name)) ?? askedFor(aliases, name)),
  );
  /** the lead field a posted name stands for, undefined for a custom name */
  const targetOf = (name: string) => {
    const key = fieldKey(name);
    const aliased = aliases.get(key) ?? askedFor(aliases, name) ?? numberedCopy(aliases, name, named);
    return aliased !== undefined && SECOND_CHOICES.get(key) === aliased && firstChoices.has(aliased)
      ? undefined
      : aliased;
  };
  const read = (name: string, value: PostedValue, asFallback: boolean) => {
    const key = fieldKey(name);
    if (gravity && GRAVITY_PLUMBING.test(name.trim())) return;
    if (honeypots.has(key)) {
      if (String(value).trim() !== '') honeypot = true;
      return;
    }
    const target = targetOf(name);
    if (target === DROPPED) return;
    if (target === RETURN_URL) {
      if (returnUrl === undefined && String(value).trim() !== '') returnUrl = String(value).trim();
      return;
    }
    // a fallback value only where the post's own fields gave none (a blank one gives none)
    if (asFallback && given.has(target ?? name)) return;
    if (!asFallback && String(value).trim() !== '') given.add(target ?? name);
    if (target === 'formId' && form && String(value).trim() !== form.id) {
      // a vendor's own form id (Elementor's form_id, Marketo's formid): the SLA form the post counts as wins
      if (String(value).trim() !== '') otherFormIds.push([name, value]);
      return;
    }
    if (target !== undefined) {
      add(target, value);
      return;
    }
    // an unknown name: a custom field under the name the form gave it (Salesforce 00N... ids included)
    custom.add(name);
    add(name, value);
  };
  for (const [name, value] of fields) read(name, value, false);
  for (const [name, value] of fallback) read(name, value, true);
  const unfitFields = new Map(unfit.map((name) => [name, targetOf(name) ?? name] as const));
  // the SLA form the post counts as, else the query string's formId, when the fields name none
  const formId = form?.id ?? hints.formId;
  if (formId && !values.has('formId')) values.set('formId', [formId]);
  return {
    values,
    custom,
    honeypot,
    ...(returnUrl ? { returnUrl } : {}),
    ...(form ? { form } : {}),
    ...(otherFormIds.length ? { otherFormIds } : {}),
    ...(unfitFields.size ? { unfitFields } : {}),
  };
}
