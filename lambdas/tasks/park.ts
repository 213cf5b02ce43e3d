/**
 * The Park task: store the execution's task token on the lead, so an API handler that changes
 * the lead can wake it (SendTaskSuccess), with the park's deadline as the lead's due time. If the lead changed since Advance looked at it, the
 * signal may already have been missed: answer 'changed' and the caller resumes at once.
 */
import { updateLead } from '../ports/lead-store.ts';
import type { TaskDeps } from './deps.ts';
import type { ParkInput } from './payload.ts';

export type ParkOutcome = 'parked' | 'changed' | 'gone';

export async function park(deps: Pick<TaskDeps, 'store' | 'clock'>, input: ParkInput): Promise<ParkOutcome> {
  let outcome: ParkOutcome = 'gone';
  await updateLead(deps.store, input.leadId, (current) => {
    if (current.cycle !== input.cycle || current.erasedAt) {
      outcome = 'gone';
      return undefined;
    }
    if (current.version !== input.version) {
      outcome = 'changed';
      return undefined;
    }
    outcome = 'parked';
    // the deadline is indexed: should this park be lost (a crash, a purged execution), the
    // reconciler finds the lead due with no live execution and restarts it
    const dueAt = new Date(deps.clock.now().getTime() + input.waitSeconds * 1000).toISOString();
    return {
      ...current,
      waitToken: input.taskToken,
      dueAt,
      // parked again after a failure: the next failure starts the retry waits from the first
      ...(current.workflowError?.count ? { workflowError: { ...current.workflowError, count: 0 } } : {}),
      ...(input.generation === undefined ? {} : { generation: input.generation }),
    };
  });
  return outcome;
}
