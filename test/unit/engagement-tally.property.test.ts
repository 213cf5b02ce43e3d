/**
 * The running tally (engagement-tally.ts) against the full replay (engagementScore, journeyStage):
 * for any events, folded in any order and in any batches, read at any time at or after the latest
 * of them, the score, every reason and the journey stage are the replay's. And a lead judged on its tally
 * alone, as its wake judges it (ADR 0057), is the lead the replay of its whole history judges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engagementScore } from '../../lambdas/domain/engagement.ts';
import {
  emptyTally,
  engagedAfter,
  foldEvents,
  readTally,
  tallyRules,
} from '../../lambdas/domain/engagement-tally.ts';
import { journeyStage } from '../../lambdas/domain/journey.ts';
import type { EngagementEvent } from '../../lambdas/domain/lead.ts';
import { rejudgeLead, rejudgeWithNewEvents } from '../../lambdas/domain/lead-state.ts';
import type { SlaInput } from '../../lambdas/domain/sla-schema.ts';
import { leadState } from '../support/lead-state.ts';
import { makeSla } from '../support/sla.ts';

const T0 = Date.parse('2024-01-01T00:00:00.000Z');
const DAY = 86_400_000;

const RULES: NonNullable<NonNullable<SlaInput['scoring']>['engagement']> = [
  { id: 'page-view', event: 'page_view', points: 1, cap: 10 },
  {
    id: 'pricing',
    event: 'page_view',
    where: [{ field: 'path', contains: '/pricing' }],
    points: 10,
    once: true,
  },
  { id: 'email-click', event: 'email_click', points: 5, cap: 12 },
  { id: 'open', event: 'email_open', points: 0.7 },
  { id: 'webinar', event: 'webinar_attended', contentTags: ['product'], points: 20 },
  { id: 'demo', event: 'demo_request', points: 40, once: true, cap: 25 },
  { id: 'unsubscribe', event: 'unsubscribe', points: -50 },
  { id: 'bounce', event: 'email_bounce', points: -3, cap: 7 },
];
const JOURNEY: SlaInput['journey'] = {
  signals: [
    { stage: 'awareness', events: ['page_view'], contentTags: ['blog'] },
    { stage: 'consideration', events: ['webinar_attended'], contentTags: ['pricing', 'Case-Study'] },
    { stage: 'decision', events: ['demo_request'], contentTags: ['trial'] },
  ],
};
const SLAS = {
  flat: makeSla({ scoring: { engagement: RULES }, journey: JOURNEY }),
  decaying: makeSla({ scoring: { engagement: RULES, decay: { halfLife: '30d' } }, journey: JOURNEY }),
  fast: makeSla({ scoring: { engagement: RULES, decay: { halfLife: '2h' } }, journey: JOURNEY }),
};

const TYPES = [
  'page_view',
  'email_click',
  'email_open',
  'webinar_attended',
  'demo_request',
  'unsubscribe',
  'email_bounce',
  'form_submission',
];
const anEvent = fc.record({
  type: fc.constantFrom(...TYPES),
  atMs: fc.integer({ min: 0, max: 400 * DAY }),
  id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
  path: fc.option(fc.constantFrom('/pricing', '/blog', '/en/pricing/'), { nil: undefined }),
  tags: fc.option(fc.subarray(['product', 'Product', 'pricing', 'blog', 'trial', 'case-study']), {
    nil: undefined,
  }),
});
type RawEvent = typeof anEvent extends fc.Arbitrary<infer T> ? T : never;

/** Events as the store holds them: one per time and id, in sort-key order. */
function stored(raw: readonly RawEvent[]): EngagementEvent[] {
  const byKey = new Map<string, EngagementEvent>();
  for (const e of raw) {
    const occurredAt = new Date(T0 + e.atMs).toISOString();
    byKey.set(`${occurredAt}#${e.id}`, {
      eventId: e.id,
      type: e.type,
      occurredAt,
      ...(e.path === undefined ? {} : { properties: { path: e.path } }),
      ...(e.tags === undefined ? {} : { contentTags: e.tags }),
    });
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e);
}

