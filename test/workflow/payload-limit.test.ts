/**
 * Step Functions' 256 KiB payload quota (States.DataLimitExceeded: terminal, no Catch takes it). Since the
 * park writes the wake (ADR 0025) the step into a park carries the lead's state with its timeline tail; a
 * lead whose tail holds large entries (a judgement's reasons in Arabic, a long SLA) must not fail its
 * execution on AWS. The local engine enforces the quota as AWS does, and a wake whose change is too large
 * to carry writes it itself.
 */
import { describe, expect, it } from 'vitest';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { payloadBytes, type StepPayload } from '../../lambdas/tasks/payload.ts';
import { ManualScheduler } from '../../local/scheduler.ts';
import { LocalStepFunctions } from '../../local/step-functions.ts';
import { exampleLead, workflowHarness } from '../support/workflow-harness.ts';

const T0 = new Date('2026-11-30T08:00:00.000Z');
const ref = { leadId: 'LeadLimit', cycle: 1, generation: 0, loops: 0, startedAt: T0.toISOString() };

/** a judgement whose reasons are long, in Arabic (two bytes a letter in UTF-8): about 3.3 KB of JSON */
const largeEntry = (n: number, at: string): TimelineEntry => ({
  at,
  kind: 'judged',
  from: 'mql/nurturing',
  to: 'mql/nurturing',
  by: 'workflow',
  reasons: Array.from({ length: 8 }, (_, i) => ({
    rule: `fit.rule-${i}`,
    detail: `${'المسمى الوظيفي يطابق شخصية صانع القرار '.repeat(4)}(${n}.${i})`,
  })),
});

describe("the local engine enforces Step Functions' payload quota", () => {
  it.each([
    ['a task output past 256 KiB fails the execution, and no Catch runs', 300 * 1024, 'FAILED'],
    ['one just under it runs on', 200 * 1024, 'PARKED'],
  ])('%s', async (_, didBytes, status) => {
    // Arrange: tasks that plan a park and report `didBytes` of work
    const failures: unknown[] = [];
    const ended: unknown[] = [];
    const clock = new ManualScheduler(T0);
    const engine = new LocalStepFunctions(
      {
        advance: async (): Promise<StepPayload> => ({
          ...ref,
          loops: 1,
          next: 'park',
          phase: 'nurture',
          waitSeconds: 3600,
          version: 1,
          did: ['x'.repeat(didBytes)],
          sent: [],
          planned: null,
        }),
        handoff: async () => ({ ...ref, next: 'end' }),
        park: async () => 'parked',
        recordFailure: async (input) => void failures.push(input),
        executionEnded: async (execution) => void ended.push(execution),
      },
      clock,
    );
    // Act
    engine.startExecution('LeadLimit-c1-g0', ref);
    await engine.settle();
    // Assert
    const execution = engine.execution('LeadLimit-c1-g0')!;
    expect(execution.status).toBe(status);
    expect(failures).toEqual([]);
    if (status === 'FAILED') {
      expect(execution.error).toMatch(/^States\.DataLimitExceeded: the output of Advance is \d+ bytes/);
      // told as Step Functions tells EventBridge, whose rule records it on the lead (ADR 0038)
      expect(ended).toEqual([
        {
          name: 'LeadLimit-c1-g0',
          status: 'FAILED',
          error: 'States.DataLimitExceeded',
          cause: expect.stringMatching(/^the output of Advance is \d+ bytes/),
        },
      ]);
    } else {
      expect(execution.error).toBeUndefined();
      expect(ended).toEqual([]);
    }
  });
});

describe('a lead whose timeline tail is too large for the park to carry', () => {
  it('is written by the wake itself: the reminder goes out and is recorded, the lead parks, the execution lives on', async () => {
    // Arrange: a hot lead handed to a rep; its story then grows to 100 large judgements (~290 KB)
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(exampleLead('hot'));
    const before = await h.lead(leadId);
    expect(before.ownerId).toBeDefined();
    const grown: LeadState = {
      ...before,
      timeline: [
        ...before.timeline,
        ...Array.from({ length: 100 }, (_, n) => largeEntry(n, T0.toISOString())),
      ],
      version: before.version + 1,
    };
    expect(await h.store.saveLead(grown, before.version)).toBe('saved');
    expect(payloadBytes(grown)).toBeGreaterThan(256 * 1024);
    const sentBefore = h.notificationsOf(leadId).length;
    // Act: a day on, the first touch is overdue: the ladder's reminders and escalations are due
    await h.advanceTo(new Date(T0.getTime() + 86_400_000));
    // Assert
    const executions = h.executions(leadId);
    expect(executions.filter((execution) => execution.status === 'FAILED')).toEqual([]);
    expect(executions.some((execution) => execution.status === 'PARKED')).toBe(true);
    expect(h.notificationsOf(leadId).length).toBeGreaterThan(sentBefore);
    const after = await h.lead(leadId);
    expect(after.timeline.length).toBeGreaterThan(grown.timeline.length);
    expect(after.waitToken).toBeDefined();
    // every email claimed was sent and marked sent (the outbox mark, read back with the lead)
    const { confirmed = [] } = (await h.store.loadLead(leadId))!;
    expect((after.outbox ?? []).filter((entry) => !confirmed.includes(entry.claim ?? ''))).toEqual([]);
  });
});
