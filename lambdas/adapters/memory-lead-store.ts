/**
 * LeadStore in memory, for the simulator (10,000 leads is ~300,000 store calls: too many for dynalite) and
 * fast tests. Same semantics as the DynamoDB adapter, checked by the same contract suite: the same keys from
 * table-definition.ts give the same ordering and the same replay identity; the same sparse index rules decide
 * what the index queries see. Values are deep-copied on the way in and out (undefined dropped, as the
 * DocumentClient's removeUndefinedValues does), so no caller can change stored state by mutating an object.
 *
 * `{ share: true }` (the simulator): values are deep-frozen copies instead, handed out as they are and shared
 * between versions of a lead (what a write takes over from a read is not copied again). No caller can change
 * stored state either: a mutation throws. It saves most of the copying (ADR 0023), for callers that treat
 * what they read as immutable, as the domain and handlers do.
 */
import type { CapacityReservation, OwnerPick } from '../domain/capacity.ts';
import { type MailboxClaim, mayClaimMailbox } from '../domain/mailbox.ts';
import {
  type Attempt,
  type DueCursor,
  type DueLead,
  type DuePlace,
  dueForNews,
  type EventPosition,
  type LeadSnapshot,
  type LeadState,
  type LeadStore,
  type LeadSummary,
  type MigrationMark,
  type ParkOutcome,
  type ParkRequest,
  type PendingEvents,
  parkedState,
  type RetentionPass,
  type SaveResult,
  type StoredEvent,
  type TimelineEntry,
  withoutWaitToken,
  withRecordedExecution,
} from '../ports/lead-store.ts';
import { frozenCopy } from './frozen-data.ts';
import {
  attemptKey,
  attemptOrder,
  capacityPartition,
  capacityReservationKey,
  checkLimit,
  checkNextVersion,
  DUE_INDEX,
  dueSortKey,
  earliestDue,
  eventKey,
  keyTime,
  leadIndexKeys,
  newestFirst,
  OWNER_INDEX,
  ownerIndexPartition,
  ownerIndexStatusPrefix,
  pendingKey,
  rotationKey,
  STAGE_DAY_INDEX,
  sentKey,
  stateKey,
  toDueLead,
} from './table-definition.ts';

/** one index partition: leadId -> (index sort key, summary) */
type IndexPartition = Map<
  string,
  { readonly sk: string; readonly summary: LeadSummary; readonly due?: DueLead }
>;

export class MemoryLeadStore implements LeadStore {
  private readonly leads = new Map<string, LeadState>();
  /** where each lead's state sits in the indexes: index name -> partition key */
  private readonly placed = new Map<string, [string, string][]>();
  /** copies in and out, or deep-frozen values shared (see above) */
  private readonly copy: <T>(value: T, previous?: T) => T;
  private readonly read: <T>(value: T) => T;

  constructor(options: { share?: boolean } = {}) {
    this.copy = options.share ? frozenCopy : copy;
    this.read = options.share ? (value) => value : copy;
  }

  /** leadId -> sort key -> item; sort keys from table-definition, so order and identity match DynamoDB */
  private readonly events = new Map<string, Map<string, StoredEvent>>();
  /**
   * leadId -> sort key -> event stored in the wake's read (`EVENT#`, appendEvent's `old`): a lead's events
   * before ADR 0057, and a form post's until a state write folded it (ADR 0057 amended); the rest are apart
   */
  private readonly readCopies = new Map<string, Map<string, StoredEvent>>();
  private readonly attempts = new Map<string, Map<string, Attempt>>();
  private readonly turns = new Map<string, number>();
  /** repId -> position -> capacity reservation (ADR 0040) */
  private readonly reservations = new Map<string, Map<number, CapacityReservation>>();
  private readonly picks = new Map<string, OwnerPick>();
  /** the reconciler's cursor (DueCursor) */
  private dueCursor: DueCursor | undefined;
  /** the retention pass's place (RetentionPass) */
  private retentionPass: RetentionPass | undefined;
  /** the SLA migration's: the last run to begin, and what it migrated to once it finished (migration-mark.ts) */
  private migration: { readonly runId: string; readonly mark?: MigrationMark } | undefined;
  /** leadId -> writers' marks of events maybe not folded yet (ADR 0057) */
  private readonly pending = new Map<string, Map<string, PendingEvents>>();
  /** mailbox key -> its confirmation email's claim (claimConsentMailbox) */
  private readonly mailboxes = new Map<string, MailboxClaim>();
  /** leadId -> claims marked sent (markSent) */
  private readonly marks = new Map<string, Set<string>>();
  /** index name -> index partition key -> partition */
  private readonly indexes = new Map<string, Map<string, IndexPartition>>([
    [OWNER_INDEX.indexName, new Map()],
    [STAGE_DAY_INDEX.indexName, new Map()],
    [DUE_INDEX.indexName, new Map()],
  ]);

