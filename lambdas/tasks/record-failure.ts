/**
 * The state machine's Catch path: record the error on the lead (its state of record stays as
 * it was), schedule the retry (the lead's due time: the reconciler restarts it then, with a
 * growing wait while it keeps failing) and alert ops. Error detail goes to ops, never personal
 * data to the logs.
 *
 * The same record for an execution that ended without it (ADR 0038, `recordEndedExecution`): Step
 * Functions tells EventBridge of every execution that fails or times out, whatever the Catch did. An error
 * no Catch takes (States.Runtime, States.DataLimitExceeded), a RecordFailure that failed too: the lead is
 * recorded as failed and due, so the reconciler restarts it, and ops are alerted. An execution that ended
 * in the Fail state (LEAD_WORKFLOW_FAILED: the Catch recorded AND alerted), one that is not the lead's
 * current one, and an erased lead are left alone. One whose failure is recorded already (a retry of the
 * event path whose alert failed; a Catch that recorded and could not alert) is alerted again, not counted
 * again. A stopped execution (ABORTED: erase stops it before it erases) is not a failure: the lead keeps
 * the due time it had.
 */
import {
  executionName,
  inStoryOrder,
  type LeadState,
  withoutSignal,
  withTimeline,
} from '../domain/lead-state.ts';
import { updateLead } from '../ports/lead-store.ts';
import { MAIL_THROTTLED } from '../ports/mailer.ts';
import type { TaskDeps } from './deps.ts';

export interface FailureInput {
  readonly leadId: string;
  readonly cycle: number;
  /** the failed execution's generation: the reconciler restarts the lead as the next one */
  readonly generation?: number;
  readonly error: { readonly Error?: string; readonly Cause?: string };
}

/** The first retry after a failure; each failure in a row doubles it, up to RETRY_MAX_MS. */
export const RETRY_FIRST_MS = 5 * 60_000;
export const RETRY_MAX_MS = 6 * 3_600_000;

/** the failures in a row that email ops while the error stays the same: the first, then 8, 16, 32, ... */
function isAlertedCount(count: number): boolean {
  return count === 1 || (count >= 8 && Number.isInteger(Math.log2(count)));
}

function nextAlertedCount(count: number): number {
  return count < 8 ? 8 : 2 ** (Math.floor(Math.log2(count)) + 1);
}

/** When the reconciler retries a lead after its `count`-th failure in a row. */
export function retryDelayMs(count: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, count - 1));
}

/**
 * An execution of the lead state machine that ended other than by succeeding, as Step Functions tells
 * EventBridge ("Step Functions Execution Status Change", its `detail`), or the local engine.
 */
export interface EndedExecution {
  /** the execution's name: `<leadId>-c<cycle>-g<generation>` (executionName) */
  readonly name: string;
  /** FAILED or TIMED_OUT (ABORTED is ignored) */
  readonly status: string;
  readonly error?: string | null;
  readonly cause?: string | null;
}

export type Recorded = 'recorded' | 'ignored';

/**
 * The Error of the state machine's `Failed` state, which only RecordFailure leads to: an execution that
 * ends with it had its failure recorded AND alerted by the Catch path (statemachines/lead-lifecycle.asl.json
 * names it too, as deployed; test/workflow/asl.test.ts holds them equal).
 */
export const LEAD_WORKFLOW_FAILED = 'LeadWorkflowFailed';

export async function recordFailure(deps: TaskDeps, input: FailureInput): Promise<Recorded> {
  return record(deps, input, executionName(input.leadId, input.cycle, input.generation ?? 0));
}

/**
 * The record and the alert of an execution that ended without succeeding, unless the Catch made both (it
 * then ended in the Fail state): recorded once, alerted each time it is told (see above).
 */
export async function recordEndedExecution(deps: TaskDeps, ended: EndedExecution): Promise<Recorded> {
  const ref = /^(.+)-c(\d+)-g(\d+)$/.exec(ended.name);
  if (!ref || ended.status === 'ABORTED' || ended.status === 'SUCCEEDED') return 'ignored';
  // the Catch path recorded and alerted: only its RecordFailure, once it answered, leads to the Fail state
  if (ended.error === LEAD_WORKFLOW_FAILED) return 'ignored';
  const [, leadId, cycle, generation] = ref;
  const input: FailureInput = {
    leadId: leadId!,
    cycle: Number(cycle),
    generation: Number(generation),
    error: {
      Error: ended.error || (ended.status === 'TIMED_OUT' ? 'States.Timeout' : 'States.Failed'),
      Cause:
        ended.cause ||
        `the execution ${ended.status.toLowerCase().replace('_', ' ')} without recording why on the lead`,
    },
  };
  return record(
    deps,
    input,
    ended.name,
    (current) =>
      // the lead's current execution (before the name was recorded: its generation); recorded already or not
      (current.execution ?? executionName(current.leadId, current.cycle, current.generation ?? 0)) ===
      ended.name,
  );
}

