import { describe, expect, it } from 'vitest';
import { planNext } from '../../lambdas/domain/lead-plan.ts';
import {
  applyToLead,
  eraseLead,
  type LeadState,
  newLeadState,
  rejudgeLead,
  type TimelineEntry,
  withTimeline,
} from '../../lambdas/domain/lead-state.ts';
import { statusFor } from '../../lambdas/domain/lifecycle.ts';
import type { SlaInput } from '../../lambdas/domain/sla-schema.ts';
import { pastContact, type SlaStanding, slaStanding } from '../../lambdas/domain/sla-standing.ts';
import { attemptsAt, handedOff, leadState, withDeal } from '../support/lead-state.ts';
import { makeSla } from '../support/sla.ts';

// Europe/Berlin, Mon-Fri 09:00-17:00 (the defaults): CET = UTC+1 in January, so 08:00Z-16:00Z.
// Handoff defaults: first touch within 4bh; escalation 0h remindOwner, 2bh notifyManager, 4bh reassign.
// Cadence "standard": phone 0bh, email 1bh, phone 1bd, email 2bd, phone 2bd, email 3bd; step 1 is the
// first touch, due at its deadline. contact.onReassign: restart (each handover a fresh clock).
const slaInput: Partial<SlaInput> = {
  calendar: { timeZone: 'Europe/Berlin' },
  leadTypes: [
    {
      id: 'existing-customer',
      name: 'Existing customer',
      match: { emailDomains: ['customer.example'] },
      overrides: { handoff: { firstTouchWithin: '1bh' } },
    },
    { id: 'equipment-sales', name: 'Equipment sales' },
  ],
  routing: {
    managers: [{ id: 'katrin', name: 'Katrin Vogel', email: 'katrin@example.com' }],
    reps: [
      { id: 'jonas', name: 'Jonas Berger', email: 'jonas@example.com', manager: 'katrin' },
      { id: 'ann', name: 'Ann', email: 'ann@example.com' },
      { id: 'carla', name: 'Carla Ruiz', email: 'carla@example.com', timeZone: 'America/Chicago' },
    ],
  },
};
const sla = makeSla(slaInput);
/** the same SLA where a reassignment keeps the first handoff's deadlines */
const continuing = makeSla({ ...slaInput, contact: { onReassign: 'continue' } });

/** Mon 15 Jan 2024, 10:00 CET: first touch due 14:00 CET (13:00Z). */
const HANDOFF = '2024-01-15T09:00:00.000Z';
const at = (iso: string) => new Date(iso);

