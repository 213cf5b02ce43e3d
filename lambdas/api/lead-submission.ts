/**
 * What a web form may post to POST /leads. Known fields have types and limits; anything else
 * is kept as a custom field within limits. Values arrive as strings from plain HTML forms,
 * so numbers and booleans are coerced.
 */
import * as z from 'zod';
import { cleanMultilineText, cleanText } from '../domain/clean-text.ts';
import { asciiDigits } from '../domain/form-values.ts';
import type { FieldValue } from '../domain/lead.ts';
import { isReservedName, isStorableNumber, STORABLE_NUMBER_MESSAGE } from './http.ts';

/** Hidden field real people leave empty and bots fill: a filled one is discarded silently. */
export const HONEYPOT_FIELD = '_gotcha';
/** Optional thank-you page for plain form posts (303 redirect); must be on an allowed origin. */
export const REDIRECT_FIELD = '_redirect';

const MAX_CUSTOM_FIELDS = 20;
const CUSTOM_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** Single-line text, cleaned (clean-text.ts: NFC, no controls or bidi overrides), trimmed, limited. */
const text = (max: number) =>
  z
    .string()
    .overwrite((value) => cleanText(value))
    .trim()
    .max(max, `at most ${max} characters`);
/** Long free text: the same, with line breaks kept as "\n". */
const longText = (max: number) =>
  z.string().overwrite(cleanMultilineText).trim().max(max, `at most ${max} characters`);
const wholeNumber = (max: number) =>
  z.preprocess(
    (value) =>
      typeof value === 'string' && value.trim() !== ''
        ? Number(asciiDigits(value).replace(/[ ,_]/g, ''))
        : value,
    z.number({ message: 'a number' }).int('a whole number').min(0).max(max),
  );
const consent = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const word = value.trim().toLowerCase();
    if (['on', 'true', 'yes', '1'].includes(word)) return true;
    if (['off', 'false', 'no', '0', ''].includes(word)) return false;
    return value;
  },
  z.boolean({ message: 'true or false' }),
);

export const leadSubmissionSchema = z.object({
  email: z.string().trim().max(254, 'at most 254 characters').pipe(z.email('a valid email address')),
  firstName: text(100).optional(),
  lastName: text(100).optional(),
  company: text(200).optional(),
  jobTitle: text(150).optional(),
  phone: z
    .string()
    .overwrite(asciiDigits)
    .trim()
    .max(40)
    .regex(/^[+0-9 ().\-/]*$/, 'digits, spaces and + ( ) - . / only')
    .optional(),
  country: z
    .string()
    .trim()
    .transform((value) => value.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{2}$/, 'a two-letter ISO country code'))
    .optional(),
  employees: wholeNumber(10_000_000).optional(),
  revenue: wholeNumber(10_000_000_000_000).optional(),
  industry: text(100).optional(),
  interest: text(100).optional(),
  department: text(100).optional(),
  seniority: text(50).optional(),
  message: longText(5000).optional(),
  marketingConsent: consent.optional(),
  formId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, "-", "_" and "." (at most 100)')
    .optional(),
  pageUrl: z
    .string()
    .overwrite((value) => cleanText(value))
    .trim()
    .max(2000)
    .pipe(z.url('a URL'))
    .optional(),
  utm_source: text(200).optional(),
  utm_medium: text(200).optional(),
  utm_campaign: text(200).optional(),
  utm_term: text(200).optional(),
  utm_content: text(200).optional(),
  [REDIRECT_FIELD]: z.string().trim().max(2000).pipe(z.url('a URL')).optional(),
  [HONEYPOT_FIELD]: z.string().optional(),
});

const KNOWN = new Set(Object.keys(leadSubmissionSchema.shape));

/**
 * A plain HTML form sends every input, filled or not: a blank value means "not given" (the email
 * excepted, so a blank one is named as invalid rather than missing). Own keys only, `__proto__` included.
 */
function withoutBlankValues(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(
    Object.entries(body).filter(
      ([key, value]) => key === 'email' || typeof value !== 'string' || value.trim() !== '',
    ),
  );
}

/** The known fields plus custom ones: a string, number or boolean each, limited in number and size. */
export const submissionSchema = z.preprocess(
  withoutBlankValues,
  leadSubmissionSchema
    .catchall(
      z.union(
        [
          // a custom field may be a form's own textarea: line breaks kept
          longText(1000),
          z.number().refine(isStorableNumber, STORABLE_NUMBER_MESSAGE),
          z.boolean(),
        ],
        { message: 'a custom field must be a string, number or boolean' },
      ),
    )
    .superRefine((body, ctx) => {
      const custom = Object.keys(body).filter((key) => !KNOWN.has(key));
      if (custom.length > MAX_CUSTOM_FIELDS) {
        ctx.addIssue({ code: 'custom', path: [], message: `at most ${MAX_CUSTOM_FIELDS} custom fields` });
      }
      for (const key of custom) {
        if (!CUSTOM_KEY.test(key) || isReservedName(key)) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'field names: a letter, then letters, digits, _ . - (max 64), not a reserved name',
          });
        }
      }
    }),
);

export type LeadSubmission = z.output<typeof submissionSchema>;

/** The fields stored on the lead: everything but the email, consent and the form's control fields. */
export function leadFields(submission: LeadSubmission): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(submission)) {
    if (CONTROL_FIELDS.has(key) || value === undefined || value === '') continue;
    fields[key] = value as FieldValue;
  }
  return fields;
}

const CONTROL_FIELDS = new Set(['email', 'marketingConsent', REDIRECT_FIELD, HONEYPOT_FIELD]);
