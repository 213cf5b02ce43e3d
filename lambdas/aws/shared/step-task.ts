/**
 * The Advance and Handoff functions' handler (ADR 0036): the task's step as the Park state reads it. The ASL
 * has no Choice, so every step goes on to Park, whose Parameters read their paths on every step, parked or
 * not (`routable`); a missing one fails the execution (States.Runtime), which no Catch takes. One function
 * for both entry points, so the tests of this glue are the tests of what Lambda runs.
 */
import type { TaskDeps } from '../../tasks/deps.ts';
import { routable, type StepPayload } from '../../tasks/payload.ts';

export const stepTask =
  <I>(task: (deps: TaskDeps, input: I) => Promise<StepPayload>, deps: TaskDeps) =>
  async (input: I): Promise<StepPayload> =>
    routable(await task(deps, input));
