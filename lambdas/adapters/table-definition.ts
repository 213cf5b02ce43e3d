/**
 * The single table, defined once: attribute names, secondary indexes, projections and the key builders.
 * The DynamoDB adapter, the in-memory store (for identical ordering), the local harness (createTableInput)
 * and the CDK table construct all derive from these constants, so a key format lives in one place.
 *
 * Items (one partition per lead, plus one per routing queue):
 *   pk `LEAD#<leadId>`     sk `STATE`                            the lead's state (LeadState + index keys)
 *   pk `LEAD#<leadId>`     sk `TRAIL#<occurredAt>#<eventId>`     one engagement event (ADR 0057: after STATE,
 *                                                                outside the wake's Query)
 *   pk `LEAD#<leadId>`     sk `EVENT#<occurredAt>#<eventId>`     one engagement event stored before ADR 0057
 *   pk `LEAD#<leadId>`     sk `PENDING#<id>`                     a writer's events not yet folded (ADR 0057)
 *   pk `LEAD#<leadId>`     sk `ATTEMPT#<attemptId>`              one contact attempt (keyed by its id alone, so
 *                                                                a retry with another time is the same item)
 *   pk `LEAD#<leadId>`     sk `FACT#<at>#<kind>#<seq>`           one report fact (domain/report-facts.ts), written
 *                                                                once (conditional put); kept on erasure: it holds no
 *                                                                personal data
 *   pk `LEAD#<leadId>`     sk `TIMELINE#<last>#<first>`          a page of older timeline entries moved off the
 *                                                                state item (ADR 0021, ADR 0042), keyed by its
 *                                                                entries' places in the story (timeline-page.ts);
 *                                                                `TIMELINE#<seq>`: one entry, as moved before pages
 *   pk `ROUTING#<queueId>` sk `ROTATION`                         a queue's rotation turn counter (atomic ADD)
 *   pk `SIGNIN#<linkId>`   sk `USED`                             a used console sign-in link (single use)
 *   pk `PERSON#<role>#<id>` sk `SESSION#<sessionId>`, `REVOKED`  a person's console sessions, their revocation
 *   pk `PERSON#<role>#<id>` sk `EMAILS#<window>`                 sign-in emails sent to them in a clock hour
 *                                                                (`h<n>`) or UTC day (`d<n>`): an atomic count
 *
 * Indexes (sparse: an item without the index keys is not in the index):
 *   GSI1 a rep's open leads  gsi1pk `OWNER#<ownerId>`                 gsi1sk `<status>#<updatedAt>`
 *        only on state items with an owner that are open (stage not customer, not erased); and, under
 *        gsi1pk `OWNER#-`, those with none whose handoff asked a manager to decide who works them
 *   GSI2 by stage / by day, overloaded (docs/decisions/0016-report-facts.md):
 *        state items  gsi2pk `LEADS#<stage>`                 gsi2sk `<createdAt>#<leadId>`   (not erased): the lead list
 *        fact items   gsi2pk `FACTS#<YYYY-MM-DD>`            gsi2sk `<at>#<leadId>#<kind>#<seq>`: the report, day by day
 *   GSI4 email prefix        gsi4pk `EMAIL#<first 2 chars>`         gsi4sk `<email>#<leadId>`
 *   GSI5 name prefix         gsi5pk `NAME#<first 2 chars>`          gsi5sk `<first last>#<leadId>`
 *   GSI6 company prefix      gsi6pk `COMPANY#<first 2 chars>`       gsi6sk `<company>#<leadId>`
 *   GSI9 surname prefix      gsi9pk `LAST#<first 2 chars>`          gsi9sk `<last first>#<leadId>`
 *        (docs/decisions/0052-a-surname-index.md: a lead found by its last name, as by its first; the last
 *        name without the particles it opens with, 0082: von der Heide as `heide`, Al-Rashid as `rashid`)
 *   GSI11 company words      gsi11pk `WORDS#<first 2 chars>`        gsi11sk `<company from its 2nd word>#<leadId>`
 *        (docs/decisions/0061-a-word-inside-a-company.md: Kessler Industrial GmbH found by `industrial`)
 *        search terms are folded (lower case, no accents, single spaces, ة as ه and ى as ي: entries written
 *        before ADR 0054 kept those two, and a search looks them up too); only on leads not erased
 *   GSI3 leads by due time   gsi3pk `DUE#<shard 00-15>`                gsi3sk `<dueAt>#<leadId>`
 *        only on state items with something due (dueAt): what the reconciler sweeps; 16 shards by
 *        lead id spread the writes of a burst over 16 index partitions
 *   GSI7 events out (docs/decisions/0022-events-out.md, 0031), overloaded:
 *        state items     gsi7pk `EVENTS#<shard 00-15>`   gsi7sk `<updatedAt>#<leadId>#<story length>`: every
 *                        lead by its last write; the sweep reads those written since its watermark
 *        delivery items  gsi7pk `WEBHOOK#<status>`       the webhook delivery queue and log:
 *                        queued (pending, retrying) gsi7sk `Q#<subscriptionId>#<next attempt>#<deliveryId>`:
 *                          one queue per subscription in the status's partition, so the sweep reads each
 *                          subscription's due head (docs/decisions/0056-a-due-queue-per-subscription.md);
 *                          before ADR 0056 `<next attempt>#<deliveryId>`, moved to the new key as it is read
 *                        done (failed, delivered) gsi7sk `<when>#<deliveryId>`
 *   GSI8 first touches       gsi8pk `TOUCH#<ownerId>`              gsi8sk `<head>#<clock start>#<leadId>`
 *                                                                  or `<head>#due#<kept deadline>#<leadId>`
 *        (docs/decisions/0044-a-first-touch-index.md) only on open owned leads with a handover (the owner
 *        index's leads with `handedOffAt`): by whether the current handover may owe its first touch (head `-`:
 *        no attempt in its cadence facts, or none; else the status: docs/decisions/0072-overdue-by-the-handover-
 *        not-the-status.md), then by when the first-touch clock started (the earlier of handedOffAt and
 *        ownerSince, so under either onReassign), so the untouched leads whose deadline passed are one key range
 *        per owner: the overdue first touches; a lead whose
 *        current handover kept its terms (ADR 0059) by the deadline it was given instead, after every clock
 *        start (docs/decisions/0062-overdue-by-the-deadline-a-handover-kept.md): a second range per owner
 *   GSI10 next steps         gsi10pk `STEP#<ownerId>`              gsi10sk `<attempts nn>#<base>#<leadId>`
 *                                                                  or `<00 or -->#<base>#due#<kept deadline>#<leadId>`
 *        (docs/decisions/0053-due-today-skips-leads-past-contact.md) only on open owned leads with a handover
 *        that may be in the contact phase (no deal, not an opportunity, not past contact by the SLA the writer
 *        has): by the attempts of this handover (its CadenceLog), then the latest one's time (the clock's start
 *        with none), so the leads whose next step is due by a time are one key range per owner and count;
 *        `--#<clock start>`: a lead whose facts the index cannot trust (none yet, or a handover since); in `00`
 *        and `--`, a lead whose current handover kept its terms (ADR 0059) also holds the deadline it was given
 *        (docs/decisions/0065-due-today-by-the-deadline-a-handover-kept.md): those ranges reach to the day's end
 *   pk `DELIVERY#<deliveryId>` sk `DELIVERY`                    one webhook delivery (an event to one subscription)
 * GSI1 and GSI2 project only the attributes of a LeadSummary (the state item can be large: its
 * timeline); GSI3 projects the due time and the workflow generation; GSI8 what the first-touch deadline
 * and the list's order are computed from (HANDOVER_ATTRIBUTES); GSI10 what the next step's time is computed
 * from (NEXT_STEP_ATTRIBUTES).
 *
 * No AWS SDK runtime import here (types only), so the CDK app and the domain-facing code can share it.
 */
