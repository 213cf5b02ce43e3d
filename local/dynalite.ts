/**
 * The local DynamoDB: dynalite (DynamoDB's wire protocol on LevelDB) in this process, in memory or on disk,
 * and the same @aws-sdk/client-dynamodb client the Lambdas use, pointed at it.
 *
 * dynalite 4 stores in memory with memory-level (pure JS) and on disk with classic-level, whose package ships
 * prebuilt binaries (loaded by node-gyp-build at run time), so npm's blocked install scripts do not matter.
 * It lacks transactions, TTL and PartiQL; the adapter uses none of them.
 *
 * Erased data on disk: LevelDB keeps overwritten and deleted values in its files until a compaction merges
 * them away (and dynalite's unclosed iterators kept compactions from ever dropping them), so an erased lead's
 * email lingered under `--data`. `scrub()` rewrites an on-disk store without them (local/level-scrub.ts). An
 * on-disk store is also scrubbed when it opens, so an erase whose scrub a crash interrupted is completed by
 * the next start.
 */
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  type AttributeDefinition,
  BatchWriteItemCommand,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  PutItemCommand,
  ScanCommand,
  type TableDescription,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../lambdas/adapters/table-definition.ts';
import {
  type InProcessRequestHandler,
  inProcessRequestHandler,
  type RequestListener,
} from './in-process-http.ts';
import { type LevelDb, levelScrubber } from './level-scrub.ts';
import { localEndpointConfig } from './local-endpoint.ts';

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: DynaliteOptions) => Server;

/**
 * dynalite's store module: dynalite() calls its create() synchronously and keeps the store to itself; wrapping
 * create() for the duration of that call is the one way to reach the LevelDB instance (the module has no
 * `exports` map, so this path is the very module dynalite's index.js requires).
 */
const dynaliteDb = require('dynalite/db/index.js') as {
  create: (options: DynaliteOptions) => DynaliteStore;
  updateIndexes: UpdateIndexes;
};

/** The part of dynalite's store used here: its LevelDB, and the sublevel of table descriptions. */
interface DynaliteStore {
  db: LevelDb;
  tableDb: {
    get(name: string, done: (error: Error | null, table?: StoredTable) => void): void;
    put(name: string, table: StoredTable, done: Done): void;
    lock(name: string, run: (release: (done: Done) => Done) => void): void;
  };
}
type StoredTable = TableDescription & { AttributeDefinitions?: AttributeDefinition[] };

type Done = (error?: unknown) => void;
interface IndexDb {
  put(key: string, item: unknown, done: Done): void;
  del(key: string, done: Done): void;
}
interface IndexStore {
  getIndexDb(type: string, table: string, index: string): IndexDb;
}
type UpdateIndexes = (
  store: IndexStore,
  table: unknown,
  existing: unknown,
  item: unknown,
  done: Done,
) => void;

/**
 * A write whose index key changes (the owner index's sort key carries updatedAt: every write of an owned lead)
 * moved the entry by deleting the old key, then putting the new one, so a Query in between missed the item: a
 * capacity pick counting the rep's open leads missed a lead being written and took the rep past capacity
 * (ADR 0040). Here the new entries are put first and the old keys deleted after: a reader sees the item under
 * one key or both for a moment, never under none (every count of an index read is by lead id). dynalite only
 * deletes keys that changed, so a put is never undone by a delete of the same key.
 */
function putBeforeDelete(original: UpdateIndexes): UpdateIndexes {
  return (store, table, existing, item, done) => {
    const deletes: (() => Promise<void>)[] = [];
    const deferring: IndexStore = {
      getIndexDb(type, tableName, index) {
        const db = store.getIndexDb(type, tableName, index);
        return {
          put: (key, value, putDone) => db.put(key, value, putDone),
          del: (key, delDone) => {
            deletes.push(
              () => new Promise((resolve, reject) => db.del(key, (e) => (e ? reject(e) : resolve()))),
            );
            delDone();
          },
        };
      },
    };
    original(deferring, table, existing, item, (error) => {
      if (error) return done(error);
      Promise.all(deletes.map((del) => del())).then(() => done(), done);
    });
  };
}
dynaliteDb.updateIndexes = putBeforeDelete(dynaliteDb.updateIndexes);

