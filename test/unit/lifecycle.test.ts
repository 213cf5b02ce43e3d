import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import {
  type Applied,
  applyOccurrence,
  initialState,
  isTerminal,
  type LifecycleResult,
  type LifecycleState,
  type Occurrence,
  stateAfter,
  statusFor,
} from '../../lambdas/domain/lifecycle.ts';
import { LIFECYCLE_STAGES, type LifecycleStage, type Sla } from '../../lambdas/domain/sla-schema.ts';
import { makeSla } from '../support/sla.ts';

// Default SLA: statuses nurturing(created) new(handoff) attempting-contact(firstAttempt) connected
// open-deal(dealOpened) unqualified(disqualified) recycled-not-ready(recycled); recycle sql->lead,
// opportunity->lead; opportunity when a deal is created; lost deals cool off 90d.
const sla = makeSla();
const firstConnect = makeSla({ lifecycle: { opportunityWhen: 'firstConnect' } });
const AT = new Date('2025-01-10T12:00:00.000Z');

const state = (stage: LifecycleStage, status: string, recycledUntil?: string): LifecycleState =>
  recycledUntil === undefined ? { stage, status } : { stage, status, recycledUntil };

function applied(result: LifecycleResult): Applied {
  if (result.rejected) throw new Error(`unexpectedly rejected: ${result.reason.detail}`);
  return result;
}

describe('statusFor', () => {
  it.each([
    ['created', 'nurturing'],
    ['handoff', 'new'],
    ['firstAttempt', 'attempting-contact'],
    ['connected', 'connected'],
    ['dealOpened', 'open-deal'],
    ['disqualified', 'unqualified'],
    ['recycled', 'recycled-not-ready'],
  ] as const)('the %s moment sets %s', (moment, expected) => {
    expect(statusFor(sla, moment)).toBe(expected);
  });
});

describe('initialState', () => {
  it.each([
    ['lead', false, 'lead'],
    ['lead', true, 'subscriber'],
    ['mql', true, 'mql'],
    ['sql', false, 'sql'],
  ] as const)(
    'qualifiesAs %s, subscriberOnly %s -> %s with status created',
    (qualifiesAs, subscriberOnly, stage) => {
      const result = initialState(sla, { qualifiesAs, subscriberOnly });

      expect(result.state).toEqual({ stage, status: 'nurturing' });
      expect(result.reasons[0]?.rule).toBe('lifecycle.created');
    },
  );
});

describe('isTerminal', () => {
  it.each([
    [state('customer', 'open-deal'), true],
    [state('sql', 'unqualified'), true],
    [state('opportunity', 'open-deal'), false],
    [state('lead', 'recycled-not-ready'), false],
  ])('%o -> %s', (given, expected) => {
    expect(isTerminal(sla, given)).toBe(expected);
  });
});

describe('applyOccurrence: qualified', () => {
  const qualified = (qualifiesAs: 'lead' | 'mql' | 'sql', subscriberOnly = false, at = AT): Occurrence => ({
    kind: 'qualified',
    qualifiesAs,
    subscriberOnly,
    total: 77,
    at,
  });

  it.each([
    ['subscriber', 'lead', false, 'lead', true],
    ['subscriber', 'lead', true, 'subscriber', false],
    ['subscriber', 'sql', true, 'sql', true],
    ['lead', 'mql', false, 'mql', true],
    ['lead', 'sql', false, 'sql', true],
    ['mql', 'lead', false, 'mql', false],
    ['mql', 'lead', true, 'mql', false],
    ['sql', 'sql', false, 'sql', false],
    ['sql', 'mql', false, 'sql', false],
    ['opportunity', 'sql', false, 'opportunity', false],
    ['customer', 'sql', false, 'customer', false],
  ] as const)(
    '%s qualifying as %s (subscriberOnly %s) -> %s, changed %s',
    (from, as, subscriberOnly, stage, changed) => {
      // Arrange
      const before = state(from, 'nurturing');

      // Act
      const result = applied(applyOccurrence(sla, before, qualified(as, subscriberOnly)));

      // Assert
      expect(result).toMatchObject({ stage, status: 'nurturing', changed });
      expect(result.reasons.length).toBeGreaterThan(0);
      expect(result.coolOffUntil).toBeUndefined();
    },
  );

  it.each([
    ['2025-03-31T23:59:59.999Z', 'lead', 'lifecycle.coolOff'],
    ['2025-04-01T00:00:00.000Z', 'sql', 'lifecycle.forward'],
  ])('a recycled lead cooling off until 2025-04-01 and qualifying as sql at %s -> %s', (at, stage, rule) => {
    const before = state('lead', 'recycled-not-ready', '2025-04-01T00:00:00.000Z');

    const result = applied(applyOccurrence(sla, before, qualified('sql', false, new Date(at))));

    expect(result.stage).toBe(stage);
    expect(result.reasons.map((reason) => reason.rule)).toContain(rule);
  });
});