describe('slaStanding: first touch', () => {
  interface Row {
    name: string;
    lead?: LeadState;
    attempts?: string[];
    now: string;
    under?: typeof sla;
    expected: SlaStanding['firstTouch'];
  }
  // biome-ignore format: one row per case reads as a table
  const rows: Row[] = [
    { name: 'no attempt, before the due time: due', now: '2024-01-15T12:00:00Z', expected: { dueAt: '2024-01-15T13:00:00.000Z', metAt: null, state: 'due' } },
    { name: 'no attempt, at the due instant: still due', now: '2024-01-15T13:00:00Z', expected: { dueAt: '2024-01-15T13:00:00.000Z', metAt: null, state: 'due' } },
    { name: 'no attempt, 1 ms past the due time: breached', now: '2024-01-15T13:00:00.001Z', expected: { dueAt: '2024-01-15T13:00:00.000Z', metAt: null, state: 'breached' } },
    { name: 'an attempt before the due time: met', attempts: ['2024-01-15T11:00:00Z'], now: '2024-01-16T12:00:00Z', expected: { dueAt: '2024-01-15T13:00:00.000Z', metAt: '2024-01-15T11:00:00.000Z', state: 'met' } },
    { name: 'an attempt at the due instant: met', attempts: ['2024-01-15T13:00:00Z'], now: '2024-01-15T14:00:00Z', expected: { dueAt: '2024-01-15T13:00:00.000Z', metAt: '2024-01-15T13:00:00.000Z', state: 'met' } },
    { name: 'the earliest of several attempts counts', attempts: ['2024-01-15T15:00:00Z', '2024-01-15T10:00:00Z'], now: '2024-01-16T12:00:00Z', expected: { dueAt: '2024-01-15T13:00:00.000Z', metAt: '2024-01-15T10:00:00.000Z', state: 'met' } },
    { name: 'a late attempt: breached, metAt set', attempts: ['2024-01-15T14:30:00Z'], now: '2024-01-15T15:00:00Z', expected: { dueAt: '2024-01-15T13:00:00.000Z', metAt: '2024-01-15T14:30:00.000Z', state: 'breached' } },
    { name: 'an attempt before this handover does not count', attempts: ['2024-01-15T08:59:59Z'], now: '2024-01-15T12:00:00Z', expected: { dueAt: '2024-01-15T13:00:00.000Z', metAt: null, state: 'due' } },
    { name: 'an attempt stamped after now has not happened yet', attempts: ['2024-01-15T12:30:00Z'], now: '2024-01-15T12:00:00Z', expected: { dueAt: '2024-01-15T13:00:00.000Z', metAt: null, state: 'due' } },
    { name: "the lead type's 1bh override", lead: handedOff(HANDOFF, 'jonas', { leadType: 'existing-customer' }), now: '2024-01-15T09:30:00Z', expected: { dueAt: '2024-01-15T10:00:00.000Z', metAt: null, state: 'due' } },
    // 03:00 CST -> Chicago opens 09:00 CST (15:00Z) -> 13:00 CST
    { name: "in the owner's own calendar (Chicago)", lead: handedOff(HANDOFF, 'carla'), now: '2024-01-15T18:00:00Z', expected: { dueAt: '2024-01-15T19:00:00.000Z', metAt: null, state: 'due' } },
    // Fri 16:00 CET: 1 business hour on Friday, 3 on Monday from 09:00
    { name: 'a Friday-afternoon handover is due on Monday', lead: handedOff('2024-01-19T15:00:00.000Z'), now: '2024-01-20T12:00:00Z', expected: { dueAt: '2024-01-22T11:00:00.000Z', metAt: null, state: 'due' } },
    // the SLA no longer names the owner: the company calendar
    { name: 'an owner the SLA lacks: the company calendar', lead: handedOff(HANDOFF, 'removed-rep'), now: '2024-01-15T12:00:00Z', expected: { dueAt: '2024-01-15T13:00:00.000Z', metAt: null, state: 'due' } },
    // reassigned Tue 10:00 CET: a fresh 4bh for the new owner; the old owner's attempt does not count
    { name: 'reassigned: a fresh deadline for the new owner', lead: handedOff(HANDOFF, 'ann', { ownerSince: '2024-01-16T09:00:00.000Z' }), attempts: ['2024-01-15T15:00:00Z'], now: '2024-01-16T12:00:00Z', expected: { dueAt: '2024-01-16T13:00:00.000Z', metAt: null, state: 'due' } },
    { name: 'reassigned under onReassign continue: the first deadline stands', lead: handedOff(HANDOFF, 'ann', { ownerSince: '2024-01-16T09:00:00.000Z' }), attempts: ['2024-01-15T15:00:00Z'], now: '2024-01-16T12:00:00Z', under: continuing, expected: { dueAt: '2024-01-15T13:00:00.000Z', metAt: '2024-01-15T15:00:00.000Z', state: 'breached' } },
  ];

  it.each(rows)('$name', ({ lead, attempts = [], now, under = sla, expected }) => {
    // Act
    const standing = slaStanding(under, {
      lead: lead ?? handedOff(HANDOFF),
      attempts: attemptsAt(...attempts),
      now: at(now),
    });

    // Assert
    expect(standing.firstTouch).toEqual(expected);
  });
});

