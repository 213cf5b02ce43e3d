/**
 * The park's report facts when the wake's change pushed the oldest entries off a full timeline (TIMELINE_CAP,
 * a store that does not move entries to their own items: the memory store of the simulator and the fast
 * tests). The facts are told by the entries the write added (latestFacts' `since`, the story's length of the
 * version the wake read): the entries the cap dropped are not the read version's to count.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLeadQueries } from '../../lambdas/adapters/memory-lead-queries.ts';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import { TIMELINE_CAP, type TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const HANDED = '2026-11-30T08:00:00.000Z';
const NOW = new Date('2026-12-02T12:30:00.000Z');

describe('the park at the timeline cap', () => {
  it.each([
    ['a short timeline: nothing dropped', 10],
    ["at the cap: the wake's entries push the oldest off", TIMELINE_CAP],
  ])('tells the fact of the entry its write added (%s)', async (_case, held) => {
    // Arrange
    const queries = new MemoryLeadQueries(sla);
    const store = observeWrites(new MemoryLeadStore(), queries);
    const judged = (i: number): TimelineEntry => ({
      at: new Date(Date.parse(HANDED) + i * 1000).toISOString(),
      kind: 'judged',
      from: 'sql/new',
      to: 'sql/new',
      by: 'workflow',
      reasons: [{ rule: 'fixture', detail: 'fixture' }],
    });
    const read = handedOff(HANDED, 'jonas', {
      leadId: FIXTURE_LEAD_ID,
      slaVersion: sla.version,
      timeline: Array.from({ length: held }, (_, i) => judged(i)),
    });
    await store.createLead(read);
    const notifier = new Proxy({} as Notifier, { get: () => async () => undefined });
    const deps = { sla, store, clock: { now: () => NOW }, notifier };

    // Act
    const step = await advance(deps, {
      leadId: read.leadId,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: HANDED,
    });
    const outcome = await park(deps, parkInputOf(step, 'token-1'));
    const facts = await queries.listFacts('2026-11-30', '2026-12-02');

    // Assert
    expect(outcome).toBe('parked');
    // the ladder handed the lead to Lena at NOW: its handover fact, once
    expect(
      facts
        .filter((fact) => fact.kind === 'handover' && fact.at === NOW.toISOString())
        .map((fact) => fact.rep),
    ).toEqual(['lena']);
  });
});
