/**
 * The rule that drops a ladder email sent late (domain/late-send.ts, ADR 0085 amended): what each email says, and
 * what of the lead, as it is at the send, makes that untrue. The emails as the workflow claims them: stamped with
 * the handover of the write that claims them (withLadderHandovers).
 */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import {
  escalationAtSend,
  handoverOfKey,
  type LadderEmail,
  ladderEmailMovedOn,
  ladderHandover,
  withLadderHandovers,
  withTakeoversDropped,
} from '../../lambdas/domain/late-send.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import type { OutboxEntry } from '../../lambdas/domain/outbox.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { takenOverNow } from '../../lambdas/domain/takeover-reminder.ts';
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

describe('a first touch at the send, whichever clock start an SLA edit deployed since (edge 1)', () => {
  const HANDOFF = '2026-11-30T08:00:00.000Z';
  const continuing: Sla = { ...sla, contact: { ...sla.contact, onReassign: 'continue' } };
  const otherLadder: Sla = {
    ...sla,
    handoff: {
      ...sla.handoff,
      escalation: [
        { after: parseDuration('0h')!, action: 'remindOwner' },
        { after: parseDuration('1bh')!, action: 'reassign' },
      ],
    },
  };
  /** Carla's call at 23:10, counted from the handoff (the facts as onReassign: continue writes them) */
  const fromHandoff: LeadState = {
    ...carla,
    cadenceLog: { since: HANDOFF, attempts: 1, lastAt: '2026-12-01T23:10:00.000Z' },
  };
  /** Jonas's call before Carla had the lead, counted from the handoff: no first touch of Carla's */
  const jonasOnly: LeadState = {
    ...carla,
    cadenceLog: { since: HANDOFF, attempts: 1, lastAt: '2026-11-30T09:00:00.000Z' },
  };

  it.each<[string, Sla, LeadState, RegExp | undefined]>([
    ['counted from her handover (restart), continue deployed since', continuing, touched, /^A first touch/],
    ['counted from the handoff (continue), restart deployed since', sla, fromHandoff, /^A first touch/],
    ['counted from the handoff, continue still deployed', continuing, fromHandoff, /^A first touch/],
    ['Jonas’s call only, counted from the handoff, restart deployed since', sla, jonasOnly, undefined],
    ['counted from her handover, another ladder deployed since', otherLadder, touched, /^A first touch/],
    ['nothing logged, continue deployed since', continuing, carla, undefined],
  ])('the takeover, %s', (_case, deployed, lead, why) => {
    // Act
    const answer = ladderEmailMovedOn(deployed, lead, 1, takeover);

    // Assert
    if (why) expect(answer).toMatch(why);
    else expect(answer).toBeUndefined();
  });
});

