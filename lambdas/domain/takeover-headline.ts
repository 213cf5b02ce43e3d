/**
 * The headline of a manager's takeover ("Over to you") and of its "still over to you" reminders (ADR 0085, 0089):
 * of the reps who had the lead since its handoff, how many made no first touch, and who did. One computation for
 * both emails (tasks/advance.ts).
 *
 * A rep made a first touch when an attempt since the handoff is theirs: an attempt is the rep's who had the lead
 * when the call was made, also when it was logged after the ladder had passed the lead on (a CRM's late sync,
 * api/sales-actions.ts). The ladder only sees what is logged in time, so a takeover can follow a rep who did call:
 * its headline must not say nobody did (ADR 0089). A rep who had the lead twice is one rep (ADR 0043).
 *
 * Pure.
 */
import type { TakeoverHeadline } from './handover-cause.ts';
import type { Attempt } from './lead-state.ts';

/**
 * `owners`: every owner since the handoff, in order (a rep who had it twice may appear twice); `attempts`: the
 * lead's attempts since the handoff, whenever logged.
 */
export function untouchedHeadline(
  owners: readonly string[],
  attempts: readonly Pick<Attempt, 'repId'>[],
): Extract<TakeoverHeadline, { kind: 'noFirstTouch' }> {
  const reps = [...new Set(owners)];
  const touched = new Set(attempts.map((attempt) => attempt.repId));
  const touchedBy = reps.filter((rep) => touched.has(rep));
  if (touchedBy.length === 0) return { kind: 'noFirstTouch', reps: reps.length };
  return { kind: 'noFirstTouch', reps: reps.length - touchedBy.length, touchedBy };
}