describe('applyOccurrence: handedOff', () => {
  it.each([
    [state('sql', 'nurturing'), 'sql', 'new', true],
    [state('mql', 'nurturing'), 'sql', 'new', true],
    [state('sql', 'new'), 'sql', 'new', false],
    [state('opportunity', 'connected'), 'opportunity', 'new', true],
    [state('customer', 'open-deal'), 'customer', 'open-deal', false],
  ])('%o -> %s / %s, changed %s', (before, stage, status, changed) => {
    const result = applied(applyOccurrence(sla, before, { kind: 'handedOff', ownerId: 'ann' }));

    expect(result).toMatchObject({ stage, status, changed });
    expect(result.reasons[0]).toEqual({ rule: 'lifecycle.handoff', detail: 'handed off to ann' });
  });
});

describe('applyOccurrence: attemptLogged', () => {
  it.each([
    ['default', state('sql', 'new'), 'no-answer', true, 'sql', 'attempting-contact', true],
    ['default', state('sql', 'new'), 'voicemail', false, 'sql', 'new', false],
    ['default', state('sql', 'attempting-contact'), 'no-answer', false, 'sql', 'attempting-contact', false],
    ['default', state('sql', 'new'), 'connected', true, 'sql', 'connected', true],
    ['default', state('sql', 'attempting-contact'), 'meeting-booked', false, 'sql', 'connected', true],
    [
      'firstConnect',
      state('sql', 'attempting-contact'),
      'connected',
      false,
      'opportunity',
      'connected',
      true,
    ],
    ['firstConnect', state('sql', 'new'), 'meeting-booked', true, 'opportunity', 'connected', true],
    [
      'firstConnect',
      state('opportunity', 'connected'),
      'connected',
      false,
      'opportunity',
      'connected',
      false,
    ],
    ['default', state('sql', 'attempting-contact'), 'not-interested', false, 'sql', 'unqualified', true],
    ['default', state('opportunity', 'open-deal'), 'bad-data', false, 'opportunity', 'unqualified', true],
    ['default', state('sql', 'attempting-contact'), 'not-now', false, 'lead', 'recycled-not-ready', true],
    ['default', state('opportunity', 'connected'), 'not-now', false, 'lead', 'recycled-not-ready', true],
    ['default', state('mql', 'nurturing'), 'not-now', false, 'mql', 'recycled-not-ready', true],
    ['firstConnect', state('customer', 'open-deal'), 'connected', false, 'customer', 'open-deal', false],
  ] as const)(
    '%s SLA, %o, outcome %s (first %s) -> %s / %s, changed %s',
    (which, before, outcomeId, first, stage, status, changed) => {
      // Arrange
      const rules = which === 'firstConnect' ? firstConnect : sla;

      // Act
      const result = applied(applyOccurrence(rules, before, { kind: 'attemptLogged', outcomeId, first }));

      // Assert
      expect(result).toMatchObject({ stage, status, changed });
      expect(result.coolOffUntil).toBeUndefined();
    },
  );

  it('rejects an outcome the SLA does not declare', () => {
    const result = applyOccurrence(sla, state('sql', 'new'), {
      kind: 'attemptLogged',
      outcomeId: 'ghosted',
      first: true,
    });

    expect(result).toMatchObject({ rejected: true, reason: { rule: 'contact.outcome' } });
    expect(result.rejected && result.reason.detail).toContain('"ghosted"');
  });

  it('says when no recycle transition is declared from the stage', () => {
    const result = applied(
      applyOccurrence(sla, state('mql', 'nurturing'), {
        kind: 'attemptLogged',
        outcomeId: 'not-now',
        first: false,
      }),
    );

    expect(result.reasons).toContainEqual({
      rule: 'lifecycle.recycle',
      detail: 'no recycle transition is declared from mql: the stage stays, status recycled-not-ready',
    });
  });
});

