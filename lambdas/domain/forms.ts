import type { EngagementEvent, LeadFields } from './lead.ts';
import type { Sla } from './sla-schema.ts';

/** Fields of a form post that describe the submission, not the person. */
export const SUBMISSION_FIELDS = [
  'formId',
  'pageUrl',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'gclid',
  'fbclid',
  'msclkid',
  'hutk',
];

/**
 * The engagement event a form post counts as: the form's declared event type and content tags
 * (sla.forms), or a plain form_submission. Scoring and journey rules then treat it like any event.
 */
export function submissionEvent(
  sla: Sla,
  fields: LeadFields,
  occurredAt: string,
  eventId: string,
): EngagementEvent {
  const formId = typeof fields.formId === 'string' ? fields.formId : undefined;
  const form = formId === undefined ? undefined : sla.forms.find((candidate) => candidate.id === formId);
  const properties: Record<string, string | number | boolean> = {};
  for (const key of SUBMISSION_FIELDS) {
    const value = fields[key];
    if (value !== undefined) properties[key] = value;
  }
  return {
    eventId,
    type: form?.event ?? 'form_submission',
    occurredAt,
    properties,
    contentTags: form?.contentTags ?? [],
  };
}
