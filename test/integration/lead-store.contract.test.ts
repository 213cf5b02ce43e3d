/**
 * The LeadStore contract, run against both implementations: DynamoDB (on an in-process dynalite, a fresh
 * table per test) and memory. Then what only the DynamoDB adapter can show: the requests it sends.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import {
  type Attempt,
  type LeadState,
  type LeadStore,
  type ParkRequest,
  type StoredEvent,
  updateLead,
} from '../../lambdas/ports/lead-store.ts';
import { useDynalite } from '../support/dynalite.ts';

// ---------- fixtures ----------

function makeLead(leadId: string, overrides: Partial<LeadState> = {}): LeadState {
  return {
    leadId,
    cycle: 1,
    version: 1,
    email: `${leadId}@example.com`,
    fields: { firstName: 'Ada', company: 'Example GmbH', employees: 120 },
    marketingConsent: true,
    unsubscribed: false,
    undeliverable: false,
    slaVersion: 'test-1',
    judgedAt: '2024-05-01T09:00:00.000Z',
    stage: 'lead',
    status: 'new',
    leadType: 'new-business',
    journeyStage: 'awareness',
    fit: 40,
    fitTier: 'C',
    engagement: 10,
    total: 50,
    sent: [],
    createdAt: '2024-05-01T09:00:00.000Z',
    updatedAt: '2024-05-01T09:00:00.000Z',
    timeline: [{ at: '2024-05-01T09:00:00.000Z', kind: 'created', to: 'lead', by: 'form', reasons: [] }],
    timelineDropped: 0,
    ...overrides,
  };
}

function makeEvent(eventId: string, occurredAt: string, overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    eventId,
    type: 'page_view',
    occurredAt,
    receivedAt: '2024-05-03T00:00:00.000Z',
    properties: { url: '/pricing' },
    ...overrides,
  };
}

function makeAttempt(attemptId: string, at: string, overrides: Partial<Attempt> = {}): Attempt {
  return { attemptId, at, outcomeId: 'no-answer', repId: 'ann', channel: 'phone', ...overrides };
}

/** the next version of a stored state, as a handler would save it */
function next(state: LeadState, overrides: Partial<LeadState> = {}): LeadState {
  return { ...state, ...overrides, version: state.version + 1 };
}

// ---------- the contract ----------

interface Implementation {
  makeStore(): LeadStore;
}

const implementations: [string, () => Implementation][] = [
  [
    'dynamodb',
    () => {
      const dynalite = useDynalite();
      return { makeStore: () => new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName }) };
    },
  ],
  ['memory', () => ({ makeStore: () => new MemoryLeadStore() })],
  // the simulator's: deep-frozen values shared between versions (a mutation throws instead of copying)
  ['memory, share', () => ({ makeStore: () => new MemoryLeadStore({ share: true }) })],
];