describe('applyOccurrence: dealUpdated', () => {
  it.each([
    ['default', state('sql', 'connected'), 'discovery', true, 'opportunity', 'open-deal', undefined],
    ['firstConnect', state('sql', 'attempting-contact'), 'discovery', true, 'sql', 'open-deal', undefined],
    [
      'default',
      state('opportunity', 'open-deal'),
      'quote-presented',
      false,
      'opportunity',
      'open-deal',
      undefined,
    ],
    ['default', state('opportunity', 'open-deal'), 'on-hold', false, 'opportunity', 'open-deal', undefined],
    ['default', state('opportunity', 'open-deal'), 'closed-won', false, 'customer', 'won', undefined],
    ['default', state('sql', 'connected'), 'closed-won', true, 'customer', 'won', undefined],
    [
      'default',
      state('opportunity', 'open-deal'),
      'closed-lost',
      false,
      'lead',
      'recycled-not-ready',
      '2025-04-10T12:00:00.000Z',
    ],
    [
      'default',
      state('sql', 'connected'),
      'closed-lost',
      true,
      'lead',
      'recycled-not-ready',
      '2025-04-10T12:00:00.000Z',
    ],
    ['default', state('customer', 'open-deal'), 'discovery', true, 'customer', 'open-deal', undefined],
    ['default', state('customer', 'open-deal'), 'closed-lost', false, 'customer', 'open-deal', undefined],
  ] as const)(
    '%s SLA, %o, deal stage %s (first %s) -> %s / %s, cool-off until %s',
    (which, before, dealStageId, first, stage, status, until) => {
      const rules = which === 'firstConnect' ? firstConnect : sla;

      const result = applied(
        applyOccurrence(rules, before, { kind: 'dealUpdated', dealStageId, at: AT, first }),
      );

      expect(result).toMatchObject({ stage, status });
      expect(result.coolOffUntil?.toISOString()).toBe(until);
    },
  );

  it('keeps the deal status for a won deal when the SLA declares no "won" status', () => {
    const noWon = makeSla({
      leadStatuses: [
        { id: 'nurturing', name: 'Nurturing', setWhen: 'created' },
        { id: 'new', name: 'New', setWhen: 'handoff' },
        { id: 'attempting', name: 'Attempting', setWhen: 'firstAttempt' },
        { id: 'connected', name: 'Connected', setWhen: 'connected' },
        { id: 'open-deal', name: 'Open deal', setWhen: 'dealOpened' },
        { id: 'unqualified', name: 'Unqualified', setWhen: 'disqualified' },
        { id: 'recycled', name: 'Recycled', setWhen: 'recycled' },
      ],
    });

    const result = applied(
      applyOccurrence(noWon, state('opportunity', 'open-deal'), {
        kind: 'dealUpdated',
        dealStageId: 'closed-won',
        at: AT,
        first: false,
      }),
    );

    expect(result).toMatchObject({ stage: 'customer', status: 'open-deal' });
  });

  it('counts a 30-day cool-off in local days across the DST switch (same wall time, 30 days on)', () => {
    const berlin = makeSla({ calendar: { timeZone: 'Europe/Berlin' } });
    // Mon 2027-03-15 10:00Z = 11:00 CET; 30 days on is Wed 2027-04-14 11:00 CEST = 09:00Z (not 10:00Z)
    const result = applied(
      applyOccurrence(berlin, state('sql', 'attempting-contact'), {
        kind: 'cadenceExhausted',
        at: new Date('2027-03-15T10:00:00.000Z'),
        coolOff: parseDuration('30d')!,
      }),
    );

    expect(result.coolOffUntil?.toISOString()).toBe('2027-04-14T09:00:00.000Z');
  });

  it('counts a business-time cool-off in working days of the company calendar', () => {
    const rules = makeSla({ deals: { lostCoolOff: '10bd' } });

    const result = applied(
      applyOccurrence(rules, state('opportunity', 'open-deal'), {
        kind: 'dealUpdated',
        dealStageId: 'closed-lost',
        at: AT,
        first: false,
      }),
    );

    // Fri 2025-01-10 12:00 UTC + 10 working days (Mon-Fri, UTC calendar) = Fri 2025-01-24 12:00
    expect(result.coolOffUntil?.toISOString()).toBe('2025-01-24T12:00:00.000Z');
    expect(result.reasons[0]?.detail).toContain('10bd');
  });

  it('rejects a deal stage the SLA does not declare', () => {
    const result = applyOccurrence(sla, state('opportunity', 'open-deal'), {
      kind: 'dealUpdated',
      dealStageId: 'negotiation',
      at: AT,
      first: false,
    });

    expect(result).toMatchObject({ rejected: true, reason: { rule: 'deals.stage' } });
  });
});

