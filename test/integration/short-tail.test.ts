/**
 * A short timeline tail on the state item (ADR 0032): what the domain used to find on the tail is still
 * there once the entry moved to its own item, on DynamoDB (dynalite), through the store's own moves.
 * - the "new SQL" email of a handoff long after the judgement says why the lead qualified;
 * - a claim carries those reasons, so a resend does not depend on the tail either;
 * - a recycled lead's link page names the deal stage it was lost in.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  DynamoDbLeadStore,
  TIMELINE_TAIL_KEEP,
  TIMELINE_TAIL_MAX,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { ENTITIES, ENTITY_ATTRIBUTE, timelineKey } from '../../lambdas/adapters/table-definition.ts';
import type { Reason } from '../../lambdas/domain/lead.ts';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { type LeadStore, withMovedEntries } from '../../lambdas/ports/lead-store.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { deliver } from '../../lambdas/tasks/outbox-delivery.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, leadState } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
/** Monday 09:00 Berlin: reps are working */
const T0 = Date.parse('2026-11-30T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const WHY: Reason[] = [
  { rule: 'fit.industry.food-and-beverage', detail: 'industry "food-and-beverage" is in the ICP: +25' },
  { rule: 'engagement.demo_request', detail: 'asked for a demo: +40' },
];

/** Entries that are not judgements (events recorded on the lead), one a minute after `from`. */
const events = (from: number, count: number): TimelineEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    at: at(from + i),
    kind: 'event',
    by: 'form',
    reasons: [{ rule: 'event.page_view', detail: `viewed /pricing (${i})` }],
  }));

/** Writes `entries` one change at a time through saveLead, as wakes and API handlers do (moves included). */
async function grow(store: LeadStore, leadId: string, entries: readonly TimelineEntry[]): Promise<LeadState> {
  for (const entry of entries) {
    const current = (await store.getLead(leadId))!;
    const next = { ...current, timeline: [...current.timeline, entry], version: current.version + 1 };
    expect(await store.saveLead(next, current.version, current)).toBe('saved');
  }
  return (await store.getLead(leadId))!;
}

/** Records the reasons each "new SQL" email was given. */
function reasonsNotifier(): Notifier & { readonly told: (readonly Reason[])[] } {
  const told: (readonly Reason[])[] = [];
  return new Proxy({ told } as unknown as Notifier & { told: (readonly Reason[])[] }, {
    get(target, property) {
      if (property === 'told') return told;
      if (property === 'sqlAssigned')
        return async (_lead: unknown, _rep: unknown, _due: unknown, why: readonly Reason[]) => {
          told.push(why);
        };
      return Reflect.get(target, property) ?? (async () => undefined);
    },
  });
}

describe('a short tail on the lead: what moved off is still found', () => {
  const dynalite = useDynalite();
  const newStore = () =>
    new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName, carry: storyCarrier(sla) });

  it('a handoff long after the judgement: the "new SQL" email says why the lead qualified', async () => {
    // Arrange: an SQL whose judgement is followed by more entries than the tail keeps, nobody owns it yet
    const store = newStore();
    const judged: TimelineEntry = {
      at: at(0),
      kind: 'judged',
      from: 'lead',
      to: 'sql',
      by: 'form',
      reasons: WHY,
    };
    await store.createLead(
      leadState({
        stage: 'sql',
        status: 'new',
        slaVersion: sla.version,
        judgedAt: at(0),
        timeline: [judged],
      }),
    );
    const grown = await grow(store, FIXTURE_LEAD_ID, events(1, TIMELINE_TAIL_MAX + 2));
    expect(grown.timeline.some((entry) => entry.kind === 'judged')).toBe(false);
    expect(grown.timeline.length).toBeLessThanOrEqual(TIMELINE_TAIL_MAX);
    const notifier = reasonsNotifier();
    const now = new Date(T0 + 60 * 60_000);

    // Act
    await handoff(
      { sla, store, clock: { now: () => now }, notifier },
      { leadId: FIXTURE_LEAD_ID, cycle: 1, generation: 0, loops: 0, startedAt: at(0) },
    );

    // Assert
    expect(notifier.told).toEqual([WHY]);
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(lead.ownerId).toBeDefined();
  });

  it('a resend after the judgement moved off the state: the claim still carries why', async () => {
    // Arrange: the lead as a later wake sees it, its tail holding only what came after the judgement
    const lead = leadState({
      stage: 'sql',
      status: 'new',
      ownerId: 'jonas',
      timeline: events(100, TIMELINE_TAIL_KEEP),
      timelineSpilled: 40,
    });
    const notifier = reasonsNotifier();

    // Act
    await deliver({ sla, store: newStore(), clock: { now: () => new Date(T0) }, notifier }, lead, {
      type: 'sqlAssigned',
      repId: 'jonas',
      dueAt: at(240),
      why: WHY,
    });

    // Assert
    expect(notifier.told).toEqual([WHY]);
  });

  it("moved entries are read by position: not a stray below the lead's positions, nor one a later write moved", async () => {
    // Arrange: a lead in a cycle after an erased one (positions start at 10), grown past the tail
    const store = newStore();
    await store.createLead(
      leadState({ slaVersion: sla.version, timelineDropped: 10, timeline: events(0, 1) }),
    );
    const grown = await grow(store, FIXTURE_LEAD_ID, events(1, TIMELINE_TAIL_MAX + 2));
    const spilled = grown.timelineSpilled ?? 0;
    expect(spilled).toBeGreaterThan(0);
    // an erased cycle's item a racing writer left (position 3), and the next move's first item (at the base)
    const item = (seq: number, detail: string) => ({
      ...events(500, 1)[0]!,
      reasons: [{ rule: 'stray', detail }],
      ...timelineKey(FIXTURE_LEAD_ID, seq),
      [ENTITY_ATTRIBUTE]: ENTITIES.timeline,
    });
    await dynalite.doc.send(new PutCommand({ TableName: dynalite.tableName, Item: item(3, 'erased cycle') }));
    await dynalite.doc.send(
      new PutCommand({ TableName: dynalite.tableName, Item: item(10 + spilled, 'moved later') }),
    );

    // Act
    const whole = await withMovedEntries(store, grown);

    // Assert: this state's story, in order, and nothing else
    const story = [...events(0, 1), ...events(1, TIMELINE_TAIL_MAX + 2)];
    expect(whole.timeline.map((entry) => [entry.at, entry.reasons[0]?.detail])).toEqual(
      story.map((entry) => [entry.at, entry.reasons[0]?.detail]),
    );
    expect(JSON.stringify(whole.timeline)).not.toContain('stray');
    expect(whole.timelineSpilled).toBe(0);
  });
});
