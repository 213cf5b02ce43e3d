/**
 * A signal's take of the wait token that landed but whose answer was lost (INJECTED FAULT:
 * test/support/fault-proxy.ts between the client and dynalite answers HTTP 500 after dynalite did the
 * update, real sockets). The SDK's retry then finds the token gone. Before, takeWaitToken answered false
 * ("another signaller took it"), so no one sent SendTaskSuccess: the execution stayed parked until its
 * deadline (hours or days) with the token off the lead, and the reconciler leaves a live execution alone.
 * Now a refusal on a retry reads the lead: the token gone, the take is its own (a duplicate
 * SendTaskSuccess, should another signaller have taken it, is refused and ignored).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { localDynamoDbClient } from '../../local/dynalite.ts';
import { useDynalite } from '../support/dynalite.ts';
import { type FaultPhase, type FaultProxy, startOneShotFault } from '../support/fault-proxy.ts';
import { leadState } from '../support/lead-state.ts';

const LEAD = 'LeadLostTake0000000001';
const TOKEN = 'task-token-of-the-park';
const NOW = '2026-11-30T10:00:00.000Z';
const DEADLINE = '2026-12-02T10:00:00.000Z';

describe('a take of the wait token whose answer was lost', () => {
  const dynalite = useDynalite();
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  /** the store through a proxy that answers 500 to the next UpdateItem (`setsDue`: the one that makes the lead due) */
  async function storeWithFault(phase: FaultPhase, setsDue = true) {
    const fault = await startOneShotFault(
      dynalite.server.endpoint,
      phase,
      (request) => request.operation === 'UpdateItem' && request.body.includes('SET #dueAt') === setsDue,
    );
    proxy = fault.proxy;
    const client = localDynamoDbClient(proxy.endpoint);
    const store = new DynamoDbLeadStore(createLeadStoreDocumentClient(client), {
      tableName: dynalite.tableName,
    });
    return { store, arm: fault.arm };
  }

  it.each([
    ['due later: the take makes it due now', DEADLINE],
    ['due already: the take leaves its due time', '2026-11-30T09:00:00.000Z'],
  ])('answers taken when the take landed (%s)', async (_, dueAt) => {
    // Arrange
    const { store, arm } = await storeWithFault('after', dueAt > NOW);
    await store.createLead(leadState({ leadId: LEAD, waitToken: TOKEN, dueAt }));
    arm();
    // Act
    const taken = await store.takeWaitToken(LEAD, TOKEN, NOW);
    // Assert
    expect(proxy!.faults().map((fault) => `${fault.operation} ${fault.phase}`)).toEqual(['UpdateItem after']);
    expect(taken).toBe(true);
    const lead = await store.getLead(LEAD);
    expect(lead?.waitToken).toBeUndefined();
    expect(lead?.dueAt).toBe(dueAt < NOW ? dueAt : NOW);
  });

  it('answers not taken when the token is still on the lead, another park having stored it again', async () => {
    // Arrange: the first try fails before dynalite sees it; the token on the lead is another one
    const { store, arm } = await storeWithFault('before');
    await store.createLead(leadState({ leadId: LEAD, waitToken: 'a-later-park', dueAt: DEADLINE }));
    arm();
    // Act
    const taken = await store.takeWaitToken(LEAD, 'a-later-park', NOW);
    const stale = await store.takeWaitToken(LEAD, TOKEN, NOW);
    // Assert: the retry found its token and took it; a stale token is refused on its first try
    expect(taken).toBe(true);
    expect(stale).toBe(false);
  });

  it('answers not taken when the retry finds the lead erased', async () => {
    // Arrange
    const { store, arm } = await storeWithFault('before');
    await store.createLead(
      leadState({ leadId: LEAD, waitToken: TOKEN, dueAt: DEADLINE, erasedAt: '2026-11-30T09:30:00.000Z' }),
    );
    arm();
    // Act
    const taken = await store.takeWaitToken(LEAD, TOKEN, NOW);
    // Assert
    expect(proxy!.faults()).toHaveLength(1);
    expect(taken).toBe(false);
  });
});
