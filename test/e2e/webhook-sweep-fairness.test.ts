/**
 * The local runtime's sweep (local/events-out.ts) with a receiver that is down and one that is healthy, both
 * on real sockets (127.0.0.1) (ADR 0056). Before, the sweep read the 200 earliest due deliveries of all
 * subscriptions and sent them four leads at a time: with a backlog due to a receiver that hangs, a healthy
 * receiver's due retry was not read at all, or waited its turn behind 15 s timeouts. The transport is the
 * runtime's own (fetch) with its 15 s timeout shortened to 300 ms.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FetchWebhookTransport } from '../../lambdas/adapters/fetch-webhook-transport.ts';
import type { LeadEvent } from '../../lambdas/domain/lead-events.ts';
import { newDelivery, type WebhookSubscription } from '../../lambdas/domain/webhooks.ts';
import { BUS_SUBSCRIPTION } from '../../lambdas/tasks/events-out.ts';
import { type E2e, startE2e } from '../support/e2e.ts';
import { type HangingReceiver, startHangingReceiver, withTimeout } from '../support/hanging-receiver.ts';
import {
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from '../support/webhook-receiver.ts';

/** due to the receiver that is down: more than one sweep's read of 200 */
const BACKLOG = 250;

let e: E2e;
let down: HangingReceiver;
let healthy: WebhookReceiver;
let bus: string[];
let downSubscription: WebhookSubscription;
let crm: WebhookSubscription;

const eventOf = (leadId: string, time: Date): LeadEvent =>
  ({
    id: `evt_${leadId}`,
    type: 'lead.judged',
    schemaVersion: 1,
    time: time.toISOString(),
    leadId,
    cycle: 1,
    seq: 1,
    slaVersion: 'v1',
    by: 'form',
    reasons: [],
    data: {},
  }) as unknown as LeadEvent;

beforeEach(async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  down = await startHangingReceiver();
  healthy = await startWebhookReceiver();
  bus = [];
  downSubscription = { id: 'down', url: down.url, events: ['*'], secret: TEST_WEBHOOK_SECRET };
  crm = { id: 'crm', url: healthy.url, events: ['*'], secret: TEST_WEBHOOK_SECRET };
  e = await startE2e({
    events: {
      subscriptions: [downSubscription, crm],
      bus: { publish: async (events) => void bus.push(...events.map((event) => event.id)) },
      transport: withTimeout(new FetchWebhookTransport(), 300),
      sweepEveryMs: 0,
    },
  });
  await e.runtime.events.idle();
  // the backlog, due now; then a due retry to the CRM and one to the bus, due a second later
  const log = e.runtime.events.deps.log;
  const t0 = e.now();
  for (let i = 0; i < BACKLOG; i++)
    await log.addDelivery(
      newDelivery(downSubscription, eventOf(`LeadDown${String(i).padStart(4, '0')}`, t0), t0),
    );
  const t1 = new Date(t0.getTime() + 1_000);
  const busSubscription = { id: BUS_SUBSCRIPTION, url: 'eventbridge:', events: ['*'], secret: '' };
  for (const subscription of [crm, busSubscription])
    await log.addDelivery({
      ...newDelivery(subscription, eventOf('LeadHealthy', t0), t0),
      status: 'retrying',
      attempts: 1,
      lastAttemptAt: t0.toISOString(),
      nextAttemptAt: t1.toISOString(),
      lastError: 'HTTP 503',
    });
  await e.advanceBy(2_000);
  await e.runtime.events.idle();
});

afterEach(async () => {
  await e.close();
  await down.close();
  await healthy.close();
  vi.restoreAllMocks();
});

describe('events out on the local runtime: a receiver that is down', () => {
  it("holds up neither the healthy receiver's due retry nor the bus's: both go out in the first sweep, at once", async () => {
    // Arrange: what the healthy receiver had when the sender first gave up on the receiver that is down
    let healthyAtFirstGiveUp: number | undefined;
    down.onGiveUp(() => {
      healthyAtFirstGiveUp ??= healthy.accepted().length;
    });

    // Act: one sweep
    await e.runtime.events.sweep();

    // Assert
    expect(healthy.accepted().map((delivery) => delivery.id)).toEqual(['evt_LeadHealthy']);
    expect(bus).toEqual(['evt_LeadHealthy']);
    expect(healthyAtFirstGiveUp).toBe(1);
    // four lanes' attempts, and those started before the fourth unanswered one (at most 3): no more
    expect(down.requests.length).toBeGreaterThanOrEqual(4);
    expect(down.requests.length).toBeLessThanOrEqual(7);
    const { deliveries: pending } = await e.runtime.events.deps.log.listDeliveries('pending', {
      limit: 1_000,
    });
    expect(pending.filter((delivery) => delivery.subscriptionId === 'down')).toHaveLength(
      BACKLOG - down.requests.length,
    );
  }, 60_000);

  it('delivers its whole backlog, under the same ids, once it is back', async () => {
    // Arrange: a sweep while it is down, then it recovers
    await e.runtime.events.sweep();
    down.recover();

    // Act: time moves past the retries (5 s), the sweeps the runtime arms, and one more
    await e.advanceBy(10_000);
    await e.runtime.events.idle();
    await e.runtime.events.sweep();
    await e.runtime.events.sweep();

    // Assert
    const ids = Array.from({ length: BACKLOG }, (_, i) => `evt_LeadDown${String(i).padStart(4, '0')}`);
    expect([...new Set(down.answered)].sort()).toEqual(ids);
    const { deliveries: delivered } = await e.runtime.events.deps.log.listDeliveries('delivered', {
      limit: 1_000,
    });
    expect(delivered.filter((delivery) => delivery.subscriptionId === 'down')).toHaveLength(BACKLOG);
    expect(
      (await e.runtime.events.deps.log.dueDeliveries(new Date(8.64e15).toISOString(), 10)).map(
        (delivery) => delivery.deliveryId,
      ),
    ).toEqual([]);
  }, 60_000);
});
