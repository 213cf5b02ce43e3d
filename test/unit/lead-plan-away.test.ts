/**
 * The owner is out of office when a step of the contact cadence falls due (ADR 0043): the plan asks for the
 * lead to be reassigned through the queue's rotation (an `escalate reassign` with the `ownerAway` cause)
 * instead of reminding an empty desk, and an owner back by the time the step is due keeps the lead.
 * sla/default.yaml: Mats is out of office 2026-12-21 to 2027-01-03; Berlin, 08:00-17:00, Mon-Fri,
 * holidays 24-26 Dec and 1 Jan.
 */
import { describe, expect, it } from 'vitest';
import type { PlannedAction } from '../../lambdas/domain/lead-plan.ts';
import { planNext } from '../../lambdas/domain/lead-plan.ts';
import type { Attempt, LeadState } from '../../lambdas/domain/lead-state.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { attemptsAt, handedOff, withDeal } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();

/** sla/default.yaml with Mats away on these dates instead */
function matsAway(from: string, to: string): Sla {
  return {
    ...sla,
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.map((rep) =>
        rep.id === 'mats' ? { ...rep, outOfOffice: [{ from, to }] } : rep,
      ),
    },
  };
}

/** Fri 18 Dec 2026 09:00 Berlin: Mats gets the lead (first touch due 13:00 Berlin) */
const H = '2026-12-18T08:00:00.000Z';
/** Mats logs attempt 1 at 09:30 Berlin: step 2 due 10:30, step 3 one business day later, Mon 21 Dec */
const FIRST = '2026-12-18T08:30:00.000Z';
const STEP3_DUE = '2026-12-21T09:30:00.000Z';

function describeAction(action: PlannedAction): string {
  switch (action.type) {
    case 'remindAttempt':
      return `remindAttempt ${action.step}/${action.of} due=${action.dueAt.toISOString()} key=${action.key}`;
    case 'escalate':
      return `escalate ${action.action} due=${action.dueAt.toISOString()} key=${action.key}${action.cause ? ` cause=${JSON.stringify(action.cause)}` : ''}`;
    case 'exhaustCadence':
      return `exhaustCadence logged=${action.logged}/${action.of}${action.breach ? ' breach' : ''}`;
    default:
      return action.type;
  }
}

function plan(lead: LeadState, attempts: readonly Attempt[], now: string, on: Sla = sla) {
  const planned = planNext(on, { lead, attempts, now: new Date(now), skipNurture: false });
  if (planned.kind !== 'park') return { kind: planned.kind };
  return { wakeAt: planned.wakeAt.toISOString(), actions: planned.actions.map(describeAction) };
}

const awayCause = (step: number) =>
  `cause=${JSON.stringify({ kind: 'ownerAway', ownerId: 'mats', from: '2026-12-21', to: '2027-01-03', step })}`;

