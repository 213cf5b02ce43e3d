/**
 * The single table, defined once: attribute names, secondary indexes, projections and the key builders.
 * The DynamoDB adapter, the in-memory store (for identical ordering), the local harness (createTableInput)
 * and the CDK table construct all derive from these constants, so a key format lives in one place.
 *
 * Items (one partition per lead, plus one per routing queue):
 *   pk `LEAD#<leadId>`     sk `STATE`                            the lead's state (LeadState + index keys)
 *   pk `LEAD#<leadId>`     sk `EVENT#<occurredAt>#<eventId>`     one engagement event
 *   pk `LEAD#<leadId>`     sk `ATTEMPT#<attemptId>`              one contact attempt (keyed by its id alone, so
 *                                                                a retry with another time is the same item)
 *   pk `ROUTING#<queueId>` sk `ROTATION`                         a queue's rotation turn counter (atomic ADD)
 *
 * Indexes (sparse: an item without the index keys is not in the index):
 *   GSI1 a rep's open leads  gsi1pk `OWNER#<ownerId>`                 gsi1sk `<status>#<updatedAt>`
 *        only on state items with an owner that are open (stage not customer, not erased)
 *   GSI2 leads by stage/day  gsi2pk `STAGE#<stage>#<YYYY-MM-DD>`       gsi2sk `<updatedAt>#<leadId>`
 *        on every state item; the day is the UTC day of updatedAt
 *   GSI3 leads by due time   gsi3pk `DUE#<shard 00-15>`                gsi3sk `<dueAt>#<leadId>`
 *        only on state items with something due (dueAt): what the reconciler sweeps; 16 shards by
 *        lead id spread the writes of a burst over 16 index partitions
 * GSI1 and GSI2 project only the attributes of a LeadSummary (the state item can be large: its
 * timeline); GSI3 projects the due time and the workflow generation.
 *
 * No AWS SDK runtime import here (types only), so the CDK app and the domain-facing code can share it.
 */
import type { CreateTableCommandInput, ProjectionType } from '@aws-sdk/client-dynamodb';
import type { LifecycleStage } from '../domain/sla-schema.ts';
import type { DueLead, LeadState } from '../ports/lead-store.ts';

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
/** which kind of item this is (lead, event, attempt, rotation): for humans reading exports, never queried */
export const ENTITY_ATTRIBUTE = 'entity';

/** What an index returns per lead: exactly the attributes of a LeadSummary. */
export const SUMMARY_ATTRIBUTES = ['leadId', 'stage', 'status', 'ownerId', 'total', 'updatedAt'] as const;

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projectionType: ProjectionType;
  readonly nonKeyAttributes: readonly string[];
}

export const OWNER_INDEX = {
  indexName: 'GSI1',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: SUMMARY_ATTRIBUTES,
} as const satisfies IndexDefinition;

export const STAGE_DAY_INDEX = {
  indexName: 'GSI2',
  partitionKey: 'gsi2pk',
  sortKey: 'gsi2sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: SUMMARY_ATTRIBUTES,
} as const satisfies IndexDefinition;

/** What the due index returns per lead: enough to decide whether its workflow needs a restart. */
export const DUE_ATTRIBUTES = ['leadId', 'dueAt', 'cycle', 'generation'] as const;

export const DUE_INDEX = {
  indexName: 'GSI3',
  partitionKey: 'gsi3pk',
  sortKey: 'gsi3sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: DUE_ATTRIBUTES,
} as const satisfies IndexDefinition;

/** Index partitions of the due index: a burst of new leads (all due now) spreads over them. */
export const DUE_SHARDS = 16;

export const GLOBAL_INDEXES: readonly IndexDefinition[] = [OWNER_INDEX, STAGE_DAY_INDEX, DUE_INDEX];

/** Attributes the table adds to a domain object; stripped again on read. */
export const TABLE_ATTRIBUTES: readonly string[] = [
  PARTITION_KEY,
  SORT_KEY,
  ENTITY_ATTRIBUTE,
  ...GLOBAL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
];

export const ENTITIES = { lead: 'lead', event: 'event', attempt: 'attempt', rotation: 'rotation' } as const;
export type Entity = (typeof ENTITIES)[keyof typeof ENTITIES];

const LEAD_PREFIX = 'LEAD#';
const ROUTING_PREFIX = 'ROUTING#';
const OWNER_PREFIX = 'OWNER#';
const STAGE_PREFIX = 'STAGE#';
const DUE_PREFIX = 'DUE#';
export const STATE_SK = 'STATE';
export const ROTATION_SK = 'ROTATION';
export const EVENT_SK_PREFIX = 'EVENT#';
export const ATTEMPT_SK_PREFIX = 'ATTEMPT#';

export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

