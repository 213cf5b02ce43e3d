/**
 * ADR 0049: Advance runs the handoff in the same invocation; a handoff that throws there falls back to the
 * Handoff state. Faults injected at each point of the inline handoff (the send, the store's writes), on the
 * real ASL (aws-local-stepfunctions), the real task handlers and MemoryLeadStore, virtual time.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { isLive } from '../../lambdas/domain/capacity.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { exampleLead, workflowHarness } from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');

/** the handoff's write: the first one that gives the lead an owner */
const firstOwnerWrite = async (store: MemoryLeadStore, state: LeadState): Promise<boolean> =>
  state.ownerId !== undefined && (await store.getLead(state.leadId))?.ownerId === undefined;

/** A store that records each rotation turn taken (the queue's id). */
function storeCountingTurns(): { store: MemoryLeadStore; turns: string[] } {
  const store = new MemoryLeadStore();
  const turns: string[] = [];
  const nextTurn = store.nextTurn.bind(store);
  store.nextTurn = async (queue) => {
    turns.push(queue);
    return nextTurn(queue);
  };
  return { store, turns };
}

describe('the inline handoff fails (ADR 0049)', () => {
  it('its "new SQL" send fails once: the rep gets it once, one owner, one rotation turn', async () => {
    // Arrange
    const { store, turns } = storeCountingTurns();
    const h = workflowHarness({ start: T0, store });
    let calls = 0;
    h.notifier.failWhen = (n) => n.kind === 'sqlAssigned' && calls++ === 0;
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo(new Date(T0.getTime() + 10 * 60_000));
    // Assert
    const lead = await h.lead(leadId);
    expect(lead.ownerId).toBe('jonas');
    expect(h.notifier.failures.map((n) => n.kind)).toEqual(['sqlAssigned']);
    const newSql = h.notificationsOf(leadId).filter((n) => n.kind === 'sqlAssigned');
    expect(newSql).toHaveLength(1);
    // the Handoff state parks it a moment (the failed claim is due at once), and the next wake sends it
    expect(newSql[0]!.at < '2026-11-30T08:01:00.000Z').toBe(true);
    expect(lead.handedOffAt).toBe(T0.toISOString());
    expect(turns.length).toBeLessThanOrEqual(1);
  });

  it('the handoff write throws once (before anything was written): handed off once by the Handoff state', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const saveLead = store.saveLead.bind(store);
    let failNext = false;
    let failed = 0;
    store.saveLead = async (state, expected) => {
      const owning = await firstOwnerWrite(store, state);
      if (failNext && owning) {
        failNext = false;
        failed++;
        throw Object.assign(new Error('Throughput exceeds'), {
          name: 'ProvisionedThroughputExceededException',
        });
      }
      return saveLead(state, expected);
    };
    const h = workflowHarness({ start: T0, store });
    failNext = true;
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo(new Date(T0.getTime() + 10 * 60_000));
    // Assert
    expect(failed).toBe(1);
    const lead = await h.lead(leadId);
    expect(lead.ownerId).toBe('jonas');
    expect(h.notificationsOf(leadId).filter((n) => n.kind === 'sqlAssigned')).toHaveLength(1);
  });

  it('the handoff write lands and its answer is lost (throws after): the Handoff state sends the email once', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const saveLead = store.saveLead.bind(store);
    let failNext = true;
    store.saveLead = async (state, expected) => {
      const owning = await firstOwnerWrite(store, state);
      const result = await saveLead(state, expected);
      if (failNext && owning) {
        failNext = false;
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      }
      return result;
    };
    const h = workflowHarness({ start: T0, store });
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo(new Date(T0.getTime() + 20 * 60_000));
    // Assert
    const lead = await h.lead(leadId);
    expect(lead.ownerId).toBe('jonas');
    expect(h.notificationsOf(leadId).filter((n) => n.kind === 'sqlAssigned')).toHaveLength(1);
  });

  it('the mark after the send throws: the email is not sent again', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const markSent = store.markSent.bind(store);
    let fail = true;
    store.markSent = async (...args: Parameters<typeof markSent>) => {
      if (fail) {
        fail = false;
        throw Object.assign(new Error('Throughput exceeds'), {
          name: 'ProvisionedThroughputExceededException',
        });
      }
      return markSent(...args);
    };
    const h = workflowHarness({ start: T0, store });
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo(new Date(T0.getTime() + 20 * 60_000));
    // Assert
    const lead = await h.lead(leadId);
    expect(lead.ownerId).toBe('jonas');
    expect(h.notificationsOf(leadId).filter((n) => n.kind === 'sqlAssigned')).toHaveLength(1);
  });
});

