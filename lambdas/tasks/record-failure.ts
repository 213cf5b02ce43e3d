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
import { executionName, type LeadState, withoutSignal, withTimeline } from '../domain/lead-state.ts';
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
      return undefined;
    }
    const count = (current.workflowError?.count ?? 0) + 1;
    retryAt = new Date(Date.parse(at) + retryDelayMs(count)).toISOString();
    // never terminal: the lead stays in the due index, and the reconciler restarts it at retryAt
    const { waitToken: _lost, ...rest } = withoutSignal(current);
    return withTimeline(
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
  await deps.notifier.opsAlert(
    `LeadPact: the workflow of lead ${input.leadId} failed (${error})`,
    `Lead ${input.leadId}, cycle ${input.cycle}, failed at ${at} with ${error}.\n\n${cause}\n\nThe lead's state is intact. The reconciler restarts its workflow at ${retryAt}, and later with growing waits while it keeps failing; fix the cause if it persists.`,
  );
  return 'recorded';
}
