/**
 * A post to POST /leads read as a lead: its shape flattened (form-shapes.ts), its names mapped (the SLA's
 * forms.fields, the vendor presets: form-mapping.ts), its values read leniently (form-values.ts, ADR 0018:
 * "Deutschland" is DE, "٨٥٠" employees 850, a value that does not read a field issue). Only a missing or
 * invalid email refuses it (400 naming `email`). POST /leads and `leadpact sla explain` read a post with
 * it, so the CLI scores a lead file as the API scores the same JSON. Pure: no I/O, no clock.
 */
import { domainToASCII } from 'node:url';
import * as z from 'zod';
import { mapFormPost } from '../domain/form-mapping.ts';
import { type FieldIssue, formValues } from '../domain/form-values.ts';
import { localeField } from '../domain/locale.ts';
import type { Sla } from '../domain/sla-schema.ts';
import { type ShapedPost, shapePost, unfitIssue } from './form-shapes.ts';
import { type FormBody, HttpError } from './http.ts';
import type { LeadSubmission } from './lead-submission.ts';

/** What of the request, besides its body, a post is read with. */
export interface PostRequest {
  /** the action URL's query string (UTM parameters, a formId) */
  readonly rawQueryString?: string;
  /** the browser's languages, the lead's when its form names none */
  readonly acceptLanguage?: string;
}

export interface PostedLead {
  readonly submission: LeadSubmission;
  /** every value kept as given that no rule reads (not yet bounded: recordedIssues) */
  readonly fieldIssues: FieldIssue[];
  readonly legalConsent?: ShapedPost['legalConsent'];
  readonly sent?: ShapedPost['sent'];
  /** the post ticked an opt-out */
  readonly optOut: boolean;
  /** a honeypot field was filled */
  readonly bot: boolean;
  /** where the browser goes after the post, as posted (unchecked) */
  readonly returnUrl?: string;
}

/**
 * The post read: the lead, or why it is refused. `locale`, the page's language, either way: the post's
 * locale or language field when it names a supported one, else the browser's, else undefined.
 */
export type ReadPost =
  | { readonly locale?: string; readonly lead: PostedLead }
  | { readonly locale?: string; readonly refusal: HttpError };

/** What a lead records of one post's field issues: the first. */
export const MAX_ISSUES_PER_POST = 20;

/** One post's field issues as the lead records them (at most MAX_ISSUES_PER_POST). */
export function recordedIssues(...lists: readonly (readonly FieldIssue[])[]): FieldIssue[] {
  return lists.flat().slice(0, MAX_ISSUES_PER_POST);
}

/** Reads a post (see the module comment). */
export function readPost(sla: Sla, body: FormBody, request: PostRequest): ReadPost {
  const shaped = shapePost(body, request);
  const mapped = mapFormPost(
    sla,
    shaped.fields,
    shaped.hints,
    shaped.fallback,
    shaped.unfit.map(({ name }) => name),
  );
  const values = formValues(mapped);
  // the lead's language (ADR 0019): the form's locale/language field, else the browser's; a language
  // the SLA does not support is not stored (the SLA's default applies). The pages answer in it too.
  const locale = localeField(sla, values.fields, request.acceptLanguage);
  const unfitEmail = shaped.unfit.find(({ name }) => mapped.unfitFields?.get(name) === 'email');
  const email = unfitEmail
    ? { problem: `a single email address, not ${unfitEmail.what}` }
    : postedEmail(mapped.values.get('email') ?? []);
  if ('problem' in email) {
    const refusal = new HttpError(400, 'invalid_request', 'the lead is invalid', [
      { path: 'email', message: email.problem },
    ]);
    return { ...locale, refusal };
  }
  const { locale: _posted, ...known } = values.fields;
  const submission = {
    ...known,
    ...locale,
    email: email.address,
    marketingConsent: values.marketingConsent,
  } as LeadSubmission;
  const fieldIssues = [
    ...(body.kind === 'json' ? [] : (body.unreadable ?? [])),
    ...shaped.unfit.map(unfitIssue),
    ...values.fieldIssues,
  ];
  const lead: PostedLead = {
    submission,
    fieldIssues,
    ...(shaped.legalConsent ? { legalConsent: shaped.legalConsent } : {}),
    ...(shaped.sent ? { sent: shaped.sent } : {}),
    optOut: values.optOut,
    bot: mapped.honeypot,
    ...(mapped.returnUrl ? { returnUrl: mapped.returnUrl } : {}),
  };
  return { ...locale, lead };
}

/**
 * The one address a post gives, as typed: a blank input is not given, and the same address twice (a visible
 * input and a hidden copy) is one. Else what is wrong, for the 400.
 */
function postedEmail(posted: readonly unknown[]): { address: string } | { problem: string } {
  const given = posted
    .map((value) => (typeof value === 'string' ? typedEmail(value) : value))
    .filter((value) => typeof value !== 'string' || value !== '');
  const distinct = given.filter(
    (value, i) =>
      given.findIndex(
        (other) => String(other).trim().toLowerCase() === String(value).trim().toLowerCase(),
      ) === i,
  );
  const email =
    distinct.length === 1 && typeof distinct[0] === 'string' ? asciiDomain(distinct[0].trim()) : undefined;
  const checked = EMAIL.safeParse(email);
  if (checked.success) return { address: checked.data };
  return {
    problem:
      distinct.length === 0
        ? 'required: the email address to reach you at'
        : distinct.length > 1
          ? 'one email address, not several'
          : 'a valid email address',
  };
}

/**
 * An address as typed, without what a keyboard or a copy adds that no address holds: the direction marks
 * and embeddings a right-to-left input or text puts around it (RLM, LRM, U+202A-E, U+2066-9), zero-width
 * characters and a BOM (every format character, \p{Cf}), and full-width letters an IME gives (NFKC). Trimmed.
 */
function typedEmail(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .trim();
}

/**
 * An email whose domain is internationalized (müller.de, مصنع.مصر) with its domain as DNS and SES use it
 * (punycode, by node:url's IDNA): one lead for both spellings, and an address mail can be sent to. The
 * local part is left alone: a non-ASCII one stays invalid (SES cannot send to it).
 */
function asciiDomain(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0 || !/[^ -~]/.test(email.slice(at + 1))) return email;
  const domain = domainToASCII(email.slice(at + 1));
  return domain ? `${email.slice(0, at)}@${domain}` : email;
}

/**
 * zod's email pattern, with a punycode top-level domain too (.xn--wgbh1c is Egypt's .مصر), and the
 * lengths mail can be sent to (RFC 5321, RFC 1035): a local part of at most 64 characters, domain labels
 * of at most 63 that start and end with a letter or digit.
 */
const EMAIL_PATTERN =
  /^(?=[^@]{1,64}@)(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;
const EMAIL = z
  .string()
  .max(254, 'at most 254 characters')
  .pipe(z.email({ pattern: EMAIL_PATTERN, error: 'a valid email address' }));
