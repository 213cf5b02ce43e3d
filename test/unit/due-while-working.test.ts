/**
 * The due time a workflow write carries when no park follows it at once (domain/outbox.ts
 * dueWhileWorking, ADR 0033): never later than the work it leaves, so the reconciler finds the lead
 * should every later step fail.
 */
import { describe, expect, it } from 'vitest';
import { dueWhileWorking, OUTBOX_LEASE_MS, type OutboxEntry } from '../../lambdas/domain/outbox.ts';
import { leadState } from '../support/lead-state.ts';

const NOW = new Date('2026-11-30T10:00:00.000Z');
const LEASE_OVER = new Date(NOW.getTime() + OUTBOX_LEASE_MS).toISOString();
const claim = (extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  key: 'nurture:1:first:welcome',
  what: 'nurture email 1 of track general',
  at: NOW.toISOString(),
  email: { type: 'nurture', trackId: 'general', index: 0 },
  claim: 'wake-1',
  ...extra,
});

describe('dueWhileWorking', () => {
  it.each<[string, string | undefined, OutboxEntry[], string | undefined]>([
    ['a week on (an earlier park): now', '2026-12-07T10:00:00.000Z', [], NOW.toISOString()],
    ['an hour ago: stays', '2026-11-30T09:00:00.000Z', [], '2026-11-30T09:00:00.000Z'],
    ['none, nothing claimed (the plan ended it): none', undefined, [], undefined],
    ['none, an email claimed: when its lease is over', undefined, [claim()], LEASE_OVER],
    [
      'none, a send that failed: at once',
      undefined,
      [claim({ failed: true, at: '2026-11-30T09:59:00.000Z' })],
      '2026-11-30T09:59:00.000Z',
    ],
    [
      'none, a claim already sent (its key in `sent`, not recorded): none',
      undefined,
      [claim({ key: 'done' })],
      undefined,
    ],
  ])('a lead due %s', (_, dueAt, outbox, expected) => {
    // Arrange
    const lead = leadState({
      sent: ['done'],
      ...(dueAt ? { dueAt } : {}),
      ...(outbox.length ? { outbox } : {}),
    });
    // Act
    const written = dueWhileWorking(lead, NOW);
    // Assert
    expect(written.dueAt).toBe(expected);
  });
});
