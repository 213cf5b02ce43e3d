import type { SignalledLead, Workflow } from '../lambdas/ports/workflow.ts';

export interface WorkflowCall {
  readonly action: 'start' | 'signal' | 'stop';
  readonly leadId: string;
  readonly detail: string;
}

/**
 * Records what the API asked of the workflow (start, signal, stop), then passes it on to the
 * real one when given: the API's side of the contract stays visible to tests.
 */
export class RecordingWorkflow implements Workflow {
  constructor(
    private readonly inner?: Workflow,
    /** shared by the recorders of several functions (`leadpact dev --iam enforce`: one per function) */
    readonly calls: WorkflowCall[] = [],
  ) {}

  async start(leadId: string, cycle: number): Promise<void> {
    this.calls.push({ action: 'start', leadId, detail: `cycle ${cycle}` });
    await this.inner?.start(leadId, cycle);
  }

  async signal(lead: SignalledLead, reason: string): Promise<void> {
    this.calls.push({ action: 'signal', leadId: lead.leadId, detail: reason });
    await this.inner?.signal(lead, reason);
  }

  async stop(leadId: string, cycle: number, generation: number, execution?: string): Promise<void> {
    this.calls.push({
      action: 'stop',
      leadId,
      detail: `cycle ${cycle} generation ${generation}${execution ? ` execution ${execution}` : ''}`,
    });
    await this.inner?.stop(leadId, cycle, generation, execution);
  }
}
