/** Lambda entry point: the RecordFailure state (the Catch path). Dependencies are built once, at init. */
import './shared/source-mapped-stacks.ts';
import { type FailureInput, recordFailure } from '../tasks/record-failure.ts';
import { failureDeps } from './shared/task-deps.ts';

const deps = failureDeps();

export const handler = (input: FailureInput): Promise<void> => recordFailure(deps, input);
