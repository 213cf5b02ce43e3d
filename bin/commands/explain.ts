import { parseArgs } from 'node:util';
import { batchSchema, engagementEventSchema, isBatch } from '../../lambdas/api/engagement-event.ts';
import { HttpError, validate } from '../../lambdas/api/http.ts';
import { readPost, recordedIssues } from '../../lambdas/api/lead-post.ts';
import { leadFields } from '../../lambdas/api/lead-submission.ts';
import type { FieldIssue } from '../../lambdas/domain/form-values.ts';
import { submissionEvent } from '../../lambdas/domain/forms.ts';
import { type Judgement, judgeLead } from '../../lambdas/domain/judge.ts';
import type { EngagementEvent, LeadInput } from '../../lambdas/domain/lead.ts';
import { normaliseEmail } from '../../lambdas/domain/lead-id.ts';
import { fillMissingFields } from '../../lambdas/domain/lead-state.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type CliIo, DEFAULT_SLA_FILE, readInput } from './io.ts';
import { formatSlaErrors } from './validate.ts';

/**
 * `leadpact sla explain <lead.json> [--sla file] [--at ISO] [--json]`: judges one lead as the
 * workflow would. The file is what a form posts to POST /leads as JSON, read as the API reads it
 * (lead-post.ts: a vendor's field names, "Deutschland" as DE, "٨٥٠" as 850), the post itself counting
 * as a submission of its formId, optionally with an `events` array; what the API would record as field
 * issues is printed after the reasons.
 */
export function explainCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      sla: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
      events: { type: 'string' },
    },
  });
  const leadFile = positionals[0];
  if (!leadFile)
    throw new Error('explain needs a lead file, e.g. leadpact sla explain examples/leads/hot.json');
  const at = values.at === undefined ? new Date() : new Date(values.at);
  if (Number.isNaN(at.getTime())) throw new Error(`--at "${values.at}" is not an ISO-8601 time`);

  const slaFile = values.sla ?? DEFAULT_SLA_FILE;
  const parsed = parseSla(readInput(io, slaFile, 'SLA file'));
  if (!parsed.ok) {
    io.err(formatSlaErrors(slaFile, parsed.errors));
    return 1;
  }
  const { lead, fieldIssues } = leadFromFile(parsed.sla, readInput(io, leadFile, 'lead file'), leadFile, at);
  if (values.events)
    lead.events.push(...eventsFromFile(readInput(io, values.events, 'events file'), values.events));
  const judgement = judgeLead(parsed.sla, lead, at);
  io.out(
    values.json
      ? JSON.stringify(
          { email: lead.email, sla: slaFile, fields: lead.fields, fieldIssues, ...judgement },
          null,
          2,
        )
      : render(lead, judgement, fieldIssues),
  );
  return 0;
}

/** The body of POST /leads/{id}/events: { "events": [...] } or one event, checked as the API checks it. */
function eventsFromFile(text: string, file: string): EngagementEvent[] {
  const body = parseJson(text, file);
  try {
    return isBatch(body) ? validate(batchSchema, body).events : [validate(engagementEventSchema, body)];
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    throw new Error(fieldErrors(file, error));
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
}

/** The lead file read as POST /leads reads a JSON post (lead-post.ts), with the issues the lead would record. */
function leadFromFile(
  sla: Sla,
  text: string,
  file: string,
  at: Date,
): { lead: LeadInput & { events: EngagementEvent[] }; fieldIssues: FieldIssue[] } {
  const body = parseJson(text, file);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error(`${file}: expected a JSON object`);
  const { events, ...post } = body as Record<string, unknown>;
  if (events !== undefined && !Array.isArray(events)) throw new Error(`${file}: "events" must be an array`);
  const read = readPost(sla, { kind: 'json', data: post }, {});
  if ('refusal' in read) throw new Error(fieldErrors(file, read.refusal));
  // what a new lead keeps of the fields: its custom ones within the lead's bound (leads-public.ts submitLead)
  const kept = fillMissingFields({}, leadFields(read.lead.submission));
  // the post itself is an event, as POST /leads records it
  const submitted = submissionEvent(sla, kept.fields, at.toISOString(), 'explain-submission');
  return {
    lead: {
      email: normaliseEmail(read.lead.submission.email),
      fields: kept.fields,
      events: [...((events ?? []) as EngagementEvent[]), submitted],
    },
    fieldIssues: recordedIssues(read.lead.fieldIssues, kept.refused),
  };
}

/** A refusal's fields as the CLI prints them: `<file>: <path>: <message>`, one a line. */
function fieldErrors(file: string, error: HttpError): string {
  return error.fields.map((field) => `${file}: ${field.path}: ${field.message}`).join('\n');
}

function render(lead: LeadInput, j: Judgement, fieldIssues: readonly FieldIssue[]): string {
  const line = (label: string, value: string) => `${label.padEnd(12)}${value}`;
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  const why = j.reasons.map(
    (r) =>
      `  ${(r.points === undefined ? '' : signed(r.points)).padStart(6)}  ${r.rule.padEnd(34)} ${r.detail}`,
  );
  return [
    line('Lead', lead.email),
    line('SLA', `${j.slaVersion}, judged at ${j.judgedAt}`),
    line(
      'Type',
      j.leadType +
        (j.skipNurture ? ' (skips nurture)' : '') +
        (j.assignTo === 'accountOwner' ? ', to the account owner' : ''),
    ),
    line('Persona', `${j.persona ?? 'none matched'} (seniority ${j.seniority})`),
    line('Fit', `${j.fitScore} / 100, tier ${j.fitTier}`),
    line('Engagement', String(j.engagementScore)),
    line('Adjustments', `persona ${signed(j.personaBonus)}, negative ${signed(j.negativeScore)}`),
    line(
      'Total',
      `${j.totalScore} (MQL at ${j.thresholds.mql}, SQL at ${j.thresholds.sql}${j.matrix ? ', judged by the fit x engagement matrix' : ''})`,
    ),
    line('Lifecycle', `${j.qualifiesAs.toUpperCase()}${j.subscriberOnly ? ' (subscriber)' : ''}`),
    line('Journey', j.journeyStage),
    '',
    'Why:',
    ...why,
    ...issueLines(fieldIssues),
  ].join('\n');
}

/** The values the lead keeps as posted but no rule reads, as GET /leads/{id} lists them in fieldIssues. */
function issueLines(fieldIssues: readonly FieldIssue[]): string[] {
  if (fieldIssues.length === 0) return [];
  return [
    '',
    'Field issues (kept as posted, not scored):',
    ...fieldIssues.map((issue) => `  ${issue.field}: ${JSON.stringify(issue.value)}: ${issue.message}`),
  ];
}