describe.each(implementations)('LeadStore contract: %s', (_name, setup) => {
  const implementation = setup();
  let store: LeadStore;
  beforeEach(() => {
    store = implementation.makeStore();
  });

  describe('lead state', () => {
    it('creates a lead once; a second create answers exists and overwrites nothing', async () => {
      // Arrange
      const first = makeLead('lead-1');
      const second = makeLead('lead-1', { email: 'someone-else@example.com', stage: 'sql', total: 99 });

      // Act
      const created = await store.createLead(first);
      const again = await store.createLead(second);

      // Assert
      expect(created).toBe('created');
      expect(again).toBe('exists');
      expect(await store.getLead('lead-1')).toEqual(first);
    });

    it('answers undefined for an unknown lead', async () => {
      // Act
      const lead = await store.getLead('nobody');

      // Assert
      expect(lead).toBeUndefined();
    });

    it('round-trips every field, dropping undefined optional ones', async () => {
      // Arrange
      const lead = makeLead('lead-1', {
        persona: 'it-leader',
        ownerId: 'ann',
        handedOffAt: '2024-05-01T10:00:00.000Z',
        deal: {
          stageId: 'discovery',
          since: '2024-05-02T00:00:00.000Z',
          openedAt: '2024-05-02T00:00:00.000Z',
          amount: 12_500.5,
        },
        waitToken: 'token-1',
        sent: ['first-touch:1', 'attempt:2'],
        fields: { firstName: 'Ada', consent: true, employees: 120, message: '' },
        coolOffUntil: undefined,
      });

      // Act
      await store.createLead(lead);
      const read = await store.getLead('lead-1');

      // Assert
      expect(read).toEqual(lead);
      expect(read).not.toHaveProperty('coolOffUntil');
      expect(read).not.toHaveProperty('pk');
      expect(read).not.toHaveProperty('gsi1pk');
    });

    it('drops undefined inside lists and maps as a DynamoDB round trip does, in every field', async () => {
      // Arrange: holes a domain function can leave (`[a, maybe]`), in fields DynamoDB keeps as attributes
      // of their own and in the rest of the lead (ADR 0037: its compressed body)
      const hole = undefined as unknown as string;
      const lead = makeLead('lead-1', {
        sent: ['first-touch:1', hole, 'attempt:2'],
        usedActionNonces: ['n1', hole, 'n2'],
        deal: { stageId: 'discovery', since: '2024-05-02T00:00:00.000Z', openedAt: hole },
        timeline: [
          {
            at: '2024-05-01T09:00:00.000Z',
            kind: 'created',
            to: 'lead',
            by: 'form',
            reasons: [{ rule: 'form', detail: 'posted' }, hole as never],
          },
        ],
      });

      // Act
      await store.createLead(lead);
      const read = await store.getLead('lead-1');

      // Assert
      expect(read?.sent).toEqual(['first-touch:1', 'attempt:2']);
      expect(read?.usedActionNonces).toEqual(['n1', 'n2']);
      expect(read?.deal).toEqual({ stageId: 'discovery', since: '2024-05-02T00:00:00.000Z' });
      expect(read?.timeline[0]?.reasons).toEqual([{ rule: 'form', detail: 'posted' }]);
    });

    it('saves with the expected version and refuses a stale one', async () => {
      // Arrange
      const stored = makeLead('lead-1');
      await store.createLead(stored);
      const fresh = next(stored, { status: 'working' });
      const stale = next(stored, { status: 'recycled' });

      // Act
      const saved = await store.saveLead(fresh, 1);
      const conflict = await store.saveLead(stale, 1);

      // Assert
      expect(saved).toBe('saved');
      expect(conflict).toBe('conflict');
      expect(await store.getLead('lead-1')).toEqual(fresh);
    });

    it('answers conflict when saving a lead that does not exist', async () => {
      // Act
      const result = await store.saveLead(makeLead('ghost', { version: 2 }), 1);

      // Assert
      expect(result).toBe('conflict');
      expect(await store.getLead('ghost')).toBeUndefined();
    });

    it('rejects a save whose state does not carry expectedVersion + 1', async () => {
      // Arrange
      const stored = makeLead('lead-1');
      await store.createLead(stored);

      // Act + Assert
      await expect(store.saveLead({ ...stored, status: 'working' }, 1)).rejects.toThrow(RangeError);
      expect(await store.getLead('lead-1')).toEqual(stored);
    });

    it('lets exactly one of several concurrent saves with the same expected version win', async () => {
      // Arrange
      const stored = makeLead('lead-1');
      await store.createLead(stored);
      const contenders = ['a', 'b', 'c', 'd', 'e'].map((status) => next(stored, { status }));

      // Act
      const results = await Promise.all(contenders.map((state) => store.saveLead(state, 1)));

      // Assert
      expect(results.filter((result) => result === 'saved')).toHaveLength(1);
      expect(results.filter((result) => result === 'conflict')).toHaveLength(4);
      const winner = contenders[results.indexOf('saved')];
      expect(await store.getLead('lead-1')).toEqual(winner);
    });

    it('applies all of 10 concurrent updateLead increments (retry on conflict)', async () => {
      // Arrange
      await store.createLead(makeLead('lead-1', { fields: { count: 0 } }));
      const increment = (current: LeadState): LeadState => ({
        ...current,
        fields: { ...current.fields, count: Number(current.fields.count) + 1 },
      });

      // Act: 10 writers in lockstep need up to 10 rounds (one wins per round), so allow 10 attempts
      const results = await Promise.all(
        Array.from({ length: 10 }, () => updateLead(store, 'lead-1', increment, 10)),
      );

      // Assert
      expect(results.map((r) => r.result)).toEqual(Array(10).fill('saved'));
      const final = await store.getLead('lead-1');
      expect(final?.fields.count).toBe(10);
      expect(final?.version).toBe(11);
    });

    it.each([
      ['as stored: one write, no read', 0, 0],
      ['stale (another write landed since): the conflict reads afresh and applies on that', 1, 1],
    ])('updateLead from a lead the caller read (%s)', async (_case, writesSince, reads) => {
      // Arrange
      await store.createLead(makeLead('lead-1', { fields: { count: 0 } }));
      const known = (await store.getLead('lead-1'))!;
      for (let i = 0; i < writesSince; i++)
        await updateLead(store, 'lead-1', (c) => ({ ...c, fields: { count: 5 } }));
      const increment = (current: LeadState): LeadState => ({
        ...current,
        fields: { ...current.fields, count: Number(current.fields.count) + 1 },
      });
      const counted = new Proxy(store, {
        get: (target, property, receiver) =>
          property === 'getLead'
            ? (...args: Parameters<LeadStore['getLead']>) => {
                got++;
                return target.getLead(...args);
              }
            : Reflect.get(target, property, receiver),
      });
      let got = 0;
      // Act
      const { result } = await updateLead(counted, 'lead-1', increment, undefined, undefined, known);
      // Assert
      expect(result).toBe('saved');
      expect(got).toBe(reads);
      expect((await store.getLead('lead-1'))?.fields.count).toBe(writesSince === 0 ? 1 : 6);
    });

    it('never lets a caller change stored state by mutating objects', async () => {
      // Arrange
      const lead = makeLead('lead-1');
      const written = structuredClone(lead) as unknown as { fields: Record<string, unknown>; sent: string[] };
      await store.createLead(written as unknown as LeadState);

      // Act
      written.fields.company = 'Changed after write';
      written.sent.push('mutated');
      const read = (await store.getLead('lead-1')) as unknown as { fields: Record<string, unknown> };
      try {
        read.fields.company = 'Changed after read';
      } catch (error) {
        // share mode: what it hands out is frozen
        expect(error).toBeInstanceOf(TypeError);
      }

      // Assert
      expect(await store.getLead('lead-1')).toEqual(lead);
    });
  });

  describe('events', () => {
    it('ignores a replayed event: duplicate, and the list is unchanged', async () => {
      // Arrange
      const event = makeEvent('evt-1', '2024-05-01T10:00:00.000Z');
      await store.appendEvent('lead-1', event);
      const before = await store.listEvents('lead-1');

      // Act
      const replay = await store.appendEvent('lead-1', { ...event, properties: { url: '/changed' } });

      // Assert
      expect(replay).toBe('duplicate');
      expect(await store.listEvents('lead-1')).toEqual(before);
      expect(before).toEqual([event]);
    });

    it('treats the same instant written in another ISO form as the same event', async () => {
      // Arrange
      await store.appendEvent('lead-1', makeEvent('evt-1', '2024-05-01T10:00:00.000Z'));

      // Act
      const replay = await store.appendEvent('lead-1', makeEvent('evt-1', '2024-05-01T12:00:00+02:00'));

      // Assert
      expect(replay).toBe('duplicate');
      expect(await store.listEvents('lead-1')).toHaveLength(1);
    });

    it('lists a lead’s events in occurrence order, whatever the order they arrived in', async () => {
      // Arrange
      const events = [
        makeEvent('evt-c', '2024-05-03T08:00:00.000Z'),
        makeEvent('evt-a', '2024-05-01T08:00:00.000Z'),
        makeEvent('evt-b2', '2024-05-02T08:00:00.000Z'),
        makeEvent('evt-b1', '2024-05-02T08:00:00.000Z'),
        // 07:30Z written with an offset: sorts by instant, before 08:00Z on the same day
        makeEvent('evt-offset', '2024-05-01T09:30:00+02:00'),
      ];
      for (const event of events) await store.appendEvent('lead-1', event);
      await store.appendEvent('lead-2', makeEvent('other-lead', '2024-05-01T00:00:00.000Z'));

      // Act
      const listed = await store.listEvents('lead-1');

      // Assert
      expect(listed.map((event) => event.eventId)).toEqual([
        'evt-offset',
        'evt-a',
        'evt-b1',
        'evt-b2',
        'evt-c',
      ]);
      expect(listed.find((event) => event.eventId === 'evt-offset')?.occurredAt).toBe(
        '2024-05-01T09:30:00+02:00',
      );
    });

    it('lists nothing for a lead without events', async () => {
      // Act + Assert
      expect(await store.listEvents('lead-without-events')).toEqual([]);
    });
  });

  describe('attempts', () => {
    it('appends attempts once and lists them in time order', async () => {
      // Arrange
      const second = makeAttempt('att-2', '2024-05-02T10:00:00.000Z', {
        outcomeId: 'connected',
        note: 'call back',
      });
      const first = makeAttempt('att-1', '2024-05-01T10:00:00.000Z');

      // Act
      const results = [
        await store.appendAttempt('lead-1', second),
        await store.appendAttempt('lead-1', first),
        await store.appendAttempt('lead-1', { ...first, outcomeId: 'changed' }),
      ];

      // Assert
      expect(results).toEqual(['appended', 'appended', 'duplicate']);
      expect(await store.listAttempts('lead-1')).toEqual([first, second]);
      expect(await store.listEvents('lead-1')).toEqual([]);
    });

    it('deletes one attempt by its id; the others stay', async () => {
      // Arrange
      const kept = makeAttempt('crm-1', '2024-05-01T10:00:00.000Z');
      await store.appendAttempt('lead-1', kept);
      await store.appendAttempt('lead-1', makeAttempt('crm-2', '2024-05-01T11:00:00.000Z'));

      // Act
      await store.deleteAttempt('lead-1', 'crm-2');
      await store.deleteAttempt('lead-1', 'never-stored');

      // Assert
      expect(await store.listAttempts('lead-1')).toEqual([kept]);
    });

    it('keys an attempt by its id alone: a retry stamped with another time is a duplicate', async () => {
      // Arrange
      const original = makeAttempt('crm-1', '2024-05-01T10:00:00.000Z');

      // Act
      const results = [
        await store.appendAttempt('lead-1', original),
        await store.appendAttempt('lead-1', { ...original, at: '2024-05-01T10:00:07.000Z' }),
        await store.appendAttempt('lead-1', { ...original, at: '2024-05-03T08:00:00+02:00' }),
      ];

      // Assert
      expect(results).toEqual(['appended', 'duplicate', 'duplicate']);
      expect(await store.listAttempts('lead-1')).toEqual([original]);
    });

    it('stores one of 20 concurrent appends of one attemptId, whatever their times', async () => {
      // Act
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.appendAttempt(
            'lead-1',
            makeAttempt('crm-2', `2024-05-01T10:00:${String(i).padStart(2, '0')}.000Z`, { note: `try ${i}` }),
          ),
        ),
      );

      // Assert
      expect(results.filter((result) => result === 'appended')).toHaveLength(1);
      const winner = results.indexOf('appended');
      expect(await store.listAttempts('lead-1')).toEqual([
        makeAttempt('crm-2', `2024-05-01T10:00:${String(winner).padStart(2, '0')}.000Z`, {
          note: `try ${winner}`,
        }),
      ]);
    });

    it('lists attempts in time order (as instants), not in the order of their ids', async () => {
      // Arrange: ids sort the other way round; one time carries an offset
      const late = makeAttempt('a-late', '2024-05-03T10:00:00.000Z');
      const middle = makeAttempt('m-middle', '2024-05-02T12:00:00+02:00');
      const early = makeAttempt('z-early', '2024-05-01T10:00:00.000Z');
      const sameTimeB = makeAttempt('b-same', '2024-05-02T10:00:00.000Z');

      // Act
      for (const attempt of [late, middle, early, sameTimeB]) await store.appendAttempt('lead-1', attempt);

      // Assert: 12:00+02:00 is 10:00Z, tied with b-same: the id breaks the tie
      expect(await store.listAttempts('lead-1')).toEqual([early, sameTimeB, middle, late]);
    });
  });

  describe('deleteLeadHistory', () => {
    it('removes all events and attempts (more than one batch) but keeps the state and other leads', async () => {
      // Arrange
      const lead = makeLead('lead-1');
      await store.createLead(lead);
      for (let i = 0; i < 30; i++) {
        await store.appendEvent(
          'lead-1',
          makeEvent(`evt-${i}`, `2024-05-01T10:${String(i).padStart(2, '0')}:00.000Z`),
        );
      }
      for (let i = 0; i < 27; i++) {
        await store.appendAttempt(
          'lead-1',
          makeAttempt(`att-${i}`, `2024-05-02T10:${String(i).padStart(2, '0')}:00.000Z`),
        );
      }
      await store.appendEvent('lead-2', makeEvent('keep-me', '2024-05-01T10:00:00.000Z'));
      await store.appendAttempt('lead-2', makeAttempt('keep-me', '2024-05-01T10:00:00.000Z'));
      expect(await store.listEvents('lead-1')).toHaveLength(30);
      expect(await store.listAttempts('lead-1')).toHaveLength(27);

      // Act
      await store.deleteLeadHistory('lead-1');

      // Assert
      expect(await store.listEvents('lead-1')).toEqual([]);
      expect(await store.listAttempts('lead-1')).toEqual([]);
      expect(await store.getLead('lead-1')).toEqual(lead);
      expect(await store.listEvents('lead-2')).toHaveLength(1);
      expect(await store.listAttempts('lead-2')).toHaveLength(1);
    });

    it('keepCyclesAfter spares the events of a later cycle, even one put over a listed copy', async () => {
      // Arrange: the old life's events, and a new life's event (put again, tagged, over its untagged copy)
      await store.createLead(makeLead('lead-1'));
      for (let i = 0; i < 3; i++)
        await store.appendEvent('lead-1', makeEvent(`old-${i}`, `2024-05-01T10:0${i}:00.000Z`));
      const reposted = makeEvent('new-life', '2024-05-03T10:00:00.000Z');
      await store.appendEvent('lead-1', reposted);
      await store.putEventOfCycle('lead-1', { ...reposted, cycle: 2 });

      // Act
      await store.deleteLeadHistory('lead-1', { keepCyclesAfter: 1 });

      // Assert
      expect(await store.listEvents('lead-1')).toEqual([{ ...reposted, cycle: 2 }]);
    });

    it('lists and deletes a history larger than one 1 MB query page', async () => {
      // Arrange: 4 events of ~300 KB; DynamoDB (and dynalite) return at most 1 MB per Query page
      const big = 'x'.repeat(300_000);
      for (let i = 0; i < 4; i++) {
        await store.appendEvent(
          'lead-1',
          makeEvent(`big-${i}`, `2024-05-01T10:0${i}:00.000Z`, { properties: { big } }),
        );
      }

      // Act
      const listed = await store.listEvents('lead-1');
      await store.deleteLeadHistory('lead-1');

      // Assert
      expect(listed.map((event) => event.eventId)).toEqual(['big-0', 'big-1', 'big-2', 'big-3']);
      expect(listed.every((event) => event.properties?.big === big)).toBe(true);
      expect(await store.listEvents('lead-1')).toEqual([]);
    });

    it('does nothing for a lead without history', async () => {
      // Act + Assert
      await expect(store.deleteLeadHistory('nobody')).resolves.toBeUndefined();
    });
  });

  describe('listLeadsByOwner', () => {
    beforeEach(async () => {
      const leads = [
        makeLead('ann-old', {
          ownerId: 'ann',
          stage: 'sql',
          status: 'working',
          updatedAt: '2024-05-01T08:00:00.000Z',
        }),
        makeLead('ann-new', {
          ownerId: 'ann',
          stage: 'sql',
          status: 'new',
          updatedAt: '2024-05-03T08:00:00.000Z',
        }),
        makeLead('ann-mid', {
          ownerId: 'ann',
          stage: 'opportunity',
          status: 'working',
          updatedAt: '2024-05-02T08:00:00.000Z',
        }),
        makeLead('ann-customer', {
          ownerId: 'ann',
          stage: 'customer',
          status: 'won',
          updatedAt: '2024-05-04T08:00:00.000Z',
        }),
        makeLead('ann-erased', {
          ownerId: 'ann',
          stage: 'sql',
          status: 'new',
          erasedAt: '2024-05-04T09:00:00.000Z',
          email: undefined,
        }),
        makeLead('bob-1', {
          ownerId: 'bob',
          stage: 'sql',
          status: 'new',
          updatedAt: '2024-05-04T08:00:00.000Z',
        }),
        makeLead('unowned', { stage: 'mql', status: 'new', updatedAt: '2024-05-04T08:00:00.000Z' }),
      ];
      for (const lead of leads) await store.createLead(lead);
    });

    it('returns only that owner’s open leads, newest first, as summaries', async () => {
      // Act
      const leads = await store.listLeadsByOwner('ann');

      // Assert
      expect(leads).toEqual([
        {
          leadId: 'ann-new',
          stage: 'sql',
          status: 'new',
          ownerId: 'ann',
          total: 50,
          updatedAt: '2024-05-03T08:00:00.000Z',
        },
        {
          leadId: 'ann-mid',
          stage: 'opportunity',
          status: 'working',
          ownerId: 'ann',
          total: 50,
          updatedAt: '2024-05-02T08:00:00.000Z',
        },
        {
          leadId: 'ann-old',
          stage: 'sql',
          status: 'working',
          ownerId: 'ann',
          total: 50,
          updatedAt: '2024-05-01T08:00:00.000Z',
        },
      ]);
    });

    it('filters by status and honours the limit', async () => {
      // Act
      const working = await store.listLeadsByOwner('ann', { status: 'working' });
      const newestWorking = await store.listLeadsByOwner('ann', { status: 'working', limit: 1 });
      const newestAny = await store.listLeadsByOwner('ann', { limit: 2 });
      const none = await store.listLeadsByOwner('ann', { status: 'work' });

      // Assert
      expect(working.map((lead) => lead.leadId)).toEqual(['ann-mid', 'ann-old']);
      expect(newestWorking.map((lead) => lead.leadId)).toEqual(['ann-mid']);
      expect(newestAny.map((lead) => lead.leadId)).toEqual(['ann-new', 'ann-mid']);
      expect(none).toEqual([]);
    });

    it('follows saves: a lead that becomes a customer or changes owner moves out of the list', async () => {
      // Arrange
      const won = (await store.getLead('ann-old'))!;
      const moved = (await store.getLead('ann-mid'))!;

      // Act
      await store.saveLead(
        next(won, { stage: 'customer', status: 'won', updatedAt: '2024-05-05T08:00:00.000Z' }),
        won.version,
      );
      await store.saveLead(
        next(moved, { ownerId: 'bob', updatedAt: '2024-05-05T09:00:00.000Z' }),
        moved.version,
      );

      // Assert
      expect((await store.listLeadsByOwner('ann')).map((lead) => lead.leadId)).toEqual(['ann-new']);
      expect((await store.listLeadsByOwner('bob')).map((lead) => lead.leadId)).toEqual(['ann-mid', 'bob-1']);
    });

    it('rejects a limit that is not a positive integer', async () => {
      // Act + Assert
      await expect(store.listLeadsByOwner('ann', { limit: 0 })).rejects.toThrow(RangeError);
    });
  });

  describe('rotation turns', () => {
    it('counts 1, 2, 3 per queue', async () => {
      // Act
      const inbound = [await store.nextTurn('inbound'), await store.nextTurn('inbound')];
      const outbound = await store.nextTurn('outbound');
      const third = await store.nextTurn('inbound');

      // Assert
      expect([...inbound, third]).toEqual([1, 2, 3]);
      expect(outbound).toBe(1);
    });

    it('gives 100 concurrent takers 100 distinct turns', async () => {
      // Act
      const turns = await Promise.all(Array.from({ length: 100 }, () => store.nextTurn('burst')));

      // Assert
      expect(new Set(turns).size).toBe(100);
      expect(Math.max(...turns)).toBe(100);
    });
  });

  describe('capacity reservations (ADR 0040)', () => {
    const at = '2026-12-07T09:00:00.000Z';
    it("puts a position once, lists a rep's positions in order, and keeps reps apart", async () => {
      // Act
      const first = await store.putCapacityReservation('ann', { position: 1, leadId: 'l1', at });
      const again = await store.putCapacityReservation('ann', { position: 1, leadId: 'l2', at });
      const zero = await store.putCapacityReservation('ann', { position: 0, leadId: 'l3', at });
      const other = await store.putCapacityReservation('bob', { position: 1, leadId: 'l4', at });

      // Assert
      expect([first, again, zero, other]).toEqual([true, false, true, true]);
      expect(await store.listCapacityReservations('ann')).toEqual([
        { position: 0, leadId: 'l3', at },
        { position: 1, leadId: 'l1', at },
      ]);
      expect(await store.listCapacityReservations('nobody')).toEqual([]);
    });

    it('replaces a position only while it holds exactly what the caller read there', async () => {
      // Arrange
      const old = { position: 0, leadId: 'old', at: '2026-12-07T08:00:00.000Z' };
      await store.putCapacityReservation('ann', old);

      // Act
      const wrongLead = await store.putCapacityReservation(
        'ann',
        { position: 0, leadId: 'x', at },
        {
          ...old,
          leadId: 'other',
        },
      );
      const wrongTime = await store.putCapacityReservation(
        'ann',
        { position: 0, leadId: 'x', at },
        { ...old, at },
      );
      const racers = await Promise.all(
        ['p', 'q', 'r'].map((leadId) =>
          store.putCapacityReservation('ann', { position: 0, leadId, at }, old),
        ),
      );

      // Assert: one of three racers replaced it
      expect([wrongLead, wrongTime]).toEqual([false, false]);
      expect(racers.filter(Boolean)).toHaveLength(1);
      const [winner] = await store.listCapacityReservations('ann');
      expect(winner?.leadId).toBe(['p', 'q', 'r'][racers.indexOf(true)]);
    });
  });

  describe('due index', () => {
    it('lists leads due at or before a time, earliest first, and drops ended ones', async () => {
      // Arrange
      await store.createLead(makeLead('late', { dueAt: '2024-05-01T12:00:00.000Z' }));
      await store.createLead(makeLead('early', { dueAt: '2024-05-01T09:00:00.000Z', generation: 2 }));
      await store.createLead(makeLead('edge', { dueAt: '2024-05-01T10:00:00.000Z' }));
      await store.createLead(makeLead('none'));
      const ended = makeLead('ended', { dueAt: '2024-05-01T08:00:00.000Z' });
      await store.createLead(ended);
      const { dueAt: _gone, ...withoutDue } = next(ended);
      await store.saveLead(withoutDue as LeadState, ended.version);

      // Act
      const due = await store.listDueLeads('2024-05-01T10:00:00.000Z');
      const first = await store.listDueLeads('2024-05-02T00:00:00.000Z', { limit: 1 });

      // Assert
      expect(due).toEqual([
        { leadId: 'early', dueAt: '2024-05-01T09:00:00.000Z', cycle: 1, generation: 2 },
        { leadId: 'edge', dueAt: '2024-05-01T10:00:00.000Z', cycle: 1, generation: 0 },
      ]);
      expect(first.map((lead) => lead.leadId)).toEqual(['early']);
    });

    const NOW = '2024-05-01T10:00:00.000Z';
    it.each([
      ['parked, its deadline later', { waitToken: 't1', dueAt: '2024-05-08T10:00:00.000Z' }, true],
      ['parked with no deadline', { waitToken: 't1' }, true],
      ['parked, due already', { waitToken: 't1', dueAt: '2024-05-01T09:00:00.000Z' }, false],
      ['dormant', { dormant: { at: '2024-04-01T10:00:00.000Z', generation: 0 } }, true],
      [
        'dormant, due already',
        { dormant: { at: '2024-04-01T10:00:00.000Z', generation: 0 }, dueAt: NOW },
        false,
      ],
      ['being woken (no token, not dormant)', { dueAt: '2024-05-08T10:00:00.000Z' }, false],
      ['ended (nothing due, not dormant)', {}, false],
      ['erased', { waitToken: 't1', dueAt: '2024-05-08T10:00:00.000Z', erasedAt: NOW }, false],
    ] as [string, Partial<LeadState>, boolean][])(
      'makeDueForNews (ADR 0057 amended): a lead %s (%o): made due now: %s',
      async (_what, overrides, made) => {
        // Arrange
        const lead = makeLead('waiting', overrides);
        await store.createLead(lead);

        // Act
        const answer = await store.makeDueForNews('waiting', NOW);
        const unknown = await store.makeDueForNews('nobody', NOW);

        // Assert: due now in the due index too, version moved; or untouched
        expect(answer).toBe(made);
        expect(unknown).toBe(false);
        const after = await store.getLead('waiting');
        expect(after?.version).toBe(made ? lead.version + 1 : lead.version);
        expect(after?.dueAt).toBe(made ? NOW : lead.dueAt);
        expect(after?.waitToken).toBe(lead.waitToken);
        expect(after?.dormant).toEqual(lead.dormant);
        const due = await store.listDueLeads(NOW);
        expect(due.some((entry) => entry.leadId === 'waiting')).toBe(
          made || (!lead.erasedAt && lead.dueAt !== undefined && lead.dueAt <= NOW),
        );
      },
    );

    it('moves a lead when its due time changes, and leaves out erased leads', async () => {
      // Arrange
      const lead = makeLead('moving', { dueAt: '2024-05-01T09:00:00.000Z' });
      await store.createLead(lead);
      await store.saveLead({ ...next(lead), dueAt: '2024-06-01T09:00:00.000Z' }, lead.version);
      await store.createLead(
        makeLead('erased', { dueAt: '2024-05-01T09:00:00.000Z', erasedAt: '2024-05-01T09:30:00.000Z' }),
      );

      // Act
      const may = await store.listDueLeads('2024-05-31T00:00:00.000Z');
      const june = await store.listDueLeads('2024-06-30T00:00:00.000Z');

      // Assert
      expect(may).toEqual([]);
      expect(june.map((due) => due.dueAt)).toEqual(['2024-06-01T09:00:00.000Z']);
    });

    it('lists after a place in that order (the reconciler’s cursor), a tie on the time ordered by lead id', async () => {
      // Arrange
      await store.createLead(makeLead('a', { dueAt: '2024-05-01T09:00:00.000Z' }));
      await store.createLead(makeLead('b', { dueAt: '2024-05-01T09:00:00.000Z' }));
      await store.createLead(makeLead('c', { dueAt: '2024-05-01T09:30:00.000Z' }));
      await store.createLead(makeLead('d', { dueAt: '2024-05-01T10:00:00.000Z' }));
      const until = '2024-05-01T09:45:00.000Z';

      // Act
      const afterA = await store.listDueLeads(until, {
        after: { dueAt: '2024-05-01T09:00:00.000Z', leadId: 'a' },
      });
      const afterAOne = await store.listDueLeads(until, {
        limit: 1,
        after: { dueAt: '2024-05-01T09:00:00.000Z', leadId: 'a' },
      });
      // a place no lead holds (the lead moved on since), and one past `until`
      const afterGone = await store.listDueLeads(until, {
        after: { dueAt: '2024-05-01T09:10:00.000Z', leadId: 'x' },
      });
      const afterUntil = await store.listDueLeads(until, {
        after: { dueAt: '2024-05-01T09:50:00.000Z', leadId: 'a' },
      });

      // Assert
      expect(afterA.map((due) => due.leadId)).toEqual(['b', 'c']);
      expect(afterAOne.map((due) => due.leadId)).toEqual(['b']);
      expect(afterGone.map((due) => due.leadId)).toEqual(['c']);
      expect(afterUntil).toEqual([]);
    });

    it('recordExecution of a dormant lead made due (the reconciler starting its next generation) takes its mark off', async () => {
      // Arrange: dormant after generation 2, made due by news whose signal never came
      await store.createLead(
        makeLead('woken', {
          generation: 2,
          dormant: { at: '2024-04-01T10:00:00.000Z', generation: 2 },
          dueAt: '2024-05-01T09:00:00.000Z',
        }),
      );

      // Act
      const recorded = await store.recordExecution('woken', 1, 3);

      // Assert
      expect(recorded).toBe(true);
      const after = await store.getLead('woken');
      expect(after).toMatchObject({ generation: 3, dueAt: '2024-05-01T09:00:00.000Z' });
      expect(after?.dormant).toBeUndefined();
    });

    it('saves the reconciler’s cursor on the revision read: of two saves from one read, one lands', async () => {
      // Arrange
      expect(await store.readDueCursor?.()).toBeUndefined();
      const first = { revision: 1, after: { dueAt: '2024-05-01T09:00:00.000Z', leadId: 'a' } };

      // Act
      const created = await store.saveDueCursor?.(first, undefined);
      const createdAgain = await store.saveDueCursor?.({ revision: 1 }, undefined);
      const read = await store.readDueCursor?.();
      const moved = await store.saveDueCursor?.({ revision: 2 }, read);
      const movedAgain = await store.saveDueCursor?.(
        { revision: 2, after: { dueAt: '2024-05-01T10:00:00.000Z', leadId: 'z' } },
        read,
      );

      // Assert
      expect([created, createdAgain, moved, movedAgain]).toEqual([true, false, true, false]);
      expect(read).toEqual(first);
      expect(await store.readDueCursor?.()).toEqual({ revision: 2 });
    });
  });

  describe('loadLead: what a wake reads', () => {
    it('returns the state with its events in occurrence order and its attempts in time order (a lead from before ADR 0057)', async () => {
      // Arrange
      const lead = makeLead('wake');
      await store.createLead(lead);
      await store.appendEvent('wake', makeEvent('b', '2024-05-02T10:00:00.000Z'), { old: true });
      await store.appendEvent('wake', makeEvent('a', '2024-05-01T10:00:00.000Z'), { old: true });
      await store.appendAttempt('wake', makeAttempt('z', '2024-05-01T11:00:00.000Z'));
      await store.appendAttempt('wake', makeAttempt('y', '2024-05-03T11:00:00.000Z'));
      await store.createLead(makeLead('other'));
      await store.appendEvent('other', makeEvent('c', '2024-05-01T10:00:00.000Z'), { old: true });

      // Act
      const snapshot = await store.loadLead('wake');

      // Assert
      expect(snapshot?.state).toEqual(lead);
      expect(snapshot?.events.map((event) => event.eventId)).toEqual(['a', 'b']);
      expect(snapshot?.attempts.map((attempt) => attempt.attemptId)).toEqual(['z', 'y']);
      expect(await store.loadLead('missing')).toBeUndefined();
    });

    it("a lead whose events are apart (ADR 0057): none in its read, writers' marks in it; listEvents has every event of either place once, the old copy first", async () => {
      // Arrange
      await store.createLead(makeLead('apart', { eventsApart: true }));
      await store.appendEvent('apart', makeEvent('b', '2024-05-02T10:00:00.000Z'));
      await store.appendEvent('apart', makeEvent('a', '2024-05-01T10:00:00.000Z'), { old: true });
      const replayed = await store.appendEvent('apart', makeEvent('b', '2024-05-02T10:00:00.000Z'));
      await store.markEventsPending('apart', { id: 'w1', at: '2024-05-02T10:00:01.000Z' });
      await store.markEventsPending('apart', { id: 'w2', at: '2024-05-02T10:00:02.000Z' });
      await store.clearEventsPending('apart', ['w1']);

      // Act
      const snapshot = await store.loadLead('apart');
      const events = await store.listEvents('apart');

      // Assert
      expect(replayed).toBe('duplicate');
      expect(snapshot?.events.map((event) => event.eventId)).toEqual(['a']);
      expect(snapshot?.pending).toEqual([{ id: 'w2', at: '2024-05-02T10:00:02.000Z' }]);
      expect(events.map((event) => event.eventId)).toEqual(['a', 'b']);
    });

    it("deleteReadCopy (ADR 0057 amended): the read's copy goes, the copy apart stays; an event only in the read goes", async () => {
      // Arrange: 'both' in the read and apart (a form post's, its copy apart put), 'read' only in the read
      await store.createLead(makeLead('copies', { eventsApart: true }));
      const both = makeEvent('both', '2024-05-01T10:00:00.000Z');
      const read = makeEvent('read', '2024-05-02T10:00:00.000Z');
      await store.appendEvent('copies', both, { old: true });
      await store.appendEvent('copies', both);
      await store.appendEvent('copies', read, { old: true });

      // Act
      await store.deleteReadCopy('copies', both);
      await store.deleteReadCopy('copies', both);
      const afterBoth = await store.loadLead('copies');
      await store.deleteReadCopy('copies', read);

      // Assert
      expect(afterBoth?.events.map((event) => event.eventId)).toEqual(['read']);
      expect((await store.loadLead('copies'))?.events).toEqual([]);
      expect((await store.listEvents('copies')).map((event) => event.eventId)).toEqual(['both']);
    });

    it('listNewestEvents: the newest of either place (ADR 0057), in occurrence order, one copy of each', async () => {
      // Arrange
      await store.createLead(makeLead('newest', { eventsApart: true }));
      for (let day = 1; day <= 9; day++) {
        const event = makeEvent(`e${day}`, `2024-05-0${day}T10:00:00.000Z`);
        await store.appendEvent('newest', event, { old: day % 3 === 0 });
      }

      // Act
      const newest = await store.listNewestEvents('newest', 4);
      const all = await store.listNewestEvents('newest', 20);

      // Assert
      expect(newest.map((event) => event.eventId)).toEqual(['e6', 'e7', 'e8', 'e9']);
      expect(all).toEqual(await store.listEvents('newest'));
      expect(all).toHaveLength(9);
    });

    it('brings the owner pick with the lead, or says there is none: the pick needs no read of its own (ADR 0045)', async () => {
      // Arrange: the simulator's memory run made a GetItem here that DynamoDB's one Query spares (its cost
      // figures differed from the dynalite run's: seed 3, 120 leads)
      await store.createLead(makeLead('picked'));
      await store.createLead(makeLead('unpicked'));
      const pick = { handover: 'h1', repId: 'ann', at: '2024-05-01T09:00:00.000Z' };
      await store.putOwnerPick('picked', pick);

      // Act
      const picked = await store.loadLead('picked');
      const unpicked = await store.loadLead('unpicked');

      // Assert
      expect(picked?.ownerPick).toEqual({ pick });
      expect(unpicked?.ownerPick).toEqual({ pick: undefined });
    });
  });

  describe('markSent: the outbox mark after the send (ADR 0025)', () => {
    it('is read by the wake’s one read as a confirmed claim, once however often it is marked; erase removes it', async () => {
      // Arrange
      const lead = makeLead('marked');
      await store.createLead(lead);
      await store.createLead(makeLead('neighbour'));

      // Act
      await store.markSent('marked', 'wake-1:park', '2024-05-01T10:00:00.000Z');
      await store.markSent('marked', 'wake-1:park', '2024-05-01T10:00:01.000Z');
      await store.markSent('marked', 'wake-2', '2024-05-01T11:00:00.000Z');
      const snapshot = await store.loadLead('marked');
      await store.deleteLeadHistory('marked');
      const erased = await store.loadLead('marked');

      // Assert: the state item is untouched by a mark
      expect(snapshot?.state).toEqual(lead);
      expect(snapshot?.confirmed).toEqual(['wake-1:park', 'wake-2']);
      expect((await store.loadLead('neighbour'))?.confirmed).toBeUndefined();
      expect(erased?.confirmed).toBeUndefined();
      expect(erased?.state).toEqual(lead);
    });

    it('isMarkedSent answers for one claim of one lead', async () => {
      // Arrange
      await store.createLead(makeLead('marked'));
      await store.createLead(makeLead('neighbour'));
      const before = await store.isMarkedSent('marked', 'wake-1:park');

      // Act
      await store.markSent('marked', 'wake-1:park', '2024-05-01T10:00:00.000Z');

      // Assert
      expect(before).toBe(false);
      expect(await store.isMarkedSent('marked', 'wake-1:park')).toBe(true);
      expect(await store.isMarkedSent('marked', 'wake-1')).toBe(false);
      expect(await store.isMarkedSent('neighbour', 'wake-1:park')).toBe(false);
    });
  });

  describe('parkLead: the park’s one write', () => {
    const sentEmail = (key: string) => ({
      key,
      entry: {
        at: '2024-05-01T10:00:00.000Z',
        kind: 'email',
        by: 'workflow',
        reasons: [],
        version: 'test-1',
      },
    });
    const request = (overrides: Partial<ParkRequest> = {}): ParkRequest => ({
      leadId: 'parked',
      cycle: 1,
      expectedVersion: 1,
      waitToken: 'token-1',
      dueAt: '2024-05-08T10:00:00.000Z',
      generation: 3,
      sent: [sentEmail('nurture:1:first:welcome')],
      ...overrides,
    });

    it('stores the token and the deadline, records the sent emails and moves the lead in the due index', async () => {
      // Arrange
      await store.createLead(makeLead('parked', { dueAt: '2024-05-01T10:00:00.000Z' }));

      // Act
      const outcome = await store.parkLead(request());

      // Assert
      const state = await store.getLead('parked');
      expect(outcome).toBe('parked');
      expect(state).toMatchObject({
        version: 2,
        waitToken: 'token-1',
        dueAt: '2024-05-08T10:00:00.000Z',
        generation: 3,
      });
      expect(state?.sent).toEqual(['nurture:1:first:welcome']);
      expect(state?.timeline.map((entry) => entry.kind)).toEqual(['created', 'email']);
      expect(await store.listDueLeads('2024-05-02T00:00:00.000Z')).toEqual([]);
      expect((await store.listDueLeads('2024-05-09T00:00:00.000Z')).map((due) => due.leadId)).toEqual([
        'parked',
      ]);
    });

    it.each([
      ['another version', request({ expectedVersion: 7 })],
      ['another cycle', request({ cycle: 2 })],
    ])('parks nothing for %s: changed', async (_case, changed) => {
      // Arrange
      await store.createLead(makeLead('parked'));

      // Act
      const outcome = await store.parkLead(changed);

      // Assert
      const state = await store.getLead('parked');
      expect(outcome).toBe('changed');
      expect(state?.waitToken).toBeUndefined();
      // the emails went out all the same: recorded for the same cycle, not for another one
      expect(state?.sent).toEqual(changed.cycle === 1 ? ['nurture:1:first:welcome'] : []);
    });

    it('records sent emails once when a lost answer makes the park run again', async () => {
      // Arrange
      await store.createLead(makeLead('parked'));
      await store.parkLead(request());

      // Act: the retry carries the version the first call already moved past
      const outcome = await store.parkLead(request({ waitToken: 'token-2' }));

      // Assert
      const state = await store.getLead('parked');
      expect(outcome).toBe('changed');
      expect(state?.sent).toEqual(['nurture:1:first:welcome']);
      expect(state?.timeline.filter((entry) => entry.kind === 'email')).toHaveLength(1);
      expect(state?.waitToken).toBe('token-1');
    });

    it('parks nothing on an erased lead', async () => {
      // Arrange
      await store.createLead(makeLead('parked', { erasedAt: '2024-05-01T09:30:00.000Z' }));

      // Act
      const outcome = await store.parkLead(request());

      // Assert
      expect(outcome).toBe('changed');
      expect((await store.getLead('parked'))?.sent).toEqual([]);
    });
  });
});