describe('applyOccurrence: cadenceExhausted', () => {
  const coolOff = parseDuration('30d')!;

  const recycleTo = {
    default: sla,
    'sql->mql only': makeSla({ lifecycle: { recycle: [{ from: 'sql', to: 'mql' }] } }),
    'opportunity->mql only': makeSla({ lifecycle: { recycle: [{ from: 'opportunity', to: 'mql' }] } }),
    'customer->lead only': makeSla({ lifecycle: { recycle: [{ from: 'customer', to: 'lead' }] } }),
  };
  const until = '2025-02-09T12:00:00.000Z';

  it.each([
    ['default', state('sql', 'attempting-contact'), 'lead', 'recycled-not-ready', until],
    ['default', state('opportunity', 'open-deal'), 'lead', 'recycled-not-ready', until],
    ['sql->mql only', state('sql', 'new'), 'mql', 'recycled-not-ready', until],
    ['opportunity->mql only', state('sql', 'new'), 'sql', 'recycled-not-ready', until],
    ['default', state('customer', 'open-deal'), 'customer', 'open-deal', undefined],
    ['customer->lead only', state('customer', 'open-deal'), 'lead', 'recycled-not-ready', until],
  ] as const)(
    '%s recycles, %o -> %s / %s, cool-off until %s',
    (which, before, stage, status, expectedUntil) => {
      const result = applied(
        applyOccurrence(recycleTo[which], before, { kind: 'cadenceExhausted', at: AT, coolOff }),
      );

      expect(result).toMatchObject({ stage, status });
      expect(result.coolOffUntil?.toISOString()).toBe(expectedUntil);
    },
  );

  it('names the declared transition it took', () => {
    const result = applied(
      applyOccurrence(sla, state('sql', 'attempting-contact'), { kind: 'cadenceExhausted', at: AT, coolOff }),
    );

    expect(result.reasons).toContainEqual({
      rule: 'lifecycle.recycle',
      detail: 'recycled sql -> lead (declared in lifecycle.recycle), status recycled-not-ready',
    });
  });
});

