/**
 * The rule that drops a ladder email sent late (domain/late-send.ts, ADR 0085 amended): what each email says, and
 * what of the lead, as it is at the send, makes that untrue. The emails as the workflow claims them: stamped with
 * the handover of the write that claims them (withLadderHandovers).
 */
import { describe, expect, it } from 'vitest';
import {
  type LadderEmail,
  ladderEmailMovedOn,
  ladderHandover,
  withLadderHandovers,
} from '../../lambdas/domain/late-send.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import type { OutboxEntry } from '../../lambdas/domain/outbox.ts';
import { handedOff, withDeal } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const CARLA_SINCE = '2026-12-01T15:00:00.000Z';
const TAKEN = { handover: CARLA_SINCE, to: 'katrin', at: '2026-12-01T23:00:00.000Z' };
/** Carla's untouched handover, over to Katrin */
const carla: LeadState = {
  ...handedOff('2026-11-30T08:00:00.000Z', 'carla', { ownerSince: CARLA_SINCE }),
  cadenceLog: { since: CARLA_SINCE, attempts: 0 },
  takenOver: TAKEN,
};
const lena: LeadState = {
  ...carla,
  ownerId: 'lena',
  ownerSince: '2026-12-01T23:10:00.000Z',
  cadenceLog: undefined,
};
const touched: LeadState = {
  ...carla,
  cadenceLog: { since: CARLA_SINCE, attempts: 1, lastAt: '2026-12-01T23:10:00.000Z' },
};
const connected: LeadState = { ...carla, status: 'connected' };
const recycled: LeadState = { ...carla, ownerId: undefined, ownerSince: undefined, handedOffAt: undefined };
const givenBack: LeadState = { ...carla, ownerSince: '2026-12-02T09:00:00.000Z', takenOver: undefined };

const dueNow: LadderEmail = {
  type: 'firstTouchOverdue',
  repId: 'carla',
  handover: CARLA_SINCE,
  dueAt: '2026-12-01T19:00:00.000Z',
  overdue: 0,
};
const escalation: LadderEmail = {
  type: 'managerEscalation',
  repId: 'carla',
  managerId: 'dan',
  handover: CARLA_SINCE,
  dueAt: '2026-12-01T19:00:00.000Z',
  overdue: 2,
};
const takeover: LadderEmail = {
  type: 'managerTakeover',
  ownerId: 'carla',
  managerId: 'katrin',
  handover: CARLA_SINCE,
  headline: 'no first touch after 3 reps',
  why: 'it was reassigned 2 times without a first touch',
  summary: { kind: 'noFirstTouch', reps: 3 },
  owners: ['jonas', 'mike', 'carla'],
};
const still: LadderEmail = {
  ...takeover,
  reminder: { n: 1, since: TAKEN.at, recycleAt: '2026-12-14T15:00:00.000Z' },
};
const needsOwner: LadderEmail = {
  ...takeover,
  headline: 'the lead needs an owner',
  summary: { kind: 'needsOwner' },
};
const nobodyFree: LadderEmail = {
  type: 'managerTakeover',
  managerId: 'katrin',
  headline: 'the lead needs an owner',
  why: 'nobody in queue equipment-sales can take the lead now',
  summary: { kind: 'needsOwner' },
  cause: { kind: 'nobodyFree', queueId: 'equipment-sales' },
  owners: [],
};
/** an entry claimed before `handover` was kept: its owner alone tells */
const { handover: _h, ...unstamped } = takeover as Extract<LadderEmail, { type: 'managerTakeover' }>;

