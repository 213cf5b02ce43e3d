/**
 * Events out of a lead's next cycle (the person came back after erasure: POST /leads starts cycle 2 with a
 * story of its own). The publisher's cursor (ADR 0031) counted the erased cycle's story; the new cycle's
 * events must still go out, from its first entry. On dynalite.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbEventLog } from '../../lambdas/adapters/dynamodb-event-log.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import {
  afterErasedCycle,
  eraseLead,
  type LeadState,
  newLeadState,
  withTimeline,
} from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { type EventsOutDeps, publishLead } from '../../lambdas/tasks/events-out.ts';
import { useDynalite } from '../support/dynalite.ts';
import { ManualClock } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const LEAD = 'LeadNextCycle000000001';

const lead = (cycle: number, at: Date): LeadState =>
  newLeadState(
    sla,
    { leadId: LEAD, email: 'petra@brauhaus.example', fields: {}, marketingConsent: false, cycle },
    [],
    at,
    'form',
  );

describe("events out of a lead's next cycle", () => {
  const dynamo = useDynalite();

  it('publishes the new cycle from its first entry', async () => {
    // Arrange: cycle 1 grew, was published and erased, its erase published
    const store = new DynamoDbLeadStore(dynamo.doc, {
      tableName: dynamo.tableName,
      carry: storyCarrier(sla),
    });
    const clock = new ManualClock();
    clock.set(T0);
    const deps: EventsOutDeps = {
      sla,
      store,
      log: new DynamoDbEventLog(dynamo.doc, dynamo.tableName),
      subscriptions: [],
      transport: { post: async () => ({ statusCode: 200 }) },
      clock,
    };
    expect(await store.createLead(lead(1, T0))).toBe('created');
    for (let n = 1; n <= 6; n++)
      await updateLead(store, LEAD, (current) =>
        withTimeline(current, {
          at: new Date(T0.getTime() + n * 60_000).toISOString(),
          kind: 'judged',
          from: 'lead/new',
          to: 'lead/new',
          by: 'workflow',
          reasons: [{ rule: 'fixture', detail: `judgement ${n}` }],
        }),
      );
    await publishLead(deps, LEAD);
    await store.deleteLeadHistory(LEAD);
    await updateLead(store, LEAD, (current) => eraseLead(current, new Date(T0.getTime() + 3_600_000), 'ops'));
    expect((await publishLead(deps, LEAD)).events.map((event) => event.type)).toContain('lead.erased');

    // Act: the person posts again (submitLead's restart), and the new cycle is published
    const again = new Date(T0.getTime() + 86_400_000);
    // the restart as submitLead makes it
    await updateLead(store, LEAD, (current) => afterErasedCycle(current, lead(current.cycle + 1, again)));
    const report = await publishLead(deps, LEAD);

    // Assert
    expect(report.events.map((event) => [event.cycle, event.type])).toContainEqual([2, 'lead.created']);
  });
});
