/**
 * A state write that landed but whose answer was lost (INJECTED FAULT: test/support/fault-proxy.ts between
 * the client and dynalite answers HTTP 500 after dynalite did the write, real sockets). The SDK's retry
 * then finds its own condition false. Before, the store answered 'conflict': the caller read again, found
 * its change already there and wrote nothing, so the write's report facts were never stored (a handover or
 * an attempt missing from the manager's report). Now a condition refused on a retry reads the item back and
 * answers 'saved' when it holds exactly what this write put; a retry refused because another writer came
 * first is still a conflict, and a first try refused costs no read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { ItemFormat } from '../../lambdas/adapters/lead-item.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import type { LeadState } from '../../lambdas/ports/lead-store.ts';
import { localDynamoDbClient } from '../../local/dynalite.ts';
import { useDynalite } from '../support/dynalite.ts';
import { recordDynamoDbCommands } from '../support/dynamodb-recorder.ts';
import { type FaultPhase, type FaultProxy, startOneShotFault } from '../support/fault-proxy.ts';
import { leadState } from '../support/lead-state.ts';

const LEAD = 'LeadLostAnswer00000001';
const AT = '2026-11-30T10:00:00.000Z';

const changed = (lead: LeadState, status: string): LeadState => ({
  ...lead,
  status,
  version: lead.version + 1,
  updatedAt: AT,
  timeline: [
    ...lead.timeline,
    {
      at: AT,
      kind: 'status',
      from: lead.status,
      to: status,
      by: 'rep:jonas',
      reasons: [],
      version: 'fixture',
    },
  ],
});

describe('a state write whose answer was lost', () => {
  const dynalite = useDynalite();
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  /** the store through a proxy that answers 500 to the next state PutItem, `phase` the write */
  async function storeWithFault(phase: FaultPhase, itemFormat: ItemFormat = 'body') {
    const fault = await startOneShotFault(
      dynalite.server.endpoint,
      phase,
      (request) => request.operation === 'PutItem' && request.body.includes('"STATE"'),
    );
    proxy = fault.proxy;
    const client = localDynamoDbClient(proxy.endpoint);
    const recorder = recordDynamoDbCommands(client, { capacity: false });
    const told: { state: LeadState; since?: number }[] = [];
    const store = observeWrites(
      new DynamoDbLeadStore(createLeadStoreDocumentClient(client), {
        tableName: dynalite.tableName,
        itemFormat,
      }),
      {
        leadWritten: async (state, since) =>
          void told.push({ state, ...(since === undefined ? {} : { since }) }),
      },
    );
    return { store, told, recorder, arm: fault.arm, client };
  }

  it('answers saved when the write landed, and its observers are told once', async () => {
    // Arrange
    const { store, told, arm } = await storeWithFault('after');
    const lead = leadState({ leadId: LEAD });
    await store.createLead(lead);
    told.length = 0;
    arm();
    // Act
    const result = await store.saveLead(changed(lead, 'attempting'), lead.version, lead);
    // Assert
    expect(proxy!.faults().map((fault) => `${fault.operation} ${fault.phase}`)).toEqual(['PutItem after']);
    expect(result).toBe('saved');
    expect((await store.getLead(LEAD))?.status).toBe('attempting');
    expect(told.map((one) => [one.state.status, one.since])).toEqual([['attempting', lead.timeline.length]]);
  });

  it.each(['body', 'plain'] as const)(
    'answers saved when the write landed with a hole in a list, which DynamoDB drops (%s items)',
    async (itemFormat) => {
      // Arrange: `[a, maybe]` left by a domain function, in an attribute of its own (`sent`) and in the
      // rest of the lead (the contract test: a round trip drops the hole)
      const { store, told, arm } = await storeWithFault('after', itemFormat);
      const lead = leadState({ leadId: LEAD });
      await store.createLead(lead);
      told.length = 0;
      arm();
      const hole = undefined as unknown as string;
      const next = {
        ...changed(lead, 'attempting'),
        sent: ['first-touch:1', hole],
        usedActionNonces: ['n1', hole],
      };
      // Act
      const result = await store.saveLead(next, lead.version, lead);
      // Assert
      expect(proxy!.faults()).toHaveLength(1);
      expect(result).toBe('saved');
      expect((await store.getLead(LEAD))?.sent).toEqual(['first-touch:1']);
      expect(told.map((one) => one.state.status)).toEqual(['attempting']);
    },
  );

  it('answers conflict when the retry met another writer, not its own write', async () => {
    // Arrange: the first try fails before dynalite sees it; another writer's version lands meanwhile
    const { store, told, arm } = await storeWithFault('before');
    const lead = leadState({ leadId: LEAD });
    await store.createLead(lead);
    const other = new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName });
    await other.saveLead(changed(lead, 'connected'), lead.version);
    told.length = 0;
    arm();
    // Act
    const result = await store.saveLead(changed(lead, 'attempting'), lead.version, lead);
    // Assert
    expect(result).toBe('conflict');
    expect((await store.getLead(LEAD))?.status).toBe('connected');
    expect(told).toEqual([]);
  });

  it('reads nothing back when the first try is refused: a plain conflict', async () => {
    // Arrange
    const { store, recorder } = await storeWithFault('after');
    const lead = leadState({ leadId: LEAD });
    await store.createLead(lead);
    await new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName }).saveLead(
      changed(lead, 'connected'),
      lead.version,
    );
    recorder.reset();
    // Act
    const result = await store.saveLead(changed(lead, 'attempting'), lead.version, lead);
    // Assert
    expect(result).toBe('conflict');
    expect(recorder.names()).toEqual(['PutItemCommand']);
  });
});
