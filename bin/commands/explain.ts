import { parseArgs } from 'node:util';
import { batchSchema, engagementEventSchema, isBatch } from '../../lambdas/api/engagement-event.ts';
import { HttpError, validate } from '../../lambdas/api/http.ts';
import { submissionEvent } from '../../lambdas/domain/forms.ts';
import { type Judgement, judgeLead } from '../../lambdas/domain/judge.ts';
import type { EngagementEvent, FieldValue, LeadInput } from '../../lambdas/domain/lead.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type CliIo, DEFAULT_SLA_FILE, readInput } from './io.ts';
import { formatSlaErrors } from './validate.ts';

/**
 * `leadpact sla explain <lead.json> [--sla file] [--at ISO] [--json]`: judges one lead as the
 * workflow would. The file is what a form posts to POST /leads (flat fields, the post itself
 * counting as a submission of its formId), optionally with an `events` array.
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
  const lead = leadFromFile(parsed.sla, readInput(io, leadFile, 'lead file'), leadFile, at);
  if (values.events) {
    // the body of POST /leads/{id}/events: { "events": [...] } or one event, checked as the API checks it
    const body = parseJson(readInput(io, values.events, 'events file'), values.events);
    let extra: EngagementEvent[];
    try {
      extra = isBatch(body) ? validate(batchSchema, body).events : [validate(engagementEventSchema, body)];
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      throw new Error(
        error.fields.map((field) => `${values.events}: ${field.path}: ${field.message}`).join('\n'),
      );
    }
    lead.events.push(...extra);
  }
  const judgement = judgeLead(parsed.sla, lead, at);
  io.out(
    values.json
      ? JSON.stringify({ email: lead.email, sla: slaFile, ...judgement }, null, 2)
      : render(lead, judgement),
  );
  return 0;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
}

function leadFromFile(
  sla: Sla,
  text: string,
  file: string,
  at: Date,
): LeadInput & { events: EngagementEvent[] } {
  const body = parseJson(text, file);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error(`${file}: expected a JSON object`);
  const { events, fields: nested, ...flat } = body as Record<string, unknown>;
  const source = typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>) : flat;
  const fields: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      fields[key] = value;
  }
  const email = typeof fields.email === 'string' ? fields.email : undefined;
  if (!email) throw new Error(`${file}: the lead needs an "email"`);
  if (events !== undefined && !Array.isArray(events)) throw new Error(`${file}: "events" must be an array`);
  const history = (events ?? []) as EngagementEvent[];
  // the post itself is an event, as POST /leads records it
  const submitted = submissionEvent(sla, fields, at.toISOString(), 'explain-submission');
  return { email, fields, events: [...history, submitted] };
}

function render(lead: LeadInput, j: Judgement): string {
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
  ].join('\n');
}
