/**
 * Events out behind an erase (ADR 0035): the erase drops the lead's moved entries, and a publisher that had
 * not yet published the last changes before it derives their events after it. They must be the events the
 * story gave before the erase (the owner, the attempt number, the deal's previous stage), only without
 * reasons (nor the outcome read from them): the erase keeps no personal data, and the carries hold none.
 * On dynalite.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLeadStore, TIMELINE_TAIL_MAX } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { leadEvents } from '../../lambdas/domain/lead-events.ts';
import { eraseLead, withTimeline } from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { type EventsOutDeps, publishLead } from '../../lambdas/tasks/events-out.ts';
import { assignedLead, eventsOutDeps, noAnswerAt } from '../support/assigned-story.ts';
import { useDynalite } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const LEAD = 'LeadErasedStory0000001';
const ATTEMPTS = 2 * TIMELINE_TAIL_MAX;

const attempt = noAnswerAt(T0);
const created = () => assignedLead(sla, LEAD, T0);

describe('events out of the changes an erase overtook', () => {
  const dynamo = useDynalite();
  let store: DynamoDbLeadStore;
  let deps: EventsOutDeps;

  beforeEach(() => {
    store = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName, carry: storyCarrier(sla) });
    deps = eventsOutDeps(sla, dynamo, store, T0);
  });

  it('the last attempt, published after the erase, keeps its owner and its number', async () => {
    // Arrange: the story published as it grew, across moves; the last attempt not yet
    expect(await store.createLead(created())).toBe('created');
    let whole = created();
    await publishLead(deps, LEAD);
    for (let n = 1; n <= ATTEMPTS + 1; n++) {
      const { result } = await updateLead(store, LEAD, (current) => withTimeline(current, attempt(n)));
      expect(result).toBe('saved');
      whole = withTimeline(whole, attempt(n));
      if (n <= ATTEMPTS) await publishLead(deps, LEAD);
    }
    expect((await store.getLead(LEAD))?.timelineSpilled ?? 0).toBeGreaterThan(0);
    const last = leadEvents(sla, whole, 0).filter((event) => event.seq === whole.timeline.length - 1);

    // Act: the erase as DELETE /leads/{id} makes it, then the late publish
    await store.deleteLeadHistory(LEAD);
    const erasedAt = new Date(T0.getTime() + 86_400_000);
    await updateLead(store, LEAD, (current) => eraseLead(current, erasedAt, 'ops'));
    const published = (await publishLead(deps, LEAD)).events;

    // Assert
    expect(last.map((event) => event.data)).toEqual([
      { attemptNo: ATTEMPTS + 1, ownerId: 'jonas', outcome: 'contactAttempts.outcome.no_answer' },
    ]);
    // the outcome is read from the entry's reasons, which the erase drops (the risk this does not cover)
    const { outcome: _outcome, ...data } = last[0]!.data;
    expect(published.filter((event) => event.seq === last[0]!.seq)).toEqual([
      { ...last[0], reasons: [], data },
    ]);
    expect(published.map((event) => event.type)).toContain('lead.erased');
  });
});
