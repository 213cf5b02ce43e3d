/**
 * The lead item cannot outgrow DynamoDB (issue 10, item 7; ADR 0021): a lead with thousands of timeline
 * entries, written change by change through the DynamoDB adapter on dynalite, keeps a bounded tail on its
 * state item; the older entries live in pages of their own (ADR 0042) in its partition, in order, once each,
 * and come back whole through listTimeline (pages and items written before pages alike); a wake's Query does not read them; erase deletes them.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DynamoDbLeadStore,
  TIMELINE_TAIL_KEEP,
  TIMELINE_TAIL_MAX,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { ENTITIES, ENTITY_ATTRIBUTE, timelineKey } from '../../lambdas/adapters/table-definition.ts';
import { PAGE_ENTRIES, timelinePages } from '../../lambdas/adapters/timeline-page.ts';
import {
  type LeadState,
  type TimelineEntry,
  updateLead,
  withMovedEntries,
} from '../../lambdas/ports/lead-store.ts';
import { useDynalite } from '../support/dynalite.ts';
import { leadState } from '../support/lead-state.ts';

const LEAD = 'LeadWithHistory0000001';
const T0 = Date.parse('2026-11-30T08:00:00.000Z');

/** entry n of the history: about 0.5 KB, like a judgement with its reasons */
function entry(n: number): TimelineEntry {
  return {
    at: new Date(T0 + n * 60_000).toISOString(),
    kind: n % 3 === 0 ? 'judged' : 'email',
    from: `lead/nurturing`,
    to: `lead/nurturing`,
    by: 'workflow',
    reasons: [
      { rule: 'fit.industry', detail: `entry ${n}: industry manufacturing is in the ideal customer profile` },
      { rule: 'engagement.page_view', detail: `entry ${n}: viewed /pricing three times this week, decayed` },
    ],
    version: 'fixture',
  };
}

const appended = (state: LeadState, ...entries: TimelineEntry[]): LeadState => ({
  ...state,
  timeline: [...state.timeline, ...entries],
});

