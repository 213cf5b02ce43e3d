/**
 * The in-memory twin of the indexes is told of writes by observeWrites, and a new lead's create may be told
 * after its first wake's write (the workflow starts beside the create's report facts): the later state
 * stays, whichever order they are told in, as the table holds the later one. A new cycle replaces.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLeadQueries } from '../../lambdas/adapters/memory-lead-queries.ts';
import { type LeadState, newLeadState } from '../../lambdas/domain/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const created = newLeadState(
  sla,
  { leadId: 'order'.padEnd(22, 'x'), email: 'order@plant.example', fields: {}, marketingConsent: false },
  [],
  new Date('2026-11-30T09:00:00.000Z'),
  'form',
);
const later = (state: LeadState, change: Partial<LeadState>): LeadState => ({ ...state, ...change });

async function stagesListed(queries: MemoryLeadQueries, stage: LeadState['stage']) {
  const ids: string[] = [];
  for await (const candidate of queries.candidates({ stage })) ids.push(candidate.leadId);
  return ids;
}

describe('MemoryLeadQueries told of writes out of order', () => {
  const woken = later(created, {
    version: created.version + 1,
    stage: 'subscriber' === created.stage ? 'lead' : 'subscriber',
  });
  const nextCycle = later(created, { cycle: created.cycle + 1, version: 1 });

  it.each([
    ['the create, then the wake', [created, woken], woken],
    ['the wake, then the create', [woken, created], woken],
    ['a later cycle after a higher version of the earlier one', [woken, nextCycle], nextCycle],
  ])('%s: lists the lead as the later write left it', async (_, told, expected) => {
    // Arrange
    const queries = new MemoryLeadQueries(sla);

    // Act
    for (const state of told) await queries.leadWritten(state);

    // Assert
    expect(await stagesListed(queries, expected.stage)).toEqual([expected.leadId]);
    const other = expected === woken ? created.stage : woken.stage;
    if (other !== expected.stage) expect(await stagesListed(queries, other)).toEqual([]);
  });
});
