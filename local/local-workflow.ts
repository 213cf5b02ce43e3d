import { executionName, takeDormancy, takeWaitToken } from '../lambdas/adapters/wait-token.ts';
import type { Clock } from '../lambdas/ports/clock.ts';
import type { LeadStore } from '../lambdas/ports/lead-store.ts';
import type { ExecutionState, Executions, SignalledLead, Workflow } from '../lambdas/ports/workflow.ts';
import type { LocalStepFunctions } from './step-functions.ts';

/**
 * Called before each call the Step Functions adapter would make on AWS, with the SDK command's name and
 * input (`leadpact dev --iam enforce`: the function's role must allow it, or it throws AccessDenied).
 */
export type StepFunctionsGuard = (command: string, input: Record<string, unknown>) => void;

/** The Workflow port on the local engine: what the Step Functions adapter does in AWS. */
export class LocalWorkflow implements Workflow {
  constructor(
    private readonly engine: LocalStepFunctions,
    private readonly store: LeadStore,
    private readonly clock: Clock,
    private readonly guard?: { readonly stateMachineArn: string; readonly check: StepFunctionsGuard },
  ) {}

  private executionArn(name: string): string {
    return `${this.guard?.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  /** the reconciler's view of the same executions */
  readonly executions: Executions = {
    state: async (leadId, cycle, generation): Promise<ExecutionState> => {
      const name = executionName(leadId, cycle, generation);
      this.guard?.check('DescribeExecutionCommand', { executionArn: this.executionArn(name) });
      const execution = this.engine.execution(name);
      if (!execution) return 'missing';
      return execution.status === 'RUNNING' || execution.status === 'PARKED' ? 'running' : 'ended';
    },
    start: async (leadId, cycle, generation) =>
      this.startGeneration(leadId, cycle, generation) ? 'started' : 'exists',
    resume: async (token) => {
      this.guard?.check('SendTaskSuccessCommand', { taskToken: token, output: '{}' });
      return this.engine.sendTaskSuccess(token) ? 'resumed' : 'gone';
    },
  };

  async start(leadId: string, cycle: number): Promise<void> {
    this.startGeneration(leadId, cycle, 0);
  }

  private startGeneration(leadId: string, cycle: number, generation: number): boolean {
    const name = executionName(leadId, cycle, generation);
    this.guard?.check('StartExecutionCommand', { stateMachineArn: this.guard.stateMachineArn, name });
    return this.engine.startExecution(name, {
      leadId,
      cycle,
      generation,
      loops: 0,
      startedAt: this.clock.now().toISOString(),
    });
  }

  async signal(lead: SignalledLead, _reason: string): Promise<void> {
    if (!lead.waitToken && lead.signalled) {
      // the change's write took the token (withSignalTaken): only SendTaskSuccess is left
      this.guard?.check('SendTaskSuccessCommand', { taskToken: lead.signalled, output: '{}' });
      this.engine.sendTaskSuccess(lead.signalled);
      return;
    }
    if (lead.waitToken) {
      if (await takeWaitToken(this.store, lead.leadId, lead.waitToken, this.clock.now())) {
        this.guard?.check('SendTaskSuccessCommand', { taskToken: lead.waitToken, output: '{}' });
        this.engine.sendTaskSuccess(lead.waitToken);
      }
      return;
    }
    const next = lead.dormant ? await takeDormancy(this.store, lead.leadId, this.clock.now()) : undefined;
    if (next) this.startGeneration(lead.leadId, next.cycle, next.generation);
  }

  /**
   * The recorded execution by its name, then every one of the cycle the local engine lists (it can list a
   * lead's executions, whatever the generation; on AWS only the generation walk stands in for that).
   */
  async stop(leadId: string, cycle: number, _generation: number, execution?: string): Promise<void> {
    if (execution && this.engine.execution(execution)) {
      this.guard?.check('StopExecutionCommand', { executionArn: this.executionArn(execution) });
      this.engine.stopExecution(execution);
    }
    for (const execution of this.engine.executionsOf(leadId)) {
      if (execution.cycle !== cycle) continue;
      this.guard?.check('StopExecutionCommand', { executionArn: this.executionArn(execution.name) });
      this.engine.stopExecution(execution.name);
    }
  }
}
