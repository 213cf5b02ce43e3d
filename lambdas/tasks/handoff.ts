/**
 * The Handoff task: an SQL (or a lead whose type skips nurture) gets an owner, the owner gets
 * the "new SQL assigned" email, and the first-touch clock starts. One read (the lead's partition),
 * one conditional write that stores the owner and claims the email, recorded as sent (the outbox,
 * tasks/wake.ts; ADR 0025's claims, ADR 0045), the send, and the mark that confirms it. Safe to retry: a
 * lead that already has an owner is not handed off again, and a claimed email is not claimed twice.
 */
import { repCalendar } from '../domain/business-hours.ts';
import { queueManagerFor } from '../domain/escalation-contact.ts';
import type { HandoverCause } from '../domain/handover-cause.ts';
import type { Reason } from '../domain/lead.ts';
import { assignedKey, handoverClock, ownerKey, planNext, withSales } from '../domain/lead-plan.ts';
import { handedOffTo, type LeadState, withTimeline } from '../domain/lead-state.ts';
import { typePath } from '../domain/lead-type.ts';
import {
  isJudged,
  lastJudgementReasons,
  type OutboxEntry,
  type OutboxLease,
  pendingKeys,
  recordedClaims,
  sentOrClaimed,
  staleClaimAt,
  unplacedKeyFor,
} from '../domain/outbox.ts';
import { confirmMarkedSends } from '../domain/refused-send.ts';
import { leadQueue } from '../domain/routing.ts';
import { type LeadSnapshot, withMovedEntries } from '../ports/lead-store.ts';
import { pickRef, stepFor } from './advance.ts';
import { assignOwner, releasePlace } from './assign-owner.ts';
import type { TaskDeps } from './deps.ts';
import type { LeadRef, StepPayload } from './payload.ts';
import { Wake } from './wake.ts';

/** With nobody available (all away or full), try again after this long. */
const RETRY_HANDOFF_SECONDS = 3600;

/** Conflicting writers (an API change at the same moment) are few: read again and decide again. */
const MAX_TRIES = 5;

