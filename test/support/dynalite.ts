/**
 * One in-process dynalite per test file (beforeAll/afterAll), a fresh table per test (beforeEach), and a
 * recorder on the client (dynamodb-recorder.ts): every command sent, with the capacity dynalite reports for it, so a test can assert
 * that no Scan was ever sent and count requests (and, for benchmarks, units) per operation.
 *
 * Call useDynalite() inside a describe (or at the top of a file); read its fields inside tests and hooks.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createLeadStoreDocumentClient } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import {
  type DynaliteServer,
  ensureTable,
  localDynamoDbClient,
  startDynalite,
} from '../../local/dynalite.ts';
import {
  type DynamoDbRecorder,
  type RecordedDynamoDbCommand,
  recordDynamoDbCommands,
} from './dynamodb-recorder.ts';

/** A command the client sent: its name, the capacity dynalite reported, and whether it failed. */
export type RecordedCommand = RecordedDynamoDbCommand;

export interface DynaliteHarness {
  readonly server: DynaliteServer;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  /** this test's table (new in every test) */
  readonly tableName: string;
  /** commands sent since this test's table was ready */
  readonly commands: readonly RecordedCommand[];
  commandNames(): string[];
  /** PutItem, UpdateItem, DeleteItem, and each request inside a BatchWriteItem */
  writeRequests(): number;
  /** forget what was recorded so far (e.g. after arranging) */
  resetRecording(): void;
}

export function useDynalite(): DynaliteHarness {
  let server: DynaliteServer | undefined;
  let client: DynamoDBClient | undefined;
  let doc: DynamoDBDocumentClient | undefined;
  let tableName: string | undefined;
  let recorder: DynamoDbRecorder | undefined;
  let tables = 0;
  const fileTag = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    server = await startDynalite();
    client = localDynamoDbClient(server.endpoint);
    recorder = recordDynamoDbCommands(client);
    doc = createLeadStoreDocumentClient(client);
  });

  beforeEach(async () => {
    tableName = `leads-${fileTag}-${++tables}`;
    await ensureTable(client!, tableName);
    recorder!.reset();
  });

  afterAll(async () => {
    client?.destroy();
    await server?.close();
  });

  const must = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useDynalite: ${what} is only available inside tests and hooks`);
    return value;
  };

  return {
    get server() {
      return must(server, 'server');
    },
    get client() {
      return must(client, 'client');
    },
    get doc() {
      return must(doc, 'doc');
    },
    get tableName() {
      return must(tableName, 'tableName');
    },
    // before the first hook nothing has been sent: nothing recorded
    get commands() {
      return recorder?.commands ?? [];
    },
    commandNames: () => recorder?.names() ?? [],
    writeRequests: () => recorder?.writeRequests() ?? 0,
    resetRecording: () => recorder?.reset(),
  };
}

/**
 * A Lambda function's environment for each test: the SDK's DynamoDB client (built by lambdas/aws/shared/
 * store.ts from the environment) pointed at this harness's dynalite, with local credentials; restored after.
 */
export function useLambdaEnvironment(dynalite: DynaliteHarness): void {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynalite.server.endpoint;
    process.env.AWS_REGION = 'eu-central-1';
    process.env.AWS_ACCESS_KEY_ID = 'AKIALOCALTEST0000001';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
  });
  afterEach(() => {
    process.env = { ...saved };
  });
}
