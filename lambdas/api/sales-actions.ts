/**
 * The sales actions, one implementation for every way in: the API routes (lead-sales.ts) and the
 * one-click links in reps' emails (actions.ts). Each loads the lead, checks it against the SLA
 * (outcomes, deal stages, statuses) and the lifecycle rules in the domain, writes the change under
 * optimistic locking and then wakes the workflow. Failures are HttpErrors (404, 409, 422).
 */
import { randomUUID } from 'node:crypto';
import { attemptMade } from '../domain/attempt-words.ts';
import type { Channel } from '../domain/cadence.ts';
import { attemptKey, liveSentKeys } from '../domain/lead-plan.ts';
import {
  type Attempt,
  applyToLead,
  type LeadState,
  ownerAt,
  storyInstant,
  withWakeWanted,
} from '../domain/lead-state.ts';
import { isTerminal, type Occurrence } from '../domain/lifecycle.ts';
import { cadenceLogAfter } from '../domain/sla-standing.ts';
import { inTime } from '../ports/invocation-time.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, notFound, unprocessable } from './http.ts';
import { MAX_CLOCK_SKEW_MS } from './lead-access.ts';
import { type Acting, isOverTo, type LeadAction, requireAllowed, requireRepInReach } from './permissions.ts';

/** What the sales actions need from the API's dependencies. */
export type SalesDeps = Pick<ApiDeps, 'sla' | 'store' | 'workflow' | 'clock' | 'newId'>;

/**
 * Who acts, and (for a one-click link) a check of the caller's own that must still hold on the state the
 * write replaces: a link acts only within its handover, and the lead may move to another rep between the
 * link's claim and this write (actions.ts). It throws to refuse; nothing is written then.
 */
export type SalesActor = Acting & {
  readonly guard?: (current: LeadState) => void;
  /**
   * The caller's idempotency mark (a one-click link's): written by the change's own write, and a state that
   * carries it is the change applied already, so nothing is written again (the workflow is signalled again).
   */
  readonly once?: SalesOnce;
};

export interface SalesOnce {
  /** whether the state carries the mark: the change was applied by an earlier press */
  readonly done: (current: LeadState) => boolean;
  /** the state with the mark */
  readonly mark: (next: LeadState) => LeadState;
}

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
    const customer = lead.stage === 'customer';
    throw new HttpError(
      409,
      'closed',
      `the lead is ${customer ? 'a customer' : 'disqualified'}`,
      [],
      {},
      {
        kind: 'leadClosed',
        customer,
      },
    );
  }
}

/** 409 while no rep owns the lead. */
export function requireHandedOff(lead: LeadState): void {
  if (!lead.ownerId) {
    throw new HttpError(
      409,
      'not_handed_off',
      `the lead is ${lead.stage}, not yet handed to a rep`,
      [],
      {},
      {
        kind: 'notHandedOff',
        stage: lead.stage,
      },
    );
  }
}

/**
 * Logs a contact attempt and applies its outcome (next step, connected, disqualify, recycle), once per
 * attemptId whatever the parallelism. The commit point is the lead's state: the outcome and the mark
 * `attempt:<id>` are one conditional write, so of any number of concurrent copies exactly one applies it
 * (201) and the others find the mark (200, duplicate). The attempt item, keyed by the attemptId alone, is
 * written after that: an attempt item always stands for an applied attempt, and a request that answers
 * 4xx (a check failed before any write) leaves none. A retry after a failure between the two writes finds
 * the mark and writes the missing item.
 */