describe('the timeline on DynamoDB: a bounded tail on the state, older entries in their own items', () => {
  const dynalite = useDynalite();
  let store: DynamoDbLeadStore;
  beforeEach(() => {
    store = new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName });
  });

  const stateItemBytes = async () => {
    const { ConsumedCapacity } = await dynalite.client.send(
      new (await import('@aws-sdk/client-dynamodb')).GetItemCommand({
        TableName: dynalite.tableName,
        Key: { pk: { S: `LEAD#${LEAD}` }, sk: { S: 'STATE' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return ConsumedCapacity?.CapacityUnits ?? 0;
  };

  it('2,000 entries, one to three per change: the state keeps at most the tail, the history comes back whole and in order', async () => {
    // Arrange
    await store.createLead(leadState({ leadId: LEAD, timeline: [entry(0)] }));
    let n = 1;
    // Act: changes of one entry, and every tenth of three (a judgement with its moves)
    while (n < 2_000) {
      const take = 1 + (n % 3);
      const entries = Array.from({ length: Math.min(take, 2_000 - n) }, (_, i) => entry(n + i));
      n += entries.length;
      const { result } = await updateLead(store, LEAD, (current) => appended(current, ...entries));
      expect(result).toBe('saved');
    }
    // Assert
    const state = (await store.getLead(LEAD))!;
    expect(state.timeline.length).toBeLessThanOrEqual(TIMELINE_TAIL_MAX + 3);
    expect(state.timeline.length).toBeGreaterThanOrEqual(TIMELINE_TAIL_KEEP);
    expect(state.timelineDropped).toBe(0);
    const earlier = await store.listTimeline(LEAD);
    expect(earlier).toHaveLength(state.timelineSpilled!);
    const whole = [...earlier, ...state.timeline];
    expect(whole).toHaveLength(2_000);
    expect(whole).toEqual(Array.from({ length: 2_000 }, (_, i) => entry(i)));
    // the item stays far below DynamoDB's 400 KB: a strongly consistent read of it costs few 4 KB units
    expect(await stateItemBytes()).toBeLessThanOrEqual(20);
  }, 120_000);

  it("a wake's Query reads the state, events and attempts, not the entries moved off it", async () => {
    // Arrange
    await store.createLead(leadState({ leadId: LEAD, timeline: [entry(0)] }));
    for (let n = 1; n < 200; n++) await updateLead(store, LEAD, (current) => appended(current, entry(n)));
    dynalite.resetRecording();
    // Act
    const snapshot = await store.loadLead(LEAD);
    // Assert
    expect(dynalite.commandNames()).toEqual(['QueryCommand']);
    expect(snapshot?.state.timeline.length).toBeLessThanOrEqual(TIMELINE_TAIL_MAX);
    expect(dynalite.commands[0]!.capacityUnits).toBeLessThan(10);
  });

  /** A lead whose tail is at the max, changed one entry at a time: the next change moves the oldest. */
  async function tailAtTheMax(): Promise<number> {
    await store.createLead(leadState({ leadId: LEAD, timeline: [entry(0)] }));
    let n = 1;
    for (; n < TIMELINE_TAIL_MAX; n++)
      await updateLead(store, LEAD, (current) => appended(current, entry(n)));
    dynalite.resetRecording();
    return n;
  }

  it('a move adds writes only when the tail overflows; ordinary changes write the state item alone', async () => {
    // Arrange: the tail at the max, so the next write moves the oldest down to TIMELINE_TAIL_KEEP
    let n = await tailAtTheMax();
    // Act
    await updateLead(store, LEAD, (current) => appended(current, entry(n++)));
    const moved = dynalite.writeRequests();
    dynalite.resetRecording();
    await updateLead(store, LEAD, (current) => appended(current, entry(n++)));
    const ordinary = dynalite.writeRequests();
    // Assert: the state item and one page of the moved entries (ADR 0042)
    expect(TIMELINE_TAIL_MAX + 1 - TIMELINE_TAIL_KEEP).toBeLessThanOrEqual(PAGE_ENTRIES);
    expect(moved).toBe(2);
    expect(ordinary).toBe(1);
  });

  it('a page of moved entries costs fewer write units than the entries as items of their own', async () => {
    // Arrange: a tail at the max, so the next write moves the oldest
    let n = await tailAtTheMax();
    // Act
    await updateLead(store, LEAD, (current) => appended(current, entry(n++)));
    // Assert: the page's BatchWriteItem, its units well below one per entry (each entry is ~0.4 KB)
    const movedEntries = (await store.getLead(LEAD))!.timelineSpilled!;
    const batch = dynalite.commands.find((command) => command.name === 'BatchWriteItemCommand')!;
    expect(batch.batchWrites).toBe(1);
    expect(batch.capacityUnits).toBeLessThan(movedEntries / 4);
  });

  it("an old lead's first move of hundreds of entries is one request of pages", async () => {
    // Arrange: a lead whose whole story of 600 entries is on its state (as before the tail, ADR 0021)
    const story = Array.from({ length: 600 }, (_, i) => entry(i));
    await store.createLead(leadState({ leadId: LEAD, timeline: story }));
    dynalite.resetRecording();
    // Act
    await updateLead(store, LEAD, (current) => appended(current, entry(600)));
    // Assert: 24 pages of up to 25 entries in one BatchWriteItem, then the state
    expect(dynalite.commandNames()).toEqual(['GetItemCommand', 'BatchWriteItemCommand', 'PutItemCommand']);
    expect(dynalite.commands[1]!.batchWrites).toBe(Math.ceil((600 - TIMELINE_TAIL_KEEP) / PAGE_ENTRIES));
    const state = (await store.getLead(LEAD))!;
    expect([...(await store.listTimeline(LEAD)), ...state.timeline]).toEqual([...story, entry(600)]);
  });

  it('entries moved one per item (before pages) and pages read back as one story', async () => {
    // Arrange: entries 0-9 as items of their own, as moves wrote them before pages; the state holds the rest
    for (let seq = 0; seq < 10; seq++) {
      await dynalite.doc.send(
        new PutCommand({
          TableName: dynalite.tableName,
          Item: { ...entry(seq), ...timelineKey(LEAD, seq), [ENTITY_ATTRIBUTE]: ENTITIES.timeline },
        }),
      );
    }
    await store.createLead(
      leadState({
        leadId: LEAD,
        timelineSpilled: 10,
        timeline: Array.from({ length: 20 }, (_, i) => entry(10 + i)),
      }),
    );
    // Act: the next write moves entries from position 10 on, as a page
    await updateLead(store, LEAD, (current) => appended(current, entry(30)));
    const state = (await store.getLead(LEAD))!;
    // Assert
    expect(state.timelineSpilled).toBeGreaterThan(10);
    const whole = await withMovedEntries(store, state);
    expect(whole.timeline).toEqual(Array.from({ length: 31 }, (_, i) => entry(i)));
  });

  it('an item of one entry that code from before pages writes during a deploy sits beside a page: neither replaces the other', async () => {
    // Arrange: a page of entries 0-11 (this code's move) and, at the page's last position, an item of one
    // entry (a loser of the race still running the code before pages, its write landing after the page)
    const story = Array.from({ length: 14 }, (_, i) => entry(i));
    await store.createLead(leadState({ leadId: LEAD, timelineSpilled: 12, timeline: story.slice(12) }));
    const put = (Item: Record<string, unknown>) =>
      dynalite.doc.send(new PutCommand({ TableName: dynalite.tableName, Item }));
    for (const page of timelinePages(LEAD, 0, story.slice(0, 12))) await put(page);
    await put({ ...story[11], ...timelineKey(LEAD, 11), [ENTITY_ATTRIBUTE]: ENTITIES.timeline });
    // Act
    const whole = await withMovedEntries(store, (await store.getLead(LEAD))!);
    // Assert: the whole story; the page was not replaced
    expect(whole.timeline).toEqual(story);
    expect(await store.listTimeline(LEAD)).toEqual(story.slice(0, 12));
  });

  it('pages that overlap (writers that raced moved different counts) read back each entry once, in order', async () => {
    // Arrange: a loser left a page of entries 0-11; the winner moved 0-7 and, later, 8-19
    await store.createLead(
      leadState({ leadId: LEAD, timelineSpilled: 20, timeline: [entry(20), entry(21)] }),
    );
    const put = (items: Record<string, unknown>[]) =>
      Promise.all(
        items.map((Item) => dynalite.doc.send(new PutCommand({ TableName: dynalite.tableName, Item }))),
      );
    const story = Array.from({ length: 22 }, (_, i) => entry(i));
    await put(timelinePages(LEAD, 0, story.slice(0, 12)));
    await put(timelinePages(LEAD, 0, story.slice(0, 8)));
    await put(timelinePages(LEAD, 8, story.slice(8, 20)));
    // Act
    const whole = await withMovedEntries(store, (await store.getLead(LEAD))!);
    // Assert
    expect(whole.timeline).toEqual(story);
  });

  it('two writers racing from the same version move the same entries under the same keys: nothing lost or doubled', async () => {
    // Arrange: a stored tail at the max, so the next entry makes each writer move the oldest
    const full = Array.from({ length: TIMELINE_TAIL_MAX }, (_, i) => entry(i));
    await store.createLead(leadState({ leadId: LEAD, timeline: full }));
    const read = (await store.getLead(LEAD))!;
    const next = TIMELINE_TAIL_MAX;
    // Act: both read `read`, each adds its own entry; one wins the conditional put
    const [a, b] = await Promise.all([
      store.saveLead({ ...appended(read, entry(next)), version: read.version + 1 }, read.version, read),
      store.saveLead(
        { ...appended(read, { ...entry(next), kind: 'other-writer' }), version: read.version + 1 },
        read.version,
        read,
      ),
    ]);
    await updateLead(store, LEAD, (current) => appended(current, entry(next + 1)));
    // Assert
    expect([a, b].sort()).toEqual(['conflict', 'saved']);
    const state = (await store.getLead(LEAD))!;
    expect(state.timelineSpilled).toBeGreaterThan(0);
    const whole = [...(await store.listTimeline(LEAD)), ...state.timeline];
    expect(whole.slice(0, next)).toEqual(Array.from({ length: next }, (_, i) => entry(i)));
    expect(whole).toHaveLength(next + 2);
  });

  it('erase deletes the entries moved off the state with the rest of the history', async () => {
    // Arrange
    await store.createLead(leadState({ leadId: LEAD, timeline: [entry(0)] }));
    for (let n = 1; n < 300; n++) await updateLead(store, LEAD, (current) => appended(current, entry(n)));
    expect((await store.listTimeline(LEAD)).length).toBeGreaterThan(0);
    // Act
    await store.deleteLeadHistory(LEAD);
    // Assert
    expect(await store.listTimeline(LEAD)).toEqual([]);
  });
});
