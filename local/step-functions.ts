/**
 * Step Functions on a laptop: aws-local-stepfunctions runs statemachines/lead-lifecycle.asl.json
 * with its task states mapped to the same handler functions Lambda runs. Callback tasks
 * (.waitForTaskToken) are emulated by a token registry: the Park handler stores a token on the
 * lead, an API handler's signal resolves it, and the park's timeout is a timer on the local
 * scheduler (so `--speed` and manual time apply) that fails the task with States.Timeout,
 * exactly as AWS does.
 *
 * One adaptation, and why: the engine enforces task timeouts with real setTimeout (clamped
 * at ~24.8 days), so park states get no engine timeout here; the scheduler owns the timer.
 */
import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { outsideInvocation } from '../lambdas/ports/invocation-time.ts';
import { MAIL_THROTTLED } from '../lambdas/ports/mailer.ts';
import type { ParkOutcome } from '../lambdas/tasks/park.ts';
import {
  type AdvanceInput,
  type LeadRef,
  type ParkInput,
  payloadBytes,
  routable,
  routeErrorOf,
  STEP_PAYLOAD_LIMIT_BYTES,
  type StepPayload,
} from '../lambdas/tasks/payload.ts';
import type { EndedExecution, FailureInput } from '../lambdas/tasks/record-failure.ts';
import {
  LEAD_LIFECYCLE_PLACEHOLDERS,
  leadLifecycleAslText,
  substitutePlaceholders,
} from '../statemachines/lead-lifecycle.ts';
import type { Scheduler } from './scheduler.ts';

export interface LocalTaskFunctions {
  advance(input: AdvanceInput): Promise<StepPayload>;
  handoff(input: LeadRef): Promise<StepPayload>;
  park(input: ParkInput): Promise<ParkOutcome>;
  recordFailure(input: FailureInput): Promise<unknown>;
  /**
   * An execution ended FAILED: what EventBridge's rule on the state machine delivers to the
   * RecordFailure function on AWS (ADR 0038). Called after the end, retried a few times (EventBridge
   * retries for a day); the engine counts it as work until it answers.
   */
  executionEnded?(ended: EndedExecution): Promise<unknown>;
}

export type ExecutionStatus = 'RUNNING' | 'PARKED' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface LocalExecution {
  readonly name: string;
  readonly leadId: string;
  readonly cycle: number;
  readonly generation: number;
  status: ExecutionStatus;
  /** state names in the order entered */
  readonly statesVisited: string[];
  /**
   * per Park state entered, in order: the phase its input names for a wait, or null for a step it routes on
   * (ADR 0036). Read from the state's input as AWS's history shows it, so a retried Park is one entry.
   */
  readonly parkedIn: (string | null)[];
  /** number of StateEntered events: what AWS bills as state transitions */
  stateTransitions: number;
  readonly startedAt: Date;
  /** why it FAILED, for people: `<error>: <cause>` (a terminal error such as States.DataLimitExceeded, a Fail state) */
  error?: string;
  /**
   * why it FAILED, as Step Functions tells EventBridge (the event's `error` and `cause`): a Fail state's Error and
   * Cause, or the error no Catch took and its message
   */
  failure?: { readonly error: string; readonly cause: string };
}

/**
 * What the engine's rejection says of a failed run, as Step Functions tells it: the engine wraps the error
 * that ended the run (a Fail state's, named by its Error with its Cause as message; a task's) in its own.
 */
function failureOf(rejection: unknown): { error: string; cause: string } {
  const ended = rejection instanceof Error && rejection.cause instanceof Error ? rejection.cause : rejection;
  return ended instanceof Error
    ? { error: ended.name, cause: ended.message }
    : { error: 'States.Runtime', cause: String(ended) };
}

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxDelaySeconds?: number;
}
type StateDefinition = Record<string, unknown> & { Type: string; Resource?: string; Retry?: Retrier[] };

/**
 * How the engine waits between a task's retries. By default the ASL's schedule for a throttled send (ADR
 * 0051: what lets a burst through SES's rate, in real seconds as on AWS, since the emulator's rate is per
 * real second) and short constant waits for the others (enough for a busy dynalite to recover, short for
 * tests). `scale`: every retrier on the ASL's own schedule (interval, backoff, cap, jitter) with its
 * seconds multiplied by it: 0.1 runs AWS's timing ten times faster (a test pairs it with a send rate ten
 * times higher than the one it stands for).
 */
