/**
 * A replay (POST /webhooks/deliveries/{id}/replay, the console's button) racing the delivery worker: the
 * replay read the delivery with nobody holding it, then the worker took it for an attempt and began to
 * send. The replay's write reset it all the same (no lease, attempts 0, due now) and delivered it at once: a
 * second send beside the first. Now the write is conditional on no lease being held: 409, nothing written.
 * On dynalite through the DynamoDB event log. INJECTED: the worker's claim between the replay's read and its
 * write (a log wrapper makes it at that moment; the window cannot be hit on demand otherwise).
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbEventLog } from '../../lambdas/adapters/dynamodb-event-log.ts';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import { replayDelivery } from '../../lambdas/api/webhook-deliveries.ts';
import type { LeadEvent } from '../../lambdas/domain/lead-events.ts';
import type { WebhookDelivery } from '../../lambdas/domain/webhooks.ts';
import type { EventLog } from '../../lambdas/ports/events.ts';
import { useDynalite } from '../support/dynalite.ts';

const NOW = new Date('2026-12-07T09:00:00.000Z');
const DELIVERY: WebhookDelivery = {
  deliveryId: `dlv_${'ab'.repeat(16)}`,
  subscriptionId: 'crm',
  url: 'https://crm.example.com/hooks',
  eventId: 'evt_1',
  eventType: 'lead.stage_changed',
  leadId: 'LeadReplay000000000000',
  event: { id: 'evt_1', type: 'lead.stage_changed' } as unknown as LeadEvent,
  status: 'retrying',
  attempts: 3,
  createdAt: '2026-12-07T08:00:00.000Z',
  nextAttemptAt: '2026-12-07T08:59:00.000Z',
  lastError: 'HTTP 503',
};

describe('a webhook replay racing an attempt', () => {
  const dynamo = useDynalite();

  it.each<[string, boolean]>([
    ['nobody takes it meanwhile: replayed', false],
    ['the worker takes it between the read and the write: 409, the attempt left alone', true],
  ])('%s', async (_, workerTakesIt) => {
    // Arrange
    const log = new DynamoDbEventLog(dynamo.doc, dynamo.tableName);
    await log.saveDelivery(DELIVERY);
    const leaseUntil = new Date(NOW.getTime() + 60_000).toISOString();
    const racing: EventLog = Object.assign(Object.create(log) as EventLog, {
      getDelivery: async (id: string) => {
        const read = await log.getDelivery(id);
        if (workerTakesIt) expect(await log.claimDelivery(id, NOW.toISOString(), leaseUntil)).toBeDefined();
        return read;
      },
    });
    const sent: string[] = [];
    const events = { log: racing, deliverNow: async (id: string) => void sent.push(id) } as NonNullable<
      ApiDeps['events']
    >;
    // Act
    const outcome = await replayDelivery({ clock: { now: () => NOW } }, events, DELIVERY.deliveryId).then(
      (again) => again.status,
      (error: { status?: number }) => error.status,
    );
    // Assert
    const stored = (await log.getDelivery(DELIVERY.deliveryId))!;
    if (workerTakesIt) {
      expect(outcome).toBe(409);
      expect(sent).toEqual([]);
      expect(stored).toMatchObject({ status: 'retrying', attempts: 3, leaseUntil });
    } else {
      expect(outcome).toBe('pending');
      expect(sent).toEqual([DELIVERY.deliveryId]);
      expect(stored).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: NOW.toISOString() });
      expect(stored.leaseUntil).toBeUndefined();
    }
  });
});
