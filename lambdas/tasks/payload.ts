import type { LeadState, SentEmail } from '../ports/lead-store.ts';

/**
 * What a wake decided and did not write (ADR 0025): the lead as the round left it, for the park to write
 * in its one conditional write together with its task token and deadline. Its outbox holds the round's
 * emails, claimed and recorded (domain/outbox.ts recordedClaims); the park sends them after the write.
 */
export interface PlannedWrite {
  /** the lead as planned; the park sets the token, the deadline, the generation and the next version
   * (its write is conditional on the step's `version`, the version read) */
  readonly state: LeadState;
  /**
   * how many of `state`'s timeline entries the version read held (only those may move off the state: ADR
   * 0021): its first ones, so the story's length of the read is timelineBase(state) + committed
   */
  readonly committed: number;
  /** the wake whose claims the write records (OutboxEntry.claim): the park sends them and marks them */
  readonly claim?: string;
}

/**
 * The data the state machine carries between states, at `$.Payload` (see
 * statemachines/lead-lifecycle.asl.json): small, because DynamoDB holds the state of record.
 */
export interface LeadRef {
  readonly leadId: string;
  readonly cycle: number;
  /** continue-as-new generation within the cycle */
  readonly generation: number;
  /** Advance runs in this execution so far */
  readonly loops: number;
  /** ISO: when this execution started (carried in the payload: the clock is the app's, not the engine's) */
  readonly startedAt: string;
}

export interface StepPayload extends LeadRef {
  readonly next: 'park' | 'end' | 'handoff' | 'continueAsNew';
  /** the phase a park waits in (null on a step that does not park: the Park state's input shows it) */
  readonly phase?: 'nurture' | 'contact' | 'deal' | 'coolOff' | null;
  /** the park's timeout: seconds until the next deadline (1 to MAX_PARK_SECONDS) */
  readonly waitSeconds?: number;
  /** the lead's version when the step decided: a park finding another version resumes at once */
  readonly version?: number;
  readonly nextGeneration?: number;
  readonly nextStartedAt?: string;
  /** what this step did, for the execution history (the lead's timeline has the detail) */
  readonly did?: readonly string[];
  /**
   * With `next: 'park'` (always present then: the ASL passes it on): emails this wake sent that no
   * write has recorded yet; the park records them in its own write.
   */
  readonly sent?: readonly SentEmail[];
  /** With `next: 'park'` (always present then, null when the wake changed nothing): the park's one write */
  readonly planned?: PlannedWrite | null;
}

export type AdvanceInput = LeadRef;

export interface ParkInput {
  readonly leadId: string;
  readonly cycle: number;
  /** the parking execution's generation: recorded on the lead for the reconciler */
  readonly generation?: number;
  /** the step's route: anything but 'park' fails the task with its route error (ADR 0036); absent: park */
  readonly next?: StepPayload['next'];
  readonly phase: string | null;
  readonly version: number;
  readonly waitSeconds: number;
  readonly taskToken: string;
  /** the wake's sent emails to record (StepPayload.sent); absent from callers older than the outbox */
  readonly sent?: readonly SentEmail[];
  /** the wake's change to write with the token (StepPayload.planned); absent from older callers */
  readonly planned?: PlannedWrite | null;
}

/**
 * Step Functions fails an execution whose state input or output passes 256 KiB (States.DataLimitExceeded,
 * a terminal error no Catch can take). A step carrying a planned write (the lead's state with its timeline
 * tail) stays under this budget, leaving room for what the states add around it; above it the wake writes
 * the change itself (tasks/advance.ts). The local engine enforces the 256 KiB (local/step-functions.ts).
 */
export const STEP_PAYLOAD_LIMIT_BYTES = 256 * 1024;
export const PLANNED_STEP_BUDGET_BYTES = 192 * 1024;

/** The size Step Functions counts: the JSON's UTF-8 bytes. */
export const payloadBytes = (payload: unknown): number =>
  Buffer.byteLength(JSON.stringify(payload) ?? '', 'utf8');

/**
 * The ASL has no Choice state (ADR 0036): Advance and Handoff always go on to the one Park state, and a step
 * that does not park leaves through the Park task's Catch. The Park function fails its task with the
 * step's route error, which the Catch follows (the Retry before it takes none of them).
 */
export const ROUTE_ERRORS = {
  handoff: 'LeadPact.Handoff',
  continueAsNew: 'LeadPact.ContinueAsNew',
  end: 'LeadPact.End',
} as const satisfies Record<Exclude<StepPayload['next'], 'park'>, string>;

/** The route error of a step that does not park; undefined for a park (or a caller older than the route). */
export const routeErrorOf = (next: StepPayload['next'] | undefined): string | undefined =>
  next === undefined || next === 'park' ? undefined : ROUTE_ERRORS[next];

/**
 * The Park state's timeout for a step that does not park: the Park function fails the task at once, so this
 * only fires when an invocation returns without using its token (a Park function older than the route,
 * after a rollback): Advance then runs and decides again. A throttled or failing invocation fails the task
 * instead (the Park state's Retry, then RecordFailure).
 */
export const ROUTE_TIMEOUT_SECONDS = 300;

/**
 * A task's output as the Park state reads it: every path its Parameters name is present on every step
 * (Step Functions fails the execution, States.Runtime, on a path that is missing). A step that parks has
 * them all already; the others get a null phase and plan, no sends, and the route timeout.
 */
export function routable(step: StepPayload): StepPayload {
  if (step.next === 'park') return step;
  return {
    ...step,
    phase: step.phase ?? null,
    waitSeconds: step.waitSeconds ?? ROUTE_TIMEOUT_SECONDS,
    version: step.version ?? 0,
    sent: step.sent ?? [],
    planned: step.planned ?? null,
  };
}

/** Continue as a new execution well before Step Functions' limits (1 year, 25,000 history events). */
export const MAX_LOOPS_PER_EXECUTION = 1500;
export const MAX_EXECUTION_AGE_MS = 300 * 86_400_000;
export const MAX_PARK_SECONDS = 30 * 86_400;

/**
 * The `msg` of the warning Advance logs when the handoff it runs fails and is left to the Handoff state
 * (advance-step.ts, ADR 0049): a metric filter on Advance's log group counts it (lib/alarms.ts), since no
 * Lambda error is counted for it.
 */
export const HANDOFF_FALLBACK_MESSAGE = 'advance: the handoff failed, the Handoff state takes it';

/**
 * The `msg` Advance logs instead when the handoff's email was refused for SES's sending rate (ADR 0051):
 * the Handoff state retries it on the throttle's schedule. Not counted by the alarm's filter.
 */
export const HANDOFF_THROTTLED_MESSAGE =
  'advance: the handoff email was throttled, the Handoff state sends it';