describe('a ladder email at its send: still true, or why not', () => {
  it.each<[string, LadderEmail, LeadState | undefined, RegExp | undefined]>([
    ['"Due now", nothing since', dueNow, carla, undefined],
    ['"Due now", a first touch since', dueNow, touched, /^A first touch was logged/],
    ['the escalation, nothing since', escalation, carla, undefined],
    ['the escalation, connected since', escalation, connected, /with sales now/],
    ['the escalation, given to Lena since', escalation, lena, /it is with Lena Hartmann now/],
    ['the takeover, nothing since', takeover, carla, undefined],
    ['the takeover, a first touch since', takeover, touched, /^A first touch was logged/],
    ['the takeover, given to Lena since', takeover, lena, /it is with Lena Hartmann now/],
    ['the takeover, recycled since', takeover, recycled, /it has no owner now/],
    [
      'the takeover, given back to Carla since',
      takeover,
      givenBack,
      /handed over again \(it is with Carla Ruiz/,
    ],
    ['the takeover, erased since', takeover, { ...carla, erasedAt: '2026-12-02T00:00:00.000Z' }, /erased/],
    ['the takeover, the person back as a new lead', takeover, { ...carla, cycle: 2 }, /new lead/],
    ['the takeover, the lead gone', takeover, undefined, /erased/],
    ['"still over to you", nothing since', still, carla, undefined],
    [
      '"still over to you", over to someone else',
      still,
      { ...carla, takenOver: { ...TAKEN, to: 'dan' } },
      /no longer over to Katrin Vogel/,
    ],
    ['"needs an owner" (its owner away), touched since', needsOwner, touched, undefined],
    ['"needs an owner" (its owner away), given to Lena', needsOwner, lena, /Lena Hartmann/],
    [
      '"needs an owner" of a deal, nothing since',
      needsOwner,
      withDeal(carla, 'discovery', CARLA_SINCE),
      undefined,
    ],
    [
      '"needs an owner" nobody could take, still nobody',
      nobodyFree,
      { ...carla, ownerId: undefined },
      undefined,
    ],
    ['"needs an owner" nobody could take, given to Lena', nobodyFree, lena, /it is with Lena Hartmann now/],
    [
      'the takeover, set to Unqualified since',
      takeover,
      { ...carla, status: 'unqualified' },
      /closed as Unqualified/,
    ],
    [
      '"Due now", set to Unqualified since',
      dueNow,
      { ...carla, status: 'unqualified' },
      /closed as Unqualified/,
    ],
    [
      '"needs an owner" nobody could take, set to Unqualified since',
      nobodyFree,
      { ...carla, ownerId: undefined, status: 'unqualified' },
      /closed as Unqualified/,
    ],
    ['the escalation, a customer since', escalation, { ...carla, stage: 'customer' }, /a customer now/],
    ['an entry claimed before `handover` was kept, Carla still has it', unstamped, carla, undefined],
    ['an entry claimed before `handover` was kept, given to Lena', unstamped, lena, /Lena Hartmann/],
  ])('%s', (_case, email, now, why) => {
    // Act
    const answer = ladderEmailMovedOn(sla, now, 1, email);

    // Assert
    if (why) expect(answer).toMatch(why);
    else expect(answer).toBeUndefined();
  });
});

describe('the handover a ladder email is stamped with: the write’s that claims it', () => {
  it('a rung’s reassignment in the same write (a wake after downtime) is no moving on', () => {
    // Arrange: "Due now" and the escalation to Carla, planned before the reassign rung gives the lead to Lena,
    // all written at once
    const claim = (key: string, email: LadderEmail): OutboxEntry => {
      const { handover: _unset, ...planned } = email as LadderEmail & { handover?: string };
      return { key, what: key, at: '2026-12-01T23:10:00.000Z', email: planned as LadderEmail };
    };
    const written: LeadState = {
      ...lena,
      outbox: [claim('escalate:1:a:1', dueNow), claim('escalate:1:a:2', escalation), claim('older', dueNow)],
    };

    // Act
    const stamped = withLadderHandovers(written, new Set(['escalate:1:a:1', 'escalate:1:a:2']));

    // Assert: this write's claims carry its handover, an entry of another write none; sent with it, both go
    const handovers = stamped.outbox!.map((entry) => (entry.email as { handover?: string }).handover);
    expect(handovers).toEqual([ladderHandover(lena), ladderHandover(lena), undefined]);
    for (const entry of stamped.outbox!.slice(0, 2))
      expect(ladderEmailMovedOn(sla, lena, 1, entry.email as LadderEmail)).toBeUndefined();
  });
});