describe('planNext: the owner is out of office when a contact step falls due', () => {
  it.each<{
    name: string;
    lead: LeadState;
    attempts: Attempt[];
    now: string;
    on?: Sla;
    expected: ReturnType<typeof plan>;
  }>([
    {
      name: 'away on the day step 3 falls due: reassigned through the rotation, no reminder to Mats',
      lead: handedOff(H, 'mats'),
      attempts: attemptsAt(FIRST),
      now: STEP3_DUE,
      expected: {
        wakeAt: STEP3_DUE,
        actions: [`escalate reassign due=${STEP3_DUE} key=away:1:${H}:3 ${awayCause(3)}`],
      },
    },
    {
      name: 'away on the first-touch deadline (a lead he got on Friday at 16:00): reassigned, not the ladder',
      lead: handedOff('2026-12-18T15:00:00.000Z', 'mats'),
      attempts: [],
      now: '2026-12-21T10:00:00.000Z',
      expected: {
        wakeAt: '2026-12-21T10:00:00.000Z',
        actions: [
          `escalate reassign due=2026-12-21T10:00:00.000Z key=away:1:2026-12-18T15:00:00.000Z:1 ${awayCause(1)}`,
        ],
      },
    },
    {
      name: 'away today, back (22 Dec) before step 4 is due (Tue 22 Dec): he keeps the lead, nothing now',
      lead: handedOff(H, 'mats'),
      attempts: attemptsAt(FIRST, '2026-12-18T09:30:00.000Z', '2026-12-18T10:30:00.000Z'),
      now: '2026-12-21T12:00:00.000Z',
      on: matsAway('2026-12-21', '2026-12-21'),
      expected: { wakeAt: '2026-12-22T10:30:00.000Z', actions: [] },
    },
    {
      name: 'back before the due day: step 4 is reminded to him as ever',
      lead: handedOff(H, 'mats'),
      attempts: attemptsAt(FIRST, '2026-12-18T09:30:00.000Z', '2026-12-18T10:30:00.000Z'),
      now: '2026-12-22T10:30:00.000Z',
      on: matsAway('2026-12-21', '2026-12-21'),
      expected: {
        wakeAt: '2026-12-28T10:30:00.000Z',
        actions: [`remindAttempt 4/6 due=2026-12-22T10:30:00.000Z key=remind:1:${H}:4`],
      },
    },
    {
      name: 'step 3 fell due on his day away, the wake comes after his return: he keeps it, reminded',
      lead: handedOff(H, 'mats'),
      attempts: attemptsAt(FIRST),
      now: '2026-12-22T08:00:00.000Z',
      on: matsAway('2026-12-21', '2026-12-21'),
      expected: {
        wakeAt: '2026-12-23T09:30:00.000Z',
        actions: [`remindAttempt 3/6 due=${STEP3_DUE} key=remind:1:${H}:3`],
      },
    },
    {
      name: 'nobody could take it (the manager was asked for step 3): no reminder to the empty desk',
      lead: handedOff(H, 'mats', { sent: [`away:1:${H}:3`] }),
      attempts: attemptsAt(FIRST),
      now: '2026-12-21T12:00:00.000Z',
      expected: { wakeAt: '2026-12-23T09:30:00.000Z', actions: [] },
    },
    {
      name: 'nobody could take it at step 3: step 4, still away, asks the rotation again',
      lead: handedOff(H, 'mats', { sent: [`away:1:${H}:3`] }),
      attempts: attemptsAt(FIRST),
      now: '2026-12-23T09:30:00.000Z',
      expected: {
        wakeAt: '2026-12-23T09:30:00.000Z',
        actions: [`escalate reassign due=2026-12-23T09:30:00.000Z key=away:1:${H}:4 ${awayCause(4)}`],
      },
    },
    {
      name: 'two wakes: the one after the reassignment (Lena, a fresh handover) plans no second one',
      lead: handedOff(H, 'lena', { ownerSince: STEP3_DUE, sent: [`away:1:${H}:3`] }),
      attempts: attemptsAt(FIRST),
      now: STEP3_DUE,
      expected: { wakeAt: '2026-12-21T13:30:00.000Z', actions: [] },
    },
  ])('$name', (row) => {
    // Act
    const result = plan(row.lead, row.attempts, row.now, row.on);
    // Assert
    expect(result).toEqual(row.expected);
  });
});

/**
 * The reminders of a lead the owner keeps while away (ADR 0043, amended): "No deal yet" (contact.decideWithin,
 * 5bd) and the stale deal's (Discovery, 10 days). Not a reassignment: on a day the owner is out of office the
 * reminder goes to the one who covers for them (their manager, Katrin Vogel, for Mats), and from their
 * return it goes to them again.
 */
