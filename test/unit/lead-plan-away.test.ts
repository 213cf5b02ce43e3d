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
import { attemptsAt, handedOff } from '../support/lead-state.ts';
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
