/**
 * The park's one conditional write (ADR 0025) racing the lead's other writers, on DynamoDB (dynalite):
 * an API handler's change (updateLead, as lead-manage and the attempt log write), its signal taking the
 * token off the lead (wait-token.ts), and the emails the wake sent before the park. Each test drives
 * the real tasks (advance, park) against the real adapter, with a notifier that records what it was
 * asked to send, and asserts the outbox promise: every email sent at least once, and without a crash
 * exactly once.
 * INJECTED FAULT (one test): the park's PutItem lands and its answer is lost (the SDK's retry then fails
 * its condition, so the store answers 'conflict'); an API handler signals in that window. The window
 * between the write and the park's read-back cannot be hit on demand otherwise.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { takeWaitToken } from '../../lambdas/adapters/wait-token.ts';
import { assignedKey } from '../../lambdas/domain/lead-plan.ts';
import { OUTBOX_LEASE_MS } from '../../lambdas/domain/outbox.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { type LeadStore, updateLead } from '../../lambdas/ports/lead-store.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import type { StepPayload } from '../../lambdas/tasks/payload.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
/** handed to Jonas on Monday 09:00 Berlin; the first touch was due by 13:00 Berlin */
const HANDED = '2026-11-30T08:00:00.000Z';
const OVERDUE = new Date('2026-11-30T12:30:00.000Z');
const AFTER_LEASE = new Date(OVERDUE.getTime() + OUTBOX_LEASE_MS + 1000);
const input = { leadId: FIXTURE_LEAD_ID, cycle: 1, generation: 0, loops: 0, startedAt: HANDED };

/** A notifier recording each email it was asked to send (all accepted, unless `fail` says otherwise). */
function recordingNotifier(fail: (kind: string) => boolean = () => false) {
  const sent: string[] = [];
  const notifier = new Proxy({} as Notifier, {
    get: (_, kind) => async () => {
      if (fail(String(kind))) throw new Error(`injected: ${String(kind)} refused`);
      sent.push(String(kind));
    },
  });
  return { notifier, sent };
}

let tokens = 0;
async function parkAfter(store: LeadStore, notifier: Notifier, at: Date, step: StepPayload, token?: string) {
  const taskToken = token ?? `token-${++tokens}`;
  const outcome = await park(
    { sla, store, clock: { now: () => at }, notifier },
    parkInputOf(step, taskToken),
  );
  return { outcome, taskToken };
}

/** An API handler's change of the lead (a field edit), as lead-manage writes it. */
const apiEdit = (store: LeadStore, phone: string) =>
  updateLead(store, FIXTURE_LEAD_ID, (current) => ({ ...current, fields: { ...current.fields, phone } }));