async function record(
  deps: TaskDeps,
  input: FailureInput,
  execution: string,
  applies: (current: LeadState) => boolean = () => true,
): Promise<Recorded> {
  let at = deps.clock.now().toISOString();
  let error = input.error.Error ?? 'unknown';
  let cause = (input.error.Cause ?? '').slice(0, 2000);
  let retryAt = at;
  /**
   * this execution's failure is recorded already: a retry of the Catch's task (its alert failed, its answer
   * was lost), a retry of the event path (its alert failed), the event after a Catch that could not alert
   */
  let again = false;
  /** the failures in a row as recorded, and whether the one before failed with another error */
  let count = 1;
  let changed = true;
  const saved = await updateLead(deps.store, input.leadId, (current) => {
    if (current.cycle !== input.cycle || current.erasedAt || !applies(current)) return undefined;
    // an execution fails once: counted again, the retry wait would double and the story tell two failures
    const recorded = current.workflowError;
    if (recorded?.execution === execution) {
      again = true;
      retryAt = current.dueAt ?? retryAt;
      // the alert tells the failure as recorded (the event after a Catch that could not alert carries the
      // error of RecordFailure, not the lead's)
      ({ at, error, cause } = recorded);
      count = recorded.count ?? 1;
      return undefined;
    }
    count = (current.workflowError?.count ?? 0) + 1;
    changed = current.workflowError?.error !== error;
    retryAt = new Date(Date.parse(at) + retryDelayMs(count)).toISOString();
    // never terminal: the lead stays in the due index, and the reconciler restarts it at retryAt
    const { waitToken: _lost, ...rest } = withoutSignal(current);
    // its entry no earlier than the story this try commits on (ADR 0091, amended)
    return inStoryOrder(
      current,
      withTimeline(
        {
          ...rest,
          workflowError: { at, error, cause, count, execution },
          dueAt: retryAt,
          ...(input.generation === undefined ? {} : { generation: input.generation }),
        },
        {
          at,
          kind: 'failure',
          by: 'workflow',
          reasons: [
            {
              rule: 'workflow.failure',
              detail: `${error}: the workflow stopped (failure ${count} in a row); retried at ${retryAt}`,
            },
          ],
        },
      ),
    );
  });
  // a retry still alerts: the alert of the attempt that recorded it may be what failed
  if (saved?.result !== 'saved' && !again) return 'ignored';
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'lead workflow failed',
      leadId: input.leadId,
      cycle: input.cycle,
      execution,
      error,
    }),
  );
  // SES's rate or quota outlasted the throttle's retries (ADR 0051): an email to ops would be refused as
  // well, and a burst would send one per lead; the failed-executions alarm and this log tell it
  if (error === MAIL_THROTTLED) return 'recorded';
  // a lead failing the same way at every restart (5 minutes doubling to 6 hours: ~9 a day at first) tells ops
  // at its failures 1, 8, 16, 32, ... and whenever the error changes: hundreds of leads stranded by one cause
  // (a rollback past the migration) are not an email each per retry. Each failure is still logged, recorded on
  // the lead, and counted by the failed-executions alarm. A retry of the alert itself alerts
  if (!again && !changed && !isAlertedCount(count)) return 'recorded';
  const inARow = count > 1 ? ` ${count} times in a row` : '';
  await deps.notifier.opsAlert(
    `LeadPact: the workflow of lead ${input.leadId} failed${inARow} (${error})`,
    `Lead ${input.leadId}, cycle ${input.cycle}, failed at ${at} with ${error}${inARow ? ` (failure ${count} in a row)` : ''}.\n\n${cause}\n\nThe lead's state is intact. The reconciler restarts its workflow at ${retryAt}, and later with growing waits while it keeps failing; fix the cause if it persists. While it fails the same way, the next email about it comes at failure ${nextAlertedCount(count)}.`,
  );
  return 'recorded';
}