function part(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A time as it goes into a sort key: ISO-8601 with a zone is rewritten to the canonical UTC form
 * (`2024-05-01T12:00:00.000Z`), so keys sort by instant whatever the writer's format and the same
 * instant written two ways is the same key. Anything else is kept as given (validation is the edge's job).
 */
export function keyTime(iso: string): string {
  if (!ISO_WITH_ZONE.test(iso)) return iso;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString();
}

/** The UTC day (YYYY-MM-DD) of an ISO time, as used by the stage/day index. */
export function keyDay(iso: string): string {
  return keyTime(iso).slice(0, 10);
}

export function leadPartition(leadId: string): string {
  return LEAD_PREFIX + part('leadId', leadId);
}

export function stateKey(leadId: string): TableKey {
  return { pk: leadPartition(leadId), sk: STATE_SK };
}

export function eventKey(leadId: string, occurredAt: string, eventId: string): TableKey {
  return {
    pk: leadPartition(leadId),
    sk: `${EVENT_SK_PREFIX}${keyTime(part('occurredAt', occurredAt))}#${part('eventId', eventId)}`,
  };
}

/** Keyed by the attemptId alone: the id is what makes an attempt idempotent, its time is data (attemptOrder sorts by it). */
export function attemptKey(leadId: string, attemptId: string): TableKey {
  return { pk: leadPartition(leadId), sk: `${ATTEMPT_SK_PREFIX}${part('attemptId', attemptId)}` };
}

/** The order listAttempts returns: by time (as an instant), then by attemptId. */
export function attemptOrder(
  a: { readonly at: string; readonly attemptId: string },
  b: { readonly at: string; readonly attemptId: string },
): number {
  const at = keyTime(a.at);
  const bt = keyTime(b.at);
  if (at !== bt) return at < bt ? -1 : 1;
  return a.attemptId < b.attemptId ? -1 : a.attemptId > b.attemptId ? 1 : 0;
}

export function rotationKey(queueId: string): TableKey {
  return { pk: ROUTING_PREFIX + part('queueId', queueId), sk: ROTATION_SK };
}

/** GSI1 partition of one rep. */
export function ownerIndexPartition(ownerId: string): string {
  return OWNER_PREFIX + part('ownerId', ownerId);
}

/** GSI1 sort-key prefix selecting one status. */
export function ownerIndexStatusPrefix(status: string): string {
  return `${part('status', status)}#`;
}

/** GSI2 partition of one stage on one UTC day (YYYY-MM-DD). */
export function stageDayIndexPartition(stage: LifecycleStage, day: string): string {
  return `${STAGE_PREFIX}${part('stage', stage)}#${part('day', day)}`;
}

/** Open for its owner: has an owner, is not a customer yet, is not erased. Only such leads are in GSI1. */
export function isOpenOwnedLead(state: LeadState): boolean {
  return state.ownerId !== undefined && state.ownerId !== '' && state.stage !== 'customer' && !state.erasedAt;
}

/** The due index shard of a lead: a stable hash of its id (FNV-1a), 0 to DUE_SHARDS - 1. */
export function dueShard(leadId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < leadId.length; i++) {
    hash ^= leadId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % DUE_SHARDS;
}

/** GSI3 partition of one shard. */
export function dueIndexPartition(shard: number): string {
  return `${DUE_PREFIX}${String(shard).padStart(2, '0')}`;
}

/** The index attributes a state item carries (GSI1 only when the lead is open and owned, GSI3 when something is due). */
export function leadIndexKeys(state: LeadState): Record<string, string> {
  const keys: Record<string, string> = {
    [STAGE_DAY_INDEX.partitionKey]: stageDayIndexPartition(state.stage, keyDay(state.updatedAt)),
    [STAGE_DAY_INDEX.sortKey]: `${keyTime(state.updatedAt)}#${state.leadId}`,
  };
  if (isOpenOwnedLead(state)) {
    keys[OWNER_INDEX.partitionKey] = ownerIndexPartition(state.ownerId!);
    keys[OWNER_INDEX.sortKey] = `${ownerIndexStatusPrefix(state.status)}${keyTime(state.updatedAt)}`;
  }
  if (state.dueAt && !state.erasedAt) Object.assign(keys, dueIndexKeys(state.leadId, state.dueAt));
  return keys;
}

/** The due index attributes of a lead due at `dueAt`. */
export function dueIndexKeys(leadId: string, dueAt: string): Record<string, string> {
  return {
    [DUE_INDEX.partitionKey]: dueIndexPartition(dueShard(leadId)),
    [DUE_INDEX.sortKey]: `${keyTime(dueAt)}#${leadId}`,
  };
}

/** CreateTable input derived from the definition (on-demand billing). Used by the local harness and tests;
 *  the CDK construct derives its table from the same constants (and adds encryption, PITR, ...). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const keyAttributes = [
    PARTITION_KEY,
    SORT_KEY,
    ...GLOBAL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: GLOBAL_INDEXES.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection:
        index.projectionType === 'INCLUDE'
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] }
          : { ProjectionType: index.projectionType },
    })),
  };
}

// ---------- query and write arguments, checked the same way by every LeadStore ----------

/** The order of a rep's leads across statuses: newest update first, then by leadId. */
export function newestFirst(
  a: { readonly updatedAt: string; readonly leadId: string },
  b: { readonly updatedAt: string; readonly leadId: string },
): number {
  const at = keyTime(a.updatedAt);
  const bt = keyTime(b.updatedAt);
  if (at !== bt) return at < bt ? 1 : -1;
  return a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0;
}

/** The order of the due index: earliest due first, then by leadId. */
export function earliestDue(a: DueLead, b: DueLead): number {
  const at = keyTime(a.dueAt);
  const bt = keyTime(b.dueAt);
  if (at !== bt) return at < bt ? -1 : 1;
  return a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0;
}

/** A due-index item (or a lead state) as a DueLead. */
export function toDueLead(item: Record<string, unknown>): DueLead {
  return {
    leadId: String(item.leadId),
    dueAt: String(item.dueAt),
    cycle: Number(item.cycle ?? 1),
    generation: Number(item.generation ?? 0),
  };
}

/** A list limit: undefined (no limit) or a positive integer. */
export function checkLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return limit;
}

/** A stage/day index day: YYYY-MM-DD (a UTC day). */
export function checkDay(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`day must be YYYY-MM-DD, got ${day}`);
  return day;
}

/** saveLead's contract: the state to write carries expectedVersion + 1. */
export function checkNextVersion(state: LeadState, expectedVersion: number): void {
  if (state.version !== expectedVersion + 1) {
    throw new RangeError(
      `saveLead: state.version must be expectedVersion + 1 (${expectedVersion + 1}), got ${state.version}`,
    );
  }
}
