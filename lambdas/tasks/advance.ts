/**
 * The Advance task: one wake of a lead's workflow. It reads the lead once (state, events and attempts:
 * one consistent Query of its partition), judges it again (time decays engagement), and per round
 * writes once: every effect the plan calls for, with the emails those effects send claimed in the same
 * conditional write (the outbox, domain/outbox.ts, tasks/wake.ts). Then it sends them; the Park that
 * follows marks them sent in its own write (or this task's next write does). A timed action thus costs
 * one read, one state write and the park's update. A retried or concurrent task never mails twice: an
 * email is sent only by the writer whose claim landed, and an entry left unsent (a crash, a failed
 * send) is sent again by the next wake once its claim is stale or marked failed.
 */

import { businessHoursBetween, repCalendar } from '../domain/business-hours.ts';
import { takeoverHeadlineText } from '../domain/email-templates.ts';
import {
  managerById,
  managerFor,
  queueManagerFor,
  type StandIn,
  standInNote,
} from '../domain/escalation-contact.ts';
import type { HandoverCause, TakeoverHeadline } from '../domain/handover-cause.ts';
import { withHandoverTerms } from '../domain/handover-terms.ts';
import { withLadderHandovers, withTakeoversDropped } from '../domain/late-send.ts';
import { handoverClock, handoverKey, type Plan, type PlannedAction, planNext } from '../domain/lead-plan.ts';
import {
  applyToLead,
  type LeadState,
  nextHandoverAt,
  rejudgeLead,
  rejudgeWithNewEvents,
  timelineBase,
  withTimeline,
} from '../domain/lead-state.ts';
import { typePath } from '../domain/lead-type.ts';
import { allLogged } from '../domain/lifecycle.ts';
import {
  abandonedEntries,
  confirmSent,
  type OutboxEmail,
  type OutboxEntry,
  type OutboxLease,
  pendingKeys,
  recordedClaims,
  staleClaimAt,
} from '../domain/outbox.ts';
import { confirmMarkedSends } from '../domain/refused-send.ts';
import { handoversSinceHandoff } from '../domain/report-facts.ts';
import { leadQueue } from '../domain/routing.ts';
import { followMigrations, strandedDealStage, strandedLead } from '../domain/sla-migration.ts';
import type { Rep } from '../domain/sla-schema.ts';
import { reassignedWithCadenceLog } from '../domain/sla-standing.ts';
import { judgedHeadline, untouchedHeadline } from '../domain/takeover-headline.ts';
import { takenOverNow, withTakeoverStored } from '../domain/takeover-reminder.ts';
import { type Attempt, type LeadSnapshot, type StoredEvent, withMovedEntries } from '../ports/lead-store.ts';
import { assignOwner } from './assign-owner.ts';
import { requestConsent } from './consent-request.ts';
import type { TaskDeps } from './deps.ts';
import {
  type AdvanceInput,
  type LeadRef,
  MAX_EXECUTION_AGE_MS,
  MAX_LOOPS_PER_EXECUTION,
  MAX_PARK_SECONDS,
  PLANNED_STEP_BUDGET_BYTES,
  type PlannedWrite,
  payloadBytes,
  type StepPayload,
} from './payload.ts';
import { reclaim, Wake } from './wake.ts';

/** after this many act-and-replan rounds in one invocation something is wrong: park and look again */
const MAX_ROUNDS = 10;

/** What one planned action does: a change to the lead, and the email it sends (claimed with the change). */
interface Effect {
  readonly what: string;
  readonly apply?: (state: LeadState) => LeadState;
  readonly email?: { readonly key: string; readonly email: OutboxEmail } | undefined;
}

export async function advance(deps: TaskDeps, input: AdvanceInput): Promise<StepPayload> {
  const now = deps.clock.now();
  const wake = new Wake(deps, now);
  try {
    return await advanceWith(deps, input, now, wake);
  } finally {
    // emails sent whose mark waited for a write that did not come (or failed): marked now, before the task
    // answers or fails (a retry would otherwise find them unconfirmed and send them again after the lease)
    await wake
      .flushMarks(input.leadId)
      .catch((error: unknown) =>
        console.error(
          JSON.stringify({ level: 'warn', msg: 'advance: marks not written', error: String(error) }),
        ),
      );
  }
}

