/**
 * What a simulated run would cost on AWS, from operations it counts as it runs, priced with the same dated
 * table as bench/cost.ts (local/aws-prices.ts) and the same formulas:
 *   state transitions   StateEntered events of every execution (the engine counts them)
 *   Lambda invocations  task states run (Advance, Handoff, Park, RecordFailure) and API requests by group
 *   Lambda GB-seconds   each invocation's memory x (a base + its DynamoDB requests and emails at in-region latencies)
 *   DynamoDB            requests and units by item size, for the requests the DynamoDB adapter makes for each
 *                       LeadStore call (countStore below) and each report fact written, with index entries
 *   SES emails          every email the notifier rendered
 *   API requests        every handler call
 *   log bytes           per transition and per invocation (ASSUMPTIONS)
 * Counted per LeadStore call, not per wire request, so the in-memory store and dynalite count the same.
 */

import { jsonBytes } from '../../lambdas/adapters/frozen-data.ts';
import { stateBodyBytes, statePlainBytes } from '../../lambdas/adapters/lead-item.ts';
import { isOpenOwnedLead } from '../../lambdas/adapters/table-definition.ts';
import type { Attempt, LeadState, StoredEvent } from '../../lambdas/domain/lead-state.ts';
import { latestFacts } from '../../lambdas/domain/report-facts.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { LeadWriteObserver } from '../../lambdas/ports/lead-queries.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import {
  ASSUMPTIONS,
  FUNCTION_MEMORY_MB,
  PRICES,
  PRICES_AS_OF,
  PRICES_REGION,
  type PricedFunction,
} from '../aws-prices.ts';

export class OperationCounts {
  transitions = 0;
  readonly invocations = new Map<PricedFunction, number>();
  apiRequests = 0;
  dynamoRequests = 0;
  readUnits = 0;
  writeUnits = 0;
  indexWriteUnits = 0;
  emails = 0;
  emailBytes = 0;

  invoke(fn: PricedFunction): void {
    this.invocations.set(fn, (this.invocations.get(fn) ?? 0) + 1);
  }

  read(bytes: number, consistent = true): void {
    this.dynamoRequests++;
    this.readUnits += Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
  }

  /** one BatchWriteItem: a request, each item's write units */
  writeBatch(itemBytes: readonly number[], indexes = 0): void {
    this.dynamoRequests++;
    for (const bytes of itemBytes) this.writeUnits += Math.max(1, Math.ceil(bytes / 1024));
    this.indexWriteUnits += indexes;
  }

  write(bytes: number, indexes = 0): void {
    this.dynamoRequests++;
    this.writeUnits += Math.max(1, Math.ceil(bytes / 1024));
    this.indexWriteUnits += indexes;
  }
}

/** JSON bytes, as JSON.stringify would make them (frozen-data.ts: measured without serialising, the memory
 *  store's frozen values not measured again) */
const sizeOf = jsonBytes;
/**
 * The index entries a state item carries (table-definition.ts leadIndexKeys), counted without building
 * the keys (folding search terms is costly): the stage/day index, a search entry per email, name and
 * company of two characters or more, the owner index while open and owned, the due index while due.
 */
const indexesOf = (state: LeadState) => {
  if (state.erasedAt) return 0;
  const long = (value: unknown) => (typeof value === 'string' && value.trim().length >= 2 ? 1 : 0);
  const name =
    long(`${state.fields.firstName ?? ''}${state.fields.lastName ?? ''}`) || long(state.fields.name);
  return (
    1 +
    long(state.email) +
    name +
    long(state.fields.company) +
    (isOpenOwnedLead(state) ? 1 : 0) +
    (state.dueAt ? 1 : 0)
  );
};

/**
 * The state item's size as the DynamoDB adapter writes it (lambdas/adapters/lead-item.ts, ADR 0037): the
 * plain attributes' JSON bytes plus the compressed `body` of the rest. Compressing every write would cost
 * the simulator a fifth of its CPU, so a lead's write is compressed for real when it is the lead's first,
 * its BODY_SAMPLE-th since the last measure, or when its rest has grown or shrunk by more than a quarter since
 * then; the others are sized by that lead's last measured ratio. Per lead, so the figure does not depend on
 * how the leads' writes interleave (the same seed gives the same bytes). On 1,000 simulated leads the table's
 * write units came within 1 % of compressing every write.
 */
export class StateItemSizes {
  private readonly measured = new Map<string, { rest: number; body: number; since: number }>();
  private restBytes = 0;
  private bodyBytes = 0;

