/**
 * The state of record for leads. Implemented on DynamoDB (adapters/dynamodb-lead-store.ts,
 * one partition per lead, single-item conditional writes: no transactions, no TTL) and in
 * memory (adapters/memory-lead-store.ts, for the simulator); both pass the same contract tests.
 */
import type { Attempt, LeadState, StoredEvent } from '../domain/lead-state.ts';
import type { LifecycleStage } from '../domain/sla-schema.ts';

export type { Attempt, DealState, LeadState, StoredEvent, TimelineEntry } from '../domain/lead-state.ts';
export { TIMELINE_CAP, withTimeline } from '../domain/lead-state.ts';

/** What the indexes return: enough to list, not the whole story. */
export interface LeadSummary {
  readonly leadId: string;
  readonly stage: LifecycleStage;
  readonly status: string;
  readonly ownerId?: string;
  readonly total: number;
  readonly updatedAt: string;
}

export type SaveResult = 'saved' | 'conflict';

export interface LeadStore {
  getLead(leadId: string): Promise<LeadState | undefined>;
  /** one conditional put: 'exists' when the lead is already there (nothing is written) */
  createLead(state: LeadState): Promise<'created' | 'exists'>;
  /** writes `state` (its version already expectedVersion + 1) if the stored version is expectedVersion */
  saveLead(state: LeadState, expectedVersion: number): Promise<SaveResult>;
  /** a replay (same eventId and time) writes nothing and answers 'duplicate' */
  appendEvent(leadId: string, event: StoredEvent): Promise<'appended' | 'duplicate'>;
  /** in occurrence order */
  listEvents(leadId: string): Promise<StoredEvent[]>;
  appendAttempt(leadId: string, attempt: Attempt): Promise<'appended' | 'duplicate'>;
  /** in time order */
  listAttempts(leadId: string): Promise<Attempt[]>;
  /** removes events and attempts; the caller saves the anonymised state */
  deleteLeadHistory(leadId: string): Promise<void>;
  /** a rep's open leads (index: owner -> status + updatedAt), newest first */
  listLeadsByOwner(ownerId: string, options?: { status?: string; limit?: number }): Promise<LeadSummary[]>;
  /**
   * The next turn of a queue's rotation: 1, 2, 3, ... One atomic increment (DynamoDB `ADD`), so
   * concurrent handoffs each get a distinct turn with no read-modify-write race.
   */
  nextTurn(queueId: string): Promise<number>;
  /**
   * Leads whose workflow is due at or before `until` (the due index, earliest first, never a
   * Scan): what the reconciler checks for a live execution.
   */
  listDueLeads(until: string, options?: { limit?: number }): Promise<DueLead[]>;
}

/** What the due index holds per lead. */
export interface DueLead {
  readonly leadId: string;
  readonly dueAt: string;
  readonly cycle: number;
  readonly generation: number;
}

/**
 * Read, change, save with the version check; on a conflict wait a little (jittered, growing)
 * so concurrent writers spread out, read again and recompute. `change` returns undefined when
 * there is nothing to write. `maxDelayMs` caps the wait: a hot lead (many writers at once) needs
 * a wider spread than the default, or most of its rounds are lost to conflicts.
 */
export async function updateLead(
  store: LeadStore,
  leadId: string,
  change: (current: LeadState) => LeadState | undefined | Promise<LeadState | undefined>,
  attempts = 12,
  maxDelayMs = 200,
): Promise<{ result: 'saved' | 'unchanged' | 'missing'; state?: LeadState }> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.getLead(leadId);
    if (!current) return { result: 'missing' };
    const next = await change(current);
    if (!next) return { result: 'unchanged', state: current };
    const saved = { ...next, version: current.version + 1 };
    if ((await store.saveLead(saved, current.version)) === 'saved') return { result: 'saved', state: saved };
    if (attempt >= attempts) throw new LeadConflictError(leadId);
    await sleep(jitteredBackoffMs(attempt, 5, maxDelayMs));
  }
}

/** Full jitter: a random wait in [0, min(capMs, baseMs * 2^attempt)), so retrying writers spread out. */
export function jitteredBackoffMs(attempt: number, baseMs: number, capMs = Number.POSITIVE_INFINITY): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class LeadConflictError extends Error {
  constructor(readonly leadId: string) {
    super(`lead ${leadId} kept changing under concurrent updates`);
    this.name = 'LeadConflictError';
  }
}