async function advanceWith(deps: TaskDeps, input: AdvanceInput, now: Date, wake: Wake): Promise<StepPayload> {
  const ref = { ...pickRef(input), loops: input.loops + 1 };
  if (
    input.loops >= MAX_LOOPS_PER_EXECUTION ||
    now.getTime() - Date.parse(input.startedAt) > MAX_EXECUTION_AGE_MS
  ) {
    // the next execution's name on the lead before the state machine starts it (erase stops it by name);
    // not recorded: the lead was erased or moved on to a later cycle or generation, so this one ends
    if (!(await deps.store.recordExecution(input.leadId, input.cycle, input.generation + 1)))
      return { ...ref, next: 'end', did: ['not this cycle'] };
    return {
      ...ref,
      next: 'continueAsNew',
      nextGeneration: input.generation + 1,
      nextStartedAt: now.toISOString(),
      did: ['continue as new'],
    };
  }
  const did: string[] = [];
  let snapshot = confirmedSnapshot(await deps.store.loadLead(input.leadId));
  /** the lead's whole event history as read after the snapshot of that version (ADR 0057) */
  const history: EventsRead = {};
  /** this invocation's change not yet written: the park writes it with its token (ADR 0025) */
  let work: LeadState | undefined;
  const parkClaim = `${wake.id}:park`;
  /**
   * the keys this invocation claims: its ladder emails are stamped with the handover of the write that claims them
   * (late-send.ts withLadderHandovers), so a rung's reassignment in that same write (a wake after downtime) is no
   * moving on, and what lands after it is
   */
  const claimedHere = new Set<string>();
  /** the park's plan (its deadline moved up to a stale claim's) when this round parks */
  let parkAt: Plan | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    parkAt = undefined;
    // a newer cycle (the person came back after erasure) has its own execution
    if (!snapshot || snapshot.state.cycle !== input.cycle || snapshot.state.erasedAt)
      return { ...ref, next: 'end', did: [...did, 'not this cycle'] };
    if ((snapshot.state.generation ?? 0) > input.generation) {
      // a later generation has the lead: a signal found it dormant (this wake's write, read again after its
      // answer was lost) and started the next one (takeDormancy). That one works the lead from here; this one ends, once the
      // emails it sent are recorded (else that one sends them again after the lease): recorded claims by
      // their mark (flushMarks), others by a write
      if (wake.marks(snapshot.state).length > 0 && !(await wake.save(snapshot, snapshot.state))) {
        snapshot = confirmedSnapshot(await deps.store.loadLead(input.leadId));
        continue;
      }
      return { ...ref, next: 'end', did: [...did, 'a later generation has the lead'] };
    }
    const { state: stored, attempts } = snapshot;

    // emails an earlier wake claimed and did not finish: claim them again, then send
    const abandoned = work ? [] : abandonedEntries(stored, now, deps.outboxLease);
    if (abandoned.length > 0) {
      const reclaimed = await wake.save(snapshot, reclaim(stored, abandoned, now, wake.id));
      snapshot = reclaimed ?? confirmedSnapshot(await deps.store.loadLead(input.leadId));
      if (!reclaimed && !(snapshot && wake.ownsClaims(snapshot.state))) continue;
      // as reclaimed (this wake's claim): the mark of a recorded one must name the claim it now holds
      await wake.send(
        snapshot!,
        abandoned.map((entry) => ({ ...entry, claim: wake.id })),
      );
      // marked sent now (recorded ones): off the outbox, as the next read would find them
      snapshot = { ...snapshot!, state: confirmSent(snapshot!.state, [wake.id]) };
      did.push(...abandoned.map((entry) => `sent again: ${entry.what}`));
      // an "Over to you" dropped at its send told its manager nothing: written with this wake's next write
      const untold = withTakeoversDropped(deps.sla, snapshot.state, wake.takeDropped(), now);
      if (untold !== snapshot.state) work = untold;
      continue;
    }

    // an id the SLA removed and its migrations map: a lead the start-up migration did not read (dormant, in no
    // index it reads) follows the mapping at its next step, as it would have then
    const migrated = followMigrations(deps.sla, work ?? stored, now);
    const current = migrated ?? work ?? stored;
    const judged = await rejudgeOnWake(deps, snapshot, current, now, history);
    const lead = judged ?? current;
    const planned = planNext(deps.sla, {
      lead: { ...lead, sent: [...lead.sent, ...pendingKeys(lead)] },
      attempts: sinceHandoff(attempts, lead),
      now,
      skipNurture: typePath(deps.sla, lead.leadType).skipNurture,
    });
    // a deal in a stage the SLA lacks, unmapped: no stale timer would ever be due; a failure ops are told of
    const stranded = strandedDealStage(deps.sla, lead, planned);
    if (stranded) throw strandedLead(deps.sla, stranded);
    const plan = unlessClaimsPending(planned, lead, wake.id, deps.outboxLease);
    const effects: Effect[] = [];
    const taken = new Set([...lead.sent, ...pendingKeys(lead)]);
    // the owner pick as this round's read found it: only while nothing of this invocation changed the lead
    const ownerPick = work === undefined ? snapshot.ownerPick : undefined;
    for (const action of plan.kind === 'park' ? plan.actions : []) {
      const effect = await perform(deps, lead, action, now, sinceHandoff(attempts, lead), ownerPick);
      // a key sent before (a template the lead already read on another track) is not sent again;
      // the change still happens (the track moves past it)
      effects.push(effect.email && taken.has(effect.email.key) ? { ...effect, email: undefined } : effect);
    }
    // the park's claim is its own: a mark of this wake's other sends must not confirm it
    const claim = plan.kind === 'park' ? parkClaim : wake.id;
    const claims: OutboxEntry[] = effects.flatMap((effect) =>
      effect.email ? [{ ...effect.email, what: effect.what, at: now.toISOString(), claim }] : [],
    );
    for (const entry of claims) claimedHere.add(entry.key);
    let next = effects.reduce((state, effect) => (effect.apply ? effect.apply(state) : state), lead);
    if (claims.length > 0 && plan.kind === 'park') {
      // the park writes them: recorded as sent in that write, marked by the park once they went out
      const recorded = recordedClaims(next, claims, now);
      next = {
        ...withTimeline({ ...next, sent: [...next.sent, ...recorded.keys] }, ...recorded.entries),
        outbox: [...(next.outbox ?? []), ...recorded.outbox],
      };
    } else if (claims.length > 0) {
      next = { ...next, outbox: [...(next.outbox ?? []), ...claims] };
    }
    if (plan.kind === 'end') next = ended(next, plan.dormant, now, input.generation);
    // the workflow runs again after a failure: the next failure starts the retry waits from the first
    if (plan.kind === 'park' && next.workflowError?.count)
      next = { ...next, workflowError: { ...next.workflowError, count: 0 } };

    const judgedAnew = judged !== undefined && judged.timeline.length !== current.timeline.length;
    // a tally the history repaired (events a writer that died stored and never folded, ADR 0057 amended) is
    // written, though nothing else moved: unwritten, every later wake would read the whole history again, and
    // the copies such a post left in the read would never move apart. (A wake that reads the tally alone keeps it)
    const repaired = judged?.tally !== undefined && judged.tally !== current.tally;
    const changed = next !== lead || judgedAnew || repaired || migrated !== undefined;
    did.push(...effects.map((effect) => effect.what));
    if (plan.kind === 'park') {
      // one write for the whole wake: the park's (the next round plans on the change in memory)
      if (changed) work = next;
      if (plan.actions.length > 0) continue;
      const stale = staleClaimAt(work ?? stored, wake.id, deps.outboxLease);
      parkAt = stale && stale < plan.wakeAt ? { ...plan, wakeAt: stale } : plan;
      const step = stepFor(ref, parkAt, stored, now, did);
      if (!work) return { ...step, sent: wake.marks(stored) };
      // the park records these with its write
      const parked = {
        ...step,
        sent: wake.marks(work),
        planned: plannedWrite(withLadderHandovers(work, claimedHere), stored, parkClaim),
      };
      if (payloadBytes(parked) <= PLANNED_STEP_BUDGET_BYTES) return parked;
      // too large to travel to the park (a long tail of large entries): Step Functions would fail the
      // execution past 256 KiB, so this wake writes, sends and marks itself; the park stores its token
      did.push('the change written by the wake: too large for the park to carry');
    }

    // no park follows (end, handoff), or the change is too large to carry: this wake writes, sends and marks itself
    next = withLadderHandovers(next, claimedHere);
    const mine = (next.outbox ?? []).filter(
      (entry) => (entry.claim === wake.id || entry.claim === parkClaim) && !wake.hasSent(entry.key),
    );
    if (changed || work || wake.unmarked()) {
      // a lead that ends: the emails its rounds claimed (recorded as sent, as for the park) keep it due no
      // longer; a failure before their mark is retried by the state machine, or recorded by its Catch or by
      // the failed execution's event (ADR 0038). Their mark follows the sends (Wake.flushMarks)
      const saved = await wake.save(snapshot, next, { ending: plan.kind === 'end' });
      work = undefined;
      if (!saved) {
        snapshot = confirmedSnapshot(await deps.store.loadLead(input.leadId));
        // the write landed and its answer was lost: these claims are ours to send
        const landed = mine.length > 0 && snapshot !== undefined && wake.ownsClaims(snapshot.state);
        // else the lead changed meanwhile: nothing was claimed, nothing sent; look again
        if (!landed) continue;
      } else {
        snapshot = saved;
      }
    }
    if (mine.length > 0) {
      // the next round writes (an ending lead's due time comes off) and takes the recorded claims off the
      // outbox with it: their mark only when it does not (Wake.flushMarks)
      await wake.send(snapshot!, mine, lead, { markWithNextWrite: true });
      // recorded ones count as marked sent now: off the outbox, as the next read would find them
      snapshot = { ...snapshot!, state: confirmSent(snapshot!.state, [wake.id, parkClaim]) };
      const untold = withTakeoversDropped(deps.sla, snapshot.state, wake.takeDropped(), now);
      if (untold !== snapshot.state) work = untold;
      continue;
    }
    return { ...stepFor(ref, parkAt ?? plan, snapshot!.state, now, did), sent: wake.marks(snapshot!.state) };
  }
  const fallback: StepPayload = {
    ...ref,
    next: 'park',
    phase: 'nurture',
    waitSeconds: 3600,
    version: snapshot?.state.version ?? 0,
    did,
    // what the rounds changed is written by the park all the same
    sent: snapshot ? wake.marks(work ?? snapshot.state) : wake.marks(),
    planned:
      work && snapshot
        ? plannedWrite(withLadderHandovers(work, claimedHere), snapshot.state, parkClaim)
        : null,
  };
  // too large to carry: nothing of it was written or sent, the next wake plans it again
  if (payloadBytes(fallback) <= PLANNED_STEP_BUDGET_BYTES || !snapshot) return fallback;
  return { ...fallback, sent: wake.marks(snapshot.state), planned: null };
}

