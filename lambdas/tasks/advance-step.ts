/**
 * The Advance task state (ADR 0049): a wake of the lead, and when that wake makes it an SQL (or a lead whose
 * type skips nurture), its handoff in the same invocation. Before, the wake answered `next: 'handoff'`, the
 * Park state routed that step to the Handoff state, and that state's own Park followed: four transitions and
 * three Lambda invocations between the lead qualifying and the "new SQL" email; now two and one.
 *
 * A handoff that fails here (its email refused by SES, a throttled write past the SDK's retries) is not
 * the wake's failure: the wake's step goes on as before, and the Park state routes it to the Handoff state,
 * whose own retries take it from there (a handoff is safe to run again: tasks/handoff.ts). Failing the
 * Advance task instead would run the wake again, and the wake sends a failed email again at once, so an
 * SES outage of a few minutes would use up the retries and fail the execution, where the Handoff state parks
 * the lead and sends the email again once its claim is stale. The Handoff state stays in the state machine
 * for that, and for executions that started on an earlier definition.
 */
import { advance } from './advance.ts';
import type { TaskDeps } from './deps.ts';
import { handoff } from './handoff.ts';
import type { AdvanceInput, StepPayload } from './payload.ts';

export async function advanceStep(deps: TaskDeps, input: AdvanceInput): Promise<StepPayload> {
  const step = await advance(deps, input);
  if (step.next !== 'handoff') return step;
  try {
    const handed = await handoff(deps, step);
    return { ...handed, did: [...(step.did ?? []), ...(handed.did ?? [])] };
  } catch (error) {
    console.error(
      JSON.stringify({
        level: 'warn',
        msg: 'advance: the handoff failed, the Handoff state takes it',
        leadId: input.leadId,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
    );
    return { ...step, did: [...(step.did ?? []), 'handoff left to the Handoff state: it failed here'] };
  }
}