describe('slaStanding: cadence', () => {
  interface Row {
    name: string;
    lead?: LeadState;
    attempts?: string[];
    now: string;
    expected: SlaStanding['cadence'];
  }
  // biome-ignore format: one row per case reads as a table
  const rows: Row[] = [
    { name: 'nothing logged: step 1 is the first touch, due at its deadline', now: '2024-01-15T09:30:00Z', expected: { id: 'standard', step: 1, of: 6, attempted: 0, nextDueAt: '2024-01-15T13:00:00.000Z', scheduledStep: 1, scheduledDueAt: '2024-01-15T13:00:00.000Z', scheduledChannel: 'phone' } },
    { name: 'one attempt at 11:00Z: step 2 due 1bh later', attempts: ['2024-01-15T11:00:00Z'], now: '2024-01-15T11:30:00Z', expected: { id: 'standard', step: 2, of: 6, attempted: 1, nextDueAt: '2024-01-15T12:00:00.000Z', scheduledStep: 2, scheduledDueAt: '2024-01-15T12:00:00.000Z', scheduledChannel: 'email' } },
    // 11:00 CET Monday + 1bd = 11:00 CET Tuesday
    { name: 'two attempts: step 3 due one business day after the second', attempts: ['2024-01-15T09:30:00Z', '2024-01-15T10:00:00Z'], now: '2024-01-15T12:00:00Z', expected: { id: 'standard', step: 3, of: 6, attempted: 2, nextDueAt: '2024-01-16T10:00:00.000Z', scheduledStep: 3, scheduledDueAt: '2024-01-16T10:00:00.000Z', scheduledChannel: 'phone' } },
    { name: 'attempts before the handover do not count', attempts: ['2024-01-12T10:00:00Z', '2024-01-15T11:00:00Z'], now: '2024-01-15T11:30:00Z', expected: { id: 'standard', step: 2, of: 6, attempted: 1, nextDueAt: '2024-01-15T12:00:00.000Z', scheduledStep: 2, scheduledDueAt: '2024-01-15T12:00:00.000Z', scheduledChannel: 'email' } },
    { name: 'every step logged: no step left', attempts: ['2024-01-15T09:10:00Z', '2024-01-15T09:20:00Z', '2024-01-15T09:30:00Z', '2024-01-15T09:40:00Z', '2024-01-15T09:50:00Z', '2024-01-15T10:00:00Z'], now: '2024-01-15T10:30:00Z', expected: { id: 'standard', step: 6, of: 6, attempted: 6, nextDueAt: null, scheduledStep: null, scheduledDueAt: null, scheduledChannel: null } },
    { name: 'the cadence expired weeks ago, the ladder ran: no step left', lead: handedOff(HANDOFF, 'jonas', { escalationsTaken: 3 }), now: '2024-02-20T12:00:00Z', expected: { id: 'standard', step: 1, of: 6, attempted: 0, nextDueAt: null, scheduledStep: null, scheduledDueAt: null, scheduledChannel: null } },
    { name: "the cadence's time passed untouched while the ladder still runs: the first touch stays due", lead: handedOff(HANDOFF, 'jonas', { escalationsTaken: 2 }), now: '2024-02-20T12:00:00Z', expected: { id: 'standard', step: 1, of: 6, attempted: 0, nextDueAt: '2024-01-15T13:00:00.000Z', scheduledStep: 6, scheduledDueAt: '2024-01-25T14:00:00.000Z', scheduledChannel: 'email' } },
    // the schedule moves on without attempts (cadenceSchedule): the reminders ask for the step it reached
    { name: 'nothing logged past the deadlines of steps 1 to 3: the schedule is at step 3, the first touch still due', now: '2024-01-16T15:00:00Z', expected: { id: 'standard', step: 1, of: 6, attempted: 0, nextDueAt: '2024-01-15T13:00:00.000Z', scheduledStep: 3, scheduledDueAt: '2024-01-16T14:00:00.000Z', scheduledChannel: 'phone' } },
    { name: 'one attempt, step 2 and 3 past: the schedule is at step 3', attempts: ['2024-01-15T11:00:00Z'], now: '2024-01-16T13:00:00Z', expected: { id: 'standard', step: 2, of: 6, attempted: 1, nextDueAt: '2024-01-15T12:00:00.000Z', scheduledStep: 3, scheduledDueAt: '2024-01-16T12:00:00.000Z', scheduledChannel: 'phone' } },
    { name: 'the cadence expired with one attempt logged: no step left, whatever the ladder', lead: handedOff(HANDOFF, 'jonas', { escalationsTaken: 0 }), attempts: ['2024-01-15T11:00:00Z'], now: '2024-02-20T12:00:00Z', expected: { id: 'standard', step: 2, of: 6, attempted: 1, nextDueAt: null, scheduledStep: null, scheduledDueAt: null, scheduledChannel: null } },
    { name: 'connected: the cadence is over', lead: handedOff(HANDOFF, 'jonas', { status: statusFor(sla, 'connected') }), attempts: ['2024-01-15T10:00:00Z'], now: '2024-01-15T12:00:00Z', expected: null },
    { name: 'an open deal: no cadence', lead: withDeal(handedOff(HANDOFF), 'discovery', '2024-01-15T10:00:00.000Z'), now: '2024-01-15T12:00:00Z', expected: null },
    { name: 'disqualified: no cadence', lead: handedOff(HANDOFF, 'jonas', { status: statusFor(sla, 'disqualified') }), now: '2024-01-15T12:00:00Z', expected: null },
    { name: 'the owner not told yet: the cadence runs all the same', lead: { ...handedOff(HANDOFF), sent: [] }, now: '2024-01-15T09:30:00Z', expected: { id: 'standard', step: 1, of: 6, attempted: 0, nextDueAt: '2024-01-15T13:00:00.000Z', scheduledStep: 1, scheduledDueAt: '2024-01-15T13:00:00.000Z', scheduledChannel: 'phone' } },
    { name: 'reassigned: the new owner starts at step 1', lead: handedOff(HANDOFF, 'ann', { ownerSince: '2024-01-16T09:00:00.000Z' }), attempts: ['2024-01-15T11:00:00Z'], now: '2024-01-16T09:30:00Z', expected: { id: 'standard', step: 1, of: 6, attempted: 0, nextDueAt: '2024-01-16T13:00:00.000Z', scheduledStep: 1, scheduledDueAt: '2024-01-16T13:00:00.000Z', scheduledChannel: 'phone' } },
  ];

  it.each(rows)('$name', ({ lead, attempts = [], now, expected }) => {
    // Act
    const standing = slaStanding(sla, {
      lead: lead ?? handedOff(HANDOFF),
      attempts: attemptsAt(...attempts),
      now: at(now),
    });

    // Assert
    expect(standing.cadence).toEqual(expected);
  });
});