  async getLead(leadId: string): Promise<LeadState | undefined> {
    stateKey(leadId); // same argument checks as the table's key builders
    const state = this.leads.get(leadId);
    return state ? this.read(state) : undefined;
  }

  async loadLead(leadId: string): Promise<LeadSnapshot | undefined> {
    const state = await this.getLead(leadId);
    if (!state) return undefined;
    const confirmed = [...(this.marks.get(leadId) ?? [])].sort();
    const pending = [...(this.pending.get(leadId)?.values() ?? [])];
    return {
      state,
      // as DynamoDB's one Query brings them: a lead with its events apart (ADR 0057) has none in the state's range
      events: state.eventsApart
        ? listSorted(this.readCopies, leadId, this.read)
        : await this.listEvents(leadId),
      ...(pending.length ? { pending } : {}),
      attempts: await this.listAttempts(leadId),
      ...(confirmed.length ? { confirmed } : {}),
      // as DynamoDB's one Query brings it (the PICK item sorts before STATE): without it the simulator's
      // memory run counted a GetItem per reassignment that the dynalite run (and AWS) never make
      ownerPick: { pick: await this.getOwnerPick(leadId) },
    };
  }

  async markSent(leadId: string, claim: string, _at: string): Promise<void> {
    sentKey(leadId, claim);
    const marks = this.marks.get(leadId) ?? new Set<string>();
    marks.add(claim);
    this.marks.set(leadId, marks);
  }

  async isMarkedSent(leadId: string, claim: string): Promise<boolean> {
    return this.marks.get(leadId)?.has(claim) ?? false;
  }

  async claimConsentMailbox(claim: MailboxClaim): Promise<'claimed' | 'taken'> {
    if (!mayClaimMailbox(this.mailboxes.get(claim.mailbox), claim)) return 'taken';
    this.mailboxes.set(claim.mailbox, claim);
    return 'claimed';
  }

  async parkLead(request: ParkRequest): Promise<ParkOutcome> {
    stateKey(request.leadId);
    const { outcome, state } = parkedState(this.leads.get(request.leadId), request);
    if (state) this.writeLead(state);
    return outcome;
  }

  async takeWaitToken(leadId: string, token: string, now: string): Promise<boolean> {
    const state = withoutWaitToken(this.leads.get(leadId), token, now);
    if (state) this.writeLead(state);
    return state !== undefined;
  }

  async makeDueForNews(leadId: string, now: string): Promise<boolean> {
    const state = dueForNews(this.leads.get(leadId), now);
    if (state) this.writeLead(state);
    return state !== undefined;
  }

  async recordExecution(leadId: string, cycle: number, generation: number): Promise<boolean> {
    const state = withRecordedExecution(this.leads.get(leadId), cycle, generation);
    if (state) this.writeLead(state);
    return state !== undefined;
  }

  async createLead(state: LeadState): Promise<'created' | 'exists'> {
    stateKey(state.leadId);
    if (this.leads.has(state.leadId)) return 'exists';
    this.writeLead(state);
    return 'created';
  }

