import { describe, expect, it } from 'vitest';
import { repCalendar } from '../../lambdas/domain/business-hours.ts';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import { decodeLadder } from '../../lambdas/domain/handover-terms.ts';
import {
  cadenceSchedule,
  nurtureTrackFor,
  type Plan,
  type PlannedAction,
  planNext,
} from '../../lambdas/domain/lead-plan.ts';
import { type Attempt, applyToLead, type LeadState } from '../../lambdas/domain/lead-state.ts';
import type { Occurrence } from '../../lambdas/domain/lifecycle.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { attemptsAt, handedOff, leadState, withDeal } from '../support/lead-state.ts';
import { loadDefaultSla, makeSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const DAY = 86_400_000;
const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString();

/** One planned action as one readable line. */
function describeAction(action: PlannedAction): string {
  switch (action.type) {
    case 'sendNurture':
      return `sendNurture ${action.track.id}#${action.index} key=${action.key}`;
    case 'remindAttempt':
      return `remindAttempt ${action.step}/${action.of} due=${action.dueAt.toISOString()} key=${action.key}`;
    case 'escalate':
      return `escalate ${action.action} step=${action.step} due=${action.dueAt.toISOString()} key=${action.key}`;
    case 'exhaustCadence':
      return `exhaustCadence coolOff=${action.coolOff.text} logged=${action.logged}/${action.of}${action.breach ? ' breach' : ''} key=${action.key}`;
    case 'remindStaleDeal':
      return `remindStaleDeal ${action.stageId} n=${action.n} since=${action.since.toISOString()} key=${action.key}`;
    case 'remindDecide':
      return `remindDecide n=${action.n} connected=${action.connectedAt.toISOString()} since=${action.since.toISOString()}${action.managerId ? ` copy=${action.managerId}` : ''}${action.pin ? ' pin' : ''} key=${action.key}`;
    case 'remindTakeover':
      return `remindTakeover to=${action.managerId} n=${action.n} since=${action.since.toISOString()} recycle=${action.recycleAt.toISOString()} key=${action.key}`;
    case 'endCoolOff':
      return 'endCoolOff';
    case 'enterTrack':
      return `enterTrack ${action.track.id}`;
    case 'requestConsent':
      return `requestConsent key=${action.key}`;
  }
}

/** The plan as one readable value: actions as one line each, times as ISO. */
function summary(plan: Plan) {
  if (plan.kind === 'end' && plan.dormant)
    return { kind: 'dormant', rules: plan.reasons.map((reason) => reason.rule) };
  if (plan.kind !== 'park') return { kind: plan.kind, rules: plan.reasons.map((reason) => reason.rule) };
  return {
    kind: plan.kind,
    phase: plan.phase,
    wakeAt: plan.wakeAt.toISOString(),
    actions: plan.actions.map(describeAction),
  };
}

interface Row {
  readonly name: string;
  readonly lead: LeadState;
  readonly now: string;
  readonly attempts?: readonly Attempt[];
  readonly skipNurture?: boolean;
  /** the SLA to plan with (default: sla/default.yaml) */
  readonly withSla?: Sla;
}

/** sla/default.yaml without contact.decideWithin: a connected lead waits for its deal unchased */
const { decideWithin: _none, ...contactWithout } = sla.contact;
const withoutDecide: Sla = { ...sla, contact: contactWithout };

const plan = (row: Row, on: Sla = row.withSla ?? sla) =>
  summary(
    planNext(on, {
      lead: row.lead,
      attempts: row.attempts ?? [],
      now: new Date(row.now),
      skipNurture: row.skipNurture ?? false,
    }),
  );

// Mon 2026-11-30 08:00Z = 09:00 Berlin: the handoff of the contact tables
const H = '2026-11-30T08:00:00.000Z';
const remindKey = (step: number) => `remind:1:${H}:${step}`;
const escalateKey = (step: number) => `escalate:1:${H}:${step}`;
const takeoverKey = (n: number) => `takeover:1:${H}:${n}`;

describe('planNext: the end', () => {
  it.each<Row & { rule: string }>([
    {
      name: 'erased (even with an owner)',
      lead: handedOff(H, 'jonas', { erasedAt: H }),
      now: H,
      rule: 'lead.erased',
    },
    {
      name: 'a customer',
      lead: leadState({ stage: 'customer', status: 'open-deal' }),
      now: H,
      rule: 'lifecycle.customer',
    },
    {
      name: 'disqualified (status unqualified, even in a cool-off)',
      lead: leadState({ status: 'unqualified', coolOffUntil: plusDays(H, 10) }),
      now: H,
      rule: 'status.disqualified',
    },
  ])('$name -> end', (row) => {
    // Act
    const result = plan(row);
    // Assert
    expect(result).toEqual({ kind: 'end', rules: [row.rule] });
  });
});

describe('planNext: cool-off', () => {
  // recycled at Thu 2026-12-10 19:00Z (20:00 Berlin) with a 30d cool-off: until Sat 2027-01-09 19:00Z
  const UNTIL = '2027-01-09T19:00:00.000Z';
  const recycled = leadState({ status: 'recycled-not-ready', coolOffUntil: UNTIL });

  it.each<Row & { expected: ReturnType<typeof summary> }>([
    {
      name: 'pending: park in coolOff until coolOffUntil',
      lead: recycled,
      now: '2026-12-10T19:00:00.000Z',
      expected: { kind: 'park', phase: 'coolOff', wakeAt: UNTIL, actions: [] },
    },
    {
      name: 'one millisecond before its end: still pending',
      lead: recycled,
      now: '2027-01-09T18:59:59.999Z',
      expected: { kind: 'park', phase: 'coolOff', wakeAt: UNTIL, actions: [] },
    },
    {
      name: 'over at coolOffUntil: endCoolOff, then plan again at once',
      lead: recycled,
      now: UNTIL,
      expected: { kind: 'park', phase: 'nurture', wakeAt: UNTIL, actions: ['endCoolOff'] },
    },
    {
      name: 'over, for a lead type that skips nurture too: endCoolOff first',
      lead: { ...recycled, leadType: 'existing-customer' },
      now: plusDays(UNTIL, 1),
      skipNurture: true,
      expected: { kind: 'park', phase: 'nurture', wakeAt: plusDays(UNTIL, 1), actions: ['endCoolOff'] },
    },
  ])('$name', (row) => {
    // Act
    const result = plan(row);
    // Assert
    expect(result).toEqual(row.expected);
  });
});

describe('planNext: handoff', () => {
  it.each<Row & { expected: ReturnType<typeof summary> }>([
    {
      name: 'an SQL without an owner',
      lead: leadState({ stage: 'sql' }),
      now: H,
      expected: { kind: 'handoff', rules: ['handoff.sql'] },
    },
    {
      name: 'an opportunity without an owner',
      lead: leadState({ stage: 'opportunity' }),
      now: H,
      expected: { kind: 'handoff', rules: ['handoff.sql'] },
    },
    {
      name: 'a lead whose type skips nurture (existing customer), even below MQL and without consent',
      lead: leadState({ leadType: 'existing-customer', marketingConsent: false }),
      now: H,
      skipNurture: true,
      expected: { kind: 'handoff', rules: ['leadType.existing-customer'] },
    },
    {
      name: 'a recycled lead whose type skips nurture: nurtured, not handed off again',
      lead: leadState({
        leadType: 'existing-customer',
        status: 'recycled-not-ready',
        marketingConsent: false,
      }),
      now: H,
      skipNurture: true,
      expected: { kind: 'dormant', rules: ['nurture.consent'] },
    },
    {
      name: 'an owner stored but never told (a crash before the "new SQL" email): handed off again to tell them',
      lead: { ...handedOff(H, 'jonas'), sent: [] },
      now: plusDays(H, 1),
      expected: { kind: 'handoff', rules: ['handoff.announce'] },
    },
    {
      name: '... told once the email is sent: the cadence goes on',
      lead: handedOff(H, 'jonas', { sent: [remindKey(2)] }),
      now: '2026-11-30T09:30:00.000Z',
      expected: { kind: 'park', phase: 'contact', wakeAt: '2026-11-30T12:00:00.000Z', actions: [] },
    },
  ])('$name', (row) => {
    // Act
    const result = plan(row);
    // Assert
    expect(result).toEqual(row.expected);
  });
});

describe('planNext: nurture', () => {
  // N = Mon 2026-11-30 08:00Z (09:00 Berlin); "7d" is wall-clock days in the company calendar
  const N = '2026-11-30T08:00:00.000Z';
  const _in30d = plusDays(N, 30); // the longest park: 2026-12-30T08:00Z

  it.each<Row & { expected: ReturnType<typeof summary>; why?: string }>([
    {
      name: 'no marketing consent: no email; dormant (the execution ends until something happens)',
      lead: leadState({ marketingConsent: false }),
      now: N,
      expected: { kind: 'dormant', rules: ['nurture.consent'] },
      why: 'no nurture email: no marketing consent',
    },
    {
      name: 'unsubscribed (consent notwithstanding): no email',
      lead: leadState({ unsubscribed: true }),
      now: N,
      expected: { kind: 'dormant', rules: ['nurture.consent'] },
      why: 'no nurture email: unsubscribed',
    },
    {
      name: 'undeliverable: no email',
      lead: leadState({ undeliverable: true }),
      now: N,
      expected: { kind: 'dormant', rules: ['nurture.consent'] },
      why: 'no nurture email: email undeliverable',
    },
    {
      name: 'no persona, awareness: enters track general first (stored, so delays count from now)',
      lead: leadState(),
      now: N,
      expected: { kind: 'park', phase: 'nurture', wakeAt: N, actions: ['enterTrack general'] },
    },
    {
      name: 'on track general since now: its first email (0h) at once; the next 7d later',
      lead: leadState({ nurture: { trackId: 'general', sent: 0, startedAt: N } }),
      now: N,
      // 7d later: Mon 2026-12-07 08:00Z (09:00 Berlin)
      expected: {
        kind: 'park',
        phase: 'nurture',
        wakeAt: '2026-12-07T08:00:00.000Z',
        actions: ['sendNurture general#0 key=nurture:1:first:welcome'],
      },
    },
    {
      name: 'maintenance engineer in awareness: persona x stage track, its next email 5d later',
      lead: leadState({
        persona: 'maintenance-engineer',
        nurture: { trackId: 'engineer-awareness', sent: 0, startedAt: N },
      }),
      now: N,
      // 5d later: Sat 2026-12-05 08:00Z (09:00 Berlin; nurture delays are wall-clock)
      expected: {
        kind: 'park',
        phase: 'nurture',
        wakeAt: '2026-12-05T08:00:00.000Z',
        actions: ['sendNurture engineer-awareness#0 key=nurture:1:first:maintenance-checklist'],
      },
    },
    {
      name: 'maintenance engineer in consideration: no persona track for it, the any-persona x stage one',
      lead: leadState({ persona: 'maintenance-engineer', journeyStage: 'consideration' }),
      now: N,
      expected: { kind: 'park', phase: 'nurture', wakeAt: N, actions: ['enterTrack decision-makers'] },
    },
    {
      name: 'progress on another track (the journey moved on): the lead enters the new track',
      lead: leadState({
        journeyStage: 'decision',
        nurture: { trackId: 'decision-makers', sent: 2, startedAt: '2026-11-01T08:00:00.000Z' },
      }),
      now: N,
      // a decision-stage lead (demo, quote or pricing) reads the demo offer, not the general welcome
      expected: { kind: 'park', phase: 'nurture', wakeAt: N, actions: ['enterTrack ready-to-decide'] },
    },
    {
      name: 'the second email is due 7d after the first was sent (across the DST switch: same wall time)',
      // first sent Thu 2027-03-25 09:00Z (10:00 CET) -> due Thu 2027-04-01 08:00Z (10:00 CEST)
      lead: leadState({
        nurture: {
          trackId: 'general',
          sent: 1,
          startedAt: '2027-03-25T09:00:00.000Z',
          lastSentAt: '2027-03-25T09:00:00.000Z',
        },
      }),
      now: '2027-03-30T12:00:00.000Z',
      expected: { kind: 'park', phase: 'nurture', wakeAt: '2027-04-01T08:00:00.000Z', actions: [] },
    },
    {
      name: 'the second email at its due time; the third 14d after it',
      lead: leadState({
        nurture: {
          trackId: 'general',
          sent: 1,
          startedAt: '2027-03-25T09:00:00.000Z',
          lastSentAt: '2027-03-25T09:00:00.000Z',
        },
      }),
      now: '2027-04-01T08:00:00.000Z',
      // 14d later: Thu 2027-04-15 08:00Z (10:00 CEST)
      expected: {
        kind: 'park',
        phase: 'nurture',
        wakeAt: '2027-04-15T08:00:00.000Z',
        actions: ['sendNurture general#1 key=nurture:1:first:case-study'],
      },
    },
    {
      name: 'the delay counts from lastSentAt, not from the track start',
      // started 2026-11-01, last sent Fri 2026-11-27 10:00Z: the second email is due Fri 2026-12-04 10:00Z
      lead: leadState({
        nurture: {
          trackId: 'general',
          sent: 1,
          startedAt: '2026-11-01T10:00:00.000Z',
          lastSentAt: '2026-11-27T10:00:00.000Z',
        },
      }),
      now: N,
      expected: { kind: 'park', phase: 'nurture', wakeAt: '2026-12-04T10:00:00.000Z', actions: [] },
    },
    {
      name: 'the track exhausted: no email; dormant',
      lead: leadState({
        nurture: { trackId: 'general', sent: 3, startedAt: N, lastSentAt: N },
      }),
      now: N,
      expected: { kind: 'dormant', rules: ['nurture.general'] },
      why: 'all 3 emails sent',
    },
  ])('$name', (row) => {
    // Act
    const result = planNext(sla, {
      lead: row.lead,
      attempts: [],
      now: new Date(row.now),
      skipNurture: false,
    });
    // Assert
    expect(summary(result)).toEqual(row.expected);
    if (row.why) expect(result.reasons.some((reason) => reason.detail.startsWith(row.why!))).toBe(true);
  });

  it('a track stops at its stopAt stages: no email for an MQL on a track that stops at mql', () => {
    // Arrange
    const stopsAtMql = makeSla({
      nurture: {
        templates: [{ id: 'hello', subject: 'Hello', text: 'Hello' }],
        tracks: [{ id: 'only', name: 'Only', emails: [{ template: 'hello', delay: '0h' }], stopAt: ['mql'] }],
      },
    });
    const lead = leadState({ stage: 'mql' });
    // Act
    const result = planNext(stopsAtMql, { lead, attempts: [], now: new Date(N), skipNurture: false });
    // Assert
    expect(summary(result)).toEqual({ kind: 'dormant', rules: ['nurture.only'] });
    expect(result.reasons).toEqual([
      { rule: 'nurture.only', detail: 'track stops at mql; dormant until something happens' },
    ]);
  });

  it('no track fits: no email', () => {
    // Arrange: the only track is for another persona
    const narrow = makeSla({
      personas: [{ id: 'buyer', name: 'Buyer', match: { jobTitleKeywords: ['buyer'] } }],
      nurture: {
        templates: [{ id: 'hello', subject: 'Hello', text: 'Hello' }],
        tracks: [
          { id: 'buyers', name: 'Buyers', persona: 'buyer', emails: [{ template: 'hello', delay: '0h' }] },
        ],
      },
    });
    // Act
    const result = planNext(narrow, {
      lead: leadState(),
      attempts: [],
      now: new Date(N),
      skipNurture: false,
    });
    // Assert
    expect(summary(result)).toEqual({ kind: 'dormant', rules: ['nurture.track'] });
  });

  it('a first email with a delay waits its delay from the moment the lead enters the track', () => {
    // Arrange
    const delayed = makeSla({
      nurture: {
        templates: [{ id: 'hello', subject: 'Hello', text: 'Hello' }],
        tracks: [{ id: 'slow', name: 'Slow', emails: [{ template: 'hello', delay: '2d' }] }],
      },
    });
    // Act
    const result = planNext(delayed, {
      lead: leadState({ nurture: { trackId: 'slow', sent: 0, startedAt: N } }),
      attempts: [],
      now: new Date(N),
      skipNurture: false,
    });
    // Assert: Wed 2026-12-02 08:00Z (09:00 Berlin), nothing sent yet
    expect(summary(result)).toEqual({
      kind: 'park',
      phase: 'nurture',
      wakeAt: '2026-12-02T08:00:00.000Z',
      actions: [],
    });
  });
});

describe('nurtureTrackFor: the most specific track first', () => {
  const email = [{ template: 'hello', delay: '0h' }];
  const tracks = makeSla({
    personas: [
      { id: 'engineer', name: 'Engineer', match: { jobTitleKeywords: ['engineer'] } },
      {
        id: 'director',
        name: 'Director',
        match: { jobTitleKeywords: ['director'] },
        nurtureTrack: 'directors',
      },
      { id: 'buyer', name: 'Buyer', match: { jobTitleKeywords: ['buyer'] } },
    ],
    leadTypes: [
      {
        id: 'partner',
        name: 'Partner',
        match: { emailDomains: ['partner.example'] },
        overrides: { nurtureTrack: 'partners' },
      },
      { id: 'other', name: 'Other' },
    ],
    nurture: {
      templates: [{ id: 'hello', subject: 'Hello', text: 'Hello' }],
      tracks: [
        // reachable by id only: a journey stage no lead is in keeps them out of the persona x stage matches
        { id: 'partners', name: 'Partners', journeyStage: 'retention', emails: email },
        { id: 'directors', name: 'Directors', journeyStage: 'retention', emails: email },
        {
          id: 'engineer-consideration',
          name: 'E x C',
          persona: 'engineer',
          journeyStage: 'consideration',
          emails: email,
        },
        { id: 'engineer-any', name: 'E x *', persona: 'engineer', emails: email },
        { id: 'any-consideration', name: '* x C', journeyStage: 'consideration', emails: email },
        { id: 'everyone', name: '* x *', emails: email },
      ],
    },
  });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['the type override beats everything', 'partner', 'engineer', 'consideration', 'partners'],
    ['the persona\'s own track', 'other', 'director', 'consideration', 'directors'],
    ['persona x journey stage', 'other', 'engineer', 'consideration', 'engineer-consideration'],
    ['persona, any stage', 'other', 'engineer', 'decision', 'engineer-any'],
    ['any persona x stage, for a persona without tracks', 'other', 'buyer', 'consideration', 'any-consideration'],
    ['any persona x stage, for a lead without a persona', 'other', undefined, 'consideration', 'any-consideration'],
    ['the catch-all', 'other', 'buyer', 'awareness', 'everyone'],
    ['the catch-all, no persona', 'other', undefined, 'awareness', 'everyone'],
  ])('%s', (_name, leadType, persona, journeyStage, expected) => {
    // Act
    const track = nurtureTrackFor(tracks, { leadType, persona, journeyStage });
    // Assert
    expect(track?.id).toBe(expected);
  });

  it('undefined when no track fits', () => {
    // Arrange
    const only = makeSla({
      nurture: {
        templates: [{ id: 'hello', subject: 'Hello', text: 'Hello' }],
        tracks: [{ id: 'late', name: 'Late', journeyStage: 'decision', emails: email }],
      },
    });
    // Act
    const track = nurtureTrackFor(only, { leadType: 'x', persona: undefined, journeyStage: 'awareness' });
    // Assert
    expect(track).toBeUndefined();
  });
});