import type { CreateTableCommandInput, ProjectionType } from '@aws-sdk/client-dynamodb';
import { arabicQueryVariants } from '../domain/arabic-query-variants.ts';
import { germanQueryVariants } from '../domain/german-query-variants.ts';
import { keptTerms } from '../domain/handover-terms.ts';
import { storyLength } from '../domain/lead-state.ts';
import { withoutLeadingParticles } from '../domain/name-particles.ts';
import { asksForAnOwner } from '../domain/outbox.ts';
import { legacySpellings, searchQueryText, searchText } from '../domain/search-text.ts';
import type { LifecycleStage } from '../domain/sla-schema.ts';
import type { DueLead, LeadState } from '../ports/lead-store.ts';

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
/** which kind of item this is (lead, event, attempt, rotation): for humans reading exports, never queried */
export const ENTITY_ATTRIBUTE = 'entity';

/** What an index returns per lead: exactly the attributes of a LeadSummary. */
export const SUMMARY_ATTRIBUTES = ['leadId', 'stage', 'status', 'ownerId', 'total', 'updatedAt'] as const;

/** GSI2 projects what the list filters on (state items) and the fact itself (fact items). */
export const BY_DAY_ATTRIBUTES = [...SUMMARY_ATTRIBUTES, 'leadType', 'createdAt', 'fact'] as const;

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
  nonKeyAttributes: BY_DAY_ATTRIBUTES,
} as const satisfies IndexDefinition;

/** What a search index returns: the lead's id (the list then reads the lead). */
export const SEARCH_ATTRIBUTES = ['leadId', 'createdAt'] as const;

export const EMAIL_INDEX = {
  indexName: 'GSI4',
  partitionKey: 'gsi4pk',
  sortKey: 'gsi4sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: SEARCH_ATTRIBUTES,
} as const satisfies IndexDefinition;

export const NAME_INDEX = {
  indexName: 'GSI5',
  partitionKey: 'gsi5pk',
  sortKey: 'gsi5sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: SEARCH_ATTRIBUTES,
} as const satisfies IndexDefinition;

export const COMPANY_INDEX = {
  indexName: 'GSI6',
  partitionKey: 'gsi6pk',
  sortKey: 'gsi6sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: SEARCH_ATTRIBUTES,
} as const satisfies IndexDefinition;

export const SURNAME_INDEX = {
  indexName: 'GSI9',
  partitionKey: 'gsi9pk',
  sortKey: 'gsi9sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: SEARCH_ATTRIBUTES,
} as const satisfies IndexDefinition;

/** The company from its second word on (ADR 0061): `industrial` finds Kessler Industrial GmbH, النيل شركة النيل. */
export const COMPANY_WORDS_INDEX = {
  indexName: 'GSI11',
  partitionKey: 'gsi11pk',
  sortKey: 'gsi11sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: SEARCH_ATTRIBUTES,
} as const satisfies IndexDefinition;

/**
 * The prefix searches of `q`, each with the prefix of its partition key; `olderFold`: entries may hold the
 * fold before ADR 0054 (an index made after it holds none: its entries are looked up by `q` alone).
 */
export const SEARCH_INDEXES = [
  { index: EMAIL_INDEX, prefix: 'EMAIL#', olderFold: true },
  { index: NAME_INDEX, prefix: 'NAME#', olderFold: true },
  { index: COMPANY_INDEX, prefix: 'COMPANY#', olderFold: true },
  { index: SURNAME_INDEX, prefix: 'LAST#', olderFold: true },
  { index: COMPANY_WORDS_INDEX, prefix: 'WORDS#', olderFold: false },
] as const;

/** Characters of a search term that pick its index partition: a query needs at least this many. */
export const SEARCH_PARTITION_CHARS = 2;

/** What the due index returns per lead: enough to decide whether its workflow needs a restart. */
export const DUE_ATTRIBUTES = ['leadId', 'dueAt', 'cycle', 'generation'] as const;

export const DUE_INDEX = {
  indexName: 'GSI3',
  partitionKey: 'gsi3pk',
  sortKey: 'gsi3sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: DUE_ATTRIBUTES,
} as const satisfies IndexDefinition;

/** What the events index returns: a lead's id, or a delivery's log line (never the event's reasons). */
export const DELIVERY_ATTRIBUTES = [
  'leadId',
  'deliveryId',
  'subscriptionId',
  'url',
  'eventId',
  'eventType',
  'status',
  'attempts',
  'createdAt',
  'nextAttemptAt',
  'lastAttemptAt',
  'lastError',
  'lastStatusCode',
  'deliveredAt',
  'leaseUntil',
] as const;

export const EVENTS_INDEX = {
  indexName: 'GSI7',
  partitionKey: 'gsi7pk',
  sortKey: 'gsi7sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: DELIVERY_ATTRIBUTES,
} as const satisfies IndexDefinition;

/**
 * What the first-touch index returns per lead: its first-touch deadline is computed from these without
 * reading the lead (domain/sla-standing.ts firstTouchDeadline), and the list's order (newest update first).
 */
export const HANDOVER_ATTRIBUTES = [
  'leadId',
  'ownerId',
  'leadType',
  'handedOffAt',
  'ownerSince',
  'updatedAt',
] as const;

export const FIRST_TOUCH_INDEX = {
  indexName: 'GSI8',
  partitionKey: 'gsi8pk',
  sortKey: 'gsi8sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: HANDOVER_ATTRIBUTES,
} as const satisfies IndexDefinition;

/**
 * What the next-step index returns per lead: whether its next cadence step may be due by a time is computed
 * from these without reading the lead (ADR 0053: pastContact, the handover's clock, the cadence facts), and
 * both orders of the list (by update, by creation).
 */
