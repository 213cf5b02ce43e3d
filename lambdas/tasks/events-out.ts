/**
 * Events out (docs/decisions/0022-events-out.md): the publisher and the webhook sender, the same code on
 * AWS (a DynamoDB stream and a schedule call it: lambdas/aws/publish-events.ts, deliver-webhooks.ts) and
 * locally (local/events-out.ts calls it after each write and on a timer).
 *
 * publishLead: the lead's entries after its cursor become events (domain/lead-events.ts), each becomes one
 * delivery per matching subscription (one conditional put each: a repeated publish stores nothing new),
 * and then the cursor moves (a conditional update on the lead's version). The EventBridge bus is one more
 * subscriber (BUS_SUBSCRIPTION, every event): the same queue, retries, log and replay as a webhook.
 *
 * deliverDue: each due delivery is leased (one conditional update), then signed and posted (or put on the
 * bus), and its outcome stored: delivered, or retried on the schedule (domain/webhooks.ts), or failed
 * after the last attempt. A crash between the send and the store repeats that one send (same id).
 */
import { eventsCarried, type LeadEvent, leadEvents } from '../domain/lead-events.ts';
import { type LeadState, storyLength, timelineBase } from '../domain/lead-state.ts';
import type { Sla } from '../domain/sla-schema.ts';
import { BUS_SUBSCRIPTION_ID } from '../domain/webhook-config.ts';
import {
  afterAttempt,
  DELIVERY_LEASE_MS,
  DELIVERY_TIMEOUT_MS,
  newDelivery,
  signedHeaders,
  subscribes,
  type WebhookDelivery,
  type WebhookSubscription,
  webhookBody,
} from '../domain/webhooks.ts';
import { type Clock, systemClock } from '../ports/clock.ts';
import { isDependencyBusy } from '../ports/dependency-busy.ts';
import type { EventBus, EventLog, WebhookResponse, WebhookTransport } from '../ports/events.ts';
import { type LeadStore, withMovedEntries } from '../ports/lead-store.ts';

export interface EventsOutDeps {
  readonly sla: Sla;
  readonly store: Pick<LeadStore, 'getLead' | 'listMovedEntries'>;
  readonly log: EventLog;
  /** EventBridge on AWS; absent locally unless a stand-in is given */
  readonly bus?: EventBus;
  readonly subscriptions: readonly WebhookSubscription[];
  readonly transport: WebhookTransport;
  /** SLA time: when events happened, when retries are due */
  readonly clock: Clock;
  /**
   * Wall-clock time for the signature's `webhook-timestamp`: receivers check it against their own
   * clock (Standard Webhooks libraries allow 5 minutes), which SLA time under `--speed` is not.
   * Default: systemClock.
   */
  readonly wallClock?: Clock;
  /**
   * How long, in `clock` time, a sender holds a delivery (its lease): it must outlast the transport's
   * timeout, which is wall-clock time. Default DELIVERY_LEASE_MS; the local runtime under `--speed N`
   * gives N times that, else a slow receiver's open post was leased again and sent twice at once
   * (test/e2e/webhook-slow-receiver.test.ts).
   */
  readonly leaseMs?: number;
  /**
   * `clock` ms per wall-clock ms: a receiver's `Retry-After` is wall-clock time, the retry schedule `clock`
   * time. Default 1; the local runtime under `--speed N` gives N.
   */
  readonly clockSpeed?: number;
  /**
   * The report facts of the entries each publish covers that are not stored, put (ADR 0016 amended): a write
   * puts its facts after its state, and a crash or a failed put in between lost them for good; the publisher
   * follows every write that added entries. A repair that fails is logged and the publish goes on.
   */
  readonly facts?: FactRepair;
}

/** Puts the report facts of a lead's entries from `since` on that are not stored (dynamodb-fact-log.ts). */
export interface FactRepair {
  putMissing(state: LeadState, since?: number): Promise<void>;
}

