/**
 * Lambda entry point: the RecordFailure state (the Catch path), and the EventBridge rule on the state
 * machine's executions that fail, time out or are stopped (ADR 0038). Dependencies are built once, at init.
 */
import './shared/source-mapped-stacks.ts';
import {
  type EndedExecution,
  type FailureInput,
  type Recorded,
  recordEndedExecution,
  recordFailure,
} from '../tasks/record-failure.ts';
import { failureDeps } from './shared/task-deps.ts';

const deps = failureDeps();

/** What EventBridge delivers: "Step Functions Execution Status Change", the execution in `detail`. */
interface ExecutionStatusChange {
  readonly 'detail-type': string;
  readonly detail: EndedExecution;
}

export const handler = (input: FailureInput | ExecutionStatusChange): Promise<Recorded> =>
  'detail' in input ? recordEndedExecution(deps, input.detail) : recordFailure(deps, input);
