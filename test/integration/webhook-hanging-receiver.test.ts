/**
 * A receiver that hangs until the timeout holds up only its own deliveries: each subscription (the bus is
 * one) has its own lanes in a run of deliverAll. Before, a lead's deliveries went out one after another
 * across every subscription, four leads at a time, so a receiver that never answered (15 s each) held the
 * bus and every healthy subscription back: 18 of its events in 75 s, measured on the local runtime. On
 * dynalite; the hanging receiver is a transport that answers after a delay (the order of the answers is
 * asserted, not a time).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { deliverAll, type EventsOutDeps, publishLead } from '../../lambdas/tasks/events-out.ts';
import { assignedLead, eventsOutDeps } from '../support/assigned-story.ts';
import { useDynalite } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { TEST_WEBHOOK_SECRET } from '../support/webhook-receiver.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const LEADS = Array.from({ length: 6 }, (_, i) => `LeadHangingReceiver00${i}`);
/** how long the hanging receiver takes to answer: far longer than the healthy deliveries take */
const HANG_MS = 1_500;

describe('a receiver that hangs', () => {
  const dynamo = useDynalite();
  let store: DynamoDbLeadStore;
  let deps: EventsOutDeps;
  let happened: string[];

  beforeEach(() => {
    store = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName, carry: storyCarrier(sla) });
    happened = [];
    deps = eventsOutDeps(sla, dynamo, store, T0, {
      bus: { publish: async (events) => void happened.push(...events.map(() => 'bus')) },
      subscriptions: [
        { id: 'hanging', url: 'https://hanging.example/hooks', events: ['*'], secret: TEST_WEBHOOK_SECRET },
        { id: 'crm', url: 'https://crm.example/hooks', events: ['*'], secret: TEST_WEBHOOK_SECRET },
      ],
      transport: {
        post: async (url) => {
          if (url.startsWith('https://crm.')) {
            happened.push('crm');
            return { statusCode: 204 };
          }
          await new Promise((resolve) => setTimeout(resolve, HANG_MS));
          happened.push('hanging answered');
          return { error: 'the receiver did not answer in time' };
        },
      },
    });
  });

  it('holds up only its own deliveries: the bus and the healthy subscription get every event first', async () => {
    // Arrange: six leads published, each with events for the bus, the hanging receiver and the CRM
    const published = [];
    for (const leadId of LEADS) {
      expect(await store.createLead(assignedLead(sla, leadId, T0))).toBe('created');
      published.push(await publishLead(deps, leadId));
    }
    const deliveries = published.flatMap((report) => report.deliveries);
    const events = published.reduce((sum, report) => sum + report.events.length, 0);

    // Act
    const report = await deliverAll(deps, deliveries);

    // Assert: every bus and CRM delivery went out before the hanging receiver's first answer
    const firstHang = happened.indexOf('hanging answered');
    expect(happened.filter((what) => what === 'crm')).toHaveLength(events);
    expect(happened.filter((what) => what === 'bus')).toHaveLength(events);
    expect(happened.lastIndexOf('crm')).toBeLessThan(firstHang);
    expect(happened.lastIndexOf('bus')).toBeLessThan(firstHang);
    expect(report).toMatchObject({ delivered: 2 * events, retrying: events });
  }, 60_000);
});
