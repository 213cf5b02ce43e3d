/**
 * Events out on a long story (ADR 0021 and 0022 together): once a lead's older timeline entries have moved
 * to their own items, the publisher still derives every event with what came before it (the owner, the
 * attempt count), and a publisher that lagged behind a move loses none. Run on dynalite through the
 * DynamoDB adapter, against the same story kept whole on the state (the domain's own derivation).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLeadStore, TIMELINE_TAIL_MAX } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { type LeadEvent, leadEvents } from '../../lambdas/domain/lead-events.ts';
import { withTimeline } from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { deliverDue, type EventsOutDeps, publishLead } from '../../lambdas/tasks/events-out.ts';
import { assignedLead, assignmentAt, eventsOutDeps, noAnswerAt } from '../support/assigned-story.ts';
import { useDynalite } from '../support/dynalite.ts';
import type { ManualClock } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const LEAD = 'LeadLongStory000000001';
const ATTEMPTS = 3 * TIMELINE_TAIL_MAX;

const attempt = noAnswerAt(T0);
const assignment = assignmentAt(T0);
const created = () => assignedLead(sla, LEAD, T0, { jobTitle: 'Plant Manager' });

/** what the domain derives from the whole story kept on one state (no store, nothing moved) */
function expectedEvents(): LeadEvent[] {
  let whole = created();
  for (let n = 1; n <= ATTEMPTS; n++) whole = withTimeline(whole, attempt(n));
  return leadEvents(sla, whole, 0);
}

describe('events out on a story longer than the state keeps', () => {
  const dynamo = useDynalite();
  let store: DynamoDbLeadStore;
  let deps: EventsOutDeps;

  beforeEach(() => {
    store = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName });
    // the bus as a subscriber of every event: what it is given is what was published
    deps = eventsOutDeps(sla, dynamo, store, T0, { bus: { publish: async () => undefined } });
  });

  async function logAttempts(from: number, to: number) {
    for (let n = from; n <= to; n++) {
      const { result } = await updateLead(store, LEAD, (current) => withTimeline(current, attempt(n)));
      expect(result).toBe('saved');
    }
  }

  it('a publisher that lagged behind the move derives every event, in order, as the whole story gives them', async () => {
    // Arrange: the whole story written before anything is published (the stream or sweep was late)
    expect(await store.createLead(created())).toBe('created');
    await logAttempts(1, ATTEMPTS);
    const stored = (await store.getLead(LEAD))!;
    expect(stored.timelineSpilled ?? 0).toBeGreaterThan(0);

    // Act
    const report = await publishLead(deps, LEAD);

    // Assert: the same events, ids and attempt numbers as the story kept whole, the cursor at its end
    const expected = expectedEvents();
    expect(report.events).toEqual(expected);
    expect(report.events.filter((e) => e.type === 'lead.attempt_logged')).toHaveLength(ATTEMPTS);
    expect(report.events.at(-1)!.data).toMatchObject({ attemptNo: ATTEMPTS, ownerId: 'jonas' });
    expect(report.marked).toBe(true);
    // created and judged, the assignment, the attempts: the cursor, in its own item (ADR 0031)
    expect(await deps.log.publishedThrough(LEAD)).toBe(3 + ATTEMPTS);
  });

  it('publishing as the story grows gives each event once, and the same ones as publishing at the end', async () => {
    // Arrange
    expect(await store.createLead(created())).toBe('created');
    const published: LeadEvent[] = [];

    // Act: a publish after every 7 changes, across several moves of the tail
    published.push(...(await publishLead(deps, LEAD)).events);
    for (let n = 1; n <= ATTEMPTS; n += 7) {
      await logAttempts(n, Math.min(ATTEMPTS, n + 6));
      published.push(...(await publishLead(deps, LEAD)).events);
    }

    // Assert
    expect(published).toEqual(expectedEvents());
    expect(new Set(published.map((e) => e.id)).size).toBe(published.length);
  });

  it('with the carry each move writes (ADR 0035), publishing after every change reads no moved entry and gives the same events', async () => {
    // Arrange: the store as deployed, its moves carrying the walks; moved entries read back are counted
    const carrying = new DynamoDbLeadStore(dynamo.doc, {
      tableName: dynamo.tableName,
      carry: storyCarrier(sla),
    });
    let readBack = 0;
    const counted = new Proxy(carrying, {
      get(target, property, receiver) {
        if (property === 'listMovedEntries') readBack++;
        return Reflect.get(target, property, receiver);
      },
    });
    store = carrying;
    deps = { ...deps, store: counted };
    expect(await store.createLead(created())).toBe('created');
    const published: LeadEvent[] = [...(await publishLead(deps, LEAD)).events];

    // Act: the stream's publish after each change, across several moves of the tail
    for (let n = 1; n <= ATTEMPTS; n++) {
      await logAttempts(n, n);
      published.push(...(await publishLead(deps, LEAD)).events);
    }

    // Assert
    expect((await store.getLead(LEAD))?.timelineSpilled ?? 0).toBeGreaterThan(2 * TIMELINE_TAIL_MAX);
    expect(published).toEqual(expectedEvents());
    expect(readBack).toBe(0);
  });

  it('a delivery retried after its entry moved off the lead is sent with its reasons', async () => {
    // Arrange: the assignment's event is published; the bus refuses it; then the story grows past the tail
    const carrying = new DynamoDbLeadStore(dynamo.doc, {
      tableName: dynamo.tableName,
      carry: storyCarrier(sla),
    });
    store = carrying;
    const given: LeadEvent[] = [];
    let down = true;
    deps = {
      ...deps,
      store,
      bus: {
        publish: async (events: readonly LeadEvent[]) => {
          if (down) throw new Error('bus unavailable');
          given.push(...events);
        },
      },
    };
    expect(await store.createLead(created())).toBe('created');
    await publishLead(deps, LEAD);
    await logAttempts(1, 2 * TIMELINE_TAIL_MAX);
    expect((await store.getLead(LEAD))?.timelineSpilled ?? 0).toBeGreaterThan(0);
    down = false;
    (deps.clock as ManualClock).set(new Date(T0.getTime() + 3_600_000));

    // Act: the retry of the deliveries that failed
    await deliverDue(deps);

    // Assert: the assignment's event went out with the reasons of its entry, long moved off the state
    const assigned = given.find((event) => event.type === 'lead.assigned');
    expect(assigned?.reasons).toEqual(assignment.reasons);
  });

  it('a retry whose subscription was removed is failed without reading the lead (a failed read is no unhandled rejection)', async () => {
    // Arrange: a webhook that refuses, then a configuration without it and a store whose reads fail
    const hook = { id: 'crm', url: 'https://crm.example/hooks', events: ['*'], secret: 'whsec_test' };
    deps = {
      ...deps,
      bus: undefined,
      subscriptions: [hook],
      transport: { post: async () => ({ statusCode: 503 }) },
    };
    expect(await store.createLead(created())).toBe('created');
    const published = await publishLead(deps, LEAD);
    expect(published.deliveries.length).toBeGreaterThan(0);
    let reads = 0;
    const failing = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'getLead') return Reflect.get(target, property, receiver);
        return async () => {
          reads++;
          throw new Error('the store is unavailable');
        };
      },
    });
    deps = { ...deps, store: failing, subscriptions: [] };
    (deps.clock as ManualClock).set(new Date(T0.getTime() + 3_600_000));

    // Act
    const report = await deliverDue(deps);

    // Assert
    expect(report.failed).toBe(published.deliveries.length);
    expect(reads).toBe(0);
  });
});
