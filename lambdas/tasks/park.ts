/**
 * The Park task: store the execution's task token on the lead, so an API handler that changes
 * the lead can wake it (SendTaskSuccess), with the park's deadline as the lead's due time, and
 * record the emails the wake before it sent (the outbox's "mark sent"): one conditional update. If
 * the lead changed since Advance looked at it, the signal may already have been missed: answer
 * 'changed' and the caller resumes at once.
 */
import type { ParkOutcome } from '../ports/lead-store.ts';
import type { TaskDeps } from './deps.ts';
import type { ParkInput } from './payload.ts';

export type { ParkOutcome } from '../ports/lead-store.ts';

export async function park(deps: Pick<TaskDeps, 'store' | 'clock'>, input: ParkInput): Promise<ParkOutcome> {
  // the deadline is indexed: should this park be lost (a crash, a purged execution), the
  // reconciler finds the lead due with no live execution and restarts it
  const dueAt = new Date(deps.clock.now().getTime() + input.waitSeconds * 1000).toISOString();
  return deps.store.parkLead({
    leadId: input.leadId,
    cycle: input.cycle,
    expectedVersion: input.version,
    waitToken: input.taskToken,
    dueAt,
    ...(input.generation === undefined ? {} : { generation: input.generation }),
    sent: input.sent ?? [],
  });
}