/** The park's write of a wake's change (ADR 0025): on the version read, with this wake's park claim. */
function plannedWrite(work: LeadState, stored: LeadState, parkClaim: string): PlannedWrite {
  return {
    state: work,
    // counted on `work`: entries the cap dropped from its front (a store that moves none) are the read's
    // no longer, so the park's `stored` (the first `committed` of work's entries) has the read's story length
    committed: Math.max(0, stored.timeline.length - (timelineBase(work) - timelineBase(stored))),
    ...((work.outbox ?? []).some((entry) => entry.recorded && entry.claim === parkClaim)
      ? { claim: parkClaim }
      : {}),
  };
}

/**
 * A writer's mark of pending events older than this is a writer that died (the API's functions run 15 s at
 * most): its events, if it stored any, are in the history a wake reads when it finds the mark (ADR 0057).
 */
export const PENDING_STALE_MS = 5 * 60_000;

interface EventsRead {
  version?: number;
  events?: readonly StoredEvent[];
}

/**
 * The lead judged again at `now`. A lead whose events are apart from the wake's read (ADR 0057) is judged on
 * its tally alone: one Query for the wake, whatever its history. The whole history is read (a second Query,
 * once per invocation) when the tally may not hold it (a writer's mark; an event a form post stored in the
 * read, other than the one that created the lead, which no write may have folded yet: ADR 0057 amended) or
 * cannot answer (kept for other rules: the SLA changed; none yet). A lead from before ADR 0057 is judged on
 * the events its read brought, as before.
 */
