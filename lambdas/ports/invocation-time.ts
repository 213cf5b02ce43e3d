/**
 * The time the running Lambda invocation has left (ADR 0068), for a loop that would otherwise try on past the
 * function's timeout: Lambda kills the invocation there, and the caller gets API Gateway's bare 500 (no
 * JSON error, no CORS headers) while a write the killed invocation made may stand. The entry point runs each
 * invocation inside `withInvocationTime` with its Lambda context; code that runs outside one (a test, a
 * script, the simulator) has all the time it wants.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What the Lambda context tells of the time: `getRemainingTimeInMillis()`. */
export interface InvocationClock {
  getRemainingTimeInMillis(): number;
}

interface Invocation {
  readonly clock: InvocationClock;
  /** the time the invocation had when its handler began */
  readonly startedWithMs: number;
}

/**
 * Of the time an invocation had when it began, the share a loop keeps for what follows its last try (the
 * try itself, the signal, the events, the answer): 3 s of the API functions' 15 s.
 */
export const FINISH_SHARE = 0.2;

const current = new AsyncLocalStorage<Invocation>();

/** Runs `work` as the invocation whose context is `clock`: the loops under it stop in time. */
export function withInvocationTime<T>(clock: InvocationClock, work: () => Promise<T>): Promise<T> {
  return current.run({ clock, startedWithMs: clock.getRemainingTimeInMillis() }, work);
}

/**
 * Whether a wait of `waitMs` and one more try still leave the invocation its finishing share: false when
 * the try could end after the timeout. Always true outside an invocation.
 */
export function timeForAnotherTry(waitMs: number): boolean {
  const invocation = current.getStore();
  if (!invocation) return true;
  return invocation.clock.getRemainingTimeInMillis() - waitMs >= invocation.startedWithMs * FINISH_SHARE;
}