  async saveLead(state: LeadState, expectedVersion: number): Promise<SaveResult> {
    checkNextVersion(state, expectedVersion);
    stateKey(state.leadId);
    if (this.leads.get(state.leadId)?.version !== expectedVersion) return 'conflict';
    this.writeLead(state);
    return 'saved';
  }

  async appendEvent(
    leadId: string,
    event: StoredEvent,
    options: { readonly old?: boolean } = {},
  ): Promise<'appended' | 'duplicate'> {
    return putNew(
      options.old ? this.readCopies : this.events,
      leadId,
      eventKey(leadId, event.occurredAt, event.eventId).sk,
      this.copy(event),
    );
  }

  async putEventOfCycle(leadId: string, event: StoredEvent & { readonly cycle: number }): Promise<void> {
    const partition = this.events.get(leadId) ?? new Map<string, StoredEvent>();
    this.events.set(leadId, partition);
    partition.set(eventKey(leadId, event.occurredAt, event.eventId).sk, this.copy(event));
  }

  async deleteEvent(leadId: string, event: Pick<StoredEvent, 'occurredAt' | 'eventId'>): Promise<void> {
    const { sk } = eventKey(leadId, event.occurredAt, event.eventId);
    this.events.get(leadId)?.delete(sk);
    this.readCopies.get(leadId)?.delete(sk);
  }

  async deleteReadCopy(leadId: string, event: Pick<StoredEvent, 'occurredAt' | 'eventId'>): Promise<void> {
    this.readCopies.get(leadId)?.delete(eventKey(leadId, event.occurredAt, event.eventId).sk);
  }

  /** both places, in key order; one stored in both is the read's copy (as the table's listEvents) */
  async listEvents(leadId: string): Promise<StoredEvent[]> {
    const merged = new Map([
      ...(this.events.get(leadId) ?? new Map<string, StoredEvent>()),
      ...(this.readCopies.get(leadId) ?? new Map<string, StoredEvent>()),
    ]);
    return listSorted(new Map([[leadId, merged]]), leadId, this.read);
  }

  async listNewestEvents(leadId: string, limit: number, before?: EventPosition): Promise<StoredEvent[]> {
    const bound = before && eventKey(leadId, before.occurredAt, before.eventId).sk;
    const events = await this.listEvents(leadId);
    return (
      bound ? events.filter((event) => eventKey(leadId, event.occurredAt, event.eventId).sk < bound) : events
    ).slice(-limit);
  }

  async markEventsPending(leadId: string, mark: PendingEvents): Promise<void> {
    pendingKey(leadId, mark.id);
    const marks = this.pending.get(leadId) ?? new Map<string, PendingEvents>();
    marks.set(mark.id, { ...mark });
    this.pending.set(leadId, marks);
  }

  async clearEventsPending(leadId: string, ids: readonly string[]): Promise<void> {
    const marks = this.pending.get(leadId);
    for (const id of ids) marks?.delete(id);
  }

  async deleteAttempt(leadId: string, attemptId: string): Promise<void> {
    this.attempts.get(leadId)?.delete(attemptKey(leadId, attemptId).sk);
  }

  async appendAttempt(leadId: string, attempt: Attempt): Promise<'appended' | 'duplicate'> {
    return putNew(this.attempts, leadId, attemptKey(leadId, attempt.attemptId).sk, this.copy(attempt));
  }

  /** the memory store keeps the whole (capped) timeline on the state */
  async listMovedEntries(): Promise<TimelineEntry[]> {
    return [];
  }

  async listAttempts(leadId: string): Promise<Attempt[]> {
    return listSorted(this.attempts, leadId, this.read).sort(attemptOrder);
  }

  async deleteLeadHistory(
    leadId: string,
    options: { readonly keepCyclesAfter?: number } = {},
  ): Promise<void> {
    stateKey(leadId);
    const after = options.keepCyclesAfter;
    for (const place of [this.events, this.readCopies]) {
      const events = place.get(leadId);
      if (after === undefined || !events) place.delete(leadId);
      else {
        // events of a later cycle (putEventOfCycle) stay
        for (const [sk, event] of events)
          if (!(event.cycle !== undefined && event.cycle > after)) events.delete(sk);
      }
    }
    this.attempts.delete(leadId);
    this.marks.delete(leadId);
    this.pending.delete(leadId);
  }

