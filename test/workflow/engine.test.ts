import { readFileSync } from 'node:fs';
/**
 * The lead workflow end to end without emulators: the real ASL file on aws-local-stepfunctions, the real
 * task handlers, MemoryLeadStore, virtual time (ManualScheduler) and a recording Notifier. Leads come in
 * through submitLead; events, attempts and erasure through the real API handlers, which write the lead and
 * signal its parked execution exactly as in production (test/support/workflow-harness.ts).
 *
 * Default SLA: Europe/Berlin 08:00-17:00 Mon-Fri (UTC+1 in Nov-Jan); Carla and Mike work in Chicago (UTC-6).
 * Times are UTC with the local wall time in comments. Nothing here is timed: time is virtual.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { executionName } from '../../lambdas/adapters/wait-token.ts';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import { newLeadState } from '../../lambdas/domain/lead-state.ts';
import { factsOf } from '../../lambdas/domain/report-facts.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import { MAX_EXECUTION_AGE_MS, MAX_LOOPS_PER_EXECUTION } from '../../lambdas/tasks/payload.ts';
import { reconcile } from '../../lambdas/tasks/reconcile.ts';
import type { LocalExecution } from '../../local/step-functions.ts';
import { roundsOf } from '../support/rounds.ts';
import { loadDefaultSla } from '../support/sla.ts';
import {
  exampleLead,
  type Notification,
  type WorkflowHarness,
  workflowHarness,
} from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin: everyone in Berlin is at work, Chicago (02:00) is not. */
const T0 = new Date('2026-11-30T08:00:00.000Z');
const DAY = 86_400_000;
/** Advance's wake hands the lead off in the same invocation (ADR 0049), and the Park waits in the contact phase */
const HANDOFF_PREFIX = ['Advance', 'Park'];

/** kind, to and time of each notification: the shape the scenarios assert. */
const sent = (notifications: readonly Notification[]) =>
  notifications.map(({ kind, to, at, detail }) =>
    detail === undefined || kind === 'opsAlert' ? { kind, to, at } : { kind, to, at, detail },
  );

/** the double opt-in confirmation email the cold lead gets when it posts the guide form (T0) */
const CONSENT_REQUEST = { kind: 'consentRequest', to: 'lead', at: '2026-11-30T08:00:00.000Z' };

function onlyExecution(h: WorkflowHarness, leadId: string): LocalExecution {
  const executions = h.executions(leadId);
  expect(executions).toHaveLength(1);
  return executions[0]!;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('(a) a hot lead at a working time', () => {
  it('is handed off at once: Advance, then Park in contact; the rep gets the assignment', async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    // Act
    const leadId = await h.submit(exampleLead('hot'));
    // Assert
    const execution = onlyExecution(h, leadId);
    expect(execution.name).toBe(executionName(leadId, 1, 0));
    expect(execution.status).toBe('PARKED');
    // the park sees the version the handoff left: no extra round
    expect(execution.statesVisited).toEqual(HANDOFF_PREFIX);
    expect(execution.parkedIn).toEqual(['contact']);
    expect(execution.stateTransitions).toBe(execution.statesVisited.length);
    const lead = await h.lead(leadId);
    expect(lead).toMatchObject({
      stage: 'sql',
      status: 'new',
      ownerId: 'jonas',
      handedOffAt: T0.toISOString(),
    });
    expect(lead.waitToken).toMatch(/^local-/);
    // step 1 (0bh) is due at the handoff itself: the assignment email announces it, no separate reminder
    expect(sent(h.notifications)).toEqual([{ kind: 'sqlAssigned', to: 'jonas', at: T0.toISOString() }]);
  });
});

describe('(b0) a cadence shorter than the escalation ladder', () => {
  it('an untouched lead goes through the whole ladder (the manager told, another rep given it) before its cadence can recycle it', async () => {
    // Arrange: first touch within 1bh and a cadence of two steps (phone at the deadline, email 1bh later): the
    // cadence's time runs out 1bh after step 2, at 12:00 Berlin, when the ladder's manager rung (+2bh) is due and
    // before its reassign rung (+4bh, 14:00 Berlin)
    const base = loadDefaultSla();
    const sla: Sla = {
      ...base,
      handoff: { ...base.handoff, firstTouchWithin: parseDuration('1bh')! },
      contact: {
        ...base.contact,
        cadences: base.contact.cadences.map((cadence) =>
          cadence.id === 'standard' ? { ...cadence, steps: cadence.steps.slice(0, 2) } : cadence,
        ),
      },
    };
    const h = workflowHarness({ start: T0, sla });
    const leadId = await h.submit(exampleLead('hot'));

    // Act: a day, nobody touching it
    await h.advanceTo('2026-12-01T08:00:00.000Z');

    // Assert: Jonas's ladder in full, then the lead is another rep's; not recycled from Jonas
    const told = sent(h.notifications).map(({ kind, to, at }) => `${at} ${kind} ${to}`);
    expect(told.slice(0, 5)).toEqual([
      '2026-11-30T08:00:00.000Z sqlAssigned jonas', // Mon 09:00 Berlin: first touch by 10:00
      '2026-11-30T09:00:00.000Z firstTouchOverdue jonas',
      '2026-11-30T10:00:00.000Z attemptDue jonas', // step 2 of 2
      '2026-11-30T11:00:00.000Z managerEscalation katrin', // +2bh: the cadence's time is up too
      expect.stringMatching(/^2026-11-30T13:00:00\.000Z reassigned (?!jonas)/), // +4bh
    ]);
    expect(told.filter((line) => line.includes('recycled jonas'))).toEqual([]);
    const lead = await h.lead(leadId);
    expect(lead.timeline.filter((entry) => entry.kind === 'owner').map((entry) => entry.from)).toContain(
      'jonas',
    );
  });
});