describe('planNext: a reminder that goes out while the owner is out of office', () => {
  /** handed to Mats Mon 7 Dec 2026 09:00 Berlin */
  const HANDED = '2026-12-07T08:00:00.000Z';
  /** connected Mon 7 Dec 10:00 Berlin: reminders Mon 14 Dec, Mon 21 Dec (away), Wed 30 Dec (away), Thu 7 Jan */
  const C = '2026-12-07T09:00:00.000Z';
  const decide = (n: number, since = C) => `decide:1:${since}:${n}`;
  const connected = (ownerId = 'mats', connectedAt = C, sent: string[] = []) =>
    handedOff(HANDED, ownerId, { status: 'connected', connectedAt, sent });
  /** in Discovery (stale every 10 days) since Fri 11 Dec 10:00 Berlin: stale Mon 21 Dec, Thu 31 Dec, Sun 10 Jan */
  const D = '2026-12-11T09:00:00.000Z';
  const stale = (n: number) => `stale:1:discovery:${D}:${n}`;
  const inDiscovery = (ownerId = 'mats', sent: string[] = []) =>
    withDeal(handedOff(HANDED, ownerId, { sent }), 'discovery', D);
  const covering = ' cover=katrin away=2026-12-21..2027-01-03';
  /** sla/default.yaml naming nobody to cover for Mats: no manager of his, of his queues, no ops */
  const nobodyCovers: Sla = {
    ...sla,
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.map((rep) => {
        if (rep.id !== 'mats') return rep;
        const { manager: _none, ...alone } = rep;
        return alone;
      }),
      queues: sla.routing.queues.map(({ manager: _none, ...queue }) => queue),
      ops: undefined,
    },
  };

  function reminder(action: PlannedAction): string {
    const cover = (managerId?: string, away?: { from: string; to: string }) =>
      away ? ` cover=${managerId} away=${away.from}..${away.to}` : managerId ? ` copy=${managerId}` : '';
    switch (action.type) {
      case 'remindDecide':
        return `remindDecide n=${action.n}${cover(action.managerId, action.away)} key=${action.key}`;
      case 'remindStaleDeal':
        return `remindStaleDeal n=${action.n}${cover(action.managerId, action.away)} key=${action.key}`;
      default:
        return action.type;
    }
  }

  it.each<{ name: string; lead: LeadState; now: string; on?: Sla; wakeAt: string; actions: string[] }>([
    {
      name: 'no deal yet, 5 business days, Mats at work: to him, as ever',
      lead: connected(),
      now: '2026-12-14T09:00:00.000Z',
      wakeAt: '2026-12-21T09:00:00.000Z',
      actions: [`remindDecide n=1 key=${decide(1)}`],
    },
    {
      name: 'no deal yet, 10 business days, on his first day away: to Katrin instead (not a copy), the lead his',
      lead: connected('mats', C, [decide(1)]),
      now: '2026-12-21T09:00:00.000Z',
      wakeAt: '2026-12-30T09:00:00.000Z',
      actions: [`remindDecide n=2${covering} key=${decide(2)}`],
    },
    {
      name: 'no deal yet, the first reminder falls in his absence: to Katrin, whose copy would come only from the second',
      lead: connected('mats', '2026-12-14T09:00:00.000Z'),
      now: '2026-12-21T09:00:00.000Z',
      wakeAt: '2026-12-30T09:00:00.000Z',
      actions: [`remindDecide n=1${covering} key=${decide(1, '2026-12-14T09:00:00.000Z')}`],
    },
    {
      name: 'no deal yet, 15 business days, still away (Wed 30 Dec): to Katrin again',
      lead: connected('mats', C, [decide(2)]),
      now: '2026-12-30T09:00:00.000Z',
      wakeAt: '2027-01-07T09:00:00.000Z',
      actions: [`remindDecide n=3${covering} key=${decide(3)}`],
    },
    {
      name: 'no deal yet, 20 business days, back (Thu 7 Jan): to Mats, Katrin copied',
      lead: connected('mats', C, [decide(3)]),
      now: '2027-01-07T09:00:00.000Z',
      wakeAt: '2027-01-14T09:00:00.000Z',
      actions: [`remindDecide n=4 copy=katrin key=${decide(4)}`],
    },
    {
      name: 'no deal yet, due on his day away, the wake after his return (downtime): to Mats, Katrin copied',
      lead: connected('mats', C, [decide(1)]),
      now: '2026-12-22T09:00:00.000Z',
      on: matsAway('2026-12-21', '2026-12-21'),
      wakeAt: '2026-12-30T09:00:00.000Z',
      actions: [`remindDecide n=2 copy=katrin key=${decide(2)}`],
    },
    {
      name: 'no deal yet, due on his last day in, the wake on his first day away: to Katrin, who reads it today',
      lead: connected('mats', '2026-12-11T09:00:00.000Z'),
      now: '2026-12-21T09:00:00.000Z',
      wakeAt: '2026-12-29T09:00:00.000Z',
      actions: [`remindDecide n=1${covering} key=${decide(1, '2026-12-11T09:00:00.000Z')}`],
    },
    {
      name: "no deal yet, Katrin's reminder sent: not again",
      lead: connected('mats', C, [decide(1), decide(2)]),
      now: '2026-12-22T09:00:00.000Z',
      wakeAt: '2026-12-30T09:00:00.000Z',
      actions: [],
    },
    {
      name: 'no deal yet, away, and the SLA names nobody to cover: to Mats after all',
      lead: connected('mats', C, [decide(1)]),
      now: '2026-12-21T09:00:00.000Z',
      on: nobodyCovers,
      wakeAt: '2026-12-30T09:00:00.000Z',
      actions: [`remindDecide n=2 key=${decide(2)}`],
    },
    {
      name: "no deal yet, Jonas's lead the same day: to Jonas, Katrin copied (nobody else is away)",
      lead: connected('jonas', C, [decide(1)]),
      now: '2026-12-21T09:00:00.000Z',
      wakeAt: '2026-12-30T09:00:00.000Z',
      actions: [`remindDecide n=2 copy=katrin key=${decide(2)}`],
    },
    {
      name: 'stale deal, 10 days in Discovery, on his first day away: to Katrin instead, the deal his',
      lead: inDiscovery(),
      now: '2026-12-21T09:00:00.000Z',
      wakeAt: '2026-12-31T09:00:00.000Z',
      actions: [`remindStaleDeal n=1${covering} key=${stale(1)}`],
    },
    {
      name: 'stale deal, 20 days, still away (Thu 31 Dec): to Katrin again',
      lead: inDiscovery('mats', [stale(1)]),
      now: '2026-12-31T09:00:00.000Z',
      wakeAt: '2027-01-10T09:00:00.000Z',
      actions: [`remindStaleDeal n=2${covering} key=${stale(2)}`],
    },
    {
      name: 'stale deal, 30 days, back (Sun 10 Jan): to Mats',
      lead: inDiscovery('mats', [stale(2)]),
      now: '2027-01-10T09:00:00.000Z',
      wakeAt: '2027-01-20T09:00:00.000Z',
      actions: [`remindStaleDeal n=3 key=${stale(3)}`],
    },
    {
      name: 'stale deal, due in his absence, the wake after his return: to Mats',
      lead: inDiscovery('mats', [stale(1)]),
      now: '2027-01-04T09:00:00.000Z',
      wakeAt: '2027-01-10T09:00:00.000Z',
      actions: [`remindStaleDeal n=2 key=${stale(2)}`],
    },
    {
      name: "stale deal, Jonas's the same day: to Jonas",
      lead: inDiscovery('jonas'),
      now: '2026-12-21T09:00:00.000Z',
      wakeAt: '2026-12-31T09:00:00.000Z',
      actions: [`remindStaleDeal n=1 key=${stale(1)}`],
    },
    {
      name: 'stale deal, away, and the SLA names nobody to cover: to Mats after all',
      lead: inDiscovery(),
      now: '2026-12-21T09:00:00.000Z',
      on: nobodyCovers,
      wakeAt: '2026-12-31T09:00:00.000Z',
      actions: [`remindStaleDeal n=1 key=${stale(1)}`],
    },
  ])('$name', (row) => {
    // Act
    const planned = planNext(row.on ?? sla, {
      lead: row.lead,
      attempts: [],
      now: new Date(row.now),
      skipNurture: false,
    });
    // Assert
    expect(planned.kind).toBe('park');
    if (planned.kind !== 'park') return;
    expect({ wakeAt: planned.wakeAt.toISOString(), actions: planned.actions.map(reminder) }).toEqual({
      wakeAt: row.wakeAt,
      actions: row.actions,
    });
  });

  it('the story says why, by the SLA names: Mats is away, the reminder goes to Katrin, the lead stays his', () => {
    // Act
    const planned = planNext(sla, {
      lead: inDiscovery(),
      attempts: [],
      now: new Date('2026-12-21T09:00:00.000Z'),
      skipNurture: false,
    });
    // Assert
    expect(planned.kind === 'park' ? planned.reasons.slice(1) : []).toEqual([
      {
        rule: 'routing.ownerAway',
        detail:
          'Mats Lindqvist is out of office 2026-12-21 to 2027-01-03: stale reminder 1 to Katrin Vogel instead; the lead stays with Mats Lindqvist',
      },
      { rule: 'routing.manager', detail: 'Katrin Vogel manages Mats Lindqvist' },
    ]);
  });
});