describe('cadenceSchedule: step 1 at the first-touch deadline; step n its delay after attempt n-1 if logged, else after step n-1 was due', () => {
  const rep = (id: string) => sla.routing.reps.find((candidate) => candidate.id === id)!;

  it.each<{ name: string; rep: string; attempts: Attempt[]; expected: string[] }>([
    {
      name: 'Jonas (Berlin), nothing logged: no step falls due before the first touch (13:00)',
      rep: 'jonas',
      attempts: [],
      expected: [
        '2026-11-30T12:00:00.000Z', // the first-touch deadline: Mon 09:00 Berlin + 4bh = 13:00
        '2026-11-30T13:00:00.000Z', // +1bh: Mon 14:00
        '2026-12-01T13:00:00.000Z', // +1bd: Tue 14:00
        '2026-12-03T13:00:00.000Z', // +2bd: Thu 14:00
        '2026-12-07T13:00:00.000Z', // +2bd: Mon 14:00 (over the weekend)
        '2026-12-10T13:00:00.000Z', // +3bd: Thu 14:00
      ],
    },
    {
      name: 'Jonas, attempts 1 and 2 logged late: the rest moves with them',
      rep: 'jonas',
      attempts: attemptsAt('2026-11-30T10:30:00.000Z', '2026-12-01T14:00:00.000Z'),
      expected: [
        '2026-11-30T12:00:00.000Z', // Mon 13:00 Berlin
        '2026-11-30T11:30:00.000Z', // attempt 1 at 11:30 Berlin + 1bh: Mon 12:30 (on purpose: it counts from the attempt)
        '2026-12-02T14:00:00.000Z', // attempt 2 Tue 15:00 Berlin + 1bd: Wed 15:00
        '2026-12-04T14:00:00.000Z', // step 3 due + 2bd: Fri 15:00
        '2026-12-08T14:00:00.000Z', // + 2bd: Tue 15:00
        '2026-12-11T14:00:00.000Z', // + 3bd: Fri 15:00
      ],
    },
    {
      name: 'Carla (Chicago): the handoff at 02:00 her time waits for her opening, then 4bh',
      rep: 'carla',
      attempts: [],
      expected: [
        '2026-11-30T18:00:00.000Z', // Mon 08:00 Chicago (CST, UTC-6) + 4bh = 12:00
        '2026-11-30T19:00:00.000Z', // Mon 13:00
        '2026-12-01T19:00:00.000Z', // Tue 13:00
        '2026-12-03T19:00:00.000Z', // Thu 13:00
        '2026-12-07T19:00:00.000Z', // Mon 13:00
        '2026-12-10T19:00:00.000Z', // Thu 13:00
      ],
    },
  ])('$name', ({ rep: repId, attempts, expected }) => {
    // Act
    const due = cadenceSchedule(sla, repCalendar(sla, rep(repId)), new Date(H), attempts, 'equipment-sales');
    // Assert
    expect(due.map((at) => at.toISOString())).toEqual(expected);
  });
});

