/**
 * A lead or an open deal whose owner is no longer a rep of the SLA (ops removed them from the yaml, a new
 * version was deployed). As a CRM admin expects when a user leaves: the queue's rotation gives it to a rep
 * who is there (a reassignment, its story entry saying why), or, when nobody of the queue can take it, its
 * manager is told once, and it waits for news without waking every hour. On DynamoDB (dynalite) with the
 * real tasks (advance, park, handoff), wake after wake at each park's deadline, as the state machine runs
 * them; the notifier records what it was asked to send.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { MemoryLeadQueries } from '../../lambdas/adapters/memory-lead-queries.ts';
import { assignedKey } from '../../lambdas/domain/lead-plan.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { migrateLead } from '../../lambdas/domain/sla-migration.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff, withDeal } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { changedSlaText, JONAS_TO_LENA } from '../support/sla-change.ts';

const sla = loadDefaultSla();
/** the equipment-sales queue with Mats alone, who is out of office 2026-12-21 to 2027-01-03 */
const matsOnly: Sla = {
  ...sla,
  routing: {
    ...sla.routing,
    queues: sla.routing.queues.map((queue) => ({ ...queue, reps: ['mats'] })),
  },
};
const DAY = 86_400_000;
const queueReps = sla.routing.queues.find((queue) => queue.id === 'equipment-sales')!.reps;

/** Ghost's leads, handed off a week before `at` (Ghost has left: the SLA names no such rep). */
const ghosts: [string, (at: string) => LeadState][] = [
  ['an SQL waiting for its first touch', (at) => handedOff(at, 'ghost', { leadId: FIXTURE_LEAD_ID })],
  [
    'a connected lead waiting for its deal',
    (at) => handedOff(at, 'ghost', { leadId: FIXTURE_LEAD_ID, status: 'connected' }),
  ],
  [
    'an open deal in Discovery, its stale reminder due',
    (at) =>
      withDeal(handedOff(at, 'ghost', { leadId: FIXTURE_LEAD_ID }), 'discovery', '2026-11-01T08:00:00.000Z'),
  ],
];

interface Sent {
  readonly kind: string;
  readonly to: string;
}

/** records each email: its kind and the rep (or manager) it goes to */
function recordingNotifier(sent: Sent[]): Notifier {
  return new Proxy({} as Notifier, {
    get:
      (_, kind) =>
      async (...args: unknown[]) => {
        const to = (args.slice(1).find((arg) => typeof arg === 'object' && arg && 'id' in arg) ?? {}) as {
          id?: string;
        };
        const target = kind === 'reassigned' ? (args[2] as { id: string }) : to;
        sent.push({ kind: String(kind), to: target.id ?? 'ops' });
      },
  });
}