describe('pastContact: the owner index says no cadence step is due (ADR 0053)', () => {
  const stages = ['sql', 'opportunity', 'customer', 'mql'] as const;
  const times = ['2024-01-15T09:30:00Z', '2024-01-17T12:00:00Z', '2024-02-20T12:00:00Z'];

  it('holds only where slaStanding has no step due, whatever the deal, the attempts and the time', () => {
    // Arrange: every status and stage, with a deal and without, attempts or none, an owner the SLA lacks
    const cases = sla.leadStatuses.flatMap(({ id: status }) =>
      stages.flatMap((stage) =>
        ['jonas', 'gone'].flatMap((ownerId) =>
          [false, true].map((deal) => {
            const lead = handedOff(HANDOFF, ownerId, { status, stage });
            return deal
              ? { ...withDeal(lead, 'discovery', '2024-01-15T10:00:00.000Z'), status, stage }
              : lead;
          }),
        ),
      ),
    );
    // Act
    const past = cases.filter((lead) =>
      pastContact(sla, { ownerId: lead.ownerId!, stage: lead.stage, status: lead.status }),
    );
    // Assert: a lead it rules out has no step due at any time, with or without attempts
    expect(past.length).toBeGreaterThan(0);
    for (const lead of past)
      for (const now of times)
        for (const attempts of [[], attemptsAt('2024-01-15T10:00:00Z')])
          expect(slaStanding(sla, { lead, attempts, now: at(now) }).cadence?.nextDueAt ?? null).toBeNull();
  });

  it.each([
    ['connected', 'sql', 'jonas', true],
    ['open-deal', 'opportunity', 'jonas', true],
    ['new', 'opportunity', 'jonas', true],
    ['unqualified', 'sql', 'jonas', true],
    ['new', 'sql', 'jonas', false],
    ['attempting-contact', 'sql', 'jonas', false],
    ['bad-timing', 'sql', 'jonas', false],
    // an owner the SLA lacks: the workflow escalates in the contact phase, and the standing shows the step
    ['connected', 'sql', 'gone', false],
  ])('%s, %s, owner %s: %s', (status, stage, ownerId, expected) => {
    // Act
    const past = pastContact(sla, { ownerId, stage, status });
    // Assert
    expect(past).toBe(expected);
  });
});