/** Folds `events` in the order `order` gives, in batches cut at `cuts`. */
function foldInBatches(
  sla: (typeof SLAS)['flat'],
  events: readonly EngagementEvent[],
  order: readonly number[],
  cuts: readonly number[],
) {
  const shuffled = events.map((e, i) => ({ e, k: order[i % Math.max(order.length, 1)] ?? 0, i }));
  shuffled.sort((a, b) => a.k - b.k || a.i - b.i);
  const sequence = shuffled.map(({ e }) => e);
  let tally = emptyTally(sla);
  let from = 0;
  for (const cut of [...cuts.map((c) => c % (sequence.length + 1)), sequence.length].sort((a, b) => a - b)) {
    tally = foldEvents(sla, tally, sequence.slice(from, Math.max(cut, from)));
    from = Math.max(cut, from);
  }
  return tally;
}

describe('engagement tally: the same answers as the full replay', () => {
  it.each(Object.keys(SLAS) as (keyof typeof SLAS)[])(
    'for any events, fold order, batches and later time (%s decay)',
    (name) => {
      const sla = SLAS[name];
      fc.assert(
        fc.property(
          fc.array(anEvent, { maxLength: 40 }),
          fc.array(fc.nat(), { maxLength: 40 }),
          fc.array(fc.nat(), { maxLength: 4 }),
          fc.integer({ min: 0, max: 200 * DAY }),
          (raw, order, cuts, laterMs) => {
            // Arrange
            const events = stored(raw);
            const latest = Math.max(T0, ...events.map((e) => Date.parse(e.occurredAt)));
            const at = new Date(latest + laterMs);
            // Act
            const tally = foldInBatches(sla, events, order, cuts);
            const reading = readTally(sla, tally, at);
            // Assert
            const replay = engagementScore(sla, events, at);
            expect(reading).toBeDefined();
            expect(tally.count).toBe(events.length);
            expect(reading!.engagement.exact).toBeCloseTo(replay.exact, 9);
            expect(Math.abs(reading!.engagement.score - replay.score)).toBeLessThanOrEqual(0.1 + 1e-9);
            expect(reading!.engagement.reasons.map(({ points: _, ...r }) => r)).toEqual(
              replay.reasons.map(({ points: _, ...r }) => r),
            );
            reading!.engagement.reasons.forEach((reason, i) => {
              expect(Math.abs(reason.points! - replay.reasons[i]!.points!)).toBeLessThanOrEqual(0.1 + 1e-9);
            });
            expect(reading!.journey).toEqual(journeyStage(sla, events, at));
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it('knows whether the lead engaged after a time, unsubscribes aside', () => {
    fc.assert(
      fc.property(
        fc.array(anEvent, { maxLength: 30 }),
        fc.integer({ min: 0, max: 400 * DAY }),
        (raw, sinceMs) => {
          // Arrange
          const events = stored(raw);
          const since = T0 + sinceMs;
          // Act
          const tally = foldEvents(SLAS.flat, emptyTally(SLAS.flat), [...events].reverse());
          // Assert
          const expected = events.some((e) => e.type !== 'unsubscribe' && Date.parse(e.occurredAt) > since);
          expect(engagedAfter(tally, since)).toBe(expected);
        },
      ),
    );
  });
});

describe('a wake that reads the tally alone (ADR 0057): the lead the full replay judges', () => {
  it.each(Object.keys(SLAS) as (keyof typeof SLAS)[])(
    'for any events posted in any batches, woken at any later time (%s decay)',
    (name) => {
      const sla = SLAS[name];
      const created = rejudgeLead(sla, leadState(), [], new Date(T0), 'test')!;
      fc.assert(
        fc.property(
          fc.array(anEvent, { maxLength: 40 }),
          fc.array(fc.nat(), { maxLength: 4 }),
          fc.integer({ min: 0, max: 200 * DAY }),
          (raw, cuts, laterMs) => {
            // Arrange: each batch as the events route folds it, each id and time once (the store's key)
            const fresh = stored(raw);
            let lead = created;
            let from = 0;
            let latest = T0;
            for (const cut of [...cuts.map((c) => c % (fresh.length + 1)), fresh.length].sort(
              (a, b) => a - b,
            )) {
              const batch = fresh.slice(from, Math.max(cut, from));
              from = Math.max(cut, from);
              latest = Math.max(latest, ...batch.map((e) => Date.parse(e.occurredAt)));
              const folded = rejudgeWithNewEvents(sla, lead, batch, new Date(latest), 'events');
              lead =
                (folded === 'replay'
                  ? rejudgeLead(sla, lead, fresh.slice(0, from), new Date(latest), 'events')
                  : folded) ?? lead;
            }
            const at = new Date(latest + laterMs);
            // Act
            const woken = rejudgeWithNewEvents(sla, lead, [], at, 'workflow');
            // Assert
            const { tally: _tally, ...untallied } = lead;
            const replayed = rejudgeLead(sla, untallied, fresh, at, 'workflow') ?? untallied;
            expect(woken).not.toBe('replay');
            const judged = (woken === 'replay' ? undefined : woken) ?? lead;
            expect(judged.tally?.count).toBe(fresh.length);
            expect(judged.engagement).toBe(replayed.engagement);
            expect(judged.total).toBe(replayed.total);
            expect(judged.journeyStage).toBe(replayed.journeyStage);
            expect(judged.stage).toBe(replayed.stage);
            // nothing to store when nothing but time passed and the scores stayed: no write for the wake
            if (judged.engagement === lead.engagement && judged.stage === lead.stage)
              expect(woken).toBeUndefined();
          },
        ),
        { numRuns: 200 },
      );
    },
  );
});

describe('engagement tally: when it cannot answer', () => {
  const event = (type: string, iso: string): EngagementEvent => ({ eventId: 'x', type, occurredAt: iso });

  it('declines a time before an event it holds (the replay would leave that event out)', () => {
    // Arrange
    const tally = foldEvents(SLAS.flat, emptyTally(SLAS.flat), [
      event('demo_request', '2024-03-01T10:00:00.000Z'),
    ]);
    // Act
    const before = readTally(SLAS.flat, tally, new Date('2024-03-01T09:59:59.999Z'));
    const after = readTally(SLAS.flat, tally, new Date('2024-03-01T10:00:00.000Z'));
    // Assert
    expect(before).toBeUndefined();
    expect(after?.engagement.score).toBe(25);
  });

  it.each([
    ['another decay', SLAS.decaying],
    ['other rules', makeSla({ scoring: { engagement: RULES.slice(1) }, journey: JOURNEY })],
    ['another journey', makeSla({ scoring: { engagement: RULES } })],
  ])('declines a tally kept for %s', (_, other) => {
    // Arrange
    const tally = foldEvents(SLAS.flat, emptyTally(SLAS.flat), [
      event('page_view', '2024-03-01T10:00:00.000Z'),
    ]);
    // Act
    const reading = readTally(other, tally, new Date('2024-04-01T00:00:00.000Z'));
    // Assert
    expect(tallyRules(other)).not.toBe(tally.rules);
    expect(reading).toBeUndefined();
  });

  it('keeps a capped rule to the matches that can still count', () => {
    // Arrange: page views give 1 each up to 10: ten times are all it needs
    const views = Array.from({ length: 500 }, (_, i) =>
      event('page_view', new Date(T0 + i * 60_000).toISOString()),
    ).map((e, i) => ({ ...e, eventId: `v${i}` }));
    // Act
    const tally = foldEvents(SLAS.flat, emptyTally(SLAS.flat), views);
    // Assert
    expect(tally.perRule[0]!.recent).toHaveLength(10);
    expect(JSON.stringify(tally).length).toBeLessThan(1000);
  });
});
