import { executionName, takeWaitToken } from '../lambdas/adapters/wait-token.ts';
import type { Clock } from '../lambdas/ports/clock.ts';
import type { LeadStore } from '../lambdas/ports/lead-store.ts';
import type { Workflow } from '../lambdas/ports/workflow.ts';
import type { LocalStepFunctions } from './step-functions.ts';

/** The Workflow port on the local engine: what the Step Functions adapter does in AWS. */
export class LocalWorkflow implements Workflow {
  constructor(
    private readonly engine: LocalStepFunctions,
    private readonly store: LeadStore,
    private readonly clock: Clock,
  ) {}

  async start(leadId: string, cycle: number): Promise<void> {
    this.engine.startExecution(executionName(leadId, cycle), {
      leadId,
      cycle,
      generation: 0,
      loops: 0,
      startedAt: this.clock.now().toISOString(),
    });
  }

  async signal(leadId: string, waitToken: string | undefined, _reason: string): Promise<void> {
    if (!waitToken) return;
    if (await takeWaitToken(this.store, leadId, waitToken)) this.engine.sendTaskSuccess(waitToken);
  }

  async stop(leadId: string, cycle: number): Promise<void> {
    for (const execution of this.engine.executionsOf(leadId)) {
      if (execution.cycle === cycle) this.engine.stopExecution(execution.name);
    }
  }
}
