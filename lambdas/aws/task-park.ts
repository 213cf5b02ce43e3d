/**
 * Lambda entry point: the ParkIn* states (`lambda:invoke.waitForTaskToken`). Stores the task token on the
 * lead; resumes the execution itself when the lead changed meanwhile or is gone (shared/park-callback.ts).
 */
import './shared/source-mapped-stacks.ts';
import { systemClock } from '../ports/clock.ts';
import type { ParkInput } from '../tasks/payload.ts';
import { parkOrResume } from './shared/park-callback.ts';
import { leadStore } from './shared/store.ts';
import { resumeExecution, sfnClient } from './shared/workflow.ts';

const deps = { store: leadStore(), clock: systemClock };
const client = sfnClient();

export const handler = (input: ParkInput) =>
  parkOrResume(deps, (token) => resumeExecution(client, token), input);