export interface PublishReport {
  readonly events: readonly LeadEvent[];
  readonly deliveries: readonly WebhookDelivery[];
  /** the cursor moved (false: the lead changed meanwhile, and will be published again) */
  readonly marked: boolean;
}

/**
 * The EventBridge bus as a subscriber of every event: its deliveries are put on the bus, not posted. No
 * webhook may take its id (webhook-config.ts).
 */
export const BUS_SUBSCRIPTION = BUS_SUBSCRIPTION_ID;

/**
 * Publishes the lead's entries after its cursor. `written`: the story's length a write just gave it (the
 * store's observer, a stream record): when the cursor is there already, the lead is not read at all.
 */
export async function publishLead(
  deps: EventsOutDeps,
  leadId: string,
  written?: number,
): Promise<PublishReport> {
  const cursorRead = deps.log.publishedThrough(leadId);
  if (written !== undefined && written <= (await cursorRead)) return NOTHING;
  const [cursor, stored] = await Promise.all([cursorRead, deps.store.getLead(leadId)]);
  if (!stored) return NOTHING;
  // a cursor on the state item is what leads written before ADR 0031 carry
  return publishFrom(deps, stored, Math.max(cursor, stored.eventsPublished ?? 0));
}

const NOTHING: PublishReport = { events: [], deliveries: [], marked: false };

async function publishFrom(deps: EventsOutDeps, stored: LeadState, from: number): Promise<PublishReport> {
  const leadId = stored.leadId;
  const length = storyLength(stored);
  if (length <= from) return NOTHING;
  // an event is derived with what came before it in the story (owner, attempts, deal): the lead's carry
  // says it for entries moved to their own items (ADR 0035); without one, or with entries moved before
  // they were published, the lead is read whole (one Query of its partition, ADR 0021)
  const lead =
    !eventsCarried(stored) || from < timelineBase(stored)
      ? await withMovedEntries(deps.store, stored)
      : stored;
  // the report's repair never holds up events out: one that fails (after the SDK's own retries) is logged and
  // the events go on. Refused for a busy table, it is tried again: the cursor stays, so the sweep publishes the
  // lead again (its deliveries are made once: addDelivery) until the facts land; any other failure leaves the
  // report as the write left it. An erased lead's story holds no fact it lacks
  let repairAgain = false;
  if (deps.facts && !lead.erasedAt) {
    await deps.facts.putMissing(lead, from).catch((error: unknown) => {
      repairAgain = isDependencyBusy(error);
      console.error(
        JSON.stringify({
          level: 'error',
          msg: repairAgain
            ? 'events out: the report facts of a publish met a busy table; the events go on, the sweep puts the facts again'
            : 'events out: the report facts of a publish could not be put; the events go on',
          leadId,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        }),
      );
    });
  }
  const events = leadEvents(deps.sla, lead, from);
  const now = deps.clock.now();
  const deliveries: WebhookDelivery[] = [];
  const subscribers = deps.bus
    ? [{ id: BUS_SUBSCRIPTION, url: 'eventbridge:', events: ['*'], secret: '' }, ...deps.subscriptions]
    : deps.subscriptions;
  for (const event of events) {
    for (const subscription of subscribers) {
      if (!subscribes(subscription, event.type)) continue;
      const delivery = newDelivery(subscription, event, now);
      if ((await deps.log.addDelivery(delivery)) === 'added') deliveries.push(delivery);
    }
  }
  const marked = !repairAgain && (await deps.log.markPublished(leadId, lead.version, length));
  return { events, deliveries, marked };
}

export interface DeliveryReport {
  readonly attempted: number;
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
}

/**
 * Attempts the deliveries due now, each subscription's earliest (at most `limit` of each: ADR 0056), each
 * subscription in its own lanes behind its own circuit, starting none after `budgetMs`.
 */