describe('(b) a hot lead never contacted', () => {
  it('every owner gets the whole ladder with a fresh first-touch clock; after 2 reassignments the queue manager takes over; recycled as a breach', async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(exampleLead('hot'));
    const execution = onlyExecution(h, leadId);
    const before = execution.stateTransitions;
    const parkedAt = execution.statesVisited.length;
    // Act: until the last owner's cadence has expired
    const fired = await h.advanceTo('2026-12-15T00:00:00.000Z');
    // Assert
    expect(sent(h.notifications)).toEqual([
      { kind: 'sqlAssigned', to: 'jonas', at: '2026-11-30T08:00:00.000Z' }, // Mon 09:00 Berlin: first touch by 13:00
      // nothing is due before the first-touch deadline: step 1 is the first touch
      { kind: 'firstTouchOverdue', to: 'jonas', at: '2026-11-30T12:00:00.000Z' }, // due +4bh, 13:00
      { kind: 'attemptDue', to: 'jonas', at: '2026-11-30T13:00:00.000Z', detail: '2/6' }, // step 2: 1bh after step 1's deadline
      { kind: 'managerEscalation', to: 'katrin', at: '2026-11-30T14:00:00.000Z', detail: 'owner jonas' }, // +2bh, 15:00
      // +4bh = 17:00 Berlin, closing: Chicago (10:00) works; turn 2 of the queue falls to Mike
      { kind: 'reassigned', to: 'mike', at: '2026-11-30T16:00:00.000Z', detail: 'from jonas' },
      // one clock per handover: Mike's first touch is due 4bh after 10:00 Chicago, 14:00 (20:00Z), and his ladder runs
      { kind: 'firstTouchOverdue', to: 'mike', at: '2026-11-30T20:00:00.000Z' },
      { kind: 'attemptDue', to: 'mike', at: '2026-11-30T21:00:00.000Z', detail: '2/6' },
      { kind: 'managerEscalation', to: 'dan', at: '2026-11-30T22:00:00.000Z', detail: 'owner mike' },
      // +4bh: Tue 09:00 Chicago; not back to Jonas: Carla (Chicago) gets it, first touch by 13:00 Chicago
      { kind: 'reassigned', to: 'carla', at: '2026-12-01T15:00:00.000Z', detail: 'from mike' },
      { kind: 'firstTouchOverdue', to: 'carla', at: '2026-12-01T19:00:00.000Z' },
      { kind: 'attemptDue', to: 'carla', at: '2026-12-01T20:00:00.000Z', detail: '2/6' },
      { kind: 'managerEscalation', to: 'dan', at: '2026-12-01T21:00:00.000Z', detail: 'owner carla' },
      // maxReassignments (2) reached: the queue's manager takes over instead of a third reassignment
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-01T23:00:00.000Z',
        detail: 'owner carla: no first touch after 3 reps',
      },
      // the lead stays with Carla; Katrin is reminded every business day (handoff.remindManagerEvery: 1bd) in
      // Carla's calendar, from the takeover at her closing time: 08:00 Chicago, the last an hour before the recycle
      { kind: 'attemptDue', to: 'carla', at: '2026-12-02T20:00:00.000Z', detail: '3/6' }, // +1bd
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-03T14:00:00.000Z',
        detail: 'owner carla: no first touch after 3 reps (still, 1)',
      },
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-04T14:00:00.000Z',
        detail: 'owner carla: no first touch after 3 reps (still, 2)',
      },
      { kind: 'attemptDue', to: 'carla', at: '2026-12-04T20:00:00.000Z', detail: '4/6' }, // +2bd
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-07T14:00:00.000Z',
        detail: 'owner carla: no first touch after 3 reps (still, 3)',
      },
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-08T14:00:00.000Z',
        detail: 'owner carla: no first touch after 3 reps (still, 4)',
      },
      { kind: 'attemptDue', to: 'carla', at: '2026-12-08T20:00:00.000Z', detail: '5/6' }, // +2bd
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-09T14:00:00.000Z',
        detail: 'owner carla: no first touch after 3 reps (still, 5)',
      },
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-10T14:00:00.000Z',
        detail: 'owner carla: no first touch after 3 reps (still, 6)',
      },
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-11T14:00:00.000Z',
        detail: 'owner carla: no first touch after 3 reps (still, 7)',
      },
      { kind: 'attemptDue', to: 'carla', at: '2026-12-11T20:00:00.000Z', detail: '6/6' }, // +3bd
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-14T14:00:00.000Z',
        detail: 'owner carla: no first touch after 3 reps (still, 8)',
      },
      // step 6 + 4bh = Mon 09:00 Chicago: recycled with none of 6 attempts, a breach; Carla and her manager told,
      // and Katrin, to whom the lead was over (ADR 0085)
      {
        kind: 'recycled',
        to: 'carla',
        at: '2026-12-14T15:00:00.000Z',
        detail: '0/6 breach cc dan and katrin',
      },
    ]);
    const lead = await h.lead(leadId);
    expect(lead).toMatchObject({
      stage: 'lead',
      status: 'recycled-not-ready',
      coolOffUntil: '2027-01-13T15:00:00.000Z',
    });
    expect(lead.ownerId).toBeUndefined();
    expect(lead.handedOffAt).toBeUndefined();
    expect(lead.reassignments).toBeUndefined();
    const entries = (kind: string) => lead.timeline.filter((entry) => entry.kind === kind);
    expect(entries('owner').map((entry) => [entry.from, entry.to])).toEqual([
      [undefined, 'jonas'],
      ['jonas', 'mike'],
      ['mike', 'carla'],
    ]);
    expect(entries('escalation').map((entry) => [entry.from, entry.to, entry.at])).toEqual([
      ['carla', 'katrin', '2026-12-01T23:00:00.000Z'],
    ]);
    expect(entries('cadence').map((entry) => entry.reasons[0]?.detail)).toEqual([
      'cadence expired with 0 of 6 attempts logged, no connection: cool-off 30d until 2027-01-13T15:00:00.000Z',
    ]);
    expect(entries('breach').map((entry) => entry.reasons.map((r) => r.rule))).toEqual([
      ['sla.breach.cadence'],
    ]);
    // the report charges the breach to the owner whose cadence ran out (a simulate trial: its fact named no rep,
    // after the recycle that took the lead from her, and every rep's cadence breaches read 0)
    const breaches = factsOf(loadDefaultSla(), lead).filter((fact) => fact.kind === 'breach');
    expect(breaches.map((fact) => [fact.reason, fact.rep])).toEqual([['sla.breach.cadence', 'carla']]);
    expect(execution.status).toBe('PARKED');
    expect(execution.statesVisited.at(-1)).toBe('Park');
    expect(execution.parkedIn.at(-1)).toBe('coolOff');
    expect(h.clock.nextTimer()?.toISOString()).toBe('2027-01-13T15:00:00.000Z');
    // one timer per due moment above (25 after the assignment, 8 of them the manager's reminders; the recycle is
    // the expiry's)
    expect(fired).toBe(25);
    expect(execution.stateTransitions - before).toBe(2 * fired);
    for (const round of roundsOf(execution, parkedAt))
      expect(round).toEqual(['Advance', expect.stringMatching(/^Park:(contact|coolOff)$/)]);
    expect(new Set(execution.parkedIn)).toEqual(new Set(['contact', 'coolOff']));
  });
});

