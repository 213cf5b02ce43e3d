/**
 * DynamoDB's BatchWriteItem takes at most 25 requests (more is a ValidationException for the whole batch).
 * The park writes its change's report facts and its outbox mark in one BatchWriteItem (dynamodb-fact-log.ts,
 * ADR 0025): a change with 25 facts or more (a wake that catches up on a lead down for days: up to 10 rounds,
 * each a breach, an escalation, a handover) was refused whole on AWS, the mark and every fact with it. dynalite
 * refuses it as DynamoDB does. Now the puts go in batches of 25.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbFactLog } from '../../lambdas/adapters/dynamodb-fact-log.ts';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { factsOf } from '../../lambdas/domain/report-facts.ts';
import { useDynalite } from '../support/dynalite.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const AT = '2026-11-30T12:00:00.000Z';

describe("the park's facts and mark in BatchWriteItems of at most 25", () => {
  const dynamo = useDynalite();

  it('writes a change of 40 facts and its mark', async () => {
    // Arrange: one change at one instant with 40 breaches
    const lead = handedOff('2026-11-30T09:00:00.000Z', 'jonas', { leadId: 'LeadManyFacts000000001' });
    const breaches: TimelineEntry[] = Array.from({ length: 40 }, (_, i) => ({
      at: AT,
      kind: 'breach',
      by: 'workflow',
      reasons: [{ rule: `sla.breach-${i}`, detail: `breach ${i}` }],
    }));
    const state = { ...lead, updatedAt: AT, timeline: [...lead.timeline, ...breaches] };
    const expected = factsOf(sla, state).filter((fact) => fact.at >= AT);
    const log = new DynamoDbFactLog(dynamo.doc, dynamo.tableName, sla);

    // Act
    await log.leadWrittenAndSent(state, { claim: 'claim-1', at: AT });

    // Assert
    expect(expected.length).toBeGreaterThanOrEqual(40);
    const stored = await new DynamoDbLeadQueries(dynamo.doc, dynamo.tableName).listFacts(
      AT.slice(0, 10),
      AT.slice(0, 10),
    );
    expect(stored.filter((fact) => fact.leadId === state.leadId)).toHaveLength(expected.length);
    const store = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName });
    expect(await store.isMarkedSent(state.leadId, 'claim-1')).toBe(true);
  });
});
