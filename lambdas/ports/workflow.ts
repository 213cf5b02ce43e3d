/**
 * The lead workflow as the API sees it: start one execution per lead and cycle, and signal
 * it after the state of record (DynamoDB) changed. A lost signal costs latency, never
 * correctness: the workflow's timer path re-reads the lead too.
 */
import type { LeadState } from '../domain/lead-state.ts';

/** What a signal needs to know of the lead, as just saved. */
export type SignalledLead = Pick<LeadState, 'leadId' | 'cycle' | 'waitToken' | 'dormant'> &
  Partial<Pick<LeadState, 'signalled'>>;

export interface Workflow {
  /** idempotent: the execution is named from the lead and cycle */
  start(leadId: string, cycle: number): Promise<void>;
  /**
   * Wake the parked execution so it re-reads the lead; a dormant lead (its execution ended with
   * nothing due) gets its next generation started instead. A lead whose token the change's own write
   * took (`signalled`, no `waitToken`: LeadState withSignalTaken) is woken with that token. `reason` is for logs.
   */
  signal(lead: SignalledLead, reason: string): Promise<void>;
  /**
   * Stop the lead's executions of the cycle (erase): `execution`, the one last started for it
   * (LeadState.execution, recorded on every start path), whatever was purged before it; any the engine
   * can list; and, for leads recorded before that name was, the one of `generation` (LeadState.generation),
   * the next one (a continue-as-new may be in flight) and any later ones. Executions that ended or no
   * longer exist are not an error (Step Functions purges ended executions after 90 days).
   */
  stop(leadId: string, cycle: number, generation: number, execution?: string): Promise<void>;
}

/** Where a lead's execution of one cycle and generation stands. */
export type ExecutionState = 'running' | 'ended' | 'missing';

/**
 * What the reconciler needs of the workflow engine: look up an execution by its name (lead,
 * cycle, generation) and start one. Starting is idempotent: the name is the key.
 */
export interface Executions {
  state(leadId: string, cycle: number, generation: number): Promise<ExecutionState>;
  /** 'exists' when an execution of that name was started before (by anyone) */
  start(leadId: string, cycle: number, generation: number): Promise<'started' | 'exists'>;
  /**
   * Sends the parked task of `token` its success again (a signal's SendTaskSuccess that failed): 'gone'
   * when no task waits on it any more (it timed out, or was resumed meanwhile)
   */
  resume(token: string): Promise<'resumed' | 'gone'>;
}