export interface RetryTiming {
  readonly scale?: number;
}

/** the constant waits (ms) of the retriers other than the throttled send's, by their order in the state */
const FAST_RETRY_MS = [50, 200, 800];

const ARN_PREFIX = 'arn:aws:lambda:us-east-1:000000000000:function:leadpact-local-';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:leadpact-lead-lifecycle';
/** the longest timeout setTimeout takes: park states get it so the engine never times them out first */
const ENGINE_PARK_TIMEOUT_SECONDS = 2_000_000;

/** What the state machine's role must allow before a task runs (IAM enforced; see the constructor). */
export interface StateMachineAuthorizer {
  /** lambda:InvokeFunction on the function the ASL names by this placeholder */
  invoke(placeholder: string): void;
  /** states:StartExecution on this state machine (ContinueAsNew) */
  startExecution(): void;
}

/** The ASL placeholder (AdvanceFunctionArn, ...) a local function ARN stands for. */
function placeholderOf(functionName: string): string {
  return functionName.startsWith(ARN_PREFIX) ? functionName.slice(ARN_PREFIX.length) : functionName;
}

/** The ASL as deployed, with local ARNs, and park timeouts left to the scheduler. */
export function localDefinition(): {
  definition: Record<string, unknown>;
  parkStates: string[];
  taskStates: string[];
} {
  const values = Object.fromEntries(
    LEAD_LIFECYCLE_PLACEHOLDERS.map((name) => [name, `${ARN_PREFIX}${name}`]),
  );
  const definition = JSON.parse(substitutePlaceholders(leadLifecycleAslText(), values)) as {
    States: Record<string, StateDefinition>;
  };
  const parkStates: string[] = [];
  const taskStates: string[] = [];
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    taskStates.push(name);
    if (state.Resource?.endsWith('.waitForTaskToken')) {
      parkStates.push(name);
      delete state.TimeoutSecondsPath;
      state.TimeoutSeconds = ENGINE_PARK_TIMEOUT_SECONDS;
    }
  }
  return { definition, parkStates, taskStates };
}

/** A Park state's input: the phase of a step that waits, null for one the Park routes on (ADR 0036). */
function parkedPhase(input: unknown): string | null {
  const step = (input as { Payload?: Partial<StepPayload> } | undefined)?.Payload;
  return step && !routeErrorOf(step.next) ? String(step.phase) : null;
}

/** Whether an execution is alive (running or parked): an ended one stays as it ended, a stopped one ABORTED. */
const alive = (status: ExecutionStatus): boolean => status === 'RUNNING' || status === 'PARKED';

/**
 * An execution as the engine keeps it: `tasksRunning` counts its task handlers still at work. A stopped
 * execution's handler goes on (a Lambda is not interrupted): its writes and sends are under way.
 */
type Tracked = LocalExecution & { abort: () => void; tasksRunning: number };

/**
 * Whether an execution holds one of the engine's busy count: while it runs, and once ended (stopped) while
 * a task handler of it is still at work. A parked one holds none.
 */
const holdsBusy = (execution: Tracked): boolean =>
  alive(execution.status) ? execution.status === 'RUNNING' : execution.tasksRunning > 0;

/**
 * What a stopped execution's task answers (a park dropped by the stop, a task the engine would start or retry
 * after it): not retryable, so the engine, which goes on retrying after an abort, runs nothing more of it.
 */
function stoppedError(): Error {
  const error = Object.assign(new Error('execution stopped'), { name: 'ExecutionAborted' });
  Object.defineProperty(error, 'isRetryable', { value: false });
  return error;
}

interface Parked {
  readonly execution: string;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer: () => void;
}

export class LocalStepFunctions {
  private machine: StateMachine;
  private readonly parkStates: string[];
  private readonly taskStates: string[];
  private readonly executions = new Map<string, Tracked>();
  private readonly parked = new Map<string, Parked>();
  /** tokens of parks whose handler is still running (its write landed, its sends under way) */
  private readonly arming = new Map<
    string,
    { readonly execution: string; signalled?: { output: unknown } }
  >();
  /** executions holding busy (holdsBusy) and execution ends being told: kept by change() and tellEnded */
  private busy = 0;
  private idleWaiters: (() => void)[] = [];
  /** executions running or parked, kept as they change (active() walks every execution ever started) */
  private open = 0;

