import { describe, expect, it } from 'vitest';
import { repCalendar } from '../../lambdas/domain/business-hours.ts';
import { cadenceFor, nextStepDue, plannedDueTimes } from '../../lambdas/domain/cadence.ts';
import { makeSla } from '../support/sla.ts';

// Europe/Berlin: CET = UTC+1, CEST = UTC+2 (switch Sun 31 Mar 2024).
// America/Chicago: CDT = UTC-5 until Sun 3 Nov 2024, CST = UTC-6 after.
const sla = makeSla({
  calendar: { timeZone: 'Europe/Berlin' },
  routing: {
    reps: [
      { id: 'ann', name: 'Ann', email: 'ann@example.com' },
      {
        id: 'cal',
        name: 'Cal',
        email: 'cal@example.com',
        timeZone: 'America/Chicago',
        workingHours: { start: '08:00', end: '17:00' },
      },
    ],
  },
  leadTypes: [
    { id: 'existing-customer', name: 'Existing customer', overrides: { cadence: 'fast' } },
    { id: 'partner', name: 'Partner' },
  ],
  contact: {
    defaultCadence: 'standard',
    cadences: [
      {
        id: 'standard',
        name: 'Standard',
        steps: [
          { channel: 'phone', delay: '0h' },
          { channel: 'email', delay: '0h' },
          { channel: 'phone', delay: '1bd' },
          { channel: 'email', delay: '2bd' },
          { channel: 'phone', delay: '2bd' },
          { channel: 'email', delay: '3bd' },
        ],
      },
      {
        id: 'fast',
        name: 'Fast',
        steps: [
          { channel: 'phone', delay: '1bh', note: 'call the account contact' },
          { channel: 'email', delay: '4bh' },
          { channel: 'phone', delay: '1bd' },
        ],
      },
    ],
  },
});
const berlinCal = repCalendar(sla, sla.routing.reps[0]!);
const chicagoCal = repCalendar(sla, sla.routing.reps[1]!);
const at = (iso: string) => new Date(iso);

describe('cadenceFor', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['no lead type: the default', undefined, 'standard'],
    ['a type with a cadence override', 'existing-customer', 'fast'],
    ['a type without an override: the default', 'partner', 'standard'],
    ['a type not in the SLA: the default', 'gone', 'standard'],
  ])('%s', (_name, leadTypeId, expected) => {
    // Act
    const cadence = cadenceFor(sla, leadTypeId);

    // Assert
    expect(cadence.id).toBe(expected);
  });

  it('throws on a cadence id the SLA does not declare', () => {
    // Arrange: reference validation would reject this file; the schema alone lets it through
    const broken = makeSla({ contact: { defaultCadence: 'missing' } });

    // Act / Assert
    expect(() => cadenceFor(broken)).toThrow(/no cadence "missing"/);
  });
});

describe('plannedDueTimes', () => {
  it('plays the standard cadence from a Friday-afternoon handoff in Berlin across the March switch', () => {
    // Arrange: handoff Fri 29 Mar 15:00 CET
    const cadence = cadenceFor(sla);

    // Act
    const planned = plannedDueTimes(berlinCal, cadence, at('2024-03-29T14:00:00Z'));

    // Assert: 0h, 0h are wall-clock (at once); business days keep 15:00 local, now CEST
    expect(planned.map((p) => [p.step, p.of, p.channel, p.dueAt.toISOString()])).toEqual([
      [1, 6, 'phone', '2024-03-29T14:00:00.000Z'],
      [2, 6, 'email', '2024-03-29T14:00:00.000Z'],
      [3, 6, 'phone', '2024-04-01T13:00:00.000Z'], // Mon 15:00 CEST
      [4, 6, 'email', '2024-04-03T13:00:00.000Z'], // Wed
      [5, 6, 'phone', '2024-04-05T13:00:00.000Z'], // Fri
      [6, 6, 'email', '2024-04-10T13:00:00.000Z'], // Wed (Mon, Tue, Wed)
    ]);
  });

  it('plays a business-hours cadence in Chicago across the November switch', () => {
    // Arrange: handoff Fri 1 Nov 16:30 CDT
    const cadence = cadenceFor(sla, 'existing-customer');

    // Act
    const planned = plannedDueTimes(chicagoCal, cadence, at('2024-11-01T21:30:00Z'));

    // Assert
    expect(planned.map((p) => p.dueAt.toISOString())).toEqual([
      '2024-11-04T14:30:00.000Z', // 0.5h Fri + 0.5h Mon: 08:30 CST
      '2024-11-04T18:30:00.000Z', // + 4bh: 12:30 CST
      '2024-11-05T18:30:00.000Z', // + 1bd: Tue 12:30 CST
    ]);
    expect(planned[0]!.note).toBe('call the account contact');
    expect(planned[0]!.reasons[0]!.rule).toBe('cadence.fast.step-1');
  });
});

describe('nextStepDue', () => {
  const fast = cadenceFor(sla, 'existing-customer');
  const handoffAt = at('2024-11-01T21:30:00Z'); // Fri 16:30 CDT

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['no attempt: step 1, 1bh after handoff', [], 1, 'phone', '2024-11-04T14:30:00.000Z'],
    // attempt Mon 10:00 CST; + 4bh = 14:00 CST
    ['one attempt: step 2, 4bh after it', ['2024-11-04T16:00:00Z'], 2, 'email', '2024-11-04T20:00:00.000Z'],
    // latest attempt Tue 09:00 CST, given first; + 1bd = Wed 09:00 CST
    ['two attempts in any order: from the latest', ['2024-11-05T15:00:00Z', '2024-11-04T16:00:00Z'], 3, 'phone', '2024-11-06T15:00:00.000Z'],
    // a late attempt pushes the step back: Mon 16:30 CST + 4bh = Tue 11:30 CST
    ['a late attempt pushes the next step', ['2024-11-04T22:30:00Z'], 2, 'email', '2024-11-05T17:30:00.000Z'],
  ])('%s', (_name, attemptTimes, step, channel, dueAt) => {
    // Arrange
    const attempts = attemptTimes.map((iso) => ({ at: at(iso) }));

    // Act
    const next = nextStepDue(chicagoCal, fast, { handoffAt, attempts });

    // Assert
    expect(next).toMatchObject({ step, of: 3, channel });
    expect('dueAt' in next && next.dueAt.toISOString()).toBe(dueAt);
  });

  it('is exhausted when every step has an attempt, and says why', () => {
    // Arrange
    const attempts = ['2024-11-04T16:00:00Z', '2024-11-04T20:00:00Z', '2024-11-05T20:00:00Z'].map((iso) => ({
      at: at(iso),
    }));

    // Act
    const next = nextStepDue(chicagoCal, fast, { handoffAt, attempts });

    // Assert
    expect(next).toEqual({
      exhausted: true,
      reasons: [{ rule: 'cadence.fast', detail: 'all 3 steps of cadence "Fast" attempted (3 attempts)' }],
    });
  });

  it('explains the due time', () => {
    // Act
    const next = nextStepDue(berlinCal, cadenceFor(sla), {
      handoffAt: at('2024-03-29T14:00:00Z'),
      attempts: [{ at: at('2024-03-29T14:00:00Z') }, { at: at('2024-03-29T14:05:00Z') }],
    });

    // Assert
    expect(next.reasons).toEqual([
      {
        rule: 'cadence.standard.step-3',
        detail:
          'step 3 of 6 (phone) due 1bd after the last attempt (2024-03-29T14:05:00.000Z): 2024-04-01T13:05:00.000Z',
      },
    ]);
  });
});
