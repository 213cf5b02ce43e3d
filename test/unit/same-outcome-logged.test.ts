/**
 * Which logged attempt a one-click outcome link repeats (domain/same-call.ts sameOutcomeLogged, ADR 0074 amended):
 * the same outcome, in the link's handover, in the last 15 minutes, after the one the person was asked about.
 */
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { sameOutcomeLogged } from '../../lambdas/domain/same-call.ts';

const HANDOVER = '2026-12-03T08:00:00.000Z';
const NOW = new Date('2026-12-03T14:30:00.000Z');

const attempt = (at: string, outcome = 'no-answer', occurredAt?: string): TimelineEntry => ({
  at,
  kind: 'attempt',
  from: 'sql/attempting-contact',
  to: 'sql/attempting-contact',
  by: 'manager:katrin',
  reasons: [{ rule: `contact.outcome.${outcome}`, detail: 'No answer: on to the next cadence step' }],
  ...(occurredAt ? { data: { occurredAt } } : {}),
});

describe('sameOutcomeLogged', () => {
  it.each([
    { case: 'the same outcome a minute ago', entry: attempt('2026-12-03T14:29:00.000Z'), asked: true },
    { case: 'the same outcome at this instant', entry: attempt('2026-12-03T14:30:00.000Z'), asked: true },
    { case: 'the same outcome 16 minutes ago', entry: attempt('2026-12-03T14:14:00.000Z'), asked: false },
    {
      case: 'another outcome a minute ago',
      entry: attempt('2026-12-03T14:29:00.000Z', 'connected'),
      asked: false,
    },
    {
      case: "a call made while an earlier owner had it, logged a minute ago (that owner's)",
      entry: attempt('2026-12-03T14:29:00.000Z', 'no-answer', '2026-12-03T07:00:00.000Z'),
      asked: false,
    },
    {
      case: "the same outcome a minute ago, before the link's handover began 30 s ago (another owner's)",
      entry: attempt('2026-12-03T14:29:00.000Z'),
      handover: '2026-12-03T14:29:30.000Z',
      asked: false,
    },
  ])('$case: asked $asked', ({ entry, handover, asked }) => {
    // Act
    const found = sameOutcomeLogged([entry], 'no-answer', handover ?? HANDOVER, NOW);

    // Assert
    expect(found !== undefined).toBe(asked);
  });

  it('asks no more about the attempt the person answered "another attempt" to, but about one logged after it', () => {
    // Arrange
    const first = attempt('2026-12-03T14:25:00.000Z');
    const second = attempt('2026-12-03T14:28:00.000Z');

    // Act
    const afterFirst = sameOutcomeLogged([first], 'no-answer', HANDOVER, NOW, first.at);
    const withSecond = sameOutcomeLogged([first, second], 'no-answer', HANDOVER, NOW, first.at);

    // Assert
    expect(afterFirst).toBeUndefined();
    expect(withSecond).toBe(second);
  });
});
