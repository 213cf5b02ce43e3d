/**
 * The outbox of a wake (tasks/advance.ts, tasks/park.ts, tasks/wake.ts, domain/outbox.ts, ADR 0025) under
 * the faults that matter: two wakes racing on one lead, a sender that dies between its claim and its
 * send, a mark that fails after the send, a send that fails, a park whose lead moved on. The store is the
 * in-memory LeadStore (same contract as the DynamoDB adapter), wrapped to count its writes and to fail
 * marks on demand; the notifier records what it was asked to send.
 * INJECTED FAULTS: a notifier that never answers (the process died between the claim and the send), one
 * that throws once, and a store whose markSent fails (the mark after the send): neither SES nor the
 * store can be made to do these on demand at exactly that point.
 */
import { describe, expect, it, vi } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { OUTBOX_LEASE_MS, pendingKeys } from '../../lambdas/domain/outbox.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import type { StepPayload } from '../../lambdas/tasks/payload.ts';
import { FIXTURE_LEAD_ID, handedOff, leadState } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
/** handed to Jonas on Monday 09:00 Berlin; the first touch was due by 13:00 Berlin */
const HANDED = '2026-11-30T08:00:00.000Z';
const OVERDUE = new Date('2026-11-30T12:30:00.000Z');

type Send = (kind: string) => Promise<void>;

/** A notifier that records each email and hands it to `send` (default: accepted at once). */
function recordingNotifier(send: Send = async () => undefined): Notifier & { readonly sent: string[] } {
  const sent: string[] = [];
  const record = (kind: string) => async () => {
    await send(kind);
    sent.push(kind);
  };
  return {
    sent,
    nurture: record('nurture'),
    consentRequest: record('consentRequest'),
    sqlAssigned: record('sqlAssigned'),
    attemptDue: record('attemptDue'),
    firstTouchOverdue: record('firstTouchOverdue'),
    managerEscalation: record('managerEscalation'),
    reassigned: record('reassigned'),
    managerTakeover: record('managerTakeover'),
    recycled: record('recycled'),
    staleDeal: record('staleDeal'),
    decideDue: record('decideDue'),
    opsAlert: record('opsAlert'),
  };
}

async function leadDue(): Promise<MemoryLeadStore> {
  const store = new MemoryLeadStore();
  await store.createLead(handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version }));
  return store;
}

const input = { leadId: FIXTURE_LEAD_ID, cycle: 1, generation: 0, loops: 0, startedAt: HANDED };
const deps = (store: LeadStore, notifier: Notifier, at: Date): TaskDeps => ({
  sla,
  store,
  clock: { now: () => at },
  notifier,
});

/** The store, counting writes of the lead's state and marks; `failMarks` marks fail before reaching it. */
function countingStore(store: MemoryLeadStore, options: { failMarks?: number } = {}) {
  const counts = { stateWrites: 0, marks: 0, failedMarks: 0 };
  let failMarks = options.failMarks ?? 0;
  const counted: LeadStore = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (property === 'markSent' && failMarks > 0) {
          failMarks--;
          counts.failedMarks++;
          throw new Error('injected: the store is unavailable');
        }
        const result = await value.apply(target, args);
        if (property === 'saveLead' || property === 'parkLead') counts.stateWrites++;
        if (property === 'markSent') counts.marks++;
        return result;
      };
    },
  });
  return { store: counted, counts };
}

let tokens = 0;
/** What the park does next with the wake's answer (a fresh task token each time, as each park gets). */
const parkAfter = (store: LeadStore, at: Date, step: StepPayload, notifier: Notifier = recordingNotifier()) =>
  park(deps(store, notifier, at), parkInputOf(step, `token-${++tokens}`));

