/**
 * LeadStore on DynamoDB: the single table of table-definition.ts, one partition per lead, single-item
 * conditional writes only (no transactions: dynalite has none, and one partition per lead makes them needless),
 * Query only (never Scan), strongly consistent reads of the base table.
 *
 * The DocumentClient is built by the caller (a Lambda builds it once at module scope) with
 * createLeadStoreDocumentClient, or any DocumentClient marshalling with removeUndefinedValues: true.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CapacityReservation, OwnerPick } from '../domain/capacity.ts';
import { erasedEntry, executionName, timelineBase } from '../domain/lead-state.ts';
import type { MailboxClaim } from '../domain/mailbox.ts';
import type { LifecycleStage } from '../domain/sla-schema.ts';
import type { StoryCarry } from '../domain/story-carry.ts';
import {
  type Attempt,
  allSettledOrThrow,
  type DueCursor,
  type DueLead,
  type DuePlace,
  type EventPosition,
  type IndexPass,
  type LeadSnapshot,
  type LeadState,
  type LeadStore,
  type LeadSummary,
  type MigrationMark,
  type ParkOutcome,
  type ParkRequest,
  type PendingEvents,
  type RetentionPass,
  type SaveResult,
  type StoredEvent,
  type TimelineEntry,
} from '../ports/lead-store.ts';
import { claimConsentMailbox } from './dynamodb-consent-mailbox.ts';
import { fromLeadItem, type ItemFormat, leadItem } from './lead-item.ts';
import {
  ATTEMPT_SK_PREFIX,
  attemptKey,
  attemptOrder,
  capacityPartition,
  capacityReservationKey,
  checkLimit,
  checkNextVersion,
  DUE_INDEX,
  DUE_SHARDS,
  dueCursorKey,
  dueIndexKeys,
  dueIndexPartition,
  dueSortKey,
  ENTITIES,
  ENTITY_ATTRIBUTE,
  EVENT_SK_PREFIX,
  earliestDue,
  eventKey,
  FIRST_TOUCH_INDEX,
  GLOBAL_INDEXES,
  type IndexRules,
  indexPassKey,
  isWaitingForOwner,
  keyTime,
  LATER_INDEXES,
  LATER_INDEXES_KEY,
  leadIndexKeys,
  leadPartition,
  MIGRATION_MARK_KEY,
  mayBeInContact,
  NEXT_STEP_INDEX,
  newestFirst,
  OWNER_INDEX,
  OWNER_PICK_SK,
  ownerIndexPartition,
  ownerIndexStatusPrefix,
  ownerPickKey,
  PARTITION_KEY,
  PENDING_SK_PREFIX,
  pendingKey,
  retentionPassKey,
  rotationKey,
  SEARCH_INDEXES,
  SENT_SK_PREFIX,
  SORT_KEY,
  STATE_SK,
  sentKey,
  stateKey,
  type TableKey,
  TIMELINE_SK_PREFIX,
  TRAIL_SK_PREFIX,
  timelineKey,
  toDueLead,
  trailKey,
  WAITING_FOR_OWNER_PARTITION,
  withoutTableAttributes,
} from './table-definition.ts';
import { entriesBetween, entriesOfPages, pagesThrough, timelinePages } from './timeline-page.ts';

type Item = Record<string, unknown>;

/** The DocumentClient this adapter expects: undefined optional fields are dropped, numbers are plain numbers. */
export function createLeadStoreDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

export interface DynamoDbLeadStoreOptions {
  readonly tableName: string;
  /** BatchWriteItem rounds for UnprocessedItems before giving up (default 8) */
  readonly maxBatchAttempts?: number;
  /** backoff between those rounds; replaceable in tests */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * The readers' walks over the entries a write moves off the state (domain/story-carry.ts storyCarrier,
   * bound to the SLA; ADR 0030, ADR 0035). Without it a move leaves the lead with no carry: the facts of its
   * later changes see only the tail, as before, and events out reads the moved entries back.
   */
  readonly carry?: (lead: LeadState, moving: readonly TimelineEntry[]) => StoryCarry;
  /**
   * false: this store's writes never move entries off the state (a writer that runs without the SLA and so
   * cannot carry the facts' walk: its move would leave the lead with no carry for good); the tail grows by
   * its entries until the next writer that can moves them. Default true.
   */
  readonly moveTimeline?: boolean;
  /**
   * 'plain': state items written with every field an attribute, as before ADR 0037 (bench/timeline-units.ts
   * compares the two); reads take either. Default 'body'.
   */
  readonly itemFormat?: ItemFormat;
  /**
   * What the SLA says of the index entries a full write gives (table-definition.ts IndexRules: a lead past
   * contact gets no next-step entry, ADR 0053). Without it the entries are a superset, as the readers allow.
   */
  readonly indexRules?: IndexRules;
}

/**
 * The timeline on the state item is a tail (ADR 0021, ADR 0032): past TIMELINE_TAIL_MAX entries, a full write
 * first moves the oldest to a page of their own (ADR 0042), down to the newest TIMELINE_TAIL_KEEP. So the state
 * item stays small whatever the lead's history (a change on a lead with 500 entries writes about 2 units with
 * the compressed body, ADR 0037), and a move (one BatchWriteItem of one page, ~0.6 KB) happens once per
 * TIMELINE_TAIL_MAX - TIMELINE_TAIL_KEEP entries. What the domain needs from older entries is carried in state fields (the
 * report facts' walk, ADR 0030; the reasons of the "new SQL" email, in its outbox claim) or read back where a
 * page or a rare decision needs it (the story, the owners since the handoff, a recycled lead's link page).
 */
export const TIMELINE_TAIL_MAX = 16;
export const TIMELINE_TAIL_KEEP = 4;

/** DynamoDB's BatchWriteItem limit */
export const BATCH_WRITE_LIMIT = 25;

