/**
 * Which endpoints the console says are failing (lambdas/api/console/webhooks.ts failingNow: the overview's
 * notice for ops, the webhooks page), read from the delivery log on dynalite. Since ADR 0056 the retrying
 * deliveries are queued per subscription (`Q#<subscriptionId>#<next attempt>#<id>`), so the first page of the
 * retrying partition (newest first) is one subscription's backlog: with 50 (the page: 200) retrying to one receiver, the
 * notice read nothing of any other, and an EventBridge bus failing too ('eventbridge' sorts before a default
 * id 'wh_...') was not named.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbEventLog } from '../../lambdas/adapters/dynamodb-event-log.ts';
import { failingNow } from '../../lambdas/api/console/webhooks.ts';
import type { LeadEvent } from '../../lambdas/domain/lead-events.ts';
import { newDelivery, type WebhookSubscription } from '../../lambdas/domain/webhooks.ts';
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
    const notice = await failingNow({ events: { log } }, 50);
    const page = await failingNow({ events: { log } });
    // Assert
    for (const read of [notice, page]) {
      expect(read?.endpoints.map((endpoint) => endpoint.url).sort()).toEqual([
        'eventbridge:',
        'https://crm.example.com/hooks',
      ]);
    }
  });
});
