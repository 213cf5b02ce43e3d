import { type LeadState, SENT_KEYS_CAP, withTimeline } from '../domain/lead-state.ts';
import { jitteredBackoffMs, sleep, updateLead } from '../ports/lead-store.ts';
import type { TaskDeps } from './deps.ts';

/**
 * Sends an email once per `key` (an outbox on the lead's own item):
 * 1. claim `key` as sending (`sending`); a key already sent is done, nothing is sent;
 * 2. send; if that fails, release the claim and rethrow, so the state machine's Retry sends it;
 * 3. in one write: mark `key` sent, apply `change` (the escalation step taken, the nurture
 *    progress, the new owner) and add the timeline entry. `change` must be idempotent: it also
 *    runs when the key was already sent, so a task that crashed after recording still records.
 * A claim still marked sending when a task comes back to it was left by a task that crashed or
 * was killed mid-send (one execution per lead: tasks of a lead never run side by side): the
 * email is sent again. A crash after the mail service accepted the email but before step 3 can
 * therefore send it twice, a window of one write; a crash before the send never loses it. A store
 * fault in that window (one that outlasts the SDK's own retries) is retried here (recordSent), not
 * by failing the task, whose retry would send the email again.
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
    const sending = (current.sending ?? []).filter((k) => k !== key);
    return { ...current, sending: [...sending, key].slice(-SENT_KEYS_CAP) };
  });
  if (claimed) {
    try {
      await send();
    } catch (error) {
      await updateLead(deps.store, lead.leadId, (current) =>
        current.sending?.includes(key)
          ? { ...current, sending: current.sending.filter((k) => k !== key) }
          : undefined,
      );
      throw error;
    }
  }
  await recordSent(deps, lead.leadId, (current) => {
    const changed = change(current);
    const justSent = !current.sent.includes(key);
    if (!justSent && changed === current) return undefined;
    const at = deps.clock.now().toISOString();
    const updated: LeadState = justSent
      ? {
          ...changed,
          sent: [...changed.sent, key].slice(-SENT_KEYS_CAP),
          sending: (changed.sending ?? []).filter((k) => k !== key),
          updatedAt: at,
        }
      : { ...changed, updatedAt: at };
    return justSent
      ? withTimeline(updated, {
          at,
          kind: 'email',
          by: 'workflow',
          reasons: [{ rule: `workflow.${key.split(':')[0]}`, detail: what }],
        })
      : updated;
  });
}

/** tries to record a sent email before the task gives up (jittered waits, at most 0.2, 0.4, 0.8 s) */
const RECORD_TRIES = 4;

async function recordSent(
  deps: TaskDeps,
  leadId: string,
  change: (current: LeadState) => LeadState | undefined,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await updateLead(deps.store, leadId, change);
      return;
    } catch (error) {
      if (attempt >= RECORD_TRIES) throw error;
      await sleep(jitteredBackoffMs(attempt, 100));
    }
  }
}
