/**
 * The publisher's cursor in an item of its own (ADR 0031), on dynalite: publishing never writes the
 * lead's state item; the sweep finds what was written since its watermark and is unpublished, lets the
 * watermark pass only what is published, and keeps a margin behind its clock for writes that land late.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbEventLog, SWEEP_MARGIN_MS } from '../../lambdas/adapters/dynamodb-event-log.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { dueShard } from '../../lambdas/adapters/table-definition.ts';
import { type LeadState, newLeadState, storyLength, withTimeline } from '../../lambdas/domain/lead-state.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { type EventsOutDeps, publishLead } from '../../lambdas/tasks/events-out.ts';
import { useDynalite } from '../support/dynalite.ts';
import { ManualClock } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const MINUTE = 60_000;

describe('events out with the cursor in its own item', () => {
  const dynamo = useDynalite();
  let store: DynamoDbLeadStore;
  let log: DynamoDbEventLog;
  let deps: EventsOutDeps;
  let clock: ManualClock;

  beforeEach(() => {
    clock = new ManualClock();
    clock.set(T0);
    store = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName });
    log = new DynamoDbEventLog(dynamo.doc, dynamo.tableName);
    deps = {
      sla,
      store,
      log,
      subscriptions: [],
      transport: { post: async () => ({ statusCode: 200 }) },
      clock,
    };
  });

  let n = 0;
  /** a lead written at `at`; with `shard`, one whose id falls in that shard of the events index */
  async function written(at: Date, shard?: number): Promise<LeadState> {
    let leadId = `LeadCursor${String(++n).padStart(12, '0')}`;
    while (shard !== undefined && dueShard(leadId) !== shard)
      leadId = `LeadCursor${String(++n).padStart(12, '0')}`;
    const lead = newLeadState(
      sla,
      { leadId, email: `p${n}@plant.example`, fields: {}, marketingConsent: false },
      [],
      at,
      'form',
    );
    expect(await store.createLead(lead)).toBe('created');
    return lead;
  }

  it('a publish writes the cursor item, never the state item: the lead keeps its version and bytes', async () => {
    // Arrange
    const lead = await written(T0);
    const before = await store.getLead(lead.leadId);
    dynamo.resetRecording();
    // Act
    const report = await publishLead(deps, lead.leadId, storyLength(lead));
    const again = await publishLead(deps, lead.leadId, storyLength(lead));
    // Assert
    expect(report.events.map((event) => event.type)).toEqual(['lead.created', 'lead.judged']);
    expect(report.marked).toBe(true);
    expect(again.events).toEqual([]);
    const writes = dynamo.commands.filter((command) => /Put|Update|Write|Delete/.test(command.name));
    expect(writes.map((command) => `${command.name}:${command.sortKey}`)).toEqual([
      'UpdateItemCommand:STORY#PUBLISHED',
    ]);
    // the repeat read the cursor and nothing else
    expect(dynamo.commands.slice(-1).map((command) => `${command.name}:${command.sortKey}`)).toEqual([
      'GetItemCommand:STORY#PUBLISHED',
    ]);
    expect(await store.getLead(lead.leadId)).toEqual(before);
    expect(await log.publishedThrough(lead.leadId)).toBe(storyLength(lead));
  });

  it('the sweep lists what is unpublished since its watermark, and moves it past what is published', async () => {
    // Arrange: three leads written an hour ago, one published
    const hourAgo = new Date(T0.getTime() - 60 * MINUTE);
    const [a, b, c] = [await written(hourAgo), await written(hourAgo), await written(hourAgo)];
    await publishLead(deps, b!.leadId);
    // Act
    const first = await log.leadsWithNewEntries(100, T0);
    // one publish fails (a crash): the next sweep lists it again, the watermark did not pass it
    await publishLead(deps, a!.leadId);
    const retried = await log.leadsWithNewEntries(100, T0);
    await publishLead(deps, c!.leadId);
    const second = await log.leadsWithNewEntries(100, T0);
    // a lead changes again later: listed again, with its new entry only
    const changed = await updateLead(store, c!.leadId, (current) => ({
      ...withTimeline(current, { at: T0.toISOString(), kind: 'note', by: 'rep:jonas', reasons: [] }),
      updatedAt: T0.toISOString(),
    }));
    clock.set(new Date(T0.getTime() + 10 * MINUTE));
    const third = await log.leadsWithNewEntries(100, clock.now());
    // Assert
    expect(first.sort()).toEqual([a!.leadId, c!.leadId].sort());
    expect(retried).toEqual([c!.leadId]);
    expect(second).toEqual([]);
    expect(changed.result).toBe('saved');
    expect(third).toEqual([c!.leadId]);
    expect((await publishLead(deps, c!.leadId)).marked).toBe(true);
    expect(await log.leadsWithNewEntries(100, clock.now())).toEqual([]);
  });

  it('a write stamped before a sweep and landing after it is still swept (the margin behind the clock)', async () => {
    // Arrange: the sweep runs with everything published...
    await log.leadsWithNewEntries(100, T0);
    const late = new Date(T0.getTime() - 2 * MINUTE);
    expect(SWEEP_MARGIN_MS).toBeGreaterThan(2 * MINUTE);
    // a lead of the same shard written and published after that stamp: without the margin the watermark
    // would pass the stamp
    const quiet = await written(new Date(T0.getTime() - MINUTE), 3);
    await publishLead(deps, quiet.leadId);
    expect(await log.leadsWithNewEntries(100, T0)).toEqual([]);
    // ...then a write stamped before it lands, and its own publish is lost (a crash)
    const lead = await written(late, 3);
    // Act
    const swept = await log.leadsWithNewEntries(100, new Date(T0.getTime() + MINUTE));
    // Assert
    expect(swept).toEqual([lead.leadId]);
  });
});
