/**
 * "Still over to you" (ADR 0085): once the escalation ladder has handed a lead to a manager and no first touch
 * follows, that manager is reminded every `handoff.remindManagerEvery`, counted from the takeover
 * (LeadState.takenOver, or what a lead taken over before it was stored records of it: takenOverNow). Pure: the
 * keys of the reminders, and the takeover of the lead's current handover.
 */
import { addDuration, repCalendar } from './business-hours.ts';
import { queueManagerFor } from './escalation-contact.ts';
import { handoverClock, handoverKey } from './handover-terms.ts';
import type { LeadState } from './lead-state.ts';
import { leadQueue } from './routing.ts';
import type { Sla } from './sla-schema.ts';

export const TAKEOVER_REMINDER_KIND = 'takeover';

/** The dedupe key of the n-th "still over to you" reminder of a handover (`handover`: the lead's handover key). */
export function takeoverReminderKey(cycle: number, handover: string, n: number): string {
  return `${TAKEOVER_REMINDER_KIND}:${cycle}:${handover}:${n}`;
}

/**
 * The highest count of the handover's reminders recorded as sent, 0 for none: a plan never sends a count at or
 * below it (an SLA change to a longer interval lowers the count due, and the lower keys are no longer kept).
 */
export function latestTakeoverReminder(lead: Pick<LeadState, 'cycle' | 'sent'>, handover: string): number {
  const prefix = takeoverReminderKey(lead.cycle, handover, 0).slice(0, -1);
  let latest = 0;
  for (const key of lead.sent) {
    if (!key.startsWith(prefix)) continue;
    const n = key.slice(prefix.length);
    if (/^\d+$/.test(n)) latest = Math.max(latest, Number(n));
  }
  return latest;
}

/** A takeover as the lead stores it (LeadState.takenOver). */
export type Takeover = NonNullable<LeadState['takenOver']>;

/** What the takeover of a lead's current handover is read from: the one stored, else the older state's record of it. */
export type TakeoverLead = Pick<
  LeadState,
  | 'takenOver'
  | 'ownerSince'
  | 'handedOffAt'
  | 'updatedAt'
  | 'cycle'
  | 'sent'
  | 'escalationsTaken'
  | 'handoverTerms'
  | 'leadType'
  | 'fields'
  | 'ownerId'
  | 'timeline'
>;

/**
 * The lead's takeover, when it is of its current handover and its "Over to you" was not dropped at its send
 * (`dropped`: the manager was never told): the manager (or "ops") the lead is over to now. The
 * one rule of the planner, the recycle, the late-send check and the console's reach. A lead the ladder handed
 * over before the release that stored `takenOver` (commit be17914) has its takeover read from what that
 * state records (takeoverOnRecord), so it is reminded and in reach as one taken over since.
 */
export function takenOverNow(sla: Sla, lead: TakeoverLead): Takeover | undefined {
  const handover = handoverKey(lead);
  // a takeover whose "Over to you" was dropped at its send told nobody: over to no one (late-send.ts)
  if (lead.takenOver?.handover === handover) return lead.takenOver.dropped ? undefined : lead.takenOver;
  return takeoverOnRecord(sla, lead, handover);
}

/**
 * The takeover of the current handover as a state that stored no `takenOver` records it. The older
 * handToManager wrote, in one write, the ladder's rung as taken (`escalationsTaken`), its "Over to you" email's
 * key (`escalate:<cycle>:<handover>:<rung>`) and an `escalation` entry to whom it went; nothing else of the
 * ladder leaves a reassign rung taken with no handover after it (a reassignment is a new handover: rungs and keys
 * start again). So: a reassign rung of the ladder the handover runs on (kept, ADR 0059, else the SLA's) among the
 * rungs taken, its key sent on this handover. Whom and when: the takeover's entry (the first `escalation` to a
 * manager at or after that rung fell due) while it is on the state; once it moved off (ADR 0021) the state cannot
 * tell, and the takeover is read as made when the rung fell due (when the workflow takes a rung: only downtime
 * makes it later) by the manager the ladder hands the lead to now (the queue's, else ops', else the owner's
 * manager: escalation-contact.ts, without a stand-in, whose absence is of a day no longer known). `reps` is
 * left out: the queue by the lead's type and country until a write stores the takeover (withTakeoverStored).
 */
function takeoverOnRecord(sla: Sla, lead: TakeoverLead, handover: string): Takeover | undefined {
  const taken = lead.escalationsTaken ?? 0;
  if (taken === 0) return undefined;
  const owner = sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const cal = owner ? repCalendar(sla, owner) : sla.calendar;
  const clock = handoverClock(sla, lead, cal);
  const rung = clock.ladder
    .slice(0, taken)
    .findIndex(
      (step, index) =>
        step.action === 'reassign' && lead.sent.includes(`escalate:${lead.cycle}:${handover}:${index + 1}`),
    );
  if (rung < 0) return undefined;
  // when the rung fell due, as the planner times it (lead-plan.ts planContact: from the deadline or the handover)
  const since = new Date(handover);
  const ladderStart = clock.dueAt > since ? clock.dueAt : since;
  const dueAt = addDuration(cal, ladderStart, clock.ladder[rung]!.after);
  const entry = lead.timeline.find(
    (candidate) =>
      candidate.kind === 'escalation' &&
      candidate.to !== undefined &&
      candidate.reasons[0]?.rule === 'handoff.escalation.manager' &&
      Date.parse(candidate.at) >= dueAt.getTime(),
  );
  if (entry) return { handover, to: entry.to!, at: entry.at };
  return { handover, to: queueManagerFor(sla, lead, owner).manager?.id ?? 'ops', at: dueAt.toISOString() };
}

/**
 * `lead` with the takeover of its current handover stored, when it is one read from an older state: the write
 * that stores it fixes whom and when, and the queue (`reps`) as its type and country choose it now, so that a
 * field edited later cannot widen it (ADR 0088). Otherwise `lead` itself.
 */
export function withTakeoverStored<T extends TakeoverLead>(sla: Sla, lead: T): T {
  const over = takenOverNow(sla, lead);
  if (!over || over === lead.takenOver) return lead;
  return { ...lead, takenOver: { ...over, reps: [...leadQueue(sla, lead).reps] } };
}
