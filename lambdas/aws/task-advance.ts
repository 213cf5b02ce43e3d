/**
 * Lambda entry point: the Advance task state (lead-lifecycle.asl.json). Dependencies are built once, at init.
 * Its output goes to the Park state whatever the step (routable: ADR 0036).
 */
import './shared/source-mapped-stacks.ts';
import { advance } from '../tasks/advance.ts';
import { type AdvanceInput, routable, type StepPayload } from '../tasks/payload.ts';
import { taskDeps } from './shared/task-deps.ts';

const deps = await taskDeps();

export const handler = async (input: AdvanceInput): Promise<StepPayload> =>
  routable(await advance(deps, input));
