/**
 * Picking an owner reads what the pick needs (ADR 0011, amended): the rotation takes a turn only when more
 * than one rep can take the lead, and capacity is counted (a Query of the owner index) only for the rep the
 * turn lands on. A rep at capacity drops out and the same turn picks among the others. On dynalite through
 * the DynamoDB adapter, counting the requests the pick sends.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { assignOwner } from '../../lambdas/tasks/assign-owner.ts';
import { useDynalite } from '../support/dynalite.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla, withRep } from '../support/sla.ts';

const base = loadDefaultSla();
/** equipment sales with Jonas (capacity 1) and Lena (no capacity) only */
const sla: Sla = {
  ...base,
  routing: {
    ...base.routing,
    reps: base.routing.reps.map((rep) => {
      if (rep.id === 'jonas') return { ...rep, capacity: 1 };
      if (rep.id !== 'lena') return rep;
      const { capacity: _none, ...uncapped } = rep;
      return uncapped;
    }),
    queues: base.routing.queues.map((queue) =>
      queue.id === 'equipment-sales' ? { ...queue, reps: ['jonas', 'lena'] } : queue,
    ),
  },
};
/** Monday 2026-12-07, 10:00 in Berlin: both at work */
const AT = new Date('2026-12-07T09:00:00.000Z');
const lead = handedOff('2026-12-07T08:00:00.000Z', 'nobody', {
  leadId: 'lead-to-route',
  email: 'a@b.example',
});

interface Case {
  readonly turnsBefore: number;
  readonly jonasOpen: number;
  readonly exclude?: readonly string[];
  readonly owner: string;
  /** capped picks: each Queries the owner index and the rep's reservations (ADR 0040) */
  readonly cappedPicks: number;
  /** a place reserved: one conditional PutItem, and the reservations read again to check it holds */
  readonly reserved: number;
  readonly turnsTaken: number;
}

