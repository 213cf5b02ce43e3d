/**
 * A `--data` store an older LeadPact made keeps its data when a newer one adds an index: the local runtime
 * adds the missing index to the table in place (dynalite has no UpdateTable for it) and gives every item
 * its entries. Before, it refused to start: "exists without index(es) GSI8: delete the local store".
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import {
  createTableInput,
  FIRST_TOUCH_INDEX,
  firstTouchIndexPartition,
} from '../../lambdas/adapters/table-definition.ts';
import { localDynamoDbClient, startDynalite } from '../../local/dynalite.ts';
import { LOCAL_TABLE, startLocalRuntime } from '../../local/runtime.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('a local store made before an index was added', () => {
  it('starts, with the index added and the old leads in it; the data kept', async () => {
    // Arrange: the table as an older version created it (no first-touch index), a handed-over lead in it,
    // and the marker of a clean stop
    const dir = await mkdtemp(join(tmpdir(), 'leadpact-upgrade-'));
    dirs.push(dir);
    const old = await startDynalite({ path: join(dir, 'dynamodb') });
    const client = localDynamoDbClient(old.endpoint);
    const input = createTableInput(LOCAL_TABLE);
    await client.send(
      new CreateTableCommand({
        ...input,
        GlobalSecondaryIndexes: input.GlobalSecondaryIndexes!.filter(
          (index) => index.IndexName !== FIRST_TOUCH_INDEX.indexName,
        ),
      }),
    );
    const lead = handedOff('2026-11-30T09:00:00.000Z', 'jonas', { leadId: 'lead-before-gsi8' });
    await new DynamoDbLeadStore(createLeadStoreDocumentClient(client), { tableName: LOCAL_TABLE }).createLead(
      lead,
    );
    client.destroy();
    await old.close();
    await writeFile(join(dir, 'clean-stop'), '');
    // ... and the keys it made with the store (data-dir-secret.ts: a store without them does not start)
    for (const name of ['lead-id-secret', 'action-secret'])
      await writeFile(join(dir, name), randomBytes(32).toString('base64url'));

    // Act
    const runtime = await startLocalRuntime({
      sla: loadDefaultSla(),
      dataDir: dir,
      port: 0,
      mailPort: 0,
      time: { manual: new Date('2026-11-30T10:00:00.000Z') },
      workflows: 'record',
    });

    // Assert
    try {
      const reader = localDynamoDbClient(runtime.dynamoEndpoint);
      const { Table } = await reader.send(new DescribeTableCommand({ TableName: LOCAL_TABLE }));
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toContain(
        FIRST_TOUCH_INDEX.indexName,
      );
      const { Items } = await reader.send(
        new QueryCommand({
          TableName: LOCAL_TABLE,
          IndexName: FIRST_TOUCH_INDEX.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': FIRST_TOUCH_INDEX.partitionKey },
          ExpressionAttributeValues: { ':pk': { S: firstTouchIndexPartition('jonas') } },
        }),
      );
      expect(Items?.map((item) => item.leadId?.S)).toEqual(['lead-before-gsi8']);
      expect((await runtime.deps.store.getLead('lead-before-gsi8'))?.ownerId).toBe('jonas');
      reader.destroy();
    } finally {
      await runtime.close();
    }
  });
});