  /** `state`: best a frozen copy (frozen-data.ts), whose JSON bytes are known without serialising */
  bytes(state: LeadState): number {
    const plain = statePlainBytes(state);
    // the rest's JSON: the whole lead's but the plain attributes (their timeline is in the rest)
    const rest = Math.max(0, sizeOf(state) - plain + sizeOf(state.timeline));
    const last = this.measured.get(state.leadId);
    if (last && last.since < BODY_SAMPLE && Math.abs(rest - last.rest) <= last.rest / 4) {
      last.since++;
      return plain + Math.max(1, Math.ceil((last.body * rest) / Math.max(1, last.rest)));
    }
    const body = stateBodyBytes(state);
    this.measured.set(state.leadId, { rest, body, since: 1 });
    this.restBytes += rest;
    this.bodyBytes += body;
    return plain + body;
  }

  /** JSON bytes of the rest per byte of body, over the writes compressed so far (1 before any) */
  ratio(): number {
    return this.bodyBytes > 0 ? this.restBytes / this.bodyBytes : 1;
  }
}
const BODY_SAMPLE = 16;

/**
 * The LeadStore, counting the DynamoDB requests and units the DynamoDB adapter makes for each call. Item
 * sizes are measured when written and remembered per lead, so a read costs no serialising.
 */
