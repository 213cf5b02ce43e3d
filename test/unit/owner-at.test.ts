/**
 * Who owned a lead when something happened (a call logged later than it was made): its timeline's owner
 * entries, the current owner from `ownerSince` on.
 */
import { describe, expect, it } from 'vitest';
import {
  inStoryOrder,
  type LeadState,
  nextHandoverAt,
  ownerAt,
  storyInstant,
  type TimelineEntry,
} from '../../lambdas/domain/lead-state.ts';

const owner = (at: string, to: string, from?: string): TimelineEntry => ({
  at,
  kind: 'owner',
  ...(from ? { from } : {}),
  to,
  by: 'workflow',
  reasons: [],
});
const judged: TimelineEntry = { at: '2026-12-01T09:30:00.000Z', kind: 'judged', by: 'workflow', reasons: [] };

describe('ownerAt', () => {
  // handed to jonas at 09:00, reassigned to lena at 13:00, to carla at 17:00 (now carla's)
  const lead = {
    ownerId: 'carla',
    ownerSince: '2026-12-01T17:00:00.000Z',
    timeline: [
      owner('2026-12-01T09:00:00.000Z', 'jonas'),
      judged,
      owner('2026-12-01T13:00:00.000Z', 'lena', 'jonas'),
      owner('2026-12-01T17:00:00.000Z', 'carla', 'lena'),
    ],
  };

  it.each([
    ['after the last handover', '2026-12-01T18:00:00.000Z', 'carla'],
    ['at the last handover', '2026-12-01T17:00:00.000Z', 'carla'],
    ['between the reassignments', '2026-12-01T14:00:00.000Z', 'lena'],
    ['in the first owner’s hours', '2026-12-01T09:10:00.000Z', 'jonas'],
  ])('%s (%s): %s', (_when, at, expected) => {
    expect(ownerAt(lead, at)).toBe(expected);
  });

  it('reads the owner before the tail’s first owner entry from its `from` (older entries moved off the state)', () => {
    const tail = { ...lead, timeline: lead.timeline.slice(2) };
    expect(ownerAt(tail, '2026-12-01T09:10:00.000Z')).toBe('jonas');
  });

  it('is undefined when the timeline no longer tells, and the current owner for a lead never reassigned', () => {
    expect(ownerAt({ ...lead, timeline: [judged] }, '2026-12-01T09:10:00.000Z')).toBeUndefined();
    expect(ownerAt({ ownerId: 'jonas', timeline: [] }, '2026-12-01T09:10:00.000Z')).toBe('jonas');
  });
});

describe('ownerAt once the owner entries moved off the state (ADR 0089: a CRM syncs a call days later)', () => {
  // jonas 09:00, lena 13:00, carla 17:00, mats the next day 10:00 (now mats's); 40 entries moved off, the tail
  // starts after carla's handover
  const carry = {
    through: 40,
    attempts: 0,
    owner: 'carla',
    firstHandoff: '2026-12-01T09:00:00.000Z',
    handovers: [
      { at: '2026-12-01T09:00:00.000Z', owner: 'jonas', start: '2026-12-01T09:00:00.000Z' },
      { at: '2026-12-01T13:00:00.000Z', owner: 'lena', start: '2026-12-01T13:00:00.000Z' },
      { at: '2026-12-01T17:00:00.000Z', owner: 'carla', start: '2026-12-01T17:00:00.000Z' },
    ],
  };
  const moved = {
    ownerId: 'mats',
    ownerSince: '2026-12-02T10:00:00.000Z',
    timelineDropped: 0,
    timelineSpilled: 40,
    factsCarry: carry,
    timeline: [
      { ...judged, at: '2026-12-01T20:00:00.000Z' },
      owner('2026-12-02T10:00:00.000Z', 'mats', 'carla'),
    ],
  };

  it.each([
    ['in the first handover, its entry long off the state', '2026-12-01T09:10:00.000Z', 'jonas'],
    ['at the second handover’s instant', '2026-12-01T13:00:00.000Z', 'lena'],
    [
      'in the handover the tail’s first owner entry ends, before the tail',
      '2026-12-01T18:00:00.000Z',
      'carla',
    ],
    ['inside the tail, before its first owner entry', '2026-12-01T21:00:00.000Z', 'carla'],
    ['the current handover', '2026-12-02T10:00:00.000Z', 'mats'],
  ])('%s (%s): %s, never the `from` of a later move', (_when, at, expected) => {
    expect(ownerAt(moved, at)).toBe(expected);
  });

  it.each([
    [
      'a carry written before it kept handovers',
      { ...moved, factsCarry: { ...carry, handovers: undefined } },
    ],
    ['a carry that does not stand at the tail', { ...moved, factsCarry: { ...carry, through: 24 } }],
    ['no carry (entries moved before carries)', { ...moved, factsCarry: undefined }],
    [
      'an instant before the oldest handover kept',
      { ...moved, factsCarry: { ...carry, handovers: carry.handovers.slice(1) } },
    ],
  ])('is undefined where the state no longer tells: %s', (_case, lead) => {
    expect(ownerAt(lead, '2026-12-01T09:10:00.000Z')).toBeUndefined();
  });
});

