/**
 * The lead workflow as the API sees it: start one execution per lead and cycle, and signal
 * a parked execution after the state of record (DynamoDB) changed. A lost signal costs
 * latency, never correctness: the workflow's timer path re-reads the lead too.
 */
export interface Workflow {
  /** idempotent: the execution is named from the lead and cycle */
  start(leadId: string, cycle: number): Promise<void>;
  /** wake the parked execution (if any) so it re-reads the lead; `reason` is for logs */
  signal(leadId: string, waitToken: string | undefined, reason: string): Promise<void>;
  /** stop the lead's execution (erase) */
  stop(leadId: string, cycle: number): Promise<void>;
}
