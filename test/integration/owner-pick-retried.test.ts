/**
 * A pick of an owner that is made again for the same lead and handover (ADR 0040's capacity reservations,
 * ADR 0045): the handoff's write lost to a concurrent change (it reads the lead again and decides again), or
 * the task retried after its write was lost. The second pick must not take a new place with another rep while
 * the first rep still holds one for the lead: it picks the same rep again, and a place that is no longer
 * needed (the first rep can no longer take it) is given back.
 *
 * On DynamoDB (dynalite) with the real handoff task. The concurrent change is a real write (an API's write of
 * the lead's state between the pick and the handoff's write), placed at that instant by a store wrapper: the
 * one stand-in here.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { isLive } from '../../lambdas/domain/capacity.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { type LeadStore, updateLead } from '../../lambdas/ports/lead-store.ts';
import { assignOwner } from '../../lambdas/tasks/assign-owner.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, leadState } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const base = loadDefaultSla();
/** equipment sales with Jonas and Lena only, both capped (40), both at work on a Monday morning in Berlin */
const sla: Sla = {
  ...base,
  routing: {
    ...base.routing,
    queues: base.routing.queues.map((queue) =>
      queue.id === 'equipment-sales' ? { ...queue, reps: ['jonas', 'lena'] } : queue,
    ),
  },
};
/** Monday 2026-12-07, 10:00 in Berlin */
const AT = new Date('2026-12-07T09:00:00.000Z');
const notifier = new Proxy({} as Notifier, { get: () => async () => undefined });
const sql = leadState({
  leadId: FIXTURE_LEAD_ID,
  stage: 'sql',
  status: 'new',
  slaVersion: sla.version,
  fields: { country: 'DE' },
});

describe('a pick of an owner made again for the same lead and handover', () => {
  const dynalite = useDynalite();

  function stores() {
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    return store;
  }

  /** the reps holding a live place for the lead */
  async function placesOf(store: LeadStore, leadId: string): Promise<string[]> {
    const holders: string[] = [];
    for (const repId of ['jonas', 'lena'])
      for (const reservation of await store.listCapacityReservations(repId))
        if (reservation.leadId === leadId && isLive(reservation, AT.toISOString())) holders.push(repId);
    return holders;
  }

  it("the handoff's write lost to a concurrent change: the same rep, one place", async () => {
    // Arrange: an SQL with no owner; an API write lands on it between the handoff's pick and its write, once
    const store = stores();
    await store.createLead(sql);
    let raced = false;
    const racing = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'saveLead') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<LeadStore['saveLead']>) => {
          if (!raced) {
            raced = true;
            await updateLead(target, FIXTURE_LEAD_ID, (current) => ({
              ...current,
              fields: { ...current.fields, phone: '+49 30 1234567' },
            }));
          }
          return (target as LeadStore).saveLead(...args);
        };
      },
    });
    const deps: TaskDeps = { sla, store: racing, notifier, clock: { now: () => AT } };

    // Act
    await handoff(deps, {
      leadId: FIXTURE_LEAD_ID,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: AT.toISOString(),
    });

    // Assert: the handoff decided twice; the lead's owner is the only rep holding a place for it
    expect(raced).toBe(true);
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(lead.ownerId).toBeDefined();
    expect(await placesOf(store, FIXTURE_LEAD_ID)).toEqual([lead.ownerId]);
  });

  it('a retried pick whose rep can no longer take the lead gives that place back', async () => {
    // Arrange: a pick that reserved with a rep; its write was lost; the retry may not give it to that rep
    const store = stores();
    const lead = { ...sql, leadId: 'lead-retried-elsewhere' };
    await store.createLead(lead);
    const deps: TaskDeps = { sla, store, notifier, clock: { now: () => AT } };
    const first = await assignOwner(deps, lead, { assignTo: 'queue' });
    expect(await placesOf(store, lead.leadId)).toEqual([first.rep!.id]);

    // Act
    const retried = await assignOwner(deps, lead, { assignTo: 'queue', exclude: [first.rep!.id] });

    // Assert: the other rep, and only they hold a place
    expect(retried.rep!.id).not.toBe(first.rep!.id);
    expect(await placesOf(store, lead.leadId)).toEqual([retried.rep!.id]);
  });

  it('a retried pick with no concurrent change picks the same rep again, taking no second place', async () => {
    // Arrange
    const store = stores();
    const lead = { ...sql, leadId: 'lead-retried-same' };
    await store.createLead(lead);
    const deps: TaskDeps = { sla, store, notifier, clock: { now: () => AT } };
    const first = await assignOwner(deps, lead, { assignTo: 'queue' });

    // Act
    const retried = await assignOwner(deps, lead, { assignTo: 'queue' });

    // Assert
    expect(retried.rep!.id).toBe(first.rep!.id);
    expect(await placesOf(store, lead.leadId)).toEqual([first.rep!.id]);
  });
});
