/**
 * Events out of a lead whose oldest entries moved off its state (ADR 0035): with the carry the store writes
 * at each move (story-carry.ts), the events of the entries still on the state are those the whole story
 * gives (the deal's previous stage, the owner, attempt numbers, one breach per handover, the first touch),
 * so the publisher derives them without reading the moved entries back. Replay must not change an event:
 * same ids, same data, from the whole story or from any tail with its carry.
 */
import { describe, expect, it } from 'vitest';
import { carryEvents, eventsCarried, leadEvents } from '../../lambdas/domain/lead-events.ts';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { storyEntries } from '../support/story-entries.ts';

const sla = loadDefaultSla();
const carrier = storyCarrier(sla);
/** Monday 2026-11-02 09:00 Berlin */
const T0 = Date.parse('2026-11-02T08:00:00.000Z');
const rule = (id: string) => [{ rule: id, detail: id }];

/** Every kind of entry events out reads context for: handovers, the ladder, attempts, deals, a recycle. */
function story(): TimelineEntry[] {
  const { next, nurture } = storyEntries(T0);
  return [
    next({ kind: 'created', to: 'lead/new', by: 'form' }),
    next({ kind: 'stage', from: 'lead/new', to: 'mql/nurturing', by: 'workflow' }),
    ...nurture(6),
    next({ kind: 'stage', from: 'mql/nurturing', to: 'sql/new', by: 'workflow' }),
    next({ kind: 'owner', to: 'jonas', by: 'workflow' }),
    next({
      kind: 'overdue',
      from: 'jonas',
      to: 'jonas',
      by: 'workflow',
      reasons: rule('handoff.escalation.remindOwner'),
    }),
    next({
      kind: 'escalation',
      from: 'jonas',
      to: 'carla',
      by: 'workflow',
      reasons: rule('handoff.escalation.notifyManager'),
    }),
    next({ kind: 'owner', from: 'jonas', to: 'lena', by: 'workflow', reasons: rule('handoff.escalation.3') }),
    next({
      kind: 'attempt',
      from: 'sql/new',
      to: 'sql/attempting-contact',
      by: 'rep:lena',
      reasons: rule('contactAttempts.outcome.no-answer'),
    }),
    next({
      kind: 'attempt',
      from: 'sql/attempting-contact',
      to: 'sql/connected',
      by: 'rep:lena',
      reasons: rule('contactAttempts.outcome.connected'),
    }),
    next({
      kind: 'deal',
      from: 'sql/connected',
      to: 'opportunity/deal-open',
      by: 'rep:lena',
      reasons: rule('deals.stage.discovery'),
    }),
    next({ kind: 'deal', by: 'rep:lena', reasons: rule('deals.stage.quote-development') }),
    next({ kind: 'deal', by: 'rep:lena', reasons: rule('deals.stage.on-hold') }),
    next({
      kind: 'deal',
      from: 'opportunity/deal-open',
      to: 'mql/recycled-not-ready',
      by: 'rep:lena',
      reasons: rule('deals.stage.closed-lost'),
    }),
    ...nurture(4),
    next({ kind: 'stage', from: 'mql/recycled-not-ready', to: 'sql/new', by: 'workflow' }),
    next({ kind: 'owner', to: 'mats', by: 'workflow' }),
    next({
      kind: 'attempt',
      from: 'sql/new',
      to: 'sql/attempting-contact',
      by: 'rep:mats',
      reasons: rule('contactAttempts.outcome.no-answer'),
    }),
    next({
      kind: 'deal',
      from: 'sql/attempting-contact',
      to: 'opportunity/deal-open',
      by: 'rep:mats',
      reasons: rule('deals.stage.discovery'),
    }),
    next({ kind: 'unsubscribed', by: 'lead' }),
  ];
}