async function rejudgeOnWake(
  deps: TaskDeps,
  snapshot: LeadSnapshot,
  current: LeadState,
  now: Date,
  history: EventsRead,
): Promise<LeadState | undefined> {
  if (!current.eventsApart) return rejudgeLead(deps.sla, current, snapshot.events, now, 'workflow');
  const pending = snapshot.pending ?? [];
  const unfolded = snapshot.events.filter((event) => event.eventId !== current.createdByEvent);
  if (pending.length === 0 && unfolded.length === 0) {
    const judged = rejudgeWithNewEvents(deps.sla, current, [], now, 'workflow');
    if (judged !== 'replay') return judged;
  }
  // read once per version read: a write since may have come with events the earlier read missed
  if (history.version !== snapshot.state.version || !history.events) {
    history.events = await deps.store.listEvents(current.leadId);
    history.version = snapshot.state.version;
  }
  const judged = rejudgeLead(deps.sla, current, history.events, now, 'workflow');
  // the stored tally holds every event stored (it is reused as it is): marks of writers long dead are done with,
  // and the events their posts left in the read move apart (the copy apart first). A repaired tally clears
  // nothing yet: the next wake, reading it stored, does
  const isStale = (at: string) => !(Date.parse(at) >= now.getTime() - PENDING_STALE_MS);
  const stale = pending.filter((mark) => isStale(mark.at));
  const left = unfolded.filter((event) => isStale(event.receivedAt));
  if (stale.length + left.length === 0 || current !== snapshot.state) return judged;
  if ((judged ?? current).tally !== current.tally) return judged;
  if (stale.length > 0)
    await deps.store.clearEventsPending(
      current.leadId,
      stale.map((mark) => mark.id),
    );
  for (const event of left) {
    await deps.store.appendEvent(current.leadId, event);
    await deps.store.deleteReadCopy(current.leadId, event);
  }
  // an erase may have run meanwhile (its stop leaves a running wake running): a copy stored after its last sweep
  // would keep the person's submission. Erase writes the lead erased before that sweep, so a copy stored before
  // this read that finds it not erased is the sweep's to delete, and one this read finds erased goes here (also
  // when the put answered 'duplicate': the SDK's retry of a put that landed says so)
  if (left.length > 0) {
    const stored = await deps.store.getLead(current.leadId);
    if (!stored || stored.erasedAt || stored.cycle !== current.cycle)
      for (const event of left) await deps.store.deleteEvent(current.leadId, event);
  }
  return judged;
}

/** The snapshot with the claims its senders marked sent off the outbox (domain/outbox.ts confirmSent). */
function confirmedSnapshot(snapshot: LeadSnapshot | undefined): LeadSnapshot | undefined {
  if (!snapshot) return undefined;
  const state = confirmMarkedSends(snapshot.state, snapshot.confirmed);
  return state === snapshot.state ? snapshot : { ...snapshot, state };
}

/**
 * A lead must not end (or go dormant) while an email claimed by another invocation is unsent: that
 * sender may have died with its failure unrecorded, and nobody would wake the lead to send it. It
 * parks until the claim goes stale instead, and the next wake sends it.
 */
function unlessClaimsPending(plan: Plan, lead: LeadState, wake: string, lease?: OutboxLease): Plan {
  const stale = plan.kind === 'end' ? staleClaimAt(lead, wake, lease) : undefined;
  if (plan.kind !== 'end' || !stale) return plan;
  return {
    kind: 'park',
    phase: 'nurture',
    actions: [],
    wakeAt: stale,
    reasons: [
      ...plan.reasons,
      { rule: 'workflow.outbox', detail: 'an email claimed earlier is still unsent' },
    ],
  };
}

/** Nothing is due any more: out of the due index, so the reconciler leaves it alone. */
function ended(state: LeadState, dormant: boolean | undefined, now: Date, generation: number): LeadState {
  if (!state.waitToken && !state.dueAt && (!dormant || state.dormant)) return state;
  // the last park's token is spent; a dormant lead's next signal (a form post, an event, a rep's
  // update) starts the next generation instead
  const { waitToken: _spent, dueAt: _none, ...rest } = state;
  return dormant ? { ...rest, dormant: { at: now.toISOString(), generation } } : rest;
}

const sinceHandoff = (attempts: readonly Attempt[], lead: LeadState): Attempt[] =>
  attempts.filter((attempt) => lead.handedOffAt !== undefined && attempt.at >= lead.handedOffAt);

export function stepFor(
  ref: StepPayload | Omit<StepPayload, 'next'>,
  plan: Plan,
  lead: LeadState,
  now: Date,
  did: readonly string[],
): StepPayload {
  if (plan.kind === 'end')
    return { ...ref, next: 'end', did: [...did, ...plan.reasons.map((r) => r.detail)] };
  if (plan.kind === 'handoff') return { ...ref, next: 'handoff', version: lead.version, did };
  const waitSeconds = Math.min(
    MAX_PARK_SECONDS,
    Math.max(1, Math.ceil((plan.wakeAt.getTime() - now.getTime()) / 1000)),
  );
  return {
    ...ref,
    next: 'park',
    phase: plan.phase,
    waitSeconds,
    version: lead.version,
    did,
    sent: [],
    planned: null,
  };
}

/** Only the reference travels on: the payload stays small whatever a task returned before. */
export const pickRef = (input: LeadRef): LeadRef => ({
  leadId: input.leadId,
  cycle: input.cycle,
  generation: input.generation,
  loops: input.loops,
  startedAt: input.startedAt,
});

/**
 * `ownerPick`: the lead's owner pick as the wake's read found it (round 0, nothing changed yet), so a
 * reassignment's pick reads no item of its own (ADR 0045); later rounds leave it to the pick to read.
 */
