/** planReservation (ADR 0040): what a pick of a capped rep does with the reservations it read. */
import { describe, expect, it } from 'vitest';
import {
  type CapacityPlan,
  type CapacityReservation,
  planReservation,
  RELEASED_AT,
  RESERVATION_LIVE_MS,
} from '../../lambdas/domain/capacity.ts';

const NOW = '2026-12-07T09:00:00.000Z';
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();
const live = (position: number, leadId: string): CapacityReservation => ({
  position,
  leadId,
  at: ago(60_000),
});
const expired = (position: number, leadId: string): CapacityReservation => ({
  position,
  leadId,
  at: ago(RESERVATION_LIVE_MS),
});

describe('planReservation', () => {
  it.each<[string, readonly string[], readonly CapacityReservation[], CapacityPlan]>([
    ['nothing open, nothing reserved: position 0', [], [], { kind: 'reserve', position: 0 }],
    ['the lead is open with the rep already: held', ['me', 'a'], [], { kind: 'held' }],
    ['a live reservation of the lead (a retried pick): held', ['a'], [live(1, 'me')], { kind: 'held' }],
    [
      "the lead's live reservation fills the rep to capacity: held",
      ['a'],
      [live(0, 'b'), live(1, 'me')],
      { kind: 'held' },
    ],
    [
      "the lead's live reservation takes the rep past capacity (another pick differed on an expiry): released",
      ['a', 'b'],
      [live(0, 'c'), live(1, 'me')],
      { kind: 'release', reservation: live(1, 'me') },
    ],
    [
      'a given-back reservation holds nothing and its position is free',
      [],
      [{ position: 0, leadId: 'x', at: RELEASED_AT }],
      { kind: 'reserve', position: 0, replacing: { position: 0, leadId: 'x', at: RELEASED_AT } },
    ],
    [
      'an expired reservation of the lead does not hold it',
      [],
      [expired(0, 'me')],
      {
        kind: 'reserve',
        position: 0,
        replacing: expired(0, 'me'),
      },
    ],
    ['open leads fill the rep', ['a', 'b', 'c'], [], { kind: 'full', open: 3 }],
    [
      'live reservations the index does not list yet fill it',
      ['a'],
      [live(0, 'b'), live(1, 'c')],
      {
        kind: 'full',
        open: 3,
      },
    ],
    [
      'a lead both listed and reserved counts once',
      ['a', 'b'],
      [live(0, 'a'), live(1, 'b')],
      {
        kind: 'reserve',
        position: 2,
      },
    ],
    [
      'expired reservations do not count, and their position is taken again',
      ['a', 'b'],
      [expired(0, 'x'), live(1, 'y')],
      {
        kind: 'full',
        open: 3,
      },
    ],
    [
      'the lowest position free or expired',
      [],
      [live(0, 'x'), expired(1, 'y'), live(2, 'z')],
      {
        kind: 'reserve',
        position: 1,
        replacing: expired(1, 'y'),
      },
    ],
    [
      'a live reservation keeps its position once the index lists its lead',
      ['x'],
      [live(0, 'x')],
      {
        kind: 'reserve',
        position: 1,
      },
    ],
  ])('%s', (_, open, reservations, expected) => {
    // Act
    const plan = planReservation({ repId: 'jonas', leadId: 'me', capacity: 3, open, at: NOW }, reservations);
    // Assert
    expect(plan).toEqual(expected);
  });

  it('gives picks that read the same items the same position, whatever the order they were read in', () => {
    // Arrange
    const items = [live(2, 'c'), expired(0, 'a'), live(1, 'b')];
    // Act
    const first = planReservation({ repId: 'r', leadId: 'p', capacity: 9, open: [], at: NOW }, items);
    const second = planReservation(
      { repId: 'r', leadId: 'q', capacity: 9, open: ['b'], at: NOW },
      [...items].reverse(),
    );
    // Assert
    expect(first).toEqual(second);
    expect(first).toMatchObject({ kind: 'reserve', position: 0 });
  });
});
