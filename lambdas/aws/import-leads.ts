/**
 * Lambda entry point: the bulk-import queue (lib/import.ts). Each message is one lead; this consumer
 * stores it and starts its workflow at a bounded rate (shared/import-batch.ts).
 */
import './shared/source-mapped-stacks.ts';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { apiDeps } from './shared/api-deps.ts';
import { ENV, requiredEnv } from './shared/env.ts';
import { importBatch } from './shared/import-batch.ts';

const deps = await apiDeps();
const perSecond = Number(requiredEnv(ENV.importStartsPerSecond));

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> =>
  importBatch(deps, event.Records, { perSecond });
