/**
 * The state of record for leads. Implemented on DynamoDB (adapters/dynamodb-lead-store.ts,
 * one partition per lead, single-item conditional writes: no transactions, no TTL) and in
 * memory (adapters/memory-lead-store.ts, for the simulator); both pass the same contract tests.
 */
import type { CapacityReservation, OwnerPick } from '../domain/capacity.ts';
import {
  type Attempt,
  executionName,
  type LeadState,
  type StoredEvent,
  type TimelineEntry,
  withEarlierEntries,
  withoutSignal,
} from '../domain/lead-state.ts';
import type { MailboxClaim } from '../domain/mailbox.ts';
import type { LifecycleStage } from '../domain/sla-schema.ts';
import { timeForAnotherTry } from './invocation-time.ts';

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

export interface SaveOptions {
  /**
   * Observers of the write (report facts: adapters/observed-lead-store.ts) are told with the outbox mark
   * that follows, `markSent(..., written)`, in one request where they can (ADR 0025), not after the write.
   */
  readonly observeWithMark?: boolean;
}

/** Everything a wake needs of one lead, read with one strongly consistent Query of its partition. */
export interface LeadSnapshot {
  readonly state: LeadState;
  /** in occurrence order */
  readonly events: readonly StoredEvent[];
  /** in time order */
  readonly attempts: readonly Attempt[];
  /** the claims whose sender marked its emails sent (markSent): domain/outbox.ts confirmSent */
  readonly confirmed?: readonly string[];
  /**
   * The state item waits for an owner but is not in the owner index's waiting partition (written before ADR
   * 0041's amendment, by a write that put no such keys): a full write of the state puts it there.
   */
  readonly unlisted?: true;
  /**
   * The lead's owner pick (ADR 0045) as the same read found it, when the store reads it with the lead (its
   * item sorts in the state's range): `{ pick: undefined }` when there is none. Absent: not read, ask getOwnerPick.
   */
  readonly ownerPick?: { readonly pick: OwnerPick | undefined };
  /**
   * Writers' marks of events stored and maybe not folded into the tally yet (ADR 0057), as the same read
   * found them: while there is one, the tally alone is not the history.
   */
  readonly pending?: readonly PendingEvents[];
}

/** A writer's mark (ADR 0057): written before its events, deleted once its state write folded them. */
export interface PendingEvents {
  readonly id: string;
  /** ISO-8601: when the writer began */
  readonly at: string;
}

/** An email the wake sent after claiming it: its key joins `sent`, its entry the timeline. */
export interface SentEmail {
  readonly key: string;
  readonly entry: TimelineEntry;
}

/**
 * Park's one write (tasks/park.ts): the task token and the deadline, and the emails the wake before
 * it sent, so the claim-send-mark of the outbox costs the lead no write of its own.
 */
export interface ParkRequest {
  readonly leadId: string;
  readonly cycle: number;
  /** the version the wake wrote (or read): any other means the lead changed meanwhile */
  readonly expectedVersion: number;
  readonly waitToken: string;
  /** ISO */
  readonly dueAt: string;
  readonly generation?: number;
  readonly sent: readonly SentEmail[];
}

/**
 * 'parked': token and deadline stored. 'changed': the lead moved on (its version, its cycle, or it
 * was erased): nothing parked, the caller resumes at once; the sent emails are recorded anyway
 * when the lead is still this cycle's.
 */
export type ParkOutcome = 'parked' | 'changed';

/** An event's place in its lead's history: events are ordered by when they occurred, then by id. */
export type EventPosition = Pick<StoredEvent, 'occurredAt' | 'eventId'>;

