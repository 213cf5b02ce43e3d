/**
 * Index write units as AWS bills them. dynalite reports the capacity of the table's write only; AWS also
 * writes each global secondary index the item is in before or after the write, by these rules ("Provisioned
 * throughput considerations for global secondary indexes" in the DynamoDB guide):
 *
 *   in the index neither before nor after      no index write
 *   only after (a key attribute now set)       one put of the new entry
 *   only before (a key attribute removed)      one delete of the old entry
 *   both, with the same index keys             one put if a projected attribute changed, else none
 *   both, with other index keys                a delete of the old entry and a put of the new one
 *
 * each billed by the entry's size (the table's keys, the index's keys and its projected attributes), one
 * unit per KB begun. `recordIndexWrites` applies them to every write a client sends, reading the item
 * before and after it with a client of its own (those reads are not the client's: no recorder sees them).
 * Two writers of one item at the same instant could see each other's image: a bench's figure, not a bill.
 */
import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import {
  GLOBAL_INDEXES,
  type IndexDefinition,
  PARTITION_KEY,
  SORT_KEY,
} from '../../lambdas/adapters/table-definition.ts';

export type Item = Record<string, AttributeValue>;

/** An item's size as DynamoDB counts it: attribute names and values in UTF-8, lists and maps with overhead. */
export function itemBytes(item: Item): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + valueBytes(value);
  return bytes;
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0);
  if (value.BS) return value.BS.reduce((sum, b) => sum + b.byteLength, 0);
  // a list or map: 3 bytes, and 1 a element (a map's element also its name)
  if (value.L) return 3 + value.L.reduce((sum, element) => sum + 1 + valueBytes(element), 0);
  if (value.M) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  return 0;
}

/** a number: about one byte per two significant digits, plus one */
function numberBytes(n: string): number {
  const digits = n.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
  return Math.ceil(digits.replace(/0+$/, '').length / 2) + 1;
}

/** the item's entry in `index`: table keys, index keys and projected attributes; none when a key is missing */
export function indexEntry(index: IndexDefinition, item: Item | undefined): Item | undefined {
  if (!item?.[index.partitionKey] || !item[index.sortKey]) return undefined;
  const names = [PARTITION_KEY, SORT_KEY, index.partitionKey, index.sortKey];
  if (index.projectionType === 'ALL') names.push(...Object.keys(item));
  else if (index.projectionType === 'INCLUDE') names.push(...index.nonKeyAttributes);
  const entry: Item = {};
  for (const name of names) if (item[name] !== undefined) entry[name] = item[name];
  return entry;
}

const unitsOf = (entry: Item) => Math.max(1, Math.ceil(itemBytes(entry) / 1024));

/** Write units `index` costs for a write that turned `before` into `after` (undefined: no item). */
export function indexWriteUnits(
  index: IndexDefinition,
  before: Item | undefined,
  after: Item | undefined,
): number {
  const old = indexEntry(index, before);
  const next = indexEntry(index, after);
  if (!old && !next) return 0;
  if (!old) return unitsOf(next!);
  if (!next) return unitsOf(old);
  const sameKeys =
    canonical(old[index.partitionKey]) === canonical(next[index.partitionKey]) &&
    canonical(old[index.sortKey]) === canonical(next[index.sortKey]);
  if (!sameKeys) return unitsOf(old) + unitsOf(next);
  return canonical(old) === canonical(next) ? 0 : unitsOf(next);
}

/** JSON with map keys sorted: two equal values written in another order compare equal */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v instanceof Uint8Array
        ? Buffer.from(v).toString('base64')
        : v,
  );
}

export interface RecordedIndexWrite {
  readonly index: string;
  readonly units: number;
  /** what `options.tag` said when the write was sent */
  readonly tag?: string;
}

export interface IndexWriteRecorder {
  readonly writes: readonly RecordedIndexWrite[];
  /** units of the writes `which` keeps (all by default) */
  units(which?: (write: RecordedIndexWrite) => boolean): number;
}

/** the items a write command touches, by table and key */
function touchedKeys(name: string, input: Record<string, unknown>): { table: string; key: Item }[] {
  const keyOf = (item: Record<string, unknown>): Item => {
    // marshalled by the time a low-level command gets here, still plain when a DocumentClient's is on its way
    const attribute = (value: unknown): AttributeValue =>
      typeof value === 'string' ? { S: value } : (value as AttributeValue);
    return { [PARTITION_KEY]: attribute(item[PARTITION_KEY]), [SORT_KEY]: attribute(item[SORT_KEY]) };
  };
  const table = String(input.TableName ?? '');
  if (name === 'PutItemCommand') return [{ table, key: keyOf(input.Item as Record<string, unknown>) }];
  if (name === 'UpdateItemCommand' || name === 'DeleteItemCommand')
    return [{ table, key: keyOf(input.Key as Record<string, unknown>) }];
  if (name === 'BatchWriteItemCommand') {
    return Object.entries((input.RequestItems ?? {}) as Record<string, WriteRequest[]>).flatMap(
      ([batchTable, requests]) =>
        requests.map((request) => ({
          table: batchTable,
          key: keyOf((request.PutRequest?.Item ?? request.DeleteRequest?.Key) as Record<string, unknown>),
        })),
    );
  }
  return [];
}

/**
 * Adds a middleware to `client` that, for each write it sends (PutItem, UpdateItem, DeleteItem, each
 * request of a BatchWriteItem), reads the items it touches before and after and records the index write
 * units AWS would bill for each global secondary index of the table (GLOBAL_INDEXES).
 */
export async function recordIndexWrites(
  client: DynamoDBClient,
  options: { readonly tag?: () => string | undefined; readonly indexes?: readonly IndexDefinition[] } = {},
): Promise<IndexWriteRecorder> {
  const indexes = options.indexes ?? GLOBAL_INDEXES;
  const reader = new DynamoDBClient({
    endpoint: await client.config.endpoint?.(),
    region: await client.config.region(),
    credentials: await client.config.credentials(),
    requestHandler: client.config.requestHandler,
  });
  const read = async (table: string, key: Item) =>
    (await reader.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
  const writes: RecordedIndexWrite[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const touched = touchedKeys(context.commandName ?? '', args.input as Record<string, unknown>);
      if (touched.length === 0) return next(args);
      const tag = options.tag?.();
      const before = await Promise.all(touched.map(({ table, key }) => read(table, key)));
      const result = await next(args);
      const after = await Promise.all(touched.map(({ table, key }) => read(table, key)));
      touched.forEach((_, i) => {
        for (const index of indexes) {
          const units = indexWriteUnits(index, before[i], after[i]);
          if (units > 0)
            writes.push({ index: index.indexName, units, ...(tag === undefined ? {} : { tag }) });
        }
      });
      return result;
    },
    { step: 'initialize', name: 'leadpactIndexWrites' },
  );
  return {
    writes,
    units: (which = () => true) => writes.filter(which).reduce((sum, write) => sum + write.units, 0),
  };
}