const lead = (timeline: readonly TimelineEntry[]): LeadState =>
  ({
    leadId: 'lead-events-carry',
    cycle: 1,
    slaVersion: sla.version,
    stage: 'opportunity',
    leadType: 'equipment-sales',
    fields: { country: 'DE' },
    timeline,
    timelineDropped: 0,
    updatedAt: timeline.at(-1)?.at ?? new Date(T0).toISOString(),
  }) as unknown as LeadState;

/** the lead after moves of `moves` entries each, oldest first, with the carries the store writes */
function moved(entries: readonly TimelineEntry[], moves: readonly number[]): LeadState {
  let state = lead(entries);
  for (const count of moves) {
    const { factsCarry: _f, eventsCarry: _e, ...rest } = state;
    state = {
      ...rest,
      ...carrier(state, state.timeline.slice(0, count)),
      timeline: state.timeline.slice(count),
      timelineSpilled: (state.timelineSpilled ?? 0) + count,
    } as LeadState;
  }
  return state;
}

describe('events out across a move of the oldest entries', () => {
  const entries = story();
  const whole = leadEvents(sla, lead(entries), 0);

  it('the whole story gives the events each kind of entry needs context for', () => {
    // the fixture is worth its name: each context-dependent event is in it
    const types = whole.map((event) => event.type);
    for (const type of [
      'lead.first_touch_breached',
      'lead.escalated',
      'lead.reassigned',
      'lead.recycled',
      'deal.stage_changed',
    ] as const)
      expect(types, type).toContain(type);
    expect(whole.filter((event) => event.type === 'lead.first_touch_breached')).toHaveLength(1);
    expect(
      whole.find((event) => event.type === 'deal.stage_changed' && event.data.to === 'quote-development')
        ?.data.from,
    ).toBe('discovery');
  });

  it('every split point: the tail with its carry gives the events the whole story gives from there', () => {
    for (let k = 0; k <= entries.length; k++) {
      const state = moved(entries, [k]);
      expect(state.eventsCarry?.through, `split at ${k}`).toBe(k);
      expect(eventsCarried(state)).toBe(true);
      expect(leadEvents(sla, state, k), `split at ${k}`).toEqual(whole.filter((event) => event.seq >= k));
    }
  });

  it.each([
    ['moves of 4 each (the store at its bounds)', Array.from({ length: 8 }, () => 4)],
    ['moves of 1 each', Array.from({ length: entries.length - 1 }, () => 1)],
    ['moves of 12, 7 and 5', [12, 7, 5]],
  ])('%s: the carry carried on gives the same events', (_, moves) => {
    // Arrange
    const k = moves.reduce((sum, count) => sum + count, 0);
    // Act
    const state = moved(entries, moves);
    // Assert
    expect(leadEvents(sla, state, k)).toEqual(whole.filter((event) => event.seq >= k));
  });

  it('without a carry the tail alone gets context wrong: what the publisher reads the moved entries back for', () => {
    // Arrange: the tail starts inside a deal and after the handover's breach
    const k = entries.findIndex((entry) => entry.reasons[0]?.rule === 'deals.stage.on-hold');
    const { eventsCarry: _carry, ...bare } = moved(entries, [k]);
    // Act
    const tailOnly = leadEvents(sla, bare as LeadState, k);
    // Assert
    expect(eventsCarried(bare as LeadState)).toBe(false);
    expect(tailOnly).not.toEqual(whole.filter((event) => event.seq >= k));
  });

  it('a carry that does not stand at the first kept entry is ignored, and none is carried on from it', () => {
    // Arrange: entries moved by a store without the carry
    const { eventsCarry: _carry, ...bare } = moved(entries, [10]);
    const stale = {
      ...bare,
      eventsCarry: { through: 3, attempts: 7, breached: true, owner: 'dan' },
    } as LeadState;
    // Act
    const carried = carryEvents(sla, stale, stale.timeline.slice(0, 5));
    // Assert
    expect(carried).toBeUndefined();
    expect(eventsCarried(stale)).toBe(false);
    expect(leadEvents(sla, stale, 10)).toEqual(leadEvents(sla, bare as LeadState, 10));
  });
});
