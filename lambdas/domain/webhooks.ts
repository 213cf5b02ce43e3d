/**
 * Webhooks per the Standard Webhooks specification (https://www.standardwebhooks.com): the body is
 * `{ type, timestamp, data }`, and three headers let any Standard Webhooks library verify it:
 *   webhook-id         the event's id: the same on every redelivery, so receivers dedupe on it
 *   webhook-timestamp  seconds since the epoch, of this attempt
 *   webhook-signature  `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the
 *                      base64 part of the subscription's `whsec_` secret (one per key while a rotation
 *                      keeps the old key too, space-separated)
 * Retries follow an exponential schedule over about 16 hours (RETRY_DELAYS_MS), then the delivery is
 * `failed` and waits for a replay; a 410 Gone fails it at once; a `Retry-After` (a 429, a 503) is waited
 * for when it asks for longer than the schedule (up to the schedule's longest wait).
 *
 * Pure: no I/O, no clock reads (the caller passes the time).
 */
import { createHash, createHmac } from 'node:crypto';
import type { LeadEvent } from './lead-events.ts';
import { redactUrlsIn, redactWebhookUrl } from './webhook-url-redaction.ts';

export interface WebhookSubscription {
  /** stable name of the subscription (part of each delivery's id) */
  readonly id: string;
  readonly url: string;
  /** event types; `*` is every event, `lead.*` every type starting with `lead.` */
  readonly events: readonly string[];
  /** the `whsec_<base64>` key, or `whsec_<new> whsec_<old>` during a rotation (from `secretEnv` or the secret store) */
  readonly secret: string;
  /**
   * Why nothing can be sent to it (its URL read from its secret on AWS is not set or not allowed): each delivery
   * fails with this reason, retried on the schedule, and is sent once the URL is fixed and the sender restarted
   */
  readonly unusable?: string;
}

/** a subscription's id: `id` in the configuration, `wh_` and a hash of its URL, or the bus's `eventbridge` */
export const SUBSCRIPTION_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'retrying', 'delivered', 'failed'];

/** One event to one subscription: the log line and the queue entry. */
export interface WebhookDelivery {
  /** `dlv_` + a hash of the subscription and the event: one delivery per pair, however often published */
  readonly deliveryId: string;
  readonly subscriptionId: string;
  /**
   * the receiver's URL as shown (webhook-url-redaction.ts: its credential masked), for the log and the
   * console; a send posts to the subscription's own URL. Deliveries stored before it was redacted hold the
   * URL itself: every reader shows it through redactWebhookUrl
   */
  readonly url: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly leadId: string;
  /** the event as published, without its reasons (they may quote personal data; the send adds them from the lead) */
  readonly event: LeadEvent;
  readonly status: DeliveryStatus;
  /** attempts made so far */
  readonly attempts: number;
  /** ISO */
  readonly createdAt: string;
  /** ISO: when the next attempt is due (pending, retrying) */
  readonly nextAttemptAt?: string;
  readonly lastAttemptAt?: string;
  /** what went wrong last: `HTTP 500`, `timeout`, `connection refused` (never the receiver's body; a URL in it redacted) */
  readonly lastError?: string;
  readonly lastStatusCode?: number;
  readonly deliveredAt?: string;
  /** ISO: a sender holds the delivery until then (a crashed sender's lease runs out) */
  readonly leaseUntil?: string;
}

/**
 * Waits after attempt 1, 2, ...: 5 s x 4^n capped at 8 hours, over about 16 hours in all (9 attempts),
 * then `failed`. The Standard Webhooks guidance retries over about a day with growing gaps; this is it.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000, 20_000, 80_000, 320_000, 1_280_000, 5_120_000, 20_480_000, 28_800_000,
];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** a receiver has this long to answer (the spec suggests a short timeout; 15 s is generous) */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** a sender holds a delivery this long (wall-clock time; under --speed the runtime scales it: EventsOutDeps.leaseMs), longer than the timeout, so two senders never overlap */
export const DELIVERY_LEASE_MS = 60_000;

export function subscribes(subscription: Pick<WebhookSubscription, 'events'>, type: string): boolean {
  return subscription.events.some(
    (pattern) =>
      pattern === '*' ||
      pattern === type ||
      (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))),
  );
}

export function deliveryId(subscriptionId: string, eventId: string): string {
  return `dlv_${createHash('sha256').update(`${subscriptionId}\n${eventId}`).digest('hex').slice(0, 32)}`;
}

