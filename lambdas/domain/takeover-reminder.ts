/**
 * "Still over to you" (ADR 0085): once the escalation ladder has handed a lead to its queue's manager and no
 * first touch follows, the manager is reminded every `handoff.remindManagerEvery`. Pure: times in, times out.
 */
import { addDuration, type WorkingCalendar } from './business-hours.ts';
import type { Ladder } from './handover-terms.ts';

/**
 * When the ladder handed the current handover to the queue's manager: the due time of its first reassign rung,
 * when that rung is among the `rungsTaken` and the lead is still with the owner (a rung that gave the lead to
 * another rep began a new handover, whose ladder starts again at its first rung). Undefined: no takeover.
 */
export function takenOverAt(
  cal: WorkingCalendar,
  ladder: Ladder,
  ladderStart: Date,
  rungsTaken: number,
): Date | undefined {
  const taken = ladder.slice(0, Math.max(0, rungsTaken));
  const rung = taken.find((candidate) => candidate.action === 'reassign');
  return rung ? addDuration(cal, ladderStart, rung.after) : undefined;
}

/** The dedupe key of the n-th "still over to you" reminder of a handover (`handover`: the lead's handover key). */
export function takeoverReminderKey(cycle: number, handover: string, n: number): string {
  return `${TAKEOVER_REMINDER_KIND}:${cycle}:${handover}:${n}`;
}

export const TAKEOVER_REMINDER_KIND = 'takeover';
