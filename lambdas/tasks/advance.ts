/**
 * The Advance task: re-read the lead (DynamoDB is the state of record), judge it again (time
 * decays engagement), perform what the plan says is due, and tell the state machine what
 * comes next. Emails are claimed on the lead before they are sent (a dedupe key), so a
 * retried task never mails twice.
 */
import { businessHoursBetween, repCalendar } from '../domain/business-hours.ts';
import { managerFor, queueManagerFor } from '../domain/escalation-contact.ts';
import { handoverStart, type Plan, type PlannedAction, planNext } from '../domain/lead-plan.ts';
import { applyToLead, type LeadState, rejudgeLead, withTimeline } from '../domain/lead-state.ts';
import { typePath } from '../domain/lead-type.ts';
import { firstTouchDue } from '../domain/sla-breach.ts';
import { updateLead } from '../ports/lead-store.ts';
import { assignOwner } from './assign-owner.ts';
import type { TaskDeps } from './deps.ts';
import {
  type AdvanceInput,
  type LeadRef,
  MAX_EXECUTION_AGE_MS,
  MAX_LOOPS_PER_EXECUTION,
  MAX_PARK_SECONDS,
  type StepPayload,
} from './payload.ts';
import { sendOnce as once } from './send-once.ts';

/** after this many act-and-replan rounds in one invocation something is wrong: park and look again */
const MAX_ROUNDS = 10;

export async function advance(deps: TaskDeps, input: AdvanceInput): Promise<StepPayload> {
  const ref = { ...pickRef(input), loops: input.loops + 1 };
  const now = deps.clock.now();
  if (
    input.loops >= MAX_LOOPS_PER_EXECUTION ||
    now.getTime() - Date.parse(input.startedAt) > MAX_EXECUTION_AGE_MS
  ) {
    return {
      ...ref,
      next: 'continueAsNew',
      nextGeneration: input.generation + 1,
      nextStartedAt: now.toISOString(),
      did: ['continue as new'],
    };
  }
  const did: string[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const lead = await rejudged(deps, input.leadId, now);
    // a newer cycle (the person came back after erasure) has its own execution
    if (!lead || lead.cycle !== input.cycle) return { ...ref, next: 'end', did: [...did, 'not this cycle'] };
    const attempts = (await deps.store.listAttempts(lead.leadId)).filter(
      (attempt) => lead.handedOffAt !== undefined && attempt.at >= lead.handedOffAt,
    );
    const { skipNurture } = typePath(deps.sla, lead.leadType);
    const plan = planNext(deps.sla, { lead, attempts, now, skipNurture });
    if (plan.kind === 'end') {
      // the last park's token is spent; a dormant lead's next signal (a form post, an event, a
      // rep's update) starts the next generation instead
      await updateLead(deps.store, lead.leadId, (current) => {
        if (!current.waitToken && !current.dueAt && (!plan.dormant || current.dormant)) return undefined;
        // nothing is due any more: out of the due index, so the reconciler leaves it alone
        const { waitToken: _spent, dueAt: _none, ...rest } = current;
        return plan.dormant
          ? { ...rest, dormant: { at: now.toISOString(), generation: input.generation } }
          : rest;
      });
    }
    if (plan.kind !== 'park' || plan.actions.length === 0) return stepFor(ref, plan, lead, now, did);
    for (const action of plan.actions) did.push(await perform(deps, lead, action, now));
  }
  const lead = await deps.store.getLead(input.leadId);
  return { ...ref, next: 'park', phase: 'nurture', waitSeconds: 3600, version: lead?.version ?? 0, did };
}

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
  return { ...ref, next: 'park', phase: plan.phase, waitSeconds, version: lead.version, did };
}

async function rejudged(deps: TaskDeps, leadId: string, now: Date): Promise<LeadState | undefined> {
  const { state } = await updateLead(deps.store, leadId, async (current) =>
    rejudgeLead(deps.sla, current, await deps.store.listEvents(leadId), now, 'workflow'),
  );
  return state;
}

/** Only the reference travels on: the payload stays small whatever a task returned before. */
export const pickRef = (input: LeadRef): LeadRef => ({
  leadId: input.leadId,
  cycle: input.cycle,
  generation: input.generation,
  loops: input.loops,
  startedAt: input.startedAt,
});

