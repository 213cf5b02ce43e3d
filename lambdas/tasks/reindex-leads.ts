/**
 * The index pass: every lead, not only those in flight, brought to the index keys this code makes
 * (LeadStore.indexLead): the entries of the indexes added after it was written (the surname index GSI9, the
 * next-step index GSI10) and the search entries of today's fold (ADR 0054: a name stored with a tatweel or a
 * ة was under a key no search of today reaches but by the legacy look-ups). The deploy's migration does this
 * for the leads in flight at once; a customer or a lead at rest is reached here, a little each run.
 *
 * It walks the stage index (GSI2, one partition per lifecycle stage, newest created first), each lead once:
 * a read and, when a key is stale or missing, one conditional update on the version read (a lead written
 * meanwhile is looked at again: a full write gave it every key, an update none; one written at every look is
 * counted as failed, and walked again: index-lead.ts). Its place is one item (IndexPass), saved
 * after each batch on the revision it read: two runs at once cannot both move it, and a run that stops
 * anywhere (a timeout, a crash) goes on from the last save. When the keys' version changes (a new index, a
 * new fold: INDEX_KEYS_VERSION) the pass starts over, INDEX_PASS_WAIT_MS after it first sees it; once done, a
 * run costs one read, and `finishedVersion` tells readers every lead holds that version's keys (the search
 * then drops ADR 0054's look-ups of older spellings); the walk's end also records the later indexes complete
 * (LeadStore.markIndexesComplete: "due today" reads GSI10 from then on, ADR 0053).
 *
 * A lead that changes stage during the pass may be met twice or not at all: either way its writer gave it
 * today's keys. Run by the reconciler (AWS: its scheduled Lambda; locally: its timer), after its own work.
 */
import { LIFECYCLE_STAGES } from '../domain/sla-constants.ts';
import type { Clock } from '../ports/clock.ts';
import type { LeadQueries } from '../ports/lead-queries.ts';
import { INDEX_KEYS_VERSION, type IndexPass, type LeadStore } from '../ports/lead-store.ts';
import { indexInRounds, indexLeadSettled } from './index-lead.ts';

/**
 * How long the pass waits after it first sees a new version before it walks: the longest a Lambda invocation
 * of the code before can still be writing (15 minutes), so every lead the walk misses (one that changes stage
 * meanwhile) was written by this code.
 */
export const INDEX_PASS_WAIT_MS = 15 * 60_000;

export interface ReindexDeps {
  readonly store: Pick<LeadStore, 'indexLead' | 'readIndexPass' | 'saveIndexPass' | 'markIndexesComplete'>;
  readonly queries: Pick<LeadQueries, 'candidates'>;
  readonly clock: Clock;
}

export interface ReindexOptions {
  /** leads looked at in this run, at most (default 500) */
  readonly maxLeads?: number;
  /** leads per saved batch (default 50) */
  readonly batch?: number;
  /** asked before each batch: true ends the run there (a Lambda's remaining time) */
  readonly outOfTime?: () => boolean;
}

export interface ReindexReport {
  /** leads looked at in this run */
  readonly checked: number;
  /** ... whose keys were rewritten */
  readonly indexed: number;
  /** ... that could not be (walked again in a next round, INDEX_PASS_ROUNDS: until then the lead keeps its old keys) */
  readonly failed: number;
  /** the pass is done for INDEX_KEYS_VERSION */
  readonly done: boolean;
  /** another run moved the pass meanwhile: this one stopped */
  readonly raced?: boolean;
}

/**
 * Walks over every lead a version's pass makes at most: a walk in which a lead could not be indexed (an error
 * after the SDK's retries) is followed by another, so `finishedAt` means every lead has today's keys, unless
 * the last walk still failed some (a lead that always fails: its item's `failed` says so, and the errors are
 * logged with the lead ids).
 */
export const INDEX_PASS_ROUNDS = 3;

