import { describe, expect, it } from 'vitest';
import { repCalendar } from '../../lambdas/domain/business-hours.ts';
import { escalationDue, evaluateFirstTouch, firstTouchDue } from '../../lambdas/domain/sla-breach.ts';
import { makeSla } from '../support/sla.ts';

// Europe/Berlin, Mon-Fri 09:00-17:00 (the defaults). CET = UTC+1, CEST = UTC+2 (switch Sun 31 Mar 2024).
// Handoff defaults: first touch within 4bh; escalation 0h remindOwner, 2bh notifyManager, 4bh reassign.
const sla = makeSla({
  calendar: { timeZone: 'Europe/Berlin', holidays: ['2024-12-25', '2024-12-26'] },
  leadTypes: [
    {
      id: 'existing-customer',
      name: 'Existing customer',
      overrides: { handoff: { firstTouchWithin: '1bh' } },
    },
    { id: 'partner', name: 'Partner' },
  ],
});
const cal = repCalendar(sla, sla.routing.reps[0]!);
const at = (iso: string) => new Date(iso);

describe('firstTouchDue', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['default 4bh: Fri 15:00 CET -> Mon 11:00 CEST', '2024-03-29T14:00:00Z', undefined, '2024-04-01T09:00:00.000Z'],
    ['lead type override 1bh: Fri 16:00 CET', '2024-03-29T14:00:00Z', 'existing-customer', '2024-03-29T15:00:00.000Z'],
    ['lead type without override: 4bh', '2024-03-29T14:00:00Z', 'partner', '2024-04-01T09:00:00.000Z'],
    ['unknown lead type: 4bh', '2024-03-29T14:00:00Z', 'gone', '2024-04-01T09:00:00.000Z'],
    ['Saturday handoff: Mon 13:00 CET', '2024-01-20T10:00:00Z', undefined, '2024-01-22T12:00:00.000Z'],
    ['Christmas Eve 16:00: 1h, then Fri 27th 12:00', '2024-12-24T15:00:00Z', undefined, '2024-12-27T11:00:00.000Z'],
  ])('%s', (_name, handoffAt, leadTypeId, expected) => {
    // Act
    const due = firstTouchDue(sla, cal, at(handoffAt), leadTypeId);

    // Assert
    expect(due.toISOString()).toBe(expected);
  });
});

