/**
 * latestFacts: the report facts a write adds. With `since` (the story's length before the write, which a
 * store saving over the version it read knows) each fact of the story is told by exactly one write, however
 * many writes share an instant (a signal and the wake it starts, on the manual clock); told by time alone,
 * the later writes of an instant tell that instant's facts again (a conditional put each, refused).
 */
import { describe, expect, it } from 'vitest';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import type { OutboxEntry } from '../../lambdas/domain/outbox.ts';
import { carryFacts, factsOf, type LeadFact, latestFacts } from '../../lambdas/domain/report-facts.ts';
import { reclaim } from '../../lambdas/tasks/wake.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { storyEntries, storyLead } from '../support/story-entries.ts';

const sla = loadDefaultSla();
const T0 = Date.parse('2026-11-02T08:00:00.000Z');

/** a hand-off story whose entries come in bursts at one instant (as writes at one instant make them) */
function story(): TimelineEntry[] {
  const { next, nurture } = storyEntries(T0);
  const entries = [
    next({ kind: 'created', to: 'lead/new', by: 'form' }),
    next({ kind: 'stage', from: 'lead/new', to: 'mql/nurturing', by: 'workflow' }),
    ...nurture(3),
    next({ kind: 'stage', from: 'mql/nurturing', to: 'sql/new', by: 'workflow' }),
    next({ kind: 'owner', to: 'jonas', by: 'workflow' }),
    next({ kind: 'attempt', from: 'sql/new', to: 'sql/attempting-contact', by: 'rep:jonas' }),
    next({ kind: 'owner', from: 'jonas', to: 'lena', by: 'workflow' }),
    next({ kind: 'breach', by: 'workflow' }),
    next({ kind: 'attempt', from: 'sql/attempting-contact', to: 'sql/attempting-contact', by: 'rep:lena' }),
    next({ kind: 'attempt', from: 'sql/attempting-contact', to: 'sql/connected', by: 'rep:lena' }),
  ];
  // three entries to an instant
  return entries.map((entry, index) => ({ ...entry, at: entries[index - (index % 3)]!.at }));
}

const lead = storyLead('lead-latest', T0);

const identity = (fact: LeadFact) => `${fact.kind}|${fact.at}|${fact.seq}`;

/**
 * One write per entry, the state as each write leaves it; `moveAt`: before that write the store moves the
 * oldest entries but the last two off the state, with the facts' carry (ADR 0021, ADR 0030).
 */
function writes(entries: readonly TimelineEntry[], moveAt?: number): { state: LeadState; since: number }[] {
  const out: { state: LeadState; since: number }[] = [];
  let state = lead([]);
  for (const [index, entry] of entries.entries()) {
    if (index === moveAt) {
      const count = state.timeline.length - 2;
      const carry = carryFacts(sla, state, state.timeline.slice(0, count));
      state = {
        ...state,
        timeline: state.timeline.slice(count),
        timelineSpilled: (state.timelineSpilled ?? 0) + count,
        ...(carry ? { factsCarry: carry } : {}),
      };
    }
    const since = index;
    state = { ...state, timeline: [...state.timeline, entry], updatedAt: entry.at };
    out.push({ state, since });
  }
  return out;
}

describe('latestFacts', () => {
  it.each([
    ['on the state throughout', undefined],
    ['with the oldest entries moved off before the eighth write', 7],
  ])(
    'with since, every fact of the story is told once, by the write that added its entry (%s)',
    (_name, moveAt) => {
      // Arrange
      const entries = story();
      const whole = factsOf(sla, lead(entries)).map(identity);
      // Act
      const told = writes(entries, moveAt).flatMap(({ state, since }) =>
        latestFacts(sla, state, since).map(identity),
      );
      // Assert
      expect(whole.length).toBeGreaterThan(6);
      expect(told).toEqual(whole);
    },
  );

  it('told by time alone, no fact is lost, but the writes of an instant tell its facts again', () => {
    // Arrange
    const entries = story();
    const whole = factsOf(sla, lead(entries)).map(identity);
    // Act
    const told = writes(entries).flatMap(({ state }) => latestFacts(sla, state).map(identity));
    // Assert
    expect(new Set(told)).toEqual(new Set(whole));
    expect(told.length).toBeGreaterThan(whole.length);
  });

  it.each([
    ['longer than the story', 99],
    ['before the entries kept on the state', -1],
  ])('a since %s is not trusted: the change is told by time', (_name, since) => {
    // Arrange
    const entries = story();
    const state = lead(entries);
    // Act / Assert
    expect(latestFacts(sla, state, since)).toEqual(latestFacts(sla, state));
  });
});

describe('an escalation claim taken again', () => {
  it('a wake that died before its send: the claim taken again by the next wake tells no second escalation', () => {
    // Arrange: the escalation rung claimed with its timeline entry, then abandoned and taken again (wake.ts reclaim)
    const { next } = storyEntries(T0);
    const entries = [
      next({ kind: 'created', to: 'lead/new', by: 'form' }),
      next({ kind: 'stage', from: 'lead/new', to: 'sql/new', by: 'workflow' }),
      next({ kind: 'owner', to: 'jonas', by: 'workflow' }),
      next({ kind: 'overdue', from: 'jonas', to: 'katrin', by: 'workflow' }),
    ];
    const claimedAt = entries.at(-1)!.at;
    const claim: OutboxEntry = {
      key: 'escalate:1:jonas',
      what: 'told katrin',
      at: claimedAt,
      claim: 'wake-1',
      email: { type: 'managerEscalation', repId: 'jonas', managerId: 'katrin', dueAt: claimedAt, overdue: 2 },
    };
    const claimed = lead(entries, { outbox: [claim], ownerId: 'jonas' });
    const taken = reclaim(claimed, [claim], new Date(Date.parse(claimedAt) + 16 * 60_000), 'wake-2');

    // Act
    const told = [...latestFacts(sla, claimed, 3), ...latestFacts(sla, taken, 4)];

    // Assert: one escalation, at its claim (told again under its identity, a put its condition refuses)
    expect(new Set(told.filter((fact) => fact.kind === 'escalation').map(identity))).toEqual(
      new Set([`escalation|${claimedAt}|0`]),
    );
    expect(factsOf(sla, taken).filter((fact) => fact.kind === 'escalation')).toHaveLength(1);
  });
});