describe('an entry claimed before the handover stamp: the handover its key names (edge 2)', () => {
  const key = `escalate:1:${CARLA_SINCE}:3`;

  it.each<[string, string | undefined, string | undefined]>([
    ['a rung', key, CARLA_SINCE],
    ['an absence', `away:1:${CARLA_SINCE}:2`, CARLA_SINCE],
    ['a "still over to you"', `takeover:1:${CARLA_SINCE}:4`, CARLA_SINCE],
    ['an owner the SLA lost', `orphan:1:${CARLA_SINCE}`, CARLA_SINCE],
    ['nobody could take it', 'unplaced:1:first', undefined],
    ['no key', undefined, undefined],
  ])('%s', (_case, entryKey, handover) => {
    // Act / Assert
    expect(handoverOfKey(entryKey)).toBe(handover);
  });

  it.each<[string, LeadState, RegExp | undefined]>([
    ['Carla still on it', carla, undefined],
    ['given to Lena and back to Carla (A -> B -> A)', givenBack, /handed over again \(it is with Carla Ruiz/],
    ['given to Lena', lena, /it is with Lena Hartmann now/],
  ])('the takeover by its key, %s', (_case, lead, why) => {
    // Act
    const answer = ladderEmailMovedOn(sla, lead, 1, unstamped as LadderEmail, key);

    // Assert
    if (why) expect(answer).toMatch(why);
    else expect(answer).toBeUndefined();
  });
});

describe('the escalation to a stand-in, at its send (edge 3)', () => {
  const danAway: Sla = {
    ...sla,
    routing: {
      ...sla.routing,
      managers: sla.routing.managers.map((manager) =>
        manager.id === 'dan'
          ? { ...manager, outOfOffice: [{ from: '2026-11-30', to: '2026-12-01' }], deputy: 'priya' }
          : manager,
      ),
    },
  };
  const withoutDan: Sla = {
    ...danAway,
    routing: { ...danAway.routing, managers: danAway.routing.managers.filter((one) => one.id !== 'dan') },
  };
  const toPriya = {
    ...(escalation as Extract<LadderEmail, { type: 'managerEscalation' }>),
    managerId: 'priya',
    standsInFor: { managerId: 'dan', until: '2026-12-01' },
  };
  const DAN_AWAY = new Date('2026-12-01T22:00:00.000Z'); // 23:00 in Berlin, Tue 1 Dec
  const DAN_BACK = new Date('2026-12-01T23:15:00.000Z'); // 00:15 in Berlin, Wed 2 Dec

  it.each<[string, Sla, Date, number, string | undefined]>([
    ['Dan still away', danAway, DAN_AWAY, 0, undefined],
    ['Dan back', danAway, DAN_BACK, 0, 'dan'],
    ['Dan back, Priya’s message out before a refused copy', danAway, DAN_BACK, 1, undefined],
    ['Dan back, and gone from the SLA', withoutDan, DAN_BACK, 0, undefined],
  ])('%s', (_case, deployed, now, messagesSent, to) => {
    // Act
    const readdressed = escalationAtSend(deployed, toPriya, now, messagesSent);

    // Assert
    if (to === undefined) expect(readdressed).toBeUndefined();
    else {
      expect(readdressed?.email).toEqual({ ...escalation, managerId: to });
      expect(readdressed?.note).toBe(
        'sent to Dan Whitaker instead: back from out of office (until 2026-12-01), so Priya Shah no longer stands in',
      );
    }
  });

  it('an escalation to the manager in line is sent as claimed', () => {
    // Act / Assert
    expect(
      escalationAtSend(danAway, escalation as Extract<LadderEmail, { type: 'managerEscalation' }>, DAN_BACK),
    ).toBeUndefined();
  });
});

describe('a takeover whose "Over to you" was dropped: over to nobody (edge 4)', () => {
  const DROPPED_AT = new Date('2026-12-01T23:15:00.000Z');
  const entry = (email: LadderEmail, messagesSent?: number) => ({
    key: `escalate:1:${CARLA_SINCE}:3`,
    email,
    ...(messagesSent ? { messagesSent } : {}),
  });

  it.each<[string, LeadState, ReturnType<typeof entry>, boolean]>([
    ['the takeover, nothing out', touched, entry(takeover), true],
    ['the takeover stamped before (its key tells)', touched, entry(unstamped as LadderEmail), true],
    ['the takeover, Katrin’s message out before a refused copy', touched, entry(takeover, 1), false],
    ['a "still over to you"', touched, entry(still), false],
    ['the takeover, of a handover since', lena, entry(takeover), false],
    ['another email of the ladder', touched, entry(escalation), false],
  ])('%s', (_case, lead, dropped, untold) => {
    // Act
    const after = withTakeoversDropped(sla, lead, [dropped], DROPPED_AT);

    // Assert
    if (untold) {
      expect(after.takenOver).toEqual({ ...TAKEN, dropped: DROPPED_AT.toISOString() });
      expect(takenOverNow(sla, after)).toBeUndefined();
    } else expect(after).toBe(lead);
  });

  it('a takeover an older state records (no takenOver stored) is stored as dropped', () => {
    // Arrange: the ladder's reassign rung taken with its key sent, the escalation entry to Katrin, no takenOver
    const older: LeadState = {
      ...touched,
      takenOver: undefined,
      escalationsTaken: 3,
      sent: [...touched.sent, `escalate:1:${CARLA_SINCE}:3`],
      timeline: [
        ...touched.timeline,
        {
          at: TAKEN.at,
          kind: 'escalation',
          from: 'carla',
          to: 'katrin',
          by: 'workflow',
          reasons: [{ rule: 'handoff.escalation.manager', detail: 'no first touch after 3 reps' }],
        },
      ],
    };
    expect(takenOverNow(sla, older)).toEqual({ handover: CARLA_SINCE, to: 'katrin', at: TAKEN.at });

    // Act
    const after = withTakeoversDropped(sla, older, [entry(takeover)], DROPPED_AT);

    // Assert
    expect(after.takenOver).toEqual({
      handover: CARLA_SINCE,
      to: 'katrin',
      at: TAKEN.at,
      dropped: DROPPED_AT.toISOString(),
    });
    expect(takenOverNow(sla, after)).toBeUndefined();
  });
});
