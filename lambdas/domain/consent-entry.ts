/**
 * The timeline entry of a marketing consent confirmed (double opt-in: the link pressed; single opt-in: the ticked
 * box), and what it keeps of the consent record for events out (`lead.consent_confirmed`, domain/lead-events.ts).
 * The event is derived from the entry alone, never from the lead's record as it is later (a new request, a
 * withdrawal), so the same entry gives the same event on every redelivery and replay.
 *
 * What the entry keeps is no personal data: the form's id, the mode, the times, the SLA's consent text and its
 * hash. The page URL is left out (a query string may quote the person). It is kept when the lead is erased
 * (erasedEntry keeps an entry's data), as the consent's proof without the person.
 *
 * Pure: no I/O, no clock reads.
 */
import { createHash } from 'node:crypto';
import type { ConsentRecord } from './consent.ts';
import type { TimelineEntry } from './lead-state.ts';
import type { Sla } from './sla-schema.ts';

/** The `data` of a consent entry, and so of its `lead.consent_confirmed` event. */
export function consentEntryData(record: ConsentRecord): Record<string, string> {
  return {
    mode: record.mode,
    givenAt: record.givenAt,
    ...(record.formId === undefined ? {} : { formId: record.formId }),
    text: record.text,
    textSha256: createHash('sha256').update(record.text, 'utf8').digest('hex'),
    ...(record.locale === undefined ? {} : { locale: record.locale }),
    ...(record.previouslyWithdrawnAt === undefined
      ? {}
      : { previouslyWithdrawnAt: record.previouslyWithdrawnAt }),
  };
}

/** The SLA's name of the form `formId` names (undefined: no such form, or none given). */
export function formNameOf(sla: Sla, formId: string | undefined): string | undefined {
  return formId === undefined ? undefined : sla.forms.find((form) => form.id === formId)?.name;
}

/** How an entry names a consent's form: by its name in the SLA when given, else by id. */
export function consentFormLabel(formId: string | undefined, formName: string | undefined): string {
  return formName ? `the form "${formName}"` : formId ? `form ${formId}` : 'a form';
}

/**
 * The entry of a single opt-in form's ticked box (the record's `confirmedAt` is its `givenAt`): the consent is
 * confirmed by the post itself, as a double opt-in one is by its link (consent.ts confirmConsent).
 */
export function singleOptInEntry(record: ConsentRecord, formName?: string): TimelineEntry {
  return {
    at: record.confirmedAt ?? record.givenAt,
    kind: 'consent',
    by: 'form',
    reasons: [
      {
        rule: 'consent.single',
        detail: `consent given on ${consentFormLabel(record.formId, formName)} (single opt-in: the ticked box is the confirmation)`,
      },
    ],
    data: consentEntryData(record),
  };
}

/**
 * Did a post's merge of the consent record (consent.ts mergeConsent) confirm a consent: a single opt-in form's
 * ticked box answered a request or gave a consent the lead had not confirmed?
 */
export function confirmedByPost(
  before: ConsentRecord | undefined,
  after: ConsentRecord | undefined,
): after is ConsentRecord {
  return (
    after?.confirmedAt !== undefined &&
    after.mode === 'single' &&
    (before?.confirmedAt === undefined || before.requestId !== after.requestId)
  );
}
