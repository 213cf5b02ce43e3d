/**
 * Records every command a DynamoDB client sends, with the capacity the server reports for it, through a
 * client middleware: a test asserts that no Scan was sent, a benchmark counts requests and write units per
 * operation. Works on any client, e.g. a local runtime's `dynamoDb` or useDynalite's (dynalite.ts).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface RecordedDynamoDbCommand {
  /** the low-level command, e.g. PutItemCommand, QueryCommand, BatchWriteItemCommand */
  readonly name: string;
  /** capacity units the server reported (dynalite charges the table only, not index writes) */
  readonly capacityUnits: number;
  /** requests inside a BatchWriteItem; 0 for other commands */
  readonly batchWrites: number;
  /** the call failed (a failed condition included) */
  readonly failed: boolean;
  /** a single-item write's sort key (e.g. STATE, EVENT#..., ATTEMPT#...): which item it wrote */
  readonly sortKey?: string;
  /** what `options.tag` said when the command was sent (e.g. which function sent it); absent without one */
  readonly tag?: string;
}

export interface DynamoDbRecorderOptions {
  /**
   * Called as each command is sent, in the sender's async context: a bench that runs several functions
   * on one client (the local runtime without IAM enforcement) tells them apart, e.g. with AsyncLocalStorage.
   */
  readonly tag?: () => string | undefined;
  /** false: no ReturnConsumedCapacity on the commands (capacityUnits stay 0) */
  readonly capacity?: boolean;
}

export interface DynamoDbRecorder {
  readonly commands: readonly RecordedDynamoDbCommand[];
  names(): string[];
  /** PutItem, UpdateItem, DeleteItem, and each request inside a BatchWriteItem */
  writeRequests(): number;
  /** capacity units of those writes, as the server reported them */
  writeUnits(): number;
  /** writes (PutItem, UpdateItem) of a lead's state item, the one a wake rewrites */
  stateWrites(): number;
  reset(): void;
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

let recorders = 0;

/**
 * Adds the recording middleware to `client` (commands sent from now on are recorded). `capacity: false`
 * leaves the commands as sent (no ReturnConsumedCapacity; capacityUnits stay 0): sizing every item read
 * and written is work of dynalite's own that a CPU figure must not include (bench/workflow.ts).
 */
export function recordDynamoDbCommands(
  client: DynamoDBClient,
  options: DynamoDbRecorderOptions = {},
): DynamoDbRecorder {
  const capacity = options.capacity ?? true;
  let recorded: RecordedDynamoDbCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      const original = args.input as Record<string, unknown>;
      const input =
        capacity && CAPACITY_COMMANDS.has(name) ? { ReturnConsumedCapacity: 'TOTAL', ...original } : original;
      const batchWrites =
        name === 'BatchWriteItemCommand'
          ? Object.values((input.RequestItems ?? {}) as Record<string, unknown[]>).reduce(
              (sum, requests) => sum + requests.length,
              0,
            )
          : 0;
      const sortKey = sortKeyOf(input);
      const tag = options.tag?.();
      const where = { ...(sortKey === undefined ? {} : { sortKey }), ...(tag === undefined ? {} : { tag }) };
      try {
        const result = await next({ ...args, input });
        recorded.push({
          name,
          capacityUnits: capacityOf(result.output),
          batchWrites,
          failed: false,
          ...where,
        });
        return result;
      } catch (error) {
        recorded.push({ name, capacityUnits: 0, batchWrites, failed: true, ...where });
        throw error;
      }
    },
    { step: 'initialize', name: `leadpactCommandRecorder${++recorders}` },
  );
  const isWrite = (command: RecordedDynamoDbCommand) =>
    WRITE_COMMANDS.has(command.name) || command.name === 'BatchWriteItemCommand';
  return {
    get commands() {
      return recorded;
    },
    names: () => recorded.map((command) => command.name),
    writeRequests: () =>
      recorded.reduce(
        (sum, command) => sum + (WRITE_COMMANDS.has(command.name) ? 1 : 0) + command.batchWrites,
        0,
      ),
    writeUnits: () => recorded.filter(isWrite).reduce((sum, command) => sum + command.capacityUnits, 0),
    stateWrites: () =>
      recorded.filter((command) => WRITE_COMMANDS.has(command.name) && command.sortKey === 'STATE').length,
    reset: () => {
      recorded = [];
    },
  };
}

/** The sort key of a single-item command, from its Item or Key. */
function sortKeyOf(input: Record<string, unknown>): string | undefined {
  // marshalled by then ({ S: 'STATE' }), or still plain when a DocumentClient's command is on its way
  const sk = ((input.Item ?? input.Key) as Record<string, unknown> | undefined)?.sk;
  if (typeof sk === 'string') return sk;
  return (sk as { S?: string } | undefined)?.S;
}

function capacityOf(output: unknown): number {
  const consumed = (output as { ConsumedCapacity?: unknown } | undefined)?.ConsumedCapacity;
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce(
    (sum: number, entry) => sum + ((entry as { CapacityUnits?: number }).CapacityUnits ?? 0),
    0,
  );
}
