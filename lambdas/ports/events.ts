/**
 * Events out (docs/decisions/0022-events-out.md): what the publisher and the webhook sender need.
 * EventLog is the storage-specific part (the DynamoDB adapter keeps it in the lead table; a store that
 * moves timeline entries into items of their own changes only this side), EventBus is EventBridge
 * (or a stand-in), WebhookTransport is an HTTP POST.
 */
import type { LeadEvent } from '../domain/lead-events.ts';
import type { DeliveryStatus, WebhookDelivery } from '../domain/webhooks.ts';

/** Which deliveries of the log to list: those of one subscription, one event type, one lead (any together). */
export interface DeliveryFilter {
  readonly subscriptionId?: string;
  readonly eventType?: string;
  readonly leadId?: string;
}

export interface EventLog {
  /**
   * Leads written since the sweep last looked whose story has entries the publisher has not seen
   * (oldest first). `now`: the sweep's clock, which bounds how far its watermark moves (ADR 0031).
   */
  leadsWithNewEntries(limit: number, now?: Date): Promise<string[]>;
  /** the lead's cursor: entries before it were published (0: none) */
  publishedThrough(leadId: string): Promise<number>;
  /**
   * Entries before `seq` are published: the cursor moves up to `seq`, never down, in an item of its own
   * (the lead's state item is not written). false: it stood at or past `seq` already.
   */
  markPublished(leadId: string, version: number, seq: number): Promise<boolean>;
  /** one conditional put per delivery id: a repeat is 'exists' and changes nothing */
  addDelivery(delivery: WebhookDelivery): Promise<'added' | 'exists'>;
  getDelivery(deliveryId: string): Promise<WebhookDelivery | undefined>;
  /**
   * newest first; `after` is the previous page's cursor; `where` keeps only the deliveries that match each of
   * its fields. A page may hold fewer than `limit` (none, even) and still have a `next`: a filtered read
   * stops after a bounded number of deliveries, and more may match after them
   */
  listDeliveries(
    status: DeliveryStatus,
    options: { limit: number; after?: string; where?: DeliveryFilter },
  ): Promise<{ deliveries: WebhookDelivery[]; next?: string }>;
  /**
   * Pending and retrying deliveries due at or before `until`, earliest first: at most `limit` of each
   * subscription (its earliest), so one subscription's backlog never hides another's (ADR 0056)
   */
  dueDeliveries(until: string, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Queued deliveries of `status`, the latest scheduled `perSubscription` of each subscription (and as many
   * queued before ADR 0056's keys): read only. What the console's failing endpoints are made of: a page of the
   * partition is one subscription's backlog, which would hide every other failing endpoint.
   */
  queuedDeliveries(status: 'pending' | 'retrying', perSubscription: number): Promise<WebhookDelivery[]>;
  /** takes the delivery for one attempt until `leaseUntil` if nobody holds it; undefined if someone does */
  claimDelivery(deliveryId: string, now: string, leaseUntil: string): Promise<WebhookDelivery | undefined>;
  /** writes the delivery's new state (an attempt's outcome) */
  saveDelivery(delivery: WebhookDelivery): Promise<void>;
  /**
   * Writes a replay's state unless a sender holds the delivery at `now` (its lease): false then, and
   * nothing written, so a replay never resets a delivery while an attempt is sending it
   */
  saveDeliveryUnlessLeased(delivery: WebhookDelivery, now: string): Promise<boolean>;
}

export interface EventBus {
  /** all or nothing per call: throws when any entry was not accepted (the caller retries the lot) */
  publish(events: readonly LeadEvent[]): Promise<void>;
}

export interface WebhookResponse {
  readonly statusCode?: number;
  /** the receiver's `Retry-After` as a wait in wall-clock ms (a 429, a 503), when it sent one */
  readonly retryAfterMs?: number;
  /** no answer: timeout, refused, reset */
  readonly error?: string;
}

export interface WebhookTransport {
  post(
    url: string,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
  ): Promise<WebhookResponse>;
}
