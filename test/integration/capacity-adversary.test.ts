/**
 * Capacity under a burst (ADR 0040) where the picks' views of a reservation's expiry differ: two picks whose
 * clocks are a few seconds apart (or whose reads fall either side of the moment) around a reservation that
 * expires. One sees it live and takes the next free position, the other sees it expired and replaces it:
 * two positions for one place, unless a pick checks what it put against what the others put. On dynalite.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { CapacityReservation } from '../../lambdas/domain/capacity.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import { assignOwner } from '../../lambdas/tasks/assign-owner.ts';
import { useDynalite } from '../support/dynalite.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const base = loadDefaultSla();
const only = (capacity: number): Sla => ({
  ...base,
  routing: {
    ...base.routing,
    reps: base.routing.reps.map((rep) => (rep.id === 'jonas' ? { ...rep, capacity } : rep)),
    queues: base.routing.queues.map((queue) =>
      queue.id === 'equipment-sales' ? { ...queue, reps: ['jonas'] } : queue,
    ),
  },
});
describe("assignOwner: picks that differ on a reservation's expiry (ADR 0040)", () => {
  const dynalite = useDynalite();

  it('gives the one place left to one of two picks that read either side of a reservation expiry', async () => {
    // Arrange: Jonas (capacity 2) holds lead x
    const sla = only(2);
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    // X is jonas's open lead, listed by the index, its reservation made 10 minutes ago
    await store.createLead({
      ...handedOff('2026-12-07T08:50:00.000Z', 'jonas', { leadId: 'x' }),
      slaVersion: sla.version,
    });
    expect(
      await store.putCapacityReservation('jonas', {
        position: 0,
        leadId: 'x',
        at: '2026-12-07T08:50:00.000Z',
      }),
    ).toBe(true);
    // both picks read the reservations before either puts
    let waiting: (() => void)[] = [];
    const barrier: LeadStore = Object.create(store);
    let listed = 0;
    barrier.listCapacityReservations = async (repId: string): Promise<CapacityReservation[]> => {
      const list = await store.listCapacityReservations(repId);
      if (++listed <= 2) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === 2) {
            for (const go of waiting) go();
            waiting = [];
          }
        });
      }
      return list;
    };
    const pick = (leadId: string, now: string) =>
      assignOwner(
        { sla, store: barrier, clock: { now: () => new Date(now) } } as never,
        handedOff('2026-12-07T08:00:00.000Z', 'nobody', { leadId }),
        { assignTo: 'queue' },
      );
    // Act: one pick's clock a second before x's reservation expires, the other's a second after
    const [a, b] = await Promise.all([
      pick('a', '2026-12-07T08:59:59.000Z'),
      pick('b', '2026-12-07T09:00:01.000Z'),
    ]);
    // Assert: x and one of them (before: x, a and b, the second pick at position 1 and the first at 0)
    expect([a.rep?.id ?? 'none', b.rep?.id ?? 'none'].sort()).toEqual(['jonas', 'none']);
    const reservations = await store.listCapacityReservations('jonas');
    const live = reservations.filter((r) => Date.parse(r.at) > Date.parse('2026-12-07T08:55:00.000Z'));
    expect(live.map((r) => r.leadId)).toEqual([a.rep ? 'a' : 'b']);
  });

  it('gives a burst of 60 picks at once on one rep of capacity 50 a place each or nobody, failing none', async () => {
    // Arrange: 20 ms per request, so that the picks overlap as concurrent Lambdas do (burst.test.ts)
    const sla = only(50);
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    dynalite.client.middlewareStack.add(
      (next) => async (args) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return next(args);
      },
      { step: 'initialize', name: 'roundTrip' },
    );
    const deps = { sla, store, clock: { now: () => new Date('2026-12-07T09:00:00.000Z') } } as never;
    // Act
    const picks = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        assignOwner(deps, handedOff('2026-12-07T08:00:00.000Z', 'nobody', { leadId: `burst-${i}` }), {
          assignTo: 'queue',
        }),
      ),
    ).finally(() => dynalite.client.middlewareStack.remove('roundTrip'));
    // Assert: before, picks that lost 12 rounds to the others threw (a failed Handoff task, retried by the
    // state machine, but a function error: the HandoffErrors alarm's threshold is 1)
    const outcome: Record<string, number> = {};
    for (const pick of picks) {
      const key = pick.status === 'rejected' ? String(pick.reason) : (pick.value.rep?.id ?? 'none');
      outcome[key] = (outcome[key] ?? 0) + 1;
    }
    expect(outcome).toEqual({ jonas: 50, none: 10 });
  }, 60_000);

  it('holds capacity for a mixed burst, handoffs and reassignments, whose clocks differ by seconds around expiring reservations', async () => {
    // Arrange: Jonas (capacity 4) holds x0-x2, their reservations made 10 minutes ago; 20 ms per request
    const sla = only(4);
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    for (let i = 0; i < 3; i++) {
      await store.createLead({
        ...handedOff('2026-12-07T08:50:00.000Z', 'jonas', { leadId: `x${i}` }),
        slaVersion: sla.version,
      });
      await store.putCapacityReservation('jonas', {
        position: i,
        leadId: `x${i}`,
        at: `2026-12-07T08:50:0${i}.000Z`,
      });
    }
    dynalite.client.middlewareStack.add(
      (next) => async (args) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return next(args);
      },
      { step: 'initialize', name: 'roundTrip' },
    );
    // Act: 12 picks, clocks from 08:59:58 to 09:00:03.5, every third a reassignment away from Mats
    const picks = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const now = new Date(Date.parse('2026-12-07T08:59:58.000Z') + i * 500);
        return assignOwner(
          { sla, store, clock: { now: () => now } } as never,
          handedOff('2026-12-07T08:00:00.000Z', i % 3 === 0 ? 'mats' : 'nobody', { leadId: `burst-${i}` }),
          { assignTo: 'queue', ...(i % 3 === 0 ? { exclude: ['mats'] } : {}) },
        );
      }),
    ).finally(() => dynalite.client.middlewareStack.remove('roundTrip'));
    // Assert: one more for Jonas, whichever it is
    expect(picks.filter((pick) => pick.rep?.id === 'jonas')).toHaveLength(1);
  }, 60_000);
});
