/** Lambda entry point: the Handoff task state (lead-lifecycle.asl.json). Dependencies are built once, at init. */
import './shared/source-mapped-stacks.ts';
import { handoff } from '../tasks/handoff.ts';
import type { LeadRef, StepPayload } from '../tasks/payload.ts';
import { taskDeps } from './shared/task-deps.ts';

const deps = await taskDeps();

export const handler = (input: LeadRef): Promise<StepPayload> => handoff(deps, input);
