/**
 * Lambda entry point: the Advance task state (lead-lifecycle.asl.json): a wake, and the handoff it leads to
 * (ADR 0049). Dependencies are built once, at init.
 * Its output goes to the Park state whatever the step (shared/step-task.ts, ADR 0036).
 */
import './shared/source-mapped-stacks.ts';
import { advanceStep } from '../tasks/advance-step.ts';
import { stepTask } from './shared/step-task.ts';
import { taskDeps } from './shared/task-deps.ts';

const deps = await taskDeps();

export const handler = stepTask(advanceStep, deps);
