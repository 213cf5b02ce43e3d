/**
 * `leadpact dev` in one process: dynalite (in memory, or on disk with a data directory), the
 * DynamoDB adapter pointed at it, and the API server running the same handler modules Lambda
 * runs. No AWS account, no Docker.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLeadStoreDocumentClient, DynamoDbLeadStore } from '../lambdas/adapters/dynamodb-lead-store.ts';
import type { ApiDeps } from '../lambdas/api/deps.ts';
import type { Sla } from '../lambdas/domain/sla-schema.ts';
import { type Clock, systemClock } from '../lambdas/ports/clock.ts';
import { ensureTable, localDynamoDbClient, startDynalite } from './dynalite.ts';
import { startApiServer } from './http-server.ts';
import { RecordingWorkflow } from './recording-workflow.ts';

export const LOCAL_TABLE = 'leadpact-local';

export interface LocalRuntimeOptions {
  readonly sla: Sla;
  /** 0 picks a free port */
  readonly port?: number;
  /** keep DynamoDB data (and the lead-id secret) here across restarts; in memory when omitted */
  readonly dataDir?: string;
  readonly adminToken?: string;
  readonly allowedOrigins?: readonly string[];
  readonly clock?: Clock;
  readonly rateLimit?: { perMinute: number; burst: number };
}

export interface LocalRuntime {
  readonly url: string;
  readonly adminToken: string;
  readonly dynamoEndpoint: string;
  readonly deps: ApiDeps;
  readonly workflow: RecordingWorkflow;
  close(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const dynamo = await startDynalite(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {});
  const client = localDynamoDbClient(dynamo.endpoint);
  await ensureTable(client, LOCAL_TABLE);
  const workflow = new RecordingWorkflow();
  const deps: ApiDeps = {
    sla: options.sla,
    store: new DynamoDbLeadStore(createLeadStoreDocumentClient(client), { tableName: LOCAL_TABLE }),
    workflow,
    clock: options.clock ?? systemClock,
    leadIdSecret: await leadIdSecret(options.dataDir),
    allowedOrigins: options.allowedOrigins ?? [],
  };
  const adminToken = options.adminToken ?? randomBytes(18).toString('base64url');
  const server = await startApiServer({
    deps,
    adminToken,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  return {
    url: server.url,
    adminToken,
    dynamoEndpoint: dynamo.endpoint,
    deps,
    workflow,
    async close() {
      await server.close();
      client.destroy();
      await dynamo.close();
    },
  };
}

/** Lead ids must stay stable across restarts of a data directory, so its secret is kept there. */
async function leadIdSecret(dataDir: string | undefined): Promise<string> {
  const fromEnv = process.env.LEADPACT_LEAD_ID_SECRET;
  if (fromEnv) return fromEnv;
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, 'lead-id-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}