export async function logAttempt(
  deps: SalesDeps,
  leadId: string,
  input: AttemptInput,
  actor: SalesActor,
): Promise<LoggedAttempt> {
  const lead = await loadLead(deps, leadId);
  requireAllowed(deps.sla, actor, lead, 'attempt');
  // a lead over to the manager acting (ADR 0088): the attempt may be the owner's, whoever's team they are in
  const owner = isOverTo(deps.sla, actor, lead) && lead.ownerId ? [lead.ownerId] : [];
  if (input.repId !== undefined) requireRepInReach(actor, input.repId, 'repId', input.repId, owner);
  // in reach only because it is over to them: the attempt is the owner's, never a rep of the manager's team who
  // never had the lead (a first touch and its credit faked: an adversarial review)
  if (
    input.repId !== undefined &&
    owner.length > 0 &&
    !actor.owners?.includes(lead.ownerId!) &&
    input.repId !== lead.ownerId
  )
    throw unprocessable(
      'repId',
      `an attempt on a lead over to you is its owner's, ${deps.sla.routing.reps.find((rep) => rep.id === lead.ownerId)?.name ?? lead.ownerId}'s`,
      { kind: 'repOutOfReach', repId: input.repId, viewerIsRep: false },
    );
  const attemptId = input.attemptId ?? deps.newId?.() ?? randomUUID();
  const applied = attemptKey(attemptId);
  const isApplied = (state: LeadState) => state.sent.includes(applied);
  // a replay of an attempt that closed or recycled the lead is still a duplicate, not a 409
  if (!isApplied(lead)) {
    actor.guard?.(lead);
    requireOpen(deps, lead);
    requireHandedOff(lead);
  }
  if (!deps.sla.contact.outcomes.some((o) => o.id === input.outcome)) {
    throw unprocessable(
      'outcome',
      `unknown outcome; the SLA has: ${deps.sla.contact.outcomes.map((o) => o.id).join(', ')}`,
      { kind: 'unknownOutcome' },
    );
  }
  const now = deps.clock.now();
  if (input.at && Date.parse(input.at) > now.getTime() + MAX_CLOCK_SKEW_MS)
    // what to enter, not only what is wrong (an accessibility review: WCAG 3.3.3)
    throw unprocessable(
      'at',
      `in the future: give the time the ${attemptMade('en', input.channel)}, now or earlier`,
      { kind: 'attemptInFuture', ...(input.channel ? { channel: input.channel } : {}) },
    );
  // attempts count from the handoff (the cadence, the first touch): one dated before it would read as the
  // SLA met in no time. A replay of an applied attempt is a duplicate whatever its time
  if (!isApplied(lead) && input.at && lead.handedOffAt && Date.parse(input.at) < Date.parse(lead.handedOffAt))
    throw unprocessable(
      'at',
      `before the lead was handed off (${lead.handedOffAt}): contact attempts count from the handoff`,
      // the console tells the handoff on the reader's clock, in their language (console/refusal-text.ts)
      { kind: 'attemptBeforeHandoff', handedOffAt: lead.handedOffAt },
    );
  // when the call happened: given, else when it was logged (this request); the handover it belongs to is judged by it.
  // A time ahead of this request's (the caller's clock fast, within MAX_CLOCK_SKEW_MS) is this request's: a call is
  // made before it is logged. Kept as given, a reassignment in the minutes between would begin before it, and the
  // workflow (calls from ownerSince on) took the old owner's call as the new owner's first touch while the report,
  // reading the story in order, gave it to the owner who made it (ADR 0091)
  const at =
    input.at && Date.parse(input.at) < now.getTime() ? new Date(input.at).toISOString() : now.toISOString();
  // everything else comes from the state the write replaces, on every try (a reassignment may land between this
  // request's read and its write): the rep is the one who had the lead when the call happened, as the report counts
  // it (a call logged later, a CRM's sync, or one whose write lost a race to a reassignment): not the owner since
  const attemptOn = (state: LeadState): Attempt => {
    const when = inHandover(state, at);
    // unknown (the story of that instant is no longer on the state, ADR 0089): stored with no rep, never a guess
    const repId = input.repId ?? ownerAt(state, when);
    return {
      attemptId,
      at: when,
      outcomeId: input.outcome,
      ...(repId ? { repId } : {}),
      ...(input.channel ? { channel: input.channel } : {}),
      ...(input.note ? { note: input.note } : {}),
    };
  };
  const logged = await deps.store.listAttempts(lead.leadId);
  let attempt = attemptOn(lead);
  const { state, saved } = isApplied(lead)
    ? { state: lead, saved: false }
    : await commit(deps, lead, actor, {
        field: 'outcome',
        kind: 'attempt',
        action: 'attempt',
        done: isApplied,
        occurrence: (current) => ({
          kind: 'attemptLogged',
          outcomeId: input.outcome,
          first: isFirstSinceHandoff(current, logged, attemptId),
        }),
        // the call's time when the entry is stamped otherwise (the write's own time: a CRM's sync, a write that
        // waited): the report judges the first touch, and the handover the call belongs to, by when it happened
        // and the attempt's id and channel: the console's "Logged already?" asks the state this write replaces
        // about an attempt another request logged since it read the attempts (domain/same-call.ts sameCallInStory)
        entryData: (current, written) => {
          const happened = attemptOn(current).at;
          return {
            attemptId,
            ...(input.channel ? { channel: input.channel } : {}),
            ...(happened !== written.toISOString() ? { occurredAt: happened } : {}),
          };
        },
        // the mark goes with the effect, also when the outcome released the lead to marketing; the cadence
        // facts (ADR 0053) from the state this write replaces, in the same conditional write, while the lead
        // stays in this handover
        extra: (current, _at, entered) => {
          attempt = attemptOn(current);
          return {
            sent: liveSentKeys({ ...current, sent: [...current.sent, applied] }),
            ...(entered.ownerId !== undefined && entered.handedOffAt === current.handedOffAt
              ? { cadenceLog: cadenceLogAfter(deps.sla, current, attempt, logged) }
              : {}),
          };
        },
      });
  // applied by an earlier or concurrent request whose attempt item is missing: the call as the state now tells it
  if (!saved) attempt = attemptOn(state);
  // keyed by the attemptId: of concurrent writers (the applier, or duplicates repairing a lost write) one stores it
  if (!logged.some((known) => known.attemptId === attemptId)) {
    const stored = await deps.store.appendAttempt(lead.leadId, attempt);
    // an erase that overtook the write above may have swept the lead before this item was stored (its
    // second sweep follows its write: one after this read takes it anyway); nothing of an erased life stays
    if (stored === 'appended') {
      const now = await deps.store.getLead(lead.leadId);
      if (!now || now.erasedAt || now.cycle !== state.cycle) {
        await deps.store.deleteAttempt(lead.leadId, attemptId);
        throw new HttpError(409, 'erased', 'the lead was erased');
      }
    }
  }
  if (saved) await deps.workflow.signal(state, 'attempt');
  return { lead: state, attemptId, duplicate: !saved };
}