export class DynamoDbLeadStore implements LeadStore {
  private readonly tableName: string;
  private readonly maxBatchAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly carry: DynamoDbLeadStoreOptions['carry'];
  private readonly moveTimeline: boolean;
  private readonly itemFormat: ItemFormat;
  private readonly indexRules: IndexRules;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    options: DynamoDbLeadStoreOptions,
  ) {
    if (doc.config.translateConfig?.marshallOptions?.removeUndefinedValues !== true) {
      throw new TypeError(
        'DynamoDbLeadStore needs a DocumentClient with removeUndefinedValues: true (createLeadStoreDocumentClient)',
      );
    }
    if (!options.tableName) throw new TypeError('DynamoDbLeadStore needs a tableName');
    this.tableName = options.tableName;
    this.maxBatchAttempts = options.maxBatchAttempts ?? 8;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.carry = options.carry;
    this.moveTimeline = options.moveTimeline ?? true;
    this.itemFormat = options.itemFormat ?? 'body';
    this.indexRules = options.indexRules ?? {};
  }

  async indexLead(leadId: string): Promise<'indexed' | 'unchanged' | 'moved'> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: stateKey(leadId), ConsistentRead: true }),
    );
    if (!Item) return 'unchanged';
    const read = fromLeadItem(Item);
    // the next-step index is keyed by the cadence facts (ADR 0053): a lead written before them gets them
    // counted from its attempts (one Query), when it may be in the contact phase and they can be trusted
    const state = (await this.withCadenceLog(read)) ?? read;
    const keys = leadIndexKeys(state, this.indexRules);
    const set: Record<string, unknown> = {};
    if (state !== read) set.cadenceLog = state.cadenceLog;
    const remove: string[] = [];
    for (const index of LATER_INDEXES) {
      const pk = keys[index.partitionKey];
      const sk = keys[index.sortKey];
      // an entry the item lacks (never one it has: that is its writer's to change), the next-step entry the
      // facts just counted move, and a first-touch or next-step entry whose key lacks the deadline a handover
      // kept (written before ADR 0062, ADR 0065; each key is a pure function of the state, as the search
      // entries'), in the partition the state gives (the entry's presence is its writer's, with the SLA's rule)
      const moves =
        (index === NEXT_STEP_INDEX && state !== read) ||
        ((index === FIRST_TOUCH_INDEX || index === NEXT_STEP_INDEX) &&
          Item[index.partitionKey] === pk &&
          Item[index.sortKey] !== undefined &&
          Item[index.sortKey] !== sk);
      if (pk === undefined || sk === undefined || (Item[index.partitionKey] !== undefined && !moves))
        continue;
      set[index.partitionKey] = pk;
      set[index.sortKey] = sk;
      // what the index projects, as a plain attribute (a body item holds it compressed: ADR 0037)
      for (const name of index.nonKeyAttributes) {
        const value = (state as unknown as Record<string, unknown>)[name];
        if (value !== undefined && Item[name] === undefined) set[name] = value;
      }
    }
    // the search entries as the fold of today makes them (ADR 0054): one written by an older fold (a tatweel,
    // a ة) is rewritten, one an erased lead still had is removed; each is a pure function of the state
    for (const { index } of SEARCH_INDEXES) {
      for (const name of [index.partitionKey, index.sortKey]) {
        if (name in set || Item[name] === keys[name]) continue;
        if (keys[name] === undefined) remove.push(name);
        else set[name] = keys[name];
      }
      if (keys[index.partitionKey] === undefined) continue;
      for (const name of index.nonKeyAttributes) {
        const value = (state as unknown as Record<string, unknown>)[name];
        if (value !== undefined && Item[name] === undefined) set[name] = value;
      }
    }
    const names = Object.keys(set);
    if (names.length === 0 && remove.length === 0) return 'unchanged';
    const written = await this.conditionalUpdate({
      Key: stateKey(leadId),
      UpdateExpression: [
        names.length ? `SET ${names.map((_, i) => `#a${i} = :a${i}`).join(', ')}` : '',
        remove.length ? `REMOVE ${remove.map((_, i) => `#r${i}`).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      // the version read: a write since may have changed what the keys are made of
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: {
        '#version': 'version',
        ...Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
        ...Object.fromEntries(remove.map((name, i) => [`#r${i}`, name])),
      },
      ExpressionAttributeValues: {
        ':version': state.version,
        ...Object.fromEntries(names.map((name, i) => [`:a${i}`, set[name]])),
      },
    });
    return written ? 'indexed' : 'moved';
  }

  async markIndexesComplete(): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...LATER_INDEXES_KEY,
          [ENTITY_ATTRIBUTE]: ENTITIES.indexes,
          indexes: LATER_INDEXES.map((index) => index.indexName),
        },
      }),
    );
  }

  async readMigrationMark(): Promise<MigrationMark | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: MIGRATION_MARK_KEY, ConsistentRead: true }),
    );
    if (typeof Item?.slaHash !== 'string' || Item.indexes !== tableIndexNames()) return undefined;
    return {
      slaVersion: String(Item.slaVersion),
      slaHash: Item.slaHash,
      indexKeysVersion: Number(Item.indexKeysVersion),
    };
  }

  async beginMigration(runId: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...MIGRATION_MARK_KEY, [ENTITY_ATTRIBUTE]: ENTITIES.migrationMark, runId },
      }),
    );
  }

  recordMigrationMark(mark: MigrationMark, runId: string): Promise<boolean> {
    return this.conditionalPut({
      Item: {
        ...MIGRATION_MARK_KEY,
        [ENTITY_ATTRIBUTE]: ENTITIES.migrationMark,
        runId,
        slaVersion: mark.slaVersion,
        slaHash: mark.slaHash,
        indexKeysVersion: mark.indexKeysVersion,
        indexes: tableIndexNames(),
      },
      // no run began since this one: a run begun later may be writing still, and records its own
      ConditionExpression: '#runId = :runId',
      ExpressionAttributeNames: { '#runId': 'runId' },
      ExpressionAttributeValues: { ':runId': runId },
    });
  }

  /**
   * The lead with the cadence facts of its handover counted from its stored attempts, when it has none and may
   * be in the contact phase; undefined otherwise. Only facts the index trusts whatever the SLA's onReassign
   * (table-definition.ts trustedCadenceLog): from the handoff of a lead never reassigned, or none.
   */
  private async withCadenceLog(state: LeadState): Promise<LeadState | undefined> {
    if (state.cadenceLog || !mayBeInContact(state, this.indexRules.pastContact)) return undefined;
    const since = state.handedOffAt!;
    if (state.ownerSince !== undefined && keyTime(state.ownerSince) !== keyTime(since)) return undefined;
    const start = Date.parse(since);
    const times = (await this.listAttempts(state.leadId))
      .map((attempt) => Date.parse(attempt.at))
      .filter((at) => at >= start);
    const lastAt = times.length ? new Date(Math.max(...times)).toISOString() : undefined;
    return {
      ...state,
      cadenceLog: { since: keyTime(since), attempts: times.length, ...(lastAt ? { lastAt } : {}) },
    };
  }

  async readIndexPass(): Promise<IndexPass | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: indexPassKey(), ConsistentRead: true }),
    );
    return Item ? (withoutTableAttributes(Item) as unknown as IndexPass) : undefined;
  }

  async readDueCursor(): Promise<DueCursor | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: dueCursorKey(), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const after =
      typeof Item.afterDueAt === 'string' && typeof Item.afterLeadId === 'string'
        ? { dueAt: Item.afterDueAt, leadId: Item.afterLeadId }
        : undefined;
    return { revision: Number(Item.revision ?? 0), ...(after ? { after } : {}) };
  }

  saveDueCursor(next: DueCursor, previous: DueCursor | undefined): Promise<boolean> {
    return this.conditionalPut({
      Item: {
        ...dueCursorKey(),
        [ENTITY_ATTRIBUTE]: ENTITIES.dueCursor,
        revision: next.revision,
        ...(next.after ? { afterDueAt: next.after.dueAt, afterLeadId: next.after.leadId } : {}),
      },
      ...onRevision(previous),
    });
  }

  saveIndexPass(next: IndexPass, previous: IndexPass | undefined): Promise<boolean> {
    return this.conditionalPut({
      Item: { ...indexPassKey(), [ENTITY_ATTRIBUTE]: ENTITIES.indexPass, ...next },
      ...onRevision(previous),
    });
  }

  async readRetentionPass(): Promise<RetentionPass | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: retentionPassKey(), ConsistentRead: true }),
    );
    return Item ? (withoutTableAttributes(Item) as unknown as RetentionPass) : undefined;
  }

  saveRetentionPass(next: RetentionPass, previous: RetentionPass | undefined): Promise<boolean> {
    return this.conditionalPut({
      Item: { ...retentionPassKey(), [ENTITY_ATTRIBUTE]: ENTITIES.retentionPass, ...next },
      ...onRevision(previous),
    });
  }

  async getLead(leadId: string): Promise<LeadState | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: stateKey(leadId), ConsistentRead: true }),
    );
    return Item ? fromLeadItem(Item) : undefined;
  }

  async loadLead(leadId: string): Promise<LeadSnapshot | undefined> {
    let state: LeadState | undefined;
    let unlisted = false;
    const events: StoredEvent[] = [];
    const attempts: Attempt[] = [];
    const confirmed: string[] = [];
    const pending: PendingEvents[] = [];
    let pick: OwnerPick | undefined;
    // one request for a lead of ordinary size (up to 1 MB of items); the timeline entries moved off the state
    // sort after STATE and are not read (a wake needs the tail only), nor are events (ADR 0057: `TRAIL#`, the
    // tally is their sum); events stored before that (`EVENT#`) sort before STATE and come with the lead
    for await (const items of this.queryPages({
      KeyConditionExpression: '#pk = :pk AND #sk <= :state',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
      ExpressionAttributeValues: { ':pk': leadPartition(leadId), ':state': STATE_SK },
      ConsistentRead: true,
    })) {
      for (const item of items) {
        const sk = String(item[SORT_KEY]);
        if (sk === STATE_SK) {
          state = fromLeadItem(item);
          unlisted =
            isWaitingForOwner(state) && item[OWNER_INDEX.partitionKey] !== WAITING_FOR_OWNER_PARTITION;
        } else if (sk.startsWith(EVENT_SK_PREFIX)) events.push(fromItem<StoredEvent>(item));
        else if (sk.startsWith(ATTEMPT_SK_PREFIX)) attempts.push(fromItem<Attempt>(item));
        else if (sk.startsWith(SENT_SK_PREFIX)) confirmed.push(sk.slice(SENT_SK_PREFIX.length));
        else if (sk.startsWith(PENDING_SK_PREFIX)) pending.push({ id: String(item.id), at: String(item.at) });
        // the owner pick (ADR 0045) sorts before STATE: read with the lead, the pick needs no read of its own
        else if (sk === OWNER_PICK_SK) pick = ownerPickOf(item);
      }
    }
    return state
      ? {
          state,
          events,
          attempts: attempts.sort(attemptOrder),
          ...(confirmed.length ? { confirmed } : {}),
          ...(unlisted ? { unlisted: true as const } : {}),
          ...(pending.length ? { pending } : {}),
          ownerPick: { pick },
        }
      : undefined;
  }

  async parkLead(request: ParkRequest): Promise<ParkOutcome> {
    const names: Record<string, string> = {
      '#version': 'version',
      '#cycle': 'cycle',
      '#erasedAt': 'erasedAt',
    };
    const values: Record<string, unknown> = { ':cycle': request.cycle };
    const sets: string[] = [];
    if (request.sent.length > 0) {
      names['#sent'] = 'sent';
      names['#timeline'] = 'timeline';
      values[':keys'] = request.sent.map((email) => email.key);
      values[':entries'] = request.sent.map((email) => email.entry);
      sets.push('#sent = list_append(#sent, :keys)', '#timeline = list_append(#timeline, :entries)');
    }
    const parkSets = [...sets, '#version = :next', '#waitToken = :token', '#dueAt = :dueAt'];
    const parkNames: Record<string, string> = {
      ...names,
      '#waitToken': 'waitToken',
      '#dueAt': 'dueAt',
      '#signalled': 'signalled',
    };
    const parkValues: Record<string, unknown> = {
      ...values,
      ':expected': request.expectedVersion,
      ':next': request.expectedVersion + 1,
      ':token': request.waitToken,
      ':dueAt': request.dueAt,
    };
    // the due index follows the deadline
    const due = dueIndexUpdate(request.leadId, request.dueAt);
    parkSets.push(...due.sets);
    Object.assign(parkNames, due.names);
    Object.assign(parkValues, due.values);
    if (request.generation !== undefined) {
      parkSets.push('#generation = :generation');
      parkNames['#generation'] = 'generation';
      parkValues[':generation'] = request.generation;
    }
    const parked = await this.conditionalUpdate({
      Key: stateKey(request.leadId),
      // a new park of the execution: a token a signal took before it is spent
      UpdateExpression: `SET ${parkSets.join(', ')} REMOVE #signalled`,
      ConditionExpression: '#version = :expected AND #cycle = :cycle AND attribute_not_exists(#erasedAt)',
      ExpressionAttributeNames: parkNames,
      ExpressionAttributeValues: parkValues,
    });
    if (parked) return 'parked';
    if (request.sent.length === 0) return 'changed';
    // the lead moved on: the emails were sent all the same, so record them (once: the first key decides)
    names['#sk'] = SORT_KEY;
    values[':first'] = request.sent[0]!.key;
    values[':one'] = 1;
    await this.conditionalUpdate({
      Key: stateKey(request.leadId),
      UpdateExpression: `SET ${sets.join(', ')} ADD #version :one`,
      ConditionExpression:
        'attribute_exists(#sk) AND #cycle = :cycle AND attribute_not_exists(#erasedAt) AND NOT contains(#sent, :first)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    return 'changed';
  }

  async markSent(leadId: string, claim: string, at: string): Promise<void> {
    // a plain put: the same claim marked twice is the same item
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...sentKey(leadId, claim), [ENTITY_ATTRIBUTE]: ENTITIES.sent, at },
      }),
    );
  }

  claimConsentMailbox(claim: MailboxClaim): Promise<'claimed' | 'taken'> {
    return claimConsentMailbox(this.doc, this.tableName, claim);
  }

  async isMarkedSent(leadId: string, claim: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: sentKey(leadId, claim), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  async takeWaitToken(leadId: string, token: string, now: string): Promise<boolean> {
    const names = {
      '#waitToken': 'waitToken',
      '#dueAt': 'dueAt',
      '#version': 'version',
      '#erasedAt': 'erasedAt',
      '#signalled': 'signalled',
    };
    // the token stays on the lead as `signalled` until the woken wake writes: the reconciler sends it again
    // should the SendTaskSuccess after this update fail
    const taken = 'REMOVE #waitToken ADD #version :one';
    const ours = '#waitToken = :token AND attribute_not_exists(#erasedAt)';
    // due now, and the due index with it, unless it was due already (then it stays as it is)
    const due = dueIndexUpdate(leadId, now);
    const first = await this.conditionalUpdateOnce({
      Key: stateKey(leadId),
      UpdateExpression: `SET #dueAt = :now, #signalled = :token, ${due.sets.join(', ')} ${taken}`,
      ConditionExpression: `${ours} AND (attribute_not_exists(#dueAt) OR #dueAt > :now)`,
      ExpressionAttributeNames: { ...names, ...due.names },
      ExpressionAttributeValues: { ':token': token, ':now': now, ':one': 1, ...due.values },
    });
    if (first === 'written') return true;
    const second = await this.conditionalUpdateOnce({
      Key: stateKey(leadId),
      UpdateExpression: `SET #signalled = :token ${taken}`,
      ConditionExpression: `${ours} AND #dueAt <= :now`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':token': token, ':now': now, ':one': 1 },
    });
    if (second === 'written') return true;
    if (first === 'refused' && second === 'refused') return false;
    // refused on the SDK's retry: the first try may have taken the token with its answer lost. Not to send
    // SendTaskSuccess then leaves the execution parked until its deadline (the lead is due, but the
    // reconciler leaves a live execution alone): when the token is gone, answer taken. Should another
    // signaller have taken it, the execution is sent success twice, and the second is refused (TaskTimedOut)
    const current = await this.getLead(leadId);
    return current !== undefined && current.erasedAt === undefined && current.waitToken !== token;
  }

  async makeDueForNews(leadId: string, now: string): Promise<boolean> {
    // parked with a later deadline, or dormant: due now, and the due index with it (ports: dueForNews)
    const due = dueIndexUpdate(leadId, now);
    const made = await this.conditionalUpdateOnce({
      Key: stateKey(leadId),
      UpdateExpression: `SET #dueAt = :now, ${due.sets.join(', ')} ADD #version :one`,
      ConditionExpression:
        'attribute_exists(#sk) AND attribute_not_exists(#erasedAt) AND ((attribute_exists(#waitToken) AND (attribute_not_exists(#dueAt) OR #dueAt > :now)) OR (attribute_exists(#dormant) AND attribute_not_exists(#dueAt)))',
      ExpressionAttributeNames: {
        '#sk': SORT_KEY,
        '#dueAt': 'dueAt',
        '#version': 'version',
        '#erasedAt': 'erasedAt',
        '#waitToken': 'waitToken',
        '#dormant': 'dormant',
        ...due.names,
      },
      ExpressionAttributeValues: { ':now': now, ':one': 1, ...due.values },
    });
    return made === 'written';
  }

  async recordExecution(leadId: string, cycle: number, generation: number): Promise<boolean> {
    return this.conditionalUpdate({
      Key: stateKey(leadId),
      // a dormant lead's mark goes with it: this generation is the one the mark's next signal would start
      UpdateExpression:
        'SET #execution = :execution, #generation = :generation REMOVE #dormant ADD #version :one',
      ConditionExpression:
        'attribute_exists(#sk) AND #cycle = :cycle AND attribute_not_exists(#erasedAt) AND (attribute_not_exists(#generation) OR #generation <= :generation)',
      ExpressionAttributeNames: {
        '#sk': SORT_KEY,
        '#dormant': 'dormant',
        '#execution': 'execution',
        '#generation': 'generation',
        '#version': 'version',
        '#cycle': 'cycle',
        '#erasedAt': 'erasedAt',
      },
      ExpressionAttributeValues: {
        ':execution': executionName(leadId, cycle, generation),
        ':generation': generation,
        ':cycle': cycle,
        ':one': 1,
      },
    });
  }

  async createLead(state: LeadState): Promise<'created' | 'exists'> {
    const written = await this.conditionalPut({
      Item: leadItem(state, this.itemFormat, this.indexRules),
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY },
    });
    return written ? 'created' : 'exists';
  }

  async saveLead(state: LeadState, expectedVersion: number, stored?: LeadState): Promise<SaveResult> {
    checkNextVersion(state, expectedVersion);
    const item = stored ? await this.spillTimeline(state, stored) : state;
    const put = leadItem(item, this.itemFormat, this.indexRules);
    const outcome = await this.conditionalPutOnce({
      Item: put,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expectedVersion },
    }).catch(async (error: unknown) => {
      // no answer at all (the SDK's retries spent): an erase may have come first, as with a refusal; a write
      // that landed cannot have (erase moves the version), so the repair is right whichever happened
      if (item !== state) await this.unspillIfErased(state, item).catch(() => undefined);
      throw error;
    });
    // refused on the SDK's retry: the first try may have landed with its answer lost, and then the lead
    // holds exactly this item (its write's report facts and the caller's next step depend on knowing)
    const written = outcome === 'written' || (outcome === 'refused-on-retry' && (await this.holds(put)));
    if (!written && item !== state) await this.unspillIfErased(state, item);
    return written ? 'saved' : 'conflict';
  }

  /** The lead's state item is `item`, attribute for attribute (a strongly consistent read). */
  private async holds(item: Item): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: stateKey(String(item.leadId)), ConsistentRead: true }),
    );
    return Item !== undefined && canonical(Item) === canonical(item);
  }

  /**
   * After a move whose state write failed: if the lead was erased meanwhile, the entries this writer moved
   * may have landed after the erase deleted the history, quoting personal data in their reasons. They are
   * written again as erase leaves entries (what moved where, and when: `erasedEntry`), with the PutItem the
   * move used (the writers that move entries may not delete items). A lead of a later cycle was erased
   * too (only the person's return after an erase starts one: leads-public.ts), its erased story left
   * below the new one's. Any other winner leaves them: its own next move writes the same items again
   * (spillTimeline).
   */
  private async unspillIfErased(state: LeadState, moved: LeadState): Promise<void> {
    const current = await this.getLead(state.leadId);
    if (current && !current.erasedAt && current.cycle === state.cycle) return;
    const base = timelineBase(state);
    const count = (moved.timelineSpilled ?? 0) - (state.timelineSpilled ?? 0);
    // the same pages as the move cut (erased entries are smaller, and would be cut otherwise): the same keys
    await this.putTimelineItems(state.leadId, base, state.timeline.slice(0, count), erasedEntry);
  }

  /**
   * Entries from `base` on as pages (timeline-page.ts, ADR 0042): plain puts in BatchWriteItems of 25 pages
   * (one page, one request, for an ordinary move of TIMELINE_TAIL_MAX - TIMELINE_TAIL_KEEP entries),
   * unprocessed ones sent again.
   */
  private async putTimelineItems(
    leadId: string,
    base: number,
    entries: readonly TimelineEntry[],
    as?: (entry: TimelineEntry) => TimelineEntry,
  ) {
    const puts = timelinePages(leadId, base, entries, as).map((Item) => ({ PutRequest: { Item } }));
    for (let i = 0; i < puts.length; i += BATCH_WRITE_LIMIT) {
      await this.batchWrite(puts.slice(i, i + BATCH_WRITE_LIMIT), 'timeline puts');
    }
  }

  async appendEvent(
    leadId: string,
    event: StoredEvent,
    options: { readonly old?: boolean } = {},
  ): Promise<'appended' | 'duplicate'> {
    const key = options.old ? eventKey : trailKey;
    return this.putNew(key(leadId, event.occurredAt, event.eventId), ENTITIES.event, event);
  }

  async deleteReadCopy(leadId: string, event: Pick<StoredEvent, 'occurredAt' | 'eventId'>): Promise<void> {
    // a BatchWriteItem, as deleteEvent: the grant the API's writers and the workflow's have
    await this.batchDelete([eventKey(leadId, event.occurredAt, event.eventId)]);
  }

  /**
   * Both places an event may be (ADR 0057), in store order; one stored in both is the old key's. The wake's read
   * first, then the place apart, one after the other: every move of an event stores it apart before it deletes
   * the read's copy (a wake's, a form post's), so an event not found in the read any more is found apart. Read
   * side by side, the place apart could be read before a move and the read after it: the event found in neither,
   * and a writer judging on that history (a form post) would write a tally without it (ADR 0057 amended, 2026-12-06).
   */
  async listEvents(leadId: string): Promise<StoredEvent[]> {
    const old = await this.listRawItems(partitionQuery(leadId, EVENT_SK_PREFIX));
    const trail = await this.listRawItems(partitionQuery(leadId, TRAIL_SK_PREFIX));
    return mergedEvents(old, trail);
  }

  async listNewestEvents(leadId: string, limit: number, before?: EventPosition): Promise<StoredEvent[]> {
    // newest first from either place, `limit` of each at most: the newest `limit` of both are among them. Before
    // an event: from its key down (BETWEEN is inclusive: one more read, the event itself left out)
    const newest = async (prefix: string, bound: string | undefined) => {
      const out: Item[] = [];
      const query = bound
        ? {
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :prefix AND :bound',
            ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
            ExpressionAttributeValues: { ':pk': leadPartition(leadId), ':prefix': prefix, ':bound': bound },
            ConsistentRead: true,
          }
        : partitionQuery(leadId, prefix);
      for await (const items of this.queryPages(
        { ...query, ScanIndexForward: false },
        bound ? limit + 1 : limit,
      ))
        out.push(...items.filter((item) => item[SORT_KEY] !== bound));
      return out;
    };
    const [old, trail] = await Promise.all([
      newest(EVENT_SK_PREFIX, before && eventKey(leadId, before.occurredAt, before.eventId).sk),
      newest(TRAIL_SK_PREFIX, before && trailKey(leadId, before.occurredAt, before.eventId).sk),
    ]);
    return mergedEvents(old, trail).slice(-limit);
  }

  async markEventsPending(leadId: string, mark: PendingEvents): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...pendingKey(leadId, mark.id), [ENTITY_ATTRIBUTE]: ENTITIES.pendingEvents, ...mark },
      }),
    );
  }

  async clearEventsPending(leadId: string, ids: readonly string[]): Promise<void> {
    const keys = ids.map((id) => pendingKey(leadId, id));
    for (let i = 0; i < keys.length; i += BATCH_WRITE_LIMIT)
      await this.batchDelete(keys.slice(i, i + BATCH_WRITE_LIMIT));
  }

  async appendAttempt(leadId: string, attempt: Attempt): Promise<'appended' | 'duplicate'> {
    return this.putNew(attemptKey(leadId, attempt.attemptId), ENTITIES.attempt, attempt);
  }

  async listAttempts(leadId: string): Promise<Attempt[]> {
    // keyed by id, so sorted here: a lead's attempts are few, and all are read anyway
    return (await this.listPartition<Attempt>(leadId, ATTEMPT_SK_PREFIX)).sort(attemptOrder);
  }

  async listMovedEntries(
    lead: Pick<LeadState, 'leadId' | 'timelineDropped' | 'timelineSpilled'>,
  ): Promise<TimelineEntry[]> {
    const from = lead.timelineDropped;
    const to = timelineBase(lead);
    if (to <= from) return [];
    // a page is keyed by its last entry's position, then its first: every page holding one of [from, to) is
    // in this range, and every item of one entry
    const pages = await this.listRawItems({
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :last',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
      ExpressionAttributeValues: {
        ':pk': leadPartition(lead.leadId),
        ':from': timelineKey(lead.leadId, from).sk,
        ':last': pagesThrough(lead.leadId, to - 1),
      },
      ConsistentRead: true,
    });
    return entriesBetween(entriesOfPages(lead.leadId, pages), from, to);
  }

  /**
   * Every timeline item in the lead's partition, whatever its position (erase's leftovers included): what
   * the partition holds, for checks of erase and moves. Readers of a lead's story use listMovedEntries.
   */
  async listTimeline(leadId: string): Promise<TimelineEntry[]> {
    // keys sort by the entry's place in the history
    const pages = await this.listRawItems(partitionQuery(leadId, TIMELINE_SK_PREFIX));
    return entriesBetween(entriesOfPages(leadId, pages), 0, Number.MAX_SAFE_INTEGER);
  }

  /**
   * The state to write with its oldest timeline entries moved to their own items when the tail is past
   * TIMELINE_TAIL_MAX. Only entries the stored version (`stored`, as read) already held move, never ones
   * this change adds: every writer that read any version agrees on those (the timeline only grows at its
   * end), so a plain PutItem of a page keyed by its last entry's position is idempotent, and a writer whose
   * conditional put then fails leaves a page that may overlap the winner's (its count came from another
   * version): a read merges pages by position (ADR 0042). The state put follows the moves: an entry is never
   * off the state before its page exists.
   */
  private async spillTimeline(state: LeadState, stored: LeadState): Promise<LeadState> {
    if (!this.moveTimeline || state.timeline.length <= TIMELINE_TAIL_MAX) return state;
    const base = timelineBase(state);
    // a change that rewrote the history's bookkeeping (erase) moves nothing
    if (base !== timelineBase(stored)) return state;
    const committed = stored.timeline.length;
    const count = Math.min(state.timeline.length - TIMELINE_TAIL_KEEP, committed);
    if (count <= 0) return state;
    const moving = state.timeline.slice(0, count);
    await this.putTimelineItems(state.leadId, base, moving);
    const { factsCarry: _facts, eventsCarry: _events, ...rest } = state;
    return {
      ...rest,
      timeline: state.timeline.slice(count),
      timelineSpilled: (state.timelineSpilled ?? 0) + count,
      ...this.carry?.(state, moving),
    };
  }

  async deleteLeadHistory(
    leadId: string,
    options: { readonly keepCyclesAfter?: number } = {},
  ): Promise<void> {
    for (const prefix of [
      EVENT_SK_PREFIX,
      TRAIL_SK_PREFIX,
      PENDING_SK_PREFIX,
      ATTEMPT_SK_PREFIX,
      TIMELINE_SK_PREFIX,
      SENT_SK_PREFIX,
    ]) {
      // delete page by page: memory stays flat however long the history; deleted keys lie behind the cursor
      for await (const items of this.queryPages({
        ...partitionQuery(leadId, prefix),
        ProjectionExpression: '#pk, #sk',
      })) {
        const keys = items.map((item) => ({ pk: item[PARTITION_KEY], sk: item[SORT_KEY] }) as TableKey);
        for (let i = 0; i < keys.length; i += BATCH_WRITE_LIMIT) {
          const batch = keys.slice(i, i + BATCH_WRITE_LIMIT);
          // an event of a later life (putEventOfCycle) may have replaced a listed one: each delete checks
          if (
            (prefix === EVENT_SK_PREFIX || prefix === TRAIL_SK_PREFIX) &&
            options.keepCyclesAfter !== undefined
          )
            await this.deleteEventsUpToCycle(batch, options.keepCyclesAfter);
          else await this.batchDelete(batch);
        }
      }
    }
  }

  async putEventOfCycle(leadId: string, event: StoredEvent & { readonly cycle: number }): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...event,
          ...trailKey(leadId, event.occurredAt, event.eventId),
          [ENTITY_ATTRIBUTE]: ENTITIES.event,
        },
      }),
    );
  }

  async deleteEvent(leadId: string, event: Pick<StoredEvent, 'occurredAt' | 'eventId'>): Promise<void> {
    // a BatchWriteItem (the public form's grant), as the erase's sweep deletes; wherever it is (ADR 0057)
    await this.batchDelete([
      eventKey(leadId, event.occurredAt, event.eventId),
      trailKey(leadId, event.occurredAt, event.eventId),
    ]);
  }

  async deleteAttempt(leadId: string, attemptId: string): Promise<void> {
    // a BatchWriteItem, as deleteEvent: the grant the API's writers have
    const { pk, sk } = attemptKey(leadId, attemptId);
    await this.batchDelete([{ pk, sk } as TableKey]);
  }

  /** One conditional DeleteItem per event: those of a cycle after `cycle` stay. */
  private async deleteEventsUpToCycle(keys: readonly TableKey[], cycle: number): Promise<void> {
    // a refused delete is an event of a later cycle: it stays
    await allSettledOrThrow(
      keys.map((Key) =>
        writeOutcome(
          this.doc.send(
            new DeleteCommand({
              TableName: this.tableName,
              Key,
              ConditionExpression: 'attribute_not_exists(#cycle) OR #cycle <= :cycle',
              ExpressionAttributeNames: { '#cycle': 'cycle' },
              ExpressionAttributeValues: { ':cycle': cycle },
            }),
          ),
        ),
      ),
    );
  }

  async listLeadsByOwner(
    ownerId: string,
    options: { status?: string; limit?: number } = {},
  ): Promise<LeadSummary[]> {
    const limit = checkLimit(options.limit);
    const names = { '#pk': OWNER_INDEX.partitionKey, '#sk': OWNER_INDEX.sortKey };
    if (options.status !== undefined) {
      // one status: the index order is the updatedAt order, so the limit goes to DynamoDB
      return this.queryIndex(
        {
          IndexName: OWNER_INDEX.indexName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':pk': ownerIndexPartition(ownerId),
            ':prefix': ownerIndexStatusPrefix(options.status),
          },
          ScanIndexForward: false,
        },
        limit,
      );
    }
    // all statuses: the index sorts by status first, so read the rep's open leads (a bounded set) and sort
    const all = await this.queryIndex(
      {
        IndexName: OWNER_INDEX.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': OWNER_INDEX.partitionKey },
        ExpressionAttributeValues: { ':pk': ownerIndexPartition(ownerId) },
        ScanIndexForward: false,
      },
      undefined,
    );
    return all.sort(newestFirst).slice(0, limit);
  }

  async nextTurn(queueId: string): Promise<number> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: rotationKey(queueId),
        UpdateExpression: 'ADD #turn :one SET #entity = :entity',
        ExpressionAttributeNames: { '#turn': 'turn', '#entity': ENTITY_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': 1, ':entity': ENTITIES.rotation },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.turn ?? 1);
  }

  async listCapacityReservations(repId: string): Promise<CapacityReservation[]> {
    return this.listItems<CapacityReservation>({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY },
      ExpressionAttributeValues: { ':pk': capacityPartition(repId) },
      ConsistentRead: true,
    });
  }

  async putCapacityReservation(
    repId: string,
    reservation: CapacityReservation,
    replacing?: CapacityReservation,
  ): Promise<boolean> {
    const key = capacityReservationKey(repId, reservation.position);
    return this.conditionalPut({
      Item: {
        ...key,
        [ENTITY_ATTRIBUTE]: ENTITIES.capacityReservation,
        position: reservation.position,
        leadId: reservation.leadId,
        at: reservation.at,
      },
      ...(replacing
        ? {
            ConditionExpression: '#leadId = :leadId AND #at = :at',
            ExpressionAttributeNames: { '#leadId': 'leadId', '#at': 'at' },
            ExpressionAttributeValues: { ':leadId': replacing.leadId, ':at': replacing.at },
          }
        : {
            ConditionExpression: 'attribute_not_exists(#sk)',
            ExpressionAttributeNames: { '#sk': SORT_KEY },
          }),
    });
  }

  async getOwnerPick(leadId: string): Promise<OwnerPick | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: ownerPickKey(leadId), ConsistentRead: true }),
    );
    return Item ? ownerPickOf(Item) : undefined;
  }

  async putOwnerPick(leadId: string, pick: OwnerPick): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...ownerPickKey(leadId),
          [ENTITY_ATTRIBUTE]: ENTITIES.ownerPick,
          handover: pick.handover,
          repId: pick.repId,
          at: pick.at,
        },
      }),
    );
  }

  async listDueLeads(until: string, options: { limit?: number; after?: DuePlace } = {}): Promise<DueLead[]> {
    const limit = checkLimit(options.limit);
    // `<dueAt>#<leadId>` < `<until>$`: every lead due at or before `until` ('$' follows '#')
    const bound = `${keyTime(until)}$`;
    // after a place: BETWEEN it (inclusive: dropped below) and the bound, when it is below the bound at all
    const after = options.after ? dueSortKey(options.after.dueAt, options.after.leadId) : undefined;
    if (after !== undefined && after >= bound) return [];
    const shards = await Promise.all(
      Array.from({ length: DUE_SHARDS }, async (_, shard) => {
        const out: DueLead[] = [];
        for await (const items of this.queryPages(
          {
            IndexName: DUE_INDEX.indexName,
            KeyConditionExpression:
              after === undefined
                ? '#pk = :pk AND #sk < :bound'
                : '#pk = :pk AND #sk BETWEEN :after AND :bound',
            ExpressionAttributeNames: { '#pk': DUE_INDEX.partitionKey, '#sk': DUE_INDEX.sortKey },
            ExpressionAttributeValues: {
              ':pk': dueIndexPartition(shard),
              ':bound': bound,
              ...(after === undefined ? {} : { ':after': after }),
            },
          },
          // the place itself may be the first item: one more
          limit === undefined || after === undefined ? limit : limit + 1,
        )) {
          for (const item of items)
            if (after === undefined || item[DUE_INDEX.sortKey] !== after) out.push(toDueLead(item));
        }
        return out;
      }),
    );
    const due = shards.flat().sort(earliestDue);
    return limit === undefined ? due : due.slice(0, limit);
  }

  // ---------- helpers ----------

  /** true when written, false when the condition failed; any other error propagates */
  private async conditionalPut(input: Omit<PutCommandInput, 'TableName'>): Promise<boolean> {
    return (await this.conditionalPutOnce(input)) === 'written';
  }

  /** true when written, false when the condition failed; any other error propagates */
  private async conditionalUpdate(input: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> {
    return (await this.conditionalUpdateOnce(input)) === 'written';
  }

  /** as conditionalPut; 'refused-on-retry': the condition failed on the SDK's retry (a first try may have landed) */
  private conditionalPutOnce(input: Omit<PutCommandInput, 'TableName'>): Promise<WriteOutcome> {
    return writeOutcome(this.doc.send(new PutCommand({ ...input, TableName: this.tableName })));
  }

  /** as conditionalUpdate, with conditionalPutOnce's outcomes */
  private conditionalUpdateOnce(input: Omit<UpdateCommandInput, 'TableName'>): Promise<WriteOutcome> {
    return writeOutcome(this.doc.send(new UpdateCommand({ ...input, TableName: this.tableName })));
  }

  private async putNew(key: TableKey, entity: string, body: object): Promise<'appended' | 'duplicate'> {
    const written = await this.conditionalPut({
      Item: { ...body, ...key, [ENTITY_ATTRIBUTE]: entity },
      ConditionExpression: 'attribute_not_exists(#sk)',
      ExpressionAttributeNames: { '#sk': SORT_KEY },
    });
    return written ? 'appended' : 'duplicate';
  }

  private listPartition<T>(leadId: string, prefix: string): Promise<T[]> {
    return this.listItems<T>(partitionQuery(leadId, prefix));
  }

  /** Every item a Query gives, page by page, as domain objects. */
  private async listItems<T>(input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
    return (await this.listRawItems(input)).map((item) => fromItem<T>(item));
  }

  private async listRawItems(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const out: Item[] = [];
    for await (const items of this.queryPages(input)) out.push(...items);
    return out;
  }

  private async queryIndex(
    input: Omit<QueryCommandInput, 'TableName'>,
    limit: number | undefined,
  ): Promise<LeadSummary[]> {
    const out: LeadSummary[] = [];
    for await (const items of this.queryPages(input, limit)) {
      for (const item of items) out.push(toSummary(item));
    }
    return out;
  }

  /** Follows LastEvaluatedKey; with a limit, asks only for what is still missing and stops there. */
  private async *queryPages(
    input: Omit<QueryCommandInput, 'TableName'>,
    limit?: number,
  ): AsyncGenerator<Item[]> {
    let startKey: Record<string, unknown> | undefined;
    let remaining = limit;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          ...(remaining !== undefined ? { Limit: remaining } : {}),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const items = page.Items ?? [];
      if (items.length > 0) yield items;
      if (remaining !== undefined) {
        remaining -= items.length;
        if (remaining <= 0) return;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  /** One BatchWriteItem of at most 25 deletes, resubmitting UnprocessedItems with backoff. */
  private async batchDelete(keys: readonly TableKey[]): Promise<void> {
    await this.batchWrite(
      keys.map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } })),
      'deletes',
    );
  }

  /** One BatchWriteItem of at most 25 requests, the unprocessed ones sent again with jittered backoff. */
  private async batchWrite(requests: readonly BatchRequest[], what: string): Promise<void> {
    let pending = [...requests];
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        if (attempt > this.maxBatchAttempts) {
          throw new Error(
            `BatchWriteItem left ${pending.length} ${what} unprocessed after ${this.maxBatchAttempts} attempts`,
          );
        }
        const ceiling = Math.min(2_000, 25 * 2 ** attempt);
        await this.sleep(ceiling / 2 + Math.random() * (ceiling / 2));
      }
      const { UnprocessedItems } = await this.doc.send(
        new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as BatchRequest[] } }),
      );
      pending = (UnprocessedItems?.[this.tableName] ?? []) as BatchRequest[];
    }
  }
}