async function perform(
  deps: TaskDeps,
  lead: LeadState,
  action: PlannedAction,
  now: Date,
  /** the lead's attempts since its handoff, whenever logged */
  attempts: readonly Attempt[],
  ownerPick?: LeadSnapshot['ownerPick'],
): Promise<Effect> {
  const { sla } = deps;
  const owner = sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  switch (action.type) {
    case 'sendNurture':
      return {
        what: `nurture email ${action.index + 1} of track ${action.track.id}`,
        email: { key: action.key, email: { type: 'nurture', trackId: action.track.id, index: action.index } },
        apply: (current) => ({
          ...current,
          nurture: {
            trackId: action.track.id,
            sent: action.index + 1,
            startedAt:
              current.nurture?.trackId === action.track.id ? current.nurture.startedAt : now.toISOString(),
            lastSentAt: now.toISOString(),
          },
        }),
      };
    case 'requestConsent':
      return requestConsent(deps.store, lead, action.key, now);
    case 'remindAttempt': {
      if (!owner) return { what: 'no owner to remind' };
      const step = action.cadence.steps[action.step - 1]!;
      return {
        what: `reminder to ${owner.id}: attempt ${action.step} of ${action.of} (${step.channel})`,
        email: {
          key: action.key,
          email: {
            type: 'attemptDue',
            repId: owner.id,
            step: action.step,
            of: action.of,
            logged: action.logged,
            channel: step.channel,
            ...(step.note ? { note: step.note } : {}),
            ...(step.notes ? { notes: step.notes } : {}),
            dueAt: action.dueAt.toISOString(),
          },
        },
      };
    }
    case 'enterTrack':
      return {
        what: `entered nurture track ${action.track.id}`,
        apply: (current) => ({
          ...current,
          nurture: { trackId: action.track.id, sent: 0, startedAt: now.toISOString() },
        }),
      };
    case 'escalate':
      return escalate(deps, lead, action, now, attempts, ownerPick);
    case 'exhaustCadence':
      return recycle(deps, lead, action, now);
    case 'remindTakeover':
      return remindTakeover(deps, lead, action, attempts);
    case 'endCoolOff':
      return {
        what: 'cool-off over',
        apply: (current) => {
          const { coolOffUntil: _over, nurture: _restart, ...rest } = current;
          return withTimeline(
            { ...rest, updatedAt: now.toISOString() },
            {
              at: now.toISOString(),
              kind: 'coolOff',
              by: 'workflow',
              reasons: [{ rule: 'lifecycle.coolOff', detail: 'cool-off over: back to nurture' }],
            },
          );
        },
      };
    case 'remindDecide': {
      const within = sla.contact.decideWithin;
      if (!owner || !within) return { what: 'no owner or decideWithin for the decide reminder' };
      const manager = action.managerId === undefined ? undefined : managerById(sla, action.managerId);
      const connectedAt = action.connectedAt.toISOString();
      // the owner out of office: to the one who covers for them, instead of the owner (ADR 0043, amended)
      const covered = manager && action.away;
      const { note: standIn, standsInFor } = manager ? standInOf(deps, owner, lead, now, manager.id) : {};
      const to = covered
        ? `${manager.id} for ${owner.id}, out of office ${action.away!.from} to ${action.away!.to}${standIn ? `; ${standIn}` : ''}`
        : `${owner.id}${manager ? ` (copy to ${manager.id}${standIn ? `: ${standIn}` : ''})` : ''}`;
      return {
        what: `decide reminder ${action.n} to ${to}: connected ${connectedAt}, no deal after ${action.n} x ${within.text}`,
        email: {
          key: action.key,
          email: {
            type: 'decideDue',
            repId: owner.id,
            ...(manager ? { managerId: manager.id, ...(standsInFor ? { standsInFor } : {}) } : {}),
            ...(covered ? { away: action.away! } : {}),
            connectedAt,
            since: action.since.toISOString(),
            n: action.n,
            within: within.text,
          },
        },
        // a lead connected before the time was recorded: the clock this reminder counted from stays put
        ...(action.pin
          ? { apply: (current: LeadState) => (current.connectedAt ? current : { ...current, connectedAt }) }
          : {}),
      };
    }
    case 'remindStaleDeal': {
      const stage = sla.deals.stages.find((candidate) => candidate.id === action.stageId);
      if (!owner || !stage) return { what: 'no owner or stage for the stale reminder' };
      // the owner out of office: to the one who covers for them, instead of the owner (ADR 0043, amended)
      const manager = action.managerId === undefined ? undefined : managerById(sla, action.managerId);
      const covered = manager && action.away ? { managerId: manager.id, away: action.away } : undefined;
      const { note: standIn, standsInFor } = covered
        ? standInOf(deps, owner, lead, now, covered.managerId)
        : {};
      const to = covered
        ? `${covered.managerId} for ${owner.id}, out of office ${covered.away.from} to ${covered.away.to}${standIn ? `; ${standIn}` : ''}`
        : owner.id;
      return {
        what: `stale deal reminder to ${to}: ${stage.name} since ${action.since.toISOString()}`,
        email: {
          key: action.key,
          email: {
            type: 'staleDeal',
            repId: owner.id,
            stageId: stage.id,
            since: action.since.toISOString(),
            ...(covered ? { ...covered, ...(standsInFor ? { standsInFor } : {}) } : {}),
          },
        },
      };
    }
  }
}

/**
 * Why the manager the plan named for a reminder (its copy, or the one covering for an away owner) is not the
 * one in line (`note`, for the timeline), and whom they stand in for (`standsInFor`, for the email): that one
 * is out of office (escalation-contact.ts presentAt, on the same `now` as the plan). One look at the contact.
 */
function standInOf(
  deps: TaskDeps,
  owner: Rep,
  lead: LeadState,
  now: Date,
  managerId: string,
): { readonly note?: string; readonly standsInFor?: StandIn } {
  const contact = managerFor(deps.sla, owner, lead, now);
  if (contact.manager?.id !== managerId) return {};
  const note = standInNote(contact);
  return { ...(note ? { note } : {}), ...(contact.standsInFor ? { standsInFor: contact.standsInFor } : {}) };
}

/**
 * The cadence ran out: the lead is recycled with a reason that says what happened, a breach entry
 * on the timeline when attempts were missing (reports count kind "breach"), and a short email to
 * the owner and their manager.
 */