describe('(c) a cold lead', () => {
  const cold = exampleLead('cold');
  // its two page views (examples/events/cold-engagement.json starts with them)
  const events = (
    JSON.parse(readFileSync('examples/events/cold-engagement.json', 'utf8')) as {
      events: Record<string, unknown>[];
    }
  ).events.slice(0, 2);
  // MQL: two webinars (consideration) and five email clicks: 11.6 + 40 + 15 -> about 65 (>= 60)
  const toMql = [
    { eventId: 'webinar-1', type: 'webinar_attended', occurredAt: '2026-12-09T09:00:00Z' },
    { eventId: 'webinar-2', type: 'webinar_attended', occurredAt: '2026-12-09T09:30:00Z' },
    ...[1, 2, 3, 4, 5].map((i) => ({
      eventId: `click-${i}`,
      type: 'email_click',
      occurredAt: `2026-12-09T09:4${i}:00Z`,
    })),
  ];
  // SQL: a demo request (+60, the decision stage) and two pricing-page views (+30) -> about 155 (>= 145);
  // the demo request alone (about 125) leaves this low-fit lead an MQL
  const toSql = [
    { eventId: 'demo-1', type: 'demo_request', occurredAt: '2026-12-09T10:04:00Z' },
    { eventId: 'pricing-1', type: 'pricing_page_view', occurredAt: '2026-12-09T10:04:10Z' },
    { eventId: 'pricing-2', type: 'pricing_page_view', occurredAt: '2026-12-09T10:04:20Z' },
  ];

  async function coldLeadNurtured(): Promise<{ h: WorkflowHarness; leadId: string }> {
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(cold);
    // double opt-in (the guide form's default): the person confirms at once, then nurture starts
    expect((await h.confirmConsent(leadId)).statusCode).toBe(200);
    expect((await h.postEvents(leadId, events)).statusCode).toBe(200);
    return { h, leadId };
  }

  it('gets the nurture emails of its track on schedule, then events make it an SQL handed off at that instant', async () => {
    // Arrange: a maintenance technician who downloaded a guide (consideration): track decision-makers
    const { h, leadId } = await coldLeadNurtured();
    // Act 1: nine days of nurture
    await h.advanceTo('2026-12-09T10:00:00.000Z');
    // Assert 1: case-study at once, roi-calculator 7d later (Mon 12-07 09:00 Berlin), then the track is done
    expect(await h.lead(leadId)).toMatchObject({ stage: 'lead', journeyStage: 'consideration' });
    expect(sent(h.notifications)).toEqual([
      CONSENT_REQUEST,
      { kind: 'nurture', to: 'lead', at: '2026-11-30T08:00:00.000Z', detail: 'decision-makers#0' },
      { kind: 'nurture', to: 'lead', at: '2026-12-07T08:00:00.000Z', detail: 'decision-makers#1' },
    ]);

    // the track is done: the execution ended, the lead is dormant (no open execution while nothing is due)
    // (generation 0 sent the confirmation request and ended waiting for it; the confirmation started 1)
    expect((await h.lead(leadId)).dormant).toEqual({ at: '2026-12-07T08:00:00.000Z', generation: 1 });
    expect(h.executions(leadId).map((e) => [e.name, e.status])).toEqual([
      [`${leadId}-c1-g0`, 'SUCCEEDED'],
      [`${leadId}-c1-g1`, 'SUCCEEDED'],
    ]);

    // Act 2: engagement makes it an MQL (Wed 12-09 10:00Z, 11:00 Berlin)
    const mql = await h.postEvents(leadId, toMql);
    // Assert 2: the signal started generation 2 at once; still marketing's, nothing left to send: dormant again
    expect(JSON.parse(mql.body ?? '{}')).toMatchObject({ stage: 'mql', appended: 7 });
    const woken = h.executions(leadId).find((e) => e.generation === 2)!;
    expect(woken.statesVisited).toEqual(['Advance', 'Park', 'Done']);
    expect(woken.parkedIn).toEqual([null]);
    expect((await h.lead(leadId)).dormant).toEqual({ at: '2026-12-09T10:00:00.000Z', generation: 2 });
    expect(h.notifications).toHaveLength(3);

    // Act 3: five minutes later a demo request makes it an SQL
    await h.advanceTo('2026-12-09T10:05:00.000Z');
    const sql = await h.postEvents(leadId, toSql);
    // Assert 3: handed off in the same virtual instant (no timer fired), by the signal, not the next timer
    expect(JSON.parse(sql.body ?? '{}')).toMatchObject({ stage: 'sql' });
    expect(await h.lead(leadId)).toMatchObject({
      stage: 'sql',
      status: 'new',
      ownerId: 'jonas',
      handedOffAt: '2026-12-09T10:05:00.000Z',
    });
    expect(sent(h.notifications).at(-1)).toEqual({
      kind: 'sqlAssigned',
      to: 'jonas',
      at: '2026-12-09T10:05:00.000Z',
    });
    const handoff = h.executions(leadId).find((e) => e.generation === 3)!;
    expect(handoff.statesVisited).toEqual(HANDOFF_PREFIX);
    expect(h.clock.now().toISOString()).toBe('2026-12-09T10:05:00.000Z');
  });

  it('an SQL by engagement, never contacted, is recycled and nurtured again after the cool-off', async () => {
    // Arrange: the cold lead made an SQL on Wed 2026-12-09 10:05Z (11:05 Berlin), handed to Jonas
    const { h, leadId } = await coldLeadNurtured();
    await h.advanceTo('2026-12-09T10:00:00.000Z');
    await h.postEvents(leadId, toMql);
    await h.advanceTo('2026-12-09T10:05:00.000Z');
    await h.postEvents(leadId, toSql);
    const before = h.notifications.length;
    // Act
    await h.advanceTo('2027-02-15T00:00:00.000Z');
    // Assert
    expect(sent(h.notifications.slice(before))).toEqual([
      // handed to Jonas at 11:05 Berlin: first touch by 15:05 (14:05Z); nothing is due before it
      { kind: 'firstTouchOverdue', to: 'jonas', at: '2026-12-09T14:05:00.000Z' },
      { kind: 'attemptDue', to: 'jonas', at: '2026-12-09T15:05:00.000Z', detail: '2/6' }, // 1bh after it
      // +2bh: 1h55 to the 17:00 close, 5 min the next morning: Thu 08:05 Berlin
      { kind: 'managerEscalation', to: 'katrin', at: '2026-12-10T07:05:00.000Z', detail: 'owner jonas' },
      // +4bh: Thu 10:05 Berlin; turn 2 of the queue falls to Mats, whose own clock starts: first touch by 14:05
      { kind: 'reassigned', to: 'mats', at: '2026-12-10T09:05:00.000Z', detail: 'from jonas' },
      { kind: 'firstTouchOverdue', to: 'mats', at: '2026-12-10T13:05:00.000Z' },
      { kind: 'attemptDue', to: 'mats', at: '2026-12-10T14:05:00.000Z', detail: '2/6' },
      { kind: 'managerEscalation', to: 'katrin', at: '2026-12-10T15:05:00.000Z', detail: 'owner mats' },
      // not back to Jonas, who let it lie: Lena, Fri 09:05 Berlin
      { kind: 'reassigned', to: 'lena', at: '2026-12-11T08:05:00.000Z', detail: 'from mats' },
      { kind: 'firstTouchOverdue', to: 'lena', at: '2026-12-11T12:05:00.000Z' },
      { kind: 'attemptDue', to: 'lena', at: '2026-12-11T13:05:00.000Z', detail: '2/6' },
      { kind: 'managerEscalation', to: 'katrin', at: '2026-12-11T14:05:00.000Z', detail: 'owner lena' },
      // two reassignments were the most: the queue's manager takes over (Mon 08:05 Berlin)
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-14T07:05:00.000Z',
        detail: 'owner lena: no first touch after 3 reps',
      },
      // Katrin is reminded every business day from the takeover (08:05 Berlin), until the recycle
      { kind: 'attemptDue', to: 'lena', at: '2026-12-14T13:05:00.000Z', detail: '3/6' }, // step 2 + 1bd
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-15T07:05:00.000Z',
        detail: 'owner lena: no first touch after 3 reps (still, 1)',
      },
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-16T07:05:00.000Z',
        detail: 'owner lena: no first touch after 3 reps (still, 2)',
      },
      { kind: 'attemptDue', to: 'lena', at: '2026-12-16T13:05:00.000Z', detail: '4/6' }, // + 2bd
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-17T07:05:00.000Z',
        detail: 'owner lena: no first touch after 3 reps (still, 3)',
      },
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-18T07:05:00.000Z',
        detail: 'owner lena: no first touch after 3 reps (still, 4)',
      },
      { kind: 'attemptDue', to: 'lena', at: '2026-12-18T13:05:00.000Z', detail: '5/6' }, // + 2bd
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-21T07:05:00.000Z',
        detail: 'owner lena: no first touch after 3 reps (still, 5)',
      },
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-22T07:05:00.000Z',
        detail: 'owner lena: no first touch after 3 reps (still, 6)',
      },
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-23T07:05:00.000Z',
        detail: 'owner lena: no first touch after 3 reps (still, 7)',
      },
      { kind: 'attemptDue', to: 'lena', at: '2026-12-23T13:05:00.000Z', detail: '6/6' }, // + 3bd
      {
        kind: 'managerTakeover',
        to: 'katrin',
        at: '2026-12-28T07:05:00.000Z',
        detail: 'owner lena: no first touch after 3 reps (still, 8)',
      },
      // + 4bh over the Christmas holidays: Mon 12-28 09:05 Berlin; recycled as a breach, Lena and Katrin told
      { kind: 'recycled', to: 'lena', at: '2026-12-28T08:05:00.000Z', detail: '0/6 breach cc katrin' },
      // + 30d cool-off: engagement has decayed below MQL; it asked for a demo (decision stage), so
      // track ready-to-decide from its first email (the demo offer), then +7d
      { kind: 'nurture', to: 'lead', at: '2027-01-27T08:05:00.000Z', detail: 'ready-to-decide#0' },
      { kind: 'nurture', to: 'lead', at: '2027-02-03T08:05:00.000Z', detail: 'ready-to-decide#1' },
    ]);
    const lead = await h.lead(leadId);
    expect(lead).toMatchObject({ stage: 'lead', status: 'recycled-not-ready' });
    expect(lead.ownerId).toBeUndefined();
    expect(lead.coolOffUntil).toBeUndefined();
  });

  it('moving to another track does not resend a template the lead already had', async () => {
    // Arrange: nurtured on decision-makers (case-study at once, roi-calculator 7d later)
    const { h, leadId } = await coldLeadNurtured();
    await h.advanceTo('2026-12-08T00:00:00.000Z');
    // Act: a pricing-page view makes it a decision-stage lead: track ready-to-decide (demo-follow-up, case-study, roi-calculator)
    await h.postEvents(leadId, [
      { eventId: 'pricing-1', type: 'pricing_page_view', occurredAt: '2026-12-08T00:00:00Z' },
    ]);
    await h.advanceTo('2027-01-31T00:00:00.000Z');
    // Assert: each template once
    const nurture = sent(h.notifications)
      .filter((n) => n.kind === 'nurture')
      .map((n) => n.detail);
    expect(nurture).toEqual(['decision-makers#0', 'decision-makers#1', 'ready-to-decide#0']);
    expect((await h.lead(leadId)).nurture).toMatchObject({ trackId: 'ready-to-decide', sent: 3 });
  });

  it('an unsubscribe event stops its nurture emails', async () => {
    // Arrange
    const { h, leadId } = await coldLeadNurtured();
    await h.advanceTo('2026-12-01T12:00:00.000Z');
    // Act
    await h.postEvents(leadId, [
      { eventId: 'unsub-1', type: 'unsubscribe', occurredAt: '2026-12-01T11:59:00Z' },
    ]);
    await h.advanceTo('2026-12-31T00:00:00.000Z');
    // Assert: only the first email; the second (due 12-07) is never sent
    expect(sent(h.notifications)).toEqual([
      CONSENT_REQUEST,
      { kind: 'nurture', to: 'lead', at: '2026-11-30T08:00:00.000Z', detail: 'decision-makers#0' },
    ]);
    expect(await h.lead(leadId)).toMatchObject({ unsubscribed: true, marketingConsent: false });
  });
});

