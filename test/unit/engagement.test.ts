import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engagementScore } from '../../lambdas/domain/engagement.ts';
import type { EngagementEvent, FieldValue } from '../../lambdas/domain/lead.ts';
import type { SlaInput } from '../../lambdas/domain/sla-schema.ts';
import { makeSla } from '../support/sla.ts';

const AT = new Date('2024-06-30T00:00:00.000Z');
const DAY = 86_400_000;

/** An event `daysAgo` days before AT (negative: after AT). */
function ev(
  type: string,
  daysAgo = 0,
  extra: { properties?: Record<string, FieldValue>; contentTags?: string[]; eventId?: string } = {},
): EngagementEvent {
  return { type, occurredAt: new Date(AT.getTime() - daysAgo * DAY).toISOString(), ...extra };
}

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
  { id: 'webinar', event: 'webinar_attended', contentTags: ['product'], points: 20 },
  { id: 'demo', event: 'demo_request', points: 40, once: true },
  { id: 'unsubscribe', event: 'unsubscribe', points: -50 },
];
const flat = makeSla({ scoring: { engagement: RULES } });
const decaying = makeSla({ scoring: { engagement: RULES, decay: { halfLife: '30d' } } });

const times = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

describe('engagementScore: rules', () => {
  it.each<[string, number, EngagementEvent[]]>([
    ['no events', 0, []],
    ['one page view', 1, [ev('page_view')]],
    ['page views up to the cap', 10, times(12, () => ev('page_view'))],
    ['where holds: page view + pricing', 11, [ev('page_view', 0, { properties: { path: '/en/Pricing' } })]],
    [
      'once: second pricing view only a page view',
      12,
      times(2, () => ev('page_view', 0, { properties: { path: '/pricing' } })),
    ],
    ['where fails without the property', 1, [ev('page_view', 0, { properties: { ref: '/pricing' } })]],
    ['cap takes part of the last event: 5 + 5 + 2', 12, times(3, () => ev('email_click'))],
    ['content tag, any case', 20, [ev('webinar_attended', 0, { contentTags: ['other', 'Product'] })]],
    ['content tag missing', 0, [ev('webinar_attended')]],
    ['content tag not listed', 0, [ev('webinar_attended', 0, { contentTags: ['pricing'] })]],
    ['once: two demo requests', 40, [ev('demo_request', 3), ev('demo_request', 1)]],
    ['negative points', -50, [ev('unsubscribe')]],
    [
      'mixed: 40 + 5 + 1 - 50',
      -4,
      [ev('demo_request'), ev('email_click'), ev('page_view'), ev('unsubscribe')],
    ],
    ['events after `at` are ignored', 0, [ev('demo_request', -1), ev('email_click', -0.001)]],
    ['an event exactly at `at` counts', 5, [ev('email_click', 0)]],
    ['unknown event types score nothing', 0, [ev('email_open'), ev('form_submission')]],
    [
      'a replayed event (same time and id) counts once',
      5,
      [ev('email_click', 1, { eventId: 'e1' }), ev('email_click', 1, { eventId: 'e1' })],
    ],
    [
      'a replay among other events at that time counts once',
      6,
      [
        ev('email_click', 1, { eventId: 'e1' }),
        ev('page_view', 1, { eventId: 'e2' }),
        ev('email_click', 1, { eventId: 'e1' }),
      ],
    ],
    [
      'the same id at another time is another event (the store keys events by time + id)',
      10,
      [ev('email_click', 2, { eventId: 'e1' }), ev('email_click', 1, { eventId: 'e1' })],
    ],
    [
      'an unparseable event with the same id is no original',
      10,
      [
        ev('email_click', 1, { eventId: 'e1' }),
        { type: 'email_click', occurredAt: 'bad', eventId: 'e1' },
        ev('email_click', 1, { eventId: 'e2' }),
      ],
    ],
    ['events without ids at the same time all count', 10, [ev('email_click', 1), ev('email_click', 1)]],
    ['an unparseable time is ignored', 0, [{ type: 'email_click', occurredAt: 'yesterday' }]],
  ])('%s -> %s', (_name, expected, events) => {
    // Act
    const { score } = engagementScore(flat, events, AT);
    // Assert
    expect(score).toBe(expected);
  });
});

describe('engagementScore: decay (half-life 30d)', () => {
  it.each<[string, number, EngagementEvent[]]>([
    ['fresh: full points', 40, [ev('demo_request', 0)]],
    ['one half-life: half', 2.5, [ev('email_click', 30)]],
    ['two half-lives: a quarter', 10, [ev('demo_request', 60)]],
    ['half a half-life: 40 / sqrt 2 = 28.28', 28.3, [ev('demo_request', 15)]],
    ['negative points never decay', -50, [ev('unsubscribe', 60)]],
    // most recent first: 5 (now) + 5 x 0.5 (30d) + 2 x 0.25 (60d); oldest first would be 5.75
    [
      'cap keeps the most recent events',
      8,
      [ev('email_click', 60), ev('email_click', 30), ev('email_click', 0)],
    ],
    ['same, given out of order', 8, [ev('email_click', 30), ev('email_click', 0), ev('email_click', 60)]],
    // once counts the first (earliest) event: 40 x 0.25
    ['once counts the first event', 10, [ev('demo_request', 0), ev('demo_request', 60)]],
  ])('%s -> %s', (_name, expected, events) => {
    // Act
    const { score } = engagementScore(decaying, events, AT);
    // Assert
    expect(score).toBe(expected);
  });

  it('decays a business half-life on its wall-clock length (10bd = 10 days)', () => {
    // Arrange
    const business = makeSla({ scoring: { engagement: RULES, decay: { halfLife: '10bd' } } });
    // Act
    const { score } = engagementScore(business, [ev('demo_request', 10)], AT);
    // Assert
    expect(score).toBe(20);
  });
});

