/**
 * "Still over to you" (ADR 0085): once the escalation ladder has handed a lead to a manager and no first touch
 * follows, that manager is reminded every `handoff.remindManagerEvery`, counted from the takeover
 * (LeadState.takenOver). Pure: the keys of the reminders.
 */
import { handoverKey } from './handover-terms.ts';
import type { LeadState } from './lead-state.ts';

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

/** The lead's takeover, when it is of its current handover: the manager (or "ops") the lead is over to now. */
export function takenOverNow(
  lead: Pick<LeadState, 'takenOver' | 'ownerSince' | 'handedOffAt' | 'updatedAt'>,
): LeadState['takenOver'] {
  return lead.takenOver?.handover === handoverKey(lead) ? lead.takenOver : undefined;
}
