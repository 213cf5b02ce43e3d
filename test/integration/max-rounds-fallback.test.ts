/**
 * The MAX_ROUNDS fallback at the end of advance() on DynamoDB (dynalite): a wake whose plan keeps asking for
 * an action that changes nothing runs out of rounds. The change of its first rounds (the deal of an owner who
 * left the SLA reassigned by the queue, with its email, and the stale reminder to the new owner) still
 * travels to the park in the fallback's planned write: written once, sent once, and the lead keeps a
 * deadline (an hour on).
 * INJECTED FAULT: the planner (domain/lead-plan.ts planNext, wrapped) adds a stale reminder for a deal stage
 * the SLA does not have to every plan that parks: no plan of a correct planner does that (the last one did,
 * for a deal whose owner had left, and woke it every hour), so a planner bug is the only way here.
 */
import { describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import type { StepPayload } from '../../lambdas/tasks/payload.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff, withDeal } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

vi.mock('../../lambdas/domain/lead-plan.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lambdas/domain/lead-plan.ts')>();
  return {
    ...actual,
    planNext: (...args: Parameters<typeof actual.planNext>) => {
      const plan = actual.planNext(...args);
      if (plan.kind !== 'park') return plan;
      const impossible = {
        type: 'remindStaleDeal',
        stageId: 'no-such-stage',
        since: new Date(0),
        n: 1,
        key: 'x',
      };
      return { ...plan, actions: [...plan.actions, impossible] };
    },
  };
});

const sla = loadDefaultSla();
const HANDED = '2026-11-30T08:00:00.000Z';
const AT = new Date('2026-11-30T12:30:00.000Z');
const HOUR = 3_600_000;
const input = { leadId: FIXTURE_LEAD_ID, cycle: 1, generation: 0, loops: 0, startedAt: HANDED };

describe('a wake that runs out of rounds', () => {
  const dynalite = useDynalite();

  it('parks an hour on with the change of its rounds written by the park: its emails sent once over three wakes', async () => {
    // Arrange: the deal's owner is not in the SLA
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    await store.createLead(
      withDeal(
        handedOff(HANDED, 'ghost', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version }),
        'discovery',
        '2026-11-01T08:00:00.000Z',
      ),
    );
    const sent: string[] = [];
    const notifier = new Proxy({} as Notifier, {
      get: (_, kind) => async () => void sent.push(String(kind)),
    });
    const steps: StepPayload[] = [];
    // Act: three wakes an hour apart, each followed by its park
    for (let n = 0; n < 3; n++) {
      const at = new Date(AT.getTime() + n * HOUR);
      const step = await advance({ sla, store, clock: { now: () => at }, notifier }, input);
      steps.push(step);
      const outcome = await park(
        { sla, store, clock: { now: () => at }, notifier },
        parkInputOf(step, `token-${n}`),
      );
      expect(outcome).toBe('parked');
    }
    // Assert
    expect(steps.map((step) => [step.next, step.waitSeconds])).toEqual([
      ['park', 3600],
      ['park', 3600],
      ['park', 3600],
    ]);
    // ten rounds: the reassignment and the stale reminder in the first two, the impossible action in each
    expect(steps[0]!.did).toHaveLength(12);
    expect(steps[0]!.planned).toBeTruthy();
    expect(sent).toEqual(['reassigned', 'staleDeal']);
    const { state, confirmed = [] } = (await store.loadLead(FIXTURE_LEAD_ID))!;
    expect(state.waitToken).toBe('token-2');
    expect(Date.parse(state.dueAt!)).toBe(AT.getTime() + 3 * HOUR);
    expect((state.outbox ?? []).filter((entry) => !confirmed.includes(entry.claim ?? ''))).toEqual([]);
    expect(state.timeline.filter((entry) => entry.kind === 'owner' && entry.from === 'ghost')).toHaveLength(
      1,
    );
  });
});