describe('assignOwner: a turn only for a choice, capacity only for the pick', () => {
  const dynalite = useDynalite();

  it.each<[string, Case]>([
    [
      'the turn lands on Lena (no capacity): nothing counted',
      { turnsBefore: 1, jonasOpen: 1, owner: 'lena', cappedPicks: 0, reserved: 0, turnsTaken: 1 },
    ],
    [
      'the turn lands on Jonas, under capacity: his leads counted',
      { turnsBefore: 0, jonasOpen: 0, owner: 'jonas', cappedPicks: 1, reserved: 1, turnsTaken: 1 },
    ],
    [
      'the turn lands on Jonas, at capacity: the same turn picks Lena',
      { turnsBefore: 0, jonasOpen: 1, owner: 'lena', cappedPicks: 1, reserved: 0, turnsTaken: 1 },
    ],
    [
      'Lena excluded, Jonas the only one: no turn, his leads counted',
      {
        turnsBefore: 0,
        jonasOpen: 0,
        exclude: ['lena'],
        owner: 'jonas',
        cappedPicks: 1,
        reserved: 1,
        turnsTaken: 0,
      },
    ],
    [
      'Lena excluded, Jonas at capacity: nobody, no turn',
      {
        turnsBefore: 0,
        jonasOpen: 1,
        exclude: ['lena'],
        owner: 'none',
        cappedPicks: 1,
        reserved: 0,
        turnsTaken: 0,
      },
    ],
  ])('%s', async (_, c) => {
    // Arrange
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    for (let i = 0; i < c.jonasOpen; i++)
      await store.createLead({
        ...handedOff('2026-12-01T08:00:00.000Z', 'jonas', { leadId: `jonas-${i}` }),
        slaVersion: sla.version,
      });
    for (let i = 0; i < c.turnsBefore; i++) await store.nextTurn('equipment-sales');
    dynalite.resetRecording();
    // Act
    const { rep, reasons } = await assignOwner({ sla, store, clock: { now: () => AT } } as never, lead, {
      assignTo: 'queue',
      ...(c.exclude ? { exclude: c.exclude } : {}),
    });
    // Assert
    expect(rep?.id ?? 'none').toBe(c.owner);
    const names = dynalite.commands.map((command) => command.name);
    expect(names.filter((name) => name === 'QueryCommand')).toHaveLength(2 * c.cappedPicks + c.reserved);
    // a place reserved is recorded first, the pick of the lead's handover (ADR 0045): one PutItem more
    expect(names.filter((name) => name === 'PutItemCommand')).toHaveLength(2 * c.reserved);
    expect(names.filter((name) => name === 'UpdateItemCommand')).toHaveLength(c.turnsTaken);
    // a queue with a capped rep reads the lead's last pick first (a retry takes its rep again): one GetItem
    expect(names.filter((name) => name === 'GetItemCommand')).toHaveLength(1);
    expect(names.length).toBe(2 * c.cappedPicks + 3 * c.reserved + c.turnsTaken + 1);
    if (c.owner === 'lena' && c.cappedPicks === 1)
      expect(reasons.map((reason) => reason.detail)).toContain(
        'Jonas Berger is at capacity (1 open leads, capacity 1)',
      );
  });

  it.each([
    ['read by the wake with the lead: no read of its own', true, 0],
    ['not read by the caller: one GetItem', false, 1],
  ])('the lead’s last pick %s', async (_case, known, reads) => {
    // Arrange: a queue with capped reps, the lead never picked before
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    dynalite.resetRecording();

    // Act
    await assignOwner({ sla, store, clock: { now: () => AT } } as never, lead, {
      assignTo: 'queue',
      ...(known ? { ownerPick: { pick: undefined } } : {}),
    });

    // Assert
    const gets = dynalite.commands.filter((command) => command.name === 'GetItemCommand');
    expect(gets).toHaveLength(reads);
  });

  it('the wake’s one read of the lead brings its owner pick (the PICK item sorts before STATE)', async () => {
    // Arrange
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const picked = handedOff('2026-12-07T08:00:00.000Z', 'lena', { leadId: 'picked-lead' });
    await store.createLead({ ...picked, slaVersion: sla.version });
    const pick = { handover: 'h1', repId: 'lena', at: AT.toISOString() };
    await store.putOwnerPick('picked-lead', pick);
    dynalite.resetRecording();

    // Act
    const snapshot = await store.loadLead('picked-lead');

    // Assert
    expect(snapshot?.ownerPick).toEqual({ pick });
    expect(dynalite.commands.map((command) => command.name)).toEqual(['QueryCommand']);
  });

  it('spreads a run of turns evenly while nobody is at capacity, counting only the capped pick each time', async () => {
    // Arrange
    const roomy = withRep('jonas', { capacity: 40 }, sla);
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(roomy),
    });
    dynalite.resetRecording();
    // Act
    const owners: string[] = [];
    for (let i = 0; i < 6; i++)
      owners.push(
        (
          await assignOwner(
            { sla: roomy, store, clock: { now: () => AT } } as never,
            { ...lead, leadId: `lead-to-route-${i}` },
            { assignTo: 'queue' },
          )
        ).rep!.id,
      );
    // Assert
    expect(owners).toEqual(['jonas', 'lena', 'jonas', 'lena', 'jonas', 'lena']);
    // Jonas's three picks: the owner index and his reservations each, a place reserved and read back; each
    // recorded as its lead's pick first (ADR 0045), and every pick reads its lead's last pick
    expect(dynalite.commands.filter((command) => command.name === 'QueryCommand')).toHaveLength(9);
    expect(dynalite.commands.filter((command) => command.name === 'PutItemCommand')).toHaveLength(6);
    expect(dynalite.commands.filter((command) => command.name === 'GetItemCommand')).toHaveLength(6);
  });
});

describe('assignOwner: an account owner keeps the account at capacity (ADR 0043, amended)', () => {
  const dynalite = useDynalite();

  it("Hofmann Chemie's lead goes to Jonas, its account owner, at capacity; the rotation's next lead passes him over", async () => {
    // Arrange: Jonas (capacity 1) holds one open lead; hofmann-chemie.de is his account
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    await store.createLead({
      ...handedOff('2026-12-01T08:00:00.000Z', 'jonas', { leadId: 'jonas-0' }),
      slaVersion: sla.version,
    });
    const deps = { sla, store, clock: { now: () => AT } } as never;
    const fromAccount = { ...lead, leadId: 'from-hofmann', email: 'k.weber@hofmann-chemie.de' };
    dynalite.resetRecording();

    // Act
    const account = await assignOwner(deps, fromAccount, { assignTo: 'accountOwner' });
    const accountCommands = dynalite.commands.map((command) => command.name);
    const queue = await assignOwner(deps, lead, { assignTo: 'queue' });

    // Assert: the account's lead is his, its capacity not even counted (no Query, no reservation); a lead
    // of the rotation goes to Lena
    expect(account.rep?.id).toBe('jonas');
    expect(account.reasons).toEqual([
      { rule: 'routing.account', detail: "hofmann-chemie.de is Jonas Berger's account" },
    ]);
    expect(accountCommands).toEqual([]);
    expect(queue.rep?.id).toBe('lena');
    expect(queue.reasons.map((reason) => reason.detail)).toContain(
      'Jonas Berger is at capacity (1 open leads, capacity 1)',
    );
  });
});

