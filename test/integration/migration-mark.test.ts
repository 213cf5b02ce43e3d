/**
 * The SLA migration's mark (ADR 0070): a migration on the SLA and index keys the store was last migrated to, in
 * full, reads no lead. A 23,000-lead trial restarted `leadpact dev --data DIR` on the same SLA in 160-296 s, the
 * API down meanwhile: each start read every lead in flight and gave each its index entries again. Another SLA
 * (even A, B, A again), other index keys, a lead stranded or a run that stopped part-way: the next one migrates
 * in full. On the DynamoDB adapter (dynalite, its requests recorded) and the memory store.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { ENTITIES, ENTITY_ATTRIBUTE, MIGRATION_MARK_KEY } from '../../lambdas/adapters/table-definition.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { LeadQueries } from '../../lambdas/ports/lead-queries.ts';
import { INDEX_KEYS_VERSION, type LeadStore } from '../../lambdas/ports/lead-store.ts';
import { type MigrateDeps, migrateLeads, StrandedLeadsError } from '../../lambdas/tasks/migrate-leads.ts';
import { migrationMarkOf } from '../../lambdas/tasks/migration-mark.ts';
import { useDynalite } from '../support/dynalite.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const db = useDynalite();
const NOW = new Date('2026-12-02T14:00:00.000Z');
const clock = { now: () => new Date(NOW) };

const slaA: Sla = loadDefaultSla();
/** the same SLA, a new version (a threshold or a template changed) */
const slaB: Sla = { ...slaA, version: `${slaA.version}-b` };
/** rep jonas gone and no successor named: his leads would be stranded */
const withoutJonas: Sla = {
  ...slaA,
  version: `${slaA.version}-without-jonas`,
  routing: {
    ...slaA.routing,
    reps: slaA.routing.reps.filter((rep) => rep.id !== 'jonas'),
    queues: slaA.routing.queues.map((queue) => ({ ...queue, reps: queue.reps.filter((r) => r !== 'jonas') })),
  },
} as Sla;

const LEADS = ['mark0001', 'mark0002', 'mark0003'];

interface Setup {
  readonly store: LeadStore;
  readonly queries?: Pick<LeadQueries, 'candidates'>;
  /** the DynamoDB requests sent since the last reset (dynalite only) */
  readonly requests?: () => string[];
}

const implementations: [string, () => Setup][] = [
  [
    'DynamoDbLeadStore on dynalite',
    () => ({
      store: new DynamoDbLeadStore(db.doc, { tableName: db.tableName }),
      queries: new DynamoDbLeadQueries(db.doc, db.tableName),
      requests: () => db.commandNames(),
    }),
  ],
  ['MemoryLeadStore', () => ({ store: new MemoryLeadStore() })],
];

/** The store, with its lead reads counted (a lead read, a due index or owner index listing). */
function countingReads(store: LeadStore): { store: LeadStore; reads: () => number } {
  const counted = new Set(['getLead', 'loadLead', 'listDueLeads', 'listLeadsByOwner']);
  let reads = 0;
  const counting = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (counted.has(String(property))) reads++;
        return value.apply(target, args);
      };
    },
  });
  return { store: counting, reads: () => reads };
}

/** Three SQLs parked in their contact cadence, two with jonas, judged by SLA A. */
async function parkedLeads(store: LeadStore): Promise<void> {
  for (const [n, leadId] of LEADS.entries()) {
    const lead = handedOff('2026-12-01T09:00:00.000Z', n < 2 ? 'jonas' : 'lena', {
      leadId,
      email: `${leadId}@plant.example`,
      slaVersion: slaA.version,
      waitToken: `${leadId}-token`,
      dueAt: '2026-12-03T08:00:00.000Z',
    });
    expect(await store.createLead(lead)).toBe('created');
  }
}

