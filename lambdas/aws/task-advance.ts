/** Lambda entry point: the Advance task state (lead-lifecycle.asl.json). Dependencies are built once, at init. */
import './shared/source-mapped-stacks.ts';
import { advance } from '../tasks/advance.ts';
import type { AdvanceInput, StepPayload } from '../tasks/payload.ts';
import { taskDeps } from './shared/task-deps.ts';

const deps = await taskDeps();

export const handler = (input: AdvanceInput): Promise<StepPayload> => advance(deps, input);
