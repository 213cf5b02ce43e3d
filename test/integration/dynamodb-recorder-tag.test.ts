/**
 * The recorder's tag (test/support/dynamodb-recorder.ts): bench/cost.ts tells the events publisher's
 * requests from the workflow's on one client by the async context each command is sent in.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { useDynalite } from '../support/dynalite.ts';
import { recordDynamoDbCommands } from '../support/dynamodb-recorder.ts';

describe('recordDynamoDbCommands with a tag', () => {
  const dynalite = useDynalite();

  it('records the tag of the async context each command was sent in, concurrent sends included', async () => {
    const context = new AsyncLocalStorage<string>();
    const recorder = recordDynamoDbCommands(dynalite.client, { tag: () => context.getStore() });
    const put = (sk: string) =>
      dynalite.client.send(
        new PutItemCommand({ TableName: dynalite.tableName, Item: { pk: { S: 'LEAD#x' }, sk: { S: sk } } }),
      );
    const get = () =>
      dynalite.client.send(
        new GetItemCommand({
          TableName: dynalite.tableName,
          Key: { pk: { S: 'LEAD#x' }, sk: { S: 'STATE' } },
        }),
      );
    await Promise.all([
      put('STATE'),
      context.run('publisher', async () => {
        await get();
        await put('DELIVERY');
      }),
      get(),
    ]);
    const tagged = recorder.commands.map(
      (command) => `${command.name} ${command.sortKey} ${command.tag ?? '-'}`,
    );
    expect(tagged.sort()).toEqual(
      [
        'GetItemCommand STATE -',
        'GetItemCommand STATE publisher',
        'PutItemCommand DELIVERY publisher',
        'PutItemCommand STATE -',
      ].sort(),
    );
    expect(recorder.commands.every((command) => !command.failed)).toBe(true);
  });
});
