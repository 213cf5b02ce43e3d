/**
 * GET /leads/{id} shows the lead's SLA (`sla`: first touch, cadence, escalation, handovers) and the SLA
 * version on every timeline entry, over HTTP on the real local server. The workflow's side is the real
 * Handoff and Advance task handlers on the same store and clock, with a notifier that records what each
 * email states: the read model must say what the workflow does (the deadline the rep is told, the rung
 * it takes and when, the new owner after a reassignment).
 */
import { describe, expect, it } from 'vitest';
import type { Attempt } from '../../lambdas/domain/lead-state.ts';
import type { SlaStanding } from '../../lambdas/domain/sla-standing.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import type { LeadRef } from '../../lambdas/tasks/payload.ts';
import { exampleLead, MINUTE, T0, useLocalApi } from '../support/local-api.ts';

const VERSION = '2026.11-kessler-1';

interface Sent {
  readonly kind: string;
  /** the rep (or manager) addressed: the first Rep-like argument after the lead */
  readonly to: string | undefined;
  /** the deadline the email states, when it states one */
  readonly dueAt: string | undefined;
}

/** Records every email the workflow asks for, whatever the method (the Notifier grows as the ladder does). */
function recordingNotifier(): { notifier: Notifier; sent: Sent[] } {
  const sent: Sent[] = [];
  const notifier = new Proxy(
    {},
    {
      get:
        (_target, kind) =>
        async (...args: unknown[]) => {
          const rest = args.slice(1);
          const rep = rest.find(
            (arg): arg is { id: string } => typeof arg === 'object' && arg !== null && 'id' in arg,
          );
          const due = rest.find((arg): arg is Date => arg instanceof Date);
          const attempt = rest.find(
            (arg): arg is { dueAt: Date } => typeof arg === 'object' && arg !== null && 'dueAt' in arg,
          );
          sent.push({
            kind: String(kind),
            to: kind === 'reassigned' ? (rest[1] as { id: string }).id : rep?.id,
            dueAt: (due ?? attempt?.dueAt)?.toISOString(),
          });
        },
    },
  ) as Notifier;
  return { notifier, sent };
}

interface LeadWithSla {
  sla: SlaStanding;
  owner: { id: string; name: string | null } | null;
  attempts: Attempt[];
  timeline: { at: string; kind: string; from?: string; to?: string; version: string | null }[];
}

