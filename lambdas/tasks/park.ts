/**
 * The Park task: store the execution's task token on the lead, so an API handler that changes
 * the lead can wake it (SendTaskSuccess). If the lead changed since Advance looked at it, the
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
    return { ...current, waitToken: input.taskToken };
  });
  return outcome;
}