  async listLeadsByOwner(
    ownerId: string,
    options: { status?: string; limit?: number } = {},
  ): Promise<LeadSummary[]> {
    const limit = checkLimit(options.limit);
    const partition = this.indexPartition(OWNER_INDEX.indexName, ownerIndexPartition(ownerId));
    if (options.status !== undefined) {
      const prefix = ownerIndexStatusPrefix(options.status);
      return byIndexSortKeyDescending(partition, (sk) => sk.startsWith(prefix)).slice(0, limit);
    }
    return byIndexSortKeyDescending(partition, () => true)
      .sort(newestFirst)
      .slice(0, limit);
  }

  async nextTurn(queueId: string): Promise<number> {
    rotationKey(queueId);
    const turn = (this.turns.get(queueId) ?? 0) + 1;
    this.turns.set(queueId, turn);
    return turn;
  }

  async listCapacityReservations(repId: string): Promise<CapacityReservation[]> {
    capacityPartition(repId);
    return [...(this.reservations.get(repId)?.values() ?? [])]
      .sort((a, b) => a.position - b.position)
      .map((reservation) => ({ ...reservation }));
  }

  async putCapacityReservation(
    repId: string,
    reservation: CapacityReservation,
    replacing?: CapacityReservation,
  ): Promise<boolean> {
    capacityReservationKey(repId, reservation.position);
    const positions = this.reservations.get(repId) ?? new Map<number, CapacityReservation>();
    this.reservations.set(repId, positions);
    const there = positions.get(reservation.position);
    const free = replacing
      ? there !== undefined && there.leadId === replacing.leadId && there.at === replacing.at
      : there === undefined;
    if (!free) return false;
    positions.set(reservation.position, {
      position: reservation.position,
      leadId: reservation.leadId,
      at: reservation.at,
    });
    return true;
  }

  async getOwnerPick(leadId: string): Promise<OwnerPick | undefined> {
    const pick = this.picks.get(leadId);
    return pick ? { ...pick } : undefined;
  }

  async putOwnerPick(leadId: string, pick: OwnerPick): Promise<void> {
    this.picks.set(leadId, { handover: pick.handover, repId: pick.repId, at: pick.at });
  }

  async listDueLeads(until: string, options: { limit?: number; after?: DuePlace } = {}): Promise<DueLead[]> {
    const limit = checkLimit(options.limit);
    const bound = `${keyTime(until)}$`;
    const after = options.after ? dueSortKey(options.after.dueAt, options.after.leadId) : undefined;
    const due: DueLead[] = [];
    for (const partition of this.indexes.get(DUE_INDEX.indexName)!.values()) {
      for (const entry of partition.values())
        if (entry.sk < bound && (after === undefined || entry.sk > after)) due.push(entry.due!);
    }
    due.sort(earliestDue);
    return (limit === undefined ? due : due.slice(0, limit)).map((lead) => ({ ...lead }));
  }

  async readDueCursor(): Promise<DueCursor | undefined> {
    return this.dueCursor ? { ...this.dueCursor } : undefined;
  }

  async saveDueCursor(next: DueCursor, previous: DueCursor | undefined): Promise<boolean> {
    if (this.dueCursor?.revision !== previous?.revision) return false;
    this.dueCursor = { revision: next.revision, ...(next.after ? { after: { ...next.after } } : {}) };
    return true;
  }

  async readRetentionPass(): Promise<RetentionPass | undefined> {
    return this.retentionPass ? structuredClone(this.retentionPass) : undefined;
  }

  async saveRetentionPass(next: RetentionPass, previous: RetentionPass | undefined): Promise<boolean> {
    if (this.retentionPass?.revision !== previous?.revision) return false;
    this.retentionPass = structuredClone(next);
    return true;
  }

  async readMigrationMark(): Promise<MigrationMark | undefined> {
    return this.migration?.mark ? { ...this.migration.mark } : undefined;
  }

