import { type LeadState, SENT_KEYS_CAP, withTimeline } from '../domain/lead-state.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { TaskDeps } from './deps.ts';

/**
 * Sends an email at most once per `key`, then records what it changed:
 * 1. claim `key` on the lead (a second claim finds it taken and sends nothing);
 * 2. send; if that fails, release the claim and rethrow, so the state machine's Retry sends it;
 * 3. apply `change` (the escalation step taken, the nurture progress, the new owner) with a
 *    timeline entry. `change` must be idempotent: it also runs when the key was already
 *    claimed, so a task that crashed between sending and recording still records.
 */
export async function sendOnce(
  deps: TaskDeps,
  lead: LeadState,
  key: string,
  /** what is sent, for the lead's timeline, e.g. "reminder to jonas: attempt 2 of 6 (email)" */
  what: string,
  send: () => Promise<void>,
  change: (current: LeadState) => LeadState = (current) => current,
): Promise<void> {
  let claimed = false;
  await updateLead(deps.store, lead.leadId, (current) => {
    if (current.sent.includes(key)) return undefined;
    claimed = true;
    return { ...current, sent: [...current.sent, key].slice(-SENT_KEYS_CAP) };
  });
  if (claimed) {
    try {
      await send();
    } catch (error) {
      await updateLead(deps.store, lead.leadId, (current) => ({
        ...current,
        sent: current.sent.filter((k) => k !== key),
      }));
      throw error;
    }
  }
  await updateLead(deps.store, lead.leadId, (current) => {
    const changed = change(current);
    if (!claimed && changed === current) return undefined;
    const at = deps.clock.now().toISOString();
    const updated = { ...changed, updatedAt: at };
    return claimed
      ? withTimeline(updated, {
          at,
          kind: 'email',
          by: 'workflow',
          reasons: [{ rule: `workflow.${key.split(':')[0]}`, detail: what }],
        })
      : updated;
  });
}
