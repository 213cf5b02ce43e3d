/**
 * ADR 0049 on DynamoDB (dynalite): Advance's inline handoff under injected faults, on the real ASL
 * (aws-local-stepfunctions), the real task handlers and DynamoDbLeadStore; virtual time.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import { useDynalite } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { exampleLead, workflowHarness } from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');
const sla = loadDefaultSla();

describe("Advance's inline handoff on dynalite (ADR 0049)", () => {
  const dynalite = useDynalite();
  const newStore = () =>
    new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName, carry: storyCarrier(sla) });

  it('its "New SQL" send fails once: the Handoff state takes it, the rep gets it once, within the minute', async () => {
    // Arrange
    const store = newStore();
    const turns: string[] = [];
    const nextTurn = store.nextTurn.bind(store);
    store.nextTurn = async (queue) => {
      turns.push(queue);
      return nextTurn(queue);
    };
    const h = workflowHarness({ start: T0, sla, store });
    let calls = 0;
    h.notifier.failWhen = (n) => n.kind === 'sqlAssigned' && calls++ === 0;
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo(new Date(T0.getTime() + 10 * 60_000));
    // Assert
    const lead = await h.lead(leadId);
    expect(lead).toMatchObject({ ownerId: 'jonas', handedOffAt: T0.toISOString() });
    expect(h.executions(leadId)[0]!.statesVisited.slice(0, 4)).toEqual([
      'Advance',
      'Park',
      'Handoff',
      'Park',
    ]);
    const newSql = h.notificationsOf(leadId).filter((n) => n.kind === 'sqlAssigned');
    expect(newSql).toHaveLength(1);
    expect(newSql[0]!.at < '2026-11-30T08:01:00.000Z').toBe(true);
    expect(turns.length).toBeLessThanOrEqual(1);
  });

  it('Advance dies after the handoff wrote the owner, before the send (Lambda.Unknown): its retry leaves one owner and one place; "New SQL" goes out once', async () => {
    // Arrange
    const store = newStore();
    const h = workflowHarness({ start: T0, sla, store });
    const tasks = (h.engine as unknown as { tasks: Record<string, (input: unknown) => Promise<unknown>> })
      .tasks;
    const advanceTask = tasks.advance!;
    const saveLead = store.saveLead.bind(store);
    let dying = false;
    let died = false;
    store.saveLead = async (...args: Parameters<typeof saveLead>) => {
      const result = await saveLead(...args);
      if (dying && args[0].ownerId !== undefined && result === 'saved') {
        dying = false;
        died = true;
        throw Object.assign(new Error('Process exited'), { name: 'Lambda.Unknown' });
      }
      return result;
    };
    let first = true;
    tasks.advance = async (input) => {
      if (!first) return advanceTask(input);
      first = false;
      // the process dies inside the inline handoff: nothing of advanceStep's catch runs
      const step = await advance(h.taskDeps, input as never);
      dying = true;
      await handoff(h.taskDeps, step);
      throw new Error('the handoff was to die before its send');
    };
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo(new Date(T0.getTime() + 20 * 60_000));
    // Assert
    expect(died).toBe(true);
    const lead = await h.lead(leadId);
    expect(lead).toMatchObject({ ownerId: 'jonas', handedOffAt: T0.toISOString() });
    expect(h.notificationsOf(leadId).filter((n) => n.kind === 'sqlAssigned')).toHaveLength(1);
    const places = [
      ...(await store.listCapacityReservations('jonas')),
      ...(await store.listCapacityReservations('lena')),
    ].filter((place) => place.leadId === leadId);
    expect(places).toHaveLength(1);
    expect(h.executions(leadId)[0]!.status).toBe('PARKED');
  });
});
