/**
 * One in-process dynalite per test file (beforeAll/afterAll), a fresh table per test (beforeEach), and a
 * recorder on the client: every command sent, with the capacity dynalite reports for it, so a test can assert
 * that no Scan was ever sent and count requests (and, for benchmarks, units) per operation.
 *
 * Call useDynalite() inside a describe (or at the top of a file); read its fields inside tests and hooks.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createLeadStoreDocumentClient } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import {
  type DynaliteServer,
  ensureTable,
  localDynamoDbClient,
  startDynalite,
} from '../../local/dynalite.ts';

export interface RecordedCommand {
  /** the low-level command, e.g. PutItemCommand, QueryCommand, BatchWriteItemCommand */
  readonly name: string;
  /** capacity units dynalite reported (table only: dynalite does not charge index writes) */
  readonly capacityUnits: number;
  readonly failed: boolean;
}

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

const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);
/** commands whose input takes ReturnConsumedCapacity */
const CAPACITY_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
]);

interface Recorded extends RecordedCommand {
  readonly batchWrites: number;
}

export function useDynalite(): DynaliteHarness {
  let server: DynaliteServer | undefined;
  let client: DynamoDBClient | undefined;
  let doc: DynamoDBDocumentClient | undefined;
  let tableName: string | undefined;
  let recorded: Recorded[] = [];
  let tables = 0;
  const fileTag = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    server = await startDynalite();
    client = localDynamoDbClient(server.endpoint);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = context.commandName ?? 'unknown';
        const original = args.input as Record<string, unknown>;
        const input = CAPACITY_COMMANDS.has(name)
          ? { ReturnConsumedCapacity: 'TOTAL', ...original }
          : original;
        const batchWrites =
          name === 'BatchWriteItemCommand'
            ? Object.values((input.RequestItems ?? {}) as Record<string, unknown[]>).reduce(
                (sum, requests) => sum + requests.length,
                0,
              )
            : 0;
        try {
          const result = await next({ ...args, input });
          recorded.push({ name, capacityUnits: capacityOf(result.output), failed: false, batchWrites });
          return result;
        } catch (error) {
          recorded.push({ name, capacityUnits: 0, failed: true, batchWrites });
          throw error;
        }
      },
      { step: 'initialize', name: 'leadpactCommandRecorder', override: true },
    );
    doc = createLeadStoreDocumentClient(client);
  });

  beforeEach(async () => {
    tableName = `leads-${fileTag}-${++tables}`;
    await ensureTable(client!, tableName);
    recorded = [];
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
    get commands() {
      return recorded.map(({ name, capacityUnits, failed }) => ({ name, capacityUnits, failed }));
    },
    commandNames: () => recorded.map((command) => command.name),
    writeRequests: () =>
      recorded.reduce(
        (sum, command) => sum + (WRITE_COMMANDS.has(command.name) ? 1 : 0) + command.batchWrites,
        0,
      ),
    resetRecording: () => {
      recorded = [];
    },
  };
}

function capacityOf(output: unknown): number {
  const consumed = (output as { ConsumedCapacity?: unknown } | undefined)?.ConsumedCapacity;
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce(
    (sum: number, entry) => sum + ((entry as { CapacityUnits?: number }).CapacityUnits ?? 0),
    0,
  );
}