describe('the park racing the lead’s other writers on DynamoDB', () => {
  const dynalite = useDynalite();
  const newStore = () =>
    new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName, carry: storyCarrier(sla) });

  it('a "new SQL" email sent again by the wake, then the park losing to an API edit: recorded all the same, never sent twice', async () => {
    // Arrange: the handoff claimed the "new SQL" email and died before sending it; the first touch is
    // overdue, so the wake that re-sends it also plans a reminder, which the park writes
    const store = newStore();
    const lead = handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version });
    const key = assignedKey(lead);
    await store.createLead({
      ...lead,
      sent: [],
      outbox: [
        {
          key,
          what: 'new SQL email to jonas',
          at: HANDED,
          email: { type: 'sqlAssigned', repId: 'jonas', dueAt: '2026-11-30T12:00:00.000Z' },
          claim: 'a-handoff-that-died',
        },
      ],
    });
    const { notifier, sent } = recordingNotifier();
    const deps = (at: Date) => ({ sla, store, clock: { now: () => at }, notifier });
    const first = await advance(deps(OVERDUE), input);
    expect(sent).toEqual(['sqlAssigned']);
    expect(first.planned).toBeTruthy();

    // Act: an API edit lands between the wake and its park; the execution resumes and runs on
    await apiEdit(store, '+49 30 1');
    const parked = await parkAfter(store, notifier, OVERDUE, first);
    const second = await advance(deps(OVERDUE), input);
    await parkAfter(store, notifier, OVERDUE, second);
    const third = await advance(deps(AFTER_LEASE), input);
    await parkAfter(store, notifier, AFTER_LEASE, third);

    // Assert
    expect(parked.outcome).toBe('changed');
    expect(sent.filter((kind) => kind === 'sqlAssigned')).toHaveLength(1);
    expect(sent.filter((kind) => kind === 'firstTouchOverdue')).toHaveLength(1);
    const after = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(after.sent).toContain(key);
    expect(after.fields).toMatchObject({ phone: '+49 30 1' });
    expect((after.outbox ?? []).filter((entry) => entry.key === key)).toEqual([]);
  });

  it('the park’s write landed, its answer lost, and an API signal took its token meanwhile: the claimed reminder goes out now, once', async () => {
    // Arrange: the first touch is overdue; the wake plans the reminder for the park to write
    const real = newStore();
    await real.createLead(handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version }));
    const { notifier, sent } = recordingNotifier();
    const step = await advance({ sla, store: real, clock: { now: () => OVERDUE }, notifier }, input);
    expect(step.planned?.claim).toBeDefined();
    const token = 'token-lost-answer';
    // the park's PutItem lands; before the park reads back, a rep's edit signals the execution (taking
    // the token off the lead); then the park sees its answer lost ('conflict', as the SDK's retry would)
    let injected = false;
    const store: LeadStore = new Proxy(real, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'saveLead' || typeof value !== 'function') return value;
        return async (...args: Parameters<LeadStore['saveLead']>) => {
          const result = await value.apply(target, args);
          if (injected || result !== 'saved') return result;
          injected = true;
          await apiEdit(real, '+49 30 2');
          expect(await takeWaitToken(real, FIXTURE_LEAD_ID, token, OVERDUE)).toBe(true);
          return 'conflict';
        };
      },
    });

    // Act
    const parked = await parkAfter(store, notifier, OVERDUE, step, token);

    // Assert: the reminder is not held back for the claim's lease (150 s) by a write the park made itself
    expect(injected).toBe(true);
    expect(sent).toEqual(['firstTouchOverdue']);
    const snapshot = (await real.loadLead(FIXTURE_LEAD_ID))!;
    expect(snapshot.confirmed).toEqual([step.planned!.claim]);
    // and the execution, resumed by the signal, wakes to nothing unsent: no copy after the lease either
    await parkAfter(
      real,
      notifier,
      OVERDUE,
      await advance({ sla, store: real, clock: { now: () => OVERDUE }, notifier }, input),
    );
    await parkAfter(
      real,
      notifier,
      AFTER_LEASE,
      await advance({ sla, store: real, clock: { now: () => AFTER_LEASE }, notifier }, input),
    );
    expect(sent.filter((kind) => kind === 'firstTouchOverdue')).toHaveLength(1);
    expect(parked.outcome).toBeDefined();
  });

  it('a send fails while an API edit lands during the sends: the others are marked, the failed one goes out at once; each once', async () => {
    // Arrange: four business hours overdue, the wake claims four emails for the park (a reminder, the
    // owner's and the manager's escalations, a reassignment); the manager's is refused once, and a rep's
    // edit lands while the park is sending
    const store = newStore();
    await store.createLead(handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version }));
    const at = new Date('2026-11-30T16:30:00.000Z');
    let refused = 0;
    let edited = false;
    const sent: string[] = [];
    const notifier = new Proxy({} as Notifier, {
      get: (_, kind) => async () => {
        if (!edited) {
          edited = true;
          await apiEdit(store, '+49 30 3');
        }
        if (kind === 'managerEscalation' && refused++ === 0) throw new Error('injected: refused once');
        sent.push(String(kind));
      },
    });
    const deps = (now: Date) => ({ sla, store, clock: { now: () => now }, notifier });
    const step = await advance(deps(at), input);
    expect(step.planned?.state.outbox?.map((entry) => entry.email.type)).toContain('managerEscalation');

    // Act: the park, then the execution resumed at once, then a wake after the claims' lease
    const parked = await parkAfter(store, notifier, at, step);
    await parkAfter(store, notifier, at, await advance(deps(at), input));
    const later = new Date(at.getTime() + OUTBOX_LEASE_MS + 1000);
    await parkAfter(store, notifier, later, await advance(deps(later), input));

    // Assert
    expect(parked.outcome).toBe('changed');
    expect(refused).toBe(2);
    expect([...sent].sort()).toEqual(['attemptDue', 'firstTouchOverdue', 'managerEscalation', 'reassigned']);
    const after = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(after.fields).toMatchObject({ phone: '+49 30 3' });
  });

  it('a send fails after the park’s write moved the oldest entries off the lead: each entry kept once', async () => {
    // Arrange: a lead whose tail (85 entries) the park's write moves down to 40; the reminder is refused once
    const store = newStore();
    const old = Array.from({ length: 85 }, (_, n) => ({
      at: new Date(Date.parse(HANDED) - (85 - n) * 60_000).toISOString(),
      kind: 'judgement' as const,
      by: 'workflow' as const,
      reasons: [{ rule: 'test.entry', detail: `entry ${n}` }],
    }));
    await store.createLead(
      handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version, timeline: old }),
    );
    let refused = 0;
    const { notifier } = recordingNotifier((kind) => kind === 'firstTouchOverdue' && refused++ === 0);
    const step = await advance({ sla, store, clock: { now: () => OVERDUE }, notifier }, input);
    expect(step.planned?.claim).toBeDefined();

    // Act
    const parked = await parkAfter(store, notifier, OVERDUE, step);

    // Assert: the entries moved to their own items are off the state, none is on both
    expect(parked.outcome).toBe('changed');
    const after = (await store.getLead(FIXTURE_LEAD_ID))!;
    const moved = await store.listTimeline(FIXTURE_LEAD_ID);
    expect(moved.length).toBe(after.timelineSpilled ?? 0);
    const story = [...moved, ...after.timeline].map((entry) => entry.reasons[0]?.detail);
    expect(new Set(story).size).toBe(story.length);
    expect(story.filter((detail) => detail?.startsWith('entry '))).toHaveLength(85);
    expect(after.outbox?.find((entry) => entry.email.type === 'firstTouchOverdue')?.failed).toBe(true);
  });

  it('the park dies between its write and its send: the next wake after the lease sends the reminder, and no wake after that sends it again', async () => {
    // Arrange: INJECTED FAULT: the park's notifier never answers (the process died during the send)
    const store = newStore();
    await store.createLead(handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version }));
    const { notifier, sent } = recordingNotifier();
    const deps = (now: Date) => ({ sla, store, clock: { now: () => now }, notifier });
    const step = await advance(deps(OVERDUE), input);
    const dead = new Proxy({} as Notifier, { get: () => () => new Promise(() => undefined) });
    void parkAfter(store, dead, OVERDUE, step);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await store.getLead(FIXTURE_LEAD_ID))?.outbox).toHaveLength(1);

    // Act: the reconciler's wake after the lease, then wakes one and two leases later
    for (const leases of [1, 2, 3]) {
      const at = new Date(OVERDUE.getTime() + leases * (OUTBOX_LEASE_MS + 1000));
      await parkAfter(store, notifier, at, await advance(deps(at), input));
    }

    // Assert
    expect(sent).toEqual(['firstTouchOverdue']);
    const { state, confirmed = [] } = (await store.loadLead(FIXTURE_LEAD_ID))!;
    expect((state.outbox ?? []).filter((entry) => !confirmed.includes(entry.claim ?? ''))).toEqual([]);
  });
});

