/**
 * The delivery log's query (GET /webhooks/deliveries and the console's Webhooks page): which status, which
 * page, and which deliveries of it: one subscription's (`subscription`), one event type's (`type`), one lead's
 * (`leadId`), any together. Parsed by hand (no zod in the webhooks function); anything wrong is a 400 naming
 * the parameter. A subscription that cannot exist (not configured, and none of its deliveries in the log) is a
 * 400 naming it too, never an empty page that reads "all quiet" (requireKnownSubscription).
 */
import { LEAD_EVENT_TYPES } from '../domain/lead-events.ts';
import { LEAD_ID_PATTERN } from '../domain/lead-id.ts';
import {
  DELIVERY_STATUSES,
  type DeliveryStatus,
  SUBSCRIPTION_ID_PATTERN,
  type WebhookDelivery,
} from '../domain/webhooks.ts';
import type { DeliveryFilter, EventLog } from '../ports/events.ts';
import { HttpError } from './http.ts';
import { knownList } from './known-values.ts';

export const DEFAULT_DELIVERY_LIMIT = 50;
export const MAX_DELIVERY_LIMIT = 200;
export const DELIVERY_QUERY_NAMES = ['status', 'limit', 'cursor', 'subscription', 'type', 'leadId'] as const;

export interface DeliveryLogQuery {
  readonly status: DeliveryStatus;
  readonly limit: number;
  readonly cursor?: string;
  readonly where: DeliveryFilter;
}

const invalid = (path: string, message: string) =>
  new HttpError(400, 'invalid_request', 'the query is invalid', [{ path, message }]);

/** `query`'s names beyond DELIVERY_QUERY_NAMES are refused unless `alsoKnown` lists them (the console's own). */
export function parseDeliveryLogQuery(
  query: Readonly<Record<string, string | undefined>>,
  alsoKnown: readonly string[] = [],
): DeliveryLogQuery {
  for (const name of Object.keys(query)) {
    if (!(DELIVERY_QUERY_NAMES as readonly string[]).includes(name) && !alsoKnown.includes(name))
      throw invalid(name, `unknown parameter (${DELIVERY_QUERY_NAMES.join(', ')})`);
  }
  const status = query.status ?? 'failed';
  if (!(DELIVERY_STATUSES as readonly string[]).includes(status))
    throw invalid('status', `one of ${DELIVERY_STATUSES.join(', ')}`);
  const limit = query.limit === undefined ? DEFAULT_DELIVERY_LIMIT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DELIVERY_LIMIT)
    throw invalid('limit', `an integer from 1 to ${MAX_DELIVERY_LIMIT}`);
  const cursor = query.cursor;
  if (cursor !== undefined && !/^[A-Za-z0-9_-]{1,2048}$/.test(cursor))
    throw invalid('cursor', 'not a cursor this API gave');
  const { subscription, type, leadId } = query;
  if (subscription !== undefined && !SUBSCRIPTION_ID_PATTERN.test(subscription))
    throw invalid('subscription', 'a subscription id: 1-64 letters, digits, - or _');
  if (type !== undefined && !(LEAD_EVENT_TYPES as readonly string[]).includes(type))
    throw invalid('type', `an event type: ${LEAD_EVENT_TYPES.join(', ')}`);
  if (leadId !== undefined && !LEAD_ID_PATTERN.test(leadId))
    throw invalid('leadId', 'a lead id is 22 characters of A-Z a-z 0-9 - _');
  return {
    status: status as DeliveryStatus,
    limit,
    ...(cursor === undefined ? {} : { cursor }),
    where: {
      ...(subscription === undefined ? {} : { subscriptionId: subscription }),
      ...(type === undefined ? {} : { eventType: type }),
      ...(leadId === undefined ? {} : { leadId }),
    },
  };
}

/** The page of the log the query asks for; a cursor of another status, or none of ours, is a 400 naming it. */
export function deliveryLogPage(
  log: EventLog,
  query: DeliveryLogQuery,
): Promise<{ deliveries: WebhookDelivery[]; next?: string }> {
  const { status, limit, cursor, where } = query;
  return log
    .listDeliveries(status, { limit, where, ...(cursor ? { after: cursor } : {}) })
    .catch((error: unknown) => {
      if (cursor && error instanceof RangeError)
        throw invalid('cursor', 'not a cursor this API gave for this status');
      throw error;
    });
}

/**
 * The page asked for, unless its `subscription` cannot exist: a first page (no cursor) that found nothing of it
 * and read its status to the end, for an id the sender does not deliver to (`configured`), of which no status
 * holds a delivery either (each read within the filtered read's budget, ADR 0084) is a 400 naming the
 * subscription and the value, listing the configured ids. A subscription taken out of the configuration whose
 * deliveries stay in the log, and a configured one sent nothing yet, are empty pages as before; so is any
 * subscription where `configured` is not known (undefined) or a status's read was cut by its budget.
 */
export async function requireKnownSubscription(
  log: EventLog,
  configured: readonly string[] | undefined,
  query: DeliveryLogQuery,
  page: { readonly deliveries: readonly WebhookDelivery[]; readonly next?: string },
): Promise<void> {
  const id = query.where.subscriptionId;
  if (id === undefined || configured === undefined || configured.includes(id)) return;
  if (query.cursor !== undefined || page.deliveries.length > 0 || page.next !== undefined) return;
  const reads = await Promise.all(
    DELIVERY_STATUSES.map((status) =>
      log.listDeliveries(status, { limit: 1, where: { subscriptionId: id } }),
    ),
  );
  if (reads.some((read) => read.deliveries.length > 0 || read.next !== undefined)) return;
  throw new HttpError(400, 'invalid_request', 'the query is invalid', [
    {
      path: 'subscription',
      message: `no subscription ${JSON.stringify(id)}: none is configured under that id and the log holds no delivery of it; configured: ${knownList(configured)}`,
      refusal: { kind: 'unknownSubscription', value: id, configured },
    },
  ]);
}
