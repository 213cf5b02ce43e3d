/**
 * One lead given today's index keys (LeadStore.indexLead), by the SLA migration and the index pass alike.
 * indexLead writes on the condition of the version it read; a lead written meanwhile ('moved') is looked at
 * again. A full write (PutItem) gave it every key already, so the next look finds nothing missing; an update
 * (a park, a signal taking its token, a recorded execution: UpdateItem) moves the version and touches no key,
 * so a lead woken during the look still lacks them.
 */
import type { LeadStore } from '../ports/lead-store.ts';
import { inPool } from './in-pool.ts';

/** looks at a lead a caller takes at once (the third 'moved' in a row: written at every look) */
export const INDEX_LOOKS = 3;

/**
 * 'indexed' or 'unchanged': the lead holds today's keys (or is gone). 'moved': it was written at each of the
 * INDEX_LOOKS looks and may still lack them: not done (the caller tries it again later, or does not say the
 * keys are complete).
 */
export async function indexLeadSettled(
  indexLead: NonNullable<LeadStore['indexLead']>,
  leadId: string,
): Promise<'indexed' | 'unchanged' | 'moved'> {
  for (let look = 0; look < INDEX_LOOKS; look++) {
    const outcome = await indexLead(leadId);
    if (outcome !== 'moved') return outcome;
  }
  return 'moved';
}

/**
 * Rounds over the leads still written at every look, after the others (so a few more looks each, later): a lead
 * woken three times during its looks is most likely quiet a round later.
 */
export const INDEX_ROUNDS = 3;

/**
 * `indexOne` on each lead (the caller's look: indexLeadSettled, maybe with its errors caught), then again on
 * those it said 'moved', INDEX_ROUNDS rounds at most; each lead's last outcome, in the leads' order. 'moved'
 * still: written at every look of every round, it may lack a key.
 */
export async function indexInRounds<O extends string>(
  leadIds: readonly string[],
  indexOne: (leadId: string) => Promise<O | 'moved'>,
): Promise<(O | 'moved')[]> {
  const outcomes: (O | 'moved')[] = new Array(leadIds.length);
  let pending = leadIds.map((_, i) => i);
  for (let round = 0; round < INDEX_ROUNDS && pending.length > 0; round++) {
    const results = await inPool(pending, (i) => indexOne(leadIds[i]!));
    pending.forEach((i, k) => {
      outcomes[i] = results[k]!;
    });
    pending = pending.filter((_, k) => results[k] === 'moved');
  }
  return outcomes;
}