type BatchRequest =
  | { readonly PutRequest: { readonly Item: Record<string, unknown> } }
  | { readonly DeleteRequest: { readonly Key: Record<string, unknown> } };

type WriteOutcome = 'written' | 'refused' | 'refused-on-retry';

/**
 * A conditional write's outcome: 'refused' when its condition failed, 'refused-on-retry' when it failed on
 * the SDK's retry (after a throttle, a 5xx or a lost connection: the first try may have landed); any other
 * error propagates.
 */
async function writeOutcome(write: Promise<unknown>): Promise<WriteOutcome> {
  try {
    await write;
    return 'written';
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
    return attempts > 1 ? 'refused-on-retry' : 'refused';
  }
}

/**
 * An item as canonical JSON, as DynamoDB stores it: map keys sorted (DynamoDB returns them in any order),
 * bytes as base64, a hole in a list dropped (the marshalling's removeUndefinedValues; JSON would write it as
 * null, and a write that landed would read as another writer's).
 */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, raw: unknown) => {
    if (raw instanceof Uint8Array) return Buffer.from(raw).toString('base64');
    if (Array.isArray(raw)) return raw.filter((one) => one !== undefined && typeof one !== 'function');
    if (raw && typeof raw === 'object')
      return Object.fromEntries(Object.entries(raw).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return raw;
  });
}