describe('engagementScore: lead-type overrides', () => {
  it.each<[string, number, { extraRules?: typeof RULES; ignoreRules?: string[] }, EngagementEvent[]]>([
    ['ignored rule', 5, { ignoreRules: ['unsubscribe'] }, [ev('unsubscribe'), ev('email_click')]],
    [
      'extra rule',
      25,
      { extraRules: [{ id: 'trial', event: 'trial_started', points: 25 }] },
      [ev('trial_started')],
    ],
    [
      'extra rule replaces the base rule of that id',
      60,
      { extraRules: [{ id: 'demo', event: 'demo_request', points: 60 }] },
      [ev('demo_request')],
    ],
    ['no overrides', 40, {}, [ev('trial_started'), ev('demo_request')]],
  ])('%s -> %s', (_name, expected, options, events) => {
    // Arrange: parse the rules as the SLA would
    const withType = makeSla({
      scoring: { engagement: RULES },
      leadTypes: [
        {
          id: 't',
          name: 'T',
          overrides: { engagement: options.extraRules, ignoreRules: options.ignoreRules },
        },
      ],
    });
    const overrides = withType.leadTypes[0]!.overrides;
    // Act
    const { score } = engagementScore(withType, events, AT, {
      extraRules: overrides.engagement,
      ignoreRules: overrides.ignoreRules,
    });
    // Assert
    expect(score).toBe(expected);
  });
});

describe('engagementScore: reasons', () => {
  it('gives one reason per rule that scored, in rule order, with its points', () => {
    // Act
    const { score, reasons } = engagementScore(
      decaying,
      [
        ev('email_click', 0),
        ev('email_click', 30),
        ev('email_click', 60),
        ev('unsubscribe', 5),
        ev('page_view', 30),
      ],
      AT,
    );
    // Assert
    expect(score).toBe(-41.5); // 0.5 + 8 - 50
    expect(reasons).toEqual([
      { rule: 'engagement.page-view', points: 0.5, detail: '1 × page_view, +1 each, decayed, half-life 30d' },
      {
        rule: 'engagement.email-click',
        points: 8,
        detail: '3 × email_click, +5 each, capped at 12 (3 counted), decayed, half-life 30d',
      },
      { rule: 'engagement.unsubscribe', points: -50, detail: '1 × unsubscribe, -50 each' },
    ]);
  });
});

describe('engagementScore: properties', () => {
  const TYPES = ['page_view', 'email_click', 'webinar_attended', 'demo_request', 'unsubscribe', 'email_open'];
  const anEvent = fc.record({
    type: fc.constantFrom(...TYPES),
    ageMs: fc.integer({ min: 0, max: 400 * DAY }),
    path: fc.option(fc.constantFrom('/pricing', '/blog', '/en/pricing/'), { nil: undefined }),
    tags: fc.option(fc.subarray(['product', 'Product', 'pricing']), { nil: undefined }),
  });
  const toEvents = (
    raw: readonly { type: string; ageMs: number; path?: string; tags?: string[] }[],
    before: Date,
  ) =>
    raw.map(
      (e): EngagementEvent => ({
        type: e.type,
        occurredAt: new Date(before.getTime() - e.ageMs).toISOString(),
        ...(e.path === undefined ? {} : { properties: { path: e.path } }),
        ...(e.tags === undefined ? {} : { contentTags: e.tags }),
      }),
    );

  it('decay never increases a score: later is never higher for the same past events', () => {
    fc.assert(
      fc.property(
        fc.array(anEvent, { maxLength: 40 }),
        fc.integer({ min: 0, max: 365 * DAY }),
        (raw, laterMs) => {
          // Arrange
          const t1 = AT;
          const t2 = new Date(AT.getTime() + laterMs);
          const events = toEvents(raw, t1);
          // Act
          const at1 = engagementScore(decaying, events, t1).score;
          const at2 = engagementScore(decaying, events, t2).score;
          // Assert
          expect(at2).toBeLessThanOrEqual(at1);
        },
      ),
    );
  });

  it('never gives a capped rule more than its cap, with or without decay', () => {
    const caps = new Map(RULES.filter((r) => r.cap !== undefined).map((r) => [`engagement.${r.id}`, r.cap!]));
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 60 }), fc.boolean(), (raw, decay) => {
        // Act
        const { reasons } = engagementScore(decay ? decaying : flat, toEvents(raw, AT), AT);
        // Assert
        for (const reason of reasons) {
          const cap = caps.get(reason.rule);
          if (cap !== undefined) expect(Math.abs(reason.points!)).toBeLessThanOrEqual(cap);
        }
      }),
    );
  });

  it('does not depend on the order events are given in, nor on replays', () => {
    fc.assert(
      fc.property(
        fc.array(anEvent, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        (raw, replays, decay) => {
          // Arrange: unique ids, then exact copies of some events, then a reversed order
          const sla = decay ? decaying : flat;
          const events = toEvents(raw, AT).map((e, i) => ({ ...e, eventId: `e${i}` }));
          const replayed = [
            ...events,
            ...(events.length ? replays.map((n) => events[n % events.length]!) : []),
          ];
          // Act
          const once = engagementScore(sla, events, AT).score;
          // Assert
          expect(engagementScore(sla, [...events].reverse(), AT).score).toBe(once);
          expect(engagementScore(sla, replayed, AT).score).toBe(once);
          expect(engagementScore(sla, [...replayed].reverse(), AT).score).toBe(once);
        },
      ),
    );
  });
});
