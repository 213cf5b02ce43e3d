import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_REPS_QUEUE,
  accountOwner,
  awayWhenDue,
  chooseOwner,
  chooseQueue,
  localDate,
  type OwnerRequest,
  type RoutedQueue,
  rotationCycle,
} from '../../lambdas/domain/routing.ts';
import type { SlaInput } from '../../lambdas/domain/sla-schema.ts';
import { makeSla } from '../support/sla.ts';

const rep = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  email: `${id}@example.com`,
  ...extra,
});

const routingSla = makeSla({
  regions: { dach: ['DE', 'AT', 'CH'], nordics: ['SE', 'NO'] },
  leadTypes: [
    { id: 'existing-customer', name: 'Existing customer', overrides: { queue: 'accounts' } },
    { id: 'partner', name: 'Partner', match: { all: [{ field: 'interest', equals: 'partner' }] } },
    { id: 'prospect', name: 'Prospect' },
  ],
  routing: {
    reps: ['ann', 'bob', 'cid', 'dee', 'eve'].map((id) => rep(id)),
    queues: [
      { id: 'accounts', name: 'Accounts', leadTypes: ['existing-customer'], regions: ['JP'], reps: ['ann'] },
      {
        id: 'dach-partners',
        name: 'DACH partners',
        leadTypes: ['partner'],
        regions: ['dach'],
        reps: ['bob'],
      },
      { id: 'dach', name: 'DACH', regions: ['dach'], reps: ['cid', 'dee'] },
      {
        id: 'north-america',
        name: 'North America',
        leadTypes: ['prospect'],
        regions: ['US', 'CA'],
        reps: ['eve', 'ann'],
        strategy: 'weighted',
      },
    ],
    accounts: [
      { domain: 'acme.com', owner: 'ann' },
      { domain: 'eu.acme.com', owner: 'bob' },
      { domain: 'Globex.COM', owner: 'cid' },
    ],
  },
});

describe('chooseQueue', () => {
  it.each([
    [
      'the type override wins over regions',
      { leadTypeId: 'existing-customer', country: 'DE' },
      'accounts',
      'roundRobin',
    ],
    ['type and region', { leadTypeId: 'partner', country: 'DE' }, 'dach-partners', 'roundRobin'],
    ['a lower-case country code', { leadTypeId: 'partner', country: 'at' }, 'dach-partners', 'roundRobin'],
    ['any type, by region', { leadTypeId: 'prospect', country: 'CH' }, 'dach', 'roundRobin'],
    ['a region id, no country', { leadTypeId: 'prospect', region: 'dach' }, 'dach', 'roundRobin'],
    ['an ISO code in the queue', { leadTypeId: 'prospect', country: 'US' }, 'north-america', 'weighted'],
    [
      'the caller override',
      { leadTypeId: 'partner', country: 'DE', queueOverride: 'north-america' },
      'north-america',
      'weighted',
    ],
    [
      'an unknown override falls back to matching',
      { leadTypeId: 'partner', country: 'DE', queueOverride: 'nope' },
      'dach-partners',
      'roundRobin',
    ],
    [
      'type not served in that region',
      { leadTypeId: 'partner', country: 'US' },
      ALL_REPS_QUEUE,
      'roundRobin',
    ],
    ['no queue for the country', { leadTypeId: 'prospect', country: 'FR' }, ALL_REPS_QUEUE, 'roundRobin'],
    ['no location at all', { leadTypeId: 'prospect' }, ALL_REPS_QUEUE, 'roundRobin'],
  ])('%s: %o -> %s (%s)', (_name, request, queueId, strategy) => {
    // Act
    const { queue, reasons } = chooseQueue(routingSla, request);

    // Assert
    expect(queue.id).toBe(queueId);
    expect(queue.strategy).toBe(strategy);
    expect(reasons.length).toBeGreaterThan(0);
  });

  it('falls back to all reps, in declared order, and says no queue matched', () => {
    const { queue, reasons } = chooseQueue(routingSla, { leadTypeId: 'prospect', country: 'FR' });

    expect(queue).toEqual({
      id: ALL_REPS_QUEUE,
      reps: ['ann', 'bob', 'cid', 'dee', 'eve'],
      strategy: 'roundRobin',
    });
    expect(reasons).toContainEqual({
      rule: 'routing.queue',
      detail: 'no queue matched: one queue of all reps',
    });
  });

  it('says why it ignored an unknown override', () => {
    const { reasons } = chooseQueue(routingSla, {
      leadTypeId: 'partner',
      country: 'DE',
      queueOverride: 'nope',
    });

    expect(reasons[0]).toEqual({
      rule: 'routing.queue',
      detail: 'override queue "nope" is not declared: matching instead',
    });
  });

  it('uses one queue of all reps when none is declared', () => {
    const { queue, reasons } = chooseQueue(
      makeSla({ routing: { strategy: 'weighted', reps: [rep('ann')] } }),
      {
        leadTypeId: 'any',
      },
    );

    expect(queue).toEqual({ id: ALL_REPS_QUEUE, reps: ['ann'], strategy: 'weighted' });
    expect(reasons[0]?.detail).toBe('no queues declared: one queue of all reps');
  });
});

