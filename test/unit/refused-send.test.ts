/**
 * domain/refused-send.ts: a recorded claim whose send was refused says "not sent yet" where its claim said
 * "sent", once; a retry that went out and whose sender's write was lost still gets its "sent" entry, once.
 */
import { describe, expect, it } from 'vitest';
import { assignedKey, liveSentKeys, planNext, withLiveSentKeys } from '../../lambdas/domain/lead-plan.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { withTimeline } from '../../lambdas/domain/lead-state.ts';
import { type OutboxEntry, recordedClaims } from '../../lambdas/domain/outbox.ts';
import {
  NOT_SENT_YET_KIND,
  sentAfterRetryKey,
  withSendsRefused,
  withSentAfterRetryOwed,
} from '../../lambdas/domain/refused-send.ts';
import { handedOff, leadState, withDeal } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();

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

  it('leaves an older line of the same words alone (an email genuinely sent before the claim)', () => {
    // Arrange: the claim's entry moved off the state; the same words from a day before are still on it
    const earlier = { ...claimed().timeline.at(-1)!, at: '2026-11-29T08:00:00.000Z' };
    const lead = { ...claimed(), timeline: [earlier], timelineSpilled: 1 };

    // Act
    const refused = withSendsRefused(lead, new Set([KEY]), REFUSED_AT);

    // Assert
    expect(kinds(refused)).toEqual(['email', NOT_SENT_YET_KIND]);
    expect(refused.timeline[0]).toEqual(earlier);
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

describe("the key a retried send is recorded under lives as long as its email's own key (liveSentKeys)", () => {
  const HANDED = '2026-11-23T08:00:00.000Z';
  const SINCE = '2026-11-30T08:00:00.000Z';
  const stale = (n: number) => `stale:1:quote-presented:${SINCE}:${n}`;
  const decide = (n: number) => `decide:1:${HANDED}:${n}`;

  it.each([
    // a review found the retry's key read as the newest stale / decide reminder: the real one was dropped from
    // `sent` by the write that recorded the retry, and the next wake sent the reminder again
    [
      'stale reminder 2',
      () => withDeal(handedOff(HANDED, 'jonas', { sent: [stale(1), stale(2)] }), 'quote-presented', SINCE),
      stale(2),
    ],
    ['decide reminder 1', () => handedOff(HANDED, 'jonas', { sent: [decide(1)] }), decide(1)],
    ['the New SQL email', () => handedOff(HANDED, 'jonas'), assignedKey({ cycle: 1, handedOffAt: HANDED })],
  ])("%s: its key and its retry's are both kept", (_what, lead, key) => {
    // Arrange
    const retried = { ...lead(), sent: [...lead().sent, sentAfterRetryKey(key)] };

    // Act
    const kept = liveSentKeys(retried);

    // Assert
    expect(kept).toContain(key);
    expect(kept).toContain(sentAfterRetryKey(key));
  });

  it('a stale reminder refused and retried is not planned again', () => {
    // Arrange
    const lead = withDeal(
      handedOff(HANDED, 'jonas', { sent: [stale(1), stale(2)] }),
      'quote-presented',
      SINCE,
    );
    const written = withLiveSentKeys({ ...lead, sent: [...lead.sent, sentAfterRetryKey(stale(2))] });

    // Act
    const plan = planNext(sla, {
      lead: written,
      attempts: [],
      now: new Date('2026-12-20T00:00:00.000Z'),
      skipNurture: false,
    });

    // Assert
    const keys =
      plan.kind === 'park' ? plan.actions.map((action) => ('key' in action ? action.key : '')) : [];
    expect(keys).not.toContain(stale(2));
  });

  it("goes with its email's key once that one is no longer live (a later handover)", () => {
    // Arrange
    const first = handedOff(HANDED, 'jonas');
    const key = assignedKey({ cycle: 1, handedOffAt: HANDED });
    const later = handedOff('2026-11-24T08:00:00.000Z', 'lena', {
      sent: [key, sentAfterRetryKey(key)],
    });

    // Act
    const kept = liveSentKeys(later);

    // Assert
    expect(first.sent).toContain(key);
    expect(kept).not.toContain(key);
    expect(kept).not.toContain(sentAfterRetryKey(key));
  });
});