function recycle(
  deps: TaskDeps,
  lead: LeadState,
  action: Extract<PlannedAction, { type: 'exhaustCadence' }>,
  now: Date,
): Effect {
  const { sla } = deps;
  const owner = sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const contact = managerFor(sla, owner, lead, now);
  const { manager } = contact;
  const standIn = standInNote(contact);
  const occurrence = {
    kind: 'cadenceExhausted',
    at: now,
    coolOff: action.coolOff,
    logged: action.logged,
    of: action.of,
  } as const;
  const { state: recycled, result } = applyToLead(sla, lead, occurrence, now, 'workflow', 'cadence');
  // the manager the lead was over to (ADR 0085) held the decision: they hear how it ended too
  const over = takenOverNow(sla, lead);
  const overTo = over && over.to !== manager?.id ? managerById(sla, over.to) : undefined;
  const what = action.breach
    ? `cadence expired with ${action.logged} of ${action.of} attempts logged: recycled, SLA breach`
    : `${allLogged(action.logged, action.of)}: recycled`;
  return {
    what: `recycle email to ${owner?.id ?? 'nobody'}${manager ? ` (cc ${manager.id}${standIn ? `: ${standIn}` : ''})` : ''}${overTo ? ` (cc ${overTo.id}, the lead was over to them)` : ''}: ${what}`,
    email: {
      key: action.key,
      email: {
        type: 'recycled',
        ...(owner ? { ownerId: owner.id } : {}),
        ...(manager ? { managerId: manager.id } : {}),
        logged: action.logged,
        of: action.of,
        breach: action.breach,
        ...(recycled.coolOffUntil ? { coolOffUntil: recycled.coolOffUntil } : {}),
        ...(manager && contact.standsInFor ? { standsInFor: contact.standsInFor } : {}),
        ...(overTo ? { overToId: overTo.id } : {}),
      },
    },
    apply: (current) => {
      if (result.rejected) return current;
      const state = applyToLead(sla, current, occurrence, now, 'workflow', 'cadence').state;
      if (!action.breach) return state;
      return withTimeline(state, {
        at: now.toISOString(),
        kind: 'breach',
        by: 'workflow',
        reasons: [
          {
            rule: 'sla.breach.cadence',
            detail: `cadence expired with ${action.logged} of ${action.of} attempts logged, no connection (owner ${lead.ownerId})`,
          },
        ],
      });
    },
  };
}

/**
 * Rep ids who had the lead since its handoff, in order. When the handoff moved off the state with older
 * entries (ADR 0021), those reps come from the report facts' carry when it covers this handoff (ADR 0030),
 * else from the moved entries read back (one Query of the lead's partition: a lead moved before carries
 * listed owners).
 */
async function handoffOwners(deps: TaskDeps, lead: LeadState): Promise<string[]> {
  const since = lead.handedOffAt ?? '';
  if ((lead.timelineSpilled ?? 0) === 0 || (lead.timeline[0]?.at ?? '') <= since) return ownersSince(lead);
  const carry = lead.factsCarry;
  if (carry && carry.through === timelineBase(lead) && carry.firstHandoff === since && carry.owners)
    return ownersSince(lead, carry.owners);
  return ownersSince(await withMovedEntries(deps.store, lead));
}

/** `earlier` (owners from entries no longer on the state), then the owners of the lead's entries since its handoff. */
function ownersSince(lead: LeadState, earlier: readonly string[] = []): string[] {
  const since = lead.handedOffAt ?? '';
  const owners = [
    ...earlier,
    ...lead.timeline
      .filter((entry) => entry.kind === 'owner' && entry.to !== undefined && entry.at >= since)
      .map((entry) => entry.to!),
  ];
  if (lead.ownerId && owners.at(-1) !== lead.ownerId) owners.push(lead.ownerId);
  return owners;
}