export async function handoff(deps: TaskDeps, input: LeadRef): Promise<StepPayload> {
  const ref = pickRef(input);
  const now = deps.clock.now();
  const wake = new Wake(deps, now);
  /** the rep an earlier try's pick reserved a place with, its write then lost to another writer */
  let picked: string | undefined;
  for (let tries = 1; ; tries++) {
    // claims a park marked sent are off the outbox (ADR 0025), as in Advance
    const snapshot = confirmed(await deps.store.loadLead(input.leadId));
    const lead = snapshot?.state;
    const gone = !snapshot || !lead || lead.cycle !== input.cycle || lead.erasedAt;
    // the lead the pick was for is gone, or someone else gave it an owner: that rep's place is given back now
    // rather than held for the reservation's life (a pick made again takes care of its own: assignOwner)
    if (picked && (gone || (lead?.ownerId !== undefined && lead.ownerId !== picked))) {
      await releasePlace(deps, input.leadId, picked);
      picked = undefined;
    }
    if (gone) return { ...ref, next: 'end', did: ['lead gone'] };

    let next: LeadState = lead;
    let claim: OutboxEntry | undefined;
    /** nobody could take the lead: its manager is told once, and the handoff tries again in an hour */
    let unplaced = false;
    if (!lead.ownerId) {
      const assignment = await assignOwner(deps, lead, {
        assignTo: typePath(deps.sla, lead.leadType).assignTo,
      });
      const rep = assignment.rep;
      picked = rep?.id;
      if (!rep) {
        unplaced = true;
        const told = needsOwner(deps, lead, now, wake.id, assignment.reasons);
        if (told) [next, claim] = told;
        // its manager was asked before the list of leads waiting for an owner existed (ADR 0041 amended):
        // written once again, whole, so it is on that list (the hourly retries write nothing otherwise)
        else if (snapshot.unlisted) next = { ...lead };
      } else {
        next = handedOffTo(deps.sla, lead, rep.id, now, 'workflow', assignment.reasons);
      }
    }
    if (!unplaced)
      claim = (await announcement(deps, next, now, wake.id)) ?? toldOwners(deps, next, now, wake.id);
    // recorded as sent in the write that claims it (ADR 0025, as the park's claims; ADR 0045): the mark written
    // right after the send confirms it, so a stop between the send and the Park that follows (a restart under
    // load) does not send it again; a stop before the mark still does, after the lease
    if (claim) {
      const recorded = recordedClaims(next, [claim], now);
      claim = recorded.outbox[0]!;
      next = {
        ...withTimeline({ ...next, sent: [...next.sent, ...recorded.keys] }, ...recorded.entries),
        outbox: [...(next.outbox ?? []), ...recorded.outbox],
      };
    }
    if (claim?.email.type === 'reassigned') next = withoutUntold(next);
    // a mark there is nobody to tell of (its key sent already, its owner gone from the SLA): cleared, or the
    // plan would send the lead back here at once, for ever
    else if (!claim && !unplaced && next.ownerUntold) next = withoutUntold(next);

    let stored = snapshot;
    if (next !== lead) {
      const saved = await wake.save(snapshot, next);
      if (!saved) {
        // a lost answer after the write landed: the claim is ours; else someone else wrote: decide again
        const again = confirmed(await deps.store.loadLead(input.leadId));
        if (!(claim && again && wake.ownsClaims(again.state))) {
          if (tries >= MAX_TRIES) throw new Error(`lead ${input.leadId} kept changing during its handoff`);
          continue;
        }
        stored = again;
      } else {
        stored = saved;
      }
    }
    if (claim) await wake.send(stored, [claim], stored.state);
    if (unplaced)
      return {
        ...ref,
        next: 'park',
        phase: 'nurture',
        waitSeconds: retrySeconds(stored.state, now, wake.id, deps.outboxLease),
        version: stored.state.version,
        did: [claim ? `no rep available: ${claim.what}` : 'no rep available'],
        sent: wake.marks(stored.state),
        planned: null,
      };

    const state = stored.state;
    const attempts = stored.attempts.filter(
      (a) => state.handedOffAt !== undefined && a.at >= state.handedOffAt,
    );
    const plan = planNext(deps.sla, {
      lead: { ...state, sent: [...state.sent, ...pendingKeys(state)] },
      attempts,
      now,
      skipNurture: false,
    });
    // a claim another invocation holds (its send failed, or it died): the next wake sends it soon
    if (plan.kind !== 'park' && wake.unmarked()) {
      // no park follows to record the email sent: record it now (an ordinary write, retried by the task)
      const saved = await wake.save(stored, state);
      if (saved) stored = saved;
    }
    const stale = staleClaimAt(state, wake.id, deps.outboxLease);
    const wakeAt = plan.kind === 'park' && stale && stale < plan.wakeAt ? { ...plan, wakeAt: stale } : plan;
    return {
      ...stepFor(ref, wakeAt, state, now, [`handed off to ${state.ownerId}`]),
      sent: wake.marks(stored.state),
    };
  }
}

const confirmed = (snapshot: LeadSnapshot | undefined): LeadSnapshot | undefined =>
  snapshot && {
    ...snapshot,
    state: confirmMarkedSends(snapshot.state, snapshot.confirmed),
  };

/**
 * Why the lead qualified: its last judgement's reasons, read back with one Query of its partition only when
 * that entry moved off the state (a handoff long after the judgement; ADR 0032).
 */
async function judgementReasons(deps: TaskDeps, lead: LeadState): Promise<readonly Reason[]> {
  return lastJudgementReasons(lead.timeline.some(isJudged) ? lead : await withMovedEntries(deps.store, lead));
}

/**
 * How long a handoff that found nobody parks: an hour, or less when a claim another wake holds is due
 * sooner (a failed send is due at once, as in any park: the "needs an owner" email of a send that failed,
 * run again by Step Functions, is not an hour late).
 */
function retrySeconds(state: LeadState, now: Date, wake: string, lease?: OutboxLease): number {
  const stale = staleClaimAt(state, wake, lease);
  if (!stale) return RETRY_HANDOFF_SECONDS;
  return Math.max(0, Math.min(RETRY_HANDOFF_SECONDS, Math.ceil((stale.getTime() - now.getTime()) / 1000)));
}

/**
 * Nobody can take the lead at its handoff (everyone out of office or at capacity): the queue's manager (or
 * ops) gets the "over to you: the lead needs an owner" email once per wait, with a timeline entry saying
 * who was told and why; the hourly retries that follow write nothing. Undefined when told already.
 */