describe('nextHandoverAt (ADR 0091)', () => {
  const T = '2026-12-01T22:00:00.000Z';
  const call = (at: string, occurredAt?: string): TimelineEntry => ({
    at,
    kind: 'attempt',
    from: 'sql/new',
    to: 'sql/attempting-contact',
    by: 'api:admin',
    reasons: [],
    ...(occurredAt ? { data: { occurredAt } } : {}),
  });
  const carla = { ownerSince: '2026-12-01T15:00:00.000Z', handedOffAt: '2026-12-01T09:00:00.000Z' };

  it.each([
    ['no call, the clock moved on: now', { ...carla, timeline: [] }, T],
    [
      'the last handover in this millisecond: the next one',
      { ...carla, ownerSince: T, timeline: [] },
      '2026-12-01T22:00:00.001Z',
    ],
    ['a call logged earlier: now', { ...carla, timeline: [call('2026-12-01T21:00:00.000Z')] }, T],
    [
      'a call logged in this millisecond: after it',
      { ...carla, timeline: [call(T)] },
      '2026-12-01T22:00:00.001Z',
    ],
    [
      'a call written earlier, dated in this millisecond (occurredAt): after it',
      { ...carla, timeline: [call('2026-12-01T21:00:00.000Z', T)] },
      '2026-12-01T22:00:00.001Z',
    ],
    [
      'the cadence facts’ last call in this millisecond: after it',
      { ...carla, timeline: [], cadenceLog: { since: carla.ownerSince, attempts: 1, lastAt: T } },
      '2026-12-01T22:00:00.001Z',
    ],
    [
      'a call dated ahead of now (a clock ahead): now',
      { ...carla, timeline: [call(T, '2026-12-01T22:03:00.000Z')] },
      T,
    ],
  ])('%s', (_case, lead, expected) => {
    expect(nextHandoverAt(lead, T)).toBe(expected);
  });
});

describe('storyInstant (ADR 0091 amended): a write that ends or changes the lead is stamped no earlier than its story', () => {
  const T = '2026-11-30T10:00:00.000Z';
  const entry = (at: string, kind = 'email'): TimelineEntry => ({ at, kind, by: 'workflow', reasons: [] });
  const jonas = { ownerSince: '2026-11-30T08:00:00.000Z', handedOffAt: '2026-11-30T08:00:00.000Z' };
  const consent = (confirmedAt: string) => ({
    mode: 'double' as const,
    givenAt: '2026-11-30T05:00:00.000Z',
    text: 'yes',
    requestId: 'r1',
    confirmedAt,
  });

  it.each([
    ['the story all earlier: now', { ...jonas, timeline: [entry('2026-11-30T09:00:00.000Z')] }, T],
    ['an entry at now: now', { ...jonas, timeline: [entry(T)] }, T],
    [
      'a handover moved a millisecond past now (nextHandoverAt): at it',
      {
        ...jonas,
        ownerSince: '2026-11-30T10:00:00.001Z',
        timeline: [entry('2026-11-30T10:00:00.001Z', 'owner')],
      },
      '2026-11-30T10:00:00.001Z',
    ],
    [
      'an email another host stamped ahead of this one: at it',
      { ...jonas, timeline: [entry('2026-11-30T10:00:00.004Z'), entry('2026-11-30T09:00:00.000Z')] },
      '2026-11-30T10:00:00.004Z',
    ],
    [
      'a confirmation ahead of now: at it',
      { ...jonas, timeline: [], consent: consent('2026-11-30T10:00:00.002Z') },
      '2026-11-30T10:00:00.002Z',
    ],
  ])('%s', (_case, lead, expected) => {
    expect(storyInstant(lead, new Date(T)).toISOString()).toBe(expected);
  });
});

describe('inStoryOrder (ADR 0091 amended): the entries a workflow write adds are stamped no earlier than the story', () => {
  const T = '2026-11-30T10:00:00.000Z';
  const T1 = '2026-11-30T10:00:00.001Z';
  const entry = (at: string, kind = 'email'): TimelineEntry => ({ at, kind, by: 'workflow', reasons: [] });
  const lead = (timeline: TimelineEntry[], ownerSince = '2026-11-30T08:00:00.000Z') =>
    ({
      ownerSince,
      handedOffAt: '2026-11-30T08:00:00.000Z',
      timeline,
      timelineDropped: 0,
    }) as unknown as LeadState;
  const times = (state: LeadState) => state.timeline.map((told) => `${told.kind} ${told.at}`);

  it.each([
    [
      'an email at the round time after a handover moved past it (stored): at the handover',
      lead([entry(T1, 'owner')], T1),
      [entry(T)],
      [`owner ${T1}`, `email ${T1}`],
    ],
    [
      "an email after the round's own moved handover: at the handover",
      lead([entry(T, 'field')]),
      [entry(T1, 'owner'), entry(T)],
      [`field ${T}`, `owner ${T1}`, `email ${T1}`],
    ],
    [
      'entries already in order: as they are',
      lead([entry(T, 'owner')]),
      [entry(T), entry(T1)],
      [`owner ${T}`, `email ${T}`, `email ${T1}`],
    ],
  ])('%s', (_case, stored, added, expected) => {
    // Arrange
    const next = { ...stored, timeline: [...stored.timeline, ...added] };

    // Act
    const written = inStoryOrder(stored, next);

    // Assert: the stored entries untouched, the added ones in time order
    expect(times(written)).toEqual(expected);
  });

  it('leaves the entries the stored version holds as they are, even out of order (stories stored before)', () => {
    // Arrange: an old story with an email dated before the handover it follows
    const stored = lead([entry(T1, 'owner'), entry(T)], T1);

    // Act
    const written = inStoryOrder(stored, { ...stored, updatedAt: T1 });

    // Assert
    expect(times(written)).toEqual([`owner ${T1}`, `email ${T}`]);
  });
});