describe('(d) an existing customer', () => {
  it('goes to its account owner at once, out of the rotation, with the shorter first-touch SLA', async () => {
    // Arrange: the hot lead took Jonas' turn, so the rotation would give the next lead to Lena
    const h = workflowHarness({ start: T0 });
    await h.submit(exampleLead('hot'));
    await h.advanceTo('2026-11-30T08:05:00.000Z');
    // Act
    const leadId = await h.submit(exampleLead('customer'));
    await h.advanceTo('2026-11-30T10:05:00.000Z');
    // Assert
    const execution = onlyExecution(h, leadId);
    expect(execution.statesVisited.slice(0, HANDOFF_PREFIX.length)).toEqual(HANDOFF_PREFIX);
    expect(await h.lead(leadId)).toMatchObject({
      leadType: 'existing-customer',
      ownerId: 'jonas',
      stage: 'sql',
    });
    expect(sent(h.notificationsOf(leadId))).toEqual([
      { kind: 'sqlAssigned', to: 'jonas', at: '2026-11-30T08:05:00.000Z' }, // 09:05 Berlin
      // first touch within 2bh; nothing is due before it (step 2 comes 1bh after it)
      { kind: 'firstTouchOverdue', to: 'jonas', at: '2026-11-30T10:05:00.000Z' },
    ]);
  });

  it('skips nurture even below MQL and with marketing consent: handed to the account owner, no nurture email', async () => {
    // Arrange: a newsletter sign-up from an account Mats owns (he is in the office in November)
    const h = workflowHarness({ start: T0 });
    // Act
    const leadId = await h.submit({
      email: 'ops@nordkraft.se',
      formId: 'newsletter',
      marketingConsent: true,
    });
    // Assert
    const execution = onlyExecution(h, leadId);
    expect(execution.statesVisited.slice(0, HANDOFF_PREFIX.length)).toEqual(HANDOFF_PREFIX);
    const lead = await h.lead(leadId);
    expect(lead).toMatchObject({
      leadType: 'existing-customer',
      ownerId: 'mats',
      stage: 'sql',
      status: 'new',
    });
    expect(lead.total).toBeLessThan(60);
    expect(h.notifications.filter((n) => n.kind === 'nurture')).toEqual([]);
    expect(sent(h.notifications)).toEqual([{ kind: 'sqlAssigned', to: 'mats', at: T0.toISOString() }]);
  });
});

