/**
 * Events out of a lead whose story had already lost its oldest entries (the cap before ADR 0021, an erased
 * cycle before it: `timelineDropped` > 0, nothing moved) when a store first moves its tail (ADR 0035). The
 * first touch of an event comes from the facts walk: with both walks carried the publisher gives from the
 * tail the events the whole kept story gives; a retried delivery of a lead moved without the carries gets
 * its reasons back from the moved entries. On dynalite.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLeadStore, TIMELINE_TAIL_MAX } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { type LeadEvent, leadEvents } from '../../lambdas/domain/lead-events.ts';
import { type LeadState, type TimelineEntry, withTimeline } from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { deliverDue, type EventsOutDeps, publishLead } from '../../lambdas/tasks/events-out.ts';
import { assignedLead, eventsOutDeps, noAnswerAt } from '../support/assigned-story.ts';
import { useDynalite } from '../support/dynalite.ts';
import type { ManualClock } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const LEAD = 'LeadCappedStory0000001';
const DROPPED = 7;

const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();
/** judgements that change nothing, a second apart, until the tail is full */
const judged = (n: number): TimelineEntry => ({
  at: at(n * 1000),
  kind: 'judged',
  from: 'sql/new',
  to: 'sql/new',
  by: 'workflow',
  reasons: [{ rule: 'fixture', detail: `judgement ${n}` }],
});
const attempt = noAnswerAt(T0);

/** a lead whose oldest entries the cap dropped, its tail full, its owner assigned */
function capped(): LeadState {
  let state = assignedLead(sla, LEAD, T0, { jobTitle: 'Plant Manager' }, { timelineDropped: DROPPED });
  for (let n = 1; state.timeline.length < TIMELINE_TAIL_MAX; n++) state = withTimeline(state, judged(n));
  return state;
}

describe('events out of a capped lead across its first move with the carries', () => {
  const dynamo = useDynalite();
  let store: DynamoDbLeadStore;
  let deps: EventsOutDeps;

  beforeEach(() => {
    store = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName, carry: storyCarrier(sla) });
    deps = eventsOutDeps(sla, dynamo, store, T0);
  });

  it('the first touch after a handover that moved off comes out as the whole kept story gives it', async () => {
    // Arrange: everything on the state published; moved entries read back are counted
    let readBack = 0;
    deps = {
      ...deps,
      store: {
        getLead: (leadId) => store.getLead(leadId),
        listMovedEntries: (lead) => {
          readBack++;
          return store.listMovedEntries(lead);
        },
      },
    };
    expect(await store.createLead(capped())).toBe('created');
    const published: LeadEvent[] = [...(await publishLead(deps, LEAD)).events];
    let whole = capped();

    // Act: the first attempts, each published as the stream would; the first write moves the handover off
    for (let n = 1; n <= 3; n++) {
      const { result } = await updateLead(store, LEAD, (current) => withTimeline(current, attempt(n)));
      expect(result).toBe('saved');
      whole = withTimeline(whole, attempt(n));
      published.push(...(await publishLead(deps, LEAD)).events);
    }

    // Assert: from the tail and its carries, no moved entry read back
    const stored = (await store.getLead(LEAD))!;
    expect(stored.timelineSpilled ?? 0).toBeGreaterThan(0);
    expect(stored.factsCarry?.through).toBe(DROPPED + stored.timelineSpilled!);
    expect(readBack).toBe(0);
    const expected = leadEvents(sla, whole, 0);
    expect(expected.map((event) => event.type)).toContain('lead.first_touch_met');
    expect(published).toEqual(expected);
  });

  it('a delivery of that first touch retried later is sent with its reasons, also without the carries', async () => {
    // Arrange: a store without the carries (before ADR 0035); the bus refuses the first touch's event
    store = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName });
    const given: LeadEvent[] = [];
    let down = false;
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
    expect(await store.createLead(capped())).toBe('created');
    await publishLead(deps, LEAD);
    await deliverDue(deps);
    const { result } = await updateLead(store, LEAD, (current) => withTimeline(current, attempt(1)));
    expect(result).toBe('saved');
    down = true;
    expect((await publishLead(deps, LEAD)).events.map((event) => event.type)).toContain(
      'lead.first_touch_met',
    );
    await deliverDue(deps);
    down = false;
    (deps.clock as ManualClock).set(new Date(T0.getTime() + 3_600_000));

    // Act: the retry of the deliveries that failed
    await deliverDue(deps);

    // Assert
    const met = given.find((event) => event.type === 'lead.first_touch_met');
    expect(met?.reasons).toEqual(attempt(1).reasons);
  });
});
