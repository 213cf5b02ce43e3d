/**
 * Property (issue 9): for any cadence and calendar, no email states a deadline earlier than one
 * stated before it for the same step, nor earlier than the deadline of a step before it that is
 * still not logged ("first touch by Thu 08:33" then "attempt 2 by Wed 14:33" is the bug).
 *
 * The plan is played in virtual time as the workflow plays it (tasks/advance.ts): at each wake-up
 * every planned action is taken (reminders and escalations are emails with the deadline they
 * state; the ladder's reassignment is a new handover whose email states its first-touch deadline),
 * attempts arrive at generated times, and the run ends when the cadence runs out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repCalendar } from '../../lambdas/domain/business-hours.ts';
import { handoverStart, planNext } from '../../lambdas/domain/lead-plan.ts';
import type { Attempt, LeadState } from '../../lambdas/domain/lead-state.ts';
import { firstTouchDue } from '../../lambdas/domain/sla-breach.ts';
import type { Sla, SlaInput } from '../../lambdas/domain/sla-schema.ts';
import { attemptsAt, handedOff } from '../support/lead-state.ts';
import { makeSla } from '../support/sla.ts';

interface Stated {
  readonly at: number;
  /** the handover it was sent in (ownerSince) */
  readonly handover: string;
  readonly step: number;
  readonly deadline: number;
  /** attempts logged in the handover when it was sent */
  readonly logged: number;
  readonly what: string;
}

const DELAYS = ['0bh', '30m', '1bh', '2bh', '4h', '1bd', '2bd', '3bd', '1d'] as const;
const WITHIN = ['1bh', '2bh', '4bh', '8bh', '1bd', '2h', '1d'] as const;
const ZONES = ['Europe/Berlin', 'America/Chicago', 'Asia/Tokyo', 'Australia/Sydney', 'UTC'] as const;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const slaArbitrary = fc
  .record({
    steps: fc.array(fc.constantFrom(...DELAYS), { minLength: 1, maxLength: 6 }),
    within: fc.constantFrom(...WITHIN),
    zone: fc.constantFrom(...ZONES),
    days: fc.subarray([...DAYS], { minLength: 1 }),
    start: fc.integer({ min: 0, max: 12 }),
    length: fc.integer({ min: 1, max: 12 }),
    onReassign: fc.constantFrom('restart' as const, 'continue' as const),
    maxReassignments: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ steps, within, zone, days, start, length, onReassign, maxReassignments }) => {
    const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
    const input: Partial<SlaInput> = {
      calendar: {
        timeZone: zone,
        workingDays: days,
        workingHours: { start: hh(6 + start), end: hh(Math.min(24, 6 + start + length)) },
      },
      routing: {
        managers: [{ id: 'kim', name: 'Kim', email: 'kim@example.com' }],
        reps: [
          { id: 'ann', name: 'Ann', email: 'ann@example.com', manager: 'kim' },
          { id: 'bo', name: 'Bo', email: 'bo@example.com', manager: 'kim' },
        ],
      },
      handoff: { firstTouchWithin: within, maxReassignments },
      contact: {
        onReassign,
        cadences: [
          {
            id: 'standard',
            name: 'Generated',
            steps: steps.map((delay, i) => ({ channel: i % 2 ? 'email' : 'phone', delay })),
          },
        ],
      },
    };
    return makeSla(input);
  });