describe.each(implementations)('the SLA migration mark: %s', (_name, setup) => {
  const migrate = (s: Setup, sla: Sla, store: LeadStore = s.store) => {
    const deps: MigrateDeps = { store, sla, clock, ...(s.queries ? { queries: s.queries } : {}) };
    return migrateLeads(deps);
  };

  it('a second start on the same SLA reads no lead, and says so', async () => {
    // Arrange: three leads in flight, migrated to SLA A in full
    const s = setup();
    await parkedLeads(s.store);
    expect((await migrate(s, slaA)).checked).toBe(3);
    const { store, reads } = countingReads(s.store);
    db.resetRecording();

    // Act
    const report = await migrate(s, slaA, store);

    // Assert: no lead read; on DynamoDB one GetItem, the mark's
    expect(report).toMatchObject({ checked: 0, alreadyMigrated: true });
    expect(reads()).toBe(0);
    if (s.requests) expect(s.requests()).toEqual(['GetItemCommand']);
  });

  it('another SLA reads every lead again, and so does the first one after it (A, B, A)', async () => {
    // Arrange
    const s = setup();
    await parkedLeads(s.store);
    await migrate(s, slaA);

    // Act
    const toB = await migrate(s, slaB);
    const backToA = await migrate(s, slaA);
    const againA = await migrate(s, slaA);

    // Assert
    expect(toB).toMatchObject({ checked: 3 });
    expect(toB.alreadyMigrated).toBeUndefined();
    expect(backToA).toMatchObject({ checked: 3 });
    expect(backToA.alreadyMigrated).toBeUndefined();
    expect(againA).toMatchObject({ checked: 0, alreadyMigrated: true });
  });

  it('a migration that would strand a lead records no mark, and the next start on the SLA before migrates in full', async () => {
    // Arrange: migrated to A in full
    const s = setup();
    await parkedLeads(s.store);
    await migrate(s, slaA);

    // Act: an SLA without jonas and no successor named (the start refuses), then A again
    await expect(migrate(s, withoutJonas)).rejects.toBeInstanceOf(StrandedLeadsError);
    const markAfterRefusal = await s.store.readMigrationMark?.();
    const backToA = await migrate(s, slaA);

    // Assert
    expect(markAfterRefusal).toBeUndefined();
    expect(backToA).toMatchObject({ checked: 3 });
    expect(await s.store.readMigrationMark?.()).toEqual(migrationMarkOf(slaA));
  });

  it('a run that stops part-way (the process dies while it reads) leaves no mark: the next start migrates in full', async () => {
    // Arrange: migrated to A in full; a store that dies at the second lead it reads
    const s = setup();
    await parkedLeads(s.store);
    await migrate(s, slaA);
    let leadReads = 0;
    const dying = new Proxy(s.store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === 'getLead')
          return (leadId: string) => {
            if (++leadReads === 2) throw new Error('INJECTED FAULT: the process dies');
            return target.getLead(leadId);
          };
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

    // Act: the run to B dies, then a start on A
    await expect(migrate(s, slaB, dying)).rejects.toThrow('INJECTED FAULT');
    const backToA = await migrate(s, slaA);

    // Assert
    expect(backToA).toMatchObject({ checked: 3 });
    expect(backToA.alreadyMigrated).toBeUndefined();
  });

  it('a mark of other index keys (the code before) is not this code’s: the migration gives the leads today’s keys', async () => {
    // Arrange: the store migrated to A by code with the index keys of the version before
    const s = setup();
    await parkedLeads(s.store);
    await s.store.beginMigration?.('before');
    const before = { ...migrationMarkOf(slaA), indexKeysVersion: INDEX_KEYS_VERSION - 1 };
    expect(await s.store.recordMigrationMark?.(before, 'before')).toBe(true);

    // Act
    const report = await migrate(s, slaA);

    // Assert
    expect(report).toMatchObject({ checked: 3 });
    expect(await s.store.readMigrationMark?.()).toEqual(migrationMarkOf(slaA));
  });

  it('a run begun before another can no longer record its mark (the later one records its own)', async () => {
    // Arrange
    const s = setup();
    const mark = migrationMarkOf(slaA);
    await s.store.beginMigration?.('earlier');
    await s.store.beginMigration?.('later');

    // Act
    const earlier = await s.store.recordMigrationMark?.(mark, 'earlier');
    const markAfterEarlier = await s.store.readMigrationMark?.();
    const later = await s.store.recordMigrationMark?.(mark, 'later');

    // Assert
    expect(earlier).toBe(false);
    expect(markAfterEarlier).toBeUndefined();
    expect(later).toBe(true);
    expect(await s.store.readMigrationMark?.()).toEqual(mark);
  });
});

describe('the SLA migration mark on DynamoDB', () => {
  it('a mark recorded when the table had other indexes (one added since) is not the table’s: the migration runs', async () => {
    // Arrange: the mark of SLA A, from a table of two indexes
    const store = new DynamoDbLeadStore(db.doc, { tableName: db.tableName });
    await parkedLeads(store);
    const mark = migrationMarkOf(slaA);
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: {
          ...MIGRATION_MARK_KEY,
          [ENTITY_ATTRIBUTE]: ENTITIES.migrationMark,
          runId: 'before',
          ...mark,
          indexes: 'GSI1,GSI2',
        },
      }),
    );

    // Act
    const report = await migrateLeads({ store, sla: slaA, clock });

    // Assert
    expect(report).toMatchObject({ checked: 3 });
    expect(await store.readMigrationMark()).toEqual(mark);
  });
});
