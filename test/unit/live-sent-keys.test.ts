/**
 * Which dedupe keys a lead keeps (domain/lead-plan.ts liveSentKeys, ADR 0034): those a plan of the lead
 * could still produce, and no others.
 */
import { describe, expect, it } from 'vitest';
import { ATTEMPT_KEYS_KEPT, liveSentKeys } from '../../lambdas/domain/lead-plan.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { handedOff, leadState, withDeal } from '../support/lead-state.ts';

/** handed off at H, then reassigned at R (the current handover) */
const H = '2026-11-30T08:00:00.000Z';
const R = '2026-12-01T08:00:00.000Z';
const reassigned = handedOff(H, 'lena', { ownerSince: R });
const recycled = leadState({ recycledAt: R });

describe('liveSentKeys', () => {
  it.each<[string, LeadState, string, boolean]>([
    ["the handoff's announcement", reassigned, `assigned:1:${H}`, true],
    ['an earlier handoff’s announcement', reassigned, 'assigned:1:2026-10-01T08:00:00.000Z', false],
    ['a reminder of the current handover', reassigned, `remind:1:${R}:2`, true],
    ['a reminder of the handover before', reassigned, `remind:1:${H}:2`, false],
    ['a rung of the current handover', reassigned, `escalate:1:${R}:1`, true],
    ['a rung of the handover before', reassigned, `escalate:1:${H}:3`, false],
    ['the recycle of the handover before', reassigned, `recycled:1:${H}`, false],
    ['the orphan escalation of the current handover', reassigned, `orphan:1:${R}`, true],
    ['a key of the cycle before', reassigned, `remind:0:${R}:2`, false],
    ['a nurture template of this stay', recycled, `nurture:1:${R}:case-study`, true],
    ['a nurture template of the stay before', recycled, 'nurture:1:first:case-study', false],
    [
      'the latest stale reminder of the deal',
      withDeal(reassigned, 'discovery', R),
      `stale:1:discovery:${R}:2`,
      true,
    ],
    [
      'an earlier stale reminder of the deal',
      withDeal(reassigned, 'discovery', R),
      `stale:1:discovery:${R}:1`,
      false,
    ],
    [
      'a stale reminder of a stage before',
      withDeal(reassigned, 'discovery', R),
      `stale:1:proposal:${H}:4`,
      false,
    ],
    ['a "still over to you" reminder of the current handover', reassigned, `takeover:1:${R}:1`, true],
    ['a "still over to you" reminder of the handover before', reassigned, `takeover:1:${H}:3`, false],
    ['a key of a form this does not know', reassigned, 'future:1:x', true],
  ])('%s: kept %s', (_, lead, key, kept) => {
    // Arrange: the deal's rows hold its latest reminder (2) too
    const sent = [...lead.sent, key, ...(lead.deal ? [`stale:1:discovery:${R}:2`] : [])];
    // Act
    const live = liveSentKeys({ ...lead, sent });
    // Assert
    expect(live.includes(key)).toBe(kept);
  });

  it('keeps a key an outbox entry holds, whatever it names', () => {
    // Arrange: a reminder of the handover before, sent and not yet off the outbox
    const key = `remind:1:${H}:2`;
    const lead: LeadState = {
      ...reassigned,
      sent: [...reassigned.sent, key],
      outbox: [{ key, what: 'reminder', at: R, email: { type: 'nurture', trackId: 't', index: 0 } }],
    };
    // Act / Assert
    expect(liveSentKeys(lead)).toContain(key);
  });

  it.each<[string, readonly string[], readonly string[]]>([
    ['the only decide reminder', [`decide:1:${H}:1`], [`decide:1:${H}:1`]],
    ['the latest of a clock', [`decide:1:${H}:1`, `decide:1:${H}:2`], [`decide:1:${H}:2`]],
    [
      'the clock before a later one (a new owner)',
      [`decide:1:${H}:2`, `decide:1:${R}:1`],
      [`decide:1:${R}:1`],
    ],
    ['a decide reminder of the cycle before', [`decide:0:${R}:3`], []],
    // a note under a key of its own (held-mail.ts droppedKey: the rep left the SLA) is no reminder: read as the
    // latest, it dropped the reminder's own key and the next wake sent that reminder again
    [
      'the latest, a note of it recorded after',
      [`decide:1:${H}:1`, `decide:1:${H}:1:dropped`],
      [`decide:1:${H}:1`],
    ],
  ])('"decide" reminders (contact.decideWithin): %s', (_, keys, kept) => {
    // Arrange
    const lead: LeadState = { ...reassigned, sent: [...reassigned.sent, ...keys] };
    // Act
    const live = liveSentKeys(lead);
    // Assert
    expect(live.filter((key) => key.startsWith('decide:'))).toEqual(kept);
  });

  it('keeps the latest stale reminder when a note of it was recorded after (`<key>:dropped`)', () => {
    // Arrange
    const deal = withDeal(handedOff(H, 'jonas'), 'discovery', R);
    const latest = `stale:1:discovery:${R}:2`;
    const lead: LeadState = {
      ...deal,
      sent: [...deal.sent, `stale:1:discovery:${R}:1`, latest, `${latest}:dropped`],
    };
    // Act
    const live = liveSentKeys(lead);
    // Assert
    expect(live).toContain(latest);
  });

  it('keeps only the latest "still over to you" reminder of the handover, however many went out (ADR 0085)', () => {
    // Arrange: four daily reminders to the manager, a note of the last one recorded after it
    const takeover = (n: number) => `takeover:1:${R}:${n}`;
    const lead: LeadState = {
      ...reassigned,
      sent: [
        ...reassigned.sent,
        takeover(1),
        takeover(2),
        takeover(3),
        takeover(4),
        `${takeover(4)}:dropped`,
      ],
    };
    // Act
    const live = liveSentKeys(lead).filter((key) => key.startsWith('takeover:'));
    // Assert: the plan only ever asks for the latest due; the note is no reminder
    expect(live).toEqual([takeover(4)]);
  });

  it(`keeps the latest ${ATTEMPT_KEYS_KEPT} attempt keys (the attempts' own items say the rest)`, () => {
    // Arrange
    const attempts = Array.from({ length: ATTEMPT_KEYS_KEPT + 5 }, (_, i) => `attempt:a${i}`);
    // Act
    const live = liveSentKeys({ ...reassigned, sent: [...reassigned.sent, ...attempts] });
    // Assert
    expect(live.filter((key) => key.startsWith('attempt:'))).toEqual(attempts.slice(5));
  });
});