export function newDelivery(subscription: WebhookSubscription, event: LeadEvent, at: Date): WebhookDelivery {
  return {
    deliveryId: deliveryId(subscription.id, event.id),
    subscriptionId: subscription.id,
    url: redactWebhookUrl(subscription.url),
    eventId: event.id,
    eventType: event.type,
    leadId: event.leadId,
    event: { ...event, reasons: [] },
    status: 'pending',
    attempts: 0,
    createdAt: at.toISOString(),
    nextAttemptAt: at.toISOString(),
  };
}

/** the longest a receiver's `Retry-After` holds a delivery back: the schedule's longest wait (8 hours) */
export const MAX_RETRY_AFTER_MS = Math.max(...RETRY_DELAYS_MS);

/**
 * A `Retry-After` header's wait in ms from `now`: delay-seconds (`120`) or an HTTP date; undefined when
 * absent or unreadable. Standard Webhooks: a sender takes it into account when it schedules the next attempt.
 */
export function retryAfterMs(header: string | null | undefined, now: Date): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) || !/[a-z]/i.test(value) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * The delivery after an attempt: delivered on a 2xx, else retried on the schedule (or after the receiver's
 * `Retry-After` when that is longer, at most MAX_RETRY_AFTER_MS), else failed.
 */
export function afterAttempt(
  delivery: WebhookDelivery,
  outcome: {
    readonly ok: boolean;
    readonly statusCode?: number;
    readonly error?: string;
    /** the receiver's Retry-After, in the same time as `at` */
    readonly retryAfterMs?: number;
  },
  at: Date,
): WebhookDelivery {
  const attempts = delivery.attempts + 1;
  const {
    leaseUntil: _lease,
    nextAttemptAt: _next,
    lastError: _error,
    lastStatusCode: _code,
    ...rest
  } = delivery;
  const base = {
    ...rest,
    attempts,
    lastAttemptAt: at.toISOString(),
    ...(outcome.statusCode === undefined ? {} : { lastStatusCode: outcome.statusCode }),
  };
  if (outcome.ok) return { ...base, status: 'delivered', deliveredAt: at.toISOString() };
  // an error may quote the URL (a transport's message): stored, logged and shown, so redacted here
  const lastError = outcome.error === undefined ? `HTTP ${outcome.statusCode}` : redactUrlsIn(outcome.error);
  // 410 Gone: the receiver says the endpoint is gone for good; retrying each event 9 times over 16 hours
  // only loads it (the log and a replay are there when it comes back)
  if (outcome.statusCode === 410)
    return { ...base, status: 'failed', lastError: 'HTTP 410 (gone: not retried)' };
  const scheduled = RETRY_DELAYS_MS[attempts - 1];
  if (scheduled === undefined) return { ...base, status: 'failed', lastError };
  const wait = Math.max(scheduled, Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
  return {
    ...base,
    status: 'retrying',
    lastError,
    nextAttemptAt: new Date(at.getTime() + wait).toISOString(),
  };
}

/**
 * A replay: the same delivery (same webhook-id), due now, with a fresh schedule. The last attempt's figures
 * stay; an earlier `deliveredAt` goes (a pending line that said delivered misled ops).
 */
export function replayed(delivery: WebhookDelivery, at: Date): WebhookDelivery {
  const { leaseUntil: _lease, deliveredAt: _delivered, ...rest } = delivery;
  return { ...rest, status: 'pending', attempts: 0, nextAttemptAt: at.toISOString() };
}

/** The body a receiver gets: Standard Webhooks' `{ type, timestamp, data }`, data being the event. */
export function webhookBody(event: LeadEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.time, data: event });
}

/** The three Standard Webhooks headers for `body`, signed at `at`. */
export function signedHeaders(
  secret: string,
  id: string,
  body: string,
  at: Date,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signingKeys(secret)
      .map((key) => `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`)
      .join(' '),
  };
}

/**
 * The keys of a subscription's secret: one `whsec_` key, or several separated by spaces during a rotation
 * (`whsec_<new> whsec_<old>`): each signs, and the header lists the signatures space-separated, as the
 * Standard Webhooks specification has it, so a receiver holding either key verifies. Throws on anything
 * else (a config error names it).
 */
export function signingKeys(secret: string): Buffer[] {
  const parts = secret.trim().split(/\s+/);
  if (parts.length > 4)
    throw new TypeError('a webhook secret holds at most 4 keys (a rotation: new, then old)');
  return parts.map(secretKey);
}

/** The key bytes of a `whsec_<base64>` secret; throws on anything else (a config error names it). */
export function secretKey(secret: string): Buffer {
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) {
    throw new TypeError('a webhook secret is "whsec_" followed by base64 (e.g. whsec_ + 32 random bytes)');
  }
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  if (key.length < 24) throw new TypeError('a webhook secret needs at least 24 bytes of key');
  return key;
}
