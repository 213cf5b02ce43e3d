/**
 * The park's report facts when a claimed email's send fails (dynalite). A write with emails to send tells
 * its facts with the mark after the sends (observeWithMark, ADR 0025); when a send fails, the park marks the
 * failure on the lead and confirms the others: the facts of the park's own write (the ladder's handover
 * here) are still told once, by the entries it added (latestFacts' since), not lost with the mark.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbFactLog } from '../../lambdas/adapters/dynamodb-fact-log.ts';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const HANDED = '2026-11-30T08:00:00.000Z';
/** two days on: the ladder hands the lead to Lena and tells people (emails claimed for the park to send) */
const NOW = new Date('2026-12-02T12:30:00.000Z');

describe('the park when a claimed send fails', () => {
  const dynalite = useDynalite();

  it.each([
    ['every send goes out', false],
    ['the sends fail', true],
  ])("tells the facts of the park's write once (%s)", async (_case, failing) => {
    // Arrange
    const store = observeWrites(
      new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName }),
      new DynamoDbFactLog(dynalite.doc, dynalite.tableName, sla),
    );
    await store.createLead(handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version }));
    const notifier = new Proxy({} as Notifier, {
      get: () => async () => {
        if (failing) throw new Error('mail down');
      },
    });
    const deps = { sla, store, clock: { now: () => NOW }, notifier };
    const step = await advance(deps, {
      leadId: FIXTURE_LEAD_ID,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: HANDED,
    });

    // Act
    const outcome = await park(deps, parkInputOf(step, 'token-1'));
    const facts = await new DynamoDbLeadQueries(dynalite.doc, dynalite.tableName).listFacts(
      '2026-12-02',
      '2026-12-02',
    );

    // Assert
    expect(step.planned?.claim).toBeDefined();
    expect(outcome).toBe(failing ? 'changed' : 'parked');
    expect(facts.filter((fact) => fact.kind === 'handover').map((fact) => fact.rep)).toEqual(['lena']);
  });
});
