/**
 * The later indexes (table-definition.ts LATER_INDEXES: GSI8, GSI9, GSI10) recorded complete only when they are:
 * leads written before GSI10 (no entry, no cadence facts), in contact and due today, while the deploy's SLA
 * migration and the reconciler's index pass give them their entries on dynalite, and their workflows wake
 * meanwhile. A wake that changes nothing is two updates of the state item (the signal takes the token, the
 * park stores the next one: UpdateItem, no index key touched) that move its version, so `indexLead`'s
 * conditional write on the version it read is refused ('moved'), and it looks again, three times at most.
 *
 * The wakes land exactly between `indexLead`'s read and its write: a second client's middleware runs a real
 * wake (takeWaitToken, then parkLead, through the store, on the same table) before the write is sent. Nothing
 * is faked: the race is caused, at the moment it can happen on AWS.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { leadItem } from '../../lambdas/adapters/lead-item.ts';
import { LATER_INDEXES_KEY, NEXT_STEP_INDEX, stateKey } from '../../lambdas/adapters/table-definition.ts';
import { endOfDay } from '../../lambdas/api/console/views.ts';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import { listLeads, listQuerySchema } from '../../lambdas/api/lead-list.ts';
import { viewerFor } from '../../lambdas/api/viewer.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { leadPastContact } from '../../lambdas/domain/sla-standing.ts';
import { INDEX_KEYS_VERSION } from '../../lambdas/ports/lead-store.ts';
import { migrateLeads } from '../../lambdas/tasks/migrate-leads.ts';
import { INDEX_PASS_WAIT_MS, reindexLeads } from '../../lambdas/tasks/reindex-leads.ts';
import { localDynamoDbClient } from '../../local/dynalite.ts';
import { useDynalite } from '../support/dynalite.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const db = useDynalite();
/** Wednesday 2 December 2026, 15:00 in Berlin */
const NOW = new Date('2026-12-02T14:00:00.000Z');
const HOUR = 3_600_000;
/** leads in contact with jonas, handed over days ago: every one's first touch is due (late) today */
const LEADS = 8;
/** of which these are woken while the migration (or the pass) indexes them */
const WOKEN = ['gap0001', 'gap0003', 'gap0005', 'gap0007'];

const sla: Sla = loadDefaultSla();
const rules = { pastContact: (lead: LeadState) => leadPastContact(sla, lead) };

/** A lead as a writer before GSI10 left it: no next-step entry, no cadence facts; parked (a token, a timer). */
async function oldLeads(): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < LEADS; n++) {
    const leadId = `gap${String(n).padStart(4, '0')}`;
    const handoff = new Date(NOW.getTime() - (50 + n) * HOUR).toISOString();
    const lead = handedOff(handoff, 'jonas', {
      leadId,
      email: `${leadId}@plant.example`,
      fields: { firstName: 'Gap', lastName: `N${n}` },
      slaVersion: sla.version,
      updatedAt: new Date(Date.parse(handoff) + n * 1000).toISOString(),
      waitToken: `${leadId}-token-0`,
      dueAt: '2026-12-03T08:00:00.000Z',
    });
    const item = leadItem(lead, 'body', rules);
    for (const name of [NEXT_STEP_INDEX.partitionKey, NEXT_STEP_INDEX.sortKey]) delete item[name];
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: item }));
    ids.push(leadId);
  }
  return ids;
}

/**
 * A store on its own client whose `indexLead` write of a lead in `woken` is preceded, `times` times for that
 * lead, by a wake of it that changes nothing: the signal (takeWaitToken: the token taken, version + 1) and the
 * park of the woken workflow (parkLead: the next token, version + 1), both updates by a second store.
 */
function racedStore(
  woken: readonly string[],
  times: number,
): { store: DynamoDbLeadStore; wakes: () => number } {
  const writer = new DynamoDbLeadStore(db.doc, { tableName: db.tableName, indexRules: rules });
  const doc: DynamoDBDocumentClient = createLeadStoreDocumentClient(localDynamoDbClient(db.server.endpoint));
  const count = new Map<string, number>();
  let wakes = 0;
  doc.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as {
        ConditionExpression?: string;
        UpdateExpression?: string;
        Key?: { pk?: unknown };
      };
      // indexLead's write: a conditional update on the version it read
      const leadId = String(input.Key?.pk ?? '').replace(/^LEAD#/, '');
      if (
        input.UpdateExpression !== undefined &&
        input.ConditionExpression === '#version = :version' &&
        woken.includes(leadId) &&
        (count.get(leadId) ?? 0) < times
      ) {
        const n = (count.get(leadId) ?? 0) + 1;
        count.set(leadId, n);
        const before = await writer.getLead(leadId);
        expect(await writer.takeWaitToken(leadId, before!.waitToken!, NOW.toISOString())).toBe(true);
        const signalled = await writer.getLead(leadId);
        const parked = await writer.parkLead({
          leadId,
          cycle: signalled!.cycle,
          expectedVersion: signalled!.version,
          waitToken: `${leadId}-token-${n}`,
          dueAt: '2026-12-03T08:00:00.000Z',
          sent: [],
        });
        expect(parked).toBe('parked');
        wakes++;
      }
      return next(args);
    },
    { step: 'initialize', name: 'wakeBetweenReadAndWrite' },
  );
  return {
    store: new DynamoDbLeadStore(doc, { tableName: db.tableName, indexRules: rules }),
    wakes: () => wakes,
  };
}

