/**
 * Typeform's webhook as its servers post it (https://www.typeform.com/developers/webhooks/example-payload/):
 * the form's definition (every question with its title, type, generated ref and choices) beside the
 * answers, hidden fields, and a UUID ref on each question unless someone renamed it.
 */
import { typeformSignature } from '../../lambdas/api/typeform-signature.ts';

export interface TypeformQuestion {
  readonly id: string;
  readonly title: string;
  readonly type: string;
  /** a ref a person gave; default: one Typeform generated (a UUID) */
  readonly ref?: string;
  readonly choices?: readonly string[];
  /** the answer: its type and value as Typeform sends them */
  readonly answer?: { readonly type: string; readonly value: unknown };
}

const generatedRef = (n: number) => `7c9e6679-7425-40de-944b-e07fc1f90a${String(n).padStart(2, '0')}`;

export function typeformPost(
  questions: readonly TypeformQuestion[],
  options: {
    hidden?: Record<string, string>;
    eventType?: string;
    formId?: string;
    /** the response's token (Typeform's id of one submission); submitted at the e2e clock's start */
    token?: string;
  } = {},
): Record<string, unknown> {
  const refOf = (q: TypeformQuestion, i: number) => q.ref ?? generatedRef(i);
  return {
    event_id: '01JEXAMPLE0000000000000000',
    event_type: options.eventType ?? 'form_response',
    form_response: {
      form_id: options.formId ?? 'lT4Z3j',
      token: options.token ?? 'a3a12ec67a1365927098a606107fac15',
      landed_at: '2026-11-30T07:58:12Z',
      submitted_at: '2026-11-30T08:00:00Z',
      hidden: options.hidden ?? {},
      definition: {
        id: options.formId ?? 'lT4Z3j',
        title: 'Talk to our compressed-air team',
        fields: questions.map((q, i) => ({
          id: q.id,
          title: q.title,
          type: q.type,
          ref: refOf(q, i),
          properties: {},
          ...(q.choices ? { choices: q.choices.map((label, c) => ({ id: `${q.id}-${c}`, label })) } : {}),
        })),
      },
      answers: questions
        .map((q, i) =>
          q.answer
            ? {
                type: q.answer.type,
                [q.answer.type]: q.answer.value,
                field: { id: q.id, type: q.type, ref: refOf(q, i) },
              }
            : undefined,
        )
        .filter((answer) => answer !== undefined),
    },
  };
}

/** The headers Typeform's servers send with a post signed with `secret`. */
export function typeformHeaders(body: string, secret?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Typeform Webhooks',
    ...(secret ? { 'typeform-signature': typeformSignature(body, secret) } : {}),
  };
}

/** A country dropdown as Typeform's template has it: ~250 choices in the definition of every post. */
export const COUNTRY_CHOICES = Array.from({ length: 250 }, (_, i) => `Country number ${i} of the dropdown`);

/** Questions a marketer builds in Typeform's builder (generated refs, question titles). */
export const DEMO_QUESTIONS: readonly TypeformQuestion[] = [
  { id: 'q1', title: "What's your first name?", type: 'short_text', answer: { type: 'text', value: 'Lena' } },
  {
    id: 'q2',
    title: 'And your last name, Lena?',
    type: 'short_text',
    ref: 'last_name',
    answer: { type: 'text', value: 'Vogt' },
  },
  {
    id: 'q3',
    title: 'Where can we reach you?',
    type: 'email',
    answer: { type: 'email', value: 'lena.vogt@rheinwerk-brau.example' },
  },
  {
    id: 'q4',
    title: 'Your phone number',
    type: 'phone_number',
    answer: { type: 'phone_number', value: '+4922112345678' },
  },
  {
    id: 'q5',
    title: 'What company do you work for?',
    type: 'short_text',
    ref: 'company',
    answer: { type: 'text', value: 'Rheinwerk Brau GmbH' },
  },
  {
    id: 'q6',
    title: "What's your job title?",
    type: 'short_text',
    answer: { type: 'text', value: 'Plant Manager' },
  },
  {
    id: 'q7',
    title: 'Which country are you in?',
    type: 'dropdown',
    ref: 'country',
    choices: ['Germany', ...COUNTRY_CHOICES],
    answer: { type: 'choice', value: { label: 'Germany' } },
  },
  {
    id: 'q8',
    title: 'How many employees does your company have?',
    type: 'number',
    ref: 'employees',
    answer: { type: 'number', value: 420 },
  },
  {
    id: 'q9',
    title: 'What are you interested in?',
    type: 'multiple_choice',
    choices: ['Compressors', 'Dryers', 'Service'],
    answer: { type: 'choices', value: { labels: ['Compressors', 'Service'] } },
  },
  {
    id: 'q10',
    title: 'Anything else we should know?',
    type: 'long_text',
    ref: 'message',
    answer: { type: 'text', value: 'Two lines to replace in spring.' },
  },
];