describe('planNext: contact attempts and the first-touch escalation ladder', () => {
  // Handoff H = Mon 2026-11-30 08:00Z (09:00 Berlin) to Jonas. First touch (step 1) due H + 4bh = 12:00Z
  // (13:00); remindOwner at 12:00Z, notifyManager at 14:00Z (15:00), reassign at 16:00Z (17:00, the
  // closing time). Step 2 due 13:00Z (14:00); step 6 due Thu 2026-12-10 13:00Z (14:00); the cadence
  // expires 4bh later, Fri 2026-12-11 08:00Z (09:00).
  const jonas = (overrides: Partial<LeadState> = {}) => handedOff(H, 'jonas', overrides);
  const sentUpTo = (...keys: string[]) => ({ sent: keys });

  it.each<Row & { expected: ReturnType<typeof summary> }>([
    {
      name: 'at the handoff: step 1 is the first touch, announced by the assignment email; wake at its deadline',
      lead: jonas(),
      now: H,
      expected: { kind: 'park', phase: 'contact', wakeAt: '2026-11-30T12:00:00.000Z', actions: [] },
    },
    {
      name: 'an hour in (the old step 2 time): nothing is due before the first-touch deadline',
      lead: jonas(),
      now: '2026-11-30T09:00:00.000Z',
      expected: { kind: 'park', phase: 'contact', wakeAt: '2026-11-30T12:00:00.000Z', actions: [] },
    },
    {
      name: 'first touch due (13:00 Berlin) and none logged: the ladder reminds the owner, no step-1 reminder besides',
      lead: jonas(),
      now: '2026-11-30T12:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-11-30T12:00:00.000Z',
        actions: [`escalate remindOwner step=1 due=2026-11-30T12:00:00.000Z key=${escalateKey(1)}`],
      },
    },
    {
      name: 'owner reminded: wait for step 2 (14:00 Berlin), before the manager step',
      lead: jonas({ ...sentUpTo(escalateKey(1)), escalationsTaken: 1 }),
      now: '2026-11-30T12:00:00.000Z',
      expected: { kind: 'park', phase: 'contact', wakeAt: '2026-11-30T13:00:00.000Z', actions: [] },
    },
    {
      name: 'step 2 due 1bh after the first-touch deadline: its reminder; wake for the manager step (15:00)',
      lead: jonas({ ...sentUpTo(escalateKey(1)), escalationsTaken: 1 }),
      now: '2026-11-30T13:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-11-30T14:00:00.000Z',
        actions: [`remindAttempt 2/6 due=2026-11-30T13:00:00.000Z key=${remindKey(2)}`],
      },
    },
    {
      name: 'due+2bh: notify the manager',
      lead: jonas({ ...sentUpTo(remindKey(2), escalateKey(1)), escalationsTaken: 1 }),
      now: '2026-11-30T14:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-11-30T14:00:00.000Z',
        actions: [`escalate notifyManager step=2 due=2026-11-30T12:00:00.000Z key=${escalateKey(2)}`],
      },
    },
    {
      name: 'manager told: wait for the reassignment at due+4bh (17:00 Berlin, the closing time)',
      lead: jonas({ ...sentUpTo(remindKey(2)), escalationsTaken: 2 }),
      now: '2026-11-30T14:00:00.000Z',
      expected: { kind: 'park', phase: 'contact', wakeAt: '2026-11-30T16:00:00.000Z', actions: [] },
    },
    {
      name: 'due+4bh: reassign',
      lead: jonas({ ...sentUpTo(remindKey(2)), escalationsTaken: 2 }),
      now: '2026-11-30T16:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-11-30T16:00:00.000Z',
        actions: [`escalate reassign step=3 due=2026-11-30T12:00:00.000Z key=${escalateKey(3)}`],
      },
    },
    {
      name: 'due+4bh after maxReassignments (2) reassignments: the queue manager takes over instead',
      lead: jonas({ ...sentUpTo(remindKey(2)), escalationsTaken: 2, reassignments: 2 }),
      now: '2026-11-30T16:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-11-30T16:00:00.000Z',
        actions: [`escalate handToManager step=3 due=2026-11-30T12:00:00.000Z key=${escalateKey(3)}`],
      },
    },
    {
      name: 'one reassignment so far (below the bound): reassign again',
      lead: jonas({ ...sentUpTo(remindKey(2)), escalationsTaken: 2, reassignments: 1 }),
      now: '2026-11-30T16:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-11-30T16:00:00.000Z',
        actions: [`escalate reassign step=3 due=2026-11-30T12:00:00.000Z key=${escalateKey(3)}`],
      },
    },
    {
      name: 'the ladder done: wake for step 3 (Tue 14:00 Berlin)',
      lead: jonas({ ...sentUpTo(remindKey(2)), escalationsTaken: 3 }),
      now: '2026-11-30T16:00:00.000Z',
      expected: { kind: 'park', phase: 'contact', wakeAt: '2026-12-01T13:00:00.000Z', actions: [] },
    },
    {
      name: 'several escalation steps overdue at once (the workflow was down): one at a time, in order',
      lead: jonas(sentUpTo(remindKey(2))),
      now: '2026-11-30T16:30:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-11-30T16:30:00.000Z',
        actions: [`escalate remindOwner step=1 due=2026-11-30T12:00:00.000Z key=${escalateKey(1)}`],
      },
    },
    {
      name: 'an attempt logged (11:30 Berlin): no escalation at all; step 2 counts from it (12:30 Berlin)',
      lead: jonas(sentUpTo(remindKey(2))),
      attempts: attemptsAt('2026-11-30T10:30:00.000Z'),
      now: '2026-11-30T16:00:00.000Z',
      // step 2 is due 11:30Z and its key is taken already: nothing to send; step 3 = 11:30Z + 1bd
      expected: { kind: 'park', phase: 'contact', wakeAt: '2026-12-01T11:30:00.000Z', actions: [] },
    },
    {
      name: 'an attempt logged before step 2 was due: wait for step 2, 1bh after the attempt',
      lead: jonas(),
      attempts: attemptsAt('2026-11-30T08:20:00.000Z'),
      now: '2026-11-30T08:30:00.000Z',
      // 08:20Z (09:20 Berlin) + 1bh = 09:20Z (10:20 Berlin)
      expected: { kind: 'park', phase: 'contact', wakeAt: '2026-11-30T09:20:00.000Z', actions: [] },
    },
    {
      name: 'after downtime only the latest due step is reminded (step 4, Thu 14:00 Berlin), not 2 and 3',
      lead: jonas({ escalationsTaken: 3 }),
      now: '2026-12-03T14:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-12-07T13:00:00.000Z',
        actions: [`remindAttempt 4/6 due=2026-12-03T13:00:00.000Z key=${remindKey(4)}`],
      },
    },
    {
      name: 'step 6 due, the cadence not yet expired: the last reminder; wake at the expiry (Fri 09:00 Berlin)',
      lead: jonas({ escalationsTaken: 3, ...sentUpTo(remindKey(5)) }),
      now: '2026-12-10T13:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-12-11T08:00:00.000Z',
        actions: [`remindAttempt 6/6 due=2026-12-10T13:00:00.000Z key=${remindKey(6)}`],
      },
    },
    {
      name: 'exhausted by time with no attempt: recycled, a breach (0 of 6 logged)',
      lead: jonas({ escalationsTaken: 3, ...sentUpTo(remindKey(6)) }),
      now: '2026-12-11T08:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'coolOff',
        wakeAt: '2026-12-11T08:00:00.000Z',
        actions: [`exhaustCadence coolOff=30d logged=0/6 breach key=recycled:1:${H}`],
      },
    },
    {
      name: 'exhausted by time with 2 of 6 logged: still a breach',
      lead: jonas({ status: 'attempting-contact' }),
      attempts: attemptsAt('2026-11-30T10:30:00.000Z', '2026-12-01T14:00:00.000Z'),
      // step 6 due Fri 2026-12-11 14:00Z (15:00 Berlin) + 4bh = Mon 10:00 Berlin
      now: '2026-12-14T09:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'coolOff',
        wakeAt: '2026-12-14T09:00:00.000Z',
        actions: [`exhaustCadence coolOff=30d logged=2/6 breach key=recycled:1:${H}`],
      },
    },
    {
      name: 'exhausted by count: all 6 attempts logged without connecting (no breach)',
      lead: jonas({ status: 'attempting-contact' }),
      attempts: attemptsAt(
        '2026-11-30T08:10:00.000Z',
        '2026-11-30T09:10:00.000Z',
        '2026-12-01T09:10:00.000Z',
        '2026-12-03T09:10:00.000Z',
        '2026-12-07T09:10:00.000Z',
        '2026-12-10T09:10:00.000Z',
      ),
      now: '2026-12-10T09:10:00.000Z',
      expected: {
        kind: 'park',
        phase: 'coolOff',
        wakeAt: '2026-12-10T09:10:00.000Z',
        actions: [`exhaustCadence coolOff=30d logged=6/6 key=recycled:1:${H}`],
      },
    },
    {
      name: 'a handoff on Saturday: step 1 is reminded at Monday opening (08:00 Berlin), stating its deadline (12:00)',
      // handoff Sat 2026-11-28 10:00Z; step 1 (0bh) asks for Mon 07:00Z (08:00 Berlin); its deadline, the
      // first touch, is Mon 07:00Z + 4bh = 11:00Z (12:00)
      lead: handedOff('2026-11-28T10:00:00.000Z'),
      now: '2026-11-30T07:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-11-30T11:00:00.000Z',
        actions: ['remindAttempt 1/6 due=2026-11-30T11:00:00.000Z key=remind:1:2026-11-28T10:00:00.000Z:1'],
      },
    },
    {
      name: "Carla's lead runs on Chicago time: first touch due 12:00 Chicago (18:00Z), reminded then",
      // handoff Mon 08:00Z = 02:00 Chicago; her day opens 14:00Z; + 4bh = 18:00Z
      lead: handedOff(H, 'carla'),
      now: '2026-11-30T18:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-11-30T18:00:00.000Z',
        actions: [`escalate remindOwner step=1 due=2026-11-30T18:00:00.000Z key=${escalateKey(1)}`],
      },
    },
  ])('$name', (row) => {
    // Act
    const result = plan(row);
    // Assert
    expect(result).toEqual(row.expected);
  });

  it('an owner without a manager: the manager step goes to the queue manager instead of being skipped', () => {
    // Arrange: the same SLA, but Jonas has no manager
    const noManager: Sla = {
      ...sla,
      routing: {
        ...sla.routing,
        reps: sla.routing.reps.map((rep) => (rep.id === 'jonas' ? { ...rep, manager: undefined } : rep)),
      },
    };
    const lead = jonas({ escalationsTaken: 1, sent: [remindKey(2)] });
    // Act
    const atManagerTime = planNext(noManager, {
      lead,
      attempts: [],
      now: new Date('2026-11-30T14:00:00.000Z'),
      skipNurture: false,
    });
    // Assert: the rung is taken, and the reasons say who hears of it and why
    expect(atManagerTime.kind === 'park' && atManagerTime.actions.map(describeAction)).toEqual([
      `escalate notifyManager step=2 due=2026-11-30T12:00:00.000Z key=${escalateKey(2)}`,
    ]);
    expect(atManagerTime.reasons.map((reason) => reason.detail)).toEqual(
      expect.arrayContaining(['Jonas Berger has no manager', 'Katrin Vogel manages Equipment sales']),
    );
  });
});