describe('slaStanding: escalation', () => {
  interface Row {
    name: string;
    lead: LeadState;
    attempts?: string[];
    now: string;
    under?: typeof sla;
    expected: SlaStanding['escalation'];
  }
  const taken = (n: number, ownerId = 'jonas', more: Partial<LeadState> = {}) =>
    handedOff(HANDOFF, ownerId, { escalationsTaken: n, ...more });
  const REASSIGNED = '2024-01-16T09:00:00.000Z';
  // biome-ignore format: one row per case reads as a table
  const rows: Row[] = [
    { name: 'before the due time: rung 0, the reminder next at the due time', lead: taken(0), now: '2024-01-15T12:00:00Z', expected: { rung: 0, of: 3, action: null, at: null, next: { rung: 1, action: 'remindOwner', dueAt: '2024-01-15T13:00:00.000Z' } } },
    { name: 'reminded: rung 1 at the due time, the manager 2bh later', lead: taken(1), now: '2024-01-15T13:30:00Z', expected: { rung: 1, of: 3, action: 'remindOwner', at: '2024-01-15T13:00:00.000Z', next: { rung: 2, action: 'notifyManager', dueAt: '2024-01-15T15:00:00.000Z' } } },
    // 14:00 CET + 4bh = 3h Monday + 1h Tuesday from 09:00
    { name: 'manager told: rung 2, reassignment next on Tuesday', lead: taken(2), now: '2024-01-15T15:30:00Z', expected: { rung: 2, of: 3, action: 'notifyManager', at: '2024-01-15T15:00:00.000Z', next: { rung: 3, action: 'reassign', dueAt: '2024-01-16T09:00:00.000Z' } } },
    // somebody always hears of it: the queue's manager, else ops (escalation-contact.ts)
    { name: 'an owner without a manager: the manager rung still comes', lead: taken(1, 'ann'), now: '2024-01-15T13:30:00Z', expected: { rung: 1, of: 3, action: 'remindOwner', at: '2024-01-15T13:00:00.000Z', next: { rung: 2, action: 'notifyManager', dueAt: '2024-01-15T15:00:00.000Z' } } },
    { name: 'a rung overdue now: due at its time, the workflow takes it at once', lead: taken(1), now: '2024-01-15T16:00:00Z', expected: { rung: 1, of: 3, action: 'remindOwner', at: '2024-01-15T13:00:00.000Z', next: { rung: 2, action: 'notifyManager', dueAt: '2024-01-15T15:00:00.000Z' } } },
    { name: 'after maxReassignments (2) the last rung hands the lead to the manager', lead: taken(2, 'jonas', { reassignments: 2 }), now: '2024-01-15T15:30:00Z', expected: { rung: 2, of: 3, action: 'notifyManager', at: '2024-01-15T15:00:00.000Z', next: { rung: 3, action: 'handToManager', dueAt: '2024-01-16T09:00:00.000Z' } } },
    { name: 'an owner the SLA lacks is escalated at once', lead: taken(0, 'removed-rep'), now: '2024-01-15T10:00:00Z', expected: { rung: 0, of: 3, action: null, at: null, next: { rung: 0, action: 'reassign', dueAt: '2024-01-15T10:00:00.000Z' } } },
    // Tue 10:00 CET + 4bh = 14:00 CET
    { name: 'reassigned: the new owner climbs from rung 0 against a fresh deadline', lead: taken(0, 'ann', { ownerSince: REASSIGNED, reassignments: 1 }), now: '2024-01-16T10:00:00Z', expected: { rung: 0, of: 3, action: null, at: null, next: { rung: 1, action: 'remindOwner', dueAt: '2024-01-16T13:00:00.000Z' } } },
    // the deadline passed before ann had the lead: her rungs count from her handover
    { name: 'reassigned under continue: rungs count from the handover, not the old deadline', lead: taken(0, 'ann', { ownerSince: REASSIGNED, reassignments: 1 }), now: '2024-01-16T08:30:00Z', under: continuing, expected: { rung: 0, of: 3, action: null, at: null, next: { rung: 1, action: 'remindOwner', dueAt: '2024-01-16T09:00:00.000Z' } } },
    { name: 'the last rung taken: nothing next', lead: taken(3), now: '2024-01-16T10:00:00Z', expected: { rung: 3, of: 3, action: 'reassign', at: '2024-01-16T09:00:00.000Z', next: null } },
    { name: 'an attempt stops the ladder where it stood', lead: taken(1), attempts: ['2024-01-15T14:00:00Z'], now: '2024-01-15T16:00:00Z', expected: { rung: 1, of: 3, action: 'remindOwner', at: '2024-01-15T13:00:00.000Z', next: null } },
    { name: 'an open deal: no ladder to climb', lead: withDeal(taken(0), 'discovery', '2024-01-15T10:00:00.000Z'), now: '2024-01-15T14:00:00Z', expected: { rung: 0, of: 3, action: null, at: null, next: null } },
    { name: 'more rungs taken than a newer SLA has: its last rung', lead: taken(5), now: '2024-01-16T10:00:00Z', expected: { rung: 3, of: 3, action: 'reassign', at: '2024-01-16T09:00:00.000Z', next: null } },
  ];

  it.each(rows)('$name', ({ lead, attempts = [], now, under = sla, expected }) => {
    // Act
    const standing = slaStanding(under, { lead, attempts: attemptsAt(...attempts), now: at(now) });

    // Assert
    expect(standing.escalation).toEqual(expected);
  });
});