describe('accountOwner', () => {
  it.each([
    ['acme.com', 'ann'],
    ['ACME.com', 'ann'],
    ['sales.acme.com', 'ann'],
    ['eu.acme.com', 'bob'],
    ['berlin.eu.acme.com', 'bob'],
    ['globex.com', 'cid'],
    ['notacme.com', undefined],
    ['acme.com.evil.io', undefined],
    ['', undefined],
  ])('%s -> %s', (domain, owner) => {
    const match = accountOwner(routingSla, domain);

    expect(match?.rep.id).toBe(owner);
    if (match) expect(match.reasons[0]?.rule).toBe('routing.account');
  });
});

// ---------- chooseOwner ----------

const AT = new Date('2025-03-10T10:00:00.000Z'); // a Monday
const queue3: RoutedQueue = { id: 'q', reps: ['ann', 'bob', 'cid'], strategy: 'roundRobin' };
const always = () => true;

function ownerSla(reps: Record<string, unknown>[], routing: Partial<SlaInput['routing']> = {}) {
  return makeSla({ routing: { reps: reps as SlaInput['routing']['reps'], ...routing } });
}

describe('chooseOwner: round robin by turns', () => {
  const sla = ownerSla([rep('ann'), rep('bob'), rep('cid')]);
  const pickAt = (turn: number, request: Partial<OwnerRequest> = {}) =>
    chooseOwner(sla, { queue: queue3, at: AT, turn, openLeads: {}, isWorkingTime: always, ...request })
      .ownerId;

  it('cycles through the queue in order: A, B, C, A, ...', () => {
    // Act
    const picks = [1, 2, 3, 4, 5, 6, 7].map((turn) => pickAt(turn));

    // Assert
    expect(picks).toEqual(['ann', 'bob', 'cid', 'ann', 'bob', 'cid', 'ann']);
  });

  it.each([
    ['turn 1 is the first rep', 1, {}, 'ann'],
    ['turn 300 wraps around', 300, {}, 'cid'],
    ['turn 0 or less counts as turn 1', 0, {}, 'ann'],
    ['a skipped rep shifts the cycle to those available', 2, { exclude: ['ann'] }, 'cid'],
    ['... which still alternate', 3, { exclude: ['ann'] }, 'bob'],
  ])('%s', (_name, turn, request, expected) => {
    expect(pickAt(turn, request)).toBe(expected);
  });

  it('gives two reps exact halves while the third is away, and no run of leads on return', () => {
    // Arrange: turns 1-10 with cid excluded, then 11-19 with everyone
    const picks: (string | undefined)[] = [];

    // Act
    for (let turn = 1; turn <= 10; turn++) picks.push(pickAt(turn, { exclude: ['cid'] }));
    for (let turn = 11; turn <= 19; turn++) picks.push(pickAt(turn));

    // Assert
    const count = (id: string, from: number, to: number) =>
      picks.slice(from, to).filter((pick) => pick === id).length;
    expect([count('ann', 0, 10), count('bob', 0, 10)]).toEqual([5, 5]);
    expect([count('ann', 10, 19), count('bob', 10, 19), count('cid', 10, 19)]).toEqual([3, 3, 3]);
  });

  it('names the turn in its reason', () => {
    const choice = chooseOwner(sla, { queue: queue3, at: AT, turn: 5, openLeads: {}, isWorkingTime: always });

    expect(choice.reasons.at(-1)).toEqual({
      rule: 'routing.roundRobin',
      detail: 'Bob is next in the rotation of queue q (turn 5, 3 available)',
    });
  });

  it('needs no turn when one rep alone can take the lead, and says so', () => {
    // Act
    const choice = chooseOwner(sla, {
      queue: queue3,
      at: AT,
      openLeads: {},
      exclude: ['ann', 'cid'],
      isWorkingTime: always,
    });

    // Assert
    expect(choice.ownerId).toBe('bob');
    expect(choice.reasons.at(-1)).toEqual({
      rule: 'routing.roundRobin',
      detail: 'Bob is the only one in queue q who can take the lead now',
    });
  });
});