  async beginMigration(runId: string): Promise<void> {
    this.migration = { runId };
  }

  async recordMigrationMark(mark: MigrationMark, runId: string): Promise<boolean> {
    if (this.migration?.runId !== runId) return false;
    this.migration = { runId, mark: { ...mark } };
    return true;
  }

  /**
   * The JSON bytes of the lead's state as stored (share mode: known, not measured again; else measured):
   * what the simulator prices a DynamoDB write by (local/simulate/operations.ts).
   */
  /** the lead as stored (frozen, in `share` mode: its JSON bytes known without serialising) */
  storedState(leadId: string): LeadState | undefined {
    return this.leads.get(leadId);
  }

  // ---------- helpers ----------

  private writeLead(state: LeadState): void {
    const stored = this.copy(state, this.leads.get(state.leadId));
    this.leads.set(state.leadId, stored);
    // maintain the sparse indexes exactly as DynamoDB does: drop the old entries, add the new ones
    this.unindex(state.leadId);
    this.index(stored);
  }

  private unindex(leadId: string): void {
    for (const [indexName, pk] of this.placed.get(leadId) ?? []) {
      const partitions = this.indexes.get(indexName)!;
      const partition = partitions.get(pk);
      partition?.delete(leadId);
      if (partition?.size === 0) partitions.delete(pk);
    }
    this.placed.delete(leadId);
  }

  private index(state: LeadState): void {
    // no search index here: its keys (folded names) are not built
    const keys = leadIndexKeys(state, { search: false });
    const placed: [string, string][] = [];
    for (const index of [OWNER_INDEX, STAGE_DAY_INDEX, DUE_INDEX]) {
      const pk = keys[index.partitionKey];
      const sk = keys[index.sortKey];
      if (pk === undefined || sk === undefined) continue;
      const partitions = this.indexes.get(index.indexName)!;
      const partition = partitions.get(pk) ?? new Map();
      partitions.set(pk, partition);
      partition.set(state.leadId, {
        sk,
        summary: summaryOf(state),
        ...(index === DUE_INDEX ? { due: toDueLead(state as unknown as Record<string, unknown>) } : {}),
      });
      placed.push([index.indexName, pk]);
    }
    if (placed.length > 0) this.placed.set(state.leadId, placed);
  }

  private indexPartition(indexName: string, pk: string): IndexPartition {
    return this.indexes.get(indexName)!.get(pk) ?? new Map();
  }
}

function putNew<T>(
  store: Map<string, Map<string, T>>,
  leadId: string,
  sk: string,
  value: T,
): 'appended' | 'duplicate' {
  const partition = store.get(leadId) ?? new Map<string, T>();
  if (partition.has(sk)) return 'duplicate';
  store.set(leadId, partition);
  partition.set(sk, value);
  return 'appended';
}

function listSorted<T>(store: Map<string, Map<string, T>>, leadId: string, read: (value: T) => T): T[] {
  stateKey(leadId);
  const partition = store.get(leadId);
  if (!partition) return [];
  return [...partition.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, value]) => read(value));
}

function byIndexSortKeyDescending(partition: IndexPartition, keep: (sk: string) => boolean): LeadSummary[] {
  return [...partition.values()]
    .filter((entry) => keep(entry.sk))
    .sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0))
    .map((entry) => ({ ...entry.summary }));
}

function summaryOf(state: LeadState): LeadSummary {
  return {
    leadId: state.leadId,
    stage: state.stage,
    status: state.status,
    ...(state.ownerId !== undefined ? { ownerId: state.ownerId } : {}),
    total: state.total,
    updatedAt: state.updatedAt,
  };
}

/** A deep copy of plain data that drops undefined (in objects and arrays), like a DynamoDB round trip. */
function copy<T>(value: T): T {
  // loops, not filter/map/Object.entries: this runs on every read and write (the simulator's hot spot)
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) if (item !== undefined) out.push(copy(item));
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = copy(item);
  }
  return out as T;
}
