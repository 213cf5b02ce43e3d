import type { LeadState } from '../domain/lead-state.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { TaskDeps } from './deps.ts';

const SENT_KEYS_KEPT = 300;

/**
 * Claims `key` on the lead (with `change`), then sends; a second claim of the same key finds
 * it taken and sends nothing. If sending fails the claim is released and the error rethrown,
 * so the state machine's Retry sends it later.
 */
export async function sendOnce(
  deps: TaskDeps,
  lead: LeadState,
  key: string,
  send: () => Promise<void>,
  change: (current: LeadState) => LeadState = (current) => current,
): Promise<void> {
  let claimed = false;
  await updateLead(deps.store, lead.leadId, (current) => {
    if (current.sent.includes(key)) return undefined;
    claimed = true;
    return {
      ...change(current),
      sent: [...current.sent, key].slice(-SENT_KEYS_KEPT),
      updatedAt: deps.clock.now().toISOString(),
    };
  });
  if (!claimed) return;
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