export async function deliverDue(
  deps: EventsOutDeps,
  limit = 200,
  budgetMs = Number.POSITIVE_INFINITY,
): Promise<DeliveryReport> {
  const due = await deps.log.dueDeliveries(deps.clock.now().toISOString(), limit);
  const circuit = new SweepCircuit();
  const report = await deliverAll(deps, due, budgetMs, { circuit });
  warnCutOff(circuit);
  return report;
}

/** a line per sweep naming the subscriptions its circuit cut off (their due deliveries wait for the next) */
export function warnCutOff(circuit: SweepCircuit): void {
  const cutOff = circuit.open();
  if (cutOff.length === 0) return;
  console.warn(
    JSON.stringify({
      level: 'warn',
      msg: 'events out: receivers that did not answer get no more attempts in this sweep',
      subscriptions: cutOff,
      unansweredInARow: UNANSWERED_IN_A_ROW,
    }),
  );
}

/** deliveries of one subscription (the bus is one) attempted at once: four lanes, one lead each */
const LANES_PER_SUBSCRIPTION = 4;

/**
 * A sweep's circuit per subscription (ADR 0056): after this many attempts in a row that got no answer (a
 * timeout, a refused or reset connection, the bus's error), the subscription gets no more attempts in this
 * sweep. Its other due deliveries are not claimed, so they keep their attempt counts and stay due for the
 * next sweep. As many as its lanes: a receiver that is down fails its four first attempts at once, one that
 * times out now and then (an answer in between) is not cut off.
 */
export const UNANSWERED_IN_A_ROW = LANES_PER_SUBSCRIPTION;

export class SweepCircuit {
  private readonly unanswered = new Map<string, number>();
  private readonly opened = new Set<string>();

  isOpen(subscriptionId: string): boolean {
    return this.opened.has(subscriptionId);
  }

  record(subscriptionId: string, answered: boolean): void {
    const inARow = answered ? 0 : (this.unanswered.get(subscriptionId) ?? 0) + 1;
    this.unanswered.set(subscriptionId, inARow);
    if (inARow >= UNANSWERED_IN_A_ROW) this.opened.add(subscriptionId);
  }

  /** the subscriptions cut off in this sweep */
  open(): string[] {
    return [...this.opened];
  }
}

/**
 * Attempts these deliveries (each once, if nobody else holds it). Each subscription (the bus is one) has its
 * own four lanes, a lead's deliveries to it in one lane in the order given (a publish gives them in story
 * order): a receiver that hangs until the timeout holds up only its own deliveries, never the bus's or
 * another subscription's. None is started after `budgetMs` of wall-clock time (a Lambda stops before its
 * timeout; the rest stay due for the next run).
 */
export async function deliverAll(
  deps: EventsOutDeps,
  deliveries: readonly (Pick<WebhookDelivery, 'deliveryId' | 'leadId'> &
    Partial<Pick<WebhookDelivery, 'subscriptionId'>>)[],
  budgetMs = Number.POSITIVE_INFINITY,
  options: {
    /**
     * A subscription whose delivery is not delivered (a timeout, a 5xx, no connection) is tried no more in
     * this call: the rest of its deliveries stay due for the sweep, on their retry schedule. For the stream's
     * at-once attempts, where a receiver that hangs would otherwise hold the invocation, and so the shard's
     * next batch and every subscriber's events, a timeout per lead.
     */
    readonly stopOnFailure?: boolean;
    /**
     * The sweep's circuit (shared by its calls, the local runtime makes one per lead): a subscription it has
     * opened gets no more attempts; each attempt's answer, or its lack, is recorded in it.
     */
    readonly circuit?: SweepCircuit;
  } = {},
): Promise<DeliveryReport> {
  const counts = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  const stopped = new Set<string>();
  // subscription -> lead -> its deliveries, in the order given (an unknown subscription: a lane set of its own)
  const lanes = new Map<string, Map<string, string[]>>();
  for (const { deliveryId, leadId, subscriptionId } of deliveries) {
    const bySubscription = lanes.get(subscriptionId ?? '') ?? new Map<string, string[]>();
    lanes.set(subscriptionId ?? '', bySubscription);
    bySubscription.set(leadId, [...(bySubscription.get(leadId) ?? []), deliveryId]);
  }
  const wall = deps.wallClock ?? systemClock;
  const stopAt = wall.now().getTime() + budgetMs;
  const worker = async (subscription: string, queue: string[][]) => {
    for (let ids = queue.shift(); ids !== undefined; ids = queue.shift()) {
      for (const id of ids) {
        if (wall.now().getTime() >= stopAt || stopped.has(subscription)) return;
        if (options.circuit?.isOpen(subscription)) return;
        const tried = await attempt(deps, id);
        if (!tried) continue;
        const { outcome, answered } = tried;
        options.circuit?.record(tried.subscriptionId, answered);
        counts.attempted++;
        if (outcome === 'delivered') counts.delivered++;
        else if (outcome === 'retrying') counts.retrying++;
        else if (outcome === 'failed') counts.failed++;
        if (outcome !== 'delivered' && options.stopOnFailure) stopped.add(subscription);
      }
    }
  };
  await Promise.all(
    [...lanes.entries()].flatMap(([subscription, byLead]) => {
      const queue = [...byLead.values()];
      return Array.from({ length: Math.min(LANES_PER_SUBSCRIPTION, queue.length) }, () =>
        worker(subscription, queue),
      );
    }),
  );
  return counts;
}

