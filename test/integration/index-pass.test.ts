/**
 * The index pass (lambdas/tasks/reindex-leads.ts) on dynalite: leads at rest whose items hold keys an older
 * writer made (a search key of the old fold, no surname entry) are brought to today's keys a batch at a
 * time, resumably, once per keys' version; two runs at once do not both move it.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
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
import { INDEX_KEYS_VERSION } from '../../lambdas/ports/lead-store.ts';
import { INDEX_PASS_WAIT_MS, reindexLeads } from '../../lambdas/tasks/reindex-leads.ts';
import { useDynalite } from '../support/dynalite.ts';
import { leadState } from '../support/lead-state.ts';

const db = useDynalite();
let now = Date.parse('2026-12-05T10:00:00Z');
const clock: Clock = { now: () => new Date(now) };
/** the pass notes a new version, then walks once the code before cannot be writing any more */
const afterTheWait = () => {
  now += INDEX_PASS_WAIT_MS;
};

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
    // Act: the new version noted, nothing walked until the code before cannot be writing; then two leads a run
    const noted = await reindexLeads({ store, queries, clock }, { maxLeads: 2, batch: 1 });
    const early = await reindexLeads({ store, queries, clock }, { maxLeads: 2, batch: 1 });
    afterTheWait();
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
    expect([noted, early]).toEqual([
      { checked: 0, indexed: 0, failed: 0, done: false },
      { checked: 0, indexed: 0, failed: 0, done: false },
    ]);
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
      finishedVersion: INDEX_KEYS_VERSION,
    });
  });

  it('a search of today finds the leads it rewrote, by the new fold alone', async () => {
    // Arrange
    const { store, queries } = await arrange();
    const names = async (q: string) => {
      const found: string[] = [];
      for await (const candidate of queries.candidates({ q })) found.push(candidate.leadId);
      return found.sort();
    };
    db.resetRecording();
    const before = await names('فاطمه');
    const queriesBefore = db.commandNames().filter((name) => name === 'QueryCommand').length;
    // Act
    await reindexLeads({ store, queries, clock });
    afterTheWait();
    await reindexLeads({ store, queries, clock });
    // Assert: the index entries as today's fold spells them (ة read as ه, the tatweel gone), found by it
    // alone: the search dropped the look-ups of older spellings (ADR 0054) once the pass was done
    db.resetRecording();
    expect(await names('فاطمه')).toEqual(['pass0001']);
    const queriesAfter = db.commandNames().filter((name) => name === 'QueryCommand').length;
    expect(await names('ساره')).toEqual(['pass0002']);
    expect(await names('schmidt')).toEqual(['pass0003']);
    expect(before).toEqual(['pass0001']); // found before too, by the look-ups
    // 4 indexes x (ه, ة) and the company words index by q alone (ADR 0061) -> 5 indexes; the company, surname
    // and words indexes also by the form with the article (الفاطمه: arabic-query-variants.ts)
    expect([queriesBefore, queriesAfter]).toEqual([14, 8]);
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
        finishedVersion: INDEX_KEYS_VERSION - 1,
      },
      undefined,
    );
    // Act: two runs note the new version at once, and after the wait two walk it at once
    const noted = await Promise.all([
      reindexLeads({ store, queries, clock }, { batch: 2 }),
      reindexLeads({ store, queries, clock }, { batch: 2 }),
    ]);
    const begun = (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: indexPassKey() }))).Item!;
    afterTheWait();
    const [a, b] = await Promise.all([
      reindexLeads({ store, queries, clock }, { batch: 2 }),
      reindexLeads({ store, queries, clock }, { batch: 2 }),
    ]);
    const final = await reindexLeads({ store, queries, clock });
    // Assert: one of the two stopped at the other's save; the pass went on to its end all the same
    expect(noted.filter((run) => run.raced)).toHaveLength(1);
    expect(begun).toMatchObject({ version: INDEX_KEYS_VERSION, finishedVersion: INDEX_KEYS_VERSION - 1 });
    expect(begun.finishedAt).toBeUndefined();
    expect([a.raced, b.raced].filter(Boolean)).toHaveLength(1);
    expect(final.done).toBe(true);
    const pass = (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: indexPassKey() }))).Item!;
    // the version before stays known as finished until this one is
    expect(pass).toMatchObject({
      version: INDEX_KEYS_VERSION,
      finishedAt: expect.any(String),
      finishedVersion: INDEX_KEYS_VERSION,
    });
    expect(pass.revision).toBeGreaterThan(7);
    const item = await itemOf('pass0001');
    expect(item[SURNAME_INDEX.partitionKey]).toBeDefined();
  });
});