export const NEXT_STEP_ATTRIBUTES = [
  'leadId',
  'ownerId',
  'stage',
  'status',
  'leadType',
  'handedOffAt',
  'ownerSince',
  'cadenceLog',
  'updatedAt',
  'createdAt',
] as const;

export const NEXT_STEP_INDEX = {
  indexName: 'GSI10',
  partitionKey: 'gsi10pk',
  sortKey: 'gsi10sk',
  projectionType: 'INCLUDE',
  nonKeyAttributes: NEXT_STEP_ATTRIBUTES,
} as const satisfies IndexDefinition;

/** What GET /leads and GET /reports/sla read. */
export const QUERY_INDEXES: readonly IndexDefinition[] = [
  OWNER_INDEX,
  STAGE_DAY_INDEX,
  EMAIL_INDEX,
  NAME_INDEX,
  COMPANY_INDEX,
  FIRST_TOUCH_INDEX,
  SURNAME_INDEX,
  NEXT_STEP_INDEX,
  COMPANY_WORDS_INDEX,
];

/** Index partitions of the due index: a burst of new leads (all due now) spreads over them. */
export const DUE_SHARDS = 16;

export const GLOBAL_INDEXES: readonly IndexDefinition[] = [
  OWNER_INDEX,
  STAGE_DAY_INDEX,
  DUE_INDEX,
  EMAIL_INDEX,
  NAME_INDEX,
  COMPANY_INDEX,
  EVENTS_INDEX,
  FIRST_TOUCH_INDEX,
  SURNAME_INDEX,
  NEXT_STEP_INDEX,
  COMPANY_WORDS_INDEX,
];

/**
 * Indexes added to a table that already held leads: an item written before one has none of its keys until
 * its next full write, or until LeadStore.indexLead gives them (the SLA migration on deploy does, for every
 * lead in flight: tasks/migrate-leads.ts; the reconciler's index pass for every lead, a batch a run:
 * tasks/reindex-leads.ts, ADR 0055, with INDEX_KEYS_VERSION raised when one is added here).
 */
export const LATER_INDEXES: readonly IndexDefinition[] = [
  FIRST_TOUCH_INDEX,
  SURNAME_INDEX,
  NEXT_STEP_INDEX,
  COMPANY_WORDS_INDEX,
];

/**
 * The item that says every lead in flight has the entries of the later indexes it names (`indexes`): written
 * by the SLA migration once it gave them to every one (tasks/migrate-leads.ts), or by the index pass at the end
 * of a walk with no lead failed (tasks/reindex-leads.ts), never while a lead may lack one (ADR 0055, amended).
 * Until it names one, a reader may not take that index for complete (lead-list.ts "due today" reads the owner
 * index instead: ADR 0053).
 */
export const LATER_INDEXES_KEY: TableKey = { pk: 'INDEXES#LATER', sk: 'COMPLETE' };

/**
 * The SLA migration's mark (tasks/migration-mark.ts, ADR 0070): `runId` of the last run to begin, and, once that run
 * finished completely, what it migrated to (`slaVersion`, `slaHash`, `indexKeysVersion`) and the table's indexes
 * then (`indexes`: a table with an index added since holds leads without its entries, so the mark is not its own).
 */
export const MIGRATION_MARK_KEY: TableKey = { pk: 'MIGRATION#SLA', sk: 'MARK' };

/** Attributes the table adds to a domain object; stripped again on read. */
export const TABLE_ATTRIBUTES: readonly string[] = [
  PARTITION_KEY,
  SORT_KEY,
  ENTITY_ATTRIBUTE,
  ...GLOBAL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
];

/** An item without the table's own attributes (keys, index keys, entity): the domain object it holds. */
export function withoutTableAttributes<T>(item: Readonly<Record<string, unknown>>): T {
  const out: Record<string, unknown> = { ...item };
  for (const name of TABLE_ATTRIBUTES) delete out[name];
  return out as T;
}

export const ENTITIES = {
  lead: 'lead',
  event: 'event',
  pendingEvents: 'pending-events',
  attempt: 'attempt',
  rotation: 'rotation',
  capacityReservation: 'capacity-reservation',
  ownerPick: 'owner-pick',
  fact: 'fact',
  timeline: 'timeline',
  sent: 'sent',
  signIn: 'sign-in',
  session: 'session',
  revocation: 'revocation',
  signInEmails: 'sign-in-emails',
  delivery: 'delivery',
  eventsCursor: 'events-cursor',
  eventsSweep: 'events-sweep',
  indexes: 'indexes',
  indexPass: 'index-pass',
  retentionPass: 'retention-pass',
  migrationMark: 'migration-mark',
  dueCursor: 'due-cursor',
  consentMailbox: 'consent-mailbox',
} as const;
export type Entity = (typeof ENTITIES)[keyof typeof ENTITIES];

const LEAD_PREFIX = 'LEAD#';
const ROUTING_PREFIX = 'ROUTING#';
const CAPACITY_PREFIX = 'CAPACITY#';
export const RESERVATION_SK_PREFIX = 'RESERVATION#';
const OWNER_PREFIX = 'OWNER#';
const LEADS_PREFIX = 'LEADS#';
const FACTS_PREFIX = 'FACTS#';
const DUE_PREFIX = 'DUE#';
const TOUCH_PREFIX = 'TOUCH#';
const STEP_PREFIX = 'STEP#';
const SIGN_IN_PREFIX = 'SIGNIN#';
const SIGN_IN_SK = 'USED';
const PERSON_PREFIX = 'PERSON#';
export const SESSION_SK_PREFIX = 'SESSION#';
const REVOKED_SK = 'REVOKED';
const SIGN_IN_EMAILS_SK_PREFIX = 'EMAILS#';
const EVENTS_PREFIX = 'EVENTS#';
const WEBHOOK_PREFIX = 'WEBHOOK#';
const DELIVERY_PREFIX = 'DELIVERY#';
export const DELIVERY_SK = 'DELIVERY';
export const STATE_SK = 'STATE';
/** the lead's last owner pick (ADR 0045): one item per lead, overwritten by the next handover's pick */
export const OWNER_PICK_SK = 'PICK';
export const ROTATION_SK = 'ROTATION';
/**
 * An engagement event as stored before ADR 0057: sorts before `STATE`, so every wake's Query (`sk <= STATE`)
 * read the lead's whole event history. Still read (listEvents) and erased; no longer written.
 */
export const EVENT_SK_PREFIX = 'EVENT#';
/**
 * An engagement event (ADR 0057): `TRAIL#<occurredAt>#<eventId>`, the same order and the same idempotency as
 * `EVENT#`, but sorting after `STATE`, outside the wake's Query: a wake reads the tally, not the history.
 */
