/**
 * domain/refused-send.ts: a recorded claim whose send was refused says "not sent yet" where its claim said
 * "sent", once; a retry that went out and whose sender's write was lost still gets its "sent" entry, once.
 */
import { describe, expect, it } from 'vitest';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { withTimeline } from '../../lambdas/domain/lead-state.ts';
import { type OutboxEntry, recordedClaims } from '../../lambdas/domain/outbox.ts';
import {
  NOT_SENT_YET_KIND,
  sentAfterRetryKey,
  withSendsRefused,
  withSentAfterRetryOwed,
} from '../../lambdas/domain/refused-send.ts';
import { leadState } from '../support/lead-state.ts';

const CLAIMED_AT = new Date('2026-11-30T08:00:00.000Z');
const REFUSED_AT = new Date('2026-11-30T08:00:02.000Z');
const KEY = 'assigned:1:2026-11-30T08:00:00.000Z';

const claim: OutboxEntry = {
  key: KEY,
  what: 'new SQL email to jonas: first touch due 2026-11-30T12:00:00.000Z',
  at: CLAIMED_AT.toISOString(),
  email: { type: 'sqlAssigned', repId: 'jonas', dueAt: '2026-11-30T12:00:00.000Z' },
  claim: 'wake-1',
};

/** the lead as the Handoff's write left it: the claim recorded as sent (its key, its entry, the outbox) */
function claimed(): LeadState {
  const lead = leadState({ stage: 'sql', status: 'new', ownerId: 'jonas' });
  const recorded = recordedClaims(lead, [claim], CLAIMED_AT);
  return {
    ...withTimeline({ ...lead, sent: recorded.keys }, ...recorded.entries),
    outbox: recorded.outbox,
  };
}

const kinds = (lead: LeadState) => lead.timeline.map((entry) => entry.kind);

describe('withSendsRefused', () => {
  it('turns the claim\'s "sent" entry into "not sent yet" where it stands, and marks the claim', () => {
    // Arrange
    const lead = claimed();

    // Act
    const refused = withSendsRefused(lead, new Set([KEY]), REFUSED_AT);

    // Assert
    expect(kinds(lead)).toEqual(['email']);
    expect(kinds(refused)).toEqual([NOT_SENT_YET_KIND]);
    expect(refused.timeline[0]!.at).toBe(CLAIMED_AT.toISOString());
    expect(refused.timeline[0]!.reasons[0]!.detail).toBe(
      `${claim.what}: not sent yet, the mail service refused it; it is sent again shortly`,
    );
    expect(refused.outbox).toEqual([{ ...claim, recorded: true, retrying: true }]);
    expect(refused.sent).toEqual([KEY]);
  });

  it.each([
    [
      'refused before (a second refusal)',
      (lead: LeadState) => withSendsRefused(lead, new Set([KEY]), CLAIMED_AT),
    ],
    ['not recorded (its entry is written when sent)', (lead: LeadState) => ({ ...lead, outbox: [claim] })],
    ['of another key', (lead: LeadState) => ({ ...lead, outbox: [{ ...claim, recorded: true, key: 'x' }] })],
  ])('changes nothing for a claim %s', (_case, arrange) => {
    // Arrange
    const lead = arrange(claimed());

    // Act
    const refused = withSendsRefused(lead, new Set([KEY]), REFUSED_AT);

    // Assert
    expect(refused).toBe(lead);
  });

  it('adds a "not sent yet" entry when the "sent" one moved off the state', () => {
    // Arrange: the claim's entry is in a page of its own (ADR 0021)
    const lead = { ...claimed(), timeline: [], timelineSpilled: 1 };

    // Act
    const refused = withSendsRefused(lead, new Set([KEY]), REFUSED_AT);

    // Assert
    expect(kinds(refused)).toEqual([NOT_SENT_YET_KIND]);
    expect(refused.timeline[0]!.at).toBe(REFUSED_AT.toISOString());
  });
});

describe('withSentAfterRetryOwed', () => {
  const retried = (): LeadState => {
    const lead = withSendsRefused(claimed(), new Set([KEY]), REFUSED_AT);
    return {
      ...lead,
      outbox: lead.outbox!.map((entry) => ({ ...entry, claim: 'wake-2', at: REFUSED_AT.toISOString() })),
    };
  };

  it.each([
    ["its retry marked, its sender's write lost", retried(), ['wake-2'], ['emailRetrying', 'email'], 1],
    ['its retry not marked', retried(), ['wake-1'], ['emailRetrying'], 0],
    [
      'its "sent" entry written already',
      { ...retried(), sent: [KEY, sentAfterRetryKey(KEY)] },
      ['wake-2'],
      ['emailRetrying'],
      1,
    ],
  ])('a refused claim %s', (_case, lead, confirmed, expected, keys) => {
    // Act
    const told = withSentAfterRetryOwed(lead, confirmed);

    // Assert
    expect(kinds(told)).toEqual(expected);
    expect(told.sent.filter((key) => key === sentAfterRetryKey(KEY))).toHaveLength(keys);
  });
});
