/**
 * An owner out of office when a step of the contact cadence falls due (ADR 0043): the queue's rotation gives
 * the lead to a rep who is there, both told why; nobody there, the queue's manager is asked; two wakes at
 * once reassign it once. On DynamoDB (dynalite) with the real tasks (advance, park, handoff), as the state
 * machine runs them; the notifier records what it was asked to send.
 * sla/default.yaml: Mats is out of office 2026-12-21 to 2027-01-03.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
/** the equipment-sales queue with Mats alone: nobody else can take his leads */
const matsOnly: Sla = {
  ...sla,
  routing: { ...sla.routing, queues: sla.routing.queues.map((queue) => ({ ...queue, reps: ['mats'] })) },
};
const DAY = 86_400_000;
/** Fri 18 Dec 2026 09:00 Berlin: Mats has the lead; he logs attempt 1 at 09:30 */
const H = '2026-12-18T08:00:00.000Z';
const FIRST = '2026-12-18T08:30:00.000Z';
/** step 3 falls due Mon 21 Dec 10:30 Berlin, his first day out of office */
const STEP3_DUE = new Date('2026-12-21T09:30:00.000Z');
const AWAY = { kind: 'ownerAway', ownerId: 'mats', from: '2026-12-21', to: '2027-01-03', step: 3 };

interface Sent {
  readonly kind: string;
  /** the reassigned email: "from>to"; others: the rep or manager it goes to */
  readonly to: string;
  readonly cause?: unknown;
}

function recordingNotifier(sent: Sent[]): Notifier {
  return new Proxy({} as Notifier, {
    get:
      (_, kind) =>
      async (...args: unknown[]) => {
        if (kind === 'reassigned') {
          const [, from, to, , cause] = args as [
            unknown,
            { id: string } | undefined,
            { id: string },
            unknown,
            unknown,
          ];
          sent.push({ kind, to: `${from?.id}>${to.id}`, cause });
          return;
        }
        if (kind === 'managerTakeover') {
          const [, , manager, options] = args as [
            unknown,
            unknown,
            { id: string } | undefined,
            { cause?: unknown },
          ];
          sent.push({ kind, to: manager?.id ?? 'ops', cause: options.cause });
          return;
        }
        const to = (args.slice(1).find((arg) => typeof arg === 'object' && arg && 'id' in arg) ?? {}) as {
          id?: string;
        };
        sent.push({ kind: String(kind), to: to.id ?? 'ops' });
      },
  });
}

const input = (at: Date) => ({
  leadId: FIXTURE_LEAD_ID,
  cycle: 1,
  generation: 0,
  loops: 0,
  startedAt: at.toISOString(),
});

describe('an owner out of office when a contact step falls due', () => {
  const dynalite = useDynalite();

  async function matsLead(on: Sla): Promise<DynamoDbLeadStore> {
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(on),
    });
    await store.createLead({ ...handedOff(H, 'mats', { leadId: FIXTURE_LEAD_ID }), slaVersion: on.version });
    await store.appendAttempt(FIXTURE_LEAD_ID, {
      attemptId: 'attempt-1',
      at: FIRST,
      outcomeId: 'no-answer',
      repId: 'mats',
    });
    return store;
  }

  /** Runs the lead's wakes from `from` for `days`, each at its park's deadline; answers how many ran. */
  async function wakes(deps: Omit<TaskDeps, 'clock'>, from: Date, days: number): Promise<number> {
    let at = from;
    let count = 0;
    while (at.getTime() < from.getTime() + days * DAY && count < 200) {
      const now = at;
      const clock = { now: () => now };
      let step = await advance({ ...deps, clock }, input(from));
      if (step.next === 'handoff') step = await handoff({ ...deps, clock }, input(from));
      count++;
      if (step.next !== 'park') break;
      expect(await park({ ...deps, clock }, parkInputOf(step, `token-${count}`))).toBe('parked');
      at = new Date(at.getTime() + step.waitSeconds! * 1000);
    }
    return count;
  }

  it('step 3 due on his first day away: a rep who is there gets the lead, both told why, not a ladder reassignment', async () => {
    // Arrange
    const store = await matsLead(sla);
    const sent: Sent[] = [];
    // Act: the wakes of an hour from the moment step 3 falls due
    await wakes({ sla, store, notifier: recordingNotifier(sent) }, STEP3_DUE, 1 / 24);
    // Assert
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(lead.ownerId).not.toBe('mats');
    expect(['jonas', 'lena', 'carla', 'mike']).toContain(lead.ownerId);
    expect(lead.ownerSince).toBe(STEP3_DUE.toISOString());
    expect(lead.reassignments ?? 0).toBe(0);
    const handover = lead.timeline.find((entry) => entry.kind === 'owner' && entry.from === 'mats');
    expect(handover).toMatchObject({ to: lead.ownerId, by: 'workflow' });
    expect(handover?.reasons[0]?.rule).toBe('routing.ownerAway');
    expect(sent).toEqual([{ kind: 'reassigned', to: `mats>${lead.ownerId}`, cause: AWAY }]);
  });

  it('nobody present in the queue: its manager is asked once per step, Mats not reminded, the lead stays', async () => {
    // Arrange
    const store = await matsLead(matsOnly);
    const sent: Sent[] = [];
    // Act: the wakes of two and a half days from step 3's due time (step 4 falls due Wed 23 Dec 10:30 Berlin)
    await wakes({ sla: matsOnly, store, notifier: recordingNotifier(sent) }, STEP3_DUE, 2.5);
    // Assert
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(lead.ownerId).toBe('mats');
    expect(sent).toEqual([
      { kind: 'managerTakeover', to: 'katrin', cause: { ...AWAY, noRep: true } },
      { kind: 'managerTakeover', to: 'katrin', cause: { ...AWAY, step: 4, noRep: true } },
    ]);
    expect(lead.timeline.filter((entry) => entry.kind === 'escalation')).toHaveLength(2);
    expect(lead.escalationsTaken ?? 0).toBe(0);
  });

  it('two wakes at once: one reassignment, one pair of emails', async () => {
    // Arrange
    const store = await matsLead(sla);
    const sent: Sent[] = [];
    const deps = { sla, store, notifier: recordingNotifier(sent), clock: { now: () => STEP3_DUE } };
    // Act: two invocations of the same wake (a retry racing the original), each with its park
    const steps = await Promise.all([advance(deps, input(STEP3_DUE)), advance(deps, input(STEP3_DUE))]);
    const parked = await Promise.all(steps.map((step, i) => park(deps, parkInputOf(step, `token-${i}`))));
    // then the lead's next wakes, as the state machine resumes the one whose park found the lead changed
    await wakes({ sla, store, notifier: deps.notifier }, STEP3_DUE, 1 / 24);
    // Assert
    expect([...parked].sort()).toEqual(['changed', 'parked']);
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(lead.ownerId).not.toBe('mats');
    expect(lead.timeline.filter((entry) => entry.kind === 'owner' && entry.from === 'mats')).toHaveLength(1);
    expect(sent).toEqual([{ kind: 'reassigned', to: `mats>${lead.ownerId}`, cause: AWAY }]);
  });
});
