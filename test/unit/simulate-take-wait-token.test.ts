/**
 * The simulator's count of a signal's token take (local/simulate/operations.ts countStore) asks what
 * DynamoDbLeadStore.takeWaitToken sends: one conditional UpdateItem when the lead becomes due now, a second
 * when the first's condition fails (due already, or not the lead's token); a refused write is billed too.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { countStore, OperationCounts } from '../../local/simulate/operations.ts';
import { FIXTURE_LEAD_ID, leadState } from '../support/lead-state.ts';

const NOW = '2026-11-30T12:00:00.000Z';

describe('the simulator counts a token take as DynamoDB is asked', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['parked until later: one update, the due index moved', '2026-12-07T12:00:00.000Z', 'token-1', 1, 1],
    ['overdue already: the refused update, then the one that leaves the deadline', '2026-11-30T11:00:00.000Z', 'token-1', 2, 0],
    ['not the lead\'s token: both updates refused', '2026-12-07T12:00:00.000Z', 'token-2', 2, 0],
  ] as const)('%s', async (_case, dueAt, token, requests, indexWrites) => {
    // Arrange
    const memory = new MemoryLeadStore();
    await memory.createLead(leadState({ waitToken: 'token-1', dueAt }));
    const counts = new OperationCounts();
    const store = countStore(memory, counts);
    // Act
    await store.takeWaitToken(FIXTURE_LEAD_ID, token, NOW);
    // Assert
    expect(counts.dynamoRequests).toBe(requests);
    expect(counts.indexWriteUnits).toBe(indexWrites);
  });
});