describe('the Advance invocation dies around its inline handoff (Lambda.Unknown: its Retry)', () => {
  const lambdaUnknown = () => Object.assign(new Error('Process exited'), { name: 'Lambda.Unknown' });

  it('after the whole handoff (sent and marked), before it answers: the retry sends nothing again, takes no turn', async () => {
    // Arrange
    const { store, turns } = storeCountingTurns();
    const h = workflowHarness({ start: T0, store });
    const tasks = (h.engine as unknown as { tasks: Record<string, (input: unknown) => Promise<unknown>> })
      .tasks;
    const advanceTask = tasks.advance!;
    let crashes = 0;
    tasks.advance = async (input) => {
      const step = await advanceTask(input);
      if (crashes++ === 0) throw lambdaUnknown();
      return step;
    };
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo(new Date(T0.getTime() + 20 * 60_000));
    // Assert
    const lead = await h.lead(leadId);
    expect(lead.ownerId).toBe('jonas');
    expect(lead.handedOffAt).toBe(T0.toISOString());
    expect(h.notificationsOf(leadId).filter((n) => n.kind === 'sqlAssigned')).toHaveLength(1);
    expect(turns.length).toBeLessThanOrEqual(1);
  });

  it('after the handoff write, before the send: the retry leaves one owner, and the email goes out once', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const h = workflowHarness({ start: T0, store });
    const saveLead = store.saveLead.bind(store);
    let dieAfterWrite = true;
    store.saveLead = async (state, expected) => {
      const owning = await firstOwnerWrite(store, state);
      const result = await saveLead(state, expected);
      if (dieAfterWrite && owning) {
        dieAfterWrite = false;
        throw lambdaUnknown();
      }
      return result;
    };
    const tasks = (h.engine as unknown as { tasks: Record<string, (input: unknown) => Promise<unknown>> })
      .tasks;
    const advanceTask = tasks.advance!;
    const { advance } = await import('../../lambdas/tasks/advance.ts');
    const { handoff } = await import('../../lambdas/tasks/handoff.ts');
    let first = true;
    tasks.advance = async (input) => {
      if (!first) return advanceTask(input);
      first = false;
      // the process dies inside the inline handoff: nothing of advanceStep's catch runs
      const step = await advance(h.taskDeps, input as never);
      await handoff(h.taskDeps, step);
      throw new Error('unreachable');
    };
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo(new Date(T0.getTime() + 20 * 60_000));
    // Assert
    const lead = await h.lead(leadId);
    expect(lead.ownerId).toBe('jonas');
    expect(lead.handedOffAt).toBe(T0.toISOString());
    expect(h.notificationsOf(leadId).filter((n) => n.kind === 'sqlAssigned')).toHaveLength(1);
  });
});