describe('planNext: "still over to you", the manager reminded after the ladder ran out (handoff.remindManagerEvery)', () => {
  // As above: handed to Jonas at H; the ladder's reassign rung (Mon 17:00 Berlin) found maxReassignments reached and
  // handed the lead to his queue's manager, the lead staying with him (escalationsTaken 3). Reminders every 1bd from
  // that rung: Wed 2 Dec, Thu 3 Dec ... 08:00 Berlin (07:00Z); the cadence recycles the lead Fri 11 Dec 09:00 Berlin.
  const TAKEOVER = { handover: H, to: 'katrin', at: '2026-11-30T16:00:00.000Z' };
  const takenOver = (overrides: Partial<LeadState> = {}) =>
    handedOff(H, 'jonas', {
      escalationsTaken: 3,
      reassignments: 2,
      takenOver: TAKEOVER,
      sent: [remindKey(3)],
      ...overrides,
    });
  const { managers } = sla.routing;
  const { remindManagerEvery: _every, ...handoffWithout } = sla.handoff;
  const told = (n: number, since = '2026-11-30T16:00:00.000Z') =>
    `remindTakeover to=katrin n=${n} since=${since} recycle=2026-12-11T08:00:00.000Z key=${takeoverKey(n)}`;

  it.each<Row & { expected: string[]; wakeAt?: string }>([
    {
      name: 'a business day after the takeover (Wed 08:00 Berlin): the first reminder',
      lead: takenOver(),
      now: '2026-12-02T07:00:00.000Z',
      expected: [told(1)],
      wakeAt: '2026-12-03T07:00:00.000Z',
    },
    {
      name: 'a minute before it: nothing; wake for it',
      lead: takenOver(),
      now: '2026-12-02T06:59:00.000Z',
      expected: [],
      wakeAt: '2026-12-02T07:00:00.000Z',
    },
    {
      name: 'the first sent: nothing twice; wake for the second',
      lead: takenOver({ sent: [remindKey(3), takeoverKey(1)] }),
      now: '2026-12-02T09:00:00.000Z',
      expected: [],
      wakeAt: '2026-12-03T07:00:00.000Z',
    },
    {
      name: 'after downtime (Mon 7 Dec): only the latest due (4), not 2 and 3',
      lead: takenOver({ sent: [remindKey(4), takeoverKey(1)] }),
      now: '2026-12-07T07:00:00.000Z',
      expected: [told(4)],
    },
    {
      name: 'a first touch logged: no reminder',
      lead: takenOver(),
      attempts: attemptsAt('2026-12-01T09:00:00.000Z'),
      now: '2026-12-02T07:00:00.000Z',
      expected: [],
    },
    {
      name: 'an SLA without remindManagerEvery: told once, at the takeover',
      lead: takenOver(),
      now: '2026-12-02T07:00:00.000Z',
      withSla: { ...sla, handoff: handoffWithout },
      expected: [],
    },
    {
      name: 'a ladder with no reassign rung (it only told the manager): no takeover to remind of',
      lead: takenOver({ escalationsTaken: 2, takenOver: undefined }),
      now: '2026-12-02T07:00:00.000Z',
      withSla: { ...sla, handoff: { ...sla.handoff, escalation: sla.handoff.escalation.slice(0, 2) } },
      expected: [],
    },
    {
      name: 'taken over late, Fri 4 Dec 10:00 Berlin (the workflow was down): the first reminder a business day on',
      lead: takenOver({ takenOver: { ...TAKEOVER, at: '2026-12-04T09:00:00.000Z' } }),
      now: '2026-12-04T09:00:00.000Z',
      expected: [],
      wakeAt: '2026-12-07T09:00:00.000Z', // Mon 7 Dec 10:00 Berlin, before step 5 (14:00)
    },
    {
      name: '... and that reminder, counted from the takeover',
      lead: takenOver({ takenOver: { ...TAKEOVER, at: '2026-12-04T09:00:00.000Z' }, sent: [remindKey(4)] }),
      now: '2026-12-07T09:00:00.000Z',
      expected: [told(1, '2026-12-04T09:00:00.000Z')],
    },
    {
      name: 'reminder 3 sent under 1bd, then an SLA of 2bd: its count 1 is not sent again',
      lead: takenOver({ sent: [remindKey(4), takeoverKey(3)] }),
      now: '2026-12-07T07:00:00.000Z',
      withSla: { ...sla, handoff: { ...sla.handoff, remindManagerEvery: parseDuration('2bd')! } },
      expected: [],
    },
    {
      name: 'the manager it went to no longer in the SLA: nobody is told it is still theirs',
      lead: takenOver(),
      now: '2026-12-02T07:00:00.000Z',
      withSla: { ...sla, routing: { ...sla.routing, managers: managers.filter((m) => m.id !== 'katrin') } },
      expected: [],
    },
    {
      name: "over to the deployment's ops address (the SLA names no manager): no reminder",
      lead: takenOver({ takenOver: { ...TAKEOVER, to: 'ops' } }),
      now: '2026-12-02T07:00:00.000Z',
      expected: [],
    },
    {
      name: 'a takeover of an earlier handover (the lead given to Jonas again since): no reminder',
      lead: takenOver({ takenOver: { ...TAKEOVER, handover: '2026-11-27T08:00:00.000Z' } }),
      now: '2026-12-02T07:00:00.000Z',
      expected: [],
    },
    {
      name: 'taken over before takenOver was stored (the older state: the reassign rung taken, its key sent): reminded from the rung',
      lead: takenOver({ takenOver: undefined, sent: [remindKey(3), escalateKey(3)] }),
      now: '2026-12-02T07:00:00.000Z',
      expected: [told(1)],
      wakeAt: '2026-12-03T07:00:00.000Z',
    },
    {
      name: '... its takeover entry still on the state (taken late, Tue 10:00 Berlin): counted from the entry',
      lead: takenOver({
        takenOver: undefined,
        sent: [remindKey(3), escalateKey(3)],
        timeline: [
          {
            at: '2026-12-01T09:00:00.000Z',
            kind: 'escalation',
            from: 'jonas',
            to: 'katrin',
            by: 'workflow',
            reasons: [{ rule: 'handoff.escalation.manager', detail: 'no first touch after 3 reps: ...' }],
          },
        ],
      }),
      now: '2026-12-02T09:00:00.000Z',
      expected: [told(1, '2026-12-01T09:00:00.000Z')],
    },
    {
      name: 'the older state with the reassign rung taken in an earlier handover (its key of that one): no reminder',
      lead: takenOver({
        takenOver: undefined,
        sent: [remindKey(3), 'escalate:1:2026-11-27T08:00:00.000Z:3'],
      }),
      now: '2026-12-02T07:00:00.000Z',
      expected: [],
    },
    {
      name: 'the reassign rung not yet taken (the manager not told yet): no reminder',
      lead: handedOff(H, 'jonas', { escalationsTaken: 2, sent: [remindKey(2)] }),
      now: '2026-11-30T15:00:00.000Z',
      expected: [],
    },
  ])('$name', (row) => {
    // Act
    const result = plan(row);
    // Assert: the takeover reminders among the actions (the cadence's own are the tables above)
    const actions = (result.kind === 'park' && result.actions) || [];
    const reminders = actions.filter((line) => line.startsWith('remindTakeover'));
    expect(reminders).toEqual(row.expected);
    if (row.wakeAt) expect(result.kind === 'park' && result.wakeAt).toBe(row.wakeAt);
  });
});

