/**
 * Erase leaves nothing on disk, locally. `DELETE /leads/{id}` (lambdas/api/lead-erase.ts, the same code as on
 * AWS) deletes the lead's events and attempts, then saves its state stripped of personal data. On DynamoDB
 * that is the end of it; dynalite's LevelDB keeps the old values in its files until a compaction. This wraps
 * the local store so that the save which marks a lead erased is followed by a scrub of the store (a full
 * compaction, see local/dynalite.ts) before it resolves: when the DELETE answers, no copy of the erased
 * data is left under `--data`. The handler and the store adapter know nothing of it.
 *
 * Crash safety: the store is scrubbed at every start as well, so a crash between the erase and its scrub is
 * repaired by the next start. A failed scrub is logged (no personal data) and does not fail the erase, which
 * is done in DynamoDB terms; the next erase or start scrubs again.
 */
import type { LeadState, LeadStore } from '../lambdas/ports/lead-store.ts';

/**
 * The store, with `saveLead` of an erased state followed by `scrub()`. Every other method passes through
 * (a Proxy, so methods added to the port later pass through too). A lead is scrubbed for once per process:
 * later saves of an already erased lead (a dropped event, a counter) add no personal data.
 */
export function scrubAfterErase<S extends LeadStore>(store: S, scrub: () => Promise<void>): S {
  const scrubbed = new Set<string>();
  const saveLead = async (state: LeadState, expectedVersion: number, stored?: LeadState) => {
    const result = await store.saveLead(state, expectedVersion, stored);
    if (result === 'saved' && state.erasedAt && !scrubbed.has(state.leadId)) {
      try {
        await scrub();
        scrubbed.add(state.leadId);
      } catch (error) {
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'scrubbing the local store after an erase failed; the next erase or start retries',
            error: error instanceof Error ? error.name : 'unknown',
          }),
        );
      }
    }
    return result;
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'saveLead') return saveLead;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
