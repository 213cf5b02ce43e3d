import type { Workflow } from '../lambdas/ports/workflow.ts';

export interface WorkflowCall {
  readonly action: 'start' | 'signal' | 'stop';
  readonly leadId: string;
  readonly detail: string;
}

/**
 * A Workflow that records what it was asked to do: the API's side of the contract, testable
 * before (and without) the workflow engine.
 */
export class RecordingWorkflow implements Workflow {
  readonly calls: WorkflowCall[] = [];

  async start(leadId: string, cycle: number): Promise<void> {
    this.calls.push({ action: 'start', leadId, detail: `cycle ${cycle}` });
  }

  async signal(leadId: string, _waitToken: string | undefined, reason: string): Promise<void> {
    this.calls.push({ action: 'signal', leadId, detail: reason });
  }

  async stop(leadId: string, cycle: number): Promise<void> {
    this.calls.push({ action: 'stop', leadId, detail: `cycle ${cycle}` });
  }
}
