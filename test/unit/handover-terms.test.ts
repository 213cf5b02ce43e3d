/**
 * ADR 0059: a running first-touch clock and escalation ladder keep the terms in force at the lead's handover (the
 * deadline its owner was given, that SLA's ladder), stored on the lead in a compact form; a new handover takes the
 * SLA in force then; a lead stored before (no terms, or terms of an earlier handover) runs on the SLA deployed.
 */
import { describe, expect, it } from 'vitest';
import { processIo } from '../../bin/commands/io.ts';
import {
  decodeLadder,
  encodeLadder,
  keptTerms,
  withHandoverTerms,
} from '../../lambdas/domain/handover-terms.ts';
import { type PlannedAction, planNext } from '../../lambdas/domain/lead-plan.ts';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { factsOf } from '../../lambdas/domain/report-facts.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { migrateLead } from '../../lambdas/domain/sla-migration.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { slaStanding } from '../../lambdas/domain/sla-standing.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { changedSlaText, JONAS_TO_LENA } from '../support/sla-change.ts';

const four = loadDefaultSla();
const one = (() => {
  const parsed = parseSla(processIo.readFile('test/fixtures/sla/strict.yaml'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.sla;
})();
/** the 1-hour SLA without Jonas (a removed rep: migrations or STRANDED) */
const withoutJonas: Sla = {
  ...one,
  routing: {
    ...one.routing,
    reps: one.routing.reps.filter((rep) => rep.id !== 'jonas'),
    queues: one.routing.queues.map((queue) => ({
      ...queue,
      reps: queue.reps.filter((id) => id !== 'jonas'),
    })),
  },
};

// Monday 09:00 Berlin: due by 13:00 under 4 business hours, 10:00 under 1
const HANDOFF = '2026-11-30T08:00:00.000Z';
const legacy = handedOff(HANDOFF);
const underFour = withHandoverTerms(four, legacy);
const underOne = withHandoverTerms(one, legacy);
/** reassigned to Lena at 10:00 Berlin by a write that stored no terms: the terms are an earlier handover's */
const reassignedUntermed: LeadState = {
  ...underFour,
  ownerId: 'lena',
  ownerSince: '2026-11-30T09:00:00.000Z',
};

const escalations = (sla: Sla, lead: LeadState, now: string) => {
  const plan = planNext(sla, { lead, attempts: [], now: new Date(now), skipNurture: false });
  if (plan.kind !== 'park') return [];
  return plan.actions
    .filter((action): action is Extract<PlannedAction, { type: 'escalate' }> => action.type === 'escalate')
    .map((action) => `${action.action} step=${action.step} due=${action.dueAt.toISOString()}`);
};

describe('the terms stored at a handover', () => {
  it('are the deadline given and the ladder in force, keyed by the handover', () => {
    expect(underFour.handoverTerms).toEqual({
      since: HANDOFF,
      due: '2026-11-30T12:00:00.000Z',
      ladder: '0h remindOwner;2bh notifyManager;4bh reassign',
    });
    expect(underOne.handoverTerms?.due).toBe('2026-11-30T09:00:00.000Z');
  });

  it.each([
    ['the default ladder', four.handoff.escalation],
    ['the strict ladder', one.handoff.escalation],
    ['no ladder', []],
  ])('%s reads back as written', (_name, ladder) => {
    const read = decodeLadder(encodeLadder(ladder));
    expect(
      read?.map((rung) => [rung.after.amount, rung.after.unit, rung.after.business, rung.action]),
    ).toEqual(ladder.map((rung) => [rung.after.amount, rung.after.unit, rung.after.business, rung.action]));
  });

  it.each([
    ['a duration that is none', 'soon remindOwner'],
    ['an action that is none', '2bh shout'],
    ['a rung without an action', '2bh'],
  ])('%s is no ladder (the deployed one applies)', (_name, text) => {
    expect(decodeLadder(text)).toBeUndefined();
    expect(
      keptTerms({ ...underFour, handoverTerms: { ...underFour.handoverTerms!, ladder: text } }),
    ).toBeUndefined();
  });

  it.each([
    ['no terms (a lead stored before ADR 0059): none kept', legacy, undefined],
    ['the terms of an earlier handover: none kept', reassignedUntermed, undefined],
    ['its own terms: kept', underFour, '2026-11-30T12:00:00.000Z'],
  ])('%s', (_name, lead, due) => {
    expect(keptTerms(lead)?.dueAt.toISOString()).toBe(due);
  });
});

describe('planNext on a running clock after an SLA change', () => {
  it.each([
    // the 4-hour promise under the 1-hour SLA
    [
      'handed over under 4bh, 10:30 under 1bh: nothing yet',
      one,
      underFour,
      '2026-11-30T09:30:00.000Z',
      0,
      [],
    ],
    [
      'handed over under 4bh, 13:00 under 1bh: the first rung, at the promised deadline',
      one,
      underFour,
      '2026-11-30T12:00:00.000Z',
      0,
      ['remindOwner step=1 due=2026-11-30T12:00:00.000Z'],
    ],
    [
      "handed over under 4bh, 14:30 under 1bh: the 4bh SLA's ladder (the manager at 15:00), not 1bh's (14:00)",
      one,
      underFour,
      '2026-11-30T13:30:00.000Z',
      1,
      [],
    ],
    [
      'handed over under 4bh, 15:00 under 1bh: the manager',
      one,
      underFour,
      '2026-11-30T14:00:00.000Z',
      1,
      ['notifyManager step=2 due=2026-11-30T12:00:00.000Z'],
    ],
    // leads without terms of their handover run on the SLA deployed (today's behaviour)
    [
      'no terms, 10:30 under 1bh: overdue at once',
      one,
      legacy,
      '2026-11-30T09:30:00.000Z',
      0,
      ['remindOwner step=1 due=2026-11-30T09:00:00.000Z'],
    ],
    [
      'no terms, 14:30 under 1bh: the 1bh ladder',
      one,
      legacy,
      '2026-11-30T13:30:00.000Z',
      1,
      ['notifyManager step=2 due=2026-11-30T09:00:00.000Z'],
    ],
    [
      'terms of an earlier handover, 11:30 under 1bh: the reassignment at 10:00 runs on 1bh',
      one,
      reassignedUntermed,
      '2026-11-30T10:30:00.000Z',
      0,
      ['remindOwner step=1 due=2026-11-30T10:00:00.000Z'],
    ],
    // a handover under the 1-hour SLA keeps its hour when the 4-hour one is deployed again
    [
      'handed over under 1bh, 10:30 under 4bh: overdue',
      four,
      underOne,
      '2026-11-30T09:30:00.000Z',
      0,
      ['remindOwner step=1 due=2026-11-30T09:00:00.000Z'],
    ],
    // the owner removed from the SLA: a reassignment at once, as before, stating the deadline given
    [
      'handed over under 4bh to a rep the 1bh SLA no longer names: reassigned at once, stating the deadline given',
      withoutJonas,
      underFour,
      '2026-11-30T09:30:00.000Z',
      0,
      ['reassign step=0 due=2026-11-30T12:00:00.000Z'],
    ],
  ] as const)('%s', (_name, sla, lead, now, taken, expected) => {
    expect(escalations(sla, { ...lead, escalationsTaken: taken }, now)).toEqual(expected);
  });
});

describe("the console's SLA standing agrees with the workflow", () => {
  it.each([
    ['kept terms', underFour, '2026-11-30T12:00:00.000Z', 'due'],
    ['no terms: the deployed SLA', legacy, '2026-11-30T09:00:00.000Z', 'breached'],
  ])('%s', (_name, lead, dueAt, state) => {
    const standing = slaStanding(one, { lead, attempts: [], now: new Date('2026-11-30T09:30:00.000Z') });
    expect(standing.firstTouch).toEqual({ dueAt, metAt: null, state });
    expect(standing.cadence?.nextDueAt).toBe(dueAt);
    expect(standing.escalation?.next).toMatchObject({ rung: 1, action: 'remindOwner', dueAt });
  });

  it("counts the rungs on the handover's ladder", () => {
    const standing = slaStanding(one, {
      lead: { ...underFour, escalationsTaken: 1 },
      attempts: [],
      now: new Date('2026-11-30T13:30:00.000Z'),
    });
    expect(standing.escalation).toEqual({
      rung: 1,
      of: 3,
      action: 'remindOwner',
      at: '2026-11-30T12:00:00.000Z',
      next: { rung: 2, action: 'notifyManager', dueAt: '2026-11-30T14:00:00.000Z' },
    });
  });
});

describe('an SLA migration that re-owns the lead (a removed rep with a successor)', () => {
  const slaOf = (text: string) => {
    const parsed = parseSla(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.sla;
  };

  it.each([
    ['with migrations: a new handover, on the terms of the SLA in force at it', JONAS_TO_LENA, 'migrated'],
    ['without: stranded, the lead and its terms as they were', undefined, 'stranded'],
  ] as const)('%s', (_name, migrations, kind) => {
    const sla = slaOf(changedSlaText(migrations));
    const result = migrateLead(sla, underOne, new Date('2026-11-30T08:30:00.000Z'));
    expect(result.kind).toBe(kind);
    if (result.kind !== 'migrated') return;
    expect(result.state.ownerId).toBe('lena');
    expect(result.state.handoverTerms).toEqual({
      since: '2026-11-30T08:30:00.000Z',
      due: '2026-11-30T12:30:00.000Z',
      ladder: '0h remindOwner;2bh notifyManager;4bh reassign',
    });
    expect(keptTerms(result.state)?.dueAt.toISOString()).toBe('2026-11-30T12:30:00.000Z');
  });
});

describe('the report judges the first touch by the same terms', () => {
  const entry = (
    at: string,
    kind: TimelineEntry['kind'],
    extra: Partial<TimelineEntry> = {},
  ): TimelineEntry => ({
    at,
    kind,
    by: 'workflow',
    reasons: [{ rule: 'fixture', detail: 'fixture' }],
    ...extra,
  });
  // handed to Jonas at 09:00 Berlin, his first call at 11:00: in time for 13:00, late for 10:00
  const story = (lead: LeadState): LeadState => ({
    ...lead,
    status: 'attempting',
    timeline: [
      entry(HANDOFF, 'owner', { to: 'jonas' }),
      entry('2026-11-30T10:00:00.000Z', 'attempt', {
        from: 'sql/new',
        to: 'sql/attempting',
        by: 'rep:jonas',
      }),
    ],
  });

  it.each([
    ['handed over under 4bh, read under 1bh: met by 13:00', underFour, '2026-11-30T12:00:00.000Z', true],
    [
      'no terms, read under 1bh: late for 10:00 (the deployed SLA)',
      legacy,
      '2026-11-30T09:00:00.000Z',
      false,
    ],
  ])('%s', (_name, lead, dueAt, met) => {
    const facts = factsOf(one, story(lead));
    expect(facts.find((fact) => fact.kind === 'handover')).toMatchObject({ dueAt });
    expect(facts.find((fact) => fact.kind === 'touch')).toMatchObject({ dueAt, met });
  });
});