function apiDeps(store: DynamoDbLeadStore): ApiDeps {
  return {
    sla,
    store,
    // a reader new to the table each time (a console Lambda started after the deploy)
    queries: new DynamoDbLeadQueries(db.doc, db.tableName),
    clock: { now: () => new Date(NOW) },
    workflow: { signal: async () => undefined },
  } as unknown as ApiDeps;
}

/** the ids "Due today" lists for jonas, as ops sees it, every page */
async function dueToday(store: DynamoDbLeadStore): Promise<string[]> {
  const deps = apiDeps(store);
  const dueBy = new Date(endOfDay(NOW, 'Europe/Berlin')).toISOString();
  const schema = listQuerySchema(sla);
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listLeads(
      deps,
      viewerFor(sla, 'ops', 'priya'),
      schema.parse({ limit: '10', owner: 'jonas', ...(cursor ? { cursor } : {}) }),
      { dueBy },
    );
    ids.push(...page.items.map((item) => item.id));
    cursor = page.next ?? undefined;
  } while (cursor);
  return ids.sort();
}

const item = async (leadId: string) =>
  (
    await db.doc.send(
      new GetCommand({ TableName: db.tableName, Key: stateKey(leadId), ConsistentRead: true }),
    )
  ).Item!;

/** the ids of the leads whose item has no next-step entry */
async function withoutEntry(ids: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) if ((await item(id))[NEXT_STEP_INDEX.partitionKey] === undefined) out.push(id);
  return out;
}

async function markedComplete(): Promise<boolean> {
  const { Item } = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: LATER_INDEXES_KEY, ConsistentRead: true }),
  );
  return ((Item?.indexes as string[] | undefined) ?? []).includes(NEXT_STEP_INDEX.indexName);
}

describe('the later indexes recorded complete while leads are written', () => {
  it('the SLA migration records them complete only once every lead in flight has its entries, woken three times meanwhile', async () => {
    // Arrange: 8 leads in contact, due today, none in GSI10; "Due today" lists them from the owner index
    const ids = await oldLeads();
    const plain = new DynamoDbLeadStore(db.doc, { tableName: db.tableName, indexRules: rules });
    expect(await dueToday(plain)).toEqual(ids);
    const { store, wakes } = racedStore(WOKEN, 3);

    // Act: the deploy's migration, while four of the leads wake three times each
    await migrateLeads({ store, sla, clock: { now: () => new Date(NOW) } });

    // Assert: the wakes landed; the marker names GSI10, and then every lead has its entry and is listed
    expect(wakes()).toBe(WOKEN.length * 3);
    expect(await markedComplete()).toBe(true);
    expect(await withoutEntry(ids)).toEqual([]);
    expect(await dueToday(plain)).toEqual(ids);
  });

  it('the SLA migration leaves them unrecorded while a lead keeps being written, and the index pass records them once it gave every lead its entries', async () => {
    // Arrange
    const ids = await oldLeads();
    const plain = new DynamoDbLeadStore(db.doc, { tableName: db.tableName, indexRules: rules });
    const { store } = racedStore(WOKEN, 1000);

    // Act: the migration while four leads wake at every write it tries
    await migrateLeads({ store, sla, clock: { now: () => new Date(NOW) } });

    // Assert: not recorded (they lack their entries), so "Due today" reads the owner index and lists all 8; nor
    // is the migration (the next start migrates in full: ADR 0070)
    expect(await withoutEntry(ids)).toEqual(WOKEN);
    expect(await markedComplete()).toBe(false);
    expect(await plain.readMigrationMark()).toBeUndefined();
    expect(await dueToday(plain)).toEqual(ids);

    // Act: the reconciler's index pass, the leads quiet now: noted, then walked after the wait
    let now = NOW.getTime();
    const clock = { now: () => new Date(now) };
    const queries = new DynamoDbLeadQueries(db.doc, db.tableName);
    await reindexLeads({ store: plain, queries, clock });
    now += INDEX_PASS_WAIT_MS;
    const report = await reindexLeads({ store: plain, queries, clock }, { maxLeads: 1000 });

    // Assert: every lead has its entry, the pass records the later indexes complete, GSI10 serves "Due today"
    expect(report.done).toBe(true);
    expect(await withoutEntry(ids)).toEqual([]);
    expect(await markedComplete()).toBe(true);
    expect(await dueToday(plain)).toEqual(ids);
  });

  for (const [times, walks] of [
    [3, 1],
    [9, 2],
  ] as const)
    it(`the index pass finishes a version only once every lead has its keys, woken ${times} times while it walks`, async () => {
      // Arrange: leads at rest without the entries; the pass notes the version
      const ids = await oldLeads();
      let now = NOW.getTime();
      const clock = { now: () => new Date(now) };
      const queries = new DynamoDbLeadQueries(db.doc, db.tableName);
      const { store, wakes } = racedStore(WOKEN, times);
      await reindexLeads({ store, queries, clock });
      now += INDEX_PASS_WAIT_MS;

      // Act: runs until the pass says it is done (a lead written at every look of its batch is walked again)
      let done = false;
      for (let run = 0; run < 10 && !done; run++) done = (await reindexLeads({ store, queries, clock })).done;

      // Assert: done, and then no lead lacks its entries; finishedVersion tells the search so, and the marker
      // "Due today"
      expect(done).toBe(true);
      expect(wakes()).toBe(WOKEN.length * times);
      expect(await withoutEntry(ids)).toEqual([]);
      const pass = await store.readIndexPass();
      expect(pass?.finishedVersion).toBe(INDEX_KEYS_VERSION);
      expect(pass?.round ?? 1).toBe(walks);
      expect(await markedComplete()).toBe(true);
    });
});
