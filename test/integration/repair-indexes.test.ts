/**
 * A start after a crash repairs the on-disk dynalite's indexes (local/dynalite.ts repairIndexes). dynalite writes
 * an item's index entries in steps apart from the item: the new entries, then the old ones deleted, then the item
 * (local/dynalite.ts puts before it deletes). A kill after the puts leaves an entry for a value the item never got.
 * The repair put every item back, which restores a missing entry but removes no stale one: the chaos review's kill
 * runs (8 SIGKILLs, 184 leads) left 6 leads listed twice in the due index and 3 entries of leads never written, each
 * checked by every sweep of the reconciler for good; a stale entry of a lead that has since ended restarts that lead's
 * workflow on every sweep (a new generation each time, counted as a lead that lost its workflow).
 *
 * The kill is injected (it cannot be timed from a test): dynalite's index update does its puts and then fails, so
 * the write stops where a SIGKILL after the puts would stop it; nothing else is mocked.
 */
import { createRequire } from 'node:module';
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import type { LeadState } from '../../lambdas/ports/lead-store.ts';
import type { Executions } from '../../lambdas/ports/workflow.ts';
import { reconcile } from '../../lambdas/tasks/reconcile.ts';
import { repairIndexes } from '../../local/dynalite.ts';
import { useDynalite } from '../support/dynalite.ts';
import { leadState } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const require = createRequire(import.meta.url);
type Done = (error?: unknown) => void;
interface IndexDb {
  put(key: string, item: unknown, done: Done): void;
  del(key: string, done: Done): void;
}
interface IndexStore {
  getIndexDb(type: string, table: string, index: string): IndexDb;
}
const dynaliteDb = require('dynalite/db/index.js') as {
  updateIndexes: (store: IndexStore, table: unknown, existing: unknown, item: unknown, done: Done) => void;
};

/** Runs `write` with dynalite dying after its index puts: no index delete, no item write. */
async function killedAfterIndexPuts(write: () => Promise<unknown>): Promise<void> {
  const original = dynaliteDb.updateIndexes;
  dynaliteDb.updateIndexes = (store, table, existing, item, done) => {
    const putsOnly: IndexStore = {
      getIndexDb: (type, tableName, index) => {
        const db = store.getIndexDb(type, tableName, index);
        return {
          put: (key, value, putDone) => db.put(key, value, putDone),
          del: (_key, delDone) => delDone(),
        };
      },
    };
    // an error dynalite answers as a 500 (the SDK's retries meet the same): the write stops here
    const killed = Object.assign(new Error('killed'), {
      statusCode: 500,
      body: { __type: 'com.amazon.coral.service#InternalFailure' },
    });
    original(putsOnly, table, existing, item, () => done(killed));
  };
  try {
    await write().catch(() => undefined);
  } finally {
    dynaliteDb.updateIndexes = original;
  }
}

describe('repairIndexes after a kill in the middle of a write', () => {
  const dynalite = useDynalite();

  it('leaves each lead in the due index once, as its item says, and no entry of a lead never written', async () => {
    // Arrange: a lead due at 09:00; a write moving it to 10:00 and a new lead's first write, both killed midway
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const lead: LeadState = {
      ...leadState({ leadId: 'moved', slaVersion: sla.version }),
      dueAt: '2026-12-07T09:00:00.000Z',
      generation: 0,
    };
    await store.createLead(lead);
    await killedAfterIndexPuts(() =>
      store.saveLead({ ...lead, version: lead.version + 1, dueAt: '2026-12-07T10:00:00.000Z' }, lead.version),
    );
    await killedAfterIndexPuts(() =>
      store.createLead({
        ...leadState({ leadId: 'never-written', slaVersion: sla.version }),
        dueAt: '2026-12-07T08:00:00.000Z',
      }),
    );

    // Act: the start after the crash
    await repairIndexes(dynalite.client, dynalite.tableName);

    // Assert
    const due = await store.listDueLeads('2027-01-01T00:00:00.000Z');
    expect(due.map((entry) => [entry.leadId, entry.dueAt])).toEqual([['moved', '2026-12-07T09:00:00.000Z']]);
    expect((await store.getLead('moved'))?.dueAt).toBe('2026-12-07T09:00:00.000Z');
  });

  it('does not restart a lead that ended on every sweep', async () => {
    // Arrange: a lead due at 09:00, a write moving it to 10:00 killed midway, the repair, then the lead ends
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const lead: LeadState = {
      ...leadState({ leadId: 'ended', slaVersion: sla.version }),
      dueAt: '2026-12-07T09:00:00.000Z',
      generation: 0,
    };
    await store.createLead(lead);
    await killedAfterIndexPuts(() =>
      store.saveLead({ ...lead, version: lead.version + 1, dueAt: '2026-12-07T10:00:00.000Z' }, lead.version),
    );
    await repairIndexes(dynalite.client, dynalite.tableName);
    const { dueAt: _due, ...ended } = { ...lead, version: lead.version + 1 };
    expect(await store.saveLead(ended, lead.version)).toBe('saved');
    // the engine: generation 0 ran and ended; every later one ends as soon as it starts (the lead has ended)
    const started: number[] = [];
    const executions: Executions = {
      state: async (_leadId, _cycle, generation) =>
        generation === 0 || started.includes(generation) ? 'ended' : 'missing',
      start: async (_leadId, _cycle, generation) => {
        started.push(generation);
        return 'started';
      },
      resume: async () => 'gone',
    };
    const clock = { now: () => new Date('2026-12-08T12:00:00.000Z') };

    // Act: three sweeps
    const restarted: number[] = [];
    for (let sweep = 0; sweep < 3; sweep++)
      restarted.push((await reconcile({ store, executions, clock }, { graceMs: 0 })).restarted);

    // Assert
    expect(restarted).toEqual([0, 0, 0]);
    expect(started).toEqual([]);
  });

  it('finishes a repair that a crash cut off between its two writes', async () => {
    // Arrange: a lead due at 09:00 as a repair left it after its first write (an entry's due time, its own saved)
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const lead: LeadState = {
      ...leadState({ leadId: 'half-repaired', slaVersion: sla.version }),
      dueAt: '2026-12-07T09:00:00.000Z',
      generation: 0,
    };
    await store.createLead(lead);
    const key = { pk: { S: 'LEAD#half-repaired' }, sk: { S: 'STATE' } };
    const own = (await dynalite.client.send(new GetItemCommand({ TableName: dynalite.tableName, Key: key })))
      .Item!;
    await dynalite.client.send(
      new UpdateItemCommand({
        TableName: dynalite.tableName,
        Key: key,
        UpdateExpression: 'SET gsi3sk = :stale, repairingIndex = :own',
        ExpressionAttributeValues: {
          ':stale': { S: '2026-12-07T10:00:00.000Z#half-repaired' },
          ':own': { S: JSON.stringify({ gsi3pk: own.gsi3pk, gsi3sk: own.gsi3sk }) },
        },
      }),
    );

    // Act
    await repairIndexes(dynalite.client, dynalite.tableName);

    // Assert
    const due = await store.listDueLeads('2027-01-01T00:00:00.000Z');
    expect(due.map((entry) => [entry.leadId, entry.dueAt])).toEqual([
      ['half-repaired', '2026-12-07T09:00:00.000Z'],
    ]);
    const item = (await dynalite.client.send(new GetItemCommand({ TableName: dynalite.tableName, Key: key })))
      .Item!;
    expect(item.repairingIndex).toBeUndefined();
    expect(item.gsi3sk).toEqual(own.gsi3sk);
  });
});