describe("planNext: a ladder rung's warning says when the manager is told and the lead reassigned", () => {
  // Handoff H = Mon 2026-11-30 08:00Z (09:00 Berlin) to Jonas, first touch due 12:00Z (13:00): the default ladder
  // reminds at 12:00Z, tells the manager at 14:00Z (15:00) and reassigns at 16:00Z (17:00, the closing time)
  const jonas = (overrides: Partial<LeadState> = {}) => handedOff(H, 'jonas', overrides);
  const withLadder = (ladder: string): Sla => ({
    ...sla,
    handoff: { ...sla.handoff, escalation: decodeLadder(ladder)! },
  });

  it.each<Row & { expected: { managerToldAt?: string; reassignedAt?: string } }>([
    {
      name: 'the reminder at the deadline: the manager at due+2bh, the reassignment at due+4bh',
      lead: jonas(),
      now: '2026-11-30T12:00:00.000Z',
      expected: { managerToldAt: '2026-11-30T14:00:00.000Z', reassignedAt: '2026-11-30T16:00:00.000Z' },
    },
    {
      name: "the manager's rung: the reassignment at due+4bh",
      lead: jonas({ escalationsTaken: 1 }),
      now: '2026-11-30T14:00:00.000Z',
      expected: { reassignedAt: '2026-11-30T16:00:00.000Z' },
    },
    {
      name: 'one reassignment so far (below maxReassignments, 2): the next one is said',
      lead: jonas({ escalationsTaken: 1, reassignments: 1 }),
      now: '2026-11-30T14:00:00.000Z',
      expected: { reassignedAt: '2026-11-30T16:00:00.000Z' },
    },
    {
      name: 'maxReassignments (2) reached: the queue manager takes over at due+4bh, no reassignment is said',
      lead: jonas({ escalationsTaken: 1, reassignments: 2 }),
      now: '2026-11-30T14:00:00.000Z',
      expected: {},
    },
    {
      name: 'a ladder with no reassign rung: the manager only',
      lead: jonas(),
      now: '2026-11-30T12:00:00.000Z',
      withSla: withLadder('0h remindOwner;2bh notifyManager'),
      expected: { managerToldAt: '2026-11-30T14:00:00.000Z' },
    },
    {
      name: 'a ladder with no manager rung: the reassignment only, the next morning (6bh: Tue 10:00 Berlin)',
      lead: jonas(),
      now: '2026-11-30T12:00:00.000Z',
      withSla: withLadder('0h remindOwner;6bh reassign'),
      expected: { reassignedAt: '2026-12-01T09:00:00.000Z' },
    },
    {
      name: 'the ladder the handover keeps (ADR 0059), not the one deployed since: it had no reassign rung',
      lead: jonas({
        handoverTerms: {
          since: H,
          due: '2026-11-30T12:00:00.000Z',
          ladder: '0h remindOwner;2bh notifyManager',
        },
      }),
      now: '2026-11-30T12:00:00.000Z',
      expected: { managerToldAt: '2026-11-30T14:00:00.000Z' },
    },
  ])('$name', (row) => {
    // Act
    const result = planNext(row.withSla ?? sla, {
      lead: row.lead,
      attempts: [],
      now: new Date(row.now),
      skipNurture: false,
    });

    // Assert
    const rung =
      result.kind === 'park' ? result.actions.find((action) => action.type === 'escalate') : undefined;
    const ahead = rung?.type === 'escalate' ? rung.ahead : undefined;
    expect(
      ahead && Object.fromEntries(Object.entries(ahead).map(([what, at]) => [what, at.toISOString()])),
    ).toEqual(row.expected);
  });
});

