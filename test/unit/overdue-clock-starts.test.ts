/**
 * overdueClockStarts (domain/sla-standing.ts): the bound of the first-touch index's key range (ADR 0044).
 * Every handover whose first touch is past its deadline at `now` started at or before its owner's bound,
 * whatever the window (business hours, business days, calendar days) and across a change of clocks, where
 * a deadline in days is not monotonic in the start; and the bound is not far past the latest such start.
 */
import { describe, expect, it } from 'vitest';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { firstTouchDeadline, overdueClockStarts } from '../../lambdas/domain/sla-standing.ts';
import { loadDefaultSla, makeSla } from '../support/sla.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** every 7 minutes over the 10 days before `now`: the starts whose deadline passed, latest first */
function passedStarts(sla: Sla, ownerId: string, leadType: string, now: Date): number[] {
  const out: number[] = [];
  for (let t = now.getTime() - 10 * 24 * HOUR; t < now.getTime(); t += 7 * MINUTE) {
    const at = new Date(t).toISOString();
    const due = firstTouchDeadline(sla, {
      ownerId,
      leadType,
      handedOffAt: at,
      ownerSince: at,
      updatedAt: at,
    });
    if (due < now) out.push(t);
  }
  return out.sort((a, b) => b - a);
}

describe('overdueClockStarts', () => {
  const cases: [string, Sla, string[]][] = [
    [
      'the default SLA (4bh, 2bh for existing customers; Berlin and Chicago reps)',
      loadDefaultSla(),
      ['equipment-sales', 'existing-customer', 'maintenance-services'],
    ],
    [
      'a window of 1 calendar day in Berlin (not monotonic on the night clocks go back)',
      makeSla({ calendar: { timeZone: 'Europe/Berlin' }, handoff: { firstTouchWithin: '1d' } } as never),
      ['default'],
    ],
    [
      'a window of 2 business days with a holiday',
      makeSla({
        calendar: { timeZone: 'Europe/Berlin', holidays: ['2026-10-26'] },
        handoff: { firstTouchWithin: '2 business days' },
      } as never),
      ['default'],
    ],
  ];
  // Monday morning, Wednesday afternoon, and the hours around the end of summer time (25 October 2026)
  const nows = [
    '2026-11-30T07:30:00Z',
    '2026-12-02T14:00:00Z',
    '2026-10-26T00:30:00Z',
    '2026-10-26T01:10:00Z',
    '2026-10-27T09:05:00Z',
  ];

  for (const [label, sla, types] of cases)
    it(`holds every overdue handover and stays close to the latest: ${label}`, () => {
      for (const iso of nows) {
        const now = new Date(iso);
        const owners = sla.routing.reps.map((rep) => rep.id);
        const bounds = overdueClockStarts(sla, owners, now);
        for (const owner of owners) {
          const latest = Math.max(
            ...types.map((type) => passedStarts(sla, owner, type, now)[0] ?? Number.NEGATIVE_INFINITY),
          );
          const bound = Date.parse(bounds[owner]!);
          expect(bound, `${owner} at ${iso}`).toBeGreaterThanOrEqual(latest);
          // the slack (6 hours) and the sampling step, no more
          expect(bound - latest, `${owner} at ${iso}`).toBeLessThanOrEqual(6 * HOUR + 7 * MINUTE + 1000);
        }
      }
    });
});