describe('assignOwner under a burst: capacity holds while the owner index lags (ADR 0040)', () => {
  const dynalite = useDynalite();
  /** equipment sales with three reps of capacity 3 */
  const capped: Sla = {
    ...base,
    routing: {
      ...base.routing,
      reps: base.routing.reps.map((rep) =>
        ['jonas', 'lena', 'mats'].includes(rep.id) ? { ...rep, capacity: 3 } : rep,
      ),
      queues: base.routing.queues.map((queue) =>
        queue.id === 'equipment-sales' ? { ...queue, reps: ['jonas', 'lena', 'mats'] } : queue,
      ),
    },
  };

  it.each([
    [
      '15 picks at once, none written yet: 3 each, 6 find nobody',
      15,
      0,
      { jonas: 3, lena: 3, mats: 3, none: 6 },
    ],
    ['7 picks at once: under capacity, shared by turns', 7, 0, { jonas: 3, lena: 2, mats: 2 }],
    [
      '9 picks at once while each rep holds 2 open leads: one more each',
      9,
      2,
      { jonas: 1, lena: 1, mats: 1, none: 6 },
    ],
  ])('%s', async (_, burst, openEach, expected) => {
    // Arrange
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(capped),
    });
    for (const repId of ['jonas', 'lena', 'mats'])
      for (let i = 0; i < openEach; i++)
        await store.createLead({
          ...handedOff('2026-12-01T08:00:00.000Z', repId, { leadId: `${repId}-${i}` }),
          slaVersion: capped.version,
        });
    const deps = { sla: capped, store, clock: { now: () => AT } } as never;
    // Act: the picks of a burst of handoffs, all before any of them writes its lead
    const picks = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        assignOwner(deps, handedOff('2026-12-07T08:00:00.000Z', 'nobody', { leadId: `burst-${i}` }), {
          assignTo: 'queue',
        }),
      ),
    );
    // Assert
    const perRep: Record<string, number> = {};
    for (const { rep } of picks) perRep[rep?.id ?? 'none'] = (perRep[rep?.id ?? 'none'] ?? 0) + 1;
    expect(perRep).toEqual(expected);
    const reserved = await Promise.all(
      ['jonas', 'lena', 'mats'].map((repId) => store.listCapacityReservations(repId)),
    );
    expect(reserved.map((list) => list.length)).toEqual(
      ['jonas', 'lena', 'mats'].map((id) => expected[id as 'jonas']),
    );
  });
});

describe('assignOwner under --speed: a reservation outlasts the handoff, however fast the SLA clock runs', () => {
  const dynalite = useDynalite();

  it("a pick moments later still counts the last pick's place", async () => {
    // Arrange: Jonas (capacity 1) and Lena; the SLA clock runs 11 minutes per reading, as `--speed 3600` runs
    // it in 180 ms; the local runtime then keeps reservations 10 real seconds, 10 hours of SLA time
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    let slaTime = AT.getTime();
    const fast = {
      now: () => {
        slaTime += 11 * 60_000;
        return new Date(slaTime);
      },
    };
    const deps = { sla, store, clock: fast, reservationLiveMs: 3600 * 10_000 } as never;
    const pick = (leadId: string) =>
      assignOwner(deps, handedOff('2026-12-07T08:00:00.000Z', 'nobody', { leadId }), { assignTo: 'queue' });
    const first = await pick('first'); // Jonas's place reserved; its handoff has not written the lead yet

    // Act
    const second = await pick('second');

    // Assert
    expect(first.rep?.id).toBe('jonas');
    expect(second.rep?.id).toBe('lena');
    expect(await store.listCapacityReservations('jonas')).toHaveLength(1);
  });
});