/** DynamoDB says "your condition was false" (and nothing was written) with this error name. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function partitionQuery(leadId: string, prefix: string): Omit<QueryCommandInput, 'TableName'> {
  return {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
    ExpressionAttributeValues: { ':pk': leadPartition(leadId), ':prefix': prefix },
    ConsistentRead: true,
  };
}

/** An update's SET clauses, names and values that move the lead's due index entry to `dueAt`. */
function dueIndexUpdate(
  leadId: string,
  dueAt: string,
): { sets: string[]; names: Record<string, string>; values: Record<string, unknown> } {
  const keys = dueIndexKeys(leadId, dueAt);
  const attributes = [DUE_INDEX.partitionKey, DUE_INDEX.sortKey];
  return {
    sets: attributes.map((attribute) => `#${attribute} = :${attribute}`),
    names: Object.fromEntries(attributes.map((attribute) => [`#${attribute}`, attribute])),
    values: Object.fromEntries(attributes.map((attribute) => [`:${attribute}`, keys[attribute]])),
  };
}

/** Events of either place (ADR 0057) in store order, one copy of each (the old place's when in both). */
function mergedEvents(old: readonly Item[], trail: readonly Item[]): StoredEvent[] {
  const byPlace = new Map<string, Item>();
  for (const item of trail) byPlace.set(String(item[SORT_KEY]).slice(TRAIL_SK_PREFIX.length), item);
  for (const item of old) byPlace.set(String(item[SORT_KEY]).slice(EVENT_SK_PREFIX.length), item);
  return [...byPlace.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => fromItem<StoredEvent>(item));
}

