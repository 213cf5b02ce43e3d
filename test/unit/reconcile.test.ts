/**
 * The reconciler's decisions, against the in-memory store (it passes the DynamoDB adapter's contract
 * tests) and a table of execution states. Step Functions has no emulator to point the SDK at, so the
 * AWS adapter's half (DescribeExecution / StartExecution and their error names) is checked against a
 * recorded client: the only stand-in here, for the service we cannot run.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it, vi } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { StepFunctionsWorkflow } from '../../lambdas/adapters/step-functions-workflow.ts';
import { metricsRecord } from '../../lambdas/aws/shared/reconcile-metrics.ts';
import type { ExecutionState, Executions } from '../../lambdas/ports/workflow.ts';
import { reconcile } from '../../lambdas/tasks/reconcile.ts';
import { leadState } from '../support/lead-state.ts';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const clock = { now: () => NOW };

/** Executions by name suffix `c<cycle>-g<generation>`; every start is recorded. */
function executionsOf(states: Record<string, ExecutionState>): Executions & { started: string[] } {
  const started: string[] = [];
  return {
    started,
    async state(_leadId, cycle, generation) {
      return states[`c${cycle}-g${generation}`] ?? 'missing';
    },
    async start(leadId, cycle, generation) {
      started.push(`${leadId}-c${cycle}-g${generation}`);
      return 'started';
    },
    async resume() {
      return 'gone';
    },
  };
}

async function storeWith(...leads: Parameters<typeof leadState>[0][]): Promise<MemoryLeadStore> {
  const store = new MemoryLeadStore();
  for (const lead of leads) await store.createLead(leadState(lead));
  return store;
}

describe('reconcile', () => {
  it.each<[string, Record<string, ExecutionState>, number, string[]]>([
    ['alive (parked or running): left alone', { 'c1-g2': 'running' }, 2, []],
    ['never started, or purged: started under its own name', {}, 2, ['L-c1-g2']],
    ['ended (failed, or stopped): the next generation', { 'c1-g2': 'ended' }, 2, ['L-c1-g3']],
    [
      'ended, and the next one ended too: the first generation not yet used',
      { 'c1-g0': 'ended', 'c1-g1': 'ended' },
      0,
      ['L-c1-g2'],
    ],
    ['ended, but continued as new and alive: left alone', { 'c1-g0': 'ended', 'c1-g1': 'running' }, 0, []],
  ])('a lead due an hour ago whose execution is %s', async (_name, states, generation, expected) => {
    // Arrange
    const store = await storeWith({ leadId: 'L', dueAt: '2026-11-30T11:00:00.000Z', generation });
    const executions = executionsOf(states);
    // Act
    const report = await reconcile({ store, executions, clock });
    // Assert
    expect(executions.started).toEqual(expected);
    expect(report).toMatchObject({ checked: 1, restarted: expected.length, running: 1 - expected.length });
  });

  it('leaves leads alone that are due within the grace period, not due, or have nothing due', async () => {
    // Arrange
    const store = await storeWith(
      { leadId: 'late', dueAt: '2026-11-30T11:57:00.000Z' },
      { leadId: 'recent', dueAt: '2026-11-30T11:59:00.000Z' },
      { leadId: 'future', dueAt: '2026-12-01T09:00:00.000Z' },
      { leadId: 'none' },
    );
    const executions = executionsOf({});
    // Act
    const report = await reconcile({ store, executions, clock }, { graceMs: 2 * 60_000 });
    // Assert
    expect(executions.started).toEqual(['late-c1-g0']);
    expect(report).toMatchObject({ checked: 1, restarted: 1, restartedLeads: ['late'] });
  });

  it('takes the earliest first, at most `limit` a run; a lead that cannot be started is counted and the rest go on', async () => {
    // Arrange
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const store = await storeWith(
      { leadId: 'a', dueAt: '2026-11-30T08:00:00.000Z' },
      { leadId: 'b', dueAt: '2026-11-30T09:00:00.000Z' },
      { leadId: 'c', dueAt: '2026-11-30T10:00:00.000Z' },
    );
    const executions = executionsOf({});
    const start = executions.start;
    executions.start = async (leadId, cycle, generation) => {
      if (leadId === 'a') throw new Error('ThrottlingException');
      return start(leadId, cycle, generation);
    };
    // Act
    const report = await reconcile({ store, executions, clock }, { limit: 2 });
    // Assert
    expect(executions.started).toEqual(['b-c1-g0']);
    expect(report).toMatchObject({ checked: 2, restarted: 1, failed: 1 });
  });
});

