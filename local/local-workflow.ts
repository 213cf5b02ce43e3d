import { executionName, takeDormancy, takeWaitToken } from '../lambdas/adapters/wait-token.ts';
import type { Clock } from '../lambdas/ports/clock.ts';
import type { LeadStore } from '../lambdas/ports/lead-store.ts';
import type { ExecutionState, Executions, SignalledLead, Workflow } from '../lambdas/ports/workflow.ts';
import type { LocalStepFunctions } from './step-functions.ts';

/** The Workflow port on the local engine: what the Step Functions adapter does in AWS. */
export class LocalWorkflow implements Workflow {
  constructor(
    private readonly engine: LocalStepFunctions,
    private readonly store: LeadStore,
    private readonly clock: Clock,
  ) {}

  /** the reconciler's view of the same executions */
  readonly executions: Executions = {
    state: async (leadId, cycle, generation): Promise<ExecutionState> => {
      const execution = this.engine.execution(executionName(leadId, cycle, generation));
      if (!execution) return 'missing';
      return execution.status === 'RUNNING' || execution.status === 'PARKED' ? 'running' : 'ended';
    },
    start: async (leadId, cycle, generation) =>
      this.startGeneration(leadId, cycle, generation) ? 'started' : 'exists',
  };

  async start(leadId: string, cycle: number): Promise<void> {
    this.startGeneration(leadId, cycle, 0);
  }

  private startGeneration(leadId: string, cycle: number, generation: number): boolean {
    return this.engine.startExecution(executionName(leadId, cycle, generation), {
      leadId,
      cycle,
      generation,
      loops: 0,
      startedAt: this.clock.now().toISOString(),
    });
  }

  async signal(lead: SignalledLead, _reason: string): Promise<void> {
    if (lead.waitToken) {
      if (await takeWaitToken(this.store, lead.leadId, lead.waitToken))
        this.engine.sendTaskSuccess(lead.waitToken);
      return;
    }
    const next = lead.dormant ? await takeDormancy(this.store, lead.leadId, this.clock.now()) : undefined;
    if (next) this.startGeneration(lead.leadId, next.cycle, next.generation);
  }

  /** the local engine can list a lead's executions: every one of the cycle, whatever the generation */
  async stop(leadId: string, cycle: number, _generation: number): Promise<void> {
    for (const execution of this.engine.executionsOf(leadId)) {
      if (execution.cycle === cycle) this.engine.stopExecution(execution.name);
    }
  }
}