/** Plays the plan; returns every deadline an email stated, in the order sent. */
function play(sla: Sla, handoffAt: string, attemptTimes: readonly number[]): Stated[] {
  const stated: Stated[] = [];
  const first = handedOff(handoffAt, 'ann', { leadType: 'standard' });
  let lead: LeadState = first;
  let now = new Date(handoffAt);
  const cal = repCalendar(sla, sla.routing.reps[0]!);
  const attemptsAll: Attempt[] = attemptsAt(...attemptTimes.map((ms) => new Date(ms).toISOString()));
  const handover = () => lead.ownerSince!;
  const loggedNow = () =>
    attemptsAll.filter((a) => a.at >= handoverStart(sla, lead).toISOString() && a.at <= now.toISOString())
      .length;
  const state = (step: number, deadline: Date, what: string) =>
    stated.push({
      at: now.getTime(),
      handover: handover(),
      step,
      deadline: deadline.getTime(),
      logged: loggedNow(),
      what,
    });
  // the assignment email states the first-touch deadline
  state(1, firstTouchDue(sla, cal, handoverStart(sla, lead), lead.leadType), 'assigned');
  for (let round = 0; round < 400; round++) {
    const attempts = attemptsAll.filter((a) => a.at <= now.toISOString());
    const plan = planNext(sla, { lead, attempts, now, skipNurture: false });
    if (plan.kind !== 'park' || plan.phase !== 'contact') return stated;
    for (const action of plan.actions) {
      if (action.type === 'remindAttempt') {
        state(action.step, action.dueAt, `remind ${action.step}`);
        lead = { ...lead, sent: [...lead.sent, action.key] };
      } else if (action.type === 'escalate') {
        if (action.action === 'reassign') {
          const to = lead.ownerId === 'ann' ? 'bo' : 'ann';
          lead = {
            ...lead,
            ownerId: to,
            ownerSince: now.toISOString(),
            escalationsTaken: 0,
            reassignments: (lead.reassignments ?? 0) + 1,
            sent: [...lead.sent, action.key],
          };
          state(1, firstTouchDue(sla, cal, handoverStart(sla, lead), lead.leadType), 'reassigned');
        } else {
          state(1, action.dueAt, action.action);
          lead = { ...lead, escalationsTaken: action.step, sent: [...lead.sent, action.key] };
        }
      }
    }
    const nextAttempt = attemptsAll.map((a) => Date.parse(a.at)).find((t) => t > now.getTime());
    const wake = Math.min(plan.wakeAt.getTime(), nextAttempt ?? Number.POSITIVE_INFINITY);
    if (wake <= now.getTime() && plan.actions.length === 0)
      throw new Error(`the plan does not move at ${now.toISOString()}`);
    now = new Date(Math.max(wake, now.getTime()));
  }
  throw new Error('the cadence never ran out');
}

describe('one clock per handover: deadlines stated in emails never move earlier', () => {
  it('for any cadence, calendar, first-touch window and attempt times', () => {
    fc.assert(
      fc.property(
        slaArbitrary,
        // a handoff in 2026-2027, at any minute
        fc.integer({
          min: Date.parse('2026-01-01T00:00:00Z') / 60_000,
          max: Date.parse('2027-12-31T00:00:00Z') / 60_000,
        }),
        // attempts at offsets up to 20 days after the handoff (none: nobody acts)
        fc.array(fc.integer({ min: 1, max: 20 * 24 * 60 }), { maxLength: 6 }),
        (sla, minute, offsets) => {
          const handoffAt = new Date(minute * 60_000).toISOString();
          const times = [...offsets].sort((a, b) => a - b).map((m) => (minute + m) * 60_000);
          const stated = play(sla, handoffAt, times);
          stated.forEach((email, j) => {
            for (const before of stated.slice(0, j)) {
              // the same step, in the same handover or a later one: never an earlier deadline
              if (before.step === email.step)
                expect(email.deadline, `${email.what} after ${before.what}`).toBeGreaterThanOrEqual(
                  before.deadline,
                );
              // an earlier step still not logged in this handover: nothing after it is due before it
              if (
                before.handover === email.handover &&
                before.step < email.step &&
                email.logged < before.step
              )
                expect(email.deadline, `${email.what} after ${before.what}`).toBeGreaterThanOrEqual(
                  before.deadline,
                );
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the bug it guards against: the old rule stated step 2 before the first-touch deadline', () => {
    // Arrange: handoff Mon 09:00 Berlin, 4bh first touch (13:00), cadence phone 0bh then email 1bh
    const sla = makeSla({
      calendar: { timeZone: 'Europe/Berlin', workingHours: { start: '08:00', end: '17:00' } },
      routing: { reps: [{ id: 'ann', name: 'Ann', email: 'ann@example.com' }] },
      contact: {
        cadences: [
          {
            id: 'standard',
            name: 'Two',
            steps: [
              { channel: 'phone', delay: '0bh' },
              { channel: 'email', delay: '1bh' },
            ],
          },
        ],
      },
    });
    // Act
    const stated = play(sla, '2026-11-30T08:00:00.000Z', []);
    // Assert: the first email states the first touch by 13:00 (12:00Z); step 2 is stated for 14:00 (13:00Z)
    expect(stated.slice(0, 2).map(({ step, deadline }) => [step, new Date(deadline).toISOString()])).toEqual([
      [1, '2026-11-30T12:00:00.000Z'],
      [1, '2026-11-30T12:00:00.000Z'],
    ]);
    expect(stated.find((email) => email.step === 2)?.deadline).toBe(Date.parse('2026-11-30T13:00:00.000Z'));
  });
});
