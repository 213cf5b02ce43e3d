import { executionName, takeDormancy, takeWaitToken } from '../lambdas/adapters/wait-token.ts';
import type { Clock } from '../lambdas/ports/clock.ts';
import type { LeadStore } from '../lambdas/ports/lead-store.ts';
import type { SignalledLead, Workflow } from '../lambdas/ports/workflow.ts';
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

  async signal(lead: SignalledLead, _reason: string): Promise<void> {
    if (lead.waitToken) {
      if (await takeWaitToken(this.store, lead.leadId, lead.waitToken))
        this.engine.sendTaskSuccess(lead.waitToken);
      return;
    }
    const next = lead.dormant ? await takeDormancy(this.store, lead.leadId) : undefined;
    if (next) {
      this.engine.startExecution(executionName(lead.leadId, next.cycle, next.generation), {
        leadId: lead.leadId,
        cycle: next.cycle,
        generation: next.generation,
        loops: 0,
        startedAt: this.clock.now().toISOString(),
      });
    }
  }

  async stop(leadId: string, cycle: number): Promise<void> {
    for (const execution of this.engine.executionsOf(leadId)) {
      if (execution.cycle === cycle) this.engine.stopExecution(execution.name);
    }
  }
}