export interface LeadStore {
  getLead(leadId: string): Promise<LeadState | undefined>;
  /** the state with its events and attempts: one strongly consistent Query of the lead's partition */
  loadLead(leadId: string): Promise<LeadSnapshot | undefined>;
  /** one conditional update: see ParkRequest */
  parkLead(request: ParkRequest): Promise<ParkOutcome>;
  /**
   * Takes the parked execution's task token off the lead when it is still `token` (so exactly one signaller
   * uses it), makes the lead due no later than `now` (ADR 0033) and bumps the version: one conditional
   * update, no read (a signal, adapters/wait-token.ts). false: the token was gone. A take refused on the
   * SDK's retry reads the lead: its first try may have landed, so a token gone is taken (SendTaskSuccess twice
   * at worst; the second is refused).
   */
  takeWaitToken(leadId: string, token: string, now: string): Promise<boolean>;
  /**
   * A known lead that waits (parked on a token with a later deadline, or dormant with nothing due) made due
   * now, before a writer stores news of it that only a wake folds (a form post's event, ADR 0057 amended):
   * should the writer die before its own write and signal, the reconciler wakes the lead within its grace
   * (ADR 0039 amended: a parked one by its token) and that wake reads the news. One conditional update, no
   * read; the version moves. false: nothing changed (no such lead, erased, due already or being woken).
   */
  makeDueForNews(leadId: string, now: string): Promise<boolean>;
  /**
   * The outbox's "mark sent" for the emails of one claim (ADR 0025): a small item of its own in the lead's
   * partition (never a write of the state item), which loadLead returns as `confirmed`. Idempotent.
   * `written`: the state saved with `observeWithMark`, whose observers are told now (the store itself
   * ignores it); `since`: the story's length of the version that write replaced (LeadWriteObserver).
   */
  markSent(leadId: string, claim: string, at: string, written?: LeadState, since?: number): Promise<void>;
  /**
   * Whether `claim` was marked sent (markSent): one strongly consistent read of that mark. A park retried by
   * the state machine after it sent and marked (its answer to Step Functions lost) must not send again.
   */
  isMarkedSent(leadId: string, claim: string): Promise<boolean>;
  /**
   * Claims a mailbox's one confirmation email of its window for a consent request (ADR 0075): one conditional
   * put of an item of its own, keyed by the mailbox (domain/mailbox.ts), taken when there is none, its window
   * is over, or it is this request's (a retried wake). 'taken': another request has it; nothing is written.
   */
  claimConsentMailbox(claim: MailboxClaim): Promise<'claimed' | 'taken'>;
  /**
   * Records the execution about to be started for the lead (reconciler, continue-as-new): one conditional
   * UpdateItem that sets `execution` and `generation` and bumps the version, only while the lead is of
   * `cycle`, not erased, and its recorded generation is not later. false: not recorded (start nothing).
   * It takes a dormant lead's mark off too (as takeDormancy does): the generation it names is being started,
   * and a mark left on the lead it runs would make a later signal start that generation again.
   */
  recordExecution(leadId: string, cycle: number, generation: number): Promise<boolean>;
  /**
   * One conditional put: 'exists' when the lead is already there (nothing is written). `alongside`: what
   * the caller does next once the lead is created (a new lead's workflow start); a store that does more
   * after the write (observed-lead-store.ts: the report facts) may run it beside that work, so the two
   * cost one round trip and not two, and settles after both. A store may also leave it: the caller runs
   * it then (leads-public.ts submitLead), so a wrapper that drops the argument costs time, never the start.
   */
  createLead(state: LeadState, alongside?: () => Promise<void>): Promise<'created' | 'exists'>;
  /**
   * Optional (a store with secondary indexes): gives the lead's item the entries of the indexes added after
   * it was written (table-definition.ts LATER_INDEXES: the first-touch index, ADR 0044) as a full write of
   * its state would, and the attributes they project; and the search entries as today's fold makes them (one an
   * older fold wrote is rewritten: ADR 0054); nothing else changes. One conditional update on the version read.
   * 'indexed': written; 'unchanged': nothing was missing or stale, or no such lead; 'moved': the lead was written
   * meanwhile (a later call looks again).
   */
  indexLead?(leadId: string): Promise<'indexed' | 'unchanged' | 'moved'>;
  /** Optional (with indexLead): where the index pass over every lead stands (tasks/reindex-leads.ts); none yet: undefined. */
  readIndexPass?(): Promise<IndexPass | undefined>;
  /** Writes `next` if the pass still stands at `previous` (undefined: no pass yet); false if another run moved it. */
  saveIndexPass?(next: IndexPass, previous: IndexPass | undefined): Promise<boolean>;
  /** Optional: where the retention pass over unconfirmed sign-ups stands (tasks/erase-unconfirmed.ts); none yet: undefined. */
  readRetentionPass?(): Promise<RetentionPass | undefined>;
  /** Writes `next` if the pass still stands at `previous` (undefined: no pass yet); false if another run moved it. */
  saveRetentionPass?(next: RetentionPass, previous: RetentionPass | undefined): Promise<boolean>;
  /**
   * Optional (a store with secondary indexes): records that every lead in flight has the entries of the later
   * indexes this store writes (the SLA migration, once indexLead gave them to every one; the index pass, at the
   * end of a walk with none failed): LeadQueries.indexComplete says so from then on. Call it only then: a lead
   * indexLead found 'moved' at every look may still lack one (ADR 0055, amended).
   */
  markIndexesComplete?(): Promise<void>;
  /**
   * Optional: the mark of the last SLA migration that finished completely (tasks/migration-mark.ts), while the
   * store's indexes are still those it finished with; undefined when none is recorded, a run began since, or the
   * store's indexes changed.
   */
  readMigrationMark?(): Promise<MigrationMark | undefined>;
  /**
   * Optional (with readMigrationMark): the migration run `runId` begins. The mark is taken away, so a run that
   * stops before its end leaves none (the next start migrates in full), and a run begun before can no longer
   * record its own.
   */
  beginMigration?(runId: string): Promise<void>;
  /** Records `mark` if `runId` is still the last run to begin (a conditional put); false if another began since. */
  recordMigrationMark?(mark: MigrationMark, runId: string): Promise<boolean>;
  /**
   * Writes `state` (its version already expectedVersion + 1) if the stored version is expectedVersion.
   * `stored`, the state as read at expectedVersion, lets the store move the oldest timeline entries off
   * the state item (ADR 0021): only entries `stored` held move. Without it nothing moves in this write.
   */
  saveLead(
    state: LeadState,
    expectedVersion: number,
    stored?: LeadState,
    options?: SaveOptions,
  ): Promise<SaveResult>;
  /**
   * A replay (same eventId and time) writes nothing and answers 'duplicate'. Stored apart from the state's read
   * (ADR 0057); `old`: where events were stored before (in the wake's read), for a lead without `eventsApart`
   * (its replays are found there, and its wake reads its events there).
   */
  appendEvent(
    leadId: string,
    event: StoredEvent,
    options?: { readonly old?: boolean },
  ): Promise<'appended' | 'duplicate'>;
  /**
   * Deletes an event's copy in the wake's read (`old`), once its copy apart is stored and a state write has
   * folded it: a form post stores its event in the read before it knows whether its lead is new (ADR 0057
   * amended), so that an event no write has folded yet is one its lead's wake reads. Safe to repeat.
   */
  deleteReadCopy(leadId: string, event: Pick<StoredEvent, 'occurredAt' | 'eventId'>): Promise<void>;
  /** in occurrence order: every event of the lead, wherever stored (ADR 0057) */
  listEvents(leadId: string): Promise<StoredEvent[]>;
  /**
   * the newest `limit` events (or all, when fewer), in occurrence order: a read that does not grow with the history;
   * with `before`, the newest of those stored before that event (by occurrence, then id): a page further back
   */
  listNewestEvents(leadId: string, limit: number, before?: EventPosition): Promise<StoredEvent[]>;
  /**
   * Marks the lead's events as maybe not folded (ADR 0057): a writer calls it before it stores events of a
   * lead with `eventsApart`, and clears it once its state write has folded them (or nothing was stored).
   */
  markEventsPending(leadId: string, mark: PendingEvents): Promise<void>;
  clearEventsPending(leadId: string, ids: readonly string[]): Promise<void>;
  appendAttempt(leadId: string, attempt: Attempt): Promise<'appended' | 'duplicate'>;
  /** in time order */
  listAttempts(leadId: string): Promise<Attempt[]>;
  /**
   * The entries this state of the lead moved off before its tail, by position (`timelineDropped` up to
   * `timelineBase`), oldest first: neither an item a later write moved from the tail this state still
   * holds, nor one left below the positions of this cycle (an erased cycle's). A store that keeps every
   * entry on the state returns [].
   */
  listMovedEntries(
    lead: Pick<LeadState, 'leadId' | 'timelineDropped' | 'timelineSpilled'>,
  ): Promise<TimelineEntry[]>;
  /**
   * removes events, attempts and the timeline entries moved off the state; the caller saves the anonymised
   * state. `keepCyclesAfter`: events of a later cycle (a post that started a new life meanwhile) stay
   */
  deleteLeadHistory(leadId: string, options?: { readonly keepCyclesAfter?: number }): Promise<void>;
  /**
   * Stores the event of a post that started the lead's new life after erasure, tagged with that cycle,
   * whether or not a copy is stored already (a plain put: an untagged copy may be swept by the erase)
   */
  putEventOfCycle(leadId: string, event: StoredEvent & { readonly cycle: number }): Promise<void>;
  /** deletes one event (a vendor's resend of a submission an erasure covers, stored again after it) */
  deleteEvent(leadId: string, event: Pick<StoredEvent, 'occurredAt' | 'eventId'>): Promise<void>;
  /** deletes one attempt (one stored after the erase that overtook its write had swept the lead) */
  deleteAttempt(leadId: string, attemptId: string): Promise<void>;
  /** a rep's open leads (index: owner -> status + updatedAt), newest first */
  listLeadsByOwner(ownerId: string, options?: { status?: string; limit?: number }): Promise<LeadSummary[]>;
  /**
   * The next turn of a queue's rotation: 1, 2, 3, ... One atomic increment (DynamoDB `ADD`), so
   * concurrent handoffs each get a distinct turn with no read-modify-write race.
   */
  nextTurn(queueId: string): Promise<number>;
  /** a rep's capacity reservations (ADR 0040), strongly consistent: one Query of the rep's partition */
  listCapacityReservations(repId: string): Promise<CapacityReservation[]>;
  /**
   * Writes a reservation at its position if the position is free, or still holds exactly `replacing` (the
   * expired reservation the caller read there). False when another pick took the position first.
   */
  putCapacityReservation(
    repId: string,
    reservation: CapacityReservation,
    replacing?: CapacityReservation,
  ): Promise<boolean>;
  /** the lead's last owner pick (ADR 0045), strongly consistent; undefined when none was recorded */
  getOwnerPick(leadId: string): Promise<OwnerPick | undefined>;
  /** records the rep a pick is about to reserve a place with (one item per lead: the last pick wins) */
  putOwnerPick(leadId: string, pick: OwnerPick): Promise<void>;
  /**
   * Leads whose workflow is due at or before `until` (the due index, earliest first, never a
   * Scan): what the reconciler checks for a live execution. `after`: only those after this place in
   * that order (the reconciler's cursor, DueCursor).
   */
  listDueLeads(until: string, options?: { limit?: number; after?: DuePlace }): Promise<DueLead[]>;
  /** Optional (with saveDueCursor): where the reconciler's walk of the due index stands; none yet: undefined. */
  readDueCursor?(): Promise<DueCursor | undefined>;
  /** Writes `next` if the cursor still stands at `previous` (undefined: none yet); false if another run moved it. */
  saveDueCursor?(next: DueCursor, previous: DueCursor | undefined): Promise<boolean>;
}