describe('planNext: one clock per handover (contact.onReassign)', () => {
  // Jonas had it from H; the ladder gave it to Lena at due+4bh = Mon 16:00Z (17:00 Berlin, closing time)
  const R = '2026-11-30T16:00:00.000Z';
  const lena = (overrides: Partial<LeadState> = {}) =>
    handedOff(H, 'lena', { ownerSince: R, reassignments: 1, sent: [`escalate:1:${R}:0`], ...overrides });
  const continued: Sla = { ...sla, contact: { ...sla.contact, onReassign: 'continue' } };

  it.each<Row & { on: 'restart' | 'continue'; expected: ReturnType<typeof summary> }>([
    {
      name: 'restart: the new owner gets a fresh first-touch deadline, Tue 12:00 Berlin (4bh from Tue opening)',
      on: 'restart',
      lead: lena(),
      now: R,
      expected: { kind: 'park', phase: 'contact', wakeAt: '2026-12-01T07:00:00.000Z', actions: [] },
    },
    {
      name: "restart: Tue opening, the cadence's own step-1 moment: one reminder stating the new deadline",
      on: 'restart',
      lead: lena(),
      now: '2026-12-01T07:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-12-01T11:00:00.000Z',
        actions: [`remindAttempt 1/6 due=2026-12-01T11:00:00.000Z key=remind:1:${R}:1`],
      },
    },
    {
      name: 'restart: the new owner is escalated like the first (remindOwner at the new deadline)',
      on: 'restart',
      lead: lena({ sent: [`remind:1:${R}:1`] }),
      now: '2026-12-01T11:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-12-01T11:00:00.000Z',
        actions: [`escalate remindOwner step=1 due=2026-12-01T11:00:00.000Z key=escalate:1:${R}:1`],
      },
    },
    {
      name: "restart: the old owner's attempts do not count for the new owner's cadence",
      on: 'restart',
      lead: lena({ sent: [`remind:1:${R}:1`] }),
      attempts: attemptsAt('2026-11-30T15:00:00.000Z'),
      now: '2026-12-01T11:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: '2026-12-01T11:00:00.000Z',
        actions: [`escalate remindOwner step=1 due=2026-12-01T11:00:00.000Z key=escalate:1:${R}:1`],
      },
    },
    {
      name: "continue: the first handoff's deadlines stand; the ladder counts from the new owner's handover",
      on: 'continue',
      lead: lena(),
      now: R,
      expected: {
        kind: 'park',
        phase: 'contact',
        wakeAt: R,
        actions: [
          `remindAttempt 2/6 due=2026-11-30T13:00:00.000Z key=remind:1:${R}:2`,
          `escalate remindOwner step=1 due=2026-11-30T12:00:00.000Z key=escalate:1:${R}:1`,
        ],
      },
    },
  ])('$name', (row) => {
    // Act
    const result = plan(row, row.on === 'restart' ? sla : continued);
    // Assert
    expect(result).toEqual(row.expected);
  });

  it('an owner the SLA no longer names is escalated at once: reassigned by the queue, an open deal too', () => {
    // Arrange
    const gone = handedOff(H, 'jonas-left');
    const dealGone = withDeal(handedOff(H, 'jonas-left'), 'quote-presented', H);
    // Act
    const contact = plan({ name: '', lead: gone, now: '2026-12-02T10:00:00.000Z' });
    const deal = plan({ name: '', lead: dealGone, now: '2026-12-02T10:00:00.000Z' });
    // Assert
    expect(contact).toEqual({
      kind: 'park',
      phase: 'contact',
      wakeAt: '2026-12-02T10:00:00.000Z',
      actions: [`escalate reassign step=0 due=2026-11-30T12:00:00.000Z key=orphan:1:${H}`],
    });
    expect(deal).toEqual({
      kind: 'park',
      phase: 'deal',
      wakeAt: '2026-12-02T10:00:00.000Z',
      actions: [`escalate reassign step=0 due=2026-11-30T12:00:00.000Z key=orphan:1:${H}`],
    });
  });

  it('an open deal whose missing owner nobody could replace (its manager told): no reminder to nobody, it waits for its next stale time', () => {
    // Arrange: in Quote presented since H (stale every 9 days); the orphan escalation is done
    const flagged = withDeal(handedOff(H, 'jonas-left', { sent: [`orphan:1:${H}`] }), 'quote-presented', H);
    // Act
    const result = plan({ name: '', lead: flagged, now: '2026-12-10T10:00:00.000Z' });
    // Assert
    expect(result).toEqual({ kind: 'park', phase: 'deal', wakeAt: '2026-12-18T08:00:00.000Z', actions: [] });
  });
});

