import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { LeadQueries } from '../../lambdas/ports/lead-queries.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import { localDynamoDbClient, startDynalite } from '../../local/dynalite.ts';
import { LOCAL_TABLE } from '../../local/runtime.ts';
import { loadVirtualTime } from '../../local/virtual-clock-file.ts';

export interface OpenedStore {
  readonly store: LeadStore;
  /** lists and report facts from the same table's indexes */
  readonly queries: LeadQueries;
  /** the SLA time the data directory last ran at (`--speed` runs ahead of the wall clock) */
  readonly slaTime?: Date;
  close(): Promise<void>;
}

/**
 * The lead store of `leadpact dev --data DIR`, opened in this process without the rest of the
 * runtime (no workflows, no mail, no API) for commands that only read it. LevelDB takes one
 * process at a time: while `leadpact dev` runs on the directory this fails (stop it first).
 * A directory without a store is refused before dynalite starts: it would create one there.
 */
export async function openLocalStore(dir: string): Promise<OpenedStore> {
  const storeDir = join(dir, 'dynamodb');
  if (!existsSync(storeDir))
    throw new Error(
      `no LeadPact data in "${dir}" (expected ${storeDir}): run leadpact dev --data ${dir} first`,
    );
  // a store another process holds would fail inside dynalite with its server already listening
  await probeLevelDb(storeDir);
  let dynamo: Awaited<ReturnType<typeof startDynalite>>;
  try {
    dynamo = await startDynalite({ path: join(dir, 'dynamodb') });
  } catch (error) {
    throw new Error(`cannot open the store in "${dir}" (is leadpact dev running on it?): ${message(error)}`);
  }
  const client = localDynamoDbClient(dynamo.endpoint, { maxAttempts: 1 });
  const close = async () => {
    client.destroy();
    await dynamo.close();
  };
  try {
    await client.send(new DescribeTableCommand({ TableName: LOCAL_TABLE }));
  } catch (error) {
    await close();
    throw new Error(
      (error as Error).name === 'ResourceNotFoundException'
        ? `no LeadPact table in "${dir}"`
        : `cannot read the store in "${dir}" (is leadpact dev running on it?): ${message(error)}`,
    );
  }
  const slaTime = await loadVirtualTime(join(dir, 'clock.json'));
  const doc = createLeadStoreDocumentClient(client);
  return {
    store: new DynamoDbLeadStore(doc, { tableName: LOCAL_TABLE }),
    queries: new DynamoDbLeadQueries(doc, LOCAL_TABLE),
    ...(slaTime ? { slaTime } : {}),
    close,
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

interface Level {
  open(): Promise<void>;
  close(): Promise<void>;
}

/** Opens and closes dynalite's LevelDB (classic-level, as dynalite loads it): fails while another process holds it. */
async function probeLevelDb(path: string): Promise<void> {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { ClassicLevel } = fromDynalite('classic-level') as { ClassicLevel: new (path: string) => Level };
  const db = new ClassicLevel(path);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new Error(
      cause?.code === 'LEVEL_LOCKED'
        ? `the store in "${path}" is in use by another process: stop leadpact dev on it first`
        : `cannot open the store in "${path}": ${message(error)}`,
    );
  }
  await db.close();
}
