/**
 * Lambda entry point: the ParkIn* states (`lambda:invoke.waitForTaskToken`). Writes the wake's change with
 * the task token and sends the emails it claimed (ADR 0025), or stores the token alone; resumes the
 * execution itself when the lead changed meanwhile or is gone (shared/park-callback.ts).
 */
import './shared/source-mapped-stacks.ts';
import type { ParkInput } from '../tasks/payload.ts';
import { parkOrResume } from './shared/park-callback.ts';
import { taskDeps } from './shared/task-deps.ts';
import { resumeExecution, sfnClient } from './shared/workflow.ts';

const deps = await taskDeps();
const client = sfnClient();

export const handler = (input: ParkInput) =>
  parkOrResume(deps, (token) => resumeExecution(client, token), input);
