/**
 * Report facts of a lead whose oldest entries moved off its state (ADR 0021, ADR 0030): with the carry
 * the store wrote at each move, the facts of the entries still on the state are those of the whole story
 * (time in the stage it left, attempt numbers, the first touch of a handover long ago); without it they
 * are those of the tail alone, which is what the report got before.
 */
import { describe, expect, it } from 'vitest';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { carryFacts, type FactsCarry, factsOf } from '../../lambdas/domain/report-facts.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { storyEntries, storyLead } from '../support/story-entries.ts';

const sla = loadDefaultSla();
const T0 = Date.parse('2026-11-02T08:00:00.000Z');
function story(): TimelineEntry[] {
  const { next, nurture } = storyEntries(T0);
  return [
    next({ kind: 'created', to: 'lead/new', by: 'form' }),
    next({ kind: 'stage', from: 'lead/new', to: 'mql/nurturing', by: 'workflow' }),
    ...nurture(30),
    next({ kind: 'stage', from: 'mql/nurturing', to: 'sql/new', by: 'workflow' }),
    next({ kind: 'owner', to: 'jonas', by: 'workflow' }),
    ...nurture(5),
    next({ kind: 'attempt', from: 'sql/new', to: 'sql/attempting-contact', by: 'rep:jonas' }),
    next({ kind: 'attempt', from: 'sql/attempting-contact', to: 'sql/attempting-contact', by: 'rep:jonas' }),
    next({ kind: 'owner', from: 'jonas', to: 'lena', by: 'workflow' }),
    next({ kind: 'breach', by: 'workflow' }),
    next({ kind: 'attempt', from: 'sql/attempting-contact', to: 'sql/attempting-contact', by: 'rep:lena' }),
    next({ kind: 'status', from: 'sql/attempting-contact', to: 'mql/recycled-not-ready', by: 'rep:lena' }),
    ...nurture(12),
    next({ kind: 'stage', from: 'mql/recycled-not-ready', to: 'sql/new', by: 'workflow' }),
    next({ kind: 'owner', to: 'mats', by: 'workflow' }),
    next({ kind: 'attempt', from: 'sql/new', to: 'sql/attempting-contact', by: 'rep:mats' }),
    next({ kind: 'attempt', from: 'sql/attempting-contact', to: 'sql/connected', by: 'rep:mats' }),
  ];
}

const lead = storyLead('lead-carry', T0);

/** the lead after moves of `moves` entries each, oldest first, as the store does them */
function moved(entries: readonly TimelineEntry[], moves: readonly number[]): LeadState {
  let state = lead(entries);
  for (const count of moves) {
    const carry: FactsCarry | undefined = carryFacts(sla, state, state.timeline.slice(0, count));
    state = {
      ...state,
      timeline: state.timeline.slice(count),
      timelineSpilled: (state.timelineSpilled ?? 0) + count,
      ...(carry ? { factsCarry: carry } : {}),
    };
  }
  return state;
}

/** the whole story's facts of entries from position k on */
const factsFrom = (entries: readonly TimelineEntry[], k: number) =>
  factsOf(sla, lead(entries)).slice(factsOf(sla, lead(entries.slice(0, k))).length);

describe('report facts across a move of the oldest entries', () => {
  const entries = story();

  it.each([
    ['one move of 10', [10]],
    ['one move past the handover', [36]],
    ['moves of 20, 20 and 10', [20, 20, 10]],
    ['moves of 1 each, 40 times', Array.from({ length: 40 }, () => 1)],
    ['a move past the recycle', [47]],
    ['all but the last two', [entries.length - 2]],
  ])('%s: the tail with its carry gives the facts the whole story gives', (_, moves) => {
    // Arrange
    const k = moves.reduce((sum, count) => sum + count, 0);
    const state = moved(entries, moves);
    // Act
    const facts = factsOf(sla, state);
    // Assert
    expect(state.factsCarry?.through).toBe(k);
    expect(facts).toEqual(factsFrom(entries, k));
  });

  it('every split point: the same facts as the whole story', () => {
    for (let k = 0; k <= entries.length; k++)
      expect(factsOf(sla, moved(entries, [k])), `split at ${k}`).toEqual(factsFrom(entries, k));
  });

  it('without a carry, a tail of a long story reports a wrong time in stage and wrong attempt numbers (what the report got before)', () => {
    // Arrange: the tail starts after the lead entered MQL and after its first two attempts
    const k = 20;
    const { factsCarry: _carry, ...bare } = moved(entries, [k]);
    // Act
    const tailOnly = factsOf(sla, bare as LeadState);
    const whole = factsFrom(entries, k);
    // Assert
    const intoSql = (facts: typeof whole) =>
      facts.find((fact) => fact.kind === 'stage' && fact.stage === 'sql');
    expect(intoSql(whole)?.hoursInFrom).toBeCloseTo((31 * 47) / 60, 2);
    expect(intoSql(tailOnly)?.hoursInFrom).toBeLessThan(intoSql(whole)!.hoursInFrom!);
  });

  it('a carry that does not stand at the first kept entry is ignored, and none is carried on from it', () => {
    // Arrange: entries moved by a store without the carry, then by one with it
    const bare = { ...moved(entries, [10]), factsCarry: undefined };
    // Act
    const carry = carryFacts(sla, bare, bare.timeline.slice(0, 5));
    const stale = factsOf(sla, { ...bare, factsCarry: { through: 3, attempts: 7 } });
    // Assert
    expect(carry).toBeUndefined();
    expect(stale).toEqual(factsOf(sla, bare));
  });
});

describe('a call logged after the lead changed hands, across a move of the oldest entries', () => {
  // jonas has the lead, then lena; a call jonas made while he had it is logged after that
  function lateLogged(): TimelineEntry[] {
    const { next, nurture } = storyEntries(T0);
    const start = [
      next({ kind: 'created', to: 'sql/new', by: 'form' }),
      next({ kind: 'owner', to: 'jonas', by: 'workflow' }),
      ...nurture(3),
    ];
    const called = next({ kind: 'judged', from: 'sql/new', to: 'sql/new', by: 'workflow' }).at;
    return [
      ...start,
      next({ kind: 'owner', from: 'jonas', to: 'lena', by: 'manager:katrin' }),
      ...nurture(3),
      next({
        kind: 'attempt',
        from: 'sql/new',
        to: 'sql/attempting-contact',
        by: 'api:admin',
        data: { occurredAt: called },
      }),
    ];
  }

  it("every split point: the same facts as the whole story, the touch jonas's", () => {
    // Arrange
    const entries = lateLogged();
    // Act
    const whole = factsOf(sla, lead(entries));
    // Assert
    expect(whole.filter((fact) => fact.kind === 'touch').map((fact) => [fact.rep, fact.met])).toEqual([
      ['jonas', true],
    ]);
    for (let k = 0; k <= entries.length; k++)
      expect(factsOf(sla, moved(entries, [k])), `split at ${k}`).toEqual(factsFrom(entries, k));
  });
});