describe('(e) logged attempts', () => {
  it("'connected' stops the reminders and escalations: the lead waits in the deal phase, chased only for a deal (contact.decideWithin 5bd)", async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo('2026-11-30T08:30:00.000Z');
    // Act
    const response = await h.logAttempt(leadId, 'connected');
    await h.advanceTo('2026-12-21T00:00:00.000Z');
    // Assert
    expect(response.statusCode).toBe(201);
    expect(await h.lead(leadId)).toMatchObject({ stage: 'sql', status: 'connected', ownerId: 'jonas' });
    const execution = onlyExecution(h, leadId);
    expect(execution.statesVisited.slice(-2)).toEqual(['Advance', 'Park']);
    expect(execution.parkedIn.at(-1)).toBe('deal');
    // no cadence reminder or rung after the connect; "no deal yet" every 5 business days, Katrin copied from the second
    const connected = '2026-11-30T08:30:00.000Z';
    expect(sent(h.notifications)).toEqual([
      { kind: 'sqlAssigned', to: 'jonas', at: T0.toISOString() },
      { kind: 'decideDue', to: 'jonas', at: '2026-12-07T08:30:00.000Z', detail: `n=1 since=${connected}` },
      {
        kind: 'decideDue',
        to: 'jonas',
        at: '2026-12-14T08:30:00.000Z',
        detail: `n=2 since=${connected} cc katrin`,
      },
    ]);
  });

  it('a Park retried after a fault is one Park entered: the rounds after it name their own phase', async () => {
    // Arrange: INJECTED FAULT (a mock: the memory store cannot fail by itself): the handoff's park write
    // throws once, so the Park state's States.TaskFailed retrier runs the Park function a second time
    const h = workflowHarness({ start: T0 });
    const parkLead = h.store.parkLead.bind(h.store);
    let faults = 0;
    vi.spyOn(h.store, 'parkLead').mockImplementation(async (request) => {
      if (faults++ === 0) throw new Error('injected fault: park write');
      return parkLead(request);
    });
    const leadId = await h.submit(exampleLead('hot'));
    // Act
    await h.logAttempt(leadId, 'connected');
    // Assert: one Park waited in contact (retried once), the next waits in deal
    expect(faults).toBeGreaterThan(1);
    const execution = onlyExecution(h, leadId);
    expect(execution.statesVisited.slice(0, HANDOFF_PREFIX.length)).toEqual(HANDOFF_PREFIX);
    expect(roundsOf(execution)).toEqual([
      ['Advance', 'Park:contact'],
      ['Advance', 'Park:deal'],
    ]);
  });

  it("'no-answer' stops the escalation ladder; the cadence counts from the attempt", async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo('2026-11-30T08:30:00.000Z');
    // Act: attempt 1 at 09:30 Berlin
    await h.logAttempt(leadId, 'no-answer');
    await h.advanceTo('2026-12-01T10:00:00.000Z');
    // Assert
    expect(await h.lead(leadId)).toMatchObject({ status: 'attempting-contact', ownerId: 'jonas' });
    expect(sent(h.notifications)).toEqual([
      { kind: 'sqlAssigned', to: 'jonas', at: '2026-11-30T08:00:00.000Z' },
      { kind: 'attemptDue', to: 'jonas', at: '2026-11-30T09:30:00.000Z', detail: '2/6' }, // attempt + 1bh: 10:30
      { kind: 'attemptDue', to: 'jonas', at: '2026-12-01T09:30:00.000Z', detail: '3/6' }, // + 1bd: Tue 10:30
    ]);
  });
});