/** an attempt's outcome, and whether anything answered it (an HTTP status, the bus's acceptance) */
interface Attempted {
  readonly outcome: WebhookDelivery['status'];
  readonly answered: boolean;
  readonly subscriptionId: string;
}

async function attempt(deps: EventsOutDeps, deliveryId: string): Promise<Attempted | undefined> {
  const now = deps.clock.now();
  const claimed = await deps.log.claimDelivery(
    deliveryId,
    now.toISOString(),
    new Date(now.getTime() + (deps.leaseMs ?? DELIVERY_LEASE_MS)).toISOString(),
  );
  if (!claimed) return undefined;
  // the lead is read for each send, right before it (never for one whose subscription is gone): a copy
  // read for an earlier send of the run may predate an erase, and its reasons and contact must not leave
  // after it (a slow receiver stretches a run to minutes: test/integration/webhook-erase-in-flight.test.ts)
  const leadOf = (leadId: string) => deps.store.getLead(leadId);
  if (claimed.subscriptionId === BUS_SUBSCRIPTION && deps.bus) {
    const event = await fullEvent(deps, claimed.event, await leadOf(claimed.leadId));
    const outcome = await deps.bus.publish([event]).then(
      () => ({ ok: true }),
      (error: unknown) => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
    const next = afterAttempt(claimed, outcome, deps.clock.now());
    await deps.log.saveDelivery(next);
    return { outcome: next.status, answered: outcome.ok, subscriptionId: BUS_SUBSCRIPTION };
  }
  const subscription = deps.subscriptions.find((candidate) => candidate.id === claimed.subscriptionId);
  if (!subscription) {
    const { leaseUntil: _lease, nextAttemptAt: _next, ...rest } = claimed;
    await deps.log.saveDelivery({
      ...rest,
      status: 'failed',
      lastError: 'subscription no longer configured',
    });
    return { outcome: 'failed', answered: true, subscriptionId: claimed.subscriptionId };
  }
  const event = await fullEvent(deps, claimed.event, await leadOf(claimed.leadId));
  const body = webhookBody(event);
  // an unusable key (on AWS the secret is read, not checked, at start) fails this delivery, retried on the
  // schedule with the reason in the log; it used to throw out of the run, leaving the delivery leased and
  // the bus and other subscriptions unsent (test/integration/webhook-bad-key.test.ts)
  const signed = (() => {
    if (subscription.unusable) return subscription.unusable;
    try {
      return signedHeaders(subscription.secret, event.id, body, (deps.wallClock ?? systemClock).now());
    } catch (error) {
      return `the signing key is unusable: ${error instanceof Error ? error.message : String(error)}`;
    }
  })();
  const headers = { 'content-type': 'application/json', 'user-agent': 'LeadPact-Webhooks/1' };
  const response: WebhookResponse =
    typeof signed === 'string'
      ? { error: signed }
      : await deps.transport
          .post(subscription.url, { ...headers, ...signed }, body, DELIVERY_TIMEOUT_MS)
          .catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
  const ok = 'statusCode' in response && response.statusCode !== undefined && response.statusCode < 300;
  const next = afterAttempt(
    claimed,
    {
      ok: ok && (response as { statusCode: number }).statusCode >= 200,
      ...('statusCode' in response && response.statusCode !== undefined
        ? { statusCode: response.statusCode }
        : {}),
      ...('error' in response && response.error ? { error: response.error } : {}),
      ...(response.retryAfterMs === undefined
        ? {}
        : { retryAfterMs: response.retryAfterMs * (deps.clockSpeed ?? 1) }),
    },
    deps.clock.now(),
  );
  await deps.log.saveDelivery(next);
  if (next.status !== 'delivered') {
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'webhook delivery failed',
        deliveryId,
        subscription: subscription.id,
        attempts: next.attempts,
        status: next.status,
        error: next.lastError,
        ...(next.nextAttemptAt ? { nextAttemptAt: next.nextAttemptAt } : {}),
      }),
    );
  }
  return {
    outcome: next.status,
    answered: 'statusCode' in response && response.statusCode !== undefined,
    subscriptionId: subscription.id,
  };
}