describe('a lead whose owner has left the SLA', () => {
  const dynalite = useDynalite();

  /** Runs the lead's wakes from `from` for `days`, each at its park's deadline; answers how many ran. */
  async function wakes(deps: Omit<TaskDeps, 'clock'>, from: Date, days: number): Promise<number> {
    let at = from;
    let count = 0;
    const input = {
      leadId: FIXTURE_LEAD_ID,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: from.toISOString(),
    };
    while (at.getTime() < from.getTime() + days * DAY && count < 500) {
      const now = at;
      const clock = { now: () => now };
      let step = await advance({ ...deps, clock }, input);
      if (step.next === 'handoff') step = await handoff({ ...deps, clock }, input);
      count++;
      if (step.next !== 'park') break;
      expect(await park({ ...deps, clock }, parkInputOf(step, `token-${count}`))).toBe('parked');
      at = new Date(at.getTime() + step.waitSeconds! * 1000);
    }
    return count;
  }

  it.each(ghosts)(
    '%s: given to a rep of its queue by the rotation, the story saying why, the new owner told',
    async (_, ghostLead) => {
      // Arrange: Monday 2026-12-07 10:00 Berlin
      const at = new Date('2026-12-07T09:00:00.000Z');
      const store = new DynamoDbLeadStore(dynalite.doc, {
        tableName: dynalite.tableName,
        carry: storyCarrier(sla),
      });
      await store.createLead({ ...ghostLead('2026-11-30T08:00:00.000Z'), slaVersion: sla.version });
      const sent: Sent[] = [];
      // Act: the wakes of an hour (the new owner's first-touch window is four business hours)
      await wakes({ sla, store, notifier: recordingNotifier(sent) }, at, 1 / 24);
      // Assert
      const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
      expect(lead.ownerId).not.toBe('ghost');
      expect(queueReps).toContain(lead.ownerId);
      const handover = lead.timeline.find((entry) => entry.kind === 'owner' && entry.from === 'ghost');
      expect(handover).toMatchObject({ to: lead.ownerId, by: 'workflow' });
      expect(handover?.reasons[0]).toEqual({
        rule: 'routing.ownerMissing',
        detail: 'ghost is no longer in the SLA',
      });
      expect(sent.filter((email) => email.kind === 'reassigned')).toEqual([
        { kind: 'reassigned', to: lead.ownerId },
      ]);
      expect(sent.filter((email) => email.kind === 'managerTakeover')).toEqual([]);
      if (lead.deal) {
        // the stale reminder goes to the new owner, once; the deal stays where it was
        expect(sent.filter((email) => email.kind === 'staleDeal')).toEqual([
          { kind: 'staleDeal', to: lead.ownerId },
        ]);
        expect(lead.deal.stageId).toBe('discovery');
      }
    },
  );

  it('an SLA change that removes the rep a person had just given the lead to: the successor is told once, the rep who was told hears where it went', async () => {
    // Arrange: Mats had the lead and was told; a person gave it to Jonas, and the workflow had not woken
    // to tell anyone when a new SLA without Jonas (his leads to Lena) was deployed
    const at = new Date('2026-12-07T09:00:00.000Z');
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const mats = handedOff('2026-12-07T08:00:00.000Z', 'mats', { leadId: FIXTURE_LEAD_ID });
    const told = { ...mats, sent: [...mats.sent, assignedKey(mats)], slaVersion: sla.version };
    const untold: LeadState = {
      ...told,
      ownerId: 'jonas',
      ownerSince: '2026-12-07T08:30:00.000Z',
      ownerUntold: { from: 'mats', cause: { kind: 'manual', by: 'katrin', note: 'speaks Bavarian' } },
    };
    // sla/default.yaml without Jonas, his leads to Lena (the SLA change of issue 9)
    const parsed = parseSla(changedSlaText(JONAS_TO_LENA));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const withoutJonas = parsed.sla;
    const migrated = migrateLead(withoutJonas, untold, at);
    if (migrated.kind !== 'migrated') throw new Error(migrated.kind);
    await store.createLead(migrated.state);
    const sent: string[] = [];
    const causes: unknown[] = [];
    const notifier = new Proxy({} as Notifier, {
      get:
        (_, kind) =>
        async (...args: unknown[]) => {
          const [, from, to, , cause] = args as [
            unknown,
            { id: string } | undefined,
            { id: string },
            unknown,
            unknown,
          ];
          sent.push(kind === 'reassigned' ? `reassigned from ${from?.id} to ${to.id}` : String(kind));
          if (kind === 'reassigned') causes.push(cause);
        },
    });
    // Act: the wakes of an hour under the new SLA
    await wakes({ sla: withoutJonas, store, notifier }, at, 1 / 24);
    // Assert: one email, to Lena and Mats ("reassigned to you" / "now with Lena"); no "New SQL" besides
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(lead.ownerId).toBe('lena');
    expect(sent).toEqual(['reassigned from mats to lena']);
    expect(lead.ownerUntold).toBeUndefined();
    // why: Jonas left the SLA; Katrin gave the lead to Jonas (her note was about him), not to Lena
    expect(causes).toEqual([{ kind: 'ownerLeft', ownerId: 'jonas' }]);
  });

  it.each(ghosts)(
    '%s, and nobody of the queue can take it: its manager told once, no wake every hour',
    async (_, ghostLead) => {
      // Arrange: Tuesday 2026-12-22 10:00 Berlin; Mats, the queue's only rep, is out of office
      const at = new Date('2026-12-22T09:00:00.000Z');
      const store = new DynamoDbLeadStore(dynalite.doc, {
        tableName: dynalite.tableName,
        carry: storyCarrier(matsOnly),
      });
      await store.createLead({ ...ghostLead('2026-12-15T08:00:00.000Z'), slaVersion: matsOnly.version });
      const sent: Sent[] = [];
      // Act: a week of wakes
      const count = await wakes({ sla: matsOnly, store, notifier: recordingNotifier(sent) }, at, 7);
      // Assert
      const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
      expect(sent.filter((email) => email.kind === 'managerTakeover')).toEqual([
        { kind: 'managerTakeover', to: 'katrin' },
      ]);
      expect(sent.filter((email) => email.kind !== 'managerTakeover' && email.kind !== 'recycled')).toEqual(
        [],
      );
      expect(lead.timeline.filter((entry) => entry.kind === 'escalation')).toHaveLength(1);
      // a week is 168 hours: it wakes for what the SLA times (the cadence's steps, the stale timer), not hourly
      expect(count).toBeLessThanOrEqual(8);
    },
  );

  it.each(ghosts)(
    '%s, and nobody of the queue can take it: on the managers\' "Waiting for an owner" list until a person gives it to a rep',
    async (_, ghostLead) => {
      // Arrange: Tuesday 2026-12-22 10:00 Berlin; Mats, the queue's only rep, is out of office
      const at = new Date('2026-12-22T09:00:00.000Z');
      const store = new DynamoDbLeadStore(dynalite.doc, {
        tableName: dynalite.tableName,
        carry: storyCarrier(matsOnly),
      });
      const queries = new DynamoDbLeadQueries(dynalite.doc, dynalite.tableName);
      await store.createLead({ ...ghostLead('2026-12-15T08:00:00.000Z'), slaVersion: matsOnly.version });
      const waiting = async () => {
        const ids: string[] = [];
        for await (const candidate of queries.candidates({ waitingForOwner: true }))
          ids.push(candidate.leadId);
        return ids;
      };

      // Act: the wakes of a day (its manager is told at the first)
      await wakes({ sla: matsOnly, store, notifier: recordingNotifier([]) }, at, 1);

      // Assert: listed (the owner index's waiting partition), and the in-memory twin agrees
      const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
      expect(lead.ownerId).toBe('ghost');
      expect(await waiting()).toEqual([FIXTURE_LEAD_ID]);
      const twin = new MemoryLeadQueries(matsOnly);
      await twin.leadWritten(lead);
      const fromTwin: string[] = [];
      for await (const candidate of twin.candidates({ waitingForOwner: true }))
        fromTwin.push(candidate.leadId);
      expect(fromTwin).toEqual([FIXTURE_LEAD_ID]);

      // Act: a person gives it to Lena (a new handover)
      const since = new Date(at.getTime() + 2 * DAY).toISOString();
      await store.saveLead(
        { ...lead, ownerId: 'lena', ownerSince: since, updatedAt: since, version: lead.version + 1 },
        lead.version,
        lead,
      );

      // Assert: off the list
      expect(await waiting()).toEqual([]);
    },
  );
});