describe('applyOccurrence: statusSetByRep', () => {
  const withCustom = makeSla({
    leadStatuses: [
      { id: 'nurturing', name: 'Nurturing', setWhen: 'created' },
      { id: 'new', name: 'New', setWhen: 'handoff' },
      { id: 'attempting-contact', name: 'Attempting contact', setWhen: 'firstAttempt' },
      { id: 'connected', name: 'Connected', setWhen: 'connected', repCanSet: true },
      { id: 'open-deal', name: 'Open deal', setWhen: 'dealOpened' },
      { id: 'unqualified', name: 'Unqualified', setWhen: 'disqualified', repCanSet: true },
      { id: 'recycled-not-ready', name: 'Recycled - not ready', setWhen: 'recycled', repCanSet: true },
      { id: 'wrong-person', name: 'Wrong person', repCanSet: true },
    ],
    lifecycle: { opportunityWhen: 'firstConnect' },
  });

  const rules = { default: sla, 'custom, firstConnect': withCustom };

  it.each([
    ['default', state('sql', 'attempting-contact'), 'connected', 'sql', 'connected'],
    ['custom, firstConnect', state('sql', 'attempting-contact'), 'connected', 'opportunity', 'connected'],
    ['default', state('sql', 'attempting-contact'), 'unqualified', 'sql', 'unqualified'],
    ['default', state('opportunity', 'open-deal'), 'recycled-not-ready', 'lead', 'recycled-not-ready'],
    ['default', state('lead', 'nurturing'), 'recycled-not-ready', 'lead', 'recycled-not-ready'],
    ['custom, firstConnect', state('sql', 'new'), 'wrong-person', 'sql', 'wrong-person'],
    ['default', state('customer', 'open-deal'), 'unqualified', 'customer', 'open-deal'],
  ] as const)('%s SLA, %o, rep sets %s -> %s / %s', (which, before, statusId, stage, status) => {
    const result = applied(applyOccurrence(rules[which], before, { kind: 'statusSetByRep', statusId }));

    expect(result).toMatchObject({ stage, status });
    expect(result.coolOffUntil).toBeUndefined();
  });

  it.each([
    ['new', 'leadStatus.new'],
    ['open-deal', 'leadStatus.open-deal'],
    ['lost-interest', 'leadStatus'],
  ])('rejects %s (rule %s)', (statusId, rule) => {
    const result = applyOccurrence(sla, state('sql', 'new'), { kind: 'statusSetByRep', statusId });

    expect(result).toMatchObject({ rejected: true, reason: { rule } });
  });
});

describe('stateAfter', () => {
  it('stores a cool-off as recycledUntil and keeps an earlier one otherwise', () => {
    const before = state('sql', 'new', '2024-01-01T00:00:00.000Z');
    const recycled = applyOccurrence(sla, before, {
      kind: 'cadenceExhausted',
      at: AT,
      coolOff: parseDuration('1d')!,
    });
    const touched = applyOccurrence(sla, before, {
      kind: 'attemptLogged',
      outcomeId: 'no-answer',
      first: true,
    });
    const bogus = applyOccurrence(sla, before, { kind: 'attemptLogged', outcomeId: 'bogus', first: true });

    expect(stateAfter(before, recycled)).toEqual(
      state('lead', 'recycled-not-ready', '2025-01-11T12:00:00.000Z'),
    );
    expect(stateAfter(before, touched)).toEqual(
      state('sql', 'attempting-contact', '2024-01-01T00:00:00.000Z'),
    );
    expect(stateAfter(before, bogus)).toBe(before);
  });
});

// ---------- properties ----------

const rank = (stage: LifecycleStage) => LIFECYCLE_STAGES.indexOf(stage);