export interface DynaliteServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /**
   * Sends a client's requests straight to this dynalite, in this process (local/in-process-http.ts):
   * `localDynamoDbClient(endpoint, { requestHandler })`. The endpoint still serves HTTP for anything else.
   */
  readonly requestHandler: InProcessRequestHandler;
  /**
   * Adds to an existing table the global secondary indexes `input` declares and it lacks, in place, as
   * DynamoDB's UpdateTable would (dynalite cannot): a store made by an older LeadPact keeps its data. The
   * new indexes start empty: `repairIndexes` gives every item its entries. Returns the names added.
   */
  addMissingIndexes(input: CreateTableCommandInput): Promise<string[]>;
  /**
   * Rewrites an on-disk store so that no overwritten or deleted value remains in its files (see
   * local/level-scrub.ts); resolves at once in memory. One at a time; each call gets a run that starts after it.
   */
  scrub(): Promise<void>;
  /** stops the server and closes the store (flushes it to disk when on disk) */
  close(): Promise<void>;
}

export interface StartDynaliteOptions {
  /** a directory for an on-disk store (created if missing); in memory when omitted */
  readonly path?: string;
  /** 0 (default) picks a free port */
  readonly port?: number;
}

/** Why the store under `path` did not open: held by another process (LevelDB's lock), or the error itself. */
function notOpened(path: string, error: unknown): Error {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'LEVEL_LOCKED')
    return new Error(
      `${path} is in use by another process (a leadpact already running on this --data?): stop it, or use another --data`,
    );
  return new Error(`${path}: the store did not open: ${cause?.message ?? (error as Error).message}`);
}

