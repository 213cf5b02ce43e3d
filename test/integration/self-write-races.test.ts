/**
 * A wake whose planned write is too large for the park to carry (its step would pass 192 KiB: a tail of
 * large entries) writes, sends and marks itself (tasks/advance.ts, ADR 0025), on DynamoDB (dynalite):
 * an API edit landing between the wake's read and its own write, and that write's answer lost. The
 * reminder goes out once either way, and no later wake sends it again.
 * INJECTED FAULT (one test): the wake's PutItem lands and its answer is lost (the SDK's retry then fails its
 * condition, so the store answers 'conflict'): that moment cannot be hit on demand otherwise.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { OUTBOX_LEASE_MS } from '../../lambdas/domain/outbox.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { PLANNED_STEP_BUDGET_BYTES, payloadBytes, type StepPayload } from '../../lambdas/tasks/payload.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const HANDED = '2026-11-30T08:00:00.000Z';
const OVERDUE = new Date('2026-11-30T12:30:00.000Z');
const AFTER_LEASE = new Date(OVERDUE.getTime() + OUTBOX_LEASE_MS + 1000);
const input = { leadId: FIXTURE_LEAD_ID, cycle: 1, generation: 0, loops: 0, startedAt: HANDED };

/** a judgement whose reasons are long, in Arabic (two bytes a letter in UTF-8): about 3.3 KB of JSON */
const largeEntry = (n: number): TimelineEntry => ({
  at: new Date(Date.parse(HANDED) - (80 - n) * 60_000).toISOString(),
  kind: 'judged',
  by: 'workflow',
  reasons: Array.from({ length: 8 }, (_, i) => ({
    rule: `fit.rule-${i}`,
    detail: `${'المسمى الوظيفي يطابق شخصية صانع القرار '.repeat(4)}(${n}.${i})`,
  })),
});

function recordingNotifier() {
  const sent: string[] = [];
  const notifier = new Proxy({} as Notifier, { get: (_, kind) => async () => void sent.push(String(kind)) });
  return { notifier, sent };
}

/** Calls `before` once, ahead of the first saveLead; `after` once, after it (its answer replaced). */
function hooked(
  store: LeadStore,
  hooks: { before?: () => Promise<void>; after?: (result: string) => Promise<'saved' | 'conflict'> },
): LeadStore {
  let done = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== 'saveLead' || typeof value !== 'function') return value;
      return async (...args: Parameters<LeadStore['saveLead']>) => {
        if (done) return value.apply(target, args);
        done = true;
        await hooks.before?.();
        const result = await value.apply(target, args);
        return hooks.after ? hooks.after(result) : result;
      };
    },
  });
}

describe('a wake too large for the park to carry writes itself, on DynamoDB', () => {
  const dynalite = useDynalite();
  const newStore = () =>
    new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName, carry: storyCarrier(sla) });

  async function tooLarge(store: LeadStore) {
    await store.createLead(
      handedOff(HANDED, 'jonas', {
        leadId: FIXTURE_LEAD_ID,
        slaVersion: sla.version,
        timeline: Array.from({ length: 76 }, (_, n) => largeEntry(n)),
      }),
    );
    expect(payloadBytes(await store.getLead(FIXTURE_LEAD_ID))).toBeGreaterThan(PLANNED_STEP_BUDGET_BYTES);
  }

  /** the park after the wake, then the wakes the execution and the lease bring: the reminder never again */
  async function runOn(store: LeadStore, notifier: Notifier, step: StepPayload) {
    const parkAt = async (at: Date, payload: StepPayload, token: string) =>
      park({ sla, store, clock: { now: () => at }, notifier }, parkInputOf(payload, token));
    expect(await parkAt(OVERDUE, step, 'token-1')).toBe('parked');
    const later = await advance({ sla, store, clock: { now: () => AFTER_LEASE }, notifier }, input);
    await parkAt(AFTER_LEASE, later, 'token-2');
  }

  it('an API edit lands between the wake’s read and its own write: the wake plans again, the reminder goes out once', async () => {
    // Arrange
    const store = newStore();
    await tooLarge(store);
    const { notifier, sent } = recordingNotifier();
    const racing = hooked(store, {
      before: async () => {
        // a conditional write that moves no entries (an API handler's would move the oldest off the lead,
        // ADR 0032, and the wake's second plan would fit the park: this keeps the race on the path under test)
        const current = (await store.getLead(FIXTURE_LEAD_ID))!;
        const edited = { ...current, fields: { phone: '+49 30 9' }, version: current.version + 1 };
        expect(await store.saveLead(edited, current.version)).toBe('saved');
      },
    });
    // Act
    const step = await advance({ sla, store: racing, clock: { now: () => OVERDUE }, notifier }, input);
    await runOn(store, notifier, step);
    // Assert
    expect(step.next).toBe('park');
    expect(step.did).toContain('the change written by the wake: too large for the park to carry');
    expect(step.planned).toBeNull();
    expect(payloadBytes(step)).toBeLessThan(PLANNED_STEP_BUDGET_BYTES);
    expect(sent).toEqual(['firstTouchOverdue']);
    const { state, confirmed = [] } = (await store.loadLead(FIXTURE_LEAD_ID))!;
    expect(state.fields).toMatchObject({ phone: '+49 30 9' });
    expect(state.waitToken).toBe('token-2');
    expect(state.dueAt).toBeDefined();
    expect((state.outbox ?? []).filter((entry) => !confirmed.includes(entry.claim ?? ''))).toEqual([]);
  });

  it('the wake’s own write lands and its answer is lost: it finds its claim, sends the reminder once', async () => {
    // Arrange
    const store = newStore();
    await tooLarge(store);
    const { notifier, sent } = recordingNotifier();
    const lost = hooked(store, { after: async () => 'conflict' });
    // Act
    const step = await advance({ sla, store: lost, clock: { now: () => OVERDUE }, notifier }, input);
    await runOn(store, notifier, step);
    // Assert
    expect(step.next).toBe('park');
    expect(step.did).toContain('the change written by the wake: too large for the park to carry');
    expect(sent).toEqual(['firstTouchOverdue']);
    const { state, confirmed = [] } = (await store.loadLead(FIXTURE_LEAD_ID))!;
    expect(state.timeline.filter((entry) => entry.kind === 'email')).toHaveLength(1);
    expect((state.outbox ?? []).filter((entry) => !confirmed.includes(entry.claim ?? ''))).toEqual([]);
  });
});
