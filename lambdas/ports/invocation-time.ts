/**
 * The time the running Lambda invocation has left (ADR 0068), for a request's commit write that would otherwise
 * try on past the function's timeout: middy's early timeout then answers 503 "ask again" while the change goes
 * on and is often saved, or Lambda kills the invocation (API Gateway's bare 500). The entry point runs each
 * invocation inside `withInvocationTime` with its Lambda context; a route runs its commit write (the first
 * thing it stores) inside `inTime`, and only loops under both stop early. Everything else keeps its tries: a
 * write after the commit (a signal's, a claim given back) must not fail a request whose change is stored, and
 * code outside an invocation (tests, scripts, the simulator, the workflow's tasks) has all the time it wants.
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
  /** inside `inTime`: its loops stop in time */
  readonly timed: boolean;
}

/**
 * Of the time an invocation had when it began, the share a commit write keeps for what follows its last try
 * (the try itself, the signal, the events, the answer): 3 s of the API functions' 15 s.
 */
export const FINISH_SHARE = 0.2;

const current = new AsyncLocalStorage<Invocation>();

/**
 * Runs `work` as the invocation whose context is `clock`. A context without the clock (a test's or a
 * container's that calls the handler by hand; Lambda's always has it) gives the work all the time it wants,
 * as middy's early timeout does.
 */
export function withInvocationTime<T>(clock: Partial<InvocationClock>, work: () => Promise<T>): Promise<T> {
  if (typeof clock?.getRemainingTimeInMillis !== 'function') return work();
  const timed = clock as InvocationClock;
  return current.run({ clock: timed, startedWithMs: timed.getRemainingTimeInMillis(), timed: false }, work);
}

/**
 * Runs a request's commit write: its retries begin no try that might end past the invocation's timeout (the
 * caller answers as contention that did not clear, with nothing stored). Outside an invocation, as is.
 */
export function inTime<T>(work: () => Promise<T>): Promise<T> {
  const invocation = current.getStore();
  return invocation ? current.run({ ...invocation, timed: true }, work) : work();
}

/**
 * Runs `work` outside any invocation: what a request starts that outlives it (the local engine's executions,
 * which would otherwise carry the request's clock into every task they run).
 */
export function outsideInvocation<T>(work: () => T): T {
  return current.exit(work);
}

/**
 * Whether a wait of `waitMs` and one more try still leave the invocation its finishing share: false when the
 * try could end after the timeout. Always true outside `inTime` in an invocation.
 */
export function timeForAnotherTry(waitMs: number): boolean {
  const invocation = current.getStore();
  if (!invocation?.timed) return true;
  return invocation.clock.getRemainingTimeInMillis() - waitMs >= invocation.startedWithMs * FINISH_SHARE;
}