async function perform(deps: TaskDeps, lead: LeadState, action: PlannedAction, now: Date): Promise<string> {
  const { sla } = deps;
  const owner = sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  switch (action.type) {
    case 'sendNurture': {
      const what = `nurture email ${action.index + 1} of track ${action.track.id}`;
      await once(
        deps,
        lead,
        action.key,
        what,
        () => deps.notifier.nurture(lead, action.track, action.index),
        (current) => ({
          ...current,
          nurture: {
            trackId: action.track.id,
            sent: action.index + 1,
            startedAt:
              current.nurture?.trackId === action.track.id ? current.nurture.startedAt : now.toISOString(),
            lastSentAt: now.toISOString(),
          },
        }),
      );
      return what;
    }
    case 'requestConsent': {
      await once(deps, lead, action.key, 'consent confirmation email', () =>
        deps.notifier.consentRequest(lead),
      );
      return 'consent confirmation email';
    }
    case 'remindAttempt': {
      if (!owner) return 'no owner to remind';
      const step = action.cadence.steps[action.step - 1]!;
      const what = `reminder to ${owner.id}: attempt ${action.step} of ${action.of} (${step.channel})`;
      await once(deps, lead, action.key, what, () =>
        deps.notifier.attemptDue(lead, owner, {
          step: action.step,
          of: action.of,
          channel: step.channel,
          ...(step.note ? { note: step.note } : {}),
          dueAt: action.dueAt,
        }),
      );
      return what;
    }
    case 'enterTrack':
      await updateLead(deps.store, lead.leadId, (current) => ({
        ...current,
        nurture: { trackId: action.track.id, sent: 0, startedAt: now.toISOString() },
      }));
      return `entered nurture track ${action.track.id}`;
    case 'escalate':
      return escalate(deps, lead, action, now);
    case 'exhaustCadence':
      return recycle(deps, lead, action, now);
    case 'endCoolOff':
      await updateLead(deps.store, lead.leadId, (current) => {
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
      });
      return 'cool-off over';
    case 'remindStaleDeal': {
      const stage = sla.deals.stages.find((candidate) => candidate.id === action.stageId);
      if (!owner || !stage) return 'no owner or stage for the stale reminder';
      const what = `stale deal reminder to ${owner.id}: ${stage.name} since ${action.since.toISOString()}`;
      await once(deps, lead, action.key, what, () =>
        deps.notifier.staleDeal(lead, owner, stage, action.since),
      );
      return what;
    }
  }
}

/**
 * The cadence ran out: the lead is recycled with a reason that says what happened, a breach entry
 * on the timeline when attempts were missing (reports count kind "breach"), and a short email to
 * the owner and their manager.
 */