/**
 * The event as sent: the stored one (no reasons) with its reasons back from the lead's timeline when
 * the entry is still there (an erased lead's entries have none), and the contact on `lead.created` and `lead.fields_corrected`.
 */
async function fullEvent(
  deps: EventsOutDeps,
  stored: LeadEvent,
  lead: LeadState | undefined,
): Promise<LeadEvent> {
  if (!lead || lead.cycle !== stored.cycle) return stored;
  // an entry's reasons are its own, whatever came before it: the tail gives them when it derives the
  // event again. When it cannot (the entry moved off since the event was stored, a retry after the
  // receiver's outage; or the tail of a lead without the carries lacks the context the event came from),
  // the moved entries are read back (one Query, such deliveries only)
  const find = (story: LeadState) =>
    leadEvents(deps.sla, story, stored.seq).find((event) => event.id === stored.id);
  const base = timelineBase(lead);
  let again = stored.seq >= base ? find(lead) : undefined;
  if (!again && base > lead.timelineDropped) again = find(await withMovedEntries(deps.store, lead));
  return withContact(again ? { ...stored, reasons: again.reasons } : stored, lead);
}

/**
 * `lead.created` and `lead.fields_corrected` carry who the lead is (what a CRM matches on and keeps), as it is
 * when the event goes out, unless the lead was erased since; `lead.created` its attribution too (form id, UTM).
 */
export function withContact(event: LeadEvent, lead: LeadState): LeadEvent {
  if (
    (event.type !== 'lead.created' && event.type !== 'lead.fields_corrected') ||
    lead.erasedAt ||
    !lead.email
  )
    return event;
  const pick = (name: string, as = name) => {
    const value = lead.fields[name];
    return typeof value === 'string' && value !== '' ? { [as]: value } : {};
  };
  // where it came from (a CRM's attribution), on lead.created: free text from a URL, so erased with the lead
  const attribution =
    event.type === 'lead.created'
      ? {
          ...pick('formId'),
          ...pick('utm_source', 'utmSource'),
          ...pick('utm_medium', 'utmMedium'),
          ...pick('utm_campaign', 'utmCampaign'),
        }
      : {};
  return {
    ...event,
    ...(Object.keys(attribution).length ? { attribution } : {}),
    contact: {
      email: lead.email,
      ...pick('firstName'),
      ...pick('lastName'),
      ...pick('company'),
      ...pick('jobTitle'),
      ...pick('phone'),
      ...pick('country'),
    },
  };
}