describe('evaluateFirstTouch', () => {
  // Handoff Tue 16 Jan 10:00 CET -> due 14:00 CET (13:00Z).
  const handoffAt = '2024-01-16T09:00:00Z';

  interface Case {
    name: string;
    handoff?: string;
    leadTypeId?: string;
    touches: string[];
    now: string;
    status: 'met' | 'breached' | 'pending';
    firstTouchAt?: string;
    overdueBy?: { businessHours: number; ms: number };
  }
  // biome-ignore format: one row per case reads as a table
  const cases: Case[] = [
    { name: 'touch before due: met', touches: ['2024-01-16T12:00:00Z'], now: '2024-01-16T15:00:00Z', status: 'met', firstTouchAt: '2024-01-16T12:00:00.000Z' },
    { name: 'touch exactly at due: met', touches: ['2024-01-16T13:00:00Z'], now: '2024-01-16T15:00:00Z', status: 'met', firstTouchAt: '2024-01-16T13:00:00.000Z' },
    { name: 'earliest of several touches counts', touches: ['2024-01-16T15:30:00Z', '2024-01-16T12:00:00Z'], now: '2024-01-17T09:00:00Z', status: 'met', firstTouchAt: '2024-01-16T12:00:00.000Z' },
    // 14:00 -> 16:30 CET: 2.5 business hours, 2.5 real hours
    { name: 'late touch: breached', touches: ['2024-01-16T15:30:00Z'], now: '2024-01-17T09:00:00Z', status: 'breached', firstTouchAt: '2024-01-16T15:30:00.000Z', overdueBy: { businessHours: 2.5, ms: 9_000_000 } },
    // no touch by Wed 10:00 CET: 3h Tue + 1h Wed business, 20 real hours
    { name: 'no touch, past due: breached', touches: [], now: '2024-01-17T09:00:00Z', status: 'breached', overdueBy: { businessHours: 4, ms: 72_000_000 } },
    { name: 'no touch, exactly at due: pending', touches: [], now: '2024-01-16T13:00:00Z', status: 'pending' },
    { name: 'no touch, before due: pending', touches: [], now: '2024-01-16T11:00:00Z', status: 'pending' },
    { name: 'a touch after `at` is not known yet: pending', touches: ['2024-01-16T12:00:00Z'], now: '2024-01-16T11:00:00Z', status: 'pending' },
    // Fri 13:00 CET handoff, due 17:00 CET; touch Mon 09:30: half a business hour, 64.5 real hours
    { name: 'late over a weekend', handoff: '2024-01-19T12:00:00Z', touches: ['2024-01-22T08:30:00Z'], now: '2024-01-22T10:00:00Z', status: 'breached', firstTouchAt: '2024-01-22T08:30:00.000Z', overdueBy: { businessHours: 0.5, ms: 232_200_000 } },
    // Fri 15:00 CET handoff, due Mon 11:00 CEST; touch Mon 12:00 CEST
    { name: 'late across the March switch', handoff: '2024-03-29T14:00:00Z', touches: ['2024-04-01T10:00:00Z'], now: '2024-04-01T12:00:00Z', status: 'breached', firstTouchAt: '2024-04-01T10:00:00.000Z', overdueBy: { businessHours: 1, ms: 3_600_000 } },
    // lead type 1bh: due 11:00 CET, touch 11:30
    { name: 'lead type override: breached by 0.5', leadTypeId: 'existing-customer', touches: ['2024-01-16T10:30:00Z'], now: '2024-01-16T12:00:00Z', status: 'breached', firstTouchAt: '2024-01-16T10:30:00.000Z', overdueBy: { businessHours: 0.5, ms: 1_800_000 } },
  ];

  it.each(cases)('$name', ({ handoff, leadTypeId, touches, now, status, firstTouchAt, overdueBy }) => {
    // Arrange
    const attempts = touches.map((iso) => ({ at: at(iso) }));

    // Act
    const result = evaluateFirstTouch(sla, cal, {
      handoffAt: at(handoff ?? handoffAt),
      attempts,
      at: at(now),
      leadTypeId,
    });

    // Assert
    expect(result.status).toBe(status);
    expect(result.firstTouchAt?.toISOString()).toBe(firstTouchAt);
    if (overdueBy) {
      expect(result.overdueBy?.businessHours).toBeCloseTo(overdueBy.businessHours, 9);
      expect(result.overdueBy?.ms).toBe(overdueBy.ms);
    } else {
      expect(result.overdueBy).toBeUndefined();
    }
  });

  it('gives the source of the allowance and the verdict as reasons', () => {
    // Act
    const result = evaluateFirstTouch(sla, cal, {
      handoffAt: at(handoffAt),
      attempts: [{ at: at('2024-01-16T10:30:00Z') }],
      at: at('2024-01-16T12:00:00Z'),
      leadTypeId: 'existing-customer',
    });

    // Assert
    expect(result.dueAt.toISOString()).toBe('2024-01-16T10:00:00.000Z');
    expect(result.reasons).toEqual([
      { rule: 'leadType.existing-customer', detail: 'lead type "Existing customer": first touch within 1bh' },
      {
        rule: 'handoff.firstTouch',
        detail:
          'breached: first touch at 2024-01-16T10:30:00.000Z, due by 2024-01-16T10:00:00.000Z (0.5 business hours late)',
      },
    ]);
  });

  it('says when a lead type is unknown to the SLA', () => {
    // Act
    const result = evaluateFirstTouch(sla, cal, {
      handoffAt: at(handoffAt),
      attempts: [],
      at: at('2024-01-16T11:00:00Z'),
      leadTypeId: 'gone',
    });

    // Assert
    expect(result.reasons).toEqual([
      {
        rule: 'handoff.firstTouchWithin',
        detail: 'first touch within 4bh (lead type "gone" is not in this SLA)',
      },
      {
        rule: 'handoff.firstTouch',
        detail: 'pending: no touch yet, due by 2024-01-16T13:00:00.000Z (2 business hours left)',
      },
    ]);
  });
});