describe('slaStanding: the read model says what the workflow does', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['no attempt yet', handedOff(HANDOFF), [] as string[], '2024-01-15T09:30:00Z'],
    ['one attempt', handedOff(HANDOFF), ['2024-01-15T11:00:00Z'], '2024-01-15T11:30:00Z'],
    ['three attempts', handedOff(HANDOFF), ['2024-01-15T09:05:00Z', '2024-01-15T10:30:00Z', '2024-01-16T10:00:00Z'], '2024-01-16T11:00:00Z'],
    ['reminded, in Chicago', handedOff(HANDOFF, 'carla', { escalationsTaken: 1 }), [], '2024-01-15T19:30:00Z'],
    ['no manager of his own', handedOff(HANDOFF, 'ann', { escalationsTaken: 1 }), [], '2024-01-15T13:30:00Z'],
    ['reassigned, bounded', handedOff(HANDOFF, 'ann', { escalationsTaken: 2, ownerSince: '2024-01-16T09:00:00.000Z', reassignments: 2 }), [], '2024-01-16T15:30:00Z'],
  ] as const)('%s: at the times shown, the plan reminds that step and takes that rung', (_name, lead, times, now) => {
    // Arrange
    const attempts = attemptsAt(...times);
    const standing = slaStanding(sla, { lead, attempts, now: at(now) });
    const planAt = (when: string) => planNext(sla, { lead, attempts, now: at(when), skipNurture: false });

    // Act
    const atNextStep = standing.cadence?.nextDueAt ? planAt(standing.cadence.nextDueAt) : undefined;
    const atNextRung = standing.escalation?.next ? planAt(standing.escalation.next.dueAt) : undefined;

    // Assert
    expect(standing.cadence?.nextDueAt ?? standing.escalation?.next).toBeTruthy();
    // step 1 is the first touch: the handover email states its deadline and the ladder chases it
    if (atNextStep?.kind === 'park' && standing.cadence && standing.cadence.step > 1) {
      expect(atNextStep.actions).toContainEqual(
        expect.objectContaining({
          type: 'remindAttempt',
          step: standing.cadence.step,
          dueAt: at(standing.cadence.nextDueAt!),
        }),
      );
    }
    if (standing.escalation?.next) {
      expect(atNextRung).toMatchObject({ kind: 'park', phase: 'contact' });
      expect(atNextRung?.kind === 'park' ? atNextRung.actions : []).toContainEqual(
        expect.objectContaining({
          type: 'escalate',
          step: standing.escalation.next.rung,
          action: standing.escalation.next.action,
        }),
      );
      // and not a moment earlier
      const before = planAt(new Date(Date.parse(standing.escalation.next.dueAt) - 1).toISOString());
      expect(before.kind === 'park' ? before.actions : []).not.toContainEqual(
        expect.objectContaining({ type: 'escalate' }),
      );
    } else {
      expect(times.length).toBeGreaterThan(0);
    }
  });
});