describe('the reconciler on AWS', () => {
  const ARN = 'arn:aws:states:eu-central-1:123456789012:stateMachine:leadpact-lead-lifecycle';
  const answering = (answer: (command: { constructor: { name: string }; input: unknown }) => unknown) => {
    const sent: { name: string; input: unknown }[] = [];
    const client = {
      send: async (command: { constructor: { name: string }; input: unknown }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return answer(command);
      },
    } as unknown as SFNClient;
    return { client, sent };
  };
  const named = (name: string) => Object.assign(new Error(name), { name });

  it.each<[string, () => unknown, ExecutionState]>([
    ['RUNNING', () => ({ status: 'RUNNING' }), 'running'],
    ['SUCCEEDED', () => ({ status: 'SUCCEEDED' }), 'ended'],
    ['FAILED', () => ({ status: 'FAILED' }), 'ended'],
    ['ABORTED', () => ({ status: 'ABORTED' }), 'ended'],
    [
      'ExecutionDoesNotExist',
      () => {
        throw named('ExecutionDoesNotExist');
      },
      'missing',
    ],
  ])('DescribeExecution %s -> %s', async (_name, answer, expected) => {
    // Arrange
    const { client, sent } = answering(answer);
    const workflow = new StepFunctionsWorkflow(client, ARN, new MemoryLeadStore(), clock);
    // Act
    const state = await workflow.executions.state('Lead1', 2, 3);
    // Assert
    expect(state).toBe(expected);
    expect(sent).toEqual([
      {
        name: 'DescribeExecutionCommand',
        input: {
          executionArn:
            'arn:aws:states:eu-central-1:123456789012:execution:leadpact-lead-lifecycle:Lead1-c2-g3',
        },
      },
    ]);
  });

  it('starts a generation by name, and an existing name is not an error', async () => {
    // Arrange
    let calls = 0;
    const { client, sent } = answering(() => {
      calls++;
      if (calls > 1) throw named('ExecutionAlreadyExists');
      return {};
    });
    const workflow = new StepFunctionsWorkflow(client, ARN, new MemoryLeadStore(), clock);
    // Act
    const first = await workflow.executions.start('Lead1', 1, 4);
    const again = await workflow.executions.start('Lead1', 1, 4);
    // Assert
    expect([first, again]).toEqual(['started', 'exists']);
    expect(sent[0]).toMatchObject({ name: 'StartExecutionCommand', input: { name: 'Lead1-c1-g4' } });
    expect(JSON.parse((sent[0]!.input as { input: string }).input)).toEqual({
      Payload: { leadId: 'Lead1', cycle: 1, generation: 4, loops: 0, startedAt: NOW.toISOString() },
    });
  });

  it('a dormant lead whose start is refused (AccessDenied) is not orphaned: the signal succeeds, the reconciler starts it', async () => {
    // Arrange: INJECTED FAULT: StartExecution denied once, as an IAM policy without the grant did
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const store = await storeWith({
      leadId: 'D',
      dormant: { at: '2026-11-01T00:00:00.000Z', generation: 1 },
    });
    let denied = false;
    const { client, sent } = answering((command) => {
      if (command.constructor.name === 'StartExecutionCommand' && !denied) {
        denied = true;
        throw named('AccessDeniedException');
      }
      if (command.constructor.name === 'DescribeExecutionCommand') throw named('ExecutionDoesNotExist');
      return {};
    });
    const workflow = new StepFunctionsWorkflow(client, ARN, store, clock);
    // Act
    await workflow.signal((await store.getLead('D'))!, 'event');
    const woken = await store.getLead('D');
    const report = await reconcile({ store, executions: workflow.executions, clock }, { graceMs: 0 });
    // Assert
    expect(woken).toMatchObject({ dueAt: NOW.toISOString(), generation: 2 });
    expect(woken?.dormant).toBeUndefined();
    expect(report).toMatchObject({ restarted: 1 });
    expect(
      sent
        .filter((call) => call.name === 'StartExecutionCommand')
        .map((call) => (call.input as { name: string }).name),
    ).toEqual(['D-c1-g2', 'D-c1-g2']);
  });

  it('publishes its figures as CloudWatch embedded metrics', () => {
    // Act
    const record = metricsRecord(
      { checked: 7, running: 4, resumed: 0, restarted: 2, failed: 1, restartedLeads: ['a', 'b'] },
      NOW,
    );
    // Assert
    expect(record).toMatchObject({
      _aws: {
        Timestamp: NOW.getTime(),
        CloudWatchMetrics: [{ Namespace: 'LeadPact', Dimensions: [[]] }],
      },
      LeadsRestarted: 2,
      LeadsDueChecked: 7,
      ReconcileFailures: 1,
    });
  });
});