describe('a park retried by the state machine after it ran to its end', () => {
  const dynalite = useDynalite();

  it('wrote, sent and marked, and Lambda answered Step Functions with an error: the Retry’s park finds its claim marked and sends nothing again', async () => {
    // Arrange: the wake at the first touch's overdue time; its park writes, sends the reminder and marks it
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    await store.createLead(handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version }));
    const { notifier, sent } = recordingNotifier();
    const deps = (now: Date) => ({ sla, store, clock: { now: () => now }, notifier });
    const step = await advance(deps(OVERDUE), input);
    expect((await parkAfter(store, notifier, OVERDUE, step)).outcome).toBe('parked');
    expect(sent).toEqual(['firstTouchOverdue']);

    // Act: INJECTED FAULT: the invocation's answer never reached Step Functions (Lambda.Unknown, or the
    // function failed after its work: SendTaskSuccess throttled past the SDK's retries), so the Park state's
    // Retry invokes the park again with the same input and a new token; then the wakes that follow, up to
    // two leases on
    const retry = new Date(OVERDUE.getTime() + 3000);
    const again = await parkAfter(store, notifier, retry, step);
    await parkAfter(store, notifier, retry, await advance(deps(retry), input));
    for (const leases of [1, 2]) {
      const at = new Date(retry.getTime() + leases * (OUTBOX_LEASE_MS + 1000));
      await parkAfter(store, notifier, at, await advance(deps(at), input));
    }

    // Assert: the retried park resumes the execution (its token is not the lead's) and sends nothing
    expect(again.outcome).toBe('changed');
    expect(sent).toEqual(['firstTouchOverdue']);
    const { state, confirmed = [] } = (await store.loadLead(FIXTURE_LEAD_ID))!;
    expect((state.outbox ?? []).filter((entry) => !confirmed.includes(entry.claim ?? ''))).toEqual([]);
  });
});