describe('nobody can take the lead, handed off inline (ADR 0049)', () => {
  it('the manager is told once, even when that send fails once; Advance tries again hourly; no owner', async () => {
    // Arrange
    const { everyoneAway, loadDefaultSla } = await import('../support/sla.ts');
    const h = workflowHarness({ start: T0, sla: everyoneAway(loadDefaultSla()) });
    let calls = 0;
    h.notifier.failWhen = (n) => n.kind === 'managerTakeover' && calls++ === 0;
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo(new Date(T0.getTime() + 3.5 * 3_600_000));
    // Assert
    const lead = await h.lead(leadId);
    expect(lead.ownerId).toBeUndefined();
    expect(h.notificationsOf(leadId).filter((n) => n.kind === 'managerTakeover')).toHaveLength(1);
    expect(
      h.notificationsOf(leadId).filter((n) => n.kind === 'managerTakeover')[0]!.at <
        '2026-11-30T08:05:00.000Z',
    ).toBe(true);
    const [execution] = h.executions(leadId);
    expect(execution!.status).toBe('PARKED');
  });
});

describe('a write races the inline handoff (ADR 0049)', () => {
  it('an API write lands just before the handoff write: handed off once, one turn, one place, one email', async () => {
    // Arrange
    const { store, turns } = storeCountingTurns();
    const saveLead = store.saveLead.bind(store);
    let race = true;
    store.saveLead = async (state, expected) => {
      const owning = await firstOwnerWrite(store, state);
      if (race && owning) {
        race = false;
        const current = (await store.getLead(state.leadId))!;
        await saveLead(
          {
            ...current,
            fields: { ...current.fields, phone: '+49 30 1234567' },
            version: current.version + 1,
          },
          current.version,
        );
      }
      return saveLead(state, expected);
    };
    const h = workflowHarness({ start: T0, store });
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo(new Date(T0.getTime() + 20 * 60_000));
    // Assert
    expect(race).toBe(false);
    const lead = await h.lead(leadId);
    expect(lead.ownerId).toBe('jonas');
    expect(lead.fields.phone).toBe('+49 30 1234567');
    expect(h.notificationsOf(leadId).filter((n) => n.kind === 'sqlAssigned')).toHaveLength(1);
    expect(turns.length).toBeLessThanOrEqual(1);
  });
});

describe('erase races the inline handoff (ADR 0049)', () => {
  it('the lead is erased just before the handoff write: no owner, no "new SQL" email, the execution ends', async () => {
    // Arrange
    const { deleteLeadHandler } = await import('../../lambdas/api/lead-erase.ts');
    const store = new MemoryLeadStore();
    const h = workflowHarness({ start: T0, store });
    const saveLead = store.saveLead.bind(store);
    let race = true;
    let erased: unknown;
    store.saveLead = async (state, expected) => {
      const owning = await firstOwnerWrite(store, state);
      if (race && owning) {
        race = false;
        const path = `/leads/${state.leadId}`;
        erased = await deleteLeadHandler(h.apiDeps)(
          {
            version: '2.0',
            routeKey: 'DELETE /leads/{id}',
            rawPath: path,
            rawQueryString: '',
            headers: {},
            pathParameters: { id: state.leadId },
            requestContext: { http: { method: 'DELETE', path }, authorizer: { principalId: 'test' } },
            isBase64Encoded: false,
          } as never,
          {} as never,
        );
      }
      return saveLead(state, expected);
    };
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    const now = h.clock.now().toISOString();
    const picked = (
      await Promise.all(h.sla.routing.reps.map((rep) => store.listCapacityReservations(rep.id)))
    ).flat();
    await h.advanceTo(new Date(T0.getTime() + 20 * 60_000));
    // Assert
    expect(race).toBe(false);
    expect(erased).toMatchObject({ statusCode: 200 });
    // the place the pick reserved with a capped rep is given back at once (it held one of that rep's places
    // for the reservation's life, 10 minutes)
    expect(picked.some((reservation) => reservation.leadId === leadId)).toBe(true);
    expect(picked.filter((r) => r.leadId === leadId && isLive(r, now))).toEqual([]);
    const lead = await store.getLead(leadId);
    expect(lead?.ownerId).toBeUndefined();
    expect(h.notificationsOf(leadId).filter((n) => n.kind === 'sqlAssigned')).toHaveLength(0);
  });
});