async function recycle(
  deps: TaskDeps,
  lead: LeadState,
  action: Extract<PlannedAction, { type: 'exhaustCadence' }>,
  now: Date,
): Promise<string> {
  const { sla } = deps;
  const owner = sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const { manager } = managerFor(sla, owner, lead);
  const occurrence = {
    kind: 'cadenceExhausted',
    at: now,
    coolOff: action.coolOff,
    logged: action.logged,
    of: action.of,
  } as const;
  const preview = applyToLead(sla, lead, occurrence, now, 'workflow', 'cadence').state;
  const what = action.breach
    ? `cadence expired with ${action.logged} of ${action.of} attempts logged: recycled, SLA breach`
    : `all ${action.of} attempts logged without connecting: recycled`;
  await once(
    deps,
    lead,
    action.key,
    `recycle email to ${owner?.id ?? 'nobody'}${manager ? ` (cc ${manager.id})` : ''}: ${what}`,
    () =>
      deps.notifier.recycled(lead, owner, manager, {
        logged: action.logged,
        of: action.of,
        breach: action.breach,
        ...(preview.coolOffUntil ? { coolOffUntil: new Date(preview.coolOffUntil) } : {}),
      }),
    (current) => {
      // runs again when the key was sent already: a lead released to marketing is done
      if (current.ownerId !== lead.ownerId || current.coolOffUntil) return current;
      const { state, result } = applyToLead(sla, current, occurrence, now, 'workflow', 'cadence');
      if (result.rejected || !action.breach) return state;
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
  );
  return what;
}

/** Rep ids who had the lead since its handoff, in order. */
function ownersSinceHandoff(lead: LeadState): string[] {
  const since = lead.handedOffAt ?? '';
  const owners = lead.timeline
    .filter((entry) => entry.kind === 'owner' && entry.to !== undefined && entry.at >= since)
    .map((entry) => entry.to!);
  if (lead.ownerId && owners.at(-1) !== lead.ownerId) owners.push(lead.ownerId);
  return owners;
}

async function escalate(
  deps: TaskDeps,
  lead: LeadState,
  action: Extract<PlannedAction, { type: 'escalate' }>,
  now: Date,
): Promise<string> {
  const { sla } = deps;
  const owner = sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const taken = (current: LeadState): LeadState => ({ ...current, escalationsTaken: action.step });
  if (action.action === 'handToManager') return handToManager(deps, lead, action, now, action.why ?? '');
  if (!owner && action.action !== 'reassign') {
    // planNext turns a missing owner into a reassignment; an SLA change mid-step lands here
    return handToManager(deps, lead, action, now, `the owner "${lead.ownerId}" is not in SLA ${sla.version}`);
  }
  const cal = owner ? repCalendar(sla, owner) : sla.calendar;
  const overdue = Math.round(businessHoursBetween(cal, action.dueAt, now) * 10) / 10;
  if (action.action === 'remindOwner' && owner) {
    const what = `first touch ${overdue} business hours overdue: reminded ${owner.id}`;
    await once(
      deps,
      lead,
      action.key,
      what,
      () => deps.notifier.firstTouchOverdue(lead, owner, action.dueAt, overdue),
      taken,
    );
    return what;
  }
  if (action.action === 'notifyManager' && owner) {
    const contact = managerFor(sla, owner, lead);
    const manager = contact.manager;
    if (!manager) {
      // nobody in the SLA to tell: the deployment's ops address hears of it
      return handToManager(deps, lead, action, now, `${owner.name} has no manager in this SLA`, false);
    }
    const via = contact.reasons.length > 1 ? ` (${contact.reasons.map((r) => r.detail).join('; ')})` : '';
    const what = `first touch ${overdue} business hours overdue: told manager ${manager.id} (cc ${owner.id})${via}`;
    await once(
      deps,
      lead,
      action.key,
      what,
      () => deps.notifier.managerEscalation(lead, owner, manager, action.dueAt, overdue),
      taken,
    );
    return what;
  }
  // reassign: the ladder's rung, or a rescue when the owner is missing from the SLA
  const rescue = !owner;
  const { assignTo } = typePath(sla, lead.leadType);
  // not back to a rep who already let it lie in this handoff
  const assignment = await assignOwner(deps, lead, { assignTo, exclude: ownersSinceHandoff(lead) });
  const next = assignment.rep;
  if (!next) {
    const why = rescue
      ? `the owner "${lead.ownerId}" is not in SLA ${sla.version} and no rep of the queue can take the lead`
      : `no other rep of the queue can take the lead from ${owner!.name}`;
    return handToManager(deps, lead, action, now, why);
  }
  const since = now.toISOString();
  const reason = rescue
    ? `${lead.ownerId} is no longer in the SLA`
    : `the first touch was ${overdue} business hours overdue`;
  const what = `reassigned from ${lead.ownerId} to ${next.id}: ${reason}`;
  const handOver = (current: LeadState): LeadState => ({
    ...current,
    ownerId: next.id,
    ownerSince: since,
    // every owner gets the whole ladder; the ladder's own reassignments are counted and bounded
    escalationsTaken: 0,
    reassignments: (current.reassignments ?? 0) + (rescue ? 0 : 1),
  });
  const handed = handOver(lead);
  const dueAt = firstTouchDue(sla, repCalendar(sla, next), handoverStart(sla, handed), lead.leadType);
  await once(
    deps,
    lead,
    action.key,
    what,
    // the lead as it is about to be saved: the new owner's links are bound to the new handover
    () => deps.notifier.reassigned(handed, owner, next, dueAt, reason),
    (current) =>
      // runs again when a write's answer was lost after it landed: record the handover once
      current.ownerId === next.id && current.ownerSince === since
        ? current
        : withTimeline(handOver(current), {
            at: since,
            kind: 'owner',
            ...(lead.ownerId ? { from: lead.ownerId } : {}),
            to: next.id,
            by: 'workflow',
            reasons: [
              { rule: rescue ? 'routing.ownerMissing' : `handoff.escalation.${action.step}`, detail: reason },
              ...assignment.reasons,
            ],
          }),
  );
  return what;
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
  now: Date,
  why: string,
  ladderDone = true,
): Promise<string> {
  const { sla } = deps;
  const owner = sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const contact = queueManagerFor(sla, lead, owner);
  const owners = ownersSinceHandoff(lead);
  const untouched = owners.length > 1 ? `no first touch after ${owners.length} reps` : 'no first touch';
  const headline = lead.deal || !owner ? 'the lead needs an owner' : untouched;
  const to = contact.manager?.id ?? 'ops';
  const what = `handed to ${to}: ${headline} (${why})`;
  await once(
    deps,
    lead,
    action.key,
    what,
    () =>
      deps.notifier.managerTakeover(lead, owner, contact.manager, {
        headline,
        why,
        ...(lead.deal ? {} : { dueAt: action.dueAt }),
        owners,
      }),
    (current) =>
      current.timeline.some((entry) => entry.kind === 'escalation' && entry.at === now.toISOString())
        ? current
        : withTimeline(ladderDone ? { ...current, escalationsTaken: action.step } : current, {
            at: now.toISOString(),
            kind: 'escalation',
            ...(lead.ownerId ? { from: lead.ownerId } : {}),
            to,
            by: 'workflow',
            reasons: [
              { rule: 'handoff.escalation.manager', detail: `${headline}: ${why}` },
              ...contact.reasons,
            ],
          }),
  );
  return what;
}