export async function reindexLeads(deps: ReindexDeps, options: ReindexOptions = {}): Promise<ReindexReport> {
  const { store } = deps;
  if (!store.indexLead || !store.readIndexPass || !store.saveIndexPass)
    return { checked: 0, indexed: 0, failed: 0, done: true };
  const stored = await store.readIndexPass();
  const now = deps.clock.now();
  if (stored?.version === INDEX_KEYS_VERSION && stored.finishedAt)
    return { checked: 0, indexed: 0, failed: 0, done: true };
  if (stored?.version !== INDEX_KEYS_VERSION) {
    // a new version: noted now, walked once the code before can no longer be writing (INDEX_PASS_WAIT_MS)
    // (a pass that finished with leads it could not index did not finish its version for readers)
    const finishedVersion =
      stored?.finishedAt && (stored.failed ?? 0) === 0 ? stored.version : stored?.finishedVersion;
    const begun: IndexPass = {
      version: INDEX_KEYS_VERSION,
      stage: 0,
      revision: (stored?.revision ?? 0) + 1,
      checked: 0,
      indexed: 0,
      failed: 0,
      round: 1,
      startedAt: now.toISOString(),
      ...(finishedVersion === undefined ? {} : { finishedVersion }),
    };
    const saved = await store.saveIndexPass(begun, stored);
    return { checked: 0, indexed: 0, failed: 0, done: false, ...(saved ? {} : { raced: true }) };
  }
  if (now.getTime() < Date.parse(stored.startedAt) + INDEX_PASS_WAIT_MS)
    return { checked: 0, indexed: 0, failed: 0, done: false };
  let pass: IndexPass = stored;
  let current: IndexPass = stored;
  const maxLeads = options.maxLeads ?? 500;
  const batchSize = Math.max(1, options.batch ?? 50);
  let checked = 0;
  let indexed = 0;
  let failed = 0;
  while (current.stage < LIFECYCLE_STAGES.length && checked < maxLeads && !options.outOfTime?.()) {
    const stage = LIFECYCLE_STAGES[current.stage]!;
    const batch: { leadId: string; position: string }[] = [];
    const limit = Math.min(batchSize, maxLeads - checked);
    for await (const candidate of deps.queries.candidates({
      stage,
      ...(current.after ? { after: current.after } : {}),
    })) {
      batch.push(candidate);
      if (batch.length >= limit) break;
    }
    const indexLead = store.indexLead.bind(store);
    const outcomes = (
      await indexInRounds(
        batch.map((candidate) => candidate.leadId),
        (leadId) => indexOnce(indexLead, leadId),
      )
    ).map((outcome, i) => (outcome === 'moved' ? movedAtEveryLook(batch[i]!.leadId) : outcome));
    const batchIndexed = outcomes.filter((outcome) => outcome === 'indexed').length;
    const batchFailed = outcomes.filter((outcome) => outcome === 'failed').length;
    checked += batch.length;
    indexed += batchIndexed;
    failed += batchFailed;
    const last = batch.at(-1);
    const next: IndexPass = {
      ...current,
      revision: current.revision + 1,
      checked: current.checked + batch.length,
      indexed: current.indexed + batchIndexed,
      failed: (current.failed ?? 0) + batchFailed,
      // a partition read to its end: the next stage, from its start
      ...(batch.length < limit ? { stage: current.stage + 1, after: undefined } : { after: last!.position }),
    };
    const walked = next.stage >= LIFECYCLE_STAGES.length;
    // a walk that failed some leads is walked again (they keep their old keys until then)
    const again = walked && (next.failed ?? 0) > 0 && (next.round ?? 1) < INDEX_PASS_ROUNDS;
    const finished = walked && !again;
    // the last walk still failed some: the pass stops, and readers are not told this version is complete
    // (finishedVersion stays: the search keeps its look-ups of older spellings, which find those leads)
    const complete = (next.failed ?? 0) === 0;
    const saved: IndexPass = again
      ? { ...withoutAfter(next), stage: 0, failed: 0, round: (next.round ?? 1) + 1 }
      : finished
        ? {
            ...withoutAfter(next),
            finishedAt: deps.clock.now().toISOString(),
            ...(complete ? { finishedVersion: next.version } : {}),
          }
        : next.after === undefined
          ? withoutAfter(next)
          : next;
    // a walk with no lead failed: every lead has the later indexes' entries too (one written since by a full
    // write of this code got them there), which readers may take for complete (ADR 0053's "due today"), as
    // after the SLA migration; recorded before the pass's end, so a run that fails here does it again
    if (finished && complete) await store.markIndexesComplete?.();
    if (!(await store.saveIndexPass(saved, pass)))
      return { checked, indexed, failed, done: false, raced: true };
    pass = saved;
    current = saved;
  }
  return { checked, indexed, failed, done: current.stage >= LIFECYCLE_STAGES.length };
}

function withoutAfter(pass: IndexPass): IndexPass {
  const { after: _after, ...rest } = pass;
  return rest;
}

/** one lead (indexLeadSettled: three looks); an error is counted as failed (walked again), not thrown */
async function indexOnce(
  indexLead: NonNullable<LeadStore['indexLead']>,
  leadId: string,
): Promise<'indexed' | 'unchanged' | 'moved' | 'failed'> {
  try {
    return await indexLeadSettled(indexLead, leadId);
  } catch (error) {
    console.error(
      JSON.stringify({ level: 'error', msg: 'index pass: lead not indexed', leadId, error: String(error) }),
    );
    return 'failed';
  }
}

/**
 * A lead written at every look of every round (its updates touch no key): it may still lack one, so it counts
 * as failed (walked again), as a lead whose write failed does; not as 'unchanged', which let a walk finish
 * (and the search drop its look-ups) with it unindexed.
 */
function movedAtEveryLook(leadId: string): 'failed' {
  console.warn(
    JSON.stringify({ level: 'warn', msg: 'index pass: lead written at every look, walked again', leadId }),
  );
  return 'failed';
}
