/**
 * "Still over to you" (ADR 0085) where an adversarial review found it wrong, through the workflow harness on
 * virtual time: an SLA naming no manager, the manager removed by an SLA change, a longer interval mid-way.
 */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import { decodeLadder } from '../../lambdas/domain/handover-terms.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { exampleLead, workflowHarness } from '../support/workflow-harness.ts';

const T0 = new Date('2026-11-30T08:00:00.000Z');

describe('still over to you: an SLA that names no manager at all (ADR 0085: "no reminder")', () => {
  it('does not spin the Advance on a reminder it cannot send', async () => {
    // Arrange: nobody to tell (no queue manager, no routing.ops, no rep's manager); a ladder without a
    // notifyManager rung, so the reassign rung is reached and the takeover goes to the ops address
    const base = loadDefaultSla();
    const { ops: _ops, ...routing } = base.routing;
    const sla: Sla = {
      ...base,
      routing: {
        ...routing,
        reps: routing.reps.map(({ manager: _m, ...rep }) => rep),
        queues: routing.queues.map(({ manager: _m, ...queue }) => queue),
      } as Sla['routing'],
      handoff: { ...base.handoff, escalation: decodeLadder('0bh remindOwner;4bh reassign')! },
    };
    const h = workflowHarness({ start: T0, sla });
    const leadId = await h.submit(exampleLead('hot'));
    await h.advanceTo('2026-12-02T00:00:00.000Z');
    const takeovers = h.notifications.filter((n) => n.kind === 'managerTakeover' && n.to === 'ops');
    expect(takeovers).toHaveLength(1); // the takeover reached the ops address once
    const callsBefore = h.taskCalls.filter((c) => c.task === 'advance').length;
    // Act: the next four days, nobody touching the lead (the cadence has 2 steps due in them)
    await h.advanceTo('2026-12-06T00:00:00.000Z');
    // Assert: a handful of wakes (cadence steps, at most one per reminder time), not an hourly loop
    const wakes = h.taskCalls.filter((c) => c.task === 'advance').slice(callsBefore);
    console.log('advance calls in 4 days:', wakes.length, wakes.map((c) => c.at).join(' '));
    const lead = await h.lead(leadId);
    const execution = h.executions(leadId).at(-1)!;
    console.log('lead', lead.stage, 'parked in (last 5):', execution.parkedIn.slice(-5));
    expect(wakes.length).toBeLessThanOrEqual(8);
  });
});

describe('still over to you: the reminder goes to someone the takeover never reached', () => {
  it('an SLA change that removes the manager who took the lead over: nobody is told "handed to you on ..." falsely', async () => {
    // Arrange: test (b) of engine.test.ts: Katrin takes Carla's untouched lead over on 2026-12-01T23:00Z
    const h = workflowHarness({ start: T0 });
    await h.submit(exampleLead('hot'));
    await h.advanceTo('2026-12-02T00:00:00.000Z');
    const takeover = h.notifications.filter((n) => n.kind === 'managerTakeover');
    expect(takeover.map((n) => n.to)).toEqual(['katrin']);
    // Act: Katrin leaves; her reps go to Dan, her queues name no manager (ops: Priya steps in)
    const base = h.sla;
    const without: Sla = {
      ...base,
      version: `${base.version}-no-katrin`,
      routing: {
        ...base.routing,
        managers: base.routing.managers.filter((m) => m.id !== 'katrin'),
        reps: base.routing.reps.map((rep) => (rep.manager === 'katrin' ? { ...rep, manager: 'dan' } : rep)),
        queues: base.routing.queues.map((queue) => {
          if (queue.manager !== 'katrin') return queue;
          const { manager: _m, ...rest } = queue;
          return rest;
        }),
      } as Sla['routing'],
    };
    await h.deploy(without);
    await h.advanceTo('2026-12-05T00:00:00.000Z');
    // Assert: docs/sla-reference.md: "A manager the SLA no longer names gets none (the ops address heard of the
    // lead at the takeover)": no "still over to you" to anyone who was not handed the lead
    const reminders = h.notifications.filter((n) => n.kind === 'managerTakeover').slice(1);
    console.log(JSON.stringify(reminders));
    expect(reminders).toEqual([]);
  });
});

describe('still over to you: remindManagerEvery changed to a longer interval mid-way', () => {
  it('does not send a reminder within hours of the last one', async () => {
    const h = workflowHarness({ start: T0 });
    await h.submit(exampleLead('hot'));
    // reminders 1..3 to Katrin: Thu 3, Fri 4, Mon 7 Dec 14:00Z
    await h.advanceTo('2026-12-07T15:00:00.000Z');
    const before = h.notifications.filter((n) => n.kind === 'managerTakeover').map((n) => n.detail);
    expect(before.at(-1)).toContain('(still, 3)');
    // Act: ops make the reminders less frequent: every 2 business days
    const base = h.sla;
    await h.deploy({
      ...base,
      version: `${base.version}-2bd`,
      handoff: { ...base.handoff, remindManagerEvery: parseDuration('2bd')! },
    });
    await h.advanceTo('2026-12-08T13:00:00.000Z');
    // Assert: nothing before 2bd after the last reminder (Wed 9 Dec 14:00Z at the earliest)
    const after = h.notifications
      .filter((n) => n.kind === 'managerTakeover')
      .slice(before.length)
      .map((n) => `${n.at} ${n.detail}`);
    console.log(after);
    expect(after).toEqual([]);
  });
});
