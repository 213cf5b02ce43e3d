/**
 * The bench's index write units (test/support/index-writes.ts) follow AWS's rules for global secondary
 * indexes: the pure rule per index, item sizes as DynamoDB counts them, and the recorder on dynalite.
 */
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { OWNER_INDEX, SURNAME_INDEX } from '../../lambdas/adapters/table-definition.ts';
import { useDynalite } from '../support/dynalite.ts';
import {
  type Item,
  indexEntry,
  indexWriteUnits,
  itemBytes,
  recordIndexWrites,
} from '../support/index-writes.ts';

const s = (S: string) => ({ S });
const lead = (extra: Item = {}): Item => ({ pk: s('LEAD#1'), sk: s('STATE'), leadId: s('1'), ...extra });
const owned = (sk: string, extra: Item = {}) =>
  lead({ gsi1pk: s('OWNER#jonas'), gsi1sk: s(sk), status: s('new'), ...extra });

describe('itemBytes: sizes as DynamoDB counts them', () => {
  it.each([
    ['a string: name and UTF-8 value', { shirtColor: s('R') }, 11],
    ['Arabic text is two bytes a letter', { n: s('سارة') }, 9],
    ['a number: a byte per two digits, plus one', { n: { N: '12345' } }, 1 + 4],
    ['a boolean', { ok: { BOOL: true } }, 3],
    ['binary: its bytes', { body: { B: new Uint8Array(100) } }, 104],
    ['a list: 3 bytes, 1 an element', { l: { L: [s('ab'), s('c')] } }, 1 + 3 + 3 + 2],
    ['a map: 3 bytes, names, 1 an element', { m: { M: { a: s('xy') } } }, 1 + 3 + 1 + 2 + 1],
  ] satisfies [string, Item, number][])('%s', (_, item, bytes) => {
    expect(itemBytes(item)).toBe(bytes);
  });
});

describe('indexWriteUnits: the rules of a global secondary index', () => {
  it.each([
    ['in the index neither before nor after', lead(), lead({ total: { N: '5' } }), 0],
    ['no item before, none after', undefined, undefined, 0],
    ['a key set: one put', lead(), owned('new#2026-12-01'), 1],
    ['a key removed: one delete', owned('new#2026-12-01'), lead(), 1],
    ['the item deleted: one delete', owned('new#2026-12-01'), undefined, 1],
    ['same keys, nothing projected changed', owned('a'), owned('a', { body: { B: new Uint8Array(10) } }), 0],
    ['same keys, a projected attribute changed: one put', owned('a'), owned('a', { total: { N: '60' } }), 1],
    ['other keys: a delete and a put', owned('new#2026-12-01'), owned('new#2026-12-02'), 2],
    ['an entry over 1 KB: a unit per KB begun', lead(), owned('x'.repeat(1500)), 2],
  ] satisfies [string, Item | undefined, Item | undefined, number][])('%s: %i', (_, before, after, units) => {
    expect(indexWriteUnits(OWNER_INDEX, before, after)).toBe(units);
  });

  it('an entry holds the keys and what the index projects, nothing else', () => {
    const entry = indexEntry(
      OWNER_INDEX,
      owned('a', { body: { B: new Uint8Array(10) }, ownerId: s('jonas') }),
    );
    expect(Object.keys(entry!).sort()).toEqual([
      'gsi1pk',
      'gsi1sk',
      'leadId',
      'ownerId',
      'pk',
      'sk',
      'status',
    ]);
  });
});

describe('recordIndexWrites on dynalite', () => {
  const dynalite = useDynalite();

  it('bills each write by the item before and after it, refused writes nothing', async () => {
    // Arrange
    const recorder = await recordIndexWrites(dynalite.client);
    const TableName = dynalite.tableName;
    const key = { pk: s('LEAD#1'), sk: s('STATE') };
    // Act
    await dynalite.client.send(new PutItemCommand({ TableName, Item: owned('new#1') }));
    const afterPut = recorder.units();
    await dynalite.client.send(
      new UpdateItemCommand({
        TableName,
        Key: key,
        UpdateExpression: 'SET #body = :b',
        ExpressionAttributeNames: { '#body': 'body' },
        ExpressionAttributeValues: { ':b': { B: new Uint8Array(8) } },
      }),
    );
    const afterUnprojected = recorder.units();
    await dynalite.client.send(
      new UpdateItemCommand({
        TableName,
        Key: key,
        UpdateExpression: 'SET gsi1sk = :sk, gsi9pk = :p, gsi9sk = :p',
        ExpressionAttributeValues: { ':sk': s('new#2'), ':p': s('LAST#sc') },
      }),
    );
    const afterMove = recorder.units();
    await expect(
      dynalite.client.send(
        new PutItemCommand({ TableName, Item: lead(), ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    ).rejects.toThrow();
    await dynalite.client.send(new DeleteItemCommand({ TableName, Key: key }));
    // Assert
    expect(afterPut).toBe(1); // GSI1 put
    expect(afterUnprojected).toBe(1); // body is not projected: no index write
    expect(afterMove).toBe(1 + 2 + 1); // GSI1 delete + put, GSI9 put
    expect(recorder.units((write) => write.index === SURNAME_INDEX.indexName)).toBe(2); // put, then delete
    expect(recorder.units()).toBe(4 + 2); // the delete removes both entries; the refused put wrote nothing
  });
});
