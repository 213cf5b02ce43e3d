/**
 * Which endpoints the console says are failing (lambdas/api/console/webhooks.ts failuresNow: the overview's
 * notice for ops, the webhooks page), read from the delivery log on dynalite. Since ADR 0056 the retrying
 * deliveries are queued per subscription (`Q#<subscriptionId>#<next attempt>#<id>`), so the first page of the
 * retrying partition (newest first) is one subscription's backlog: with 50 (the page: 200) retrying to one receiver, the
 * notice read nothing of any other, and an EventBridge bus failing too ('eventbridge' sorts before a default
 * id 'wh_...') was not named.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbEventLog } from '../../lambdas/adapters/dynamodb-event-log.ts';
import { failuresNow, isFailing } from '../../lambdas/api/console/webhooks.ts';
import type { LeadEvent } from '../../lambdas/domain/lead-events.ts';
import {
  newDelivery,
  type WebhookDelivery,
  type WebhookSubscription,
} from '../../lambdas/domain/webhooks.ts';
import { BUS_SUBSCRIPTION } from '../../lambdas/tasks/events-out.ts';
import { useDynalite } from '../support/dynalite.ts';

const T0 = new Date('2026-11-30T08:00:00.000Z');

const eventOf = (leadId: string): LeadEvent =>
  ({
    id: `evt_${leadId}`,
    type: 'lead.judged',
    schemaVersion: 1,
    time: T0.toISOString(),
    leadId,
    cycle: 1,
    seq: 1,
    slaVersion: 'v1',
    by: 'form',
    reasons: [],
    data: {},
  }) as unknown as LeadEvent;

const subscription = (id: string, url: string): WebhookSubscription => ({
  id,
  url,
  events: ['*'],
  secret: '',
});

describe('the endpoints the console says are failing', () => {
  const dynamo = useDynalite();

  it('names every subscription with retrying deliveries, whatever another one has queued', async () => {
    // Arrange: a webhook with 210 retrying deliveries (more than either read) (a receiver down for a while), and the bus with one
    const log = new DynamoDbEventLog(dynamo.doc, dynamo.tableName);
    const crm = subscription('wh_0123456789ab', 'https://crm.example.com/hooks');
    const bus = subscription(BUS_SUBSCRIPTION, 'eventbridge:');
    const retrying = (sub: WebhookSubscription, n: number) => ({
      ...newDelivery(sub, eventOf(`Lead${sub.id}${String(n).padStart(4, '0')}`), T0),
      status: 'retrying' as const,
      attempts: 2,
      lastAttemptAt: new Date(T0.getTime() + n * 1000).toISOString(),
      lastError: 'timeout',
      nextAttemptAt: new Date(T0.getTime() + 3_600_000 + n * 1000).toISOString(),
    });
    for (let n = 0; n < 210; n++) await log.saveDelivery(retrying(crm, n));
    await log.saveDelivery(retrying(bus, 0));
    // Act: as the overview's notice reads (50 a status) and as the webhooks page reads
    const notice = await failuresNow({ events: { log } }, 50);
    const page = await failuresNow({ events: { log } });
    // Assert
    for (const read of [notice, page]) {
      expect(read?.endpoints.map((endpoint) => endpoint.url).sort()).toEqual([
        'eventbridge:',
        'https://crm.example.com/hooks',
      ]);
    }
  });

  it('tells an endpoint answering again, its old failures waiting for a replay, from one whose latest attempt failed', async () => {
    // Arrange: an outside trial's `hostile` gave up on two deliveries (410), then took every delivery for
    // ten minutes; the console still said it was failing. `crm` failed and has taken nothing since.
    const log = new DynamoDbEventLog(dynamo.doc, dynamo.tableName);
    const hostile = subscription('hostile', 'http://127.0.0.1:3945/h');
    const crm = subscription('crm', 'https://crm.example.com/hooks');
    const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();
    const failed = (sub: WebhookSubscription, lead: string, minutes: number): WebhookDelivery => ({
      ...newDelivery(sub, eventOf(lead), T0),
      status: 'failed',
      attempts: 1,
      lastAttemptAt: at(minutes),
      lastError: 'HTTP 410',
    });
    await log.saveDelivery(failed(hostile, 'LeadGone1', 1));
    await log.saveDelivery(failed(hostile, 'LeadGone2', 2));
    await log.saveDelivery(failed(crm, 'LeadCrm1', 3));
    await log.saveDelivery({
      ...newDelivery(hostile, eventOf('LeadTaken1'), T0),
      status: 'delivered',
      attempts: 1,
      lastAttemptAt: at(12),
      deliveredAt: at(12),
    });
    // Act
    const read = await failuresNow({ events: { log } });
    // Assert: the failing one first
    expect(
      read?.endpoints.map((endpoint) => [endpoint.subscriptionId, endpoint.failed, isFailing(endpoint)]),
    ).toEqual([
      ['crm', 1, true],
      ['hostile', 2, false],
    ]);
    expect(read?.endpoints[1]?.answeringSince).toBe(at(12));
  });
});
