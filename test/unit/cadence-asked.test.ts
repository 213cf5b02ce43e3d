/**
 * What the cadence asked of one handover (ADR 0078, ADR 0086): the steps due by its end, never fewer than the calls
 * its rep made in it, at most the cadence; the calls of a handover are its rep's on its lead until the lead's next
 * handover to them.
 */
import { describe, expect, it } from 'vitest';
import { callsMadeIn, stepsAsked } from '../../lambdas/domain/cadence-asked.ts';
import type { LeadFact } from '../../lambdas/domain/report-facts.ts';

const fact = (kind: LeadFact['kind'], at: string, rep: string, leadId = 'lead-1'): LeadFact => ({
  kind,
  leadId,
  at: `2026-12-14T${at}:00.000Z`,
  seq: 0,
  leadType: 'sql',
  rep,
});

describe('stepsAsked', () => {
  it.each([
    { given: 'a handover still held: every step', stepsDue: undefined, calls: 1, asked: 6 },
    { given: 'ended before any step fell due, no call: none', stepsDue: 0, calls: 0, asked: 0 },
    {
      given: 'ended before any step fell due, a call logged after: the call',
      stepsDue: 0,
      calls: 1,
      asked: 1,
    },
    { given: 'ended with two steps due and one call: the two', stepsDue: 2, calls: 1, asked: 2 },
    {
      given: 'ended with more calls than the cadence has steps: the cadence',
      stepsDue: 3,
      calls: 8,
      asked: 6,
    },
  ])('$given', ({ stepsDue, calls, asked }) => {
    // Act
    const result = stepsAsked(6, stepsDue, calls);

    // Assert
    expect(result).toBe(asked);
  });
});

describe('callsMadeIn', () => {
  // jonas got the lead at 09:00, lena at 10:30, jonas again at 15:00
  const first = fact('handover', '09:00', 'jonas');
  const handovers = [first, fact('handover', '10:30', 'lena'), fact('handover', '15:00', 'jonas')];

  it.each([
    { given: 'his call at 10:00', attempt: fact('attempt', '10:00', 'jonas'), counted: 1 },
    {
      given: 'his call logged at 12:00, after lena got the lead',
      attempt: fact('attempt', '12:00', 'jonas'),
      counted: 1,
    },
    { given: "lena's call", attempt: fact('attempt', '11:00', 'lena'), counted: 0 },
    { given: 'his call once he had the lead again', attempt: fact('attempt', '16:00', 'jonas'), counted: 0 },
    { given: 'his call on another lead', attempt: fact('attempt', '10:00', 'jonas', 'lead-2'), counted: 0 },
  ])('$given: $counted', ({ attempt, counted }) => {
    // Act
    const calls = callsMadeIn(first, [attempt], handovers);

    // Assert
    expect(calls).toBe(counted);
  });
});