describe('the index pass when a lead cannot be indexed', () => {
  /** the store, whose indexLead fails for the lead `failures` times (an error past the SDK's retries) */
  const arrangeFlaky = async (failures: number) => {
    const store = new DynamoDbLeadStore(db.doc, { tableName: db.tableName });
    const queries = new DynamoDbLeadQueries(db.doc, db.tableName);
    const lead = await legacyLead(store, 1, { fields: { firstName: 'فاطمة', lastName: 'الزهراني' } });
    await ageItem(lead.leadId, 'فاطمة الزهراني');
    let left = failures;
    const flaky = {
      indexLead: (leadId: string) => {
        if (left-- > 0) return Promise.reject(new Error('ProvisionedThroughputExceededException'));
        return store.indexLead(leadId);
      },
      readIndexPass: () => store.readIndexPass(),
      saveIndexPass: (
        next: Parameters<DynamoDbLeadStore['saveIndexPass']>[0],
        previous?: Parameters<DynamoDbLeadStore['saveIndexPass']>[1],
      ) => store.saveIndexPass(next, previous),
    };
    return { flaky, queries, lead };
  };
  const passItem = async () =>
    (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: indexPassKey() }))).Item!;

  it('walks again, and says the version is done once every lead has its keys', async () => {
    // Arrange: the lead fails once
    const { flaky, queries, lead } = await arrangeFlaky(1);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // Act
    await reindexLeads({ store: flaky, queries, clock });
    afterTheWait();
    const run = await reindexLeads({ store: flaky, queries, clock });
    errors.mockRestore();
    // Assert: the walk that failed the lead was not taken for done: a second walk indexed it
    expect(run).toMatchObject({ failed: 1, indexed: 1, done: true });
    expect((await itemOf(lead.leadId))[SURNAME_INDEX.partitionKey]).toBeDefined();
    expect(await passItem()).toMatchObject({
      round: 2,
      failed: 0,
      finishedAt: expect.any(String),
      finishedVersion: INDEX_KEYS_VERSION,
    });
  });

  it('stops after its last walk, and does not tell the search the version is done', async () => {
    // Arrange: the lead fails every time
    const { flaky, queries, lead } = await arrangeFlaky(Number.POSITIVE_INFINITY);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // Act
    await reindexLeads({ store: flaky, queries, clock });
    afterTheWait();
    const run = await reindexLeads({ store: flaky, queries, clock });
    const later = await reindexLeads({ store: flaky, queries, clock });
    errors.mockRestore();
    // Assert: three walks, then the pass stops; the search keeps the look-ups that find the lead by the new
    // fold's spelling (its entry holds the old one)
    expect(run).toMatchObject({ checked: 3, failed: 3, done: true });
    expect(later).toEqual({ checked: 0, indexed: 0, failed: 0, done: true });
    const pass = await passItem();
    expect(pass).toMatchObject({ round: 3, failed: 1, finishedAt: expect.any(String) });
    expect(pass.finishedVersion).toBeUndefined();
    const found: string[] = [];
    for await (const candidate of queries.candidates({ q: 'فاطمه' })) found.push(candidate.leadId);
    expect(found).toEqual([lead.leadId]);
  });
});