async function escalate(
  deps: TaskDeps,
  lead: LeadState,
  action: Extract<PlannedAction, { type: 'escalate' }>,
  now: Date,
  attempts: readonly Attempt[],
  ownerPick?: LeadSnapshot['ownerPick'],
): Promise<Effect> {
  const { sla } = deps;
  const owner = sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const taken = (current: LeadState): LeadState => ({ ...current, escalationsTaken: action.step });
  if (action.action === 'handToManager')
    return handToManager(deps, lead, action, attempts, now, action.why ?? '', action.cause);
  if (!owner && action.action !== 'reassign') {
    // planNext turns a missing owner into a reassignment; an SLA change mid-step lands here
    return handToManager(
      deps,
      lead,
      action,
      attempts,
      now,
      `the owner "${lead.ownerId}" is not in SLA ${sla.version}`,
      {
        kind: 'ownerMissing',
        ownerId: lead.ownerId ?? '',
        slaVersion: sla.version,
      },
    );
  }
  const cal = owner ? repCalendar(sla, owner) : sla.calendar;
  const overdue = Math.round(businessHoursBetween(cal, action.dueAt, now) * 10) / 10;
  const dueAt = action.dueAt.toISOString();
  // what the ladder does next if no first touch is logged: the owner's and the manager's emails say when
  const { ahead } = action;
  if (action.action === 'remindOwner' && owner) {
    return {
      what: `first touch ${overdue} business hours overdue: reminded ${owner.id}`,
      email: {
        key: action.key,
        email: {
          type: 'firstTouchOverdue',
          repId: owner.id,
          dueAt,
          overdue,
          ...(ahead?.managerToldAt ? { managerToldAt: ahead.managerToldAt.toISOString() } : {}),
          ...(ahead?.reassignedAt ? { reassignedAt: ahead.reassignedAt.toISOString() } : {}),
        },
      },
      apply: (current) =>
        withTimeline(taken(current), {
          at: now.toISOString(),
          kind: 'overdue',
          from: owner.id,
          to: owner.id,
          by: 'workflow',
          reasons: [
            {
              rule: 'handoff.escalation.remindOwner',
              detail: `first touch ${overdue} business hours overdue (due ${dueAt}): reminded ${owner.name}`,
            },
          ],
        }),
    };
  }
  if (action.action === 'notifyManager' && owner) {
    const contact = managerFor(sla, owner, lead, now);
    const manager = contact.manager;
    if (!manager) {
      // nobody in the SLA to tell: the deployment's ops address hears of it
      return handToManager(
        deps,
        lead,
        action,
        attempts,
        now,
        `${owner.name} has no manager in this SLA`,
        { kind: 'noManager', ownerId: owner.id },
        false,
      );
    }
    const via = contact.reasons.length > 1 ? ` (${contact.reasons.map((r) => r.detail).join('; ')})` : '';
    return {
      what: `first touch ${overdue} business hours overdue: told manager ${manager.id} (cc ${owner.id})${via}`,
      email: {
        key: action.key,
        email: {
          type: 'managerEscalation',
          repId: owner.id,
          managerId: manager.id,
          dueAt,
          overdue,
          ...(contact.standsInFor ? { standsInFor: contact.standsInFor } : {}),
          ...(ahead?.reassignedAt ? { reassignedAt: ahead.reassignedAt.toISOString() } : {}),
        },
      },
      apply: (current) =>
        withTimeline(taken(current), {
          at: now.toISOString(),
          kind: 'overdue',
          from: owner.id,
          to: manager.id,
          by: 'workflow',
          reasons: [
            {
              rule: 'handoff.escalation.notifyManager',
              detail: `first touch ${overdue} business hours overdue (due ${dueAt}): told ${manager.name}`,
            },
            ...contact.reasons,
          ],
        }),
    };
  }
  // reassign: the ladder's rung, a rescue when the owner is missing from the SLA, or a step due while the
  // owner is out of office (ADR 0043)
  const rescue = !owner;
  const away = action.cause?.kind === 'ownerAway' && owner ? action.cause : undefined;
  const { assignTo } = typePath(sla, lead.leadType);
  // the ladder: not back to a rep who already let it lie in this handoff. Away: the absent owner is passed over
  // (and every rep who is not there up to the first touch they would get); one who had the lead before gets it
  // back only when nobody else present can take it (ADR 0043 amended)
  const owners = await handoffOwners(deps, lead);
  const assignment = await assignOwner(deps, lead, {
    assignTo,
    exclude: away ? [owner!.id] : owners,
    ...(away ? { presentOnly: true, formerOwners: owners } : {}),
    ...(ownerPick ? { ownerPick } : {}),
  });
  const next = assignment.rep;
  if (!next) {
    if (away) {
      // nobody there to take it: the queue's manager decides (ADR 0041); the ladder is not done by it
      const why = `${action.why ?? `${owner!.name} is out of office ${away.from} to ${away.to}`} and nobody present in the queue can take the lead`;
      return handToManager(deps, lead, action, attempts, now, why, { ...away, noRep: true }, false);
    }
    const why = rescue
      ? `the owner "${lead.ownerId}" is not in SLA ${sla.version} and no rep of the queue can take the lead`
      : `no other rep of the queue can take the lead from ${owner!.name}`;
    const cause: HandoverCause = rescue
      ? { kind: 'ownerMissing', ownerId: lead.ownerId ?? '', slaVersion: sla.version, noRep: true }
      : { kind: 'noOtherRep', ownerId: owner!.id };
    return handToManager(deps, lead, action, attempts, now, why, cause);
  }
  // its own instant, after a call logged in the handover it ends in this millisecond (ADR 0091)
  const since = nextHandoverAt(lead, now.toISOString());
  const hadItBefore = away !== undefined && owners.includes(next.id);
  const reason = away
    ? `${action.why ?? `${owner!.name} is out of office ${away.from} to ${away.to}`}${hadItBefore ? `, and nobody present in the queue who has not had the lead since its handoff can take it: back to ${next.name}` : ''}`
    : rescue
      ? `${lead.ownerId} is no longer in the SLA`
      : `the first touch was ${overdue} business hours overdue`;
  const cause: HandoverCause = away
    ? { ...away, ...(hadItBefore ? { hadItBefore } : {}) }
    : rescue
      ? { kind: 'ownerLeft', ownerId: lead.ownerId ?? '' }
      : { kind: 'overdue', hours: overdue };
  const handOver = (current: LeadState): LeadState =>
    // a new handover: the first-touch terms of the SLA in force now (ADR 0059)
    withHandoverTerms(
      sla,
      // the cadence facts of the new handover (ADR 0053): restarted with the clock, or standing with it
      reassignedWithCadenceLog(sla, current, {
        ...current,
        ownerId: next.id,
        ownerSince: since,
        // every owner gets the whole ladder; the ladder's own reassignments are counted and bounded (an absence
        // is nobody's late first touch: not counted, ADR 0043)
        escalationsTaken: 0,
        reassignments: (current.reassignments ?? 0) + (rescue || away ? 0 : 1),
      }),
    );
  // an open deal has no first touch to make: its stale timer runs on from its stage
  const firstTouch = lead.deal ? undefined : handoverClock(sla, handOver(lead), repCalendar(sla, next)).dueAt;
  return {
    what: `reassigned from ${lead.ownerId} to ${next.id}: ${reason}`,
    email: {
      key: action.key,
      email: {
        type: 'reassigned',
        ...(owner ? { fromId: owner.id } : {}),
        toId: next.id,
        since,
        ...(firstTouch ? { dueAt: firstTouch.toISOString() } : {}),
        reason,
        cause,
      },
    },
    apply: (current) =>
      withTimeline(handOver(current), {
        at: since,
        kind: 'owner',
        ...(lead.ownerId ? { from: lead.ownerId } : {}),
        to: next.id,
        by: 'workflow',
        reasons: [
          {
            rule: away
              ? 'routing.ownerAway'
              : rescue
                ? 'routing.ownerMissing'
                : `handoff.escalation.${action.step}`,
            detail: reason,
          },
          ...assignment.reasons,
        ],
      }),
  };
}

/**
 * "Still over to you" (ADR 0085): the manager the ladder handed the lead to (LeadState.takenOver, the planner's
 * `managerId`), reminded that no first touch has followed; the manager only: the owner has their cadence's.
 */