function needsOwner(
  deps: TaskDeps,
  lead: LeadState,
  now: Date,
  claim: string,
  why: readonly Reason[],
): [LeadState, OutboxEntry] | undefined {
  const { sla } = deps;
  const queue = leadQueue(sla, lead);
  const contact = queueManagerFor(sla, lead, undefined, now);
  const to = contact.manager?.id ?? 'ops';
  const key = unplacedKeyFor(sla, lead, to);
  if (key === undefined || sentOrClaimed(lead, key)) return undefined;
  const cause: HandoverCause = { kind: 'nobodyFree', queueId: queue.id };
  const detail = `nobody in queue ${queue.id} can take the lead now (out of office or at capacity); tried again every hour`;
  const at = now.toISOString();
  const state = withTimeline(lead, {
    at,
    kind: 'escalation',
    to,
    by: 'workflow',
    reasons: [
      { rule: 'handoff.escalation.manager', detail: `the lead needs an owner: ${detail}` },
      ...why,
      ...contact.reasons,
    ],
  });
  return [
    state,
    {
      key,
      what: `the lead needs an owner: told ${to}`,
      at,
      email: {
        type: 'managerTakeover',
        ...(contact.manager ? { managerId: contact.manager.id } : {}),
        headline: 'the lead needs an owner',
        why: detail,
        summary: { kind: 'needsOwner' },
        cause,
        owners: [],
        ...(contact.standsInFor ? { standsInFor: contact.standsInFor } : {}),
      },
      claim,
    },
  ];
}

/**
 * A person's reassignment (ownerUntold): the new owner gets "reassigned to you" with their first-touch
 * deadline, and the previous one "now with …", in one claim; the write that claims it clears the mark.
 */
function toldOwners(deps: TaskDeps, lead: LeadState, now: Date, claim: string): OutboxEntry | undefined {
  const untold = lead.ownerUntold;
  const owner = deps.sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  if (!untold || !owner || !lead.ownerSince) return undefined;
  const key = ownerKey(lead);
  if (sentOrClaimed(lead, key)) return undefined;
  // back to the owner who was told (the lead went away and came back before the workflow woke): no "from"
  const from = untold.from === owner.id ? undefined : untold.from;
  // a lead with sales (an open deal, connected) has no first touch to make: the workflow runs no clock for it
  const dueAt = withSales(deps.sla, lead)
    ? undefined
    : handoverClock(deps.sla, lead, repCalendar(deps.sla, owner)).dueAt;
  const { cause } = untold;
  const reason =
    cause.kind === 'ownerLeft'
      ? `${cause.ownerId} is no longer in the SLA: the lead is now with ${owner.id}`
      : `${cause.by ?? 'ops'} gave the lead to ${owner.id}${cause.note ? `: ${cause.note}` : ''}`;
  return {
    key,
    what: `reassigned email to ${owner.id}${from ? ` (and ${from})` : ''}: ${reason}`,
    at: now.toISOString(),
    email: {
      type: 'reassigned',
      ...(from ? { fromId: from } : {}),
      toId: owner.id,
      since: lead.ownerSince,
      ...(dueAt ? { dueAt: dueAt.toISOString() } : {}),
      reason,
      cause: untold.cause,
    },
    claim,
  };
}

function withoutUntold(lead: LeadState): LeadState {
  const { ownerUntold: _told, ...rest } = lead;
  return rest;
}

/** The "new SQL assigned" email, claimed unless it was sent or claimed before. */
async function announcement(
  deps: TaskDeps,
  lead: LeadState,
  now: Date,
  claim: string,
): Promise<OutboxEntry | undefined> {
  const owner = deps.sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  if (!owner || !lead.handedOffAt) return undefined;
  const key = assignedKey(lead);
  if (sentOrClaimed(lead, key)) return undefined;
  // the deadline the handover keeps (ADR 0059): the SLA's in force when it was made
  const { dueAt } = handoverClock(deps.sla, lead, repCalendar(deps.sla, owner));
  return {
    key,
    what: `new SQL email to ${owner.id}: first touch due ${dueAt.toISOString()}`,
    at: now.toISOString(),
    email: {
      type: 'sqlAssigned',
      repId: owner.id,
      dueAt: dueAt.toISOString(),
      why: await judgementReasons(deps, lead),
    },
    claim,
  };
}