export const TRAIL_SK_PREFIX = 'TRAIL#';
/**
 * A writer of events at work (ADR 0057): `PENDING#<id>`, written before its events and deleted once its
 * state write has folded them. Sorts before `STATE`: a wake that finds one reads the whole history.
 */
export const PENDING_SK_PREFIX = 'PENDING#';
export const ATTEMPT_SK_PREFIX = 'ATTEMPT#';
export const FACT_SK_PREFIX = 'FACT#';
/**
 * A page of timeline entries moved off the state item (ADR 0021, ADR 0042): `TIMELINE#<seq, 9 digits>`, its last entry's place in the
 * lead's whole history, so a retried move writes the same key. Sorts after `STATE`: a wake's Query
 * (`sk <= STATE`) skips them.
 */
export const TIMELINE_SK_PREFIX = 'TIMELINE#';
/** a claim's "mark sent" (LeadStore.markSent): sorts before STATE, so the wake's one Query reads it */
export const SENT_SK_PREFIX = 'SENT#';

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

const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A time as it goes into a sort key: ISO-8601 with a zone is rewritten to the canonical UTC form
 * (`2024-05-01T12:00:00.000Z`), so keys sort by instant whatever the writer's format and the same
 * instant written two ways is the same key. Anything else is kept as given (validation is the edge's job).
 */
export function keyTime(iso: string): string {
  // already canonical (what toISOString writes, nearly every time): nothing to parse
  if (iso.length === 24 && CANONICAL_UTC.test(iso)) return iso;
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

/** Where an event is stored since ADR 0057 (eventKey: where it was stored before) */
export function trailKey(leadId: string, occurredAt: string, eventId: string): TableKey {
  return {
    pk: leadPartition(leadId),
    sk: `${TRAIL_SK_PREFIX}${keyTime(part('occurredAt', occurredAt))}#${part('eventId', eventId)}`,
  };
}

export function pendingKey(leadId: string, id: string): TableKey {
  return { pk: leadPartition(leadId), sk: `${PENDING_SK_PREFIX}${part('id', id)}` };
}

/** Keyed by the attemptId alone: the id is what makes an attempt idempotent, its time is data (attemptOrder sorts by it). */
export function timelineKey(leadId: string, seq: number): TableKey {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new TypeError(`timeline seq ${seq} is not a count`);
  return { pk: leadPartition(leadId), sk: `${TIMELINE_SK_PREFIX}${String(seq).padStart(9, '0')}` };
}

export function sentKey(leadId: string, claim: string): TableKey {
  return { pk: leadPartition(leadId), sk: `${SENT_SK_PREFIX}${part('claim', claim)}` };
}

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

/** A used console sign-in link (ports/sign-in-ledger.ts): its own partition, written once. */
export function signInKey(nonce: string): TableKey {
  return { pk: SIGN_IN_PREFIX + part('nonce', nonce), sk: SIGN_IN_SK };
}

/** A person's console sessions and revocation (ports/sign-in-ledger.ts): one partition per person. */
export function personPartition(role: string, id: string): string {
  return `${PERSON_PREFIX}${part('role', role)}#${part('id', id)}`;
}

export function sessionKey(role: string, id: string, sessionId: string): TableKey {
  return { pk: personPartition(role, id), sk: SESSION_SK_PREFIX + part('sessionId', sessionId) };
}

export function revocationKey(role: string, id: string): TableKey {
  return { pk: personPartition(role, id), sk: REVOKED_SK };
}

/** The count of sign-in emails sent to a person in one window (ports/sign-in-ledger.ts countEmail). */
export function signInEmailsKey(role: string, id: string, window: string): TableKey {
  return { pk: personPartition(role, id), sk: SIGN_IN_EMAILS_SK_PREFIX + part('window', window) };
}

/** Where the reconciler's walk of the due index stands (tasks/reconcile.ts, DueCursor): one item for the table. */
export function dueCursorKey(): TableKey {
  return { pk: DUE_CURSOR_PARTITION, sk: 'DUECURSOR' };
}

/** The cursor's partition: the reconciler's grant names it (lib/store.ts, dynamodb:LeadingKeys). */
export const DUE_CURSOR_PARTITION = 'RECONCILER';

/** A mailbox's confirmation-email claim (ADR 0075): a partition of its own per mailbox, by its hash. */
export function consentMailboxKey(mailbox: string): TableKey {
  return { pk: `MAILBOX#${mailbox}`, sk: 'CONSENT' };
}

/** A lead's sort key in the due index (GSI3): `<dueAt>#<leadId>`, in the order of earliestDue. */
export function dueSortKey(dueAt: string, leadId: string): string {
  return `${keyTime(dueAt)}#${leadId}`;
}

/** The index pass's progress (tasks/reindex-leads.ts): one item for the table. */
export function indexPassKey(): TableKey {
  return { pk: 'INDEXPASS', sk: 'PROGRESS' };
}

/** The retention pass's progress (tasks/erase-unconfirmed.ts, ADR 0092): one item for the table. */
export function retentionPassKey(): TableKey {
  return { pk: 'RETENTIONPASS', sk: 'PROGRESS' };
}

export function rotationKey(queueId: string): TableKey {
  return { pk: ROUTING_PREFIX + part('queueId', queueId), sk: ROTATION_SK };
}

/** The lead's last owner pick (ADR 0045), in its own partition. */
export function ownerPickKey(leadId: string): TableKey {
  return { pk: leadPartition(leadId), sk: OWNER_PICK_SK };
}

/** A rep's capacity reservations (ADR 0040): `CAPACITY#<repId>`, `RESERVATION#<position, 6 digits>`. */
export function capacityReservationKey(repId: string, position: number): TableKey {
  if (!Number.isInteger(position) || position < 0 || position > 999_999)
    throw new Error(`capacity reservation position must be an integer 0-999999, got ${position}`);
  return { pk: capacityPartition(repId), sk: RESERVATION_SK_PREFIX + String(position).padStart(6, '0') };
}

export function capacityPartition(repId: string): string {
  return CAPACITY_PREFIX + part('repId', repId);
}

/** GSI1 partition of one rep. */
export function ownerIndexPartition(ownerId: string): string {
  return OWNER_PREFIX + part('ownerId', ownerId);
}

/**
 * GSI1 partition of the leads that wait for an owner (no owner; the handoff found nobody and asked the
 * manager: domain/outbox.ts asksForAnOwner). A rep id cannot start with "-", so no rep's partition is it.
 */
export const WAITING_FOR_OWNER_PARTITION = `${OWNER_PREFIX}-`;

/** GSI1 sort-key prefix selecting one status. */
export function ownerIndexStatusPrefix(status: string): string {
  return `${part('status', status)}#`;
}

/** GSI8 partition of one owner's leads with a handover. */
export function firstTouchIndexPartition(ownerId: string): string {
  return TOUCH_PREFIX + part('ownerId', ownerId);
}

/**
 * When the lead's first-touch clock started, at the latest: the earlier of its handoff and its current
 * owner's handover. The deadline counts from one of the two (onReassign: continue, the handoff; restart, the
 * owner's), so a key range up to a time holds every lead whose clock started by then, under either setting.
 */
export function clockStartKey(state: Pick<LeadState, 'handedOffAt' | 'ownerSince'>): string {
  const handoff = keyTime(part('handedOffAt', state.handedOffAt ?? ''));
  const since = state.ownerSince === undefined ? handoff : keyTime(state.ownerSince);
  return [handoff, since].sort()[0]!;
}

/**
 * Where GSI8 keeps the leads whose current handover kept its terms (ADR 0059), after the status: `due#`
 * sorts after every clock start (a time, which starts with a digit), so a range of clock starts holds none.
 */
export const KEPT_DEADLINE_KEY = 'due#';

/**
 * GSI8's head of the leads whose current handover may still owe its first touch (ADR 0072): the overdue list reads
 * only it. `-` starts no status id (an SLA id starts with a letter or a digit), so no entry keyed by its status
 * (before ADR 0072, or a lead whose handover has its first touch) is in a range of it.
 */
export const FIRST_TOUCH_OWED = '-';

/**
 * Whether the lead's current handover has its first touch, by its cadence facts (LeadState.cadenceLog: the
 * attempts counted from the handover's clock start, reset by a reassignment under onReassign restart). A lead
 * without facts may owe it. Its status cannot say: a rep's attempt before a reassignment leaves "attempting
 * contact" on a lead whose new owner has not touched it (ADR 0072).
 */
export function handoverTouched(state: Pick<LeadState, 'cadenceLog'>): boolean {
  return (state.cadenceLog?.attempts ?? 0) > 0;
}

/**
 * GSI8 sort key: `<head>#due#<the deadline given>#<leadId>` when the current handover kept its terms (their
 * deadline is a fact of the lead, which no later SLA moves: ADR 0062), else `<head>#<clock start>#<leadId>`
 * (the deployed SLA's window counts from it: ADR 0044). The head is FIRST_TOUCH_OWED while the handover may owe
 * its first touch, else the lead's status (ADR 0072; read by no list).
 */
export function firstTouchIndexSortKey(
  state: Pick<LeadState, 'status' | 'handedOffAt' | 'ownerSince' | 'leadId' | 'handoverTerms' | 'cadenceLog'>,
): string {
  const kept = keptTerms(state);
  const time = kept ? `${KEPT_DEADLINE_KEY}${kept.dueAt.toISOString()}` : clockStartKey(state);
  const head = handoverTouched(state) ? state.status : FIRST_TOUCH_OWED;
  return `${ownerIndexStatusPrefix(head)}${time}#${part('leadId', state.leadId)}`;
}

/** The deadline a GSI8 sort key holds (ISO): the one its handover kept; undefined for a clock start's key. */
export function keptDeadlineOfKey(sortKey: string): string | undefined {
  // after the head (no `#` in it): `due#<deadline>#<leadId>`
  const rest = sortKey.slice(sortKey.indexOf('#') + 1);
  if (!rest.startsWith(KEPT_DEADLINE_KEY)) return undefined;
  return rest.slice(KEPT_DEADLINE_KEY.length, rest.lastIndexOf('#'));
}

/**
 * The GSI8 key range of one head (FIRST_TOUCH_OWED, or a status keyed before ADR 0072) whose clock started at or
 * before `latest` (ISO): from `<head>#` to `<head>#<latest>$` ('$' sorts after '#', so every lead whose clock
 * started at `latest` is inside).
 */
export function firstTouchIndexRange(head: string, latest: string): { lower: string; upper: string } {
  const prefix = ownerIndexStatusPrefix(head);
  return { lower: prefix, upper: `${prefix}${keyTime(latest)}$` };
}

/**
 * The GSI8 key range of one head whose kept deadline is before `now` (ISO): from `<head>#due#` to
 * `<head>#due#<now>` (a key at `now` itself is longer, so after it: a deadline at now has not passed).
 */
export function keptDeadlineRange(head: string, now: string): { lower: string; upper: string } {
  const prefix = `${ownerIndexStatusPrefix(head)}${KEPT_DEADLINE_KEY}`;
  return { lower: prefix, upper: `${prefix}${keyTime(now)}` };
}

/** GSI10 partition of one owner's leads that may be in the contact phase. */
export function nextStepIndexPartition(ownerId: string): string {
  return STEP_PREFIX + part('ownerId', ownerId);
}

/** GSI10's bucket of the leads whose cadence facts the index cannot trust: read from their clock's start. */
export const UNKNOWN_STEP_BUCKET = '--';

/** GSI10's bucket of the leads with `attempts` attempts in this handover (2 digits; 99 and more alike). */
export function stepBucket(attempts: number): string {
  return String(Math.min(Math.max(0, Math.trunc(attempts)), 99)).padStart(2, '0');
}

/**
 * The cadence facts (LeadState.cadenceLog) the index may be keyed by: only facts counted from the owner's
 * handover (`ownerSince`, else the handoff), the clock's start under onReassign restart and, before any
 * reassignment, under continue too. Facts counted from the handoff of a lead reassigned since are this
 * handover's under continue and none under restart: the index cannot tell without the SLA (undefined).
 */
export function trustedCadenceLog(
  state: Pick<LeadState, 'cadenceLog' | 'handedOffAt' | 'ownerSince'>,
): { readonly attempts: number; readonly base: string } | undefined {
  const log = state.cadenceLog;
  if (!log || !state.handedOffAt) return undefined;
  const since = keyTime(log.since);
  if (since !== keyTime(state.ownerSince ?? state.handedOffAt)) return undefined;
  return { attempts: log.attempts, base: log.attempts > 0 && log.lastAt ? keyTime(log.lastAt) : since };
}

/**
 * The GSI10 buckets whose next step may be the first-touch deadline a handover kept (ADR 0059): `00` (no attempt
 * in this handover) and `--` (facts the index cannot trust: maybe none). Their entries of a lead whose current
 * handover kept its terms carry that deadline (ADR 0065); a bucket with attempts is due by the deployed cadence.
 */
export const KEPT_DEADLINE_STEP_BUCKETS: readonly string[] = ['00', UNKNOWN_STEP_BUCKET];

/**
 * GSI10 sort key: `<attempts>#<latest attempt, or the clock start>#<leadId>`, or `--#<clock start>#<leadId>`;
 * in the buckets `00` and `--`, a lead whose current handover kept its terms (keptTerms) has the deadline it was
 * given after its base: `<bucket>#<base>#due#<the deadline given>#<leadId>` (a fact of the lead, which no later
 * SLA moves: ADR 0065, as GSI8's ADR 0062). The base stays first, so a bucket's range of bases holds it as before.
 */
export function nextStepIndexSortKey(
  state: Pick<LeadState, 'cadenceLog' | 'handedOffAt' | 'ownerSince' | 'leadId' | 'handoverTerms'>,
): string {
  const facts = trustedCadenceLog(state);
  const bucket = facts ? stepBucket(facts.attempts) : UNKNOWN_STEP_BUCKET;
  const head = `${bucket}#${facts ? facts.base : clockStartKey(state)}`;
  const kept = KEPT_DEADLINE_STEP_BUCKETS.includes(bucket) ? keptTerms(state) : undefined;
  const due = kept ? `#${KEPT_DEADLINE_KEY}${kept.dueAt.toISOString()}` : '';
  return `${head}${due}#${part('leadId', state.leadId)}`;
}

/** The deadline a GSI10 sort key holds (ISO): the one its handover kept (ADR 0065); undefined when it holds none. */
export function keptDeadlineOfStepKey(sortKey: string): string | undefined {
  // `<bucket>#<base>#due#<deadline>#<leadId>`: no time, bucket or lead id holds `#due#`
  const at = sortKey.indexOf(`#${KEPT_DEADLINE_KEY}`);
  if (at < 0) return undefined;
  return sortKey.slice(at + 1 + KEPT_DEADLINE_KEY.length, sortKey.lastIndexOf('#'));
}

/**
 * The GSI10 key range of one bucket whose base is at or before `latest` (ISO); with `keptDueBefore` (ISO), in a
 * bucket whose entries may hold a kept deadline (KEPT_DEADLINE_STEP_BUCKETS), up to that time too: a deadline is
 * at or after its clock's start (the base), so every entry whose kept deadline is before it is inside (ADR 0065).
 */
export function nextStepIndexRange(
  bucket: string,
  latest: string,
  keptDueBefore?: string,
): { lower: string; upper: string } {
  const upper = `${bucket}#${keyTime(latest)}$`;
  if (keptDueBefore === undefined || !KEPT_DEADLINE_STEP_BUCKETS.includes(bucket))
    return { lower: `${bucket}#`, upper };
  const kept = `${bucket}#${keyTime(keptDueBefore)}$`;
  return { lower: `${bucket}#`, upper: kept > upper ? kept : upper };
}

/**
 * Whether an entry the range above returned is a candidate: its base at or before `latest` (the deployed SLA's
 * bound, as before ADR 0065), or the deadline its handover kept before `keptDueBefore`.
 */
export function nextStepEntryListed(
  sortKey: string,
  bucket: string,
  latest: string,
  keptDueBefore?: string,
): boolean {
  if (sortKey <= nextStepIndexRange(bucket, latest).upper) return true;
  const kept = keptDeadlineOfStepKey(sortKey);
  return keptDueBefore !== undefined && kept !== undefined && kept < keyTime(keptDueBefore);
}

/**
 * Whether a lead may be in the contact phase by what the table sees without the SLA: open and owned (the
 * owner index's), handed over, no deal, not an opportunity (planNext parks a lead with sales in the deal
 * phase). `pastContact`: the SLA's own rule (domain/sla-standing.ts pastContact), for a writer that has it.
 */
export function mayBeInContact(state: LeadState, pastContact?: (state: LeadState) => boolean): boolean {
  return (
    isOpenOwnedLead(state) &&
    !!state.handedOffAt &&
    !state.deal &&
    state.stage !== 'opportunity' &&
    !pastContact?.(state)
  );
}

/** What a writer that has the SLA tells leadIndexKeys (a writer without it indexes more, never less). */
export interface IndexRules {
  /** no cadence step whatever the attempts and the time (domain/sla-standing.ts pastContact) */
  readonly pastContact?: (state: LeadState) => boolean;
}

/** GSI2 partition of the leads in one stage (sorted by creation). */
export function stageIndexPartition(stage: LifecycleStage): string {
  return `${LEADS_PREFIX}${part('stage', stage)}`;
}

/** GSI2 sort key of a lead: by creation time, then id. */
export function stageIndexSortKey(createdAt: string, leadId: string): string {
  return `${keyTime(part('createdAt', createdAt))}#${part('leadId', leadId)}`;
}

/** GSI2 partition of the report facts of one UTC day (YYYY-MM-DD). */
export function factDayPartition(day: string): string {
  return `${FACTS_PREFIX}${part('day', day)}`;
}

/** A report fact's key in its lead's partition, and its by-day index keys. */
export function factKeys(fact: {
  readonly leadId: string;
  readonly at: string;
  readonly kind: string;
  readonly seq: number;
}): TableKey & Record<string, string> {
  const at = keyTime(part('at', fact.at));
  return {
    pk: leadPartition(fact.leadId),
    sk: `${FACT_SK_PREFIX}${at}#${part('kind', fact.kind)}#${fact.seq}`,
    [STAGE_DAY_INDEX.partitionKey]: factDayPartition(at.slice(0, 10)),
    [STAGE_DAY_INDEX.sortKey]: `${at}#${fact.leadId}#${fact.kind}#${fact.seq}`,
  };
}

/**
 * A search term as the indexes hold it and `q` is matched (domain/search-text.ts searchText): lower case,
 * accents removed (Arabic tashkeel and the hamza on a letter too: NFKD splits it off), the Arabic tatweel
 * removed, ة read as ه and ى as ي (ADR 0054), runs of white space as one space, trimmed; at most 100 characters.
 * Entries written before ADR 0054 kept ة and ى: a search looks them up by their spellings (searchSpellings).
 */
export function foldSearchTerm(value: string): string {
  const folded = searchText(value);
  return folded.slice(0, wholeUnits(folded, 100));
}

/**
 * A search query (`q`) as the search is given it: as foldSearchTerm, but ä ö ü kept, so searchQueriesFor looks
 * each up as the terms hold it (a o u) and as a keyboard without umlauts writes it (ae oe ue: ADR 0054 amended).
 */
export function foldSearchQuery(value: string): string {
  const folded = searchQueryText(value);
  return folded.slice(0, wholeUnits(folded, 100));
}

/**
 * What a search index is queried with for `q` (folded): one prefix per spelling an entry may hold (ADR 0054),
 * each with its index partition, and whether a match must be checked against `q` (isSpellingOf: the prefix
 * is shorter than `q`). `older` false: no entry of an older fold is left (ADR 0055's pass is done): `q` alone.
 */
export function searchSpellings(
  prefix: string,
  q: string,
  older = true,
): { readonly partition: string; readonly begins: string; readonly partial: boolean }[] {
  return (older ? legacySpellings(q) : [{ prefix: q, partial: false }]).flatMap((spelling) => {
    const partition = searchPartition(prefix, spelling.prefix);
    return partition ? [{ partition, begins: spelling.prefix, partial: spelling.partial }] : [];
  });
}

/** The term of a search index sort key (`<term>#<leadId>`). */
export function searchTermOfKey(sortKey: string): string {
  return sortKey.slice(0, sortKey.lastIndexOf('#'));
}

/** The search index partition of a folded term (its first characters); undefined when the term is too short. */
export function searchPartition(prefix: string, folded: string): string | undefined {
  return folded.length < SEARCH_PARTITION_CHARS
    ? undefined
    : prefix + folded.slice(0, wholeUnits(folded, SEARCH_PARTITION_CHARS));
}

/**
 * `max`, or one less where the text's unit at `max - 1` is the first half of a surrogate pair (an emoji, a
 * rare CJK character): a key cut there would hold a lone surrogate, no UTF-8 string, which DynamoDB's keys are.
 */
function wholeUnits(text: string, max: number): number {
  const last = text.charCodeAt(max - 1);
  return last >= 0xd800 && last < 0xdc00 ? max - 1 : max;
}

/**
 * The terms a lead is found by: its email, its name (first last), its company, its name last name first
 * (a rep remembers "Schmidt": `lastName`, or the words after the first of a one-field `name`; without the
 * particles it opens with, as a rep remembers "Heide" of von der Heide: ADR 0082), and its company
 * from the second word on (a rep remembers "Industrial" of Kessler Industrial GmbH, an Arab team النيل of
 * شركة النيل: ADR 0061).
 */
export function searchTermsOf(
  state: LeadState,
): Record<'EMAIL#' | 'NAME#' | 'COMPANY#' | 'LAST#' | 'WORDS#', string | undefined> {
  const text = (value: unknown) => (typeof value === 'string' ? foldSearchTerm(value) : '');
  const first = text(state.fields.firstName);
  const last = text(state.fields.lastName);
  const name = foldSearchTerm(`${first} ${last}`) || text(state.fields.name);
  const words = text(state.fields.name).split(' ');
  const company = text(state.fields.company);
  // the surname without the particles it opens with (von der Heide: heide, Al-Rashid: rashid: ADR 0082)
  const surname = last
    ? foldSearchTerm(`${withoutLeadingParticles(last)} ${first}`)
    : !first && words.length > 1
      ? foldSearchTerm(`${withoutLeadingParticles(words.slice(1).join(' '))} ${words[0]}`)
      : '';
  return {
    'EMAIL#': state.email ? foldSearchTerm(state.email) : undefined,
    'NAME#': name || undefined,
    'COMPANY#': company || undefined,
    'LAST#': surname || undefined,
    'WORDS#': companyWords(company),
  };
}

/**
 * Words an Arabic company's name opens with before its own name (ADR 0061 amended): company, companies, group,
 * establishment, factory, factories, as folded (foldSearchTerm: ة is ه).
 */
const GENERIC_COMPANY_WORDS: ReadonlySet<string> = new Set(
  ['شركة', 'شركات', 'مجموعة', 'مؤسسة', 'مصنع', 'مصانع'].map(foldSearchTerm),
);

/**
 * GSI11's term: a folded company from its second word on, past any generic words after the first
 * (مجموعة شركات النيل: النيل); from the second word when every later word is generic; none for one word.
 */
function companyWords(company: string): string | undefined {
  const words = company.split(' ');
  if (words.length < 2) return undefined;
  return words.slice(pastGenericWords(words, 1)).join(' ');
}

/** The index of the first word from `from` on that is not generic; the last word's when all later ones are. */
function pastGenericWords(words: readonly string[], from: number): number {
  let at = from;
  while (at < words.length - 1 && GENERIC_COMPANY_WORDS.has(words[at]!)) at += 1;
  return at;
}

type SearchPrefix = (typeof SEARCH_INDEXES)[number]['prefix'];

/**
 * What index `prefix` is searched by for `q` (foldSearchQuery): `q` in each of its German and Arabic spellings,
 * and for GSI11 each past the generic words it opens with, as its entries skip them (companyWords): شركات النيل finds مجموعة شركات النيل by its entry النيل, as it
 * did before the skip (ADR 0061 amended). `q` itself still: an entry the index pass has not re-keyed yet holds
 * شركات النيل. A `q` of generic words alone is searched as it is.
 */
export function searchQueriesFor(prefix: SearchPrefix, q: string): string[] {
  // a German name as it is also written (Müller / Mueller, Weiß / Weiss: german-query-variants.ts), in every
  // index (an email holds "mueller@", "weiss@"); its umlauts as the terms hold them (a o u)
  // and in the surname index without the particles it opens with, as its entries hold it ("von der heide" as
  // "heide": name-particles.ts, ADR 0082); as typed too, for an entry the index pass has not re-keyed yet
  const spellings =
    prefix === 'LAST#' ? withAndWithoutParticles(germanQueryVariants(q)) : germanQueryVariants(q);
  // an Arabic name as it is also written (عبدالله / عبد الله, قحطاني / القحطاني: arabic-query-variants.ts); a
  // name index's term opens with a first name, which takes no article: there only a query of two words or more
  const forms =
    prefix === 'EMAIL#'
      ? spellings
      : [
          ...new Set(
            spellings.flatMap((spelling) =>
              arabicQueryVariants(spelling, prefix !== 'NAME#' || spelling.includes(' ')),
            ),
          ),
        ];
  if (prefix !== 'WORDS#') return forms;
  return [
    ...new Set(
      forms.flatMap((form) => {
        const words = form.split(' ');
        const past = words.slice(pastGenericWords(words, 0)).join(' ');
        return past === form ? [form] : [form, past];
      }),
    ),
  ];
}

/** Each query as typed and, where it opens with particles, without them (the surname index's entries). */
function withAndWithoutParticles(queries: readonly string[]): string[] {
  return [...new Set(queries.flatMap((query) => [query, withoutLeadingParticles(query)]))];
}

/** Whether a lead's search terms (searchTermsOf) match `q` (foldSearchQuery), each as its index searches it. */
export function matchesSearch(terms: Readonly<Record<SearchPrefix, string | undefined>>, q: string): boolean {
  return SEARCH_INDEXES.some(({ prefix }) =>
    searchQueriesFor(prefix, q).some((query) => terms[prefix]?.startsWith(query) ?? false),
  );
}

/**
 * Open for its owner: has an owner, is not a customer yet, is not erased, and is not waiting for an owner (an
 * owner who left the SLA, whose leads its manager was asked to give away: in `OWNER#-` instead).
 */
export function isOpenOwnedLead(state: LeadState): boolean {
  return (
    state.ownerId !== undefined &&
    state.ownerId !== '' &&
    state.stage !== 'customer' &&
    !state.erasedAt &&
    !asksForAnOwner(state)
  );
}

/** In the owner index's `OWNER#-` partition: no owner, open, and its manager was asked to decide who works it. */
export function isWaitingForOwner(state: LeadState): boolean {
  return asksForAnOwner(state) && state.stage !== 'customer';
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

/**
 * The index attributes a state item carries (GSI1 only when the lead is open and owned, GSI8 when it was also
 * handed over, GSI10 when it may also be in the contact phase, GSI3 when something is due).
 */
export function leadIndexKeys(
  state: LeadState,
  options: { search?: boolean } & IndexRules = {},
): Record<string, string> {
  const keys: Record<string, string> = {};
  if (!state.erasedAt) {
    keys[STAGE_DAY_INDEX.partitionKey] = stageIndexPartition(state.stage);
    keys[STAGE_DAY_INDEX.sortKey] = stageIndexSortKey(state.createdAt, state.leadId);
  }
  // the search entries (folding names is costly): `search: false` for a store without search indexes
  if (!state.erasedAt && options.search !== false) {
    const terms = searchTermsOf(state);
    for (const { index, prefix } of SEARCH_INDEXES) {
      const term = terms[prefix];
      const partition = term ? searchPartition(prefix, term) : undefined;
      if (term && partition) {
        keys[index.partitionKey] = partition;
        keys[index.sortKey] = `${term}#${state.leadId}`;
      }
    }
  }
  if (isOpenOwnedLead(state)) {
    keys[OWNER_INDEX.partitionKey] = ownerIndexPartition(state.ownerId!);
    keys[OWNER_INDEX.sortKey] = `${ownerIndexStatusPrefix(state.status)}${keyTime(state.updatedAt)}`;
  } else if (isWaitingForOwner(state)) {
    // nobody could take it and its manager was asked (ADR 0041): the console's "Waiting for an owner"
    keys[OWNER_INDEX.partitionKey] = WAITING_FOR_OWNER_PARTITION;
    keys[OWNER_INDEX.sortKey] = `${ownerIndexStatusPrefix(state.status)}${keyTime(state.updatedAt)}`;
  }
  // the first-touch index (ADR 0044): the owner index's leads that were handed over
  if (isOpenOwnedLead(state) && state.handedOffAt) {
    keys[FIRST_TOUCH_INDEX.partitionKey] = firstTouchIndexPartition(state.ownerId!);
    keys[FIRST_TOUCH_INDEX.sortKey] = firstTouchIndexSortKey(state);
  }
  // the next-step index (ADR 0053): the owner index's leads that may be in the contact phase
  if (mayBeInContact(state, options.pastContact)) {
    keys[NEXT_STEP_INDEX.partitionKey] = nextStepIndexPartition(state.ownerId!);
    keys[NEXT_STEP_INDEX.sortKey] = nextStepIndexSortKey(state);
  }
  if (state.dueAt && !state.erasedAt) Object.assign(keys, dueIndexKeys(state.leadId, state.dueAt));
  // events out (ADR 0031): every state item is in the events index by the time of its write, with the
  // story's length, so the sweep finds what was written since its watermark and what of it is unpublished
  const length = storyLength(state);
  if (length > 0) {
    keys[EVENTS_INDEX.partitionKey] = eventsIndexPartition(dueShard(state.leadId));
    keys[EVENTS_INDEX.sortKey] = eventsIndexSortKey(state.updatedAt, state.leadId, length);
  }
  return keys;
}

/** GSI7 sort key of a state item: `<updatedAt>#<leadId>#<story length, 9 digits>` */
export function eventsIndexSortKey(updatedAt: string, leadId: string, length: number): string {
  return `${keyTime(updatedAt)}#${leadId}#${String(length).padStart(9, '0')}`;
}

/** The lead and its story's length named by a state item's GSI7 sort key (undefined: not a state item's). */
export function parseEventsIndexSortKey(
  sortKey: string,
): { at: string; leadId: string; length: number } | undefined {
  const match = /^(.+)#([^#]+)#(\d{9})$/.exec(sortKey);
  return match ? { at: match[1]!, leadId: match[2]!, length: Number(match[3]) } : undefined;
}

/**
 * The publisher's cursor over a lead's story (ADR 0031): a small item of its own, so moving it never
 * rewrites the state item. Its sort key sorts after STATE, out of a wake's Query (`sk <= STATE`).
 */
export function eventsCursorKey(leadId: string): TableKey {
  return { pk: leadPartition(leadId), sk: EVENTS_CURSOR_SK };
}
export const EVENTS_CURSOR_SK = 'STORY#PUBLISHED';

/** The sweep's watermarks, one attribute per shard of the events index (`w00` ... `w15`). */
export const EVENTS_SWEEP_KEY: TableKey = { pk: 'EVENTS#SWEEP', sk: 'WATERMARKS' };

/** GSI7 partition of one shard of leads with events to publish. */
export function eventsIndexPartition(shard: number): string {
  return `${EVENTS_PREFIX}${String(shard).padStart(2, '0')}`;
}

/** GSI7 partition of the webhook deliveries in one status. */
export function deliveryIndexPartition(status: string): string {
  return `${WEBHOOK_PREFIX}${part('status', status)}`;
}

/**
 * Where a queued delivery's GSI7 sort keys start (ADR 0056): after every key of the form before it (a time,
 * which starts with a digit), so a range below a time reads only those.
 */
export const DELIVERY_QUEUE_PREFIX = 'Q#';

/** GSI7 sort key of a delivery: queued (pending, retrying) in its subscription's queue, else by time. */
export function deliveryIndexSortKey(
  status: string,
  subscriptionId: string,
  when: string,
  deliveryId: string,
): string {
  return status === 'pending' || status === 'retrying'
    ? `${deliveryQueuePrefix(subscriptionId)}${keyTime(when)}#${deliveryId}`
    : `${keyTime(when)}#${deliveryId}`;
}

/** the start of one subscription's queue in a status's partition (ids are letters, digits, - and _) */
export function deliveryQueuePrefix(subscriptionId: string): string {
  return `${DELIVERY_QUEUE_PREFIX}${part('subscriptionId', subscriptionId)}#`;
}

/** a key after every key of this subscription's queue and before the next subscription's */
export function afterDeliveryQueue(subscriptionId: string): string {
  return `${DELIVERY_QUEUE_PREFIX}${part('subscriptionId', subscriptionId)}$`;
}

export function deliveryKey(deliveryId: string): TableKey {
  return { pk: `${DELIVERY_PREFIX}${part('deliveryId', deliveryId)}`, sk: DELIVERY_SK };
}

/** The due index attributes of a lead due at `dueAt`. */
export function dueIndexKeys(leadId: string, dueAt: string): Record<string, string> {
  return {
    [DUE_INDEX.partitionKey]: dueIndexPartition(dueShard(leadId)),
    [DUE_INDEX.sortKey]: dueSortKey(dueAt, leadId),
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
