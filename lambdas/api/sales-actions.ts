/**
 * The sales actions, one implementation for every way in: the API routes (lead-sales.ts) and the
 * one-click links in reps' emails (actions.ts). Each loads the lead, checks it against the SLA
 * (outcomes, deal stages, statuses) and the lifecycle rules in the domain, writes the change under
 * optimistic locking and then wakes the workflow. Failures are HttpErrors (404, 409, 422).
 */
import { randomUUID } from 'node:crypto';
import type { Channel } from '../domain/cadence.ts';
import { type Attempt, applyToLead, type LeadState, SENT_KEYS_CAP } from '../domain/lead-state.ts';
import { isTerminal, type Occurrence } from '../domain/lifecycle.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, notFound, unprocessable } from './http.ts';
import { MAX_CLOCK_SKEW_MS } from './lead-access.ts';

/** What the sales actions need from the API's dependencies. */
export type SalesDeps = Pick<ApiDeps, 'sla' | 'store' | 'workflow' | 'clock'>;

export interface AttemptInput {
  /** makes a retry a no-op: the same id is logged once */
  readonly attemptId?: string;
  /** an outcome id of the SLA */
  readonly outcome: string;
  /** ISO; default now */
  readonly at?: string;
  readonly channel?: Channel;
  readonly note?: string;
  /** default: the lead's owner */
  readonly repId?: string;
}

export interface DealInput {
  /** a deal stage id of the SLA */
  readonly stage: string;
  readonly amount?: number;
  readonly name?: string;
}

export interface StatusInput {
  /** a lead status id of the SLA that reps may set */
  readonly status: string;
}

export interface LoggedAttempt {
  /** the lead after the attempt (as it was, for a duplicate) */
  readonly lead: LeadState;
  readonly attemptId: string;
  /** the attempt id was logged before: nothing changed */
  readonly duplicate: boolean;
}

/** Loads the lead: 404 when there is none. */
export async function loadLead(deps: SalesDeps, leadId: string): Promise<LeadState> {
  const lead = await deps.store.getLead(leadId);
  if (!lead) throw notFound(`lead ${leadId}`);
  return lead;
}

/** 409 when the lead was erased, is a customer or is disqualified. */
export function requireOpen(deps: SalesDeps, lead: LeadState): void {
  if (lead.erasedAt) throw new HttpError(409, 'erased', 'the lead was erased');
  if (isTerminal(deps.sla, { stage: lead.stage, status: lead.status })) {
    throw new HttpError(
      409,
      'closed',
      `the lead is ${lead.stage === 'customer' ? 'a customer' : 'disqualified'}`,
    );
  }
}

/** 409 while no rep owns the lead. */
export function requireHandedOff(lead: LeadState): void {
  if (!lead.ownerId) {
    throw new HttpError(409, 'not_handed_off', `the lead is ${lead.stage}, not yet handed to a rep`);
  }
}

/** Logs a contact attempt and applies its outcome (next step, connected, disqualify, recycle). */
export async function logAttempt(
  deps: SalesDeps,
  leadId: string,
  input: AttemptInput,
  by: string,
): Promise<LoggedAttempt> {
  const lead = await loadLead(deps, leadId);
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
  const logged = await deps.store.listAttempts(lead.leadId);
  // first since this handoff: a lead handed off again (after a recycle) starts its cadence over
  const first = !logged.some(
    (known) =>
      known.attemptId !== attempt.attemptId && lead.handedOffAt !== undefined && known.at >= lead.handedOffAt,
  );
  // a retry without `at` gets a new time, hence a new key: the attemptId alone says it is a replay
  const replay =
    logged.some((known) => known.attemptId === attempt.attemptId) ||
    (await deps.store.appendAttempt(lead.leadId, attempt)) === 'duplicate';
  // the attempt is marked applied in the same write as its effect: a replay of one whose effect was
  // never saved (the first try failed after storing it) applies it now
  const applied = `attempt:${attempt.attemptId}`;
  if (replay && lead.sent.includes(applied)) return { lead, attemptId: attempt.attemptId, duplicate: true };
  const after = await applyAndSignal(
    deps,
    lead,
    by,
    'outcome',
    () => ({ kind: 'attemptLogged', outcomeId: input.outcome, first }),
    'attempt',
    (current) => ({ sent: [...current.sent, applied].slice(-SENT_KEYS_CAP) }),
  );
  return { lead: after, attemptId: attempt.attemptId, duplicate: false };
}

/** Opens or moves the lead's deal (won: customer; lost: recycled after the cool-off). */
export async function setDealStage(
  deps: SalesDeps,
  leadId: string,
  input: DealInput,
  by: string,
): Promise<LeadState> {
  const lead = await loadLead(deps, leadId);
  requireOpen(deps, lead);
  requireHandedOff(lead);
  if (!deps.sla.deals.stages.some((s) => s.id === input.stage)) {
    throw unprocessable(
      'stage',
      `unknown deal stage; the SLA has: ${deps.sla.deals.stages.map((s) => s.id).join(', ')}`,
    );
  }
  return applyAndSignal(
    deps,
    lead,
    by,
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
}

/** Sets a status the SLA lets reps set (connected, unqualified, recycled, ...). */
export async function setStatus(
  deps: SalesDeps,
  leadId: string,
  input: StatusInput,
  by: string,
): Promise<LeadState> {
  const lead = await loadLead(deps, leadId);
  requireOpen(deps, lead);
  requireHandedOff(lead);
  return applyAndSignal(
    deps,
    lead,
    by,
    'status',
    () => ({ kind: 'statusSetByRep', statusId: input.status }),
    'status',
  );
}

/** Applies the occurrence under optimistic locking; 422 naming `field` when the SLA rejects it. */
async function applyAndSignal(
  deps: SalesDeps,
  lead: LeadState,
  by: string,
  field: string,
  occurrence: (current: LeadState) => Occurrence,
  kind: string,
  extra: (current: LeadState, at: Date) => Partial<LeadState> = () => ({}),
): Promise<LeadState> {
  const at = deps.clock.now();
  const { state } = await updateLead(deps.store, lead.leadId, (current) => {
    const applied = applyToLead(deps.sla, current, occurrence(current), at, by, kind);
    if (applied.result.rejected) throw unprocessable(field, applied.result.reason.detail);
    // recycled back to marketing (releaseToMarketing): no owner, so no deal to attach either
    return applied.state.ownerId ? { ...applied.state, ...extra(current, at) } : applied.state;
  });
  const after = state ?? lead;
  await deps.workflow.signal(after, kind);
  return after;
}
