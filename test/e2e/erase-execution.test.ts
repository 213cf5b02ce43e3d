/**
 * Erase stops what runs (issue 10, item 5): every path that starts a lead's execution records its name on
 * the lead first (the form's create, a dormant wake, the reconciler), and erase stops that one whatever
 * Step Functions purged before it. On the local runtime (its engine ages executions with `purge`, as AWS
 * does 90 days after they end), through the local workflow and through the AWS adapter (the SDK's
 * commands answered by the same local engine).
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StepFunctionsWorkflow } from '../../lambdas/adapters/step-functions-workflow.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import type { LocalStepFunctions } from '../../local/step-functions.ts';
import { type E2e, MINUTE, startE2e } from '../support/e2e.ts';
import { SQL_LEAD } from '../support/local-api.ts';

const MACHINE = 'arn:aws:states:eu-central-1:123456789012:stateMachine:leadpact-lead-lifecycle';
const EXECUTIONS = MACHINE.replace(':stateMachine:', ':execution:');

/** Step Functions' StopExecution as the SDK sends it, answered by the local engine (missing: ExecutionDoesNotExist). */
function sfnOn(engine: LocalStepFunctions) {
  const stops: string[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: { executionArn?: string } }) => {
      if (command.constructor.name !== 'StopExecutionCommand')
        throw new Error(`not modelled: ${command.constructor.name}`);
      const name = String(command.input.executionArn).slice(EXECUTIONS.length + 1);
      stops.push(name);
      if (!engine.execution(name))
        throw Object.assign(new Error('ExecutionDoesNotExist'), { name: 'ExecutionDoesNotExist' });
      engine.stopExecution(name);
      return { stopDate: new Date() };
    },
  } as unknown as SFNClient;
  return { client, stops };
}

describe('erase stops the execution recorded on the lead, whatever was purged', () => {
  let e2e: E2e;
  beforeEach(async () => {
    e2e = await startE2e({ reconcileEveryMs: 0 });
  });
  afterEach(async () => {
    await e2e.close();
  });

  const stored = async (leadId: string) => (await e2e.runtime.deps.store.getLead(leadId))!;

  /** the lead's execution ends with nothing due (Advance's 'end', dormant): the next news starts the next generation */
  async function makeDormant(leadId: string): Promise<void> {
    const lead = await stored(leadId);
    e2e.runtime.engine.stopExecution(lead.execution!);
    await updateLead(e2e.runtime.deps.store, leadId, (current) => {
      const { waitToken: _t, dueAt: _d, ...rest } = current;
      return { ...rest, dormant: { at: e2e.now().toISOString(), generation: current.generation ?? 0 } };
    });
  }

  /** generations 0 (form), 1 (a dormant wake by an event) and 2 (the reconciler, after generation 1 died) */
  async function leadAtGeneration2(email: string): Promise<{ leadId: string; names: string[] }> {
    // an SQL: each generation parks in contact (it stays alive)
    const posted = await e2e.postLead({ email, ...SQL_LEAD });
    const leadId = (posted.body as { leadId: string }).leadId;
    await e2e.settle();
    const names = [(await stored(leadId)).execution!];
    await makeDormant(leadId);
    await e2e.postEvents(leadId, [
      {
        eventId: 'pv-1',
        type: 'page_view',
        occurredAt: e2e.now().toISOString(),
        properties: { url: '/pricing' },
      },
    ]);
    await e2e.settle();
    names.push((await stored(leadId)).execution!);
    // generation 1 dies (a failed task the catch could not record, say): the reconciler finds the lead due
    e2e.runtime.engine.stopExecution(names[1]!);
    await updateLead(e2e.runtime.deps.store, leadId, (current) => ({
      ...current,
      dueAt: new Date(e2e.now().getTime() - MINUTE).toISOString(),
    }));
    await e2e.runtime.reconciler.run();
    await e2e.settle();
    names.push((await stored(leadId)).execution!);
    return { leadId, names };
  }

  it('each start path records its execution on the lead before it starts: form, dormant wake, reconciler', async () => {
    // Act
    const { leadId, names } = await leadAtGeneration2('paths@plant.example');
    // Assert
    expect(names).toEqual([`${leadId}-c1-g0`, `${leadId}-c1-g1`, `${leadId}-c1-g2`]);
    expect(e2e.runtime.engine.execution(names[2]!)?.status).toMatch(/RUNNING|PARKED/);
    expect((await stored(leadId)).generation).toBe(2);
  });

  it('DELETE /leads/{id} stops the recorded execution after its earlier generations were purged', async () => {
    // Arrange
    const { leadId, names } = await leadAtGeneration2('purged@plant.example');
    expect(e2e.runtime.engine.purge(names[0]!)).toBe(true);
    expect(e2e.runtime.engine.purge(names[1]!)).toBe(true);
    // Act
    const erased = await e2e.request('DELETE', `/leads/${leadId}`);
    // Assert
    expect(erased.status, erased.text).toBe(200);
    expect(e2e.runtime.engine.execution(names[2]!)?.status).toBe('ABORTED');
    expect(e2e.runtime.engine.active().filter((execution) => execution.leadId === leadId)).toEqual([]);
    expect(e2e.runtime.workflow.calls.find((call) => call.action === 'stop')?.detail).toContain(
      `execution ${names[2]}`,
    );
  });

  it('the AWS adapter stops the recorded execution by name even where the generation walk finds only purged ones', async () => {
    // Arrange: generations 0 and 1 purged, and the lead's generation as an older record would have it (0)
    const { leadId, names } = await leadAtGeneration2('adapter@plant.example');
    e2e.runtime.engine.purge(names[0]!);
    e2e.runtime.engine.purge(names[1]!);
    const { client, stops } = sfnOn(e2e.runtime.engine);
    const workflow = new StepFunctionsWorkflow(
      client,
      MACHINE,
      e2e.runtime.deps.store,
      e2e.runtime.scheduler,
    );
    // Act
    await workflow.stop(leadId, 1, 0, names[2]);
    // Assert
    expect(stops[0]).toBe(names[2]);
    expect(e2e.runtime.engine.execution(names[2]!)?.status).toBe('ABORTED');
  });

  it('without the recorded name, the walk from a stale generation misses it (why the name is recorded)', async () => {
    // Arrange
    const { leadId, names } = await leadAtGeneration2('walk@plant.example');
    e2e.runtime.engine.purge(names[0]!);
    e2e.runtime.engine.purge(names[1]!);
    const { client, stops } = sfnOn(e2e.runtime.engine);
    const workflow = new StepFunctionsWorkflow(
      client,
      MACHINE,
      e2e.runtime.deps.store,
      e2e.runtime.scheduler,
    );
    // Act
    await workflow.stop(leadId, 1, 0);
    // Assert
    expect(stops).toEqual([names[0], names[1]]);
    expect(e2e.runtime.engine.execution(names[2]!)?.status).toMatch(/RUNNING|PARKED/);
  });
});