/**
 * The call's time as the handover it belongs to reads it: a handover whose instant was moved past the millisecond
 * it was written in (nextHandoverAt: a call or a handover before it in that millisecond) begins after its own owner
 * entry; a call dated between the two is in it, and is dated at its instant, so the workflow (which counts the
 * calls from `ownerSince` on) and the report (which reads the story in order) both count it as this owner's.
 */
function inHandover(state: LeadState, at: string): string {
  const since = state.ownerSince ?? state.handedOffAt;
  if (since === undefined || at >= since) return at;
  const entry = state.timeline.findLast((known) => known.kind === 'owner' && known.to === state.ownerId);
  return entry && entry.at <= at ? since : at;
}

/**
 * First attempt since this handoff (a lead handed off again after a recycle starts its cadence over):
 * no other stored attempt since the handoff, and none applied to the state this write replaces (its
 * timeline), which also sees a concurrent attempt applied but not yet stored.
 */
function isFirstSinceHandoff(current: LeadState, logged: readonly Attempt[], attemptId: string): boolean {
  const since = current.handedOffAt;
  if (since === undefined) return true;
  return (
    !logged.some((known) => known.attemptId !== attemptId && known.at >= since) &&
    !current.timeline.some((entry) => entry.kind === 'attempt' && entry.at >= since)
  );
}

