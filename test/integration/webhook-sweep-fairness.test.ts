/**
 * The events-out Lambda's sweep (lambdas/aws/shared/events-out-handler.ts) with a receiver that is down and
 * one that is healthy, both on real sockets (127.0.0.1), on dynalite (ADR 0056). Before, the sweep read the
 * 200 earliest due deliveries of all subscriptions: with more than that due to a receiver that hangs, the
 * healthy receiver's and the bus's due retries were not even read, and waited behind its backlog (about 24
 * attempts a minute in the 90 s budget), without bound while the backlog grew. The transport is the
 * deployed one (fetch) with its 15 s timeout shortened to 300 ms.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { FetchWebhookTransport } from '../../lambdas/adapters/fetch-webhook-transport.ts';
import { eventsOutHandler } from '../../lambdas/aws/shared/events-out-handler.ts';
import type { LeadEvent } from '../../lambdas/domain/lead-events.ts';
import {
  newDelivery,
  type WebhookDelivery,
  type WebhookSubscription,
} from '../../lambdas/domain/webhooks.ts';
import { BUS_SUBSCRIPTION, type EventsOutDeps } from '../../lambdas/tasks/events-out.ts';
import { eventsOutDeps } from '../support/assigned-story.ts';
import { useDynalite } from '../support/dynalite.ts';
import { type HangingReceiver, startHangingReceiver, withTimeout } from '../support/hanging-receiver.ts';
import type { ManualClock } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';
import {
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from '../support/webhook-receiver.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
/** due to the receiver that is down: more than one sweep's read of 200 */
const BACKLOG = 250;

/** an event of a lead (its content does not matter to the queue) */
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

/** a delivery whose first attempt failed, its retry due at `due` */
const dueRetry = (subscription: WebhookSubscription, leadId: string, due: Date): WebhookDelivery => ({
  ...newDelivery(subscription, eventOf(leadId), T0),
  status: 'retrying',
  attempts: 1,
  lastAttemptAt: T0.toISOString(),
  nextAttemptAt: due.toISOString(),
  lastError: 'HTTP 503',
});

