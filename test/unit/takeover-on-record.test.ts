/**
 * A takeover made before the release that stored `LeadState.takenOver` (commit be17914): read from what the older
 * state records of it (takeover-reminder.ts takenOverNow), for the reach (over-to.ts managerOverTo) as for the
 * reminders (lead-plan.test.ts). The older handToManager wrote, in one write, the rung taken (escalationsTaken),
 * the "Over to you" key and an `escalation` entry; every other state the ladder leaves must read as no takeover.
 */
import { describe, expect, it } from 'vitest';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { managerOverTo } from '../../lambdas/domain/over-to.ts';
import { takenOverNow, withTakeoverStored } from '../../lambdas/domain/takeover-reminder.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
// Handed to Jonas Mon 30 Nov 08:00Z; first touch due 12:00Z; the ladder's reassign rung (4bh after) at 16:00Z
const H = '2026-11-30T08:00:00.000Z';
const RUNG_DUE = '2026-11-30T16:00:00.000Z';
const key = (step: number, handover = H) => `escalate:1:${handover}:${step}`;
const escalation = (at: string, to: string): TimelineEntry => ({
  at,
  kind: 'escalation',
  from: 'jonas',
  to,
  by: 'workflow',
  reasons: [{ rule: 'handoff.escalation.manager', detail: 'no first touch after 3 reps: ...' }],
});
/** As the release before be17914 left a lead its ladder handed to the queue's manager: no takenOver. */
const older = (overrides: Partial<LeadState> = {}) =>
  handedOff(H, 'jonas', {
    escalationsTaken: 3,
    reassignments: 2,
    sent: [key(1), key(2), key(3)],
    ...overrides,
  });

describe('a takeover the older state records: whom the lead is over to (the reach, ADR 0088)', () => {
  it.each<{ name: string; lead: LeadState; overTo: string | undefined }>([
    {
      name: 'the reassign rung taken, its key sent, the entry moved off: the queue’s manager',
      lead: older(),
      overTo: 'katrin',
    },
    {
      name: 'its entry on the state: the manager it names, whoever the SLA would name now',
      lead: older({ timeline: [escalation('2026-11-30T16:00:00.000Z', 'dan')] }),
      overTo: 'dan',
    },
    {
      name: 'connected since: with sales, no one’s takeover',
      lead: older({ connectedAt: '2026-12-01T10:00:00.000Z' }),
      overTo: undefined,
    },
    {
      name: 'given to Mike since (a new handover: its rungs start again, the older keys are of the last one)',
      lead: older({ ownerId: 'mike', ownerSince: '2026-12-01T10:00:00.000Z', escalationsTaken: 0 }),
      overTo: undefined,
    },
    {
      name: 'the ladder only told the manager (notifyManager taken, the reassign rung not yet)',
      lead: older({ escalationsTaken: 2, sent: [key(1), key(2)] }),
      overTo: undefined,
    },
    {
      name: 'the owner away and nobody present: the queue’s manager asked, the ladder not done (no rung taken)',
      lead: older({
        escalationsTaken: 1,
        sent: [key(1), `away:1:${H}:2`],
        timeline: [escalation('2026-11-30T15:00:00.000Z', 'katrin')],
      }),
      overTo: undefined,
    },
    {
      name: 'a takeover stored by the newer code: as stored',
      lead: older({ takenOver: { handover: H, to: 'dan', at: RUNG_DUE, reps: ['mike'] } }),
      overTo: 'dan',
    },
  ])('$name', ({ lead, overTo }) => {
    // Act
    const manager = managerOverTo(sla, lead);

    // Assert
    expect(manager).toBe(overTo);
  });

  it('with no entry on the state, the takeover is read as made when the rung fell due', () => {
    // Act
    const over = takenOverNow(sla, older());

    // Assert
    expect(over).toEqual({ handover: H, to: 'katrin', at: RUNG_DUE });
  });
});

describe('withTakeoverStored: the write that stores a takeover read from the older state', () => {
  it('stores whom, when and the queue its type and country choose now', () => {
    // Arrange
    const lead = older({ timeline: [escalation('2026-11-30T16:05:00.000Z', 'katrin')] });

    // Act
    const stored = withTakeoverStored(sla, lead);

    // Assert
    expect(stored.takenOver).toEqual({
      handover: H,
      to: 'katrin',
      at: '2026-11-30T16:05:00.000Z',
      reps: ['jonas', 'lena', 'mats', 'carla', 'mike'],
    });
  });

  it.each([
    ['no takeover in its past', handedOff(H, 'jonas', { escalationsTaken: 2, sent: [key(1), key(2)] })],
    [
      'a takeover stored already',
      older({ takenOver: { handover: H, to: 'katrin', at: RUNG_DUE, reps: ['mike'] } }),
    ],
  ])('leaves a lead with %s as it is', (_name, lead) => {
    // Act
    const stored = withTakeoverStored(sla, lead);

    // Assert
    expect(stored).toBe(lead);
  });
});