/** SLAs with any opportunity rule and any set of backward recycle transitions (at most one per stage). */
const slaArb: fc.Arbitrary<Sla> = fc
  .record({
    opportunityWhen: fc.constantFrom('dealCreated' as const, 'firstConnect' as const),
    recycle: fc.tuple(
      ...LIFECYCLE_STAGES.slice(1).map((from) =>
        fc.option(
          fc.constantFrom(...LIFECYCLE_STAGES.slice(0, rank(from))).map((to) => ({ from, to })),
          {
            nil: undefined,
          },
        ),
      ),
    ),
  })
  .map(({ opportunityWhen, recycle }) =>
    makeSla({
      lifecycle: { opportunityWhen, recycle: recycle.filter((move) => move !== undefined) },
    }),
  );

const dateArb = fc.date({
  min: new Date('2024-01-01T00:00:00Z'),
  max: new Date('2027-01-01T00:00:00Z'),
  noInvalidDate: true,
});

const occurrenceArb: fc.Arbitrary<Occurrence> = fc.oneof(
  fc.record({
    kind: fc.constant('qualified' as const),
    qualifiesAs: fc.constantFrom('lead' as const, 'mql' as const, 'sql' as const),
    subscriberOnly: fc.boolean(),
    total: fc.integer({ min: -50, max: 300 }),
    at: dateArb,
  }),
  fc.record({ kind: fc.constant('handedOff' as const), ownerId: fc.constantFrom('ann', 'bob') }),
  fc.record({
    kind: fc.constant('attemptLogged' as const),
    outcomeId: fc.constantFrom(...sla.contact.outcomes.map((outcome) => outcome.id), 'bogus'),
    first: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('dealUpdated' as const),
    dealStageId: fc.constantFrom(...sla.deals.stages.map((stage) => stage.id), 'bogus'),
    at: dateArb,
    first: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('cadenceExhausted' as const),
    at: dateArb,
    coolOff: fc.constantFrom('0h', '30d', '5bd').map((text) => parseDuration(text)!),
  }),
  fc.record({
    kind: fc.constant('statusSetByRep' as const),
    statusId: fc.constantFrom(...sla.leadStatuses.map((status) => status.id), 'bogus'),
  }),
);

const stateArb: fc.Arbitrary<LifecycleState> = fc.record(
  {
    stage: fc.constantFrom(...LIFECYCLE_STAGES),
    status: fc.constantFrom(...sla.leadStatuses.map((status) => status.id)),
    recycledUntil: dateArb.map((date) => date.toISOString()),
  },
  { requiredKeys: ['stage', 'status'] },
);

describe('lifecycle properties', () => {
  it('never moves the stage backward except along a declared recycle transition the reasons name', () => {
    fc.assert(
      fc.property(
        slaArb,
        stateArb,
        fc.array(occurrenceArb, { maxLength: 40 }),
        (rules, start, occurrences) => {
          let current = start;
          for (const occurrence of occurrences) {
            const result = applyOccurrence(rules, current, occurrence);
            const next = stateAfter(current, result);
            if (rank(next.stage) < rank(current.stage)) {
              const declared = rules.lifecycle.recycle.some(
                (move) => move.from === current.stage && move.to === next.stage,
              );
              const named =
                !result.rejected &&
                result.reasons.some(
                  (reason) =>
                    reason.rule === 'lifecycle.recycle' &&
                    reason.detail.includes(`${current.stage} -> ${next.stage}`),
                );
              expect(declared && named, `${current.stage} -> ${next.stage} on ${occurrence.kind}`).toBe(true);
            }
            if (current.stage === 'customer' && next.stage !== 'customer') {
              expect(rules.lifecycle.recycle.some((move) => move.from === 'customer')).toBe(true);
            }
            expect(rules.leadStatuses.map((status) => status.id)).toContain(next.status);
            if (!result.rejected) {
              expect(result.changed).toBe(
                result.stage !== current.stage ||
                  result.status !== current.status ||
                  (result.coolOffUntil !== undefined &&
                    result.coolOffUntil.toISOString() !== current.recycledUntil),
              );
              expect(result.reasons.length).toBeGreaterThan(0);
            }
            current = next;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