/** A place in the due index's order (earliest due first, then by lead id): a due lead's. */
export interface DuePlace {
  readonly dueAt: string;
  readonly leadId: string;
}

/** The due index's order of two places: below 0 when `a` comes first (earliest due, then by lead id). */
export function compareDuePlaces(a: DuePlace, b: DuePlace): number {
  const at = Date.parse(a.dueAt);
  const bt = Date.parse(b.dueAt);
  if (at !== bt) return at < bt ? -1 : 1;
  return a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0;
}

/**
 * Where the reconciler's walk of the due index stands (tasks/reconcile.ts): the last lead a run checked when
 * more were due than a run checks, so the next run goes on after it; none: the next run starts at the
 * earliest. `revision` counts its saves (two runs at once never both move it).
 */
export interface DueCursor {
  readonly after?: DuePlace;
  readonly revision: number;
}

/**
 * What parkLead does to a stored state, for stores that compute it in code (the memory store); the
 * DynamoDB store expresses the same as one UpdateItem. Undefined: nothing to write.
 */
export function parkedState(
  current: LeadState | undefined,
  request: ParkRequest,
): { outcome: ParkOutcome; state?: LeadState } {
  const live = current !== undefined && current.cycle === request.cycle && !current.erasedAt;
  if (live && current.version === request.expectedVersion) {
    return {
      outcome: 'parked',
      state: {
        ...withSent(withoutSignal(current), request.sent),
        waitToken: request.waitToken,
        dueAt: request.dueAt,
        ...(request.generation === undefined ? {} : { generation: request.generation }),
        version: current.version + 1,
      },
    };
  }
  const first = request.sent[0];
  if (!live || !first || current.sent.includes(first.key)) return { outcome: 'changed' };
  return { outcome: 'changed', state: { ...withSent(current, request.sent), version: current.version + 1 } };
}

