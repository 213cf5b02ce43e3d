/**
 * The state machine's Catch path: record the error on the lead (its state of record stays as
 * it was), schedule the retry (the lead's due time: the reconciler restarts it then, with a
 * growing wait while it keeps failing) and alert ops. Error detail goes to ops, never personal
 * data to the logs.
 */
import { withTimeline } from '../domain/lead-state.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { TaskDeps } from './deps.ts';

export interface FailureInput {
  readonly leadId: string;
  readonly cycle: number;
  /** the failed execution's generation: the reconciler restarts the lead as the next one */
  readonly generation?: number;
  readonly error: { readonly Error?: string; readonly Cause?: string };
}

/** The first retry after a failure; each failure in a row doubles it, up to RETRY_MAX_MS. */
export const RETRY_FIRST_MS = 5 * 60_000;
export const RETRY_MAX_MS = 6 * 3_600_000;

/** When the reconciler retries a lead after its `count`-th failure in a row. */
export function retryDelayMs(count: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, count - 1));
}

export async function recordFailure(deps: TaskDeps, input: FailureInput): Promise<void> {
  const at = deps.clock.now().toISOString();
  const error = input.error.Error ?? 'unknown';
  const cause = (input.error.Cause ?? '').slice(0, 2000);
  let retryAt = at;
  await updateLead(deps.store, input.leadId, (current) => {
    if (current.cycle !== input.cycle || current.erasedAt) return undefined;
    const count = (current.workflowError?.count ?? 0) + 1;
    retryAt = new Date(Date.parse(at) + retryDelayMs(count)).toISOString();
    // never terminal: the lead stays in the due index, and the reconciler restarts it at retryAt
    const { waitToken: _lost, ...rest } = current;
    return withTimeline(
      {
        ...rest,
        workflowError: { at, error, cause, count },
        dueAt: retryAt,
        ...(input.generation === undefined ? {} : { generation: input.generation }),
      },
      {
        at,
        kind: 'failure',
        by: 'workflow',
        reasons: [
          {
            rule: 'workflow.failure',
            detail: `${error}: the workflow stopped (failure ${count} in a row); retried at ${retryAt}`,
          },
        ],
      },
    );
  });
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'lead workflow failed',
      leadId: input.leadId,
      cycle: input.cycle,
      error,
    }),
  );
  await deps.notifier.opsAlert(
    `LeadPact: the workflow of lead ${input.leadId} failed (${error})`,
    `Lead ${input.leadId}, cycle ${input.cycle}, failed at ${at} with ${error}.\n\n${cause}\n\nThe lead's state is intact. The reconciler restarts its workflow at ${retryAt}, and later with growing waits while it keeps failing; fix the cause if it persists.`,
  );
}
