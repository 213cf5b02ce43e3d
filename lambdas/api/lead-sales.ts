/**
 * The sales side, for reps and a CRM: log a contact attempt, move the deal, set the lead
 * status. Each is checked against the SLA (outcomes, deal stages, statuses) and the
 * lifecycle rules in the domain; the workflow is woken to act on it.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type Attempt, applyToLead, type LeadState } from '../domain/lead-state.ts';
import { isTerminal, type Occurrence } from '../domain/lifecycle.ts';
import { CHANNELS } from '../domain/sla-schema.ts';
import { updateLead } from '../ports/lead-store.ts';
import { type ApiDeps, MAX_BODY_BYTES } from './deps.ts';
import { HttpError, type HttpEvent, json, parseBody, unprocessable, validate } from './http.ts';
import { actor, MAX_CLOCK_SKEW_MS, requireLead } from './lead-access.ts';
import { apiHandler } from './middleware.ts';

const attemptSchema = z
  .object({
    attemptId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, '1-100 characters of A-Z a-z 0-9 _ . : -')
      .optional(),
    outcome: z.string().min(1).max(64),
    at: z.iso.datetime({ offset: true, message: 'an ISO-8601 time' }).optional(),
    channel: z.enum(CHANNELS).optional(),
    note: z.string().trim().max(2000).optional(),
    repId: z.string().max(64).optional(),
  })
  .strict();

const dealSchema = z
  .object({
    stage: z.string().min(1).max(64),
    amount: z.number().nonnegative().max(1e12).optional(),
    name: z.string().trim().max(200).optional(),
  })
  .strict();

const statusSchema = z.object({ status: z.string().min(1).max(64) }).strict();

const body = <T extends z.ZodType>(schema: T, event: HttpEvent) =>
  validate(schema, parseBody(event, { maxBytes: MAX_BODY_BYTES, accept: ['json'] }).data);

function requireOpen(deps: ApiDeps, lead: LeadState): void {
  if (lead.erasedAt) throw new HttpError(409, 'erased', 'the lead was erased');
  if (isTerminal(deps.sla, { stage: lead.stage, status: lead.status })) {
    throw new HttpError(
      409,
      'closed',
      `the lead is ${lead.stage === 'customer' ? 'a customer' : 'disqualified'}`,
    );
  }
}

function requireHandedOff(lead: LeadState): void {
  if (!lead.ownerId) {
    throw new HttpError(409, 'not_handed_off', `the lead is ${lead.stage}, not yet handed to a rep`);
  }
}

/** Applies the occurrence under optimistic locking; 422 naming `field` when the SLA rejects it. */
async function applyAndSignal(
  deps: ApiDeps,
  event: HttpEvent,
  lead: LeadState,
  field: string,
  occurrence: (current: LeadState) => Occurrence,
  kind: string,
  extra: (current: LeadState, at: Date) => Partial<LeadState> = () => ({}),
): Promise<LeadState> {
  const at = deps.clock.now();
  const { state } = await updateLead(deps.store, lead.leadId, (current) => {
    const applied = applyToLead(deps.sla, current, occurrence(current), at, actor(event), kind);
    if (applied.result.rejected) throw unprocessable(field, applied.result.reason.detail);
    return { ...applied.state, ...extra(current, at) };
  });
  const after = state ?? lead;
  await deps.workflow.signal(lead.leadId, after.waitToken, kind);
  return after;
}

const view = (lead: LeadState) => ({
  leadId: lead.leadId,
  stage: lead.stage,
  status: lead.status,
  ownerId: lead.ownerId ?? null,
  deal: lead.deal ?? null,
});

export function postAttemptHandler(deps: ApiDeps) {
  return apiHandler('POST /leads/{id}/attempts', async (event: HttpEvent) => {
    const input = body(attemptSchema, event);
    const lead = await requireLead(deps, event);
    requireOpen(deps, lead);
    requireHandedOff(lead);
    if (!deps.sla.contact.outcomes.some((o) => o.id === input.outcome)) {
      throw unprocessable(
        'outcome',
        `unknown outcome; the SLA has: ${deps.sla.contact.outcomes.map((o) => o.id).join(', ')}`,
      );
    }
    const now = deps.clock.now();
    if (input.at && Date.parse(input.at) > now.getTime() + MAX_CLOCK_SKEW_MS)
      throw unprocessable('at', 'in the future');
    const attempt: Attempt = {
      attemptId: input.attemptId ?? randomUUID(),
      at: input.at ? new Date(input.at).toISOString() : now.toISOString(),
      outcomeId: input.outcome,
      ...((input.repId ?? lead.ownerId) ? { repId: input.repId ?? lead.ownerId } : {}),
      ...(input.channel ? { channel: input.channel } : {}),
      ...(input.note ? { note: input.note } : {}),
    };
    const first = (await deps.store.listAttempts(lead.leadId)).length === 0;
    if ((await deps.store.appendAttempt(lead.leadId, attempt)) === 'duplicate') {
      return json(200, { ...view(lead), attemptId: attempt.attemptId, duplicate: true });
    }
    const after = await applyAndSignal(
      deps,
      event,
      lead,
      'outcome',
      () => ({ kind: 'attemptLogged', outcomeId: input.outcome, first }),
      'attempt',
    );
    return json(201, { ...view(after), attemptId: attempt.attemptId, duplicate: false });
  });
}

export function putDealHandler(deps: ApiDeps) {
  return apiHandler('PUT /leads/{id}/deal', async (event: HttpEvent) => {
    const input = body(dealSchema, event);
    const lead = await requireLead(deps, event);
    requireOpen(deps, lead);
    requireHandedOff(lead);
    if (!deps.sla.deals.stages.some((s) => s.id === input.stage)) {
      throw unprocessable(
        'stage',
        `unknown deal stage; the SLA has: ${deps.sla.deals.stages.map((s) => s.id).join(', ')}`,
      );
    }
    const after = await applyAndSignal(
      deps,
      event,
      lead,
      'stage',
      (current) => ({
        kind: 'dealUpdated',
        dealStageId: input.stage,
        at: deps.clock.now(),
        first: !current.deal,
      }),
      'deal',
      (current, at) => ({
        deal: {
          stageId: input.stage,
          since: current.deal?.stageId === input.stage ? current.deal.since : at.toISOString(),
          openedAt: current.deal?.openedAt ?? at.toISOString(),
          ...((input.amount ?? current.deal?.amount) === undefined
            ? {}
            : { amount: input.amount ?? current.deal?.amount }),
          ...((input.name ?? current.deal?.name) === undefined
            ? {}
            : { name: input.name ?? current.deal?.name }),
        },
      }),
    );
    return json(200, view(after));
  });
}

export function patchStatusHandler(deps: ApiDeps) {
  return apiHandler('PATCH /leads/{id}/status', async (event: HttpEvent) => {
    const input = body(statusSchema, event);
    const lead = await requireLead(deps, event);
    requireOpen(deps, lead);
    const after = await applyAndSignal(
      deps,
      event,
      lead,
      'status',
      () => ({ kind: 'statusSetByRep', statusId: input.status }),
      'status',
    );
    return json(200, view(after));
  });
}
