/**
 * The next-step index's sort key (ADR 0053, ADR 0065): in the buckets whose next step may be the first-touch
 * deadline (`00`: no attempt in this handover; `--`: facts the index cannot trust), a lead whose current handover
 * kept its terms (ADR 0059) carries the deadline it was given after its base; the deadline is read back from the
 * key; those buckets' ranges reach the kept deadlines before a time (and no further), the other buckets' do not move.
 */
import { describe, expect, it } from 'vitest';
import {
  keptDeadlineOfStepKey,
  leadIndexKeys,
  nextStepEntryListed,
  nextStepIndexRange,
  nextStepIndexSortKey,
} from '../../lambdas/adapters/table-definition.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { leadState } from '../support/lead-state.ts';

const HANDOFF = '2026-12-02T08:00:00.000Z';
const TERMS = { since: HANDOFF, due: '2026-12-02T12:00:00.000Z', ladder: '0h remindOwner;2bh notifyManager' };
const LATER = '2026-12-02T09:00:00.000Z';

function handedOver(change: Partial<LeadState> = {}): LeadState {
  return leadState({
    leadId: 'lead1',
    stage: 'sql',
    status: 'new',
    ownerId: 'jonas',
    handedOffAt: HANDOFF,
    ownerSince: HANDOFF,
    cadenceLog: { since: HANDOFF, attempts: 0 },
    ...change,
  });
}

describe('the next-step index key', () => {
  it.each([
    [
      'no attempt, terms of this handover: the deadline given',
      { handoverTerms: TERMS },
      `00#${HANDOFF}#due#${TERMS.due}#lead1`,
    ],
    ['no attempt, no terms (before ADR 0059): the base only', {}, `00#${HANDOFF}#lead1`],
    [
      'an attempt logged: the deployed cadence counts from it, no deadline',
      {
        handoverTerms: TERMS,
        status: 'attempting-contact',
        cadenceLog: { since: HANDOFF, attempts: 1, lastAt: LATER },
      },
      `01#${LATER}#lead1`,
    ],
    [
      "facts the index cannot trust (continue's reassignment), terms of this handover: the deadline given",
      {
        ownerSince: LATER,
        handoverTerms: { ...TERMS, since: LATER },
      },
      `--#${HANDOFF}#due#${TERMS.due}#lead1`,
    ],
    [
      'facts the index cannot trust, terms of an earlier handover: the base only',
      { ownerSince: LATER, handoverTerms: TERMS },
      `--#${HANDOFF}#lead1`,
    ],
    [
      'terms whose ladder does not read: the base only',
      { handoverTerms: { ...TERMS, ladder: 'soon remindOwner' } },
      `00#${HANDOFF}#lead1`,
    ],
  ])('%s', (_case, change, key) => {
    // Act
    const sortKey = nextStepIndexSortKey(handedOver(change as Partial<LeadState>));

    // Assert: the key, what the table writes, and the deadline read back from it
    expect(sortKey).toBe(key);
    expect(leadIndexKeys(handedOver(change as Partial<LeadState>)).gsi10sk).toBe(key);
    expect(keptDeadlineOfStepKey(sortKey)).toBe(key.includes('#due#') ? TERMS.due : undefined);
  });

  it("reaches a kept deadline before the day's end in buckets 00 and --, whatever the deployed bound, and no later one", () => {
    // Arrange: the deployed SLA's bound for the bases is hours before this handover (a looser window)
    const bound = '2026-12-02T05:00:00.000Z';
    const kept = nextStepIndexSortKey(handedOver({ handoverTerms: TERMS }));
    const plain = nextStepIndexSortKey(handedOver());
    const inRange = (key: string, bucket: string, by?: string) => {
      const range = nextStepIndexRange(bucket, bound, by);
      return key >= range.lower && key <= range.upper && nextStepEntryListed(key, bucket, bound, by);
    };

    // Assert: by the bases alone, neither; with the day's end, the kept deadline before it (not one at it)
    expect(inRange(kept, '00')).toBe(false);
    expect(inRange(kept, '00', '2026-12-02T23:00:00.000Z')).toBe(true);
    expect(inRange(kept, '00', TERMS.due)).toBe(false);
    expect(inRange(kept, '00', '2026-12-02T12:00:00.001Z')).toBe(true);
    // a lead without terms follows the deployed bound, in a range reaching further or not
    expect(inRange(plain, '00', '2026-12-02T23:00:00.000Z')).toBe(false);
    expect(inRange(plain, '00', undefined)).toBe(false);
    // `--` reaches as far; a bucket with attempts keeps the deployed bound
    const unknown = nextStepIndexSortKey(
      handedOver({ ownerSince: LATER, handoverTerms: { ...TERMS, since: LATER } }),
    );
    expect(inRange(unknown, '--', '2026-12-02T23:00:00.000Z')).toBe(true);
    expect(nextStepIndexRange('01', bound, '2026-12-02T23:00:00.000Z')).toEqual(
      nextStepIndexRange('01', bound),
    );
    // an entry within the deployed bound is listed whatever its deadline (its step may be an attempt's)
    expect(nextStepEntryListed(unknown, '--', '2026-12-02T10:00:00.000Z', '2026-12-02T11:00:00.000Z')).toBe(
      true,
    );
  });
});
