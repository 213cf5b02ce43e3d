/**
 * The first-touch index's sort key (ADR 0044, ADR 0062, ADR 0072): a lead whose current handover may owe its first
 * touch (no attempt in its cadence facts, whatever its status) under the head `-`, one whose handover has its first
 * touch under its status; then a lead whose current handover kept its terms (ADR 0059) by the deadline it was
 * given, in a range of its own after every clock start; a lead without terms, or with the terms of an earlier
 * handover, by its clock start. The deadline is read back from the key.
 */
import { describe, expect, it } from 'vitest';
import {
  FIRST_TOUCH_OWED,
  firstTouchIndexRange,
  firstTouchIndexSortKey,
  keptDeadlineOfKey,
  keptDeadlineRange,
  leadIndexKeys,
} from '../../lambdas/adapters/table-definition.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { leadState } from '../support/lead-state.ts';

const HANDOFF = '2026-12-02T08:00:00.000Z';
const TERMS = { since: HANDOFF, due: '2026-12-02T12:00:00.000Z', ladder: '0h remindOwner;2bh notifyManager' };

function handedOver(change: Partial<LeadState> = {}): LeadState {
  return leadState({
    leadId: 'lead1',
    stage: 'sql',
    status: 'new',
    ownerId: 'jonas',
    handedOffAt: HANDOFF,
    ownerSince: HANDOFF,
    ...change,
  });
}

describe('the first-touch index key', () => {
  it.each([
    ['terms of this handover: the deadline given', { handoverTerms: TERMS }, `-#due#${TERMS.due}#lead1`],
    ['no terms (before ADR 0059): the clock start', {}, `-#${HANDOFF}#lead1`],
    [
      'terms of an earlier handover: the clock start of this one',
      { handoverTerms: TERMS, ownerSince: '2026-12-02T09:00:00.000Z' },
      `-#${HANDOFF}#lead1`,
    ],
    [
      'terms whose ladder does not read: the clock start',
      { handoverTerms: { ...TERMS, ladder: 'soon remindOwner' } },
      `-#${HANDOFF}#lead1`,
    ],
    [
      'an attempt in this handover: under its status, read by no list',
      { status: 'attempting-contact', cadenceLog: { since: HANDOFF, attempts: 1, lastAt: HANDOFF } },
      `attempting-contact#${HANDOFF}#lead1`,
    ],
    [
      'attempted by the rep before, reassigned since (restart): owed, whatever the status says',
      {
        status: 'attempting-contact',
        ownerSince: '2026-12-02T10:00:00.000Z',
        cadenceLog: { since: '2026-12-02T10:00:00.000Z', attempts: 0 },
      },
      `-#${HANDOFF}#lead1`,
    ],
    [
      'attempted, no cadence facts (written before them): owed, maybe',
      { status: 'attempting-contact' },
      `-#${HANDOFF}#lead1`,
    ],
  ])('%s', (_case, change, key) => {
    // Act
    const sortKey = firstTouchIndexSortKey(handedOver(change as Partial<LeadState>));

    // Assert: the key, what the table writes, and the deadline read back from it
    expect(sortKey).toBe(key);
    expect(leadIndexKeys(handedOver(change as Partial<LeadState>)).gsi8sk).toBe(key);
    expect(keptDeadlineOfKey(sortKey)).toBe(key.includes('#due#') ? TERMS.due : undefined);
  });

  it('keeps the deadlines given out of every range of clock starts, and in the range of those passed', () => {
    // Arrange
    const kept = firstTouchIndexSortKey(handedOver({ handoverTerms: TERMS }));
    const starts = firstTouchIndexRange(FIRST_TOUCH_OWED, '2099-01-01T00:00:00.000Z');
    const inside = (range: { lower: string; upper: string }) => kept >= range.lower && kept <= range.upper;

    // Assert: a deadline at `now` has not passed; a millisecond later it has
    expect(inside(starts)).toBe(false);
    expect(inside(keptDeadlineRange(FIRST_TOUCH_OWED, TERMS.due))).toBe(false);
    expect(inside(keptDeadlineRange(FIRST_TOUCH_OWED, '2026-12-02T12:00:00.001Z'))).toBe(true);
    expect(inside(keptDeadlineRange('new', '2026-12-03T00:00:00.000Z'))).toBe(false);
  });
});
