/**
 * The events-out Lambda's handler (lambdas/aws/shared/events-out-handler.ts) on dynalite: a DynamoDB
 * stream batch as Lambda delivers it (new images in the stream's attribute-value shape) publishes the
 * leads it names and sends their webhooks; the schedule's event sweeps what a lost batch left listed.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbEventLog } from '../../lambdas/adapters/dynamodb-event-log.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { eventsOutHandler } from '../../lambdas/aws/shared/events-out-handler.ts';
import type { LeadEvent } from '../../lambdas/domain/lead-events.ts';
import { newLeadState } from '../../lambdas/domain/lead-state.ts';
import type { WebhookResponse } from '../../lambdas/ports/events.ts';
import type { EventsOutDeps } from '../../lambdas/tasks/events-out.ts';
import { useDynalite } from '../support/dynalite.ts';
import { ManualClock } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { TEST_WEBHOOK_SECRET } from '../support/webhook-receiver.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');

/** A stream record of a lead's state write as the stream carries it: the keys and the lead id, as the stream's
 * attribute values (the filter passed it: it carries gsi7pk). */
const streamRecord = (leadId: string) => ({
  eventName: 'INSERT',
  dynamodb: {
    NewImage: {
      pk: { S: `LEAD#${leadId}` },
      sk: { S: 'STATE' },
      leadId: { S: leadId },
      gsi7pk: { S: 'EVENTS#00' },
    },
  },
});

describe('the events-out handler', () => {
  const dynamo = useDynalite();
  let posts: { url: string; body: string }[];
  let bus: LeadEvent[];
  let deps: EventsOutDeps;

  beforeEach(() => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    posts = [];
    bus = [];
    const clock = new ManualClock();
    clock.set(T0);
    deps = {
      sla,
      store: new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName }),
      log: new DynamoDbEventLog(dynamo.doc, dynamo.tableName),
      bus: { publish: async (events) => void bus.push(...events) },
      subscriptions: [
        { id: 'crm', url: 'https://crm.example.com/hooks', events: ['lead.*'], secret: TEST_WEBHOOK_SECRET },
      ],
      transport: {
        post: async (url, _headers, body): Promise<WebhookResponse> => {
          posts.push({ url, body });
          return { statusCode: 200 };
        },
      },
      clock,
    };
  });

  async function storeLead(email: string) {
    const lead = newLeadState(
      sla,
      {
        leadId: `Lead${email.slice(0, 18).padEnd(18, '0')}`,
        email,
        fields: { jobTitle: 'Plant Manager' },
        marketingConsent: false,
      },
      [],
      T0,
      'form',
    );
    expect(await new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName }).createLead(lead)).toBe(
      'created',
    );
    return lead;
  }

  it('publishes the leads a stream batch names: the bus and the webhook get their events, once', async () => {
    // Arrange: a record as the stream carries it
    const lead = await storeLead('stream@plant.example');
    const record = streamRecord(lead.leadId);
    const batch = { Records: [record, record] } as unknown as DynamoDBStreamEvent;

    // Act: the batch, and Lambda's retry of it
    const first = await eventsOutHandler(deps)(batch);
    const again = await eventsOutHandler(deps)(batch);

    // Assert
    expect(first).toMatchObject({ leads: 1, events: 2 });
    expect(again).toMatchObject({ leads: 1, events: 0 });
    expect(bus.map((event) => event.type)).toEqual(['lead.created', 'lead.judged']);
    expect(posts.map((post) => JSON.parse(post.body).type)).toEqual(['lead.created', 'lead.judged']);
    expect(await deps.log.leadsWithNewEntries(10)).toEqual([]);
  });

  it('the schedule sweeps a lead whose stream batch was lost', async () => {
    const lead = await storeLead('lost@plant.example');
    expect(await deps.log.leadsWithNewEntries(10)).toEqual([lead.leadId]);

    const swept = await eventsOutHandler(deps)({});

    expect(swept).toMatchObject({ leads: 1, events: 2 });
    expect(bus).toHaveLength(2);
    expect(posts).toHaveLength(2);
    expect(await deps.log.leadsWithNewEntries(10)).toEqual([]);
  });
  it('a receiver that is down costs a stream batch one try, not one per lead, and holds up no other subscriber', async () => {
    // Arrange: eight leads in one batch; a second subscription whose endpoint answers 503 (down)
    const down: string[] = [];
    const withDown: EventsOutDeps = {
      ...deps,
      subscriptions: [
        ...deps.subscriptions,
        {
          id: 'down',
          url: 'https://down.example.com/hooks',
          events: ['lead.*'],
          secret: TEST_WEBHOOK_SECRET,
        },
      ],
      transport: {
        post: async (url, headers, body, timeoutMs): Promise<WebhookResponse> => {
          if (url.startsWith('https://down.')) {
            down.push(body);
            return { statusCode: 503 };
          }
          return deps.transport.post(url, headers, body, timeoutMs);
        },
      },
    };
    const leads = await Promise.all(Array.from({ length: 8 }, (_, i) => storeLead(`down${i}@plant.example`)));
    const records = leads.map((lead) => streamRecord(lead.leadId));

    // Act
    const result = await eventsOutHandler(withDown)({ Records: records } as unknown as DynamoDBStreamEvent);

    // Assert: every lead's events on the bus and at the CRM; the endpoint that is down tried by its lanes'
    // first sends only (at most 4 of 16), the rest due for the sweep
    expect(result).toMatchObject({ leads: 8, events: 16 });
    expect(bus).toHaveLength(16);
    expect(posts).toHaveLength(16);
    expect(down.length).toBeGreaterThan(0);
    expect(down.length).toBeLessThanOrEqual(4);
    const due = await withDown.log.dueDeliveries('2099-01-01T00:00:00.000Z', 100);
    expect(due.filter((delivery) => delivery.subscriptionId === 'down')).toHaveLength(16);
  });
});