describe('escalationDue', () => {
  // First touch due Tue 16 Jan 14:00 CET (13:00Z). Steps: remindOwner at 13:00Z (0h),
  // notifyManager at 16:00 CET = 15:00Z (2bh), reassign 3h Tue + 1h Wed = Wed 10:00 CET = 09:00Z (4bh).
  const dueAt = at('2024-01-16T13:00:00Z');

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['at the due time: remind (inclusive)', 0, true, '2024-01-16T13:00:00Z', 'due', 1, 'remindOwner', '2024-01-16T13:00:00.000Z'],
    ['just before: wait for the reminder', 0, true, '2024-01-16T12:59:00Z', 'waiting', 1, 'remindOwner', '2024-01-16T13:00:00.000Z'],
    ['reminded: wait for the manager step', 1, true, '2024-01-16T14:00:00Z', 'waiting', 2, 'notifyManager', '2024-01-16T15:00:00.000Z'],
    ['2bh later: notify the manager', 1, true, '2024-01-16T15:00:00Z', 'due', 2, 'notifyManager', '2024-01-16T15:00:00.000Z'],
    ['no manager: skip to reassign, waiting', 1, false, '2024-01-16T15:00:00Z', 'waiting', 3, 'reassign', '2024-01-17T09:00:00.000Z'],
    ['no manager: reassign when due', 1, false, '2024-01-17T09:00:00Z', 'due', 3, 'reassign', '2024-01-17T09:00:00.000Z'],
    ['all overdue: one step at a time, in order', 0, true, '2024-01-18T12:00:00Z', 'due', 1, 'remindOwner', '2024-01-16T13:00:00.000Z'],
    ['two taken: reassign', 2, true, '2024-01-17T09:00:00Z', 'due', 3, 'reassign', '2024-01-17T09:00:00.000Z'],
  ])('%s', (_name, stepsTaken, hasManager, now, status, step, action, stepDueAt) => {
    // Act
    const decision = escalationDue(sla, cal, { dueAt, at: at(now), stepsTaken, hasManager });

    // Assert
    expect(decision.status).toBe(status);
    expect(decision.status !== 'exhausted' && decision.next).toMatchObject({ step, of: 3, action });
    expect(decision.status !== 'exhausted' && decision.next.dueAt.toISOString()).toBe(stepDueAt);
  });

  it('says why notifyManager was skipped', () => {
    // Act
    const decision = escalationDue(sla, cal, {
      dueAt,
      at: at('2024-01-16T15:00:00Z'),
      stepsTaken: 1,
      hasManager: false,
    });

    // Assert
    expect(decision.reasons.map((r) => r.rule)).toEqual(['handoff.escalation.2', 'handoff.escalation.3']);
    expect(decision.reasons[0]!.detail).toBe('step 2 of 3 (notifyManager) skipped: the owner has no manager');
  });

  it('is exhausted after the last step', () => {
    // Act
    const decision = escalationDue(sla, cal, {
      dueAt,
      at: at('2024-01-20T00:00:00Z'),
      stepsTaken: 3,
      hasManager: true,
    });

    // Assert
    expect(decision).toEqual({
      status: 'exhausted',
      reasons: [{ rule: 'handoff.escalation', detail: 'all 3 escalation steps dealt with' }],
    });
  });

  it('is exhausted when only a skipped notifyManager is left', () => {
    // Arrange
    const short = makeSla({
      calendar: { timeZone: 'Europe/Berlin' },
      handoff: {
        escalation: [
          { after: '0h', action: 'remindOwner' },
          { after: '1bh', action: 'notifyManager' },
        ],
      },
    });

    // Act
    const decision = escalationDue(short, cal, {
      dueAt,
      at: at('2024-01-16T15:00:00Z'),
      stepsTaken: 1,
      hasManager: false,
    });

    // Assert
    expect(decision.status).toBe('exhausted');
    expect(decision.reasons[0]!.detail).toMatch(/skipped: the owner has no manager/);
  });
});