describe('the deal phase', () => {
  it('a deal in discovery reminds its owner every 10d while stale; won ends the workflow', async () => {
    // Arrange: meeting booked at 09:30 Berlin, the deal opened at 10:00 Berlin (Mon 2026-11-30 09:00Z)
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo('2026-11-30T08:30:00.000Z');
    await h.logAttempt(leadId, 'meeting-booked');
    await h.advanceTo('2026-11-30T09:00:00.000Z');
    await h.moveDeal(leadId, 'discovery');
    // Act
    await h.advanceTo('2026-12-22T00:00:00.000Z');
    const won = await h.moveDeal(leadId, 'closed-won');
    // Assert: stale after 10d (wall-clock), again 10d later; then a customer, and the execution ends
    expect(sent(h.notifications)).toEqual([
      { kind: 'sqlAssigned', to: 'jonas', at: '2026-11-30T08:00:00.000Z' },
      { kind: 'staleDeal', to: 'jonas', at: '2026-12-10T09:00:00.000Z', detail: 'discovery' }, // Thu 10:00 Berlin
      { kind: 'staleDeal', to: 'jonas', at: '2026-12-20T09:00:00.000Z', detail: 'discovery' }, // Sun 10:00
    ]);
    expect(JSON.parse(won.body ?? '{}')).toMatchObject({ stage: 'customer' });
    const execution = onlyExecution(h, leadId);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.statesVisited.slice(-4)).toEqual(['Park', 'Advance', 'Park', 'Done']);
    // the last Park waited in the deal phase; the one after the won deal routed the step to Done
    expect(execution.parkedIn.slice(-2)).toEqual(['deal', null]);
    expect(h.clock.nextTimer()).toBeUndefined();
  });
});

describe('(f) erasure', () => {
  it('stops the execution (ABORTED); nothing is sent afterwards and no timer is left', async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo('2026-11-30T08:30:00.000Z');
    // Act
    const response = await h.erase(leadId);
    await h.advanceTo('2026-12-31T00:00:00.000Z');
    // Assert
    expect(response.statusCode).toBe(200);
    const execution = onlyExecution(h, leadId);
    expect(execution.status).toBe('ABORTED');
    expect(h.engine.active()).toEqual([]);
    expect(h.clock.nextTimer()).toBeUndefined();
    expect(sent(h.notifications)).toEqual([{ kind: 'sqlAssigned', to: 'jonas', at: T0.toISOString() }]);
    const lead = await h.lead(leadId);
    expect(lead.erasedAt).toBe('2026-11-30T08:30:00.000Z');
    expect(lead.email).toBeUndefined();
  });
});

