/**
 * The headline of a manager's takeover ("Over to you") and of its "still over to you" reminders (ADR 0085, 0089):
 * of the reps who had the lead since its handoff, how many made no first touch, and who did. One computation for
 * both emails (tasks/advance.ts).
 *
 * A rep made a first touch when a call was made in their handover: by its time, whoever made it, also when it was
 * logged after the ladder had passed the lead on (a CRM's late sync, api/sales-actions.ts), as the workflow and the
 * SLA report count it. The ladder only sees what is logged in time, so a takeover can follow a rep who did call:
 * its headline must not say nobody did (ADR 0089). A rep who had the lead twice is one rep (ADR 0043).
 * judgedHeadline reads the handovers as the report judges them; untouchedHeadline, the attempts' reps, is for a
 * lead whose state does not tell them all (stored before, or more handovers than the carry keeps).
 *
 * Pure.
 */
import type { TakeoverHeadline } from './handover-cause.ts';
import type { Attempt } from './lead-state.ts';
import type { KeptHandover } from './report-facts.ts';

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

/**
 * The headline from the handovers since the handoff as the report judges them (report-facts.ts
 * handoversSinceHandoff), so the manager's email and the manager's report tell one story (ADR 0089):
 * - a handover is touched by a call made in it, by its time, whoever made it (a `repId` of a rep who never had the
 *   lead too: the workflow stopped chasing on it, and the report counts it met); the rep of a touched handover did;
 * - a handover taken away untouched before its first-touch deadline (two reassignments in one millisecond, a
 *   manager's quick change) is neither met nor breached in the report: its rep is not among those who made none;
 * - the current handover always counts (the ladder ran out on it). A rep who had the lead twice is one rep.
 */
export function judgedHeadline(
  handovers: readonly Pick<KeptHandover, 'at' | 'owner' | 'dueAt' | 'touched'>[],
): Extract<TakeoverHeadline, { kind: 'noFirstTouch' }> {
  const held = handovers.filter((handover, i) => {
    const next = handovers[i + 1]?.at;
    return handover.touched || next === undefined || handover.dueAt === undefined || next > handover.dueAt;
  });
  const reps = [...new Set(held.map((handover) => handover.owner))];
  const touchedBy = reps.filter((rep) => held.some((handover) => handover.owner === rep && handover.touched));
  if (touchedBy.length === 0) return { kind: 'noFirstTouch', reps: reps.length };
  return { kind: 'noFirstTouch', reps: reps.length - touchedBy.length, touchedBy };
}
