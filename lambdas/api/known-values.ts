/**
 * A query parameter that names something the SLA defines (a list's `owner`, `stage`, `status`, `type`; a report's
 * `rep`, `queue`): a name it does not have is refused with 400 naming the parameter and the value, with the
 * known values when they are few. Never a silent empty answer: an ops engineer who typed `owner=jonsa` read "no
 * leads" and concluded all was well. The refusal carries its reason as data (domain/refusal.ts `unknownValue`),
 * so the console words it in its reader's language with the SLA's names (console/refusal-text.ts).
 */
import * as z from 'zod';
import type { KnownOf } from '../domain/refusal.ts';

/** at most this many known values are listed in a message; past it, how many more there are */
export const LISTED_KNOWN = 20;

/**
 * at most this many characters of a refused value are quoted back (an id the SLA names is at most 64): a 10 KB
 * `owner=` made a 10 KB message, and a console page of it
 */
export const SHOWN_VALUE_CHARS = 80;

/** A refused value as a message or a page quotes it: its first SHOWN_VALUE_CHARS characters, then `…`. */
export function shownValue(value: string): string {
  const chars = Array.from(value);
  return chars.length > SHOWN_VALUE_CHARS ? `${chars.slice(0, SHOWN_VALUE_CHARS).join('')}…` : value;
}

/** `known` as a message lists it: all of a short list, else the first LISTED_KNOWN and how many more. */
export function knownList(known: readonly string[]): string {
  if (known.length === 0) return '(none)';
  if (known.length <= LISTED_KNOWN) return known.join(', ');
  return `${known.slice(0, LISTED_KNOWN).join(', ')} and ${known.length - LISTED_KNOWN} more`;
}

/** The message of a value `known` does not hold: `no rep "jonsa": the SLA has jonas, lena, ...`. */
export function unknownValueMessage(noun: string, value: string, known: readonly string[]): string {
  return `no ${noun} ${JSON.stringify(shownValue(value))}: the SLA has ${knownList(known)}`;
}

/**
 * A string that must be one of `known`; otherwise the issue names the value (and `params.unknownOf`, which
 * http.ts validate turns into the refusal the console words). `checkedLater`: a value not in `known` the caller
 * looks up itself (lead-list.ts requireKnownOwner), passed through.
 */
export function oneOfKnown<T extends string>(
  known: readonly T[],
  of: KnownOf,
  noun: string,
  checkedLater: (value: string) => boolean = () => false,
) {
  return z
    .string()
    .refine((value) => (known as readonly string[]).includes(value) || checkedLater(value), {
      error: (issue) => unknownValueMessage(noun, String(issue.input), known),
      params: { unknownOf: of },
    })
    .transform((value) => value as T);
}
