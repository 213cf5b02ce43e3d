/**
 * The webhook delivery log (docs/integrations.md): GET /webhooks/deliveries?status=failed lists the
 * deliveries in one status, newest first, with a cursor, those of one subscription, event type or lead with
 * `subscription`, `type`, `leadId` (delivery-log-query.ts); POST /webhooks/deliveries/{id}/replay sends a
 * delivery again (same webhook-id, a fresh retry schedule). For ops and programs with the admin's reach:
 * a rep or a manager gets 403. Query strings are parsed by hand (no zod in this function).
 */

import { redactUrlsIn, redactWebhookUrl } from '../domain/webhook-url-redaction.ts';
import { replayed, type WebhookDelivery } from '../domain/webhooks.ts';
import { deliveryLogPage, parseDeliveryLogQuery, requireKnownSubscription } from './delivery-log-query.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, type HttpEvent, json } from './http.ts';
import { apiHandler } from './middleware.ts';
import { viewerOf } from './viewer.ts';

function requireLog(deps: ApiDeps, event: HttpEvent) {
  const viewer = viewerOf(deps.sla, event, deps.clock.now());
  if (viewer.role === 'rep' || viewer.role === 'manager')
    throw new HttpError(403, 'forbidden', 'only ops may read or replay webhook deliveries');
  if (!deps.events) throw new HttpError(503, 'unavailable', 'webhook deliveries are not available here');
  return deps.events;
}

export function listDeliveriesHandler(deps: ApiDeps) {
  return apiHandler('GET /webhooks/deliveries', async (event: HttpEvent) => {
    const query = parseDeliveryLogQuery(event.queryStringParameters ?? {});
    const events = requireLog(deps, event);
    const page = await deliveryLogPage(events.log, query);
    await requireKnownSubscription(events.log, events.subscriptions, query, page);
    return json(200, {
      status: query.status,
      deliveries: page.deliveries.map(logLine),
      ...(page.next ? { cursor: page.next } : {}),
    });
  });
}

export function replayDeliveryHandler(deps: ApiDeps) {
  return apiHandler('POST /webhooks/deliveries/{id}/replay', async (event: HttpEvent) => {
    const id = event.pathParameters?.id ?? '';
    if (!/^dlv_[0-9a-f]{32}$/.test(id)) throw new HttpError(404, 'not_found', `delivery ${id} not found`);
    return json(202, logLine(await replayDelivery(deps, requireLog(deps, event), id)));
  });
}

/**
 * Sends a delivery again: the same webhook-id, a fresh retry schedule (the API's replay route and the
 * console's button). 404 for an unknown id, 409 while an attempt holds it.
 */
export async function replayDelivery(
  deps: Pick<ApiDeps, 'clock'>,
  events: NonNullable<ApiDeps['events']>,
  id: string,
): Promise<WebhookDelivery> {
  const delivery = /^dlv_[0-9a-f]{32}$/.test(id) ? await events.log.getDelivery(id) : undefined;
  if (!delivery) throw new HttpError(404, 'not_found', `delivery ${id} not found`);
  const now = deps.clock.now();
  const busy = () =>
    new HttpError(409, 'conflict', 'the delivery is being attempted right now; try again in a minute');
  if (delivery.leaseUntil && delivery.leaseUntil > now.toISOString()) throw busy();
  const again = replayed(delivery, now);
  // a sender may have taken it since the read: its attempt is under way, and a reset now would send it twice
  if (!(await events.log.saveDeliveryUnlessLeased(again, now.toISOString()))) throw busy();
  await events.deliverNow?.(id);
  return again;
}

/**
 * What the log shows of a delivery: never the event's body (the receiver has it; the lead's story is
 * GET /leads/{id}), nor the receiver's credential: `url` and a URL in `lastError` redacted (a delivery stored
 * before ADR 0060 holds the URL whole); `subscriptionId` tells receivers apart.
 */
function logLine(delivery: WebhookDelivery) {
  return {
    deliveryId: delivery.deliveryId,
    subscriptionId: delivery.subscriptionId,
    url: redactWebhookUrl(delivery.url),
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    leadId: delivery.leadId,
    status: delivery.status,
    attempts: delivery.attempts,
    createdAt: delivery.createdAt,
    ...(delivery.lastAttemptAt ? { lastAttemptAt: delivery.lastAttemptAt } : {}),
    ...(delivery.lastError ? { lastError: redactUrlsIn(delivery.lastError) } : {}),
    ...(delivery.lastStatusCode === undefined ? {} : { lastStatusCode: delivery.lastStatusCode }),
    ...(delivery.nextAttemptAt && (delivery.status === 'pending' || delivery.status === 'retrying')
      ? { nextAttemptAt: delivery.nextAttemptAt }
      : {}),
    ...(delivery.deliveredAt ? { deliveredAt: delivery.deliveredAt } : {}),
  };
}
