/**
 * After a local runtime was killed, what the kill cut off between a lead's write and what follows it, for every lead:
 *
 * Emails claimed and never sent, with nothing due.
 * A wake whose plan ends the lead (it goes dormant, is done) records its emails as sent in its one write and keeps
 * no due time for them (ADR 0038): should it die before its sends are marked, Step Functions retries it on AWS, its
 * Catch records the failure, and past that the failed execution reaches RecordFailure through EventBridge, each of
 * which makes the lead due. A killed `leadpact dev` loses the execution with its retries and the engine's end event,
 * and its restart's reconciler only looks at leads with a due time: such a lead (a cold lead's double opt-in
 * confirmation, written dormant and never sent) waited for good. This is what those paths would have done: each such
 * lead is due when its unsent claims are (their lease, as `dueWhileWorking` puts it), so the reconciler restarts it and
 * the restarted wake sends them.
 *
 * Report facts. They are put after the state they derive from (adapters/observed-lead-store.ts, ADR 0016), and a
 * later write puts only the facts of its own change: a kill in between lost them for good (the chaos review's 8 kills:
 * the report counted 109 of 114 SQLs). Every lead's kept story has its facts put again, each a conditional put under
 * its identity, so only the missing ones land (the latest writes' entries are on the state's tail, ADR 0032).
 *
 * Run at start-up after an unclean stop, with `repairIndexes`, before anything runs.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PARTITION_KEY, SORT_KEY, STATE_SK } from '../lambdas/adapters/table-definition.ts';
import { timelineBase } from '../lambdas/domain/lead-state.ts';
import { confirmSent, dueWhileWorking, type OutboxLease } from '../lambdas/domain/outbox.ts';
import type { LeadWriteObserver } from '../lambdas/ports/lead-queries.ts';
import type { LeadState, LeadStore } from '../lambdas/ports/lead-store.ts';
import { updateLead } from '../lambdas/ports/lead-store.ts';

const LEAD_PREFIX = 'LEAD#';

/** The due time a lead with nothing due needs for the claims no mark confirms; undefined when it needs none. */
function dueForClaims(
  state: LeadState,
  confirmed: readonly string[] | undefined,
  now: Date,
  lease: OutboxLease | undefined,
): string | undefined {
  if (state.dueAt || state.erasedAt) return undefined;
  return dueWhileWorking(confirmSent(state, confirmed), now, '', lease).dueAt;
}

/**
 * Puts every lead's facts again and makes every lead with unsent claims and no due time due when its claims are;
 * returns how many leads it made due.
 */
export async function repairLeadsAfterCrash(
  client: DynamoDBClient,
  tableName: string,
  store: LeadStore,
  facts: LeadWriteObserver,
  now: Date,
  /** the runtime's outbox lease (TaskDeps.outboxLease): a claim made before this start is due at once */
  lease?: OutboxLease,
): Promise<number> {
  const candidates: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        ExclusiveStartKey: start,
        FilterExpression: '#sk = :state',
        ProjectionExpression: '#pk',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
        ExpressionAttributeValues: { ':state': { S: STATE_SK } },
      }),
    );
    for (const item of page.Items ?? []) {
      const pk = item[PARTITION_KEY]?.S;
      if (pk?.startsWith(LEAD_PREFIX)) candidates.push(pk.slice(LEAD_PREFIX.length));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  let made = 0;
  for (const leadId of candidates) {
    const snapshot = await store.loadLead(leadId);
    if (!snapshot) continue;
    if (!snapshot.state.erasedAt) await facts.leadWritten(snapshot.state, timelineBase(snapshot.state));
    if (!dueForClaims(snapshot.state, snapshot.confirmed, now, lease)) continue;
    const { result } = await updateLead(store, leadId, (current) => {
      const dueAt = dueForClaims(current, snapshot.confirmed, now, lease);
      return dueAt ? { ...current, dueAt } : undefined;
    });
    if (result === 'saved') made++;
  }
  return made;
}