describe('chooseOwner: weighted', () => {
  it('gives a weight-2 rep twice the leads, interleaved: ann, bob, ann, ann, bob, ann', () => {
    const sla = ownerSla([rep('ann', { weight: 2 }), rep('bob')]);
    const queue: RoutedQueue = { id: 'w', reps: ['ann', 'bob'], strategy: 'weighted' };

    const picks = [1, 2, 3, 4, 5, 6].map(
      (turn) => chooseOwner(sla, { queue, at: AT, turn, openLeads: {}, isWorkingTime: always }).ownerId,
    );

    expect(picks).toEqual(['ann', 'bob', 'ann', 'ann', 'bob', 'ann']);
  });

  it('ignores weights under round robin', () => {
    const sla = ownerSla([rep('ann', { weight: 5 }), rep('bob')]);
    const queue: RoutedQueue = { id: 'r', reps: ['ann', 'bob'], strategy: 'roundRobin' };

    const choice = chooseOwner(sla, { queue, at: AT, turn: 2, openLeads: {}, isWorkingTime: always });

    expect(choice.ownerId).toBe('bob');
  });
});

describe('rotationCycle', () => {
  it.each([
    ['equal weights: queue order', [1, 1, 1], ['a', 'b', 'c']],
    ['2:1 spread out', [2, 1], ['a', 'b', 'a']],
    ['3:1:1', [3, 1, 1], ['a', 'b', 'a', 'c', 'a']],
    ['fractional weights 1.5:1', [1.5, 1], ['a', 'b', 'a', 'b', 'a']],
  ])('%s', (_name, weights, expected) => {
    const reps = weights.map((weight, i) => ({ id: 'abc'[i]!, weight }));

    expect(rotationCycle(reps)).toEqual(expected);
  });
});

