/**
 * A timed action on DynamoDB (dynalite), as a middleware on the client counts it (ADR 0025): Advance's one
 * Query, the park's one conditional PutItem of the state (change, claimed email recorded as sent, token,
 * deadline), and after the send one BatchWriteItem holding the report facts of that write and the outbox
 * mark. The next wake's Query reads the mark.
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
/** handed to Jonas on Monday 09:00 Berlin; the first touch was due by 13:00 Berlin */
const HANDED = '2026-11-30T08:00:00.000Z';
const OVERDUE = new Date('2026-11-30T12:30:00.000Z');

describe('a timed action on DynamoDB: one read, one state write, one write after the send', () => {
  const dynalite = useDynalite();

  it('Query, PutItem of STATE, BatchWriteItem of the facts and the mark; the next wake reads the mark', async () => {
    // Arrange
    const store = observeWrites(
      new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName }),
      new DynamoDbFactLog(dynalite.doc, dynalite.tableName, sla),
    );
    await store.createLead(handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version }));
    const sent: string[] = [];
    const notifier = new Proxy({} as Notifier, {
      get: (_, kind) => async () => void sent.push(String(kind)),
    });
    const deps = { sla, store, clock: { now: () => OVERDUE }, notifier };
    const input = { leadId: FIXTURE_LEAD_ID, cycle: 1, generation: 0, loops: 0, startedAt: HANDED };
    dynalite.resetRecording();

    // Act
    const step = await advance(deps, input);
    const outcome = await park(deps, parkInputOf(step, 'token-1'));
    const commands = dynalite.commands.map((command) =>
      command.sortKey ? `${command.name}:${command.sortKey}` : command.name,
    );
    const snapshot = await store.loadLead(FIXTURE_LEAD_ID);
    const facts = await new DynamoDbLeadQueries(dynalite.doc, dynalite.tableName).listFacts(
      '2026-11-30',
      '2026-11-30',
    );

    // Assert
    expect(outcome).toBe('parked');
    expect(sent).toEqual(['firstTouchOverdue']);
    expect(commands).toEqual(['QueryCommand', 'PutItemCommand:STATE', 'BatchWriteItemCommand']);
    expect(snapshot?.state.waitToken).toBe('token-1');
    expect(snapshot?.confirmed).toEqual([step.planned!.claim]);
    expect(facts.length).toBeGreaterThan(0);
    expect(facts.every((fact) => fact.leadId === FIXTURE_LEAD_ID)).toBe(true);
  });
});
