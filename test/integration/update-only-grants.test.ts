/**
 * RecordFailure and MailFeedback are granted GetItem and PutItem on the table, no Query (lib/store.ts
 * grantUpdateLeads), Park UpdateItem only (grantParkLeads); test/cdk/stack.test.ts asserts the
 * statements. This shows each grant is enough: each runs its real code through the DynamoDB adapter
 * on dynalite, and every command it sends is one of the granted ones.
 */
import { describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { opsOnlyNotifier } from '../../lambdas/aws/shared/mail.ts';
import { applyMailFeedback } from '../../lambdas/aws/shared/mail-feedback.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { recordFailure } from '../../lambdas/tasks/record-failure.ts';
import { useDynalite } from '../support/dynalite.ts';
import { leadState } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const GRANTED = ['GetItemCommand', 'PutItemCommand'];
const clock = { now: () => new Date('2026-11-30T12:00:00.000Z') };

describe('functions granted GetItem and PutItem only', () => {
  const dynalite = useDynalite();

  async function storeWithLead() {
    const store = new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName });
    const lead = leadState({ leadId: 'L1', email: 'petra@plant.example', version: 4 });
    await store.createLead(lead);
    dynalite.resetRecording();
    return { store, lead };
  }

  it('Park stores its token with one UpdateItem', async () => {
    // Arrange
    const { store } = await storeWithLead();
    // Act
    const outcome = await park(
      { store, clock },
      {
        leadId: 'L1',
        cycle: 1,
        generation: 2,
        phase: 'nurture',
        version: 4,
        waitSeconds: 60,
        taskToken: 't',
      },
    );
    // Assert
    expect(outcome).toBe('parked');
    expect((await store.getLead('L1'))?.waitToken).toBe('t');
    // (the getLead above is the test's own read)
    expect(dynalite.commandNames().slice(0, -1)).toEqual(['UpdateItemCommand']);
  });

  it('RecordFailure records the error with GetItem and PutItem', async () => {
    // Arrange
    const { store } = await storeWithLead();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // Act
    await recordFailure(
      { sla: loadDefaultSla(), store, clock, notifier: opsOnlyNotifier(undefined, undefined) },
      { leadId: 'L1', cycle: 1, generation: 1, error: { Error: 'Lambda.Unknown', Cause: 'boom' } },
    );
    // Assert
    expect((await store.getLead('L1'))?.workflowError).toMatchObject({ error: 'Lambda.Unknown', count: 1 });
    expect(dynalite.commandNames().filter((name) => !GRANTED.includes(name))).toEqual([]);
    expect(dynalite.commandNames()).toContain('PutItemCommand');
  });

  it('MailFeedback marks the lead undeliverable with GetItem and PutItem', async () => {
    // Arrange
    const { store } = await storeWithLead();
    vi.spyOn(console, 'info').mockImplementation(() => undefined);
    // Act
    const outcome = await applyMailFeedback(
      { store, clock },
      {
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'petra@plant.example' }] },
        mail: { tags: { leadId: ['L1'], kind: ['nurture'] } },
      },
    );
    // Assert
    expect(outcome).toBe('marked');
    expect((await store.getLead('L1'))?.undeliverable).toBe(true);
    expect(dynalite.commandNames().filter((name) => !GRANTED.includes(name))).toEqual([]);
    expect(dynalite.commandNames()).toContain('PutItemCommand');
  });
});
