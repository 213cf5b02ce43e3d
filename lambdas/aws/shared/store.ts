/** The lead table for a Lambda function: one DynamoDB client per container, or a stand-in when not granted. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLeadStoreDocumentClient, DynamoDbLeadStore } from '../../adapters/dynamodb-lead-store.ts';
import type { LeadStore } from '../../ports/lead-store.ts';
import { ENV, type Env, optionalEnv } from './env.ts';
import { unavailable } from './unavailable.ts';

let client: DynamoDBClient | undefined;

export function leadStore(env: Env = process.env): LeadStore {
  const tableName = optionalEnv(ENV.tableName, env);
  if (!tableName) return unavailable<LeadStore>('the lead table');
  client ??= new DynamoDBClient({});
  return new DynamoDbLeadStore(createLeadStoreDocumentClient(client), { tableName });
}
