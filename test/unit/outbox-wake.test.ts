/**
 * The outbox of a wake (tasks/advance.ts, tasks/wake.ts, domain/outbox.ts) under the faults that
 * matter: two wakes racing on one lead, a sender that dies between its claim and its send, a send
 * that fails, a park whose lead moved on. The store is the in-memory LeadStore (same contract as the
 * DynamoDB adapter); the notifier records what it was asked to send.
 * INJECTED FAULTS: a notifier that never answers (the process died mid-send) and one that throws
 * once: SES cannot be made to do either on demand.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { OUTBOX_LEASE_MS, pendingKeys } from '../../lambdas/domain/outbox.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import type { StepPayload } from '../../lambdas/tasks/payload.ts';
import { FIXTURE_LEAD_ID, handedOff, leadState } from '../support/lead-state.ts';
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
    opsAlert: record('opsAlert'),
  };
}

async function leadDue(): Promise<MemoryLeadStore> {
  const store = new MemoryLeadStore();
  await store.createLead(handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version }));
  return store;
}

const input = { leadId: FIXTURE_LEAD_ID, cycle: 1, generation: 0, loops: 0, startedAt: HANDED };
const deps = (store: MemoryLeadStore, notifier: Notifier, at: Date): TaskDeps => ({
  sla,
  store,
  clock: { now: () => at },
  notifier,
});

/** What the park does next with the wake's answer. */
const parkAfter = (store: MemoryLeadStore, at: Date, step: StepPayload) =>
  park(
    { store, clock: { now: () => at } },
    {
      leadId: step.leadId,
      cycle: step.cycle,
      generation: step.generation,
      phase: step.phase ?? 'contact',
      version: step.version ?? 0,
      waitSeconds: step.waitSeconds ?? 60,
      taskToken: 'token',
      ...(step.sent ? { sent: step.sent } : {}),
    },
  );

describe('a wake claims its emails in its one write, sends them, and the park records them', () => {
  it('sends the overdue reminder once, and the park records it sent', async () => {
    // Arrange
    const store = await leadDue();
    const notifier = recordingNotifier();
    // Act
    const step = await advance(deps(store, notifier, OVERDUE), input);
    const outcome = await parkAfter(store, OVERDUE, step);
    // Assert
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(notifier.sent).toEqual(['firstTouchOverdue']);
    expect(step.next).toBe('park');
    expect(outcome).toBe('parked');
    expect(pendingKeys(lead)).toEqual([]);
    expect(lead.escalationsTaken).toBe(1);
    expect(lead.timeline.filter((entry) => entry.kind === 'email')).toHaveLength(1);
  });

  it('two wakes racing on one lead send the reminder once', async () => {
    // Arrange
    const store = await leadDue();
    const notifier = recordingNotifier(() => new Promise((resolve) => setTimeout(resolve, 5)));
    // Act
    const steps = await Promise.all([
      advance(deps(store, notifier, OVERDUE), input),
      advance(deps(store, notifier, OVERDUE), input),
    ]);
    // Assert
    expect(notifier.sent).toEqual(['firstTouchOverdue']);
    expect(steps.map((step) => step.next)).toEqual(['park', 'park']);
    expect((await store.getLead(FIXTURE_LEAD_ID))!.escalationsTaken).toBe(1);
  });

  it('a sender that died after its claim: the email waits out the lease, then the next wake sends it once', async () => {
    // Arrange: the first wake claims the reminder and never comes back from the send
    const store = await leadDue();
    void advance(
      deps(
        store,
        recordingNotifier(() => new Promise(() => undefined)),
        OVERDUE,
      ),
      input,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const early = recordingNotifier();
    const late = recordingNotifier();
    const later = new Date(OVERDUE.getTime() + OUTBOX_LEASE_MS);
    // Act
    const before = await advance(deps(store, early, new Date(OVERDUE.getTime() + 1000)), input);
    const after = await advance(deps(store, late, later), input);
    await parkAfter(store, later, after);
    const again = await advance(deps(store, late, new Date(later.getTime() + 1000)), input);
    // Assert: within the lease nothing is sent again, and the lead parks no longer than the lease
    expect(early.sent).toEqual([]);
    expect(before.waitSeconds).toBeLessThanOrEqual(OUTBOX_LEASE_MS / 1000);
    expect(late.sent).toEqual(['firstTouchOverdue']);
    expect(again.did).not.toContainEqual(expect.stringContaining('sent again'));
    expect(pendingKeys((await store.getLead(FIXTURE_LEAD_ID))!)).toEqual([]);
  });

  it('a failed send is marked failed; the retry sends it at once, once', async () => {
    // Arrange
    const store = await leadDue();
    let fail = true;
    const notifier = recordingNotifier(async () => {
      if (fail) {
        fail = false;
        throw new Error('SES: throttled');
      }
    });
    // Act
    const first = advance(deps(store, notifier, OVERDUE), input);
    await expect(first).rejects.toThrow('throttled');
    const failed = (await store.getLead(FIXTURE_LEAD_ID))!.outbox;
    const retry = await advance(deps(store, notifier, new Date(OVERDUE.getTime() + 2000)), input);
    // Assert
    expect(failed?.map((entry) => entry.failed)).toEqual([true]);
    expect(notifier.sent).toEqual(['firstTouchOverdue']);
    expect(retry.sent?.map((email) => email.key)).toEqual(failed?.map((entry) => entry.key));
  });

  it('a park whose lead moved on still records the emails sent, once', async () => {
    // Arrange
    const store = await leadDue();
    const step = await advance(deps(store, recordingNotifier(), OVERDUE), input);
    const moved = (await store.getLead(FIXTURE_LEAD_ID))!;
    await store.saveLead(
      { ...moved, version: moved.version + 1, fields: { phone: '+49 30 1234' } },
      moved.version,
    );
    // Act: the park, then its retry
    const outcomes = [await parkAfter(store, OVERDUE, step), await parkAfter(store, OVERDUE, step)];
    // Assert
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(outcomes).toEqual(['changed', 'changed']);
    expect(lead.waitToken).toBeUndefined();
    expect(pendingKeys(lead)).toEqual([]);
    expect(lead.timeline.filter((entry) => entry.kind === 'email')).toHaveLength(1);
  });

  it('a lead with an email another sender claimed does not end before that email is sent', async () => {
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
    // Assert: it parked until the claim went stale instead of going dormant, then the email went out
    expect(first.next).toBe('park');
    expect(first.waitSeconds).toBe(OUTBOX_LEASE_MS / 1000);
    expect(notifier.sent).toEqual(['nurture']);
    // then it ends (dormant), recording the email in that last write
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(second.next).toBe('end');
    expect(lead.sent).toEqual([`nurture:1:first:${track.emails[0]!.template}`]);
    expect(pendingKeys(lead)).toEqual([]);
  });
});