describe('a wake sending claims again, one of them refused', () => {
  const dynalite = useDynalite();

  it('the park died before its two sends; the wake after the lease sends them again and the mail service refuses the second: the first goes out once', async () => {
    // Arrange: a wake an hour late claims two emails (the first touch overdue, attempt 2's reminder); its
    // park writes them and dies before sending (INJECTED FAULT: its notifier never answers)
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    await store.createLead(handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version }));
    const late = new Date('2026-11-30T13:30:00.000Z');
    let calls = 0;
    // INJECTED FAULT: the mail service refuses the second email of the wake after the lease, once
    const { notifier, sent } = recordingNotifier(() => ++calls === 2);
    const deps = (now: Date) => ({ sla, store, clock: { now: () => now }, notifier });
    const step = await advance(deps(late), input);
    const dead = new Proxy({} as Notifier, { get: () => () => new Promise(() => undefined) });
    void parkAfter(store, dead, late, step);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await store.getLead(FIXTURE_LEAD_ID))?.outbox).toHaveLength(2);

    // Act: the wake after the lease sends the first and fails on the second (the task fails); the state
    // machine's Retry runs it again seconds later; then wakes one and two leases on
    const again = new Date(late.getTime() + OUTBOX_LEASE_MS + 1000);
    await expect(advance(deps(again), input)).rejects.toThrow('injected');
    const retry = new Date(again.getTime() + 4000);
    await parkAfter(store, notifier, retry, await advance(deps(retry), input));
    for (const leases of [1, 2]) {
      const at = new Date(retry.getTime() + leases * (OUTBOX_LEASE_MS + 1000));
      await parkAfter(store, notifier, at, await advance(deps(at), input));
    }

    // Assert: each once (the dead park sent nothing)
    expect(sent.sort()).toEqual(['attemptDue', 'firstTouchOverdue']);
    const { state, confirmed = [] } = (await store.loadLead(FIXTURE_LEAD_ID))!;
    expect((state.outbox ?? []).filter((entry) => !confirmed.includes(entry.claim ?? ''))).toEqual([]);
  });
});
