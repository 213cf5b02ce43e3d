/**
 * Park on AWS. Step Functions invokes the function with the task token (`lambda:invoke.waitForTaskToken`)
 * and then waits for the token, not for the function's result. Park stores the token on the lead; when
 * it answers 'changed' (the lead moved since Advance looked, so a signal may have been missed; or it
 * is gone: erased, or a newer cycle), nobody else will ever send that token, so the function resumes the
 * execution itself at once. Locally, local/step-functions.ts does the same by resolving its park.
 */

import { type ParkDeps, type ParkOutcome, park } from '../../tasks/park.ts';
import type { ParkInput } from '../../tasks/payload.ts';

export async function parkOrResume(
  deps: ParkDeps,
  resume: (taskToken: string) => Promise<void>,
  input: ParkInput,
): Promise<{ outcome: ParkOutcome }> {
  const outcome = await park(deps, input);
  if (outcome !== 'parked') await resume(input.taskToken);
  return { outcome };
}
