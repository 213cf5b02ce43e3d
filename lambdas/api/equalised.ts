/**
 * Answers that take the same time whatever happened (ADR 0010): the public form (leads-public.ts) and
 * the console's sign-in request (console/sign-in.ts), whose timing must not tell known emails apart.
 */
import { ResponseFloor } from '../domain/response-floor.ts';

/** Real time for the response floor: monotonic, never the SLA clock (which --speed runs faster). */
export interface Timing {
  now(): number;
  sleep(ms: number): Promise<void>;
  readonly floor: ResponseFloor;
}

export const realTiming = (floor = new ResponseFloor()): Timing => ({
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  floor,
});

/**
 * Runs `work` and answers no sooner than the floor after `startedAt` (ADR 0010): known, new and bot posts
 * take the same time unless the work outlasts the floor. The floor is read before this answer's own time
 * is reported (when `work` says `observe`: typical real work, not a bot's post, not a queued one), so an
 * answer never shifts its own wait. A failure waits too.
 */
export async function equalised(
  timing: Timing,
  startedAt: number,
  work: () => Promise<{ observe: boolean }>,
): Promise<void> {
  const floor = timing.floor.current();
  let observe = false;
  try {
    ({ observe } = await work());
  } finally {
    const took = timing.now() - startedAt;
    if (observe) timing.floor.observe(took);
    if (floor > took) await timing.sleep(floor - took);
  }
}