describe('the sweep with a receiver that is down', () => {
  const dynamo = useDynalite();
  let down: HangingReceiver;
  let healthy: WebhookReceiver;
  let bus: string[];
  let deps: EventsOutDeps;

  beforeEach(async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    down = await startHangingReceiver();
    healthy = await startWebhookReceiver();
    bus = [];
    deps = eventsOutDeps(
      sla,
      dynamo,
      new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName }),
      T0,
      {
        bus: { publish: async (events) => void bus.push(...events.map((event) => event.id)) },
        subscriptions: [
          { id: 'down', url: down.url, events: ['*'], secret: TEST_WEBHOOK_SECRET },
          { id: 'crm', url: healthy.url, events: ['*'], secret: TEST_WEBHOOK_SECRET },
        ],
        transport: withTimeout(new FetchWebhookTransport(), 300),
      },
    );
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await down.close();
    await healthy.close();
  });

  async function queued(status: 'pending' | 'retrying' | 'delivered', subscriptionId: string) {
    const { deliveries } = await deps.log.listDeliveries(status, { limit: 1_000 });
    return deliveries.filter((delivery) => delivery.subscriptionId === subscriptionId);
  }

  it("sends the healthy receiver's and the bus's due retries in the first sweep, whatever the backlog", async () => {
    // Arrange: 250 deliveries due to the receiver that is down, earlier than one due retry to the CRM and
    // one to the bus
    const [downSubscription, crm] = deps.subscriptions as [WebhookSubscription, WebhookSubscription];
    for (let i = 0; i < BACKLOG; i++)
      await deps.log.addDelivery(
        newDelivery(downSubscription, eventOf(`LeadDown${String(i).padStart(4, '0')}`), T0),
      );
    await deps.log.addDelivery(dueRetry(crm, 'LeadHealthy', at(1_000)));
    const busSubscription = { id: BUS_SUBSCRIPTION, url: 'eventbridge:', events: ['*'], secret: '' };
    await deps.log.addDelivery(dueRetry(busSubscription, 'LeadHealthy', at(1_000)));
    (deps.clock as ManualClock).set(at(2_000));
    const handler = eventsOutHandler(deps);

    // Act: one sweep (the schedule's event)
    await handler({});

    // Assert: both went out; the receiver that is down got its four lanes' attempts and those its lanes had
    // started before the fourth went unanswered (at most 3), then no more this sweep
    expect(healthy.accepted().map((delivery) => delivery.id)).toEqual(['evt_LeadHealthy']);
    expect(bus).toEqual(['evt_LeadHealthy']);
    expect(down.requests.length).toBeGreaterThanOrEqual(4);
    expect(down.requests.length).toBeLessThanOrEqual(7);
    // its attempts count and follow the schedule (the next in 5 s); the others were not attempted, not counted
    const retrying = await queued('retrying', 'down');
    expect(retrying).toHaveLength(down.requests.length);
    for (const delivery of retrying) {
      expect(delivery.attempts).toBe(1);
      expect(Date.parse(delivery.nextAttemptAt!) - Date.parse(delivery.lastAttemptAt!)).toBe(5_000);
    }
    const pending = await queued('pending', 'down');
    expect(pending).toHaveLength(BACKLOG - down.requests.length);
    expect(pending.every((delivery) => delivery.attempts === 0)).toBe(true);
  }, 60_000);

  it('delivers every one of the backlog, once each and under its id, when the receiver is back', async () => {
    // Arrange: the backlog, a first sweep while the receiver is down, then it recovers; 10 s later
    const [downSubscription] = deps.subscriptions as [WebhookSubscription];
    for (let i = 0; i < BACKLOG; i++)
      await deps.log.addDelivery(
        newDelivery(downSubscription, eventOf(`LeadDown${String(i).padStart(4, '0')}`), T0),
      );
    const handler = eventsOutHandler(deps);
    await handler({});
    const triedWhileDown = down.requests.length;
    down.recover();
    (deps.clock as ManualClock).set(at(10_000));

    // Act: the minute's sweeps until nothing is due (200 per subscription a sweep)
    let sweeps = 0;
    while ((await deps.log.dueDeliveries(at(10_000).toISOString(), 1)).length > 0 && sweeps < 5) {
      await handler({});
      sweeps++;
    }

    // Assert
    expect(sweeps).toBe(2);
    const ids = Array.from({ length: BACKLOG }, (_, i) => `evt_LeadDown${String(i).padStart(4, '0')}`);
    expect([...down.answered].sort()).toEqual(ids);
    const delivered = await queued('delivered', 'down');
    expect(delivered).toHaveLength(BACKLOG);
    expect(delivered.filter((delivery) => delivery.attempts === 2)).toHaveLength(triedWhileDown);
    expect(delivered.filter((delivery) => delivery.attempts === 1)).toHaveLength(BACKLOG - triedWhileDown);
  }, 60_000);

  it('sends the deliveries queued under the key before ADR 0056, moving each to its queue once, as it comes due', async () => {
    // Arrange: three deliveries to the CRM queued under the old key (`<next attempt>#<id>`): two due, one in
    // an hour
    const [, crm] = deps.subscriptions as [WebhookSubscription, WebhookSubscription];
    const old = [
      dueRetry(crm, 'LeadOld1', at(1_000)),
      dueRetry(crm, 'LeadOld2', at(1_500)),
      dueRetry(crm, 'LeadOld3', at(3_600_000)),
    ];
    for (const delivery of old) {
      await deps.log.addDelivery(delivery);
      await dynamo.doc.send(
        new UpdateCommand({
          TableName: dynamo.tableName,
          Key: { pk: `DELIVERY#${delivery.deliveryId}`, sk: 'DELIVERY' },
          UpdateExpression: 'SET gsi7sk = :old',
          ExpressionAttributeValues: { ':old': `${delivery.nextAttemptAt}#${delivery.deliveryId}` },
        }),
      );
    }
    (deps.clock as ManualClock).set(at(2_000));
    const handler = eventsOutHandler(deps);

    // Act: a sweep now, another now (nothing left to move), one after the third is due
    await handler({});
    dynamo.resetRecording();
    await handler({});
    const writesOfSecondSweep = dynamo.writeRequests();
    (deps.clock as ManualClock).set(at(3_600_000));
    await handler({});

    // Assert
    expect(healthy.accepted().map((delivery) => delivery.id)).toEqual([
      'evt_LeadOld1',
      'evt_LeadOld2',
      'evt_LeadOld3',
    ]);
    expect(writesOfSecondSweep).toBe(0);
    expect(await queued('delivered', 'crm')).toHaveLength(3);
  }, 60_000);
});
