/**
 * Erase stops what runs, on AWS: StopExecution from the lead's recorded generation on, whatever was
 * purged before it. Step Functions has no emulator to point the SDK at, so the adapter is checked
 * against a recorded client that answers like the service (ExecutionDoesNotExist for a name it does
 * not know; a stop of an ended execution succeeds): the only stand-in here, for the service we cannot run.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { StepFunctionsWorkflow } from '../../lambdas/adapters/step-functions-workflow.ts';

const ARN = 'arn:aws:states:eu-central-1:123456789012:stateMachine:leadpact-lead-lifecycle';
const EXECUTIONS = 'arn:aws:states:eu-central-1:123456789012:execution:leadpact-lead-lifecycle';
const clock = { now: () => new Date('2026-11-30T12:00:00.000Z') };
const named = (name: string) => Object.assign(new Error(name), { name });

/** A client that knows these executions (by name suffix `c<cycle>-g<generation>`) and records each stop. */
function stepFunctionsWith(existing: readonly string[], fault?: string) {
  const stopped: string[] = [];
  const client = {
    send: async (command: {
      constructor: { name: string };
      input: { executionArn?: string; cause?: string };
    }) => {
      expect(command.constructor.name).toBe('StopExecutionCommand');
      expect(command.input.cause).toBe('lead erased');
      const arn = command.input.executionArn ?? '';
      expect(arn.startsWith(`${EXECUTIONS}:L-`)).toBe(true);
      const suffix = arn.slice(`${EXECUTIONS}:L-`.length);
      stopped.push(suffix);
      if (fault) throw named(fault);
      if (!existing.includes(suffix)) throw named('ExecutionDoesNotExist');
      return { stopDate: new Date() };
    },
  } as unknown as SFNClient;
  return { workflow: new StepFunctionsWorkflow(client, ARN, new MemoryLeadStore(), clock), stopped };
}

describe('erase on AWS stops the lead from its recorded generation on', () => {
  it.each<[string, string[], number, string[]]>([
    [
      'older generations purged, the recorded one alive: stopped, and its successor tried',
      ['c1-g7'],
      7,
      ['c1-g7', 'c1-g8'],
    ],
    [
      'a continue-as-new in flight: the recorded one and its successor both stopped',
      ['c1-g2', 'c1-g3'],
      2,
      ['c1-g2', 'c1-g3', 'c1-g4'],
    ],
    [
      'the recorded one never started (a wake whose start failed), or purged: its successor still stopped',
      ['c1-g5'],
      4,
      ['c1-g4', 'c1-g5', 'c1-g6'],
    ],
    [
      'the reconciler walked past ended ones: every later one that exists is stopped',
      ['c1-g0', 'c1-g1', 'c1-g2', 'c1-g3'],
      0,
      ['c1-g0', 'c1-g1', 'c1-g2', 'c1-g3', 'c1-g4'],
    ],
    ['nothing exists any more: done after the recorded one and the next', [], 0, ['c1-g0', 'c1-g1']],
  ])('%s', async (_name, existing, generation, expected) => {
    // Arrange
    const { workflow, stopped } = stepFunctionsWith(existing);
    // Act
    await workflow.stop('L', 1, generation);
    // Assert: older generations are never asked for, and a missing one is not an error
    expect(stopped).toEqual(expected);
  });

  it('stops within the lead cycle only', async () => {
    // Arrange
    const { workflow, stopped } = stepFunctionsWith(['c2-g0']);
    // Act
    await workflow.stop('L', 2, 0);
    // Assert
    expect(stopped).toEqual(['c2-g0', 'c2-g1']);
  });

  it('other errors fail the erase (it is retried; nothing was deleted yet)', async () => {
    // Arrange
    const { workflow } = stepFunctionsWith(['c1-g0'], 'AccessDeniedException');
    // Act + Assert
    await expect(workflow.stop('L', 1, 0)).rejects.toThrow('AccessDeniedException');
  });
});