  constructor(
    private readonly tasks: LocalTaskFunctions,
    private readonly scheduler: Scheduler,
    /**
     * IAM enforced (`leadpact dev --iam enforce`): what the state machine's own role is asked for before
     * each task runs, as Step Functions asks it: lambda:InvokeFunction on the task's function (named by
     * its ASL placeholder, e.g. AdvanceFunctionArn), states:StartExecution for ContinueAsNew. Throws
     * AccessDeniedException when the role does not allow it: the task fails as on AWS.
     */
    private readonly authorize?: StateMachineAuthorizer,
    retryTiming: RetryTiming = {},
    /**
     * The account's Lambda concurrency, as Lambda enforces it on a synchronous invoke: a task invoked while
     * this many task invocations run is refused with Lambda.TooManyRequestsException (AWS: 1,000 by
     * default, 10 on many new accounts). Off by default; only the workflow's tasks count (the API's
     * handlers run outside the engine).
     */
    private readonly lambdaConcurrency?: number,
  ) {
    const { definition, parkStates, taskStates } = localDefinition();
    this.machine = new StateMachine(definition as never, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
    const { scale } = retryTiming;
    if (scale !== undefined) {
      if (!(scale > 0)) throw new RangeError(`a retry scale must be above 0, not ${scale}`);
      // the same definition, validated above, with its retry seconds scaled (fractions ASL would refuse)
      for (const state of Object.values((definition as { States: Record<string, StateDefinition> }).States))
        for (const retrier of state.Retry ?? []) {
          retrier.IntervalSeconds = (retrier.IntervalSeconds ?? 1) * scale;
          if (retrier.MaxDelaySeconds !== undefined) retrier.MaxDelaySeconds *= scale;
        }
      this.machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
    }
    this.retryOverrides = Object.fromEntries(
      Object.entries((definition as { States: Record<string, StateDefinition> }).States).map(
        ([name, state]) => {
          let fast = 0;
          // -1: the ASL's schedule (the engine's own backoff and jitter)
          const waits = (state.Retry ?? []).map((retrier) => {
            if (scale !== undefined || retrier.ErrorEquals.includes(MAIL_THROTTLED)) return -1;
            // Lambda's concurrency (lambdaConcurrency, a test's injected throttle): as short as Lambda's faults
            if (retrier.ErrorEquals.includes('Lambda.TooManyRequestsException')) return FAST_RETRY_MS[0]!;
            return FAST_RETRY_MS[fast++] ?? 800;
          });
          return [name, waits];
        },
      ),
    );
    this.parkStates = parkStates;
    this.taskStates = taskStates;
  }

  private readonly retryOverrides: Record<string, number[]>;
  /** task invocations running now (lambdaConcurrency) */
  private invocations = 0;

  /** Runs a task's Lambda invocation, refused as Lambda refuses one past the concurrency. */
  private async invoking<T>(invoke: () => Promise<T>): Promise<T> {
    if (this.lambdaConcurrency !== undefined && this.invocations >= this.lambdaConcurrency)
      throw Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
    this.invocations++;
    try {
      return await invoke();
    } finally {
      this.invocations--;
    }
  }

  /** Starts an execution unless one of that name exists (names are idempotent, as in AWS). */
  startExecution(name: string, payload: LeadRef): boolean {
    if (this.executions.has(name)) return false;
    const overrides: Record<string, (input: never) => Promise<unknown>> = {};
    // Step Functions' payload quota, which no Catch can take: the execution fails (as on AWS)
    const limited = <T>(what: string, payload: T): T => {
      const bytes = payloadBytes(payload);
      if (bytes <= STEP_PAYLOAD_LIMIT_BYTES) return payload;
      const execution = this.executions.get(name);
      const cause = `${what} is ${bytes} bytes, over the quota of ${STEP_PAYLOAD_LIMIT_BYTES}`;
      if (execution) execution.failure = { error: 'States.DataLimitExceeded', cause };
      execution?.abort();
      throw Object.assign(new Error(cause), { name: 'States.DataLimitExceeded' });
    };
    const lambda =
      <I, O>(fn: (input: I) => Promise<O>) =>
      async (input: { FunctionName: string; Payload: I }) => {
        this.authorize?.invoke(placeholderOf(input.FunctionName));
        return limited(`the output of ${placeholderOf(input.FunctionName).replace(/FunctionArn$/, '')}`, {
          Payload: await this.task(name, () => fn(input.Payload)),
          StatusCode: 200,
        });
      };
    // their output goes to the Park state whatever the step, as the Lambda entry points give it (ADR 0036)
    overrides.Advance = lambda(async (input: AdvanceInput) =>
      routable(await this.tasks.advance(input)),
    ) as never;
    overrides.Handoff = lambda(async (input: LeadRef) => routable(await this.tasks.handoff(input))) as never;
    overrides.RecordFailure = lambda((input: FailureInput) => this.tasks.recordFailure(input)) as never;
    overrides.ContinueAsNew = (async (input: { Name: string; Input: { Payload: LeadRef } }) => {
      if (this.stopped(name)) throw stoppedError();
      this.authorize?.startExecution();
      this.startExecution(input.Name, input.Input.Payload);
      return { ExecutionArn: `${STATE_MACHINE_ARN}:${input.Name}` };
    }) as never;
    for (const state of this.parkStates) {
      overrides[state] = (async (input: { FunctionName: string; Payload: Omit<ParkInput, 'taskToken'> }) => {
        this.authorize?.invoke(placeholderOf(input.FunctionName));
        return this.park(name, limited(`the input of ${state}`, input.Payload));
      }) as never;
    }
    // real-time backoff (not virtual): see RetryTiming
    const retryIntervalOverrides = Object.fromEntries(
      this.taskStates.map((state) => [state, this.retryOverrides[state] ?? FAST_RETRY_MS]),
    );

    const startedAt = this.scheduler.now();
    const execution: Tracked = {
      name,
      leadId: payload.leadId,
      cycle: payload.cycle,
      generation: payload.generation,
      status: 'RUNNING',
      statesVisited: [],
      parkedIn: [],
      stateTransitions: 0,
      startedAt,
      // the run's, once started
      abort: () => undefined,
      tasksRunning: 0,
    };
    // known before the run starts: the engine may call its first task before run() returns
    this.executions.set(name, execution);
    this.open++;
    this.busy++;
    // the execution outlives the request that started it: none of its tasks runs on that request's clock
    const run = outsideInvocation(() =>
      this.machine.run({ Payload: { ...payload } } as never, {
        overrides: { taskResourceLocalHandlers: overrides as never, retryIntervalOverrides },
        noThrowOnAbort: true,
        context: {
          Execution: {
            Id: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`,
            Name: name,
            Input: { Payload: { ...payload } },
            StartTime: startedAt.toISOString(),
          },
          StateMachine: { Id: STATE_MACHINE_ARN, Name: 'leadpact-lead-lifecycle' },
          // the park handler mints its own token per park; the engine only needs the path to resolve
          Task: { Token: 'local' },
        },
      }),
    );
    execution.abort = run.abort;
    void (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') {
          execution.stateTransitions++;
          if (execution.statesVisited.length < 5000) execution.statesVisited.push(event.state.name);
          if (this.parkStates.includes(event.state.name) && execution.parkedIn.length < 5000)
            execution.parkedIn.push(parkedPhase(event.state.input));
        }
      }
    })().catch(() => undefined);
    const failed = (failure: { error: string; cause: string }) => {
      // stopped: it stays ABORTED
      if (!alive(execution.status)) return;
      execution.failure ??= failure;
      execution.error ??= `${execution.failure.error}: ${execution.failure.cause}`;
      console.error(
        JSON.stringify({
          level: 'error',
          msg: 'local execution failed',
          execution: name,
          error: execution.error,
        }),
      );
      this.finish(execution, 'FAILED');
    };
    run.result.then(
      () => {
        // a terminal error (the payload quota) aborted the run: no Catch took it
        if (execution.failure) failed(execution.failure);
        else this.finish(execution, 'SUCCEEDED');
      },
      (error: unknown) => failed(failureOf(error)),
    );
    return true;
  }

  /** SendTaskSuccess: wakes the parked execution holding `token`; false when no park holds it. */
  sendTaskSuccess(token: string, output: unknown = {}): boolean {
    const parked = this.parked.get(token);
    if (!parked) {
      // the park's write holds the token already, its sends are still under way: as on AWS, where the
      // token is live from the task's start, the signal counts (the park resumes once it is done)
      const arming = this.arming.get(token);
      if (!arming || arming.signalled) return false;
      arming.signalled = { output };
      return true;
    }
    this.parked.delete(token);
    parked.cancelTimer();
    this.wake(parked.execution);
    parked.resolve(output);
    return true;
  }

  /**
   * StopExecution: aborts it and drops its park and its token (a signal then reaches nobody, as on AWS). Its
   * task handler still at work (a park being armed, an Advance) keeps the engine busy until it returns; nothing
   * of the execution runs after that (see task()).
   */
  stopExecution(name: string): boolean {
    const execution = this.executions.get(name);
    if (!execution || !alive(execution.status)) return false;
    const stopped: Parked[] = [];
    for (const [token, parked] of this.parked) {
      if (parked.execution === name) {
        this.parked.delete(token);
        parked.cancelTimer();
        stopped.push(parked);
      }
    }
    for (const [token, arming] of this.arming) if (arming.execution === name) this.arming.delete(token);
    this.moveTo(execution, 'ABORTED');
    execution.abort();
    // settle the park too: the engine clears its own task timer only when the task settles
    for (const parked of stopped) parked.reject(stoppedError());
    return true;
  }

  /**
   * Forgets an execution that ended, as Step Functions does 90 days after it ended (its name then answers
   * ExecutionDoesNotExist); false when it is still alive or unknown. Tests use it to age executions.
   */
  purge(name: string): boolean {
    const execution = this.executions.get(name);
    if (!execution || execution.status === 'RUNNING' || execution.status === 'PARKED') return false;
    this.executions.delete(name);
    return true;
  }

  execution(name: string): LocalExecution | undefined {
    return this.executions.get(name);
  }

  executionsOf(leadId: string): LocalExecution[] {
    return [...this.executions.values()].filter((execution) => execution.leadId === leadId);
  }

  /** how many executions are alive (running or parked): what AWS bills nothing for, and the simulator's peak */
  get openExecutions(): number {
    return this.open;
  }

  /** every execution started, in start order (finished ones included) */
  allExecutions(): IterableIterator<LocalExecution> {
    return this.executions.values();
  }

  /** executions still alive (running or parked) */
  active(): LocalExecution[] {
    return [...this.executions.values()].filter((e) => e.status === 'RUNNING' || e.status === 'PARKED');
  }

  /** whether no execution is running now (every one parked or finished, no end being told) */
  isIdle(): boolean {
    return this.busy === 0;
  }

  /** Resolves once no execution is running (all parked or finished). */
  settle(): Promise<void> {
    if (this.busy === 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async park(executionName: string, input: Omit<ParkInput, 'taskToken'>): Promise<unknown> {
    // a step that does not park: its route error, as the Park function's SendTaskFailure gives it
    const route = routeErrorOf(input.next);
    if (route)
      throw Object.assign(new Error(`the step goes on to ${input.next}, not to a park`), { name: route });
    if (this.stopped(executionName)) throw stoppedError();
    const taskToken = `local-${randomUUID()}`;
    const arming: { readonly execution: string; signalled?: { output: unknown } } = {
      execution: executionName,
    };
    this.arming.set(taskToken, arming);
    let outcome: ParkOutcome;
    try {
      outcome = await this.task(executionName, () => this.tasks.park({ ...input, taskToken }));
    } finally {
      this.arming.delete(taskToken);
    }
    // stopped while the handler ran (an erase at the park's write): no park, no timer, it stays ABORTED
    const execution = this.executions.get(executionName);
    if (!execution || !alive(execution.status)) throw stoppedError();
    if (outcome !== 'parked') return {};
    if (arming.signalled) return arming.signalled.output;
    return new Promise((resolve, reject) => {
      const wakeAt = new Date(this.scheduler.now().getTime() + input.waitSeconds * 1000);
      const cancelTimer = this.scheduler.at(wakeAt, () => {
        if (!this.parked.delete(taskToken)) return;
        this.wake(executionName);
        const timeout = new Error('the park timed out: the next deadline is due');
        timeout.name = 'States.Timeout';
        // as in AWS, a timeout goes to Catch, not to the States.TaskFailed retrier
        Object.defineProperty(timeout, 'isRetryable', { value: false });
        reject(timeout);
      });
      this.parked.set(taskToken, { execution: executionName, resolve, reject, cancelTimer });
      this.moveTo(execution, 'PARKED');
    });
  }

  /** whether the execution has ended (stopped) or is gone: none of its tasks may run */
  private stopped(executionName: string): boolean {
    const execution = this.executions.get(executionName);
    return !execution || !alive(execution.status);
  }

  /**
   * Runs a task handler of an execution, counted on it (holdsBusy). Refused for a stopped execution: the
   * engine starts the next task, or retries a failed one, after an abort; on AWS nothing runs after a stop.
   */
  private async task<T>(executionName: string, invoke: () => Promise<T>): Promise<T> {
    const execution = this.executions.get(executionName);
    if (!execution || !alive(execution.status)) throw stoppedError();
    this.change(execution, () => execution.tasksRunning++);
    try {
      return await this.invoking(invoke);
    } finally {
      this.change(execution, () => execution.tasksRunning--);
    }
  }

  private wake(executionName: string): void {
    const execution = this.executions.get(executionName);
    if (execution?.status === 'PARKED') this.moveTo(execution, 'RUNNING');
  }

  private finish(execution: Tracked, status: ExecutionStatus): void {
    // stopped already: it stays ABORTED (the stop did its bookkeeping)
    if (!alive(execution.status)) return;
    // told before the execution lets go of busy: settle() waits for the telling too
    if (status === 'FAILED') this.tellEnded(execution, status);
    this.moveTo(execution, status);
  }

  /**
   * The one way an alive execution's status changes: an ended one stays as it ended (a stopped one ABORTED,
   * whatever its park, a signal, its timer or its task does after the stop). False when it had ended.
   */
  private moveTo(execution: Tracked, status: ExecutionStatus): boolean {
    if (!alive(execution.status)) return false;
    this.change(execution, () => {
      execution.status = status;
    });
    return true;
  }

  /** Applies a change to an execution, and keeps `open` and `busy` to what it holds before and after. */
  private change(execution: Tracked, apply: () => void): void {
    const [wasOpen, wasBusy] = [alive(execution.status), holdsBusy(execution)];
    apply();
    const [isOpen, isBusy] = [alive(execution.status), holdsBusy(execution)];
    if (wasOpen !== isOpen) this.open += isOpen ? 1 : -1;
    if (!wasBusy && isBusy) this.busy++;
    else if (wasBusy && !isBusy) this.idle();
  }

  /** As Step Functions tells EventBridge of an execution that failed, for the rule of ADR 0038. */
  private tellEnded(execution: LocalExecution, status: 'FAILED'): void {
    const { executionEnded } = this.tasks;
    if (!executionEnded) return;
    this.busy++;
    const ended: EndedExecution = {
      name: execution.name,
      status,
      // as Step Functions' event: the Fail state's Error (LeadWorkflowFailed: the Catch recorded and alerted,
      // ADR 0038's amendment) or the error that ended the run, and its cause
      ...(execution.failure ? { error: execution.failure.error, cause: execution.failure.cause } : {}),
    };
    void (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await executionEnded(ended);
          return;
        } catch (error) {
          if (attempt >= 4) {
            console.error(
              JSON.stringify({
                level: 'error',
                msg: 'local: execution end not recorded',
                execution: execution.name,
                error: String(error),
              }),
            );
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 50 * 4 ** attempt));
        }
      }
    })().finally(() => this.idle());
  }

  private idle(): void {
    this.busy = Math.max(0, this.busy - 1);
    if (this.busy > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    // let the engine's own continuation run first
    setImmediate(() => {
      for (const resolve of waiters) resolve();
    });
  }
}