describe('regressions', () => {
  it('a recycled hot lead (fit alone qualifies it) is nurtured after the cool-off, not handed off again', async () => {
    // Arrange: recycled on 2026-12-14 15:00Z with a 30d cool-off (see (b))
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo('2026-12-15T00:00:00.000Z');
    const before = h.notifications.length;
    // Act: the cool-off ends 2027-01-13 15:00Z
    await h.advanceTo('2027-01-14T00:00:00.000Z');
    // Assert: its consent (ticked on the demo form) was never confirmed: back in marketing it is asked
    // to confirm, and nurture waits for it
    expect(sent(h.notifications.slice(before)).map((n) => n.kind)).toEqual(['consentRequest']);
    expect((await h.confirmConsent(leadId)).statusCode).toBe(200);
    expect(sent(h.notifications.slice(before)).map((n) => n.kind)).toEqual(['consentRequest', 'nurture']);
    expect(await h.lead(leadId)).toMatchObject({ stage: 'lead', status: 'recycled-not-ready' });
    expect((await h.lead(leadId)).ownerId).toBeUndefined();
  });

  it('a nurture email that fails once is sent on the retry, and the track goes on from it', async () => {
    // Arrange: INJECTED FAULT (the recording notifier throws on the first nurture send)
    const h = workflowHarness({ start: T0 });
    let calls = 0;
    h.notifier.failWhen = (n) => n.kind === 'nurture' && calls++ === 0;
    // Act
    const leadId = await h.submit(exampleLead('cold'));
    await h.confirmConsent(leadId);
    await h.settle();
    // Assert
    expect(h.notifier.failures).toHaveLength(1);
    expect(sent(h.notifications).map((n) => `${n.kind} ${n.detail}`)).toEqual([
      'consentRequest undefined',
      'nurture decision-makers#0',
    ]);
    expect((await h.lead(leadId)).nurture).toMatchObject({ trackId: 'decision-makers', sent: 1 });
  });
});

describe('(g) a task failure', () => {
  it('a transient fault is retried: the reminder goes out once and the workflow carries on', async () => {
    // Arrange: INJECTED FAULT (a mock, since the recording notifier cannot fail by itself): the first
    // attempt reminder throws
    const h = workflowHarness({ start: T0 });
    let calls = 0;
    h.notifier.failWhen = (n) => n.kind === 'attemptDue' && calls++ === 0;
    const leadId = await h.submit(exampleLead('hot'));
    // Act
    await h.advanceTo('2026-11-30T13:00:00.000Z');
    // Assert
    expect(h.notifier.failures).toHaveLength(1);
    expect(sent(h.notifications)).toEqual([
      { kind: 'sqlAssigned', to: 'jonas', at: '2026-11-30T08:00:00.000Z' },
      { kind: 'firstTouchOverdue', to: 'jonas', at: '2026-11-30T12:00:00.000Z' },
      { kind: 'attemptDue', to: 'jonas', at: '2026-11-30T13:00:00.000Z', detail: '2/6' },
    ]);
    const execution = onlyExecution(h, leadId);
    expect(execution.status).toBe('PARKED');
    expect(execution.statesVisited).not.toContain('RecordFailure');
    expect((await h.lead(leadId)).workflowError).toBeUndefined();
  });

  it('a persistent fault: retried 6 times, then recorded on the lead with an ops alert; the execution fails', async () => {
    // Arrange: INJECTED FAULT: every attempt reminder throws
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const h = workflowHarness({ start: T0 });
    h.notifier.failWhen = (n) => n.kind === 'attemptDue';
    const hot = exampleLead('hot');
    const leadId = await h.submit(hot);
    // Act
    await h.advanceTo('2026-11-30T13:00:00.000Z');
    // Assert: the park's send after its write (ADR 0025: it marks the email failed and wakes the lead),
    // then Advance's try and 6 retries (States.TaskFailed, MaxAttempts 6: about 2 minutes in AWS, for SES
    // throttling), then the Catch path
    expect(h.notifier.failures).toHaveLength(8);
    const execution = onlyExecution(h, leadId);
    expect(execution.status).toBe('FAILED');
    expect(execution.statesVisited.slice(-3)).toEqual(['Advance', 'RecordFailure', 'Failed']);
    const lead = await h.lead(leadId);
    expect(lead.workflowError).toEqual({
      at: '2026-11-30T13:00:00.000Z',
      error: 'Error',
      cause: 'injected fault: attemptDue to jonas',
      count: 1,
      execution: `${leadId}-c1-g0`,
    });
    // never terminal: due again in 5 minutes, for the reconciler to restart as generation 1
    expect(lead).toMatchObject({ dueAt: '2026-11-30T13:05:00.000Z', generation: 0 });
    expect(lead.timeline.at(-1)).toMatchObject({
      kind: 'failure',
      by: 'workflow',
      at: '2026-11-30T13:00:00.000Z',
    });
    // the lead keeps its state of record
    expect(lead).toMatchObject({ stage: 'sql', status: 'new', ownerId: 'jonas' });
    // once: the execution's end (EventBridge's rule, ADR 0038) finds the Catch's record and adds none
    const alerts = h.notifications.filter((n) => n.kind === 'opsAlert');
    expect(alerts).toHaveLength(1);
    expect(lead.timeline.filter((entry) => entry.kind === 'failure')).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ to: 'ops', at: '2026-11-30T13:00:00.000Z' });
    expect(alerts[0]!.detail).toContain(leadId);
    // no personal data in the logs
    const logged = errors.mock.calls.map((args) => args.join(' ')).join('\n');
    expect(logged).toContain(leadId);
    expect(logged).not.toContain(String(hot.email));
    // nothing is left to fire
    expect(h.clock.nextTimer()).toBeUndefined();
  });

  it("a RecordFailure that fails too: the execution's end records the failure once (ADR 0038), ops are told, the reconciler restarts the lead", async () => {
    // Arrange: INJECTED FAULTS until 13:03: every attempt reminder throws, and the Catch's RecordFailure
    // function is throttled throughout its retries; EventBridge's delivery of the execution's end is not
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let throttled = true;
    const h = workflowHarness({ start: T0, recordFailureFails: () => throttled });
    h.notifier.failWhen = (n) => n.kind === 'attemptDue' && n.at < '2026-11-30T13:03:00.000Z';
    const leadId = await h.submit(exampleLead('hot'));
    // Act
    await h.advanceTo('2026-11-30T13:00:00.000Z');
    throttled = false;
    // Assert: the execution failed past its Catch; the failure is on the lead all the same
    const execution = onlyExecution(h, leadId);
    expect(execution.status).toBe('FAILED');
    expect(execution.statesVisited.slice(-2)).toEqual(['Advance', 'RecordFailure']);
    const lead = await h.lead(leadId);
    expect(lead.workflowError).toMatchObject({ count: 1, execution: `${leadId}-c1-g0` });
    expect(lead.dueAt).toBe('2026-11-30T13:05:00.000Z');
    expect(lead.timeline.filter((entry) => entry.kind === 'failure')).toHaveLength(1);
    expect(h.notifications.filter((n) => n.kind === 'opsAlert')).toHaveLength(1);
    // ... and the reconciler restarts it when due: the reminder goes out once
    await h.advanceTo('2026-11-30T13:05:00.000Z');
    const restarted = await reconcile(
      { store: h.store, executions: h.workflow.executions, clock: h.clock },
      { graceMs: 0 },
    );
    await h.settle();
    expect(restarted).toMatchObject({ restarted: 1, restartedLeads: [leadId] });
    expect(sent(h.notifications).filter((n) => n.kind === 'attemptDue')).toEqual([
      { kind: 'attemptDue', to: 'jonas', at: '2026-11-30T13:05:00.000Z', detail: '2/6' },
    ]);
  });

  it('a failed lead is restarted by the reconciler once due, and the missed reminder goes out once', async () => {
    // Arrange: INJECTED FAULT until 09:03, then the mail service is back
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const h = workflowHarness({ start: T0 });
    h.notifier.failWhen = (n) => n.kind === 'attemptDue' && n.at < '2026-11-30T13:03:00.000Z';
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo('2026-11-30T13:00:00.000Z');
    const deps = { store: h.store, executions: h.workflow.executions, clock: h.clock };
    // Act: a sweep before the retry time does nothing; one after it restarts the lead
    await h.advanceTo('2026-11-30T13:04:00.000Z');
    const early = await reconcile(deps, { graceMs: 0 });
    await h.advanceTo('2026-11-30T13:05:00.000Z');
    const due = await reconcile(deps, { graceMs: 0 });
    await h.settle();
    const again = await reconcile(deps, { graceMs: 0 });
    // Assert
    expect(early).toMatchObject({ checked: 0, restarted: 0 });
    expect(due).toMatchObject({ checked: 1, restarted: 1, restartedLeads: [leadId] });
    expect(again).toMatchObject({ restarted: 0 });
    expect(h.executions(leadId).map((e) => [e.name.slice(-2), e.status])).toEqual([
      ['g0', 'FAILED'],
      ['g1', 'PARKED'],
    ]);
    const reminders = sent(h.notifications).filter((n) => n.kind === 'attemptDue');
    expect(reminders).toEqual([
      { kind: 'attemptDue', to: 'jonas', at: '2026-11-30T13:05:00.000Z', detail: '2/6' },
    ]);
    const lead = await h.lead(leadId);
    expect(lead.generation).toBe(1);
    expect(Date.parse(lead.dueAt!)).toBeGreaterThan(Date.parse('2026-11-30T13:05:00.000Z'));
  });
});