/** Appends sent keys and their timeline entries as the store's list_append does (caps apply on the next full write). */
function withSent(state: LeadState, sent: readonly SentEmail[]): LeadState {
  if (sent.length === 0) return state;
  return {
    ...state,
    sent: [...state.sent, ...sent.map((email) => email.key)],
    timeline: [...state.timeline, ...sent.map((email) => email.entry)],
  };
}

/** What takeWaitToken does to a stored state, for stores that compute it in code; undefined: not taken. */
export function withoutWaitToken(
  current: LeadState | undefined,
  token: string,
  now: string,
): LeadState | undefined {
  if (!current || current.waitToken !== token || current.erasedAt) return undefined;
  const { waitToken: _used, ...rest } = current;
  const dueAt = current.dueAt !== undefined && current.dueAt < now ? current.dueAt : now;
  return { ...rest, dueAt, signalled: token, version: current.version + 1 };
}

/** What makeDueForNews does to a stored state, for stores that compute it in code; undefined: unchanged. */
export function dueForNews(current: LeadState | undefined, now: string): LeadState | undefined {
  if (!current || current.erasedAt) return undefined;
  const waits =
    (current.waitToken !== undefined && (current.dueAt === undefined || current.dueAt > now)) ||
    (current.dormant !== undefined && current.dueAt === undefined);
  return waits ? { ...current, dueAt: now, version: current.version + 1 } : undefined;
}