describe('chooseOwner: eligibility', () => {
  // At turn 1 ann is first in line, so each row shows whether a rule pushes her out.
  const working =
    (...ids: string[]) =>
    (id: string) =>
      ids.includes(id);

  it.each<[string, Record<string, unknown>, Partial<OwnerRequest>, string | undefined, string]>([
    [
      'out of office today',
      { outOfOffice: [{ from: '2025-03-03', to: '2025-03-14' }] },
      {},
      'bob',
      'routing.eligibility',
    ],
    [
      'out of office from today (inclusive)',
      { outOfOffice: [{ from: '2025-03-10', to: '2025-03-12' }] },
      {},
      'bob',
      'routing.eligibility',
    ],
    [
      'out of office until today (inclusive)',
      { outOfOffice: [{ from: '2025-03-01', to: '2025-03-10' }] },
      {},
      'bob',
      'routing.eligibility',
    ],
    [
      'back since yesterday',
      { outOfOffice: [{ from: '2025-03-01', to: '2025-03-09' }] },
      {},
      'ann',
      'routing.roundRobin',
    ],
    [
      'away from tomorrow',
      { outOfOffice: [{ from: '2025-03-11', to: '2025-03-20' }] },
      {},
      'ann',
      'routing.roundRobin',
    ],
    ['at capacity', { capacity: 3 }, { openLeads: { ann: 3 } }, 'bob', 'routing.eligibility'],
    ['under capacity', { capacity: 3 }, { openLeads: { ann: 2 } }, 'ann', 'routing.roundRobin'],
    ['no capacity limit', {}, { openLeads: { ann: 500 } }, 'ann', 'routing.roundRobin'],
    ['excluded (reassigned away from)', {}, { exclude: ['ann'] }, 'bob', 'routing.eligibility'],
    ['not working while bob is', {}, { isWorkingTime: working('bob', 'cid') }, 'bob', 'routing.roundRobin'],
    ['nobody working: fall back to all', {}, { isWorkingTime: working() }, 'ann', 'routing.workingHours'],
  ])('ann %s (%o, %o) -> %s by %s', (_name, annExtra, request, expected, rule) => {
    // Arrange
    const sla = ownerSla([rep('ann', annExtra), rep('bob'), rep('cid')]);

    // Act
    const choice = chooseOwner(sla, {
      queue: queue3,
      at: AT,
      turn: 1,
      openLeads: {},
      isWorkingTime: always,
      ...request,
    });

    // Assert
    expect(choice.ownerId).toBe(expected);
    expect(choice.reasons.map((reason) => reason.rule)).toContain(rule);
  });

  describe('nobody at work: the reps whose first touch would fall due soonest', () => {
    // a Saturday lead: Berlin's reps open Monday 08:00 CET, Chicago's Monday 08:00 CST, seven hours later (a
    // trial saw a German weekend lead go to Chicago, its first touch due 17:30Z where Berlin's was 11:00Z)
    const dueMonday = (berlin: string[]) => (repId: string) =>
      new Date(berlin.includes(repId) ? '2025-03-10T11:00:00.000Z' : '2025-03-10T18:00:00.000Z');

    it.each([
      ['turn 1: the first of those opening first', 1, ['bob', 'cid'], 'bob'],
      ['turn 2: the rotation goes on among them', 2, ['bob', 'cid'], 'cid'],
      ['one alone opening first takes it at any turn', 1, ['cid'], 'cid'],
      ['all opening together: the rotation among all', 2, ['ann', 'bob', 'cid'], 'bob'],
    ])('%s', (_name, turn, berlin, expected) => {
      // Arrange
      const sla = ownerSla([rep('ann'), rep('bob'), rep('cid')]);

      // Act
      const choice = chooseOwner(sla, {
        queue: queue3,
        at: AT,
        turn,
        openLeads: {},
        isWorkingTime: () => false,
        firstTouchDue: dueMonday(berlin),
      });

      // Assert
      expect(choice.ownerId).toBe(expected);
      expect(choice.reasons.map((reason) => reason.rule)).toContain('routing.workingHours');
    });
  });

  it('ignores working hours when the SLA does not honour them', () => {
    const sla = ownerSla([rep('ann'), rep('bob')], { honourWorkingHours: false });

    const choice = chooseOwner(sla, {
      queue: queue3,
      at: AT,
      turn: 1,
      openLeads: {},
      isWorkingTime: working('bob'),
    });

    expect(choice.ownerId).toBe('ann');
  });

  it('finds nobody when every rep is away, full or excluded', () => {
    const sla = ownerSla([
      rep('ann', { outOfOffice: [{ from: '2025-03-10', to: '2025-03-10' }] }),
      rep('bob', { capacity: 1 }),
      rep('cid'),
    ]);

    const choice = chooseOwner(sla, {
      queue: queue3,
      at: AT,
      turn: 1,
      openLeads: { bob: 1 },
      exclude: ['cid'],
      isWorkingTime: always,
    });

    expect(choice).toEqual({
      ownerId: undefined,
      reasons: [
        { rule: 'routing.eligibility', detail: 'Ann is out of office 2025-03-10 to 2025-03-10' },
        { rule: 'routing.eligibility', detail: 'Bob is at capacity (1 open leads, capacity 1)' },
        { rule: 'routing.eligibility', detail: 'Cid is excluded' },
        { rule: 'routing.noOwner', detail: 'nobody in queue q can take the lead' },
      ],
    });
  });

  describe('out of office before the first touch would be due', () => {
    // AT is Monday 10:00 UTC; a deadline on Wednesday the 12th
    const dueWednesday = () => new Date('2025-03-12T10:00:00.000Z');

    it('passes over a rep who is away on a day up to the deadline they would get', () => {
      // Arrange: ann is here today, away from tomorrow; at turn 1 she is first in line
      const sla = ownerSla([
        rep('ann', { outOfOffice: [{ from: '2025-03-11', to: '2025-03-20' }] }),
        rep('bob'),
      ]);

      // Act
      const choice = chooseOwner(sla, {
        queue: queue3,
        at: AT,
        turn: 1,
        openLeads: {},
        isWorkingTime: always,
        firstTouchDue: dueWednesday,
      });

      // Assert
      expect(choice.ownerId).toBe('bob');
      expect(choice.reasons).toContainEqual({
        rule: 'routing.outOfOffice',
        detail: 'Ann is out of office 2025-03-11 to 2025-03-20, before the first touch would be due',
      });
    });

    it('keeps a rep whose time off starts after the deadline', () => {
      const sla = ownerSla([
        rep('ann', { outOfOffice: [{ from: '2025-03-13', to: '2025-03-20' }] }),
        rep('bob'),
      ]);

      const choice = chooseOwner(sla, {
        queue: queue3,
        at: AT,
        turn: 1,
        openLeads: {},
        isWorkingTime: always,
        firstTouchDue: dueWednesday,
      });

      expect(choice.ownerId).toBe('ann');
    });

    it('chooses among them all when everyone eligible is away before the deadline', () => {
      const away = { outOfOffice: [{ from: '2025-03-12', to: '2025-03-12' }] };
      const sla = ownerSla([rep('ann', away), rep('bob', away), rep('cid', away)]);

      const choice = chooseOwner(sla, {
        queue: queue3,
        at: AT,
        turn: 1,
        openLeads: {},
        isWorkingTime: always,
        firstTouchDue: dueWednesday,
      });

      expect(choice.ownerId).toBe('ann');
      expect(choice.reasons.map((reason) => reason.rule)).toContain('routing.outOfOffice');
    });

    it('presentOnly (a lead taken from an owner who is away, ADR 0043): nobody rather than a rep away before the deadline', () => {
      // Arrange: everyone eligible is away on Wednesday, the deadline's day
      const away = { outOfOffice: [{ from: '2025-03-12', to: '2025-03-12' }] };
      const sla = ownerSla([rep('ann', away), rep('bob', away), rep('cid', away)]);

      // Act
      const choice = chooseOwner(sla, {
        queue: queue3,
        at: AT,
        turn: 1,
        openLeads: {},
        isWorkingTime: always,
        firstTouchDue: dueWednesday,
        presentOnly: true,
      });

      // Assert
      expect(choice.ownerId).toBeUndefined();
      expect(choice.reasons.map((reason) => reason.rule)).toContain('routing.noOwner');
    });

    it.each([
      { name: 'passed over while others can: turn 1', formerOwners: ['ann'], turn: 1, chosen: 'bob' },
      { name: 'passed over while others can: turn 2', formerOwners: ['ann'], turn: 2, chosen: 'cid' },
      {
        name: 'the one who has not had it is at capacity: back among those who had it',
        formerOwners: ['ann', 'bob'],
        turn: 2,
        openLeads: { cid: 1 },
        chosen: 'bob',
        fellBack: true,
      },
      {
        name: 'the one who has not had it is off work: still before those at work who had it',
        formerOwners: ['ann', 'bob'],
        turn: 1,
        working: ['ann', 'bob'],
        chosen: 'cid',
      },
      { name: 'all had it', formerOwners: ['ann', 'bob', 'cid'], turn: 3, chosen: 'cid', fellBack: true },
    ])(
      'formerOwners (ADR 0043 amended), $name',
      ({ formerOwners, turn, openLeads, working, chosen, fellBack }) => {
        // Arrange
        const sla = ownerSla([rep('ann'), rep('bob'), rep('cid', { capacity: 1 })]);

        // Act
        const choice = chooseOwner(sla, {
          queue: queue3,
          at: AT,
          turn,
          openLeads: openLeads ?? {},
          isWorkingTime: (repId) => working?.includes(repId) ?? true,
          firstTouchDue: dueWednesday,
          presentOnly: true,
          formerOwners,
        });

        // Assert
        expect(choice.ownerId).toBe(chosen);
        expect(choice.reasons.some((reason) => reason.rule === 'routing.formerOwner')).toBe(
          fellBack === true,
        );
      },
    );
  });

  describe('awayWhenDue: the owner is away on the day a step falls due and not back by now', () => {
    const matsAway = ownerSla([rep('ann', { outOfOffice: [{ from: '2025-03-11', to: '2025-03-14' }] })]);
    const ann = matsAway.routing.reps[0]!;

    it.each([
      {
        name: 'due on a day away, now during the absence',
        due: '2025-03-12T10:00:00.000Z',
        now: '2025-03-12T10:00:00.000Z',
        away: true,
      },
      {
        name: 'due on a day away, now on its last day',
        due: '2025-03-11T10:00:00.000Z',
        now: '2025-03-14T16:00:00.000Z',
        away: true,
      },
      {
        name: 'due on a day away, now after the return',
        due: '2025-03-12T10:00:00.000Z',
        now: '2025-03-17T08:00:00.000Z',
        away: false,
      },
      {
        name: 'due the day before the absence',
        due: '2025-03-10T16:00:00.000Z',
        now: '2025-03-11T08:00:00.000Z',
        away: false,
      },
      {
        name: 'due after the return',
        due: '2025-03-17T08:00:00.000Z',
        now: '2025-03-17T08:00:00.000Z',
        away: false,
      },
    ])('$name: $away', ({ due, now, away }) => {
      // Act
      const period = awayWhenDue(matsAway, ann, new Date(due), new Date(now));
      // Assert
      expect(period !== undefined).toBe(away);
    });
  });

  it.each([
    // 23:30 UTC on the 10th is already the 11th in Tokyo and still the 10th in Chicago
    ['Asia/Tokyo', undefined, 'bob'],
    ['America/Chicago', undefined, 'ann'],
    [undefined, 'Asia/Tokyo', 'bob'],
    [undefined, 'UTC', 'ann'],
  ])(
    'reads out-of-office dates in the rep zone %s (calendar zone %s) -> %s',
    (repZone, calendarZone, expected) => {
      const sla = makeSla({
        calendar: calendarZone ? { timeZone: calendarZone } : {},
        routing: {
          reps: [
            rep('ann', {
              outOfOffice: [{ from: '2025-03-11', to: '2025-03-11' }],
              ...(repZone ? { timeZone: repZone } : {}),
            }),
            rep('bob'),
          ] as SlaInput['routing']['reps'],
        },
      });

      const choice = chooseOwner(sla, {
        queue: { id: 'q', reps: ['ann', 'bob'], strategy: 'roundRobin' },
        at: new Date('2025-03-10T23:30:00.000Z'),
        turn: 1,
        openLeads: {},
        isWorkingTime: always,
      });

      expect(choice.ownerId).toBe(expected);
    },
  );
});

