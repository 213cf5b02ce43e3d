/**
 * A subscription whose key is not a usable `whsec_` key (on AWS the secret is read at start and not
 * checked, e.g. ops put a short or mistyped key in Secrets Manager): its deliveries fail and are retried
 * on the schedule with the reason in the log, and the rest of the run (the bus, other subscriptions, other
 * leads) goes on. On dynalite.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { LeadEvent } from '../../lambdas/domain/lead-events.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { deliverAll, type EventsOutDeps, publishLead } from '../../lambdas/tasks/events-out.ts';
import { assignedLead, eventsOutDeps } from '../support/assigned-story.ts';
import { useDynalite } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { TEST_WEBHOOK_SECRET } from '../support/webhook-receiver.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const LEAD = 'LeadBadSigningKey00001';

describe('a subscription with an unusable signing key', () => {
  const dynamo = useDynalite();
  let store: DynamoDbLeadStore;
  let deps: EventsOutDeps;
  let bus: LeadEvent[];
  let posted: string[];

  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    store = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName, carry: storyCarrier(sla) });
    bus = [];
    posted = [];
    deps = eventsOutDeps(sla, dynamo, store, T0, {
      bus: { publish: async (events) => void bus.push(...events) },
      subscriptions: [
        { id: 'broken', url: 'https://broken.example/hooks', events: ['*'], secret: 'whsec_c2hvcnQ=' },
        { id: 'crm', url: 'https://crm.example/hooks', events: ['*'], secret: TEST_WEBHOOK_SECRET },
        // on AWS, a URL kept in its secret that ops have not put there yet (aws/shared/webhook-subscriptions.ts)
        {
          id: 'slack',
          url: '',
          events: ['*'],
          secret: TEST_WEBHOOK_SECRET,
          unusable: 'its receiver URL is not set: put the https URL in its secret',
        },
      ],
      transport: {
        post: async (url) => {
          posted.push(url);
          return { statusCode: 204 };
        },
      },
    });
  });

  it("fails its own deliveries (retried, the reason logged) and sends everyone else's", async () => {
    // Arrange
    expect(await store.createLead(assignedLead(sla, LEAD, T0))).toBe('created');
    const { deliveries, events } = await publishLead(deps, LEAD);

    // Act
    const report = await deliverAll(deps, deliveries);

    // Assert
    expect(bus.map((event) => event.id)).toEqual(events.map((event) => event.id));
    expect(posted.filter((url) => url.startsWith('https://crm.'))).toHaveLength(events.length);
    expect(posted.filter((url) => !url.startsWith('https://crm.'))).toEqual([]);
    expect(report).toMatchObject({ delivered: 2 * events.length, retrying: 2 * events.length });
    const broken = deliveries.filter((delivery) => delivery.subscriptionId === 'broken');
    for (const { deliveryId } of broken)
      expect(await deps.log.getDelivery(deliveryId)).toMatchObject({
        status: 'retrying',
        attempts: 1,
        lastError: expect.stringMatching(/signing key/),
      });
    for (const { deliveryId } of deliveries.filter((delivery) => delivery.subscriptionId === 'slack'))
      expect(await deps.log.getDelivery(deliveryId)).toMatchObject({
        status: 'retrying',
        attempts: 1,
        lastError: 'its receiver URL is not set: put the https URL in its secret',
      });
  });
});