describe('(h) continue as new', () => {
  const leadId = 'ContinueAsNewLead00000';

  async function withLead(h: WorkflowHarness): Promise<void> {
    // a lead with consent: it gets its first nurture email, then parks until the next
    const lead = newLeadState(
      h.sla,
      { leadId, email: 'someone@plant.example', fields: {}, marketingConsent: true },
      [],
      h.clock.now(),
      'test',
    );
    expect(await h.store.createLead(lead)).toBe('created');
  }

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['loops one below the limit', MAX_LOOPS_PER_EXECUTION - 1, 0, 'park'],
    ['loops at the limit', MAX_LOOPS_PER_EXECUTION, 0, 'continueAsNew'],
    ['started exactly 300 days ago', 0, MAX_EXECUTION_AGE_MS, 'park'],
    ['started 301 days ago', 0, MAX_EXECUTION_AGE_MS + DAY, 'continueAsNew'],
  ])('advance(): %s -> %s', async (_name, loops, age, next) => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    await withLead(h);
    const startedAt = new Date(T0.getTime() - age).toISOString();
    // Act
    const step = await advance(h.taskDeps, { leadId, cycle: 1, generation: 2, loops, startedAt });
    // Assert
    expect(step.next).toBe(next);
    expect(step.loops).toBe(loops + 1);
    if (next === 'continueAsNew') {
      expect(step).toMatchObject({ nextGeneration: 3, nextStartedAt: T0.toISOString() });
    }
  });

  it('an execution 301 days old continues as generation 1, which parks', async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    await withLead(h);
    const startedAt = new Date(T0.getTime() - MAX_EXECUTION_AGE_MS - DAY).toISOString();
    // Act
    h.engine.startExecution(executionName(leadId, 1, 0), {
      leadId,
      cycle: 1,
      generation: 0,
      loops: 41,
      startedAt,
    });
    await h.settle();
    // Assert
    const [first, next] = h.executions(leadId);
    expect(first?.statesVisited).toEqual(['Advance', 'Park', 'ContinueAsNew', 'Done']);
    expect(first?.status).toBe('SUCCEEDED');
    expect(next).toMatchObject({
      name: executionName(leadId, 1, 1),
      generation: 1,
      cycle: 1,
      status: 'PARKED',
    });
    expect(next?.statesVisited).toEqual(['Advance', 'Park']);
    expect(next?.parkedIn).toEqual(['nurture']);
    expect((await h.lead(leadId)).waitToken).toMatch(/^local-/);
  });
});
