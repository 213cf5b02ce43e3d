/**
 * Lambda entry point: the Handoff task state (lead-lifecycle.asl.json). Dependencies are built once, at init.
 * Its output goes to the Park state whatever the step (shared/step-task.ts, ADR 0036).
 */
import './shared/source-mapped-stacks.ts';
import { handoff } from '../tasks/handoff.ts';
import { stepTask } from './shared/step-task.ts';
import { taskDeps } from './shared/task-deps.ts';

const deps = await taskDeps();

export const handler = stepTask(handoff, deps);
