/** The lead table for a Lambda function: one DynamoDB client per container, or a stand-in when not granted. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventLog } from '../../adapters/dynamodb-event-log.ts';
import { DynamoDbFactLog } from '../../adapters/dynamodb-fact-log.ts';
import { DynamoDbLeadQueries } from '../../adapters/dynamodb-lead-queries.ts';
import { createLeadStoreDocumentClient, DynamoDbLeadStore } from '../../adapters/dynamodb-lead-store.ts';
import { DynamoDbSignInLedger } from '../../adapters/dynamodb-sign-in-ledger.ts';
import { observeWrites } from '../../adapters/observed-lead-store.ts';
import type { Sla } from '../../domain/sla-schema.ts';
import { leadPastContact } from '../../domain/sla-standing.ts';
import { storyCarrier } from '../../domain/story-carry.ts';
import type { EventLog } from '../../ports/events.ts';
import type { LeadQueries } from '../../ports/lead-queries.ts';
import type { LeadStore } from '../../ports/lead-store.ts';
import type { SignInLedger } from '../../ports/sign-in-ledger.ts';
import { ENV, type Env, optionalEnv } from './env.ts';
import { unavailable } from './unavailable.ts';

let client: DynamoDBClient | undefined;

/**
 * With `sla`, every lead state written also writes its report facts (adapters/dynamodb-fact-log.ts), and
 * entries moved off the state carry the facts' walk with them (ADR 0030); without it, its writes move no
 * entries off the state.
 */
export function leadStore(env: Env = process.env, sla?: Sla): LeadStore {
  const tableName = optionalEnv(ENV.tableName, env);
  if (!tableName) return unavailable<LeadStore>('the lead table');
  client ??= new DynamoDBClient({});
  const doc = createLeadStoreDocumentClient(client);
  const itemFormat = optionalEnv(ENV.stateItemFormat, env) === 'plain' ? 'plain' : 'body';
  // without the SLA nothing can carry the facts' walk: its writes leave the moves to a writer that can
  // (the bounce handler, the SLA migration's: a move of theirs lost the lead's carry for good)
  if (!sla) return new DynamoDbLeadStore(doc, { tableName, itemFormat, moveTimeline: false });
  const store = new DynamoDbLeadStore(doc, {
    tableName,
    itemFormat,
    carry: storyCarrier(sla),
    // a lead past its contact phase gets no next-step entry (ADR 0053)
    indexRules: { pastContact: (lead) => leadPastContact(sla, lead) },
  });
  return observeWrites(store, new DynamoDbFactLog(doc, tableName, sla));
}

/** The report facts' writer (the events publisher puts the facts of what it publishes again: ADR 0016). */
export function factLog(sla: Sla, env: Env = process.env): DynamoDbFactLog | undefined {
  const tableName = optionalEnv(ENV.tableName, env);
  if (!tableName) return undefined;
  client ??= new DynamoDBClient({});
  return new DynamoDbFactLog(createLeadStoreDocumentClient(client), tableName, sla);
}

/** Lists and report facts from the table's indexes. */
export function leadQueries(env: Env = process.env): LeadQueries {
  const tableName = optionalEnv(ENV.tableName, env);
  if (!tableName) return unavailable<LeadQueries>('the lead table');
  client ??= new DynamoDBClient({});
  return new DynamoDbLeadQueries(createLeadStoreDocumentClient(client), tableName);
}

/** Events out: leads with entries to publish, and the webhook deliveries (adapters/dynamodb-event-log.ts). */
export function eventLog(env: Env = process.env): EventLog {
  const tableName = optionalEnv(ENV.tableName, env);
  if (!tableName) return unavailable<EventLog>('the lead table');
  client ??= new DynamoDBClient({});
  return new DynamoDbEventLog(createLeadStoreDocumentClient(client), tableName);
}

/** Used console sign-in links (one conditional put each). */
export function signInLedger(env: Env = process.env): SignInLedger {
  const tableName = optionalEnv(ENV.tableName, env);
  if (!tableName) return unavailable<SignInLedger>('the lead table');
  client ??= new DynamoDBClient({});
  return new DynamoDbSignInLedger(createLeadStoreDocumentClient(client), tableName);
}
