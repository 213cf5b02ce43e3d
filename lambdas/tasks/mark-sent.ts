/**
 * The mark that says a claim's emails went out (LeadStore.markSent), retried here, beyond the SDK's own three
 * tries each (jittered, ~6 s at most): the emails are out, and a retry of the whole task could not tell a
 * sent email from an unsent one, so it would send them again once the claim's lease is over. Only a store
 * down for longer than this (or the process dying right here) costs a copy. Every writer of a mark uses it:
 * the park after its sends (tasks/park.ts), a wake after its own (tasks/wake.ts).
 */
import type { LeadState } from '../domain/lead-state.ts';
import { jitteredBackoffMs, type LeadStore, sleep } from '../ports/lead-store.ts';

/** attempts at the mark, beyond the SDK's own three tries each */
export const MARK_ATTEMPTS = 5;

export async function markSentRetried(
  store: Pick<LeadStore, 'markSent'>,
  leadId: string,
  claim: string,
  at: string,
  written?: { readonly state: LeadState; readonly since: number },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await store.markSent(leadId, claim, at, written?.state, written?.since);
      return;
    } catch (error) {
      if (attempt >= MARK_ATTEMPTS) throw error;
      await sleep(jitteredBackoffMs(attempt, 100, 2000));
    }
  }
}
