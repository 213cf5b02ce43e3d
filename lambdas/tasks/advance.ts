/**
 * The Advance task: re-read the lead (DynamoDB is the state of record), judge it again (time
 * decays engagement), perform what the plan says is due, and tell the state machine what
 * comes next. Emails are claimed on the lead before they are sent (a dedupe key), so a
 * retried task never mails twice.
 */
import { businessHoursBetween, repCalendar } from '../domain/business-hours.ts';
import { type Plan, type PlannedAction, planNext } from '../domain/lead-plan.ts';
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
      await updateLead(deps.store, lead.leadId, (current) => {
        const { state, result } = applyToLead(
          sla,
          current,
          { kind: 'cadenceExhausted', at: now, coolOff: action.coolOff },
          now,
          'workflow',
          'cadence',
        );
        return result.rejected ? undefined : state;
      });
      return 'cadence exhausted: recycled';
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

async function escalate(
  deps: TaskDeps,
  lead: LeadState,
  action: Extract<PlannedAction, { type: 'escalate' }>,
  now: Date,
): Promise<string> {
  const { sla } = deps;
  const owner = sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const taken = (current: LeadState): LeadState => ({ ...current, escalationsTaken: action.step });
  if (!owner) {
    await updateLead(deps.store, lead.leadId, taken);
    return 'escalation skipped: no owner';
  }
  const overdue = Math.round(businessHoursBetween(repCalendar(sla, owner), action.dueAt, now) * 10) / 10;
  if (action.action === 'remindOwner') {
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
  if (action.action === 'notifyManager') {
    const manager = sla.routing.managers.find((candidate) => candidate.id === owner.manager);
    if (!manager) {
      await updateLead(deps.store, lead.leadId, taken);
      return `escalation skipped: ${owner.id} has no manager`;
    }
    const what = `first touch ${overdue} business hours overdue: told manager ${manager.id} (cc ${owner.id})`;
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
  const { assignTo } = typePath(sla, lead.leadType);
  const assignment = await assignOwner(deps, lead, { assignTo, exclude: [owner.id] });
  const next = assignment.rep;
  if (!next) {
    await updateLead(deps.store, lead.leadId, taken);
    return 'reassignment: no other rep available';
  }
  const what = `reassigned from ${owner.id} to ${next.id}: first touch overdue`;
  const handOver = (current: LeadState): LeadState => ({
    ...taken(current),
    ownerId: next.id,
    ownerSince: now.toISOString(),
  });
  await once(
    deps,
    lead,
    action.key,
    what,
    () =>
      // the lead as it is about to be saved: the new owner's links are bound to the new handover
      deps.notifier.reassigned(
        handOver(lead),
        owner,
        next,
        firstTouchDue(sla, repCalendar(sla, next), now, lead.leadType),
      ),
    (current) =>
      withTimeline(handOver(current), {
        at: now.toISOString(),
        kind: 'owner',
        from: owner.id,
        to: next.id,
        by: 'workflow',
        reasons: assignment.reasons,
      }),
  );
  return what;
}
