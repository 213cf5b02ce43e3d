/**
 * The state of record for leads. Implemented on DynamoDB (adapters/dynamodb-lead-store.ts,
 * one partition per lead, single-item conditional writes: no transactions, no TTL) and in
 * memory (adapters/memory-lead-store.ts, for the simulator); both pass the same contract tests.
 */
import type { EngagementEvent, FieldValue, Reason } from '../domain/lead.ts';
import type { FitTier, LifecycleStage } from '../domain/sla-schema.ts';

/** One change in a lead's story, with why it happened. Kept on the lead's state item, so the
 *  change and its record are one atomic write. */
export interface TimelineEntry {
  /** ISO-8601 UTC */
  readonly at: string;
  /** e.g. created, submitted, judged, stage, status, owner, attempt, deal, erased */
  readonly kind: string;
  readonly from?: string;
  readonly to?: string;
  /** who caused it: form, api, workflow, rep:<id>, system:<name> */
  readonly by: string;
  readonly reasons: readonly Reason[];
}

export interface DealState {
  readonly stageId: string;
  /** when the deal entered this stage (ISO) */
  readonly since: string;
  readonly openedAt: string;
  readonly amount?: number;
  readonly name?: string;
}

export interface LeadState {
  readonly leadId: string;
  /** the workflow cycle: a recycled or continued lead runs as execution `<leadId>-<cycle>` */
  readonly cycle: number;
  /** optimistic lock: each save increments it */
  readonly version: number;
  /** undefined once erased */
  readonly email?: string;
  /** what is known about the person: first-known values win; later form posts only fill gaps */
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly marketingConsent: boolean;
  readonly unsubscribed: boolean;
  /** SES bounced or complained: never email again */
  readonly undeliverable: boolean;
  readonly erasedAt?: string;

  // the SLA's judgement, recomputed from fields + events by the domain
  readonly slaVersion: string;
  readonly judgedAt: string;
  readonly stage: LifecycleStage;
  readonly status: string;
  readonly leadType: string;
  readonly persona?: string;
  readonly journeyStage: string;
  readonly fit: number;
  readonly fitTier: FitTier;
  readonly engagement: number;
  readonly total: number;

  readonly ownerId?: string;
  readonly handedOffAt?: string;
  readonly deal?: DealState;
  readonly coolOffUntil?: string;
  /** the parked workflow's task token (Step Functions callback); cleared when used */
  readonly waitToken?: string;
  /** keys of reminders already sent, so a retried task never mails twice */
  readonly sent: readonly string[];

  readonly createdAt: string;
  readonly updatedAt: string;
  /** most recent entries last; older ones beyond the cap are dropped and counted */
  readonly timeline: readonly TimelineEntry[];
  readonly timelineDropped: number;
}

export interface StoredEvent extends EngagementEvent {
  readonly eventId: string;
  /** ISO time the system received it */
  readonly receivedAt: string;
}

export interface Attempt {
  readonly attemptId: string;
  /** ISO */
  readonly at: string;
  readonly outcomeId: string;
  readonly repId?: string;
  readonly channel?: string;
  readonly note?: string;
}

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
  /** leads that entered or sit in a stage, by day of last update (index: stage + day) */
  listLeadsByStageAndDay(
    stage: LifecycleStage,
    day: string,
    options?: { limit?: number },
  ): Promise<LeadSummary[]>;
  /** round-robin rotation per queue: read with its version, write conditionally */
  getRotation(queueId: string): Promise<{ state: RotationRecord; version: number }>;
  saveRotation(queueId: string, state: RotationRecord, expectedVersion: number): Promise<SaveResult>;
}

export interface RotationRecord {
  readonly counts: Readonly<Record<string, number>>;
  readonly last?: string;
}

export const TIMELINE_CAP = 500;

/** Appends to the timeline, dropping the oldest entries beyond the cap (the item stays far below 400 KB). */
export function withTimeline(state: LeadState, ...entries: TimelineEntry[]): LeadState {
  const timeline = [...state.timeline, ...entries];
  const dropped = Math.max(0, timeline.length - TIMELINE_CAP);
  return { ...state, timeline: timeline.slice(dropped), timelineDropped: state.timelineDropped + dropped };
}

/**
 * Read, change, save with the version check; on a conflict read again and recompute.
 * `change` returns undefined when there is nothing to write.
 */
export async function updateLead(
  store: LeadStore,
  leadId: string,
  change: (current: LeadState) => LeadState | undefined | Promise<LeadState | undefined>,
  attempts = 5,
): Promise<{ result: 'saved' | 'unchanged' | 'missing'; state?: LeadState }> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.getLead(leadId);
    if (!current) return { result: 'missing' };
    const next = await change(current);
    if (!next) return { result: 'unchanged', state: current };
    const saved = { ...next, version: current.version + 1 };
    if ((await store.saveLead(saved, current.version)) === 'saved') return { result: 'saved', state: saved };
    if (attempt >= attempts) throw new LeadConflictError(leadId);
  }
}

export class LeadConflictError extends Error {
  constructor(readonly leadId: string) {
    super(`lead ${leadId} kept changing under concurrent updates`);
    this.name = 'LeadConflictError';
  }
}