export function countStore(
  store: LeadStore,
  counts: OperationCounts,
  /** the lead's state as the store holds it, when the store keeps a frozen copy (MemoryLeadStore) */
  storedState?: (leadId: string) => LeadState | undefined,
  sizes = new StateItemSizes(),
): LeadStore {
  const bytes = new Map<string, { state: number; events: number; attempts: number }>();
  const of = (leadId: string) => {
    let known = bytes.get(leadId);
    if (!known) {
      known = { state: 0, events: 0, attempts: 0 };
      bytes.set(leadId, known);
    }
    return known;
  };
  /** `stored`: the store now holds `state` (a JSON round trip of it), so it may know its size */
  const stateWritten = (state: LeadState, stored: boolean) => {
    const size = sizes.bytes((stored ? storedState?.(state.leadId) : undefined) ?? state);
    of(state.leadId).state = size;
    return size;
  };
  return {
    async getLead(leadId) {
      const lead = await store.getLead(leadId);
      counts.read(lead ? of(leadId).state : 0);
      return lead;
    },
    async loadLead(leadId) {
      const snapshot = await store.loadLead(leadId);
      const known = of(leadId);
      // a lead's events apart from the state (ADR 0057) are not in the wake's read
      counts.read(
        snapshot ? known.state + (snapshot.state.eventsApart ? 0 : known.events) + known.attempts : 0,
      );
      return snapshot;
    },
    async parkLead(request) {
      const outcome = await store.parkLead(request);
      // an update bills the whole item's size after it: the state item as last written, plus what it adds
      const size = (bytes.get(request.leadId)?.state ?? 1024) + sizeOf(request.sent);
      // the park moves the due index entry too
      counts.write(size, 1);
      if (outcome === 'changed' && request.sent.length > 0) counts.write(size);
      return outcome;
    },
    async takeWaitToken(leadId, token, now) {
      // as DynamoDbLeadStore asks: the update that makes the lead due now, and when that one's condition
      // fails (due already, or the token is not the lead's) the one that leaves the deadline; a refused
      // conditional write is billed as a write all the same. The store's own read is not a request.
      const before = await store.getLead(leadId);
      const taken = await store.takeWaitToken(leadId, token, now);
      const size = bytes.get(leadId)?.state ?? 1024;
      const dueNow = taken && (before?.dueAt === undefined || before.dueAt > now);
      // the first update moves the due index entry
      counts.write(size, dueNow ? 1 : 0);
      if (!dueNow) counts.write(size);
      return taken;
    },
    async makeDueForNews(leadId, now) {
      // one conditional update, billed at the item's size whether its condition held or not (a new lead: no
      // item, the minimum); the due index entry moves when it holds
      const made = await store.makeDueForNews(leadId, now);
      counts.write(bytes.get(leadId)?.state ?? 0, made ? 1 : 0);
      return made;
    },
    async markSent(leadId, claim, at) {
      await store.markSent(leadId, claim, at);
      counts.write(64);
    },
    async claimConsentMailbox(claim) {
      // one conditional put of a small item of its own, billed whether its condition held or not
      const outcome = await store.claimConsentMailbox(claim);
      counts.write(128);
      return outcome;
    },
    async isMarkedSent(leadId, claim) {
      const marked = await store.isMarkedSent(leadId, claim);
      counts.read(64);
      return marked;
    },
    async createLead(state) {
      const result = await store.createLead(state);
      counts.write(stateWritten(state, result === 'created'), result === 'created' ? indexesOf(state) : 0);
      return result;
    },
    async saveLead(state, expectedVersion) {
      const result = await store.saveLead(state, expectedVersion);
      counts.write(stateWritten(state, result === 'saved'), result === 'saved' ? indexesOf(state) : 0);
      return result;
    },
    async appendEvent(leadId, event: StoredEvent, options) {
      const size = sizeOf(event);
      counts.write(size);
      const result = await store.appendEvent(leadId, event, options);
      if (result === 'appended') of(leadId).events += size;
      return result;
    },
    async listEvents(leadId) {
      const events = await store.listEvents(leadId);
      counts.read(of(leadId).events);
      return events;
    },
    async appendAttempt(leadId, attempt: Attempt) {
      const size = sizeOf(attempt);
      counts.write(size);
      const result = await store.appendAttempt(leadId, attempt);
      if (result === 'appended') of(leadId).attempts += size;
      return result;
    },
    async listAttempts(leadId) {
      const attempts = await store.listAttempts(leadId);
      counts.read(of(leadId).attempts);
      return attempts;
    },
    async recordExecution(leadId, cycle, generation) {
      // one UpdateItem of the state item
      counts.write(of(leadId).state);
      return store.recordExecution(leadId, cycle, generation);
    },
    async listMovedEntries(lead) {
      const entries = await store.listMovedEntries(lead);
      counts.read(sizeOf(entries));
      return entries;
    },
    async deleteLeadHistory(leadId, options) {
      counts.write(0);
      const known = of(leadId);
      known.events = 0;
      known.attempts = 0;
      return store.deleteLeadHistory(leadId, options);
    },
    async putEventOfCycle(leadId, event) {
      const size = sizeOf(event);
      counts.write(size);
      of(leadId).events += size;
      return store.putEventOfCycle(leadId, event);
    },
    async deleteReadCopy(leadId, event) {
      counts.write(100);
      return store.deleteReadCopy(leadId, event);
    },
    async listNewestEvents(leadId, limit, before) {
      const events = await store.listNewestEvents(leadId, limit, before);
      counts.read(sizeOf(events));
      return events;
    },
    async markEventsPending(leadId, mark) {
      counts.write(100);
      return store.markEventsPending(leadId, mark);
    },
    async clearEventsPending(leadId, ids) {
      if (ids.length) counts.write(100 * ids.length);
      return store.clearEventsPending(leadId, ids);
    },
    async deleteEvent(leadId, event) {
      counts.write(100);
      return store.deleteEvent(leadId, event);
    },
    async deleteAttempt(leadId, attemptId) {
      counts.write(100);
      return store.deleteAttempt(leadId, attemptId);
    },
    async listLeadsByOwner(ownerId, options) {
      const leads = await store.listLeadsByOwner(ownerId, options);
      // index projections are small: ~200 bytes a lead
      counts.read(leads.length * 200, false);
      return leads;
    },
    async nextTurn(queueId) {
      counts.write(100);
      return store.nextTurn(queueId);
    },
    async listCapacityReservations(repId) {
      const reservations = await store.listCapacityReservations(repId);
      counts.read(reservations.length * 100);
      return reservations;
    },
    async putCapacityReservation(repId, reservation, replacing) {
      // a refused conditional write is billed as a write all the same
      counts.write(100);
      return store.putCapacityReservation(repId, reservation, replacing);
    },
    async getOwnerPick(leadId) {
      counts.read(100);
      return store.getOwnerPick(leadId);
    },
    async putOwnerPick(leadId, pick) {
      counts.write(100);
      return store.putOwnerPick(leadId, pick);
    },
    async listDueLeads(until, options) {
      const due = await store.listDueLeads(until, options);
      counts.read(due.length * 100, false);
      return due;
    },
  };
}

/**
 * Counts the report facts each lead write puts (dynamodb-fact-log.ts: the latest change's facts, one
 * conditional put each with its day-index entry; a fact already stored still costs its request). A fact
 * item is a few hundred bytes: one write unit, not measured.
 */
export function countFacts(sla: Sla, counts: OperationCounts): LeadWriteObserver {
  return {
    async leadWritten(state, since) {
      countFactPuts(latestFacts(sla, state, since).length, counts);
    },
    // the park's facts go with its outbox mark in one BatchWriteItem (DynamoDbFactLog, which writes it)
    async leadWrittenAndSent(state, _mark, since) {
      countFactBatch(latestFacts(sla, state, since).length, counts);
    },
  };
}