/** What recordExecution does to a stored state, for stores that compute it in code; undefined: not recorded. */
export function withRecordedExecution(
  current: LeadState | undefined,
  cycle: number,
  generation: number,
): LeadState | undefined {
  if (!current || current.cycle !== cycle || current.erasedAt) return undefined;
  if ((current.generation ?? 0) > generation) return undefined;
  const { dormant: _started, ...rest } = current;
  return {
    ...rest,
    generation,
    execution: executionName(current.leadId, cycle, generation),
    version: current.version + 1,
  };
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
  /** the lead as the caller has just read it: the first try computes on it (a conflict reads afresh) */
  known?: LeadState,
): Promise<{ result: 'saved' | 'unchanged' | 'missing'; state?: LeadState }> {
  for (let attempt = 1; ; attempt++) {
    const current = attempt === 1 && known?.leadId === leadId ? known : await store.getLead(leadId);
    if (!current) return { result: 'missing' };
    const next = await change(current);
    if (!next) return { result: 'unchanged', state: current };
    const saved = { ...next, version: current.version + 1 };
    if ((await store.saveLead(saved, current.version, current)) === 'saved')
      return { result: 'saved', state: saved };
    const wait = jitteredBackoffMs(attempt, 5, maxDelayMs);
    // no try begins that might end past the Lambda invocation's timeout: the caller answers 409 'retry'
    // in time, where a killed invocation answers API Gateway's bare 500 (ADR 0068)
    if (attempt >= attempts || !timeForAnotherTry(wait)) throw new LeadConflictError(leadId);
    await sleep(wait);
  }
}

/** Full jitter: a random wait in [0, min(capMs, baseMs * 2^attempt)), so retrying writers spread out. */
export function jitteredBackoffMs(attempt: number, baseMs: number, capMs = Number.POSITIVE_INFINITY): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

/**
 * Waits for every one of `works` (none is left running unseen), then throws the first failure if any:
 * independent writes that must all be tried, e.g. a write's report facts, a new lead's event and state.
 */