describe('slaStanding: handovers and leads without one', () => {
  const owner = (entry: Partial<TimelineEntry> & Pick<TimelineEntry, 'at'>): TimelineEntry => ({
    kind: 'owner',
    by: 'workflow',
    reasons: [],
    ...entry,
  });

  it('lists each owner entry with the names the SLA gives, the time and the reason, oldest first', () => {
    // Arrange
    const lead = handedOff(HANDOFF, 'removed-rep', {
      timeline: [
        {
          at: '2024-01-15T08:59:00.000Z',
          kind: 'stage',
          from: 'mql',
          to: 'sql',
          by: 'workflow',
          reasons: [],
        },
        owner({
          at: HANDOFF,
          to: 'jonas',
          reasons: [
            { rule: 'routing.queue', detail: 'queue equipment-sales' },
            { rule: 'routing.roundRobin', detail: 'turn 3: jonas' },
          ],
        }),
        { at: '2024-01-15T13:00:00.000Z', kind: 'email', by: 'workflow', reasons: [] },
        owner({
          at: '2024-01-16T09:00:00.000Z',
          from: 'jonas',
          to: 'removed-rep',
          by: 'rep:katrin',
          reasons: [{ rule: 'handoff.escalation.3', detail: 'first touch overdue' }],
        }),
      ],
    });

    // Act
    const { handovers } = slaStanding(sla, { lead, attempts: [], now: at('2024-01-16T10:00:00Z') });

    // Assert
    expect(handovers).toEqual([
      {
        owner: { id: 'jonas', name: 'Jonas Berger' },
        from: null,
        at: HANDOFF,
        by: 'workflow',
        reason: 'queue equipment-sales; turn 3: jonas',
      },
      {
        owner: { id: 'removed-rep', name: null },
        from: { id: 'jonas', name: 'Jonas Berger' },
        at: '2024-01-16T09:00:00.000Z',
        by: 'rep:katrin',
        reason: 'first touch overdue',
      },
    ]);
  });

  it.each([
    ['never handed off', leadState()],
    ['released back to marketing (no owner)', leadState({ stage: 'lead', status: 'recycled' })],
    ['erased', eraseLead(handedOff(HANDOFF), at('2024-01-15T12:00:00Z'), 'api')],
  ])('%s: first touch, cadence and escalation are null', (_name, lead) => {
    // Act
    const standing = slaStanding(sla, {
      lead,
      attempts: attemptsAt(HANDOFF),
      now: at('2024-01-15T12:00:00Z'),
    });

    // Assert
    expect(standing).toEqual({
      version: 'test-1',
      firstTouch: null,
      cadence: null,
      escalation: null,
      handovers: [],
    });
  });

  const REASSIGNED = '2024-01-15T10:00:00.000Z';
  const toLena = (lead: ReturnType<typeof handedOff>) => ({
    ...lead,
    ownerId: 'lena',
    ownerSince: REASSIGNED,
  });
  it.each([
    ['with a deal', null, toLena(withDeal(handedOff(HANDOFF), sla.deals.stages[0]!.id, HANDOFF))],
    ['connected', null, toLena({ ...handedOff(HANDOFF), status: statusFor(sla, 'connected') })],
    ['new (no contact yet)', 'due', toLena(handedOff(HANDOFF))],
  ])(
    'given to another rep %s: first touch %s (the workflow runs no clock for a lead with sales)',
    (_name, expected, lead) => {
      // Act
      const standing = slaStanding(sla, { lead, attempts: [], now: at('2024-01-15T11:00:00Z') });

      // Assert
      expect(standing.firstTouch?.state ?? null).toBe(expected);
    },
  );

  it('an erased lead keeps its handovers (who, when) without the reasons', () => {
    // Arrange
    const worked = handedOff(HANDOFF, 'jonas', {
      timeline: [
        owner({
          at: HANDOFF,
          to: 'jonas',
          reasons: [{ rule: 'routing.account', detail: "plant.example is Jonas Berger's account" }],
        }),
      ],
    });

    // Act
    const standing = slaStanding(sla, {
      lead: eraseLead(worked, at('2024-01-15T12:00:00Z'), 'api'),
      attempts: [],
      now: at('2024-01-15T12:00:00Z'),
    });

    // Assert
    expect(standing.handovers).toEqual([
      { owner: { id: 'jonas', name: 'Jonas Berger' }, from: null, at: HANDOFF, by: 'workflow', reason: null },
    ]);
    expect(JSON.stringify(standing)).not.toContain('plant.example');
  });

  it('names the version of the SLA it computed under', () => {
    // Act
    const standing = slaStanding(
      { ...sla, version: 'test-2' },
      {
        lead: handedOff(HANDOFF),
        attempts: [],
        now: at('2024-01-15T12:00:00Z'),
      },
    );

    // Assert
    expect(standing.version).toBe('test-2');
  });
});