describe('a wake reads once and writes once: the park writes the change, the claim and its token', () => {
  it('one state write: the reminder is claimed and recorded with the token, sent once, then marked', async () => {
    // Arrange
    const memory = await leadDue();
    const { store, counts } = countingStore(memory);
    const before = (await memory.getLead(FIXTURE_LEAD_ID))!;
    const notifier = recordingNotifier();
    // Act
    const step = await advance(deps(store, notifier, OVERDUE), input);
    const outcome = await parkAfter(store, OVERDUE, step, notifier);
    const next = await advance(deps(store, notifier, new Date(OVERDUE.getTime() + 60_000)), input);
    // Assert: Advance wrote nothing; the park's one write holds change, claim and token
    expect(step.next).toBe('park');
    expect(step.planned?.claim).toBeDefined();
    expect(outcome).toBe('parked');
    expect(counts).toEqual({ stateWrites: 1, marks: 1, failedMarks: 0 });
    const lead = (await memory.getLead(FIXTURE_LEAD_ID))!;
    expect(lead.version).toBe(before.version + 1);
    expect(lead.waitToken).toBe(`token-${tokens}`);
    expect(lead.escalationsTaken).toBe(1);
    expect(lead.timeline.filter((entry) => entry.kind === 'email')).toHaveLength(1);
    expect(notifier.sent).toEqual(['firstTouchOverdue']);
    // the next wake reads the mark: the claim leaves the outbox with its next write, nothing is sent again
    expect((await memory.loadLead(FIXTURE_LEAD_ID))!.confirmed).toEqual([step.planned!.claim]);
    expect(next.did).toEqual([]);
    expect(next.planned?.state.outbox ?? []).toEqual([]);
  });

  it('two wakes racing on one lead: one park writes and sends, the other finds the lead changed', async () => {
    // Arrange
    const store = await leadDue();
    const notifier = recordingNotifier(() => new Promise((resolve) => setTimeout(resolve, 5)));
    // Act
    const steps = await Promise.all([
      advance(deps(store, notifier, OVERDUE), input),
      advance(deps(store, notifier, OVERDUE), input),
    ]);
    const outcomes = await Promise.all(steps.map((step) => parkAfter(store, OVERDUE, step, notifier)));
    // Assert
    expect(steps.map((step) => step.next)).toEqual(['park', 'park']);
    expect(outcomes.sort()).toEqual(['changed', 'parked']);
    expect(notifier.sent).toEqual(['firstTouchOverdue']);
    expect((await store.getLead(FIXTURE_LEAD_ID))!.escalationsTaken).toBe(1);
  });

  it('crash between claim and send: the email waits out the lease, then the next wake sends it once', async () => {
    // Arrange: the park writes its claim and never comes back from the send (the process died)
    const store = await leadDue();
    const step = await advance(deps(store, recordingNotifier(), OVERDUE), input);
    void parkAfter(
      store,
      OVERDUE,
      step,
      recordingNotifier(() => new Promise(() => undefined)),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const early = recordingNotifier();
    const late = recordingNotifier();
    const later = new Date(OVERDUE.getTime() + OUTBOX_LEASE_MS);
    // Act
    const before = await advance(deps(store, early, new Date(OVERDUE.getTime() + 1000)), input);
    const after = await advance(deps(store, late, later), input);
    await parkAfter(store, later, after, late);
    const again = await advance(deps(store, late, new Date(later.getTime() + 1000)), input);
    // Assert: within the lease nothing is sent again, and the lead parks no longer than the lease
    expect(early.sent).toEqual([]);
    expect(before.waitSeconds).toBeLessThanOrEqual(OUTBOX_LEASE_MS / 1000);
    expect(late.sent).toEqual(['firstTouchOverdue']);
    expect(after.did).toEqual(['sent again: first touch 0.5 business hours overdue: reminded jonas']);
    expect(again.did).toEqual([]);
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    // one timeline entry for the email, though it was claimed twice
    expect(lead.timeline.filter((entry) => entry.kind === 'email')).toHaveLength(1);
  });

  it('crash between send and mark (the mark fails past the SDK retries): retried in the park, sent once', async () => {
    // Arrange: INJECTED FAULT: the first 3 marks fail (the store unavailable right after the send)
    const memory = await leadDue();
    const { store, counts } = countingStore(memory, { failMarks: 3 });
    const notifier = recordingNotifier();
    // Act
    const step = await advance(deps(store, notifier, OVERDUE), input);
    const outcome = await parkAfter(store, OVERDUE, step, notifier);
    const later = new Date(OVERDUE.getTime() + OUTBOX_LEASE_MS + 1000);
    const next = await advance(deps(store, notifier, later), input);
    // Assert
    expect(outcome).toBe('parked');
    expect(counts).toEqual({ stateWrites: 1, marks: 1, failedMarks: 3 });
    expect(notifier.sent).toEqual(['firstTouchOverdue']);
    expect(next.did).not.toContainEqual(expect.stringContaining('sent again'));
  });

  it('a mark that never lands (the store down, or the process dead after the send): one copy, never a loss', async () => {
    // Arrange: INJECTED FAULT: every mark fails; at-least-once is the designed outcome (SES has no
    // idempotency key: nothing can tell a sent email from an unsent one once the mark is lost)
    const memory = await leadDue();
    const { store } = countingStore(memory, { failMarks: 1000 });
    const notifier = recordingNotifier();
    const step = await advance(deps(store, notifier, OVERDUE), input);
    // Act
    await expect(parkAfter(store, OVERDUE, step, notifier)).rejects.toThrow('injected');
    const later = new Date(OVERDUE.getTime() + OUTBOX_LEASE_MS);
    const fine = countingStore(memory).store;
    const after = await advance(deps(fine, notifier, later), input);
    await parkAfter(fine, later, after, notifier);
    // Assert
    expect(notifier.sent).toEqual(['firstTouchOverdue', 'firstTouchOverdue']);
  }, 30_000);

  it('a failed send is marked failed and the lead wakes at once; the next wake sends it, once', async () => {
    // Arrange
    const store = await leadDue();
    let fail = true;
    const notifier = recordingNotifier(async () => {
      if (fail) {
        fail = false;
        throw new Error('SES: throttled');
      }
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // Act
    const step = await advance(deps(store, notifier, OVERDUE), input);
    const outcome = await parkAfter(store, OVERDUE, step, notifier);
    const failed = (await store.getLead(FIXTURE_LEAD_ID))!.outbox;
    const retry = await advance(deps(store, notifier, new Date(OVERDUE.getTime() + 2000)), input);
    errors.mockRestore();
    // Assert
    expect(outcome).toBe('changed');
    expect(failed?.map((entry) => entry.failed)).toEqual([true]);
    expect(notifier.sent).toEqual(['firstTouchOverdue']);
    expect(retry.did).toEqual(['sent again: first touch 0.5 business hours overdue: reminded jonas']);
  });

  it('a park whose lead moved on writes nothing and sends nothing: the next wake plans again', async () => {
    // Arrange
    const store = await leadDue();
    const notifier = recordingNotifier();
    const step = await advance(deps(store, notifier, OVERDUE), input);
    const moved = (await store.getLead(FIXTURE_LEAD_ID))!;
    await store.saveLead(
      { ...moved, version: moved.version + 1, fields: { phone: '+49 30 1234' } },
      moved.version,
    );
    // Act
    const outcome = await parkAfter(store, OVERDUE, step, notifier);
    const again = await advance(deps(store, notifier, OVERDUE), input);
    await parkAfter(store, OVERDUE, again, notifier);
    // Assert
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(outcome).toBe('changed');
    expect(notifier.sent).toEqual(['firstTouchOverdue']);
    expect(lead.fields).toMatchObject({ phone: '+49 30 1234' });
    expect(lead.timeline.filter((entry) => entry.kind === 'email')).toHaveLength(1);
  });

  it('a lead with an email another sender claimed does not end before that email is settled', async () => {
    // Arrange: no consent any more (nothing would be due), and a nurture email claimed by a sender
    // that died with its failure unrecorded
    const store = new MemoryLeadStore();
    const track = sla.nurture.tracks[0]!;
    await store.createLead(
      leadState({
        leadId: FIXTURE_LEAD_ID,
        slaVersion: sla.version,
        marketingConsent: false,
        outbox: [
          {
            key: `nurture:1:first:${track.emails[0]!.template}`,
            what: 'nurture email 1',
            at: OVERDUE.toISOString(),
            email: { type: 'nurture', trackId: track.id, index: 0 },
            claim: 'a-sender-that-died',
          },
        ],
      }),
    );
    const notifier = recordingNotifier();
    // Act
    const first = await advance(deps(store, notifier, OVERDUE), input);
    const later = new Date(OVERDUE.getTime() + OUTBOX_LEASE_MS);
    const second = await advance(deps(store, notifier, later), input);
    // Assert: it parked until the claim went stale instead of going dormant, then the claim was settled: the
    // email dropped, not sent, for the person has no consent any more (deliver checks it at the send)
    expect(first.next).toBe('park');
    expect(first.waitSeconds).toBe(OUTBOX_LEASE_MS / 1000);
    expect(notifier.sent).toEqual([]);
    // then it ends (dormant), recording the dropped email in that last write
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(second.next).toBe('end');
    expect(lead.sent).toEqual([`nurture:1:first:${track.emails[0]!.template}`]);
    expect(lead.timeline.filter((entry) => entry.kind === 'emailDropped')).toHaveLength(1);
    expect(pendingKeys(lead)).toEqual([]);
  });
});

describe('the "no deal yet" reminder of a connected lead (contact.decideWithin)', () => {
  it('two wakes racing send it once; a lead connected before the time was recorded gets the clock pinned', async () => {
    // Arrange: connected Mon 09:00 Berlin, recorded only on the timeline (a lead from before connectedAt); 5bd later
    const connectedAt = HANDED;
    const store = new MemoryLeadStore();
    await store.createLead(
      handedOff(HANDED, 'jonas', {
        leadId: FIXTURE_LEAD_ID,
        slaVersion: sla.version,
        status: 'connected',
        timeline: [
          {
            at: connectedAt,
            kind: 'attempt',
            from: 'sql/new',
            to: 'sql/connected',
            by: 'rep:jonas',
            reasons: [],
          },
        ],
      }),
    );
    const due = new Date('2026-12-07T08:00:00.000Z');
    const notifier = recordingNotifier(() => new Promise((resolve) => setTimeout(resolve, 5)));
    // Act
    const steps = await Promise.all([
      advance(deps(store, notifier, due), input),
      advance(deps(store, notifier, due), input),
    ]);
    const outcomes = await Promise.all(steps.map((step) => parkAfter(store, due, step, notifier)));
    const later = new Date('2026-12-09T08:00:00.000Z');
    const again = await advance(deps(store, notifier, later), input);
    await parkAfter(store, later, again, notifier);
    // Assert
    expect(outcomes.sort()).toEqual(['changed', 'parked']);
    expect(notifier.sent).toEqual(['decideDue']);
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(lead.connectedAt).toBe(connectedAt);
    expect(lead.sent).toContain(`decide:1:${connectedAt}:1`);
    expect(lead.timeline.filter((entry) => entry.reasons[0]?.rule === 'workflow.decide')).toHaveLength(1);
    expect(lead.dueAt).toBe('2026-12-14T08:00:00.000Z');
  });
});