export async function allSettledOrThrow(works: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(works)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class LeadConflictError extends Error {
  constructor(readonly leadId: string) {
    super(`lead ${leadId} kept changing under concurrent updates`);
    this.name = 'LeadConflictError';
  }
}

/** The lead with the entries it moved off its state put back before its tail (one Query; none when none moved). */
export async function withMovedEntries(
  store: Pick<LeadStore, 'listMovedEntries'>,
  lead: LeadState,
): Promise<LeadState> {
  if ((lead.timelineSpilled ?? 0) === 0) return lead;
  return withEarlierEntries(lead, await store.listMovedEntries(lead));
}

/**
 * Where the index pass over every lead stands (tasks/reindex-leads.ts): the stage index partition it is in and
 * its position there, for the index keys' `version` it brings the leads to. `revision` counts its saves (two runs
 * never both move it).
 */
/**
 * The version of the index keys a lead's item holds when written by this code. Raise it whenever a writer
 * starts making keys an item written before would not have (a new index in LATER_INDEXES, a new search fold):
 * the reconciler's index pass starts over (tasks/reindex-leads.ts, ADR 0055).
 *   1: before the pass (GSI8 and before)
 *   2: the surname index GSI9 (ADR 0052), the search fold of ADR 0054 (ة, ى, the tatweel), the next-step
 *      index GSI10 (ADR 0053)
 *   3: the company words index GSI11 (ADR 0061)
 *   4: the first-touch index GSI8 keyed by the deadline a handover kept (ADR 0062), not its clock start
 *   5: GSI11's company words skip the generic words an Arabic company opens with (مجموعة شركات, شركة مصنع:
 *      ADR 0061 amended)
 *   6: the next-step index GSI10's buckets `00` and `--` keyed with the deadline a handover kept (ADR 0065)
 *   7: the first-touch index GSI8 keyed by whether the current handover may owe its first touch, not by the
 *      status (ADR 0072)
 *   8: the surname index GSI9 keys a surname without the particles it opens with (von der Heide as `heide`,
 *      Al-Rashid as `rashid`: ADR 0082)
 */
export const INDEX_KEYS_VERSION = 8;

/** Whether every lead's index keys are at least of `version`: a pass of it, or of a later one, finished. */
export function indexedAtLeast(pass: IndexPass | undefined, version: number): boolean {
  return (pass?.finishedVersion ?? 0) >= version;
}

/**
 * What the SLA migration brought every lead in flight to (tasks/migration-mark.ts): the SLA it ran, by the hash
 * of its JSON (the stack's SlaHash), and the index keys' version. A store keeps its own indexes' names beside it.
 */
export interface MigrationMark {
  readonly slaVersion: string;
  readonly slaHash: string;
  readonly indexKeysVersion: number;
}

/**
 * The retention pass's place (tasks/erase-unconfirmed.ts, ADR 0092): one item for the table, saved on the revision
 * read, so two runs at once cannot both move it and a run that stops anywhere goes on from the last save.
 */
export interface RetentionPass {
  readonly revision: number;
  /** ISO: when this walk began (the next begins a day later) */
  readonly startedAt: string;
  /** ISO: the walk lists the leads created before this (none created later can be erasable yet) */
  readonly createdBefore: string;
  /** index into the stages below SQL (unconfirmed-erasure.ts SIGN_UP_STAGES) being walked; past the last: done */
  readonly stage: number;
  /** the last position done in that stage's partition (the stage index's cursor) */
  readonly after?: string;
  /**
   * the leads the run that saved this claimed to erase, by id and cycle: a run after a crash finishes them (the
   * erase's write is conditional, its stop and history sweep idempotent), so none is left half erased
   */
  readonly claimed?: readonly { readonly leadId: string; readonly cycle: number }[];
  /** leads looked at and erased in this walk */
  readonly checked: number;
  readonly erased: number;
  /** ISO: when the walk reached its end */
  readonly finishedAt?: string;
}

export interface IndexPass {
  readonly version: number;
  /** the latest version whose pass finished (this one's, once it has) */
  readonly finishedVersion?: number;
  /** index into the lifecycle stages (LIFECYCLE_STAGES) of the partition being walked; past the last: done */
  readonly stage: number;
  /** the last position done in that partition (the stage index's cursor) */
  readonly after?: string;
  readonly revision: number;
  /** leads looked at and leads rewritten since this version's pass began */
  readonly checked: number;
  readonly indexed: number;
  /** leads that could not be indexed in this round (a round with any is walked again, up to INDEX_PASS_ROUNDS) */
  readonly failed?: number;
  /** the walk over every stage this is (1 the first; absent in items saved before rounds) */
  readonly round?: number;
  readonly startedAt: string;
  /** set once a round had no failure, or the last round ended (`failed` then says how many leads kept old keys) */
  readonly finishedAt?: string;
}
