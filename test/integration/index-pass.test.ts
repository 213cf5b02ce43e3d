/**
 * The index pass (lambdas/tasks/reindex-leads.ts) on dynalite: leads at rest whose items hold keys an older
 * writer made (a search key of the old fold, no surname entry) are brought to today's keys a batch at a
 * time, resumably, once per keys' version; two runs at once do not both move it.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import {
  indexPassKey,
  leadIndexKeys,
  NAME_INDEX,
  SURNAME_INDEX,
  stateKey,
} from '../../lambdas/adapters/table-definition.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import type { Clock } from '../../lambdas/ports/clock.ts';
import { INDEX_KEYS_VERSION, reindexLeads } from '../../lambdas/tasks/reindex-leads.ts';
import { useDynalite } from '../support/dynalite.ts';
import { leadState } from '../support/lead-state.ts';

const db = useDynalite();
const clock: Clock = { now: () => new Date('2026-12-05T10:00:00Z') };

/** a lead at rest, written by today's store, then given the keys an older writer left on its item */
async function legacyLead(
  store: DynamoDbLeadStore,
  n: number,
  overrides: Partial<LeadState>,
): Promise<LeadState> {
  const lead = leadState({
    leadId: `pass${String(n).padStart(4, '0')}`,
    email: `lead${n}@plant.example`,
    createdAt: `2026-10-${String(1 + n).padStart(2, '0')}T08:00:00.000Z`,
    ...overrides,
  });
  await store.createLead(lead);
  return lead;
}

/** the item as written before ADR 0052 and 0054: no surname entry, the name under its unfolded spelling */
async function ageItem(leadId: string, oldName: string): Promise<void> {
  await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: stateKey(leadId),
      UpdateExpression: 'SET gsi5sk = :old REMOVE gsi9pk, gsi9sk',
      ExpressionAttributeValues: { ':old': `${oldName}#${leadId}` },
    }),
  );
}

const itemOf = async (leadId: string) =>
  (
    await db.doc.send(
      new GetCommand({ TableName: db.tableName, Key: stateKey(leadId), ConsistentRead: true }),
    )
  ).Item!;

describe('the index pass', () => {
  const arrange = async () => {
    const store = new DynamoDbLeadStore(db.doc, { tableName: db.tableName });
    const queries = new DynamoDbLeadQueries(db.doc, db.tableName);
    const fatima = await legacyLead(store, 1, {
      stage: 'customer',
      status: 'won',
      fields: { firstName: 'فاطمة', lastName: 'الزهراني' },
    });
    const tatweel = await legacyLead(store, 2, { fields: { firstName: 'ســارة', lastName: 'العتيبي' } });
    const latin = await legacyLead(store, 3, {
      stage: 'mql',
      fields: { firstName: 'Petra', lastName: 'Schmidt' },
    });
    const fresh = await legacyLead(store, 4, {
      stage: 'mql',
      fields: { firstName: 'Jonas', lastName: 'Berg' },
    });
    await ageItem(fatima.leadId, 'فاطمة الزهراني');
    await ageItem(tatweel.leadId, 'ســارة العتيبي');
    await ageItem(latin.leadId, 'petra schmidt');
    return { store, queries, aged: [fatima, tatweel, latin], fresh };
  };

  it('brings every lead at rest to today keys, a batch a run, and then costs one read', async () => {
    // Arrange
    const { store, queries, aged, fresh } = await arrange();
    const freshItem = await itemOf(fresh.leadId);
    // Act: two leads a run
    const runs = [];
    for (let run = 0; run < 6; run++)
      runs.push(await reindexLeads({ store, queries, clock }, { maxLeads: 2, batch: 1 }));
    db.resetRecording();
    const after = await reindexLeads({ store, queries, clock }, { maxLeads: 2 });
    const afterRequests = db.commandNames();
    // Assert
    for (const lead of aged) {
      const item = await itemOf(lead.leadId);
      const keys = leadIndexKeys(lead);
      expect(item[NAME_INDEX.sortKey]).toBe(keys[NAME_INDEX.sortKey]);
      expect(item[SURNAME_INDEX.partitionKey]).toBe(keys[SURNAME_INDEX.partitionKey]);
      expect(item[SURNAME_INDEX.sortKey]).toBe(keys[SURNAME_INDEX.sortKey]);
      expect(item.version).toBe(lead.version); // the keys only: the lead itself unchanged
    }
    expect(await itemOf(fresh.leadId)).toEqual(freshItem); // already today's: not written
    expect(runs.map((run) => run.checked)).toEqual([2, 2, 0, 0, 0, 0]);
    expect(runs.reduce((sum, run) => sum + run.indexed, 0)).toBe(3);
    expect(runs.at(-1)).toMatchObject({ done: true });
    expect(after).toEqual({ checked: 0, indexed: 0, failed: 0, done: true });
    expect(afterRequests).toEqual(['GetItemCommand']);
    const pass = (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: indexPassKey() }))).Item!;
    expect(pass).toMatchObject({
      version: INDEX_KEYS_VERSION,
      checked: 4,
      indexed: 3,
      finishedAt: expect.any(String),
    });
  });

  it('a search of today finds the leads it rewrote, by the new fold alone', async () => {
    // Arrange
    const { store, queries } = await arrange();
    // Act
    await reindexLeads({ store, queries, clock });
    // Assert: the index entries as today's fold spells them (ة read as ه, the tatweel gone)
    const names = async (q: string) => {
      const found: string[] = [];
      for await (const candidate of queries.candidates({ q })) found.push(candidate.leadId);
      return found.sort();
    };
    expect(await names('فاطمه')).toEqual(['pass0001']);
    expect(await names('ساره')).toEqual(['pass0002']);
    expect(await names('schmidt')).toEqual(['pass0003']);
  });

  it('starts over when the keys change version, and two runs at once move it once', async () => {
    // Arrange: a pass finished for the version before
    const { store, queries } = await arrange();
    await store.saveIndexPass(
      {
        version: INDEX_KEYS_VERSION - 1,
        stage: 6,
        revision: 7,
        checked: 9,
        indexed: 1,
        startedAt: 'x',
        finishedAt: 'y',
      },
      undefined,
    );
    // Act
    const [a, b] = await Promise.all([
      reindexLeads({ store, queries, clock }, { batch: 2 }),
      reindexLeads({ store, queries, clock }, { batch: 2 }),
    ]);
    const final = await reindexLeads({ store, queries, clock });
    // Assert: one of the two stopped at the other's save; the pass went on to its end all the same
    expect([a.raced, b.raced].filter(Boolean)).toHaveLength(1);
    expect(final.done).toBe(true);
    const pass = (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: indexPassKey() }))).Item!;
    expect(pass).toMatchObject({ version: INDEX_KEYS_VERSION, finishedAt: expect.any(String) });
    expect(pass.revision).toBeGreaterThan(7);
    const item = await itemOf('pass0001');
    expect(item[SURNAME_INDEX.partitionKey]).toBeDefined();
  });
});