/** Drops the table's own attributes (keys, index keys, entity), leaving the domain object. */
function fromItem<T>(item: Item): T {
  return withoutTableAttributes<T>(item);
}

function toSummary(item: Item): LeadSummary {
  return {
    leadId: item.leadId as string,
    stage: item.stage as LifecycleStage,
    status: item.status as string,
    ...(item.ownerId !== undefined ? { ownerId: item.ownerId as string } : {}),
    total: item.total as number,
    updatedAt: item.updatedAt as string,
  };
}

/** An owner pick item as the domain's OwnerPick. */
function ownerPickOf(item: Record<string, unknown>): OwnerPick {
  return { handover: String(item.handover), repId: String(item.repId), at: String(item.at) };
}

/**
 * The condition of a put of a record kept by revision (the index pass's place, the reconciler's cursor): on the
 * revision read, or as the first when none was read. Of two writers that read the same revision, one lands.
 */
/** the table's indexes, as the mark of a migration names them */
const tableIndexNames = (): string => GLOBAL_INDEXES.map((index) => index.indexName).join(',');

function onRevision(
  previous: { readonly revision: number } | undefined,
): Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  return previous
    ? {
        ConditionExpression: '#revision = :revision',
        ExpressionAttributeNames: { '#revision': 'revision' },
        ExpressionAttributeValues: { ':revision': previous.revision },
      }
    : {
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY },
      };
}