/** Opens or moves the lead's deal (won: customer; lost: recycled after the cool-off). */
export async function setDealStage(
  deps: SalesDeps,
  leadId: string,
  input: DealInput,
  actor: SalesActor,
): Promise<LeadState> {
  const lead = await loadLead(deps, leadId);
  // a lead out of the caller's reach is 404 whatever the request, a replay too (it would show the lead as it
  // is now: another team's owner, deal, status), as an attempt's duplicate is (logAttempt)
  requireAllowed(deps.sla, actor, lead, 'deal');
  // applied by an earlier press (its signal failed): nothing to check or write, the workflow is told again
  if (actor.once?.done(lead)) return signalled(deps, lead, 'deal');
  actor.guard?.(lead);
  requireOpen(deps, lead);
  requireHandedOff(lead);
  if (!deps.sla.deals.stages.some((s) => s.id === input.stage)) {
    throw unprocessable(
      'stage',
      `unknown deal stage; the SLA has: ${deps.sla.deals.stages.map((s) => s.id).join(', ')}`,
      { kind: 'unknownDealStage' },
    );
  }
  const { state } = await commit(deps, lead, actor, {
    field: 'stage',
    kind: 'deal',
    action: 'deal',
    occurrence: (current, at) => ({
      kind: 'dealUpdated',
      dealStageId: input.stage,
      at,
      first: !current.deal,
    }),
    // recycled back to marketing (releaseToMarketing): no owner, so no deal to attach either
    extra: (current, at, next) =>
      next.ownerId
        ? {
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
          }
        : {},
  });
  return signalled(deps, state, 'deal');
}

/** Sets a status the SLA lets reps set (connected, unqualified, recycled, ...). */
export async function setStatus(
  deps: SalesDeps,
  leadId: string,
  input: StatusInput,
  actor: SalesActor,
): Promise<LeadState> {
  const lead = await loadLead(deps, leadId);
  // a lead out of the caller's reach is 404 whatever the request, a replay too (it would show the lead as it
  // is now: another team's owner, deal, status), as an attempt's duplicate is (logAttempt)
  requireAllowed(deps.sla, actor, lead, 'status');
  // applied by an earlier press (its signal failed): nothing to check or write, the workflow is told again
  if (actor.once?.done(lead)) return signalled(deps, lead, 'status');
  actor.guard?.(lead);
  requireOpen(deps, lead);
  requireHandedOff(lead);
  requireStatusRepsSet(deps, input.status);
  const { state } = await commit(deps, lead, actor, {
    field: 'status',
    kind: 'status',
    action: 'status',
    occurrence: () => ({ kind: 'statusSetByRep', statusId: input.status }),
  });
  return signalled(deps, state, 'status');
}

/** 422 naming `status` unless it is a status of the SLA that reps may set (the SLA's check, before any write). */
function requireStatusRepsSet(deps: SalesDeps, statusId: string): void {
  const status = deps.sla.leadStatuses.find((candidate) => candidate.id === statusId);
  if (!status) {
    const known = deps.sla.leadStatuses.filter((candidate) => candidate.repCanSet).map((s) => s.id);
    throw unprocessable('status', `unknown lead status; reps may set: ${known.join(', ')}`, {
      kind: 'unknownStatus',
    });
  }
  if (!status.repCanSet)
    throw unprocessable('status', `reps may not set "${status.name}"`, {
      kind: 'statusNotForReps',
      statusId,
    });
}

async function signalled(deps: SalesDeps, state: LeadState, kind: string): Promise<LeadState> {
  await deps.workflow.signal(state, kind);
  return state;
}

