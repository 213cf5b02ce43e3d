/**
 * A signal whose SendTaskSuccess fails past the SDK's retries (Step Functions throttling): the signal's
 * write took the token and made the lead due, but the execution stays parked on that token until its
 * deadline, and the reconciler leaves a live execution alone. A rep's "connected", a deal move, an event
 * would wait hours or days. Now the token stays on the lead as `signalled` until the woken wake writes, the
 * request that signalled does not fail for it, and the reconciler sends the token again.
 * The AWS adapter (StepFunctionsWorkflow) on the local engine: SendTaskSuccess as the SDK sends it,
 * answered by the engine. INJECTED: the throttling of the first SendTaskSuccess (nothing local throttles).
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StepFunctionsWorkflow } from '../../lambdas/adapters/step-functions-workflow.ts';
import { reconcile } from '../../lambdas/tasks/reconcile.ts';
import type { LocalStepFunctions } from '../../local/step-functions.ts';
import { type E2e, exampleLead, startE2e } from '../support/e2e.ts';

const MACHINE = 'arn:aws:states:eu-central-1:123456789012:stateMachine:leadpact-lead-lifecycle';

/**
 * SendTaskSuccess and DescribeExecution answered by the local engine; the first `throttled` SendTaskSuccess
 * calls fail as throttled past the SDK's retries.
 */
function sfnOn(engine: LocalStepFunctions, throttled: number) {
  const sent: string[] = [];
  const executions = MACHINE.replace(':stateMachine:', ':execution:');
  const client = {
    send: async (command: {
      constructor: { name: string };
      input: { taskToken?: string; executionArn?: string };
    }) => {
      if (command.constructor.name === 'DescribeExecutionCommand') {
        const execution = engine.execution(String(command.input.executionArn).slice(executions.length + 1));
        if (!execution)
          throw Object.assign(new Error('no such execution'), { name: 'ExecutionDoesNotExist' });
        return { status: ['RUNNING', 'PARKED'].includes(execution.status) ? 'RUNNING' : execution.status };
      }
      if (command.constructor.name !== 'SendTaskSuccessCommand')
        throw new Error(`not modelled: ${command.constructor.name}`);
      sent.push(String(command.input.taskToken));
      if (sent.length <= throttled)
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      if (!engine.sendTaskSuccess(String(command.input.taskToken)))
        throw Object.assign(new Error('Task does not exist'), { name: 'TaskDoesNotExist' });
      return {};
    },
  } as unknown as SFNClient;
  return { client, sent };
}

describe('a signal that Step Functions did not take', () => {
  let e2e: E2e;
  beforeEach(async () => {
    e2e = await startE2e({ reconcileEveryMs: 0 });
  });
  afterEach(async () => {
    await e2e.close();
  });

  it('is sent again by the reconciler: the parked execution wakes and the token comes off the lead', async () => {
    // Arrange: a hot lead handed to its rep, its execution parked until the first-touch reminder
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const hot = exampleLead('hot');
    const leadId = e2e.leadIdOf(String(hot.email));
    await e2e.request('POST', '/leads', { json: hot });
    await e2e.settle();
    const { store } = e2e.runtime.deps;
    const parked = (await store.getLead(leadId))!;
    expect(parked.waitToken).toBeDefined();
    const { client, sent } = sfnOn(e2e.runtime.engine, 1);
    const workflow = new StepFunctionsWorkflow(client, MACHINE, store, e2e.runtime.scheduler);
    const transitions = () =>
      e2e.runtime.engine.executionsOf(leadId).reduce((sum, execution) => sum + execution.stateTransitions, 0);
    const before = transitions();
    // Act: a change signals the lead; Step Functions throttles the SendTaskSuccess past the SDK's retries
    const signal = await workflow.signal(parked, 'attempt').then(
      () => 'answered',
      (error: Error) => error.name,
    );
    await e2e.settle();
    const lost = (await store.getLead(leadId))!;
    const stillParked = transitions() === before;
    // ... two minutes on, the reconciler runs
    await e2e.advanceBy(3 * 60_000);
    const report = await reconcile({ store, executions: workflow.executions, clock: e2e.runtime.scheduler });
    await e2e.settle();
    // Assert
    expect(signal).toBe('answered');
    expect(stillParked).toBe(true);
    expect(lost).toMatchObject({ signalled: parked.waitToken, dueAt: expect.any(String) });
    expect(lost.waitToken).toBeUndefined();
    expect(report).toMatchObject({ resumed: 1, restarted: 0 });
    expect(sent).toEqual([parked.waitToken, parked.waitToken]);
    expect(transitions()).toBeGreaterThan(before);
    const woken = (await store.getLead(leadId))!;
    expect(woken.signalled).toBeUndefined();
    expect(woken.waitToken).toBeDefined();
    expect(woken.waitToken).not.toBe(parked.waitToken);
    // once woken, nothing to send again
    const again = await reconcile(
      { store, executions: workflow.executions, clock: e2e.runtime.scheduler },
      { graceMs: 0 },
    );
    expect(again.resumed).toBe(0);
  });
});