describe('planNext: the deal phase', () => {
  // Deal stages: discovery 10d, quote-development 7d, quote-presented 9d, on-hold 30d (wall-clock days, in
  // the owner's zone). S = Mon 2026-11-30 08:00Z (09:00 Berlin).
  const S = '2026-11-30T08:00:00.000Z';
  const staleKey = (stage: string, since: string, n: number) => `stale:1:${stage}:${since}:${n}`;
  const inDeal = (stage: string, since = S, sent: string[] = []) =>
    withDeal(handedOff(H, 'jonas', { sent }), stage, since);

  it.each<Row & { expected: ReturnType<typeof summary> }>([
    {
      name: 'quote presented, not yet stale: wake at since + 9d (Wed 2026-12-09 09:00 Berlin)',
      lead: inDeal('quote-presented'),
      now: '2026-12-09T07:59:59.000Z',
      expected: { kind: 'park', phase: 'deal', wakeAt: '2026-12-09T08:00:00.000Z', actions: [] },
    },
    {
      name: 'stale after 9d: the first reminder; the next 9d later (Fri 2026-12-18 09:00 Berlin)',
      lead: inDeal('quote-presented'),
      now: '2026-12-09T08:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'deal',
        wakeAt: '2026-12-18T08:00:00.000Z',
        actions: [`remindStaleDeal quote-presented n=1 since=${S} key=${staleKey('quote-presented', S, 1)}`],
      },
    },
    {
      name: 'still stale 20 days in: the second reminder (due 12-18); the third at 12-27 09:00 Berlin',
      lead: inDeal('quote-presented', S, [staleKey('quote-presented', S, 1)]),
      now: '2026-12-20T00:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'deal',
        wakeAt: '2026-12-27T08:00:00.000Z',
        actions: [`remindStaleDeal quote-presented n=2 since=${S} key=${staleKey('quote-presented', S, 2)}`],
      },
    },
    {
      name: 'the second reminder already sent: not again',
      lead: inDeal('quote-presented', S, [staleKey('quote-presented', S, 2)]),
      now: '2026-12-20T00:00:00.000Z',
      expected: { kind: 'park', phase: 'deal', wakeAt: '2026-12-27T08:00:00.000Z', actions: [] },
    },
    {
      name: 'on hold: the longer timer, 30d (Wed 2026-12-30 09:00 Berlin)',
      lead: inDeal('on-hold'),
      now: S,
      expected: { kind: 'park', phase: 'deal', wakeAt: '2026-12-30T08:00:00.000Z', actions: [] },
    },
    {
      name: 'quote development 7d across the DST switch: the same wall time (09:00 CET -> 09:00 CEST)',
      // since Thu 2027-03-25 08:00Z (09:00 CET) -> Thu 2027-04-01 07:00Z (09:00 CEST)
      lead: inDeal('quote-development', '2027-03-25T08:00:00.000Z'),
      now: '2027-03-26T00:00:00.000Z',
      expected: { kind: 'park', phase: 'deal', wakeAt: '2027-04-01T07:00:00.000Z', actions: [] },
    },
    {
      name: 'connected, no deal yet, no contact.decideWithin: wait in the deal phase (a look again in 30 days)',
      withSla: withoutDecide,
      lead: handedOff(H, 'jonas', { status: 'connected' }),
      now: '2026-11-30T09:00:00.000Z',
      expected: { kind: 'park', phase: 'deal', wakeAt: '2026-12-30T09:00:00.000Z', actions: [] },
    },
    {
      name: 'an opportunity without a deal: the same',
      withSla: withoutDecide,
      lead: handedOff(H, 'jonas', { stage: 'opportunity', status: 'connected' }),
      now: '2026-11-30T09:00:00.000Z',
      expected: { kind: 'park', phase: 'deal', wakeAt: '2026-12-30T09:00:00.000Z', actions: [] },
    },
  ])('$name', (row) => {
    // Act
    const result = plan(row);
    // Assert
    expect(result).toEqual(row.expected);
  });
});

