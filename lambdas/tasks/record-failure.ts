/**
 * The state machine's Catch path: record the error on the lead (its state of record stays as
 * it was) and alert ops. Error detail goes to ops, never personal data to the logs.
 */
import { withTimeline } from '../domain/lead-state.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { TaskDeps } from './deps.ts';

export interface FailureInput {
  readonly leadId: string;
  readonly cycle: number;
  readonly error: { readonly Error?: string; readonly Cause?: string };
}

export async function recordFailure(deps: TaskDeps, input: FailureInput): Promise<void> {
  const at = deps.clock.now().toISOString();
  const error = input.error.Error ?? 'unknown';
  const cause = (input.error.Cause ?? '').slice(0, 2000);
  await updateLead(deps.store, input.leadId, (current) =>
    withTimeline(
      { ...current, workflowError: { at, error, cause } },
      {
        at,
        kind: 'failure',
        by: 'workflow',
        reasons: [{ rule: 'workflow.failure', detail: `${error}: the workflow stopped` }],
      },
    ),
  );
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
    `Lead ${input.leadId}, cycle ${input.cycle}, failed at ${at} with ${error}.\n\n${cause}\n\nThe lead's state is intact; fix the cause, then restart its workflow.`,
  );
}