describe('timeline entries carry the SLA version that decided them', () => {
  const newer = { ...sla, version: 'test-2' };
  const input = {
    leadId: 'LeadFixture0000000000A',
    email: 'petra@plant.example',
    fields: {},
    marketingConsent: true,
  };
  const created = newLeadState(sla, input, [], at('2024-01-15T08:00:00Z'), 'form');
  const versions = (lead: LeadState) => lead.timeline.map((entry) => `${entry.kind}@${entry.version}`);

  it.each([
    ['a new lead: the SLA that judged it', () => created, ['created@test-1', 'judged@test-1']],
    [
      're-judged by a newer SLA: the new entries name it, the old keep theirs',
      () => rejudgeLead(newer, created, [], at('2024-01-15T09:00:00Z'), 'workflow')!,
      ['created@test-1', 'judged@test-1', 'judged@test-2'],
    ],
    [
      'a change decided by a newer SLA before any re-judging names the newer one',
      () =>
        applyToLead(
          newer,
          handedOff(HANDOFF),
          { kind: 'attemptLogged', outcomeId: 'no-answer', first: true },
          at('2024-01-15T10:00:00Z'),
          'rep:jonas',
          'attempt',
        ).state,
      ['attempt@test-2'],
    ],
    [
      "an entry made without a version gets the state's",
      () =>
        withTimeline(handedOff(HANDOFF), {
          at: HANDOFF,
          kind: 'owner',
          to: 'jonas',
          by: 'workflow',
          reasons: [],
        }),
      ['owner@fixture'],
    ],
    [
      'an entry naming its version keeps it',
      () =>
        withTimeline(handedOff(HANDOFF), {
          at: HANDOFF,
          kind: 'owner',
          to: 'jonas',
          by: 'workflow',
          reasons: [],
          version: 'test-2',
        }),
      ['owner@test-2'],
    ],
    [
      'erasure keeps each version and stamps its own entry',
      () =>
        eraseLead(
          rejudgeLead(newer, created, [], at('2024-01-15T09:00:00Z'), 'workflow')!,
          at('2024-01-15T10:00:00Z'),
          'api',
        ),
      ['created@test-1', 'judged@test-1', 'judged@test-2', 'erased@test-2'],
    ],
  ])('%s', (_name, make, expected) => {
    // Act
    const lead = make();

    // Assert
    expect(versions(lead)).toEqual(expected);
  });
});
