/**
 * The due time a workflow write carries when no park follows it at once (domain/outbox.ts
 * dueWhileWorking, ADR 0033): never later than the work it leaves, so the reconciler finds the lead
 * should every later step fail.
 */
import { describe, expect, it } from 'vitest';
import {
  abandonedEntries,
  dueWhileWorking,
  OUTBOX_LEASE_MS,
  type OutboxEntry,
} from '../../lambdas/domain/outbox.ts';
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

describe('the outbox lease of the local runtime under --speed (TaskDeps.outboxLease)', () => {
  const atSpeed = { ms: OUTBOX_LEASE_MS * 3600 };
  const fiveMinutesLater = new Date(NOW.getTime() + 300_000);

  it('holds a claim for the lease stretched by the speed: 150 s of real time, not 42 ms', () => {
    // Arrange
    const lead = leadState({ outbox: [claim()] });
    // Act
    const due = dueWhileWorking(lead, NOW, '', atSpeed).dueAt;
    const abandoned = abandonedEntries(lead, fiveMinutesLater, atSpeed);
    // Assert
    expect(due).toBe(new Date(NOW.getTime() + OUTBOX_LEASE_MS * 3600).toISOString());
    expect(abandoned).toEqual([]);
    // without the stretch, five minutes of SLA time (83 ms at 3,600x) made it abandoned
    expect(abandonedEntries(lead, fiveMinutesLater)).toHaveLength(1);
  });

  it('takes a claim made before the runtime started as abandoned at once (its process is gone)', () => {
    // Arrange: the runtime started a second after the claim
    const lease = { ...atSpeed, abandonedBefore: NOW.getTime() + 1000 };
    const lead = leadState({ outbox: [claim()] });
    // Act
    const due = dueWhileWorking(lead, fiveMinutesLater, '', lease).dueAt;
    const abandoned = abandonedEntries(lead, fiveMinutesLater, lease);
    // Assert: due since its claim, and the next wake sends it again
    expect(due).toBe(NOW.toISOString());
    expect(abandoned.map((entry) => entry.key)).toEqual(['nurture:1:first:welcome']);
  });

  it('holds a claim made since the start for the lease', () => {
    // Arrange: the runtime started before the claim
    const lease = { ...atSpeed, abandonedBefore: NOW.getTime() - 1000 };
    // Act
    const abandoned = abandonedEntries(leadState({ outbox: [claim()] }), fiveMinutesLater, lease);
    // Assert
    expect(abandoned).toEqual([]);
  });
});
