/**
 * The Advance task state (ADR 0049): a wake of the lead, and when that wake makes it an SQL (or a lead whose
 * type skips nurture), its handoff in the same invocation. Before, the wake answered `next: 'handoff'`, the
 * Park state routed that step to the Handoff state, and that state's own Park followed: four transitions and
 * three Lambda invocations between the lead qualifying and the "new SQL" email; now two and one.
 *
 * A handoff that fails here (an email refused by SES, a throttled write past the SDK's retries, a missing
 * grant) is not the wake's failure: it is logged (HANDOFF_FALLBACK_MESSAGE, alarmed from the log) and the wake's
 * own step goes on, so the Park state routes it to the Handoff state and a failed handoff takes exactly the
 * path it took before ADR 0049 (that state's retries and Catch). Failing the Advance task instead would run
 * the wake again, which is a path of its own (a lead nobody can take would have its manager asked again at
 * once, not once the claim is stale). A handoff is safe to run twice (tasks/handoff.ts). The Handoff state
 * stays in the state machine for that, and for executions that started on an earlier definition.
 */
import { isMailThrottled } from '../ports/mailer.ts';
import { advance } from './advance.ts';
import type { TaskDeps } from './deps.ts';
import { handoff } from './handoff.ts';
import {
  type AdvanceInput,
  HANDOFF_FALLBACK_MESSAGE,
  HANDOFF_THROTTLED_MESSAGE,
  type StepPayload,
} from './payload.ts';

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
        // a send over SES's rate is no fault to alarm on: the Handoff state retries it until the rate lets it
        // through (ADR 0051); a burst of SQLs would otherwise set off HandoffFallbacks once per lead
        msg: isMailThrottled(error) ? HANDOFF_THROTTLED_MESSAGE : HANDOFF_FALLBACK_MESSAGE,
        leadId: input.leadId,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
    );
    return { ...step, did: [...(step.did ?? []), 'handoff left to the Handoff state: it failed here'] };
  }
}
