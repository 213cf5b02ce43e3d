/**
 * POST /leads/{id}/events for events that wake their lead (a demo request that makes an MQL an SQL), as requests
 * to DynamoDB (ADR 0057 amended). The route makes the waiting lead due beside its mark (makeDueForNews, the
 * insurance for a request that dies before its write): that update moves the lead's version, and the route's
 * write, computed on the lead it read, then always conflicted: a failed PutItem, a second GetItem and a read of
 * the whole history (its retry replays every event), on every such request. dynalite, the real route, the real
 * workflow on the local engine; the route's requests recorded on a client of its own.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { extendDeps } from '../../lambdas/api/deps.ts';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { postEventsHandler } from '../../lambdas/api/lead-events.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { localDynamoDbClient } from '../../local/dynalite.ts';
import { useDynalite } from '../support/dynalite.ts';
import { recordDynamoDbCommands } from '../support/dynamodb-recorder.ts';
import { pausingStore } from '../support/pausing.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { exampleLead, workflowHarness } from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');
const sla = loadDefaultSla();

/** POST /leads/{id}/events of an integration's demo request, straight to the route's handler */
async function demoRequest(route: ReturnType<typeof postEventsHandler>, leadId: string) {
  return (await route(
    {
      version: '2.0',
      routeKey: 'POST /leads/{id}/events',
      rawPath: `/leads/${leadId}/events`,
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      pathParameters: { id: leadId },
      requestContext: {
        http: { method: 'POST', path: `/leads/${leadId}/events` },
        authorizer: { principalId: 'test' },
      },
      body: JSON.stringify({ eventId: 'crm-demo-1', type: 'demo_request', occurredAt: T0.toISOString() }),
      isBase64Encoded: false,
    } as unknown as HttpEvent,
    {} as never,
  )) as { statusCode: number; body: string };
}

describe('an event that wakes its lead (ADR 0057 amended)', () => {
  const dynalite = useDynalite();
  const clients: DynamoDBClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });
  const storeOn = (doc = dynalite.doc) =>
    new DynamoDbLeadStore(doc, { tableName: dynalite.tableName, carry: storyCarrier(sla) });

  it.each([
    ['dormant (its subscription not confirmed)', false],
    ['parked in nurture', true],
  ] as const)(
    'an MQL %s asks for a demo by an event: one write of the lead, no history read',
    async (_how, confirmed) => {
      // Arrange: a plant manager downloads a guide (an MQL); the route on a client of its own, recorded
      const h = workflowHarness({ start: T0, sla, store: storeOn() });
      const leadId = await h.submit({ ...exampleLead('hot'), formId: 'efficiency-guide', message: '' });
      if (confirmed) await h.confirmConsent(leadId);
      const before = await h.lead(leadId);
      expect(before.stage).toBe('mql');
      expect(confirmed ? before.waitToken : before.dormant).toBeDefined();
      const client = localDynamoDbClient(dynalite.server.endpoint);
      clients.push(client);
      const recorder = recordDynamoDbCommands(client);
      const route = postEventsHandler(
        extendDeps(h.apiDeps, { store: storeOn(createLeadStoreDocumentClient(client)) }),
      );

      // Act
      const response = await demoRequest(route, leadId);
      const commands = [...recorder.commands];
      await h.settle();

      // Assert: an SQL handed to a rep; the route read the lead once, wrote it once, and read no history
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ appended: 1, stage: 'sql' });
      expect((await h.lead(leadId)).ownerId).toBeDefined();
      expect(commands.filter((command) => command.failed)).toEqual([]);
      expect(commands.filter((command) => command.name === 'GetItemCommand')).toHaveLength(1);
      expect(commands.filter((command) => command.name === 'QueryCommand')).toEqual([]);
      expect(
        commands.filter((command) => command.name === 'PutItemCommand' && command.sortKey === 'STATE'),
      ).toHaveLength(1);
    },
  );

  it("a write of the lead between the route's read and its update is kept: the route's write conflicts, and reads afresh", async () => {
    // Arrange: the dormant MQL; the route held at its update (makeDueForNews) while a rep fills in a phone number
    const h = workflowHarness({ start: T0, sla, store: storeOn() });
    const leadId = await h.submit({ ...exampleLead('hot'), formId: 'efficiency-guide', message: '' });
    const gate = pausingStore(storeOn());
    const held = gate.pauseAt('makeDueForNews');
    const route = postEventsHandler(extendDeps(h.apiDeps, { store: gate.store }));

    // Act
    const posting = demoRequest(route, leadId);
    await held.reached;
    await updateLead(h.store, leadId, (current) => ({
      ...current,
      fields: { ...current.fields, phone: '+49 30 1234567' },
    }));
    held.release();
    const response = await posting;
    await h.settle();

    // Assert: the rep's change and the event, each once
    expect(response.statusCode).toBe(200);
    const after = await h.lead(leadId);
    expect(after.fields.phone).toBe('+49 30 1234567');
    expect(after.stage).toBe('sql');
    expect(after.tally?.count).toBe((await h.store.listEvents(leadId)).length);
  });
});