describe('planNext: connected, no deal yet (contact.decideWithin)', () => {
  // sla/default.yaml: decideWithin 5bd on the Berlin calendar (Mon-Fri 08:00-17:00, holidays 24-26 Dec).
  // Handed to jonas (manager katrin) at H; connected Tue 2026-12-01 09:00Z (10:00 Berlin) by a logged attempt,
  // as the sales API applies it. 5bd later: Tue 12-08 10:00 Berlin; 10bd: Tue 12-15; 15bd: Tue 12-22.
  const C = '2026-12-01T09:00:00.000Z';
  const key = (n: number, since = C) => `decide:1:${since}:${n}`;
  const remind = (n: number, extra = '', since = C) =>
    `remindDecide n=${n} connected=${C} since=${since}${extra} key=${key(n, since)}`;
  const apply = (lead: LeadState, occurrence: Occurrence, at: string) =>
    applyToLead(sla, lead, occurrence, new Date(at), 'rep:jonas', 'attempt').state;
  const connectedBy = (outcomeId: string, sent: string[] = []) => {
    const lead = apply(handedOff(H, 'jonas'), { kind: 'attemptLogged', outcomeId, first: true }, C);
    return { ...lead, sent: [...lead.sent, ...sent] };
  };
  const connected = (sent: string[] = []) => connectedBy('connected', sent);

  it('the status change records when the lead was connected (the clock the plan reads)', () => {
    // Arrange
    const lead = handedOff(H, 'jonas');
    // Act
    const after = apply(lead, { kind: 'attemptLogged', outcomeId: 'meeting-booked', first: true }, C);
    const again = apply(
      after,
      { kind: 'attemptLogged', outcomeId: 'connected', first: false },
      plusDays(C, 1),
    );
    // Assert: a second connect keeps the first time (the status did not change)
    expect([after.status, after.connectedAt, again.connectedAt]).toEqual(['connected', C, C]);
  });

  it.each<Row & { expected: ReturnType<typeof summary> }>([
    {
      name: "no decideWithin: today's park, a look again in 30 days, nothing sent",
      withSla: withoutDecide,
      lead: connected(),
      now: '2026-12-15T09:00:00.000Z',
      expected: { kind: 'park', phase: 'deal', wakeAt: '2027-01-14T09:00:00.000Z', actions: [] },
    },
    {
      name: 'connected 4 business days ago: park until it is due (Tue 12-08 10:00 Berlin)',
      lead: connected(),
      now: '2026-12-07T09:00:00.000Z',
      expected: { kind: 'park', phase: 'deal', wakeAt: '2026-12-08T09:00:00.000Z', actions: [] },
    },
    {
      name: 'a meeting booked counts as connected: the same clock',
      lead: connectedBy('meeting-booked'),
      now: '2026-12-07T09:00:00.000Z',
      expected: { kind: 'park', phase: 'deal', wakeAt: '2026-12-08T09:00:00.000Z', actions: [] },
    },
    {
      name: '5 business days: the first reminder, to the owner only; the next at 10 (Tue 12-15)',
      lead: connected(),
      now: '2026-12-08T09:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'deal',
        wakeAt: '2026-12-15T09:00:00.000Z',
        actions: [remind(1)],
      },
    },
    {
      name: 'the first reminder sent: not again',
      lead: connected([key(1)]),
      now: '2026-12-10T09:00:00.000Z',
      expected: { kind: 'park', phase: 'deal', wakeAt: '2026-12-15T09:00:00.000Z', actions: [] },
    },
    {
      name: '10 business days: the second reminder, the manager (katrin) copied; the next at 15 (Tue 12-22)',
      lead: connected([key(1)]),
      now: '2026-12-15T09:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'deal',
        wakeAt: '2026-12-22T09:00:00.000Z',
        actions: [remind(2, ' copy=katrin')],
      },
    },
    {
      name: 'after downtime, 12 business days in: one reminder (the latest due), not a burst',
      lead: connected(),
      now: '2026-12-17T09:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'deal',
        wakeAt: '2026-12-22T09:00:00.000Z',
        actions: [remind(2, ' copy=katrin')],
      },
    },
    {
      name: "connected before the time was recorded: the timeline's status change, pinned by the reminder",
      lead: (() => {
        const { connectedAt: _unrecorded, ...lead } = connected();
        return lead;
      })(),
      now: '2026-12-08T09:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'deal',
        wakeAt: '2026-12-15T09:00:00.000Z',
        actions: [remind(1, ' pin')],
      },
    },
    {
      name: "reassigned after the connect (onReassign: restart): the new owner's clock counts from their handover",
      lead: { ...connected([key(1)]), ownerId: 'lena', ownerSince: '2026-12-09T09:00:00.000Z' },
      now: '2026-12-15T09:00:00.000Z',
      expected: { kind: 'park', phase: 'deal', wakeAt: '2026-12-16T09:00:00.000Z', actions: [] },
    },
    {
      name: 'a deal opened: the stale-deal clock of its stage (Discovery, 10d), no decide reminder',
      // as the sales API opens it: the occurrence, and the deal on the lead
      lead: withDeal(
        apply(
          connected([key(1)]),
          {
            kind: 'dealUpdated',
            dealStageId: 'discovery',
            at: new Date('2026-12-09T09:00:00.000Z'),
            first: true,
          },
          '2026-12-09T09:00:00.000Z',
        ),
        'discovery',
        '2026-12-09T09:00:00.000Z',
      ),
      now: '2026-12-15T09:00:00.000Z',
      expected: { kind: 'park', phase: 'deal', wakeAt: '2026-12-19T09:00:00.000Z', actions: [] },
    },
    {
      name: 'disqualified: the end, no reminder',
      lead: apply(
        connected(),
        { kind: 'statusSetByRep', statusId: 'unqualified' },
        '2026-12-02T09:00:00.000Z',
      ),
      now: '2026-12-15T09:00:00.000Z',
      expected: { kind: 'end', rules: ['status.disqualified'] },
    },
    {
      name: 'recycled (not now): back to nurture, no reminder',
      lead: apply(
        connected(),
        { kind: 'statusSetByRep', statusId: 'recycled-not-ready' },
        '2026-12-02T09:00:00.000Z',
      ),
      now: '2026-12-15T09:00:00.000Z',
      expected: {
        kind: 'park',
        phase: 'nurture',
        wakeAt: '2026-12-15T09:00:00.000Z',
        actions: ['enterTrack general'],
      },
    },
  ])('$name', (row) => {
    // Act
    const result = plan(row);
    // Assert
    expect(result).toEqual(row.expected);
  });
});
