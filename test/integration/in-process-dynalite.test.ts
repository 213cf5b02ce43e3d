/**
 * local/in-process-http.ts on dynalite (local/dynalite.ts `requestHandler`): a client that hands its
 * requests to dynalite in this process gets what one over HTTP gets (items, a failed condition, a
 * validation error, status and request id), with SigV4's headers, and close() answers the requests in flight, then refuses
 * new ones as a closed port does.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynaliteServer,
  ensureTable,
  localDynamoDbClient,
  startDynalite,
} from '../../local/dynalite.ts';

const TABLE = 'in-process-test';
type DynaliteHandle = DynaliteServer['requestHandler']['handle'];

describe('dynalite in this process, without a socket', () => {
  let server: DynaliteServer;
  let overHttp: DynamoDBClient;
  let inProcess: DynamoDBClient;

  beforeAll(async () => {
    server = await startDynalite();
    overHttp = localDynamoDbClient(server.endpoint);
    inProcess = localDynamoDbClient(server.endpoint, { requestHandler: server.requestHandler });
    await ensureTable(inProcess, TABLE);
  });
  afterAll(async () => {
    overHttp.destroy();
    inProcess.destroy();
    await server.close();
  });

  const item = {
    pk: { S: 'lead#1' },
    sk: { S: 'STATE' },
    name: { S: 'Zoë Ünal — 日本' },
    n: { N: '7' },
    tags: { L: [{ S: 'a' }, { M: { deep: { BOOL: true } } }] },
  };

  it('writes and reads the same items as over HTTP, in both directions', async () => {
    await inProcess.send(new PutItemCommand({ TableName: TABLE, Item: item }));
    const key = { pk: item.pk, sk: item.sk };
    const viaHttp = await overHttp.send(new GetItemCommand({ TableName: TABLE, Key: key }));
    const viaProcess = await inProcess.send(new GetItemCommand({ TableName: TABLE, Key: key }));
    expect(viaHttp.Item).toEqual(item);
    expect(viaProcess.Item).toEqual(item);
    expect(viaProcess.$metadata.httpStatusCode).toBe(200);
    expect(viaProcess.$metadata.requestId).toMatch(/^[A-Z0-9]{52}$/);

    await overHttp.send(new PutItemCommand({ TableName: TABLE, Item: { ...item, sk: { S: 'EVENT#2' } } }));
    const query = await inProcess.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': item.pk },
      }),
    );
    expect(query.Items?.map((found) => found.sk?.S)).toEqual(['EVENT#2', 'STATE']);
  });

  it("carries SigV4's headers (dynalite checks them, never the signature: local/local-endpoint.ts)", async () => {
    const sent: Record<string, string>[] = [];
    const client = localDynamoDbClient(server.endpoint, {
      requestHandler: {
        ...server.requestHandler,
        handle: (...args: Parameters<DynaliteHandle>) => {
          sent.push(args[0].headers);
          return server.requestHandler.handle(...args);
        },
      },
    });
    try {
      await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: item.pk, sk: item.sk } }));
    } finally {
      client.destroy();
    }
    expect(sent[0]?.['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(sent[0]?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/local\/dynamodb\/aws4_request, SignedHeaders=host;x-amz-date, Signature=0{64}$/,
    );
  });

  it('fails a condition and a validation as over HTTP', async () => {
    const conditional = new PutItemCommand({
      TableName: TABLE,
      Item: item,
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const [viaHttp, viaProcess] = await Promise.all([
      overHttp.send(conditional).catch((error: unknown) => error),
      inProcess.send(conditional).catch((error: unknown) => error),
    ]);
    expect(viaProcess).toBeInstanceOf(ConditionalCheckFailedException);
    expect(viaHttp).toBeInstanceOf(ConditionalCheckFailedException);
    expect((viaProcess as ConditionalCheckFailedException).$metadata.httpStatusCode).toBe(400);

    const invalid = new GetItemCommand({ TableName: 'x', Key: { pk: item.pk } });
    const [httpError, processError] = await Promise.all([
      overHttp.send(invalid).then(
        () => new Error('answered'),
        (error: Error) => error,
      ),
      inProcess.send(invalid).then(
        () => new Error('answered'),
        (error: Error) => error,
      ),
    ]);
    expect(processError.name).toBe('ValidationException');
    expect(processError.message).toBe(httpError.message);
  });

  it('close() answers the requests in flight, then refuses new ones as a closed port does', async () => {
    const own = await startDynalite();
    // every write handed over (dynalite answers each after its own round of callbacks): then close
    let handedOver = 0;
    let allHandedOver!: () => void;
    const handedOverAll = new Promise<void>((resolve) => {
      allHandedOver = resolve;
    });
    const handler = {
      ...own.requestHandler,
      handle: (...args: Parameters<DynaliteHandle>) => {
        const answer = own.requestHandler.handle(...args);
        if (++handedOver === 20) allHandedOver();
        return answer;
      },
    };
    const client = localDynamoDbClient(own.endpoint, { requestHandler: handler, maxAttempts: 1 });
    try {
      await ensureTable(client, TABLE);
      handedOver = 0;
      const writes = Array.from({ length: 20 }, (_, i) =>
        client.send(new PutItemCommand({ TableName: TABLE, Item: { ...item, sk: { S: `EVENT#${i}` } } })),
      );
      await handedOverAll;
      const closed = own.close();
      await expect(Promise.all(writes)).resolves.toHaveLength(20);
      await closed;
      await expect(
        client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: item.pk, sk: item.sk } })),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      client.destroy();
    }
  });
});