/**
 * Conflicts on the lead's version are retried inside (full-jitter backoff in updateLead, growing from
 * 10 ms to this cap): mere concurrency is the server's problem, never a 409. Measured with 50 writers
 * racing for one lead on dynalite (2 busy cores): at most 11 rounds with a 1 s cap, where the default
 * 200 ms cap lost up to 32 rounds to conflicts. 40 rounds could outlast the functions' 15 s timeout: a commit
 * write (`inTime`) begins no try that might end past it (ports/invocation-time.ts, ADR 0068): 409 'retry' first.
 */
export const CONTENDED_UPDATE = { attempts: 40, maxDelayMs: 1_000 } as const;

interface Change {
  /** the request field a rejection by the SLA names (422) */
  readonly field: string;
  /** timeline entry kind and workflow signal detail */
  readonly kind: string;
  /** what permissions.ts checks, on the state read and again on the state written */
  readonly action: LeadAction;
  /** `at`: this try's instant (commit) */
  readonly occurrence: (current: LeadState, at: Date) => Occurrence;
  /** what the change's timeline entry records besides (its `data`), given the time the write stamps it with */
  readonly entryData?: (current: LeadState, at: Date) => Readonly<Record<string, string>> | undefined;
  /** what else the write carries besides the applied occurrence */
  readonly extra?: (current: LeadState, at: Date, next: LeadState) => Partial<LeadState>;
  /** already applied by an earlier or concurrent request: write nothing */
  readonly done?: (current: LeadState) => boolean;
}

/**
 * Applies the occurrence under optimistic locking. Every check runs again on the state the write replaces
 * (a lead closed, erased or released by a concurrent request is a real conflict: 409, nothing written);
 * 422 naming `field` when the SLA rejects it. `saved` is false when `done` found it already applied.
 */
async function commit(
  deps: SalesDeps,
  lead: LeadState,
  actor: SalesActor,
  change: Change,
): Promise<{ state: LeadState; saved: boolean }> {
  const { by } = actor;
  const { result, state } = await inTime(() =>
    updateLead(
      deps.store,
      lead.leadId,
      (current) => {
        if (change.done?.(current) || actor.once?.done(current)) return undefined;
        // each try at its own time (a retry may come seconds after the request's read), no earlier than the story
        // it changes already holds: the change is never dated before what it was written after (ADR 0091, amended)
        const at = storyInstant(current, deps.clock.now());
        // a lead reassigned out of the actor's reach since it was read is refused here too
        requireAllowed(deps.sla, actor, current, change.action);
        actor.guard?.(current);
        requireOpen(deps, current);
        requireHandedOff(current);
        const applied = applyToLead(deps.sla, current, change.occurrence(current, at), at, by, change.kind);
        if (applied.result.rejected) throw unprocessable(change.field, applied.result.reason.detail);
        const data = change.entryData?.(current, at);
        const entered = data ? withEntryData(applied.state, data) : applied.state;
        const next = { ...entered, ...change.extra?.(current, at, entered) };
        // every change is signalled after its write: the wake it wants is in the write (a parked token taken, a
        // dormant lead due now), so a request that dies before its signal leaves a lead the reconciler wakes
        return withWakeWanted(actor.once ? actor.once.mark(next) : next, at);
      },
      CONTENDED_UPDATE.attempts,
      CONTENDED_UPDATE.maxDelayMs,
      // the request read it a moment ago: no second read unless the write finds it changed
      lead,
    ),
  );
  if (result === 'missing' || !state) throw notFound(`lead ${lead.leadId}`);
  return { state, saved: result === 'saved' };
}

/** The state with `data` added to its latest timeline entry (the one the change just wrote). */
function withEntryData(state: LeadState, data: Readonly<Record<string, string>>): LeadState {
  const last = state.timeline.at(-1);
  if (!last) return state;
  return {
    ...state,
    timeline: [...state.timeline.slice(0, -1), { ...last, data: { ...last.data, ...data } }],
  };
}
