/**
 * LeadStore.takeWaitToken: a signal takes the parked execution's token off the lead with one conditional
 * update, no read (it was a GetItem and a rewrite of the whole state). The same outcomes on DynamoDB
 * (dynalite) and in memory: taken once, due no later than now (the due index with it), nothing changed
 * when the token is not the lead's; of concurrent signallers exactly one takes it.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import type { LeadState, LeadStore } from '../../lambdas/ports/lead-store.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, leadState } from '../support/lead-state.ts';

const NOW = '2026-11-30T12:00:00.000Z';
const LATER = '2026-12-07T12:00:00.000Z';
const EARLIER = '2026-11-30T11:00:00.000Z';

describe.each([
  ['DynamoDB (dynalite)', 'dynamo'],
  ['memory', 'memory'],
] as const)('takeWaitToken on %s', (_name, kind) => {
  const dynamo = useDynalite();
  const storeOf = (): LeadStore =>
    kind === 'dynamo'
      ? new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName })
      : new MemoryLeadStore();
  const parked = async (store: LeadStore, overrides: Partial<LeadState>) => {
    const lead = leadState({ waitToken: 'token-1', ...overrides });
    expect(await store.createLead(lead)).toBe('created');
    return lead;
  };

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['parked until a later deadline: due now', { dueAt: LATER }, 'token-1', true, NOW],
    ['overdue already: stays due as it was', { dueAt: EARLIER }, 'token-1', true, EARLIER],
    ['no deadline: due now', {}, 'token-1', true, NOW],
    ['another token: nothing changes', { dueAt: LATER }, 'token-2', false, LATER],
    ['erased: nothing changes', { dueAt: LATER, erasedAt: EARLIER }, 'token-1', false, LATER],
  ] as const)('%s', async (_case, overrides, token, taken, dueAt) => {
    // Arrange
    const store = storeOf();
    const lead = await parked(store, overrides);
    // Act
    const result = await store.takeWaitToken(FIXTURE_LEAD_ID, token, NOW);
    // Assert
    const after = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(result).toBe(taken);
    expect(after.dueAt).toBe(dueAt);
    expect(after.waitToken).toBe(taken ? undefined : 'token-1');
    expect(after.version).toBe(lead.version + (taken ? 1 : 0));
    // a token taken stays as `signalled` until the woken wake writes (the reconciler sends it again otherwise)
    expect(after.signalled).toBe(taken ? token : undefined);
    const { signalled: _kept, ...rest } = after;
    expect({ ...rest, dueAt: lead.dueAt, version: lead.version, waitToken: lead.waitToken }).toEqual(lead);
  });

  it('moves the due index with the deadline: the lead is listed due now, not at its old deadline', async () => {
    // Arrange
    const store = storeOf();
    await parked(store, { dueAt: LATER });
    // Act
    await store.takeWaitToken(FIXTURE_LEAD_ID, 'token-1', NOW);
    // Assert
    expect((await store.listDueLeads(NOW)).map((due) => [due.leadId, due.dueAt])).toEqual([
      [FIXTURE_LEAD_ID, NOW],
    ]);
  });

  it('of 10 concurrent signallers with the token exactly one takes it', async () => {
    // Arrange
    const store = storeOf();
    const lead = await parked(store, { dueAt: LATER });
    // Act
    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.takeWaitToken(FIXTURE_LEAD_ID, 'token-1', NOW)),
    );
    // Assert
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.getLead(FIXTURE_LEAD_ID))?.version).toBe(lead.version + 1);
  });

  it('a lead that does not exist: not taken', async () => {
    // Act / Assert
    expect(await storeOf().takeWaitToken('NoSuchLead000000000000', 'token-1', NOW)).toBe(false);
  });
});