describe('GET /leads/{id}: the SLA standing', () => {
  const api = useLocalApi();

  /** the real task handlers on the API's store, with the API's clock */
  function workflow() {
    const { notifier, sent } = recordingNotifier();
    const deps: TaskDeps = { sla: api.sla, store: api.runtime.deps.store, clock: api.clock, notifier };
    const ref = (leadId: string): LeadRef => ({
      leadId,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: api.clock.now().toISOString(),
    });
    return {
      sent,
      handoff: (leadId: string) => handoff(deps, ref(leadId)),
      // as the state machine runs it: a park follows, and writes what the wake decided (ADR 0025)
      advance: async (leadId: string) => {
        const step = await advance(deps, ref(leadId));
        if (step.next === 'park') {
          await park(deps, {
            leadId,
            cycle: step.cycle,
            generation: step.generation,
            phase: step.phase ?? 'contact',
            version: step.version ?? 0,
            waitSeconds: step.waitSeconds ?? 60,
            taskToken: `token-${leadId}-${api.clock.now().toISOString()}`,
            sent: step.sent ?? [],
            planned: step.planned ?? null,
          });
        }
        return step;
      },
    };
  }

  async function read(leadId: string): Promise<LeadWithSla> {
    return (await api.readLead(leadId)) as unknown as LeadWithSla;
  }

  async function hotLead(tag: string): Promise<string> {
    return api.createLead({ ...exampleLead('hot'), email: api.uniqueEmail(tag) });
  }

  it('a lead never handed off: no first touch, cadence or escalation, no handovers; every entry names its SLA version', async () => {
    // Arrange
    const leadId = await api.createLead({ ...exampleLead('cold'), email: api.uniqueEmail('cold') });

    // Act
    const lead = await read(leadId);

    // Assert
    expect(lead.sla).toEqual({
      version: VERSION,
      firstTouch: null,
      cadence: null,
      escalation: null,
      handovers: [],
    });
    expect(lead.timeline.map((entry) => entry.version)).toEqual([VERSION, VERSION]);
  });

  it('after the handoff: the deadline the rep was told, step 1 due then, the ladder waiting, the handover', async () => {
    // Arrange
    const leadId = await hotLead('handoff');
    const flow = workflow();
    await flow.handoff(leadId);
    const told = flow.sent.find((email) => email.kind === 'sqlAssigned');
    api.clock.advance(30 * MINUTE);

    // Act
    const lead = await read(leadId);

    // Assert
    expect(told?.dueAt).toBeDefined();
    expect(told?.to).toBe(lead.owner?.id);
    expect(lead.sla.firstTouch).toEqual({ dueAt: told?.dueAt, metAt: null, state: 'due' });
    expect(lead.sla.cadence).toEqual({
      id: 'standard',
      step: 1,
      of: 6,
      attempted: 0,
      nextDueAt: told?.dueAt,
      // step 1 not yet due: the schedule is there too
      scheduledStep: 1,
      scheduledDueAt: told?.dueAt,
      // how step 1 is to be made: the cadence's first channel, the console's attempt form's default
      scheduledChannel: 'phone',
    });
    expect(lead.sla.escalation).toEqual({
      rung: 0,
      of: 3,
      action: null,
      at: null,
      next: { rung: 1, action: 'remindOwner', dueAt: told?.dueAt },
    });
    expect(lead.sla.handovers).toEqual([
      {
        owner: lead.owner,
        from: null,
        at: T0.toISOString(),
        by: 'workflow',
        reason: expect.stringMatching(/\S/),
      },
    ]);
    expect(lead.owner?.name).toEqual(expect.stringMatching(/\S/));
    expect(lead.timeline.every((entry) => entry.version === VERSION)).toBe(true);
    expect(lead.timeline.map((entry) => entry.kind)).toContain('owner');
  });

  it('a first attempt before the deadline meets it, moves the cadence to step 2 and stops the ladder', async () => {
    // Arrange
    const leadId = await hotLead('met');
    const flow = workflow();
    await flow.handoff(leadId);
    api.clock.advance(45 * MINUTE);
    const attempt = await api.request('POST', `/leads/${leadId}/attempts`, {
      json: { outcome: 'no-answer' },
    });
    api.clock.advance(5 * MINUTE);

    // Act
    const lead = await read(leadId);

    // Assert
    expect(attempt.status, attempt.text).toBe(201);
    const attemptAt = new Date(T0.getTime() + 45 * MINUTE).toISOString();
    expect(lead.sla.firstTouch).toMatchObject({ metAt: attemptAt, state: 'met' });
    expect(lead.sla.cadence).toMatchObject({ step: 2, of: 6, attempted: 1 });
    expect(Date.parse(lead.sla.cadence?.nextDueAt ?? '')).toBeGreaterThan(Date.parse(attemptAt));
    expect(lead.sla.escalation).toMatchObject({ rung: 0, next: null });
    expect(lead.timeline.at(-1)).toMatchObject({ kind: 'attempt', version: VERSION });
  });

  it('nobody acts: at each time the read model names, the workflow takes that rung, until the lead is reassigned with a fresh clock', async () => {
    // Arrange
    const leadId = await hotLead('ladder');
    const flow = workflow();
    await flow.handoff(leadId);
    const first = await read(leadId);
    const firstOwner = first.owner?.id;
    const rungs: string[] = [];

    // Act: jump to each announced rung and let the workflow act
    let lead = first;
    for (let i = 0; i < 5 && lead.owner?.id === firstOwner; i++) {
      const next = lead.sla.escalation?.next;
      if (!next) break;
      api.clock.set(new Date(next.dueAt));
      const before = flow.sent.length;
      await flow.advance(leadId);
      rungs.push(
        `${next.rung}:${next.action}:${flow.sent
          .slice(before)
          .map((email) => email.kind)
          .join('+')}`,
      );
      lead = await read(leadId);
      if (lead.owner?.id === firstOwner) {
        expect(lead.sla.escalation).toMatchObject({ rung: next.rung, action: next.action, at: next.dueAt });
        // a touch at the deadline instant still meets it: breached only after it
        const late = Date.parse(next.dueAt) > Date.parse(first.sla.firstTouch?.dueAt ?? '');
        expect(lead.sla.firstTouch).toMatchObject({
          dueAt: first.sla.firstTouch?.dueAt,
          state: late ? 'breached' : 'due',
        });
      }
    }

    // Assert
    expect(rungs).toEqual([
      // a cadence reminder may go out in the same round
      expect.stringMatching(/^1:remindOwner:.*firstTouchOverdue/),
      expect.stringMatching(/^2:notifyManager:.*managerEscalation/),
      expect.stringMatching(/^3:reassign:.*reassigned/),
    ]);
    const reassigned = flow.sent.find((email) => email.kind === 'reassigned');
    expect(lead.owner?.id).toBe(reassigned?.to);
    expect(lead.owner?.id).not.toBe(firstOwner);
    // the new owner's deadline is the one their email stated, and nothing is late yet
    expect(lead.sla.firstTouch).toEqual({ dueAt: reassigned?.dueAt, metAt: null, state: 'due' });
    expect(lead.sla.cadence).toMatchObject({ step: 1, attempted: 0, nextDueAt: reassigned?.dueAt });
    expect(lead.sla.escalation).toMatchObject({ rung: 0, next: { rung: 1, dueAt: reassigned?.dueAt } });
    expect(lead.sla.handovers).toEqual([
      expect.objectContaining({ owner: first.owner, from: null, at: T0.toISOString() }),
      expect.objectContaining({
        owner: lead.owner,
        from: first.owner,
        at: api.clock.now().toISOString(),
        by: 'workflow',
      }),
    ]);
    expect(lead.timeline.every((entry) => entry.version === VERSION)).toBe(true);
  });

  it('an erased lead keeps who had it and when, and shows nothing personal', async () => {
    // Arrange
    const email = api.uniqueEmail('petra');
    const leadId = await api.createLead({ ...exampleLead('hot'), email });
    await workflow().handoff(leadId);
    const owner = (await read(leadId)).owner;
    await api.request('POST', `/leads/${leadId}/attempts`, {
      json: { outcome: 'no-answer', note: 'Petra was out' },
    });
    api.clock.advance(MINUTE);
    const erased = await api.request('DELETE', `/leads/${leadId}`);

    // Act
    const response = await api.request('GET', `/leads/${leadId}`);

    // Assert
    expect(erased.status, erased.text).toBe(200);
    const lead = response.body as LeadWithSla;
    expect(lead.sla).toEqual({
      version: VERSION,
      firstTouch: null,
      cadence: null,
      escalation: null,
      handovers: [{ owner, from: null, at: T0.toISOString(), by: 'workflow', reason: null }],
    });
    for (const personal of [
      email,
      'Petra',
      'Schneider',
      'Brauhaus',
      'brauhaus',
      'Plant Manager',
      'was out',
    ]) {
      expect(response.text).not.toContain(personal);
    }
    expect(lead.timeline.at(-1)).toMatchObject({ kind: 'erased', version: VERSION });
  });
});
