/**
 * Lambda entry point: the Advance task state (lead-lifecycle.asl.json). Dependencies are built once, at init.
 * Its output goes to the Park state whatever the step (shared/step-task.ts, ADR 0036).
 */
import './shared/source-mapped-stacks.ts';
import { advance } from '../tasks/advance.ts';
import { stepTask } from './shared/step-task.ts';
import { taskDeps } from './shared/task-deps.ts';

const deps = await taskDeps();

export const handler = stepTask(advance, deps);
