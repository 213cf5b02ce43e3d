/**
 * What the local engine tells the runtime of a failed execution (ADR 0038, `executionEnded`), as Step
 * Functions tells EventBridge: the execution's `error` and `cause`. An execution that ends in the Fail state
 * carries that state's Error and Cause (LeadWorkflowFailed: the Catch recorded and alerted, the event path
 * leaves it alone); one that fails in a task past its retries carries the task's error. The real ASL on
 * aws-local-stepfunctions, with stub tasks.
 * INJECTED FAULTS: the tasks throw errors marked not retryable, so the test does not wait for the retries.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EndedExecution } from '../../lambdas/tasks/record-failure.ts';
import { LEAD_WORKFLOW_FAILED } from '../../lambdas/tasks/record-failure.ts';
import { ManualScheduler } from '../../local/scheduler.ts';
import { LocalStepFunctions, localDefinition } from '../../local/step-functions.ts';

const T0 = new Date('2026-11-30T08:00:00.000Z');
const ref = { leadId: 'LeadEnded', cycle: 1, generation: 0, loops: 0, startedAt: T0.toISOString() };

/** an error no retrier takes (as the engine marks a park's timeout): straight to the Catch, or the end */
const fault = (name: string, message: string): Error => {
  const error = Object.assign(new Error(message), { name });
  Object.defineProperty(error, 'isRetryable', { value: false });
  return error;
};

describe('the local engine tells the end of a failed execution with its error and cause', () => {
  // the engine logs each failed execution (its name, no personal data): kept out of the test output
  beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => undefined));
  const failState = localDefinition().definition.States as Record<string, { Error?: string; Cause?: string }>;

  it.each<[string, boolean, Omit<EndedExecution, 'name' | 'status'>]>([
    [
      "the Catch recorded and alerted: the Fail state's Error and Cause",
      false,
      { error: LEAD_WORKFLOW_FAILED, cause: failState.Failed!.Cause! },
    ],
    [
      'RecordFailure failed too: its error and message',
      true,
      { error: 'Lambda.TooManyRequestsException', cause: 'Rate exceeded' },
    ],
  ])('%s', async (_, recordFails, told) => {
    // Arrange: Advance fails (into the Catch); RecordFailure answers, or fails
    const ended: EndedExecution[] = [];
    const engine = new LocalStepFunctions(
      {
        advance: async () => {
          throw fault('Error', 'injected fault: the wake failed');
        },
        handoff: async () => ({ ...ref, next: 'end' }),
        park: async () => 'parked',
        recordFailure: async () => {
          if (recordFails) throw fault('Lambda.TooManyRequestsException', 'Rate exceeded');
          return 'recorded';
        },
        executionEnded: async (execution) => void ended.push(execution),
      },
      new ManualScheduler(T0),
    );
    // Act
    engine.startExecution('LeadEnded-c1-g0', ref);
    await engine.settle();
    // Assert
    const execution = engine.execution('LeadEnded-c1-g0')!;
    expect(execution.status).toBe('FAILED');
    expect(execution.statesVisited).toEqual(['Advance', 'RecordFailure', ...(recordFails ? [] : ['Failed'])]);
    expect(ended).toEqual([{ name: 'LeadEnded-c1-g0', status: 'FAILED', ...told }]);
  });
});