describe('localDate', () => {
  it.each([
    ['2025-03-10T23:30:00.000Z', 'UTC', '2025-03-10'],
    ['2025-03-10T23:30:00.000Z', 'Asia/Tokyo', '2025-03-11'],
    ['2025-03-10T03:00:00.000Z', 'America/Los_Angeles', '2025-03-09'],
    ['2024-12-31T11:00:00.000Z', 'Pacific/Kiritimati', '2025-01-01'],
  ])('%s in %s is %s', (at, zone, expected) => {
    expect(localDate(new Date(at), zone)).toBe(expected);
  });
});

// ---------- properties ----------

const REP_IDS = ['ann', 'bob', 'cid', 'dee', 'eve', 'fay', 'gus', 'hal'];
const ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
const dayArb = fc
  .integer({ min: 0, max: 40 })
  .map((offset) => new Date(Date.UTC(2025, 2, 1) + offset * 86_400_000).toISOString().slice(0, 10));

describe('routing properties', () => {
  it('round robin over a fixed eligible set keeps their counts within one, and never serves the rest', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 120 }),
        fc.array(fc.constantFrom('eligible', 'away', 'excluded', 'full'), { minLength: 8, maxLength: 8 }),
        (size, assignments, roles) => {
          // Arrange: the first rep is always eligible, so the eligible set is never empty
          const ids = REP_IDS.slice(0, size);
          const role = (index: number) => (index === 0 ? 'eligible' : roles[index]!);
          const sla = ownerSla(
            ids.map((id, i) =>
              rep(id, {
                ...(role(i) === 'away' ? { outOfOffice: [{ from: '2025-03-01', to: '2025-03-31' }] } : {}),
                ...(role(i) === 'full' ? { capacity: 2 } : {}),
              }),
            ),
          );
          const queue: RoutedQueue = { id: 'q', reps: ids, strategy: 'roundRobin' };
          const request = {
            queue,
            at: AT,
            openLeads: Object.fromEntries(ids.map((id) => [id, 2])),
            exclude: ids.filter((_, i) => role(i) === 'excluded'),
            isWorkingTime: always,
          };

          // Act: consecutive turns, as the atomic counter hands them out
          const counts: Record<string, number> = {};
          for (let turn = 1; turn <= assignments; turn++) {
            const choice = chooseOwner(sla, { ...request, turn });
            if (choice.ownerId === undefined) throw new Error('an eligible rep exists');
            counts[choice.ownerId] = (counts[choice.ownerId] ?? 0) + 1;
          }

          // Assert
          const eligible = ids.filter((_, i) => role(i) === 'eligible').map((id) => counts[id] ?? 0);
          const others = ids.filter((_, i) => role(i) !== 'eligible').map((id) => counts[id] ?? 0);
          expect(Math.max(...eligible) - Math.min(...eligible)).toBeLessThanOrEqual(1);
          expect(eligible.reduce((sum, count) => sum + count, 0)).toBe(assignments);
          expect(others.every((count) => count === 0)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never picks a rep who is out of office, excluded or at capacity', () => {
    const repArb = fc.record({
      timeZone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
      outOfOffice: fc.array(
        fc.tuple(dayArb, dayArb).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })),
        { maxLength: 2 },
      ),
      capacity: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      weight: fc.integer({ min: 1, max: 3 }),
      open: fc.integer({ min: 0, max: 4 }),
      excluded: fc.boolean(),
      working: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(repArb, { minLength: 1, maxLength: 8 }),
        fc.date({
          min: new Date('2025-03-01T00:00:00Z'),
          max: new Date('2025-04-10T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom('roundRobin' as const, 'weighted' as const),
        fc.boolean(),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 1, max: 1000 }),
        (reps, at, strategy, honourWorkingHours, calendarZone, turn) => {
          // Arrange
          const ids = REP_IDS.slice(0, reps.length);
          const sla = makeSla({
            calendar: { timeZone: calendarZone },
            routing: {
              honourWorkingHours,
              reps: reps.map((r, i) =>
                rep(ids[i]!, {
                  outOfOffice: r.outOfOffice,
                  weight: r.weight,
                  ...(r.timeZone ? { timeZone: r.timeZone } : {}),
                  ...(r.capacity ? { capacity: r.capacity } : {}),
                }),
              ) as SlaInput['routing']['reps'],
            },
          });

          // Act
          const choice = chooseOwner(sla, {
            queue: { id: 'q', reps: ids, strategy },
            at,
            turn,
            openLeads: Object.fromEntries(reps.map((r, i) => [ids[i]!, r.open])),
            exclude: ids.filter((_, i) => reps[i]!.excluded),
            isWorkingTime: (id) => reps[ids.indexOf(id)]!.working,
          });

          // Assert: checked independently of the module's own date helper
          const allowed = reps.map((r, i) => {
            const day = at.toLocaleDateString('sv-SE', { timeZone: r.timeZone ?? calendarZone });
            const away = r.outOfOffice.some((period) => period.from <= day && day <= period.to);
            const full = r.capacity !== undefined && r.open >= r.capacity;
            return !away && !full && !r.excluded ? ids[i]! : undefined;
          });
          if (choice.ownerId === undefined) {
            expect(allowed.every((id) => id === undefined)).toBe(true);
          } else {
            expect(allowed).toContain(choice.ownerId);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