/** `n` report facts and an outbox mark in BatchWriteItems of 25 (dynamodb-fact-log.ts leadWrittenAndSent). */
export function countFactBatch(n: number, counts: OperationCounts): void {
  const items = [...Array.from({ length: n }, () => FACT_ITEM_BYTES), SENT_ITEM_BYTES];
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25);
    // the index entries: one per fact (the mark, last, has none)
    counts.writeBatch(batch, Math.min(batch.length, Math.max(0, n - i)));
  }
}

const SENT_ITEM_BYTES = 64;

/** `n` report-fact puts: a request, a write unit and a day-index entry each. */
export function countFactPuts(n: number, counts: OperationCounts): void {
  for (let i = 0; i < n; i++) counts.write(FACT_ITEM_BYTES, 1);
}

const FACT_ITEM_BYTES = 400;

export interface CostFigures {
  readonly pricesAsOf: string;
  readonly region: string;
  /** counted over the whole run */
  readonly counts: {
    readonly stateTransitions: number;
    readonly lambdaInvocations: Readonly<Record<string, number>>;
    readonly lambdaGbSeconds: number;
    readonly apiRequests: number;
    readonly dynamoRequests: number;
    readonly readUnits: number;
    readonly writeUnits: number;
    readonly indexWriteUnits: number;
    readonly emails: number;
    readonly logBytes: number;
  };
  /** dollars per 1,000 leads, by line, and the total */
  readonly per1000Leads: Readonly<Record<string, number>>;
  readonly per1000LeadsTotal: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The bill of a run, per 1,000 of its leads: bench/cost.ts's lines and formulas. */
export function costOf(counts: OperationCounts, leads: number): CostFigures {
  const invocations = [...counts.invocations.values()].reduce((sum, n) => sum + n, 0);
  const gb = (fn: PricedFunction) => FUNCTION_MEMORY_MB[fn] / 1024;
  const meanGb =
    [...counts.invocations].reduce((sum, [fn, n]) => sum + n * gb(fn), 0) / Math.max(1, invocations);
  const gbSeconds =
    [...counts.invocations].reduce(
      (sum, [fn, n]) => sum + n * gb(fn) * (ASSUMPTIONS.invocationBaseMs / 1000),
      0,
    ) +
    (meanGb * (counts.dynamoRequests * ASSUMPTIONS.dynamoRequestMs + counts.emails * ASSUMPTIONS.sesSendMs)) /
      1000;
  const logBytes =
    counts.transitions * ASSUMPTIONS.logBytesPerTransition + invocations * ASSUMPTIONS.logBytesPerInvocation;
  const bill: Record<string, number> = {
    'Step Functions transitions': counts.transitions * PRICES.stateTransition,
    'Lambda requests': invocations * PRICES.lambdaRequest,
    'Lambda compute (est.)': gbSeconds * PRICES.lambdaGbSecondArm,
    'DynamoDB writes (table)': counts.writeUnits * PRICES.dynamoWriteUnit,
    'DynamoDB writes (indexes)': counts.indexWriteUnits * PRICES.dynamoWriteUnit,
    'DynamoDB reads': counts.readUnits * PRICES.dynamoReadUnit,
    'SES emails': counts.emails * PRICES.sesEmail,
    'HTTP API': counts.apiRequests * PRICES.httpApiRequest,
    'CloudWatch Logs (est.)': (logBytes / 1e9) * PRICES.logsIngestGb,
    'X-Ray traces (est.)': invocations * ASSUMPTIONS.xraySampled * PRICES.xrayTrace,
  };
  const scale = 1000 / Math.max(1, leads);
  const per1000 = Object.fromEntries(
    Object.entries(bill).map(([line, dollars]) => [line, round(dollars * scale, 4)]),
  );
  return {
    pricesAsOf: PRICES_AS_OF,
    region: PRICES_REGION,
    counts: {
      stateTransitions: counts.transitions,
      lambdaInvocations: Object.fromEntries([...counts.invocations].sort(([a], [b]) => (a < b ? -1 : 1))),
      lambdaGbSeconds: round(gbSeconds, 3),
      apiRequests: counts.apiRequests,
      dynamoRequests: counts.dynamoRequests,
      readUnits: round(counts.readUnits, 1),
      writeUnits: counts.writeUnits,
      indexWriteUnits: counts.indexWriteUnits,
      emails: counts.emails,
      logBytes,
    },
    per1000Leads: per1000,
    per1000LeadsTotal: round(Object.values(bill).reduce((sum, dollars) => sum + dollars, 0) * scale, 4),
  };
}
