/**
 * A publisher that reads a lead's moved entries back (it lagged behind a move, ADR 0035) while another
 * write moves more of them: the Query then returns entries the state it read still holds on its tail. Every
 * event it derives must be one the whole story gives (same id, same position, same data): none twice under
 * another id. On dynalite.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore, TIMELINE_TAIL_MAX } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { leadEvents } from '../../lambdas/domain/lead-events.ts';
import { type LeadState, withTimeline } from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { publishLead } from '../../lambdas/tasks/events-out.ts';
import { assignedLead, eventsOutDeps, noAnswerAt } from '../support/assigned-story.ts';
import { useDynalite } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const LEAD = 'LeadReadBackRace000001';

const attempt = noAnswerAt(T0);
const created = () => assignedLead(sla, LEAD, T0);

describe('events out reading moved entries back while another write moves more', () => {
  const dynamo = useDynalite();

  it('derives only events of the whole story, each under its own id', async () => {
    // Arrange: the story moved once before anything is published (the publisher lagged)
    const store = new DynamoDbLeadStore(dynamo.doc, {
      tableName: dynamo.tableName,
      carry: storyCarrier(sla),
    });
    let whole = created();
    let n = 0;
    const write = async () => {
      n += 1;
      const { result } = await updateLead(store, LEAD, (current) => withTimeline(current, attempt(n)));
      expect(result).toBe('saved');
      whole = withTimeline(whole, attempt(n));
    };
    expect(await store.createLead(created())).toBe('created');
    while (((await store.getLead(LEAD))?.timelineSpilled ?? 0) === 0) await write();
    // the other write lands between the publisher's read of the state and its Query of the moved entries
    const spilledBefore = (await store.getLead(LEAD))!.timelineSpilled!;
    const racing = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'listMovedEntries') return Reflect.get(target, property, receiver);
        return async (lead: LeadState) => {
          while (((await store.getLead(LEAD))?.timelineSpilled ?? 0) === spilledBefore) await write();
          return target.listMovedEntries(lead);
        };
      },
    });
    const deps = eventsOutDeps(sla, dynamo, racing, T0);

    // Act
    const report = await publishLead(deps, LEAD);

    // Assert: a write moved more meanwhile; whatever was derived is the whole story's
    expect(n).toBeGreaterThan(TIMELINE_TAIL_MAX);
    const expected = new Map(leadEvents(sla, whole, 0).map((event) => [event.id, event]));
    expect(report.events.length).toBeGreaterThan(0);
    for (const event of report.events) expect(event).toEqual(expected.get(event.id));
  });
});