// ---------- what only the DynamoDB adapter can show ----------

describe('DynamoDbLeadStore on dynalite', () => {
  const dynalite = useDynalite();
  let store: DynamoDbLeadStore;
  beforeEach(() => {
    store = new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName });
  });

  it('costs exactly 2 write requests for a new lead and its first event', async () => {
    // Act
    await store.createLead(makeLead('lead-1'));
    await store.appendEvent('lead-1', makeEvent('evt-1', '2024-05-01T10:00:00.000Z'));

    // Assert
    expect(dynalite.commandNames()).toEqual(['PutItemCommand', 'PutItemCommand']);
    expect(dynalite.writeRequests()).toBe(2);
  });

  it('never sends a Scan, whatever it is asked', async () => {
    // Arrange + Act: every method of the port
    const lead = makeLead('lead-1', { ownerId: 'ann', stage: 'sql' });
    await store.createLead(lead);
    await store.createLead(lead);
    await store.getLead('lead-1');
    await store.saveLead(next(lead), 1);
    await store.appendEvent('lead-1', makeEvent('evt-1', '2024-05-01T10:00:00.000Z'));
    await store.appendAttempt('lead-1', makeAttempt('att-1', '2024-05-01T11:00:00.000Z'));
    await store.listEvents('lead-1');
    await store.listAttempts('lead-1');
    await store.listLeadsByOwner('ann');
    await store.listLeadsByOwner('ann', { status: 'new', limit: 1 });
    await store.nextTurn('inbound');
    await store.listDueLeads('2024-05-01T00:00:00.000Z');
    await store.deleteLeadHistory('lead-1');

    // Assert
    const names = new Set(dynalite.commandNames());
    expect(names.has('ScanCommand')).toBe(false);
    expect([...names].sort()).toEqual([
      'BatchWriteItemCommand',
      'GetItemCommand',
      'PutItemCommand',
      'QueryCommand',
      'UpdateItemCommand',
    ]);
  });

  it('follows LastEvaluatedKey past the 1 MB page', async () => {
    // Arrange
    const big = 'x'.repeat(300_000);
    for (let i = 0; i < 4; i++) {
      await store.appendEvent(
        'lead-1',
        makeEvent(`big-${i}`, `2024-05-01T10:0${i}:00.000Z`, { properties: { big } }),
      );
    }
    dynalite.resetRecording();

    // Act
    const listed = await store.listEvents('lead-1');

    // Assert
    expect(listed).toHaveLength(4);
    // the events of before ADR 0057 (none), and the pages of those apart
    expect(dynalite.commandNames()).toEqual(['QueryCommand', 'QueryCommand', 'QueryCommand']);
  });

  it('deletes history in batches of at most 25', async () => {
    // Arrange
    for (let i = 0; i < 30; i++) {
      await store.appendEvent(
        'lead-1',
        makeEvent(`evt-${i}`, `2024-05-01T10:${String(i).padStart(2, '0')}:00.000Z`),
      );
    }
    for (let i = 0; i < 3; i++) {
      await store.appendAttempt('lead-1', makeAttempt(`att-${i}`, `2024-05-02T10:0${i}:00.000Z`));
    }
    dynalite.resetRecording();

    // Act
    await store.deleteLeadHistory('lead-1');

    // Assert: events 25 + 5, attempts 3
    expect(dynalite.commandNames().filter((name) => name === 'BatchWriteItemCommand')).toHaveLength(3);
    expect(dynalite.writeRequests()).toBe(33);
    expect(await store.listEvents('lead-1')).toEqual([]);
  });

  it('resubmits UnprocessedItems until every delete is done', async () => {
    // Arrange: dynalite never throttles, so a middleware (a fault injection, not a mock of the SDK) holds back
    // the last 10 deletes of the first BatchWriteItem and reports them as unprocessed, as DynamoDB does.
    for (let i = 0; i < 25; i++) {
      await store.appendEvent(
        'lead-1',
        makeEvent(`evt-${i}`, `2024-05-01T10:${String(i).padStart(2, '0')}:00.000Z`),
      );
    }
    const sleeps: number[] = [];
    const throttled = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    const heldBack = holdBackFirstBatch(dynalite.client, dynalite.tableName, 10);
    dynalite.resetRecording();

    // Act
    try {
      await throttled.deleteLeadHistory('lead-1');
    } finally {
      dynalite.client.middlewareStack.remove(heldBack);
    }

    // Assert
    expect(dynalite.commandNames().filter((name) => name === 'BatchWriteItemCommand')).toHaveLength(2);
    expect(dynalite.writeRequests()).toBe(25 + 10);
    expect(sleeps).toHaveLength(1);
    expect(await store.listEvents('lead-1')).toEqual([]);
  });

  it('gives up with an error when items stay unprocessed', async () => {
    // Arrange: every BatchWriteItem holds back everything (fault injection, as above)
    await store.appendEvent('lead-1', makeEvent('evt-1', '2024-05-01T10:00:00.000Z'));
    const stubborn = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      maxBatchAttempts: 3,
      sleep: async () => {},
    });
    const heldBack = holdBackFirstBatch(dynalite.client, dynalite.tableName, 25, Number.POSITIVE_INFINITY);

    // Act + Assert
    try {
      await expect(stubborn.deleteLeadHistory('lead-1')).rejects.toThrow(/unprocessed after 3 attempts/);
    } finally {
      dynalite.client.middlewareStack.remove(heldBack);
    }
    expect(await store.listEvents('lead-1')).toHaveLength(1);
  });

  it('refuses a DocumentClient that would fail on undefined optional fields', async () => {
    // Arrange
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');

    // Act + Assert
    expect(
      () => new DynamoDbLeadStore(DynamoDBDocumentClient.from(dynalite.client), { tableName: 't' }),
    ).toThrow(/removeUndefinedValues/);
  });
});

/**
 * For the next `times` BatchWriteItem calls on `tableName`, sends all but the last `count` requests and returns
 * those as UnprocessedItems. Returns the middleware name, to remove it.
 */
function holdBackFirstBatch(client: DynamoDBClient, tableName: string, count: number, times = 1): string {
  const name = `holdBack-${Math.random().toString(36).slice(2)}`;
  let remaining = times;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand' || remaining <= 0) return next(args);
      remaining--;
      const input = args.input as { RequestItems: Record<string, unknown[]> };
      const requests = input.RequestItems[tableName] ?? [];
      const held = requests.slice(Math.max(0, requests.length - count));
      const sent = requests.slice(0, requests.length - held.length);
      if (sent.length === 0)
        return { output: { $metadata: {}, UnprocessedItems: { [tableName]: held } } as never, response: {} };
      const result = await next({ ...args, input: { ...input, RequestItems: { [tableName]: sent } } });
      (result.output as { UnprocessedItems?: unknown }).UnprocessedItems = { [tableName]: held };
      return result;
    },
    // after the recorder (also at initialize), so the recorder counts what was really sent
    { step: 'initialize', name, priority: 'low' },
  );
  return name;
}
