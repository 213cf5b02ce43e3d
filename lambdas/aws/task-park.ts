/**
 * Lambda entry point: the Park state (`lambda:invoke.waitForTaskToken`). Writes the wake's change with
 * the task token and sends the emails it claimed (ADR 0025), or stores the token alone; resumes the
 * execution itself when the lead changed meanwhile or is gone, and routes a step that does not park
 * (ADR 0036; shared/park-callback.ts).
 */
import './shared/source-mapped-stacks.ts';
import type { ParkInput } from '../tasks/payload.ts';
import { parkOrResume } from './shared/park-callback.ts';
import { taskDeps } from './shared/task-deps.ts';
import { resumeExecution, routeExecution, sfnClient } from './shared/workflow.ts';

const deps = await taskDeps();
const client = sfnClient();

const callbacks = {
  resume: (token: string) => resumeExecution(client, token),
  route: (token: string, error: string, cause: string) => routeExecution(client, token, error, cause),
};

export const handler = (input: ParkInput) => parkOrResume(deps, callbacks, input);