async function remindTakeover(
  deps: TaskDeps,
  lead: LeadState,
  action: Extract<PlannedAction, { type: 'remindTakeover' }>,
  attempts: readonly Attempt[],
): Promise<Effect> {
  const { sla } = deps;
  const owner = sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const manager = managerById(sla, action.managerId);
  if (!owner || !manager) return { what: 'no owner or manager for the takeover reminder' };
  const { owners, headline, summary } = await takeoverHeadline(deps, lead, attempts);
  const since = action.since.toISOString();
  return {
    what: `takeover reminder ${action.n} to ${manager.id}: over to them since ${since}, no first touch`,
    email: {
      key: action.key,
      email: {
        type: 'managerTakeover',
        ownerId: owner.id,
        managerId: manager.id,
        headline,
        why: `no first touch since the lead was handed over at ${since}`,
        summary,
        dueAt: action.dueAt.toISOString(),
        owners,
        reminder: { n: action.n, since, recycleAt: action.recycleAt.toISOString() },
      },
    },
    // a takeover read from an older state (takeover-reminder.ts takenOverNow) is stored by its first reminder's
    // write: whom and when fixed, and the queue the manager may give the lead to
    apply: (current) => withTakeoverStored(sla, current),
  };
}

/**
 * "no first touch after 3 reps", or "2 of 3 reps made no first touch; Mats Lindqvist did" (a call logged late,
 * ADR 0089): the handovers since the handoff as the SLA report judges them (also those whose entries moved off: the
 * carry keeps them; one ended untouched before its deadline is not counted; a rep who had the lead twice, given
 * back when nobody else could take it, is one rep); the takeover's and its reminders' alike.
 */
async function takeoverHeadline(
  deps: TaskDeps,
  lead: LeadState,
  attempts: readonly Attempt[],
): Promise<{ owners: string[]; headline: string; summary: TakeoverHeadline }> {
  const owners = await handoffOwners(deps, lead);
  // the report's judgement of the handovers when the state tells them all (ADR 0089); else the attempts' reps
  const handovers = handoversSinceHandoff(deps.sla, lead);
  const summary = handovers ? judgedHeadline(handovers) : untouchedHeadline(owners, attempts);
  return { owners, headline: takeoverHeadlineText(deps.sla, summary), summary };
}

/**
 * The ladder ran out (after maxReassignments), or nobody can take the lead: its queue's manager
 * (else ops, else the deployment's ops address) is told, and the timeline says so. The lead stays
 * with its owner; `ladderDone` marks the ladder's rungs as dealt with.
 */
async function handToManager(
  deps: TaskDeps,
  lead: LeadState,
  action: Extract<PlannedAction, { type: 'escalate' }>,
  attempts: readonly Attempt[],
  now: Date,
  why: string,
  cause: HandoverCause | undefined,
  ladderDone = true,
): Promise<Effect> {
  const { sla } = deps;
  // a reassign rung after the one that handed this handover over (the ladder may go on: "4bh reassign; 1bd
  // reassign") has nothing to hand: the lead is over to that manager already, reminded from that takeover (ADR 0085),
  // counted once. An owner who left the SLA since is news: its manager hears of it as before
  const ladders = cause?.kind === 'ladderDone' || cause?.kind === 'noOtherRep';
  const already = ladderDone && ladders ? takenOverNow(sla, lead) : undefined;
  if (already)
    return {
      what: `escalation step ${action.step}: over to ${already.to} since ${already.at} already (${why})`,
      apply: (current) => ({ ...current, escalationsTaken: action.step }),
    };
  const owner = sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const contact = queueManagerFor(sla, lead, owner, now);
  const { owners, ...untouched } = await takeoverHeadline(deps, lead, attempts);
  // an owner who is away (ADR 0043) may have worked the lead: it needs someone there, whatever its touches
  const needsOwner = lead.deal || !owner || cause?.kind === 'ownerAway';
  const headline = needsOwner ? 'the lead needs an owner' : untouched.headline;
  const summary: TakeoverHeadline = needsOwner ? { kind: 'needsOwner' } : untouched.summary;
  const to = contact.manager?.id ?? 'ops';
  return {
    what: `handed to ${to}: ${headline} (${why})`,
    email: {
      key: action.key,
      email: {
        type: 'managerTakeover',
        ...(owner ? { ownerId: owner.id } : {}),
        ...(contact.manager ? { managerId: contact.manager.id } : {}),
        headline,
        why,
        summary,
        ...(cause ? { cause } : {}),
        // "first touch was due by": not for a later step of an absent owner's cadence (ADR 0043)
        ...(lead.deal || (cause?.kind === 'ownerAway' && cause.step > 1)
          ? {}
          : { dueAt: action.dueAt.toISOString() }),
        owners,
        ...(contact.standsInFor ? { standsInFor: contact.standsInFor } : {}),
      },
    },
    apply: (current) =>
      withTimeline(
        ladderDone
          ? // the ladder is done: the handover is over to `to`, whose "still over to you" reminders count from now
            {
              ...current,
              escalationsTaken: action.step,
              takenOver: {
                handover: handoverKey(current),
                to,
                at: now.toISOString(),
                reps: [...leadQueue(sla, current).reps],
              },
            }
          : current,
        {
          at: now.toISOString(),
          kind: 'escalation',
          ...(lead.ownerId ? { from: lead.ownerId } : {}),
          to,
          by: 'workflow',
          // the handover is over to `to` (not when the ladder goes on): its report fact (report-facts.ts, ADR 0090)
          ...(ladderDone ? { data: { takenOver: handoverKey(current) } } : {}),
          reasons: [
            { rule: 'handoff.escalation.manager', detail: `${headline}: ${why}` },
            ...contact.reasons,
          ],
        },
      ),
  };
}
