/**
 * Park on AWS. Step Functions invokes the function with the task token (`lambda:invoke.waitForTaskToken`)
 * and then waits for the token, not for the function's result. Park stores the token on the lead; when
 * it answers 'changed' (the lead moved since Advance looked, so a signal may have been missed; or it
 * is gone: erased, or a newer cycle), nobody else will ever send that token, so the function resumes the
 * execution itself at once. A step that does not park (hand off, continue as new, end) fails the task at
 * once with its route error, which the Park state's Catch follows (ADR 0036). Locally,
 * local/step-functions.ts does the same by resolving or rejecting its park.
 */

import { type ParkDeps, type ParkOutcome, park } from '../../tasks/park.ts';
import { type ParkInput, routeErrorOf } from '../../tasks/payload.ts';

export interface ParkCallbacks {
  /** SendTaskSuccess: the execution goes on to Advance */
  readonly resume: (taskToken: string) => Promise<void>;
  /** SendTaskFailure with a route error: the Park state's Catch takes the execution there */
  readonly route: (taskToken: string, error: string, cause: string) => Promise<void>;
}

export async function parkOrResume(
  deps: ParkDeps,
  callbacks: ParkCallbacks,
  input: ParkInput,
): Promise<{ outcome: ParkOutcome | 'routed' }> {
  const error = routeErrorOf(input.next);
  if (error) {
    await callbacks.route(input.taskToken, error, `the step goes on to ${input.next}, not to a park`);
    return { outcome: 'routed' };
  }
  const outcome = await park(deps, input);
  if (outcome !== 'parked') await callbacks.resume(input.taskToken);
  return { outcome };
}