/** Starts dynalite in this process on 127.0.0.1. Tables become ACTIVE almost at once (ensureTable waits anyway). */
export async function startDynalite(options: StartDynaliteOptions = {}): Promise<DynaliteServer> {
  if (options.path) await mkdir(options.path, { recursive: true });
  const create = dynaliteDb.create;
  let store: DynaliteStore | undefined;
  dynaliteDb.create = (createOptions) => {
    store = create(createOptions);
    return store;
  };
  let server: Server;
  try {
    server = dynalite({
      ...(options.path ? { path: options.path } : {}),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
  } finally {
    dynaliteDb.create = create;
  }
  const level = options.path ? store?.db : undefined;
  if (options.path && typeof level?.compactRange !== 'function') {
    throw new Error('dynalite did not expose its LevelDB store: cannot scrub erased data from disk');
  }
  // the store opens in the background; a data directory another process holds fails it, and dynalite would
  // then answer every request "Database is closed": say what is wrong before anything listens
  if (level) await level.open().catch((error: unknown) => Promise.reject(notOpened(options.path!, error)));
  const scrub = level ? levelScrubber(level).scrub : () => Promise.resolve();
  const tables = store?.tableDb;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const listener = server.listeners('request')[0] as RequestListener | undefined;
  if (!listener) throw new Error('dynalite registered no request listener');
  const requestHandler = inProcessRequestHandler(listener);
  // finishes the scrub of an erase that a crash interrupted
  await scrub();
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    requestHandler,
    scrub,
    addMissingIndexes: (input) =>
      tables
        ? addMissingIndexes(tables, input)
        : Promise.reject(new Error('dynalite kept its store to itself')),
    close() {
      // the in-process requests answered first, as the server's close() waits for its active connections
      closing ??= requestHandler.stop().then(
        () =>
          new Promise<void>((resolve, reject) => {
            server.close((error?: Error) => (error ? reject(error) : resolve()));
            // keep-alive sockets of clients that were not destroyed would hold close() open
            server.closeIdleConnections();
          }),
      );
      return closing;
    },
  };
}

/**
 * A DynamoDB client for a local endpoint only: region `local`, dummy credentials. It refuses any endpoint that
 * is missing or not on this machine, so a test or `leadpact dev` can never write to a real AWS account by accident.
 */
export function localDynamoDbClient(
  endpoint: string | undefined,
  config: Omit<DynamoDBClientConfig, 'endpoint' | 'region' | 'credentials'> = {},
): DynamoDBClient {
  return new DynamoDBClient({
    maxAttempts: 3,
    ...config,
    ...localEndpointConfig('localDynamoDbClient', endpoint),
  });
}

function isActive(table: TableDescription | undefined): boolean {
  return (
    table?.TableStatus === 'ACTIVE' &&
    (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')
  );
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** The table's description with the indexes of `input` it lacks added, ACTIVE and empty (see DynaliteServer). */
function addMissingIndexes(
  tables: DynaliteStore['tableDb'],
  input: CreateTableCommandInput,
): Promise<string[]> {
  const name = input.TableName!;
  return new Promise((resolve, reject) => {
    tables.lock(name, (release) => {
      const done = release((error?: unknown) => (error ? reject(error) : resolve(added)));
      let added: string[] = [];
      tables.get(name, (error, table) => {
        if (error || !table) return done(error ?? new Error(`no table ${name}`));
        const present = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
        const missing = (input.GlobalSecondaryIndexes ?? []).filter((index) => !present.has(index.IndexName));
        added = missing.map((index) => index.IndexName!);
        if (missing.length === 0) return done();
        const arn = table.TableArn ?? `arn:aws:dynamodb:local:000000000000:table/${name}`;
        const defined = new Set((table.AttributeDefinitions ?? []).map((a) => a.AttributeName));
        const next: StoredTable = {
          ...table,
          AttributeDefinitions: [
            ...(table.AttributeDefinitions ?? []),
            ...(input.AttributeDefinitions ?? []).filter((a) => !defined.has(a.AttributeName)),
          ],
          GlobalSecondaryIndexes: [
            ...(table.GlobalSecondaryIndexes ?? []),
            ...missing.map((index) => ({
              ...index,
              IndexArn: `${arn}/index/${index.IndexName}`,
              IndexSizeBytes: 0,
              ItemCount: 0,
              IndexStatus: 'ACTIVE' as const,
              ProvisionedThroughput: {
                ReadCapacityUnits: 0,
                WriteCapacityUnits: 0,
                NumberOfDecreasesToday: 0,
              },
            })),
          ],
        };
        tables.put(name, next, done);
      });
    });
  });
}

/** Creates the LeadPact table (from createTableInput) unless it exists, then waits until it and its indexes are ACTIVE. */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: {
    timeoutMs?: number;
    /** an on-disk store an older version made lacks indexes: add them (DynaliteServer.addMissingIndexes) */
    addMissingIndexes?: (input: CreateTableCommandInput) => Promise<string[]>;
  } = {},
): Promise<{ indexesAdded: string[] }> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let table: TableDescription | undefined;
  try {
    table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    try {
      table = (await client.send(new CreateTableCommand(createTableInput(tableName)))).TableDescription;
    } catch (createError) {
      // someone else created it between our describe and create
      if (errorName(createError) !== 'ResourceInUseException') throw createError;
    }
  }
  while (!isActive(table)) {
    if (Date.now() > deadline) throw new Error(`table ${tableName} did not become ACTIVE in time`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  }
  // an on-disk store made by an older version may lack an index: say so instead of failing on the first query
  const expected = createTableInput(tableName).GlobalSecondaryIndexes ?? [];
  const present = new Set((table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const missing = expected.map((index) => index.IndexName).filter((name) => !present.has(name));
  if (missing.length === 0) return { indexesAdded: [] };
  if (options.addMissingIndexes)
    return { indexesAdded: await options.addMissingIndexes(createTableInput(tableName)) };
  throw new Error(
    `table ${tableName} exists without index(es) ${missing.join(', ')}: delete the local store`,
  );
}

/**
 * The attribute a repair's first write leaves on an item until its second restores it: the item's own values of the
 * index's key attributes as JSON (`{}`: it had none), or `"orphan"` for an item written only to take an entry out.
 */
const REPAIRING = 'repairingIndex';

type Item = Record<string, AttributeValue>;

/** The item's values of `names`, as a comparable string (an attribute it lacks counts as missing). */
function valuesOf(item: Item | undefined, names: readonly string[]): string {
  return JSON.stringify(names.map((name) => item?.[name] ?? null));
}

/**
 * Rewrites every item that belongs in a secondary index, so each has its index entries again, and takes out every
 * index entry that no item has. dynalite updates an item's index entries in steps apart from the item (the new
 * entries, then the old ones deleted, then the item: node_modules/dynalite/db/index.js updateIndexes, with the order
 * of local/dynalite.ts putBeforeDelete), so a process killed between them leaves an item its index no longer lists
 * (a webhook delivery no sweep finds, a lead no reconciler finds), or an entry for a value the item never got (a lead
 * listed due at a time it never had, or a lead never written: the reconciler checks it on every sweep, and restarts a
 * lead that has since ended on every sweep). DynamoDB does neither; this makes the on-disk emulator as good after a
 * crash. Run at start-up on a data directory, before anything else reads or writes (items are put back as they are).
 * A stale entry leaves through dynalite's own index update: the item takes the entry's key values for a moment, then
 * gets its own back (or, for an entry of no item, an item is written with them and deleted); a crash between the two
 * is finished by the next repair. Returns how many items were rewritten.
 */
export async function repairIndexes(client: DynamoDBClient, tableName: string): Promise<number> {
  const definition = createTableInput(tableName);
  const tableKeys = (definition.KeySchema ?? []).map((key) => key.AttributeName!);
  const indexes = (definition.GlobalSecondaryIndexes ?? []).map((index) => ({
    name: index.IndexName!,
    keys: (index.KeySchema ?? []).map((key) => key.AttributeName!),
  }));
  const indexKeys = new Set(indexes.flatMap((index) => index.keys));
  const keyOf = (item: Item) => valuesOf(item, tableKeys);
  const tableKey = (item: Item): Item => Object.fromEntries(tableKeys.map((name) => [name, item[name]!]));
  // the index attributes of every item, by its table key: what each index entry is checked against
  const items = new Map<string, Item>();
  let rewritten = 0;
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    const pending: Item[] = [];
    for (const item of page.Items ?? []) {
      const repairing = item[REPAIRING]?.S;
      if (repairing === 'orphan') {
        await client.send(new DeleteItemCommand({ TableName: tableName, Key: tableKey(item) }));
        continue;
      }
      const restored =
        repairing === undefined ? item : restore(item, JSON.parse(repairing) as Item, indexKeys);
      items.set(
        keyOf(restored),
        Object.fromEntries(Object.entries(restored).filter(([name]) => indexKeys.has(name))),
      );
      if (repairing !== undefined || Object.keys(restored).some((name) => indexKeys.has(name)))
        pending.push(restored);
    }
    for (let i = 0; i < pending.length; i += 25) {
      let requests = pending.slice(i, i + 25).map((item) => ({ PutRequest: { Item: item } }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
        );
        requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
    rewritten += pending.length;
    start = page.LastEvaluatedKey;
  } while (start);
  for (const index of indexes) {
    let from: Item | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: tableName, IndexName: index.name, ExclusiveStartKey: from }),
      );
      for (const entry of page.Items ?? []) {
        const item = items.get(keyOf(entry));
        if (item && valuesOf(item, index.keys) === valuesOf(entry, index.keys)) continue;
        await dropEntry(client, tableName, tableKey(entry), index.keys, entry, item);
      }
      from = page.LastEvaluatedKey;
    } while (from);
  }
  return rewritten;
}

/** The item with its own index attributes back (as `own` holds them) and the repair's attribute gone. */
function restore(item: Item, own: Item, indexKeys: ReadonlySet<string>): Item {
  const kept = Object.entries(item).filter(([name]) => name !== REPAIRING && !indexKeys.has(name));
  return { ...Object.fromEntries(kept), ...own };
}

/** Takes out an index entry no item has: the item (or a stand-in) takes the entry's key values, then loses them. */
async function dropEntry(
  client: DynamoDBClient,
  tableName: string,
  key: Item,
  names: readonly string[],
  entry: Item,
  item: Item | undefined,
): Promise<void> {
  const stale = Object.fromEntries(names.map((name) => [name, entry[name]!]));
  if (!item) {
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: { ...key, ...stale, [REPAIRING]: { S: 'orphan' } } }),
    );
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: key }));
    return;
  }
  const own = Object.fromEntries(names.filter((name) => item[name]).map((name) => [name, item[name]!]));
  const placeholders = (prefix: string) =>
    Object.fromEntries(names.map((name, i) => [`#${prefix}${i}`, name]));
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${names.map((_, i) => `#k${i} = :k${i}`).join(', ')}, #repairing = :own`,
      ExpressionAttributeNames: { ...placeholders('k'), '#repairing': REPAIRING },
      ExpressionAttributeValues: {
        ...Object.fromEntries(names.map((name, i) => [`:k${i}`, stale[name]!])),
        ':own': { S: JSON.stringify(own) },
      },
    }),
  );
  const set = names.flatMap((name, i) => (own[name] ? [`#k${i} = :k${i}`] : []));
  const remove = [...names.flatMap((name, i) => (own[name] ? [] : [`#k${i}`])), '#repairing'];
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `${set.length > 0 ? `SET ${set.join(', ')} ` : ''}REMOVE ${remove.join(', ')}`,
      ExpressionAttributeNames: { ...placeholders('k'), '#repairing': REPAIRING },
      ...(set.length > 0
        ? {
            ExpressionAttributeValues: Object.fromEntries(
              names.flatMap((name, i) => (own[name] ? [[`:k${i}`, own[name]!]] : [])),
            ),
          }
        : {}),
    }),
  );
}
