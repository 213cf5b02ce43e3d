/**
 * statemachines/lead-lifecycle.asl.json, read as data: placeholders, JSONPath only, retries and catches on
 * every task, one park state whose timeout is the next deadline and whose Catch routes every step the
 * tasks return, and the whole graph reachable. asl-validator (the ASL JSON schemas and transition checks) runs on
 * the file as deployed and as run locally. No engine runs here.
 */
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { MAIL_THROTTLED } from '../../lambdas/ports/mailer.ts';
import {
  ROUTE_ERRORS,
  ROUTE_TIMEOUT_SECONDS,
  routable,
  routeErrorOf,
  type StepPayload,
} from '../../lambdas/tasks/payload.ts';
import { LEAD_WORKFLOW_FAILED } from '../../lambdas/tasks/record-failure.ts';
import { localDefinition } from '../../local/step-functions.ts';
import {
  LEAD_LIFECYCLE_PLACEHOLDERS,
  leadLifecycleAslText,
  placeholdersIn,
  substitutePlaceholders,
} from '../../statemachines/lead-lifecycle.ts';

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
}
interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}
interface ChoiceRule {
  Variable: string;
  StringEquals: string;
  Next: string;
}
interface State {
  Type: string;
  Error?: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: ChoiceRule[];
  Retry?: Retrier[];
  Catch?: Catcher[];
  TimeoutSecondsPath?: string;
  TimeoutSeconds?: number;
  ResultPath?: string | null;
  Parameters?: Record<string, unknown>;
  QueryLanguage?: string;
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
  QueryLanguage?: string;
}

const text = leadLifecycleAslText();
const arns = Object.fromEntries(
  LEAD_LIFECYCLE_PLACEHOLDERS.map((name) => [
    name,
    `arn:aws:lambda:eu-central-1:123456789012:function:${name}`,
  ]),
);
const deployed = JSON.parse(substitutePlaceholders(text, arns)) as Definition;
const states = Object.entries(deployed.States);
const tasks = states.filter(([, state]) => state.Type === 'Task');
const parks = tasks.filter(([, state]) => state.Resource?.endsWith('.waitForTaskToken'));

/** Every state a state can go to next: Next, Default, each Choice's Next, each Catch's Next. */
const successors = (state: State): string[] => [
  ...(state.Next ? [state.Next] : []),
  ...(state.Default ? [state.Default] : []),
  ...(state.Choices ?? []).map((choice) => choice.Next),
  ...(state.Catch ?? []).map((catcher) => catcher.Next),
];

function reachableFrom(start: string, definition: Definition): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const state = definition.States[name];
    if (state) queue.push(...successors(state));
  }
  return seen;
}

describe('placeholders', () => {
  it('the file uses exactly the placeholders LEAD_LIFECYCLE_PLACEHOLDERS lists', () => {
    // Act
    const used = placeholdersIn(text);
    // Assert
    expect([...used].sort()).toEqual([...LEAD_LIFECYCLE_PLACEHOLDERS].sort());
  });

  it('substitution leaves no placeholder behind', () => {
    // Act
    const substituted = substitutePlaceholders(text, arns);
    // Assert
    expect(placeholdersIn(substituted)).toEqual([]);
    expect(substituted).not.toMatch(/\$\{/);
  });

  it.each(LEAD_LIFECYCLE_PLACEHOLDERS)(
    'a missing value for placeholder %s is an error naming it',
    (missing) => {
      // Arrange
      const { [missing]: _left, ...others } = arns;
      // Act / Assert
      expect(() => substitutePlaceholders(text, others)).toThrow(`\${${missing}}`);
    },
  );
});

describe('JSONPath only (the local engine has no JSONata)', () => {
  it('no QueryLanguage JSONata at the top or on any state', () => {
    // Assert
    expect(deployed.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const [name, state] of states) expect(state.QueryLanguage ?? 'JSONPath', name).toBe('JSONPath');
  });

  it('no JSONata-only fields or expressions', () => {
    // Assert: Arguments/Output/Assign are JSONata (or variables) fields; {% %} is a JSONata expression
    for (const [name, state] of states) {
      expect(Object.keys(state), name).not.toEqual(expect.arrayContaining(['Arguments']));
      expect(Object.keys(state), name).not.toEqual(expect.arrayContaining(['Output']));
      expect(Object.keys(state), name).not.toEqual(expect.arrayContaining(['Assign']));
    }
    expect(text).not.toMatch(/\{%/);
    expect(text).not.toContain('$states.');
  });
});

describe('retries and catches', () => {
  it.each(tasks.map(([name]) => name))('%s retries with exponential backoff', (name) => {
    // Arrange
    const state = deployed.States[name]!;
    // Assert: at least one retrier, and every retrier that retries backs off
    expect(state.Retry?.length, name).toBeGreaterThan(0);
    for (const retrier of state.Retry ?? []) {
      if (retrier.MaxAttempts === 0) continue; // "never retry this error" (ContinueAsNew's name clash)
      expect(retrier.BackoffRate, JSON.stringify(retrier)).toBeGreaterThanOrEqual(1);
      expect(retrier.IntervalSeconds, JSON.stringify(retrier)).toBeGreaterThan(0);
    }
  });

  it.each(tasks.map(([name]) => name).filter((name) => name !== 'RecordFailure'))(
    '%s catches every error to RecordFailure, keeping the payload ($.error)',
    (name) => {
      // Arrange
      const catchers = deployed.States[name]!.Catch ?? [];
      // Act
      const catchAll = catchers.find((catcher) => catcher.ErrorEquals.includes('States.ALL'));
      // Assert: States.ALL must be last (ASL rule) and go to RecordFailure without overwriting $.Payload
      expect(catchAll).toEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' });
      expect(catchers.at(-1)).toBe(catchAll);
    },
  );

  it.each(['Advance', 'Handoff', 'RecordFailure'])(
    '%s has its own timeout and retries it (the local engine times a task out after 60 s by default; AWS never)',
    (name) => {
      // Arrange
      const state = deployed.States[name]!;
      // Assert: a task that overran (a busy machine, a slow dependency) is retried like a failure, not caught
      expect(state.TimeoutSeconds).toBe(120);
      expect(state.Retry?.some((retrier) => retrier.ErrorEquals.includes('States.Timeout'))).toBe(true);
    },
  );

  it('RecordFailure has no Catch (a failure to record ends the execution) and ends in Fail', () => {
    // Arrange
    const recordFailure = deployed.States.RecordFailure!;
    // Assert
    expect(recordFailure.Catch).toBeUndefined();
    expect(deployed.States[recordFailure.Next!]?.Type).toBe('Fail');
  });

  it("only RecordFailure leads to Fail, whose Error is the one the event path leaves alone (ADR 0038's amendment)", () => {
    // Arrange
    const fails = states.filter(([, state]) => state.Type === 'Fail');
    const into = states.filter(([, state]) =>
      successors(state).some((next) => deployed.States[next]?.Type === 'Fail'),
    );
    // Assert: an execution that ends with this error had its failure recorded and alerted by the Catch path
    expect(fails.map(([name, state]) => [name, state.Error])).toEqual([['Failed', LEAD_WORKFLOW_FAILED]]);
    expect(into.map(([name]) => name)).toEqual(['RecordFailure']);
  });

  it('ContinueAsNew: a name clash (the next generation already runs) is Done, neither retried nor a failure', () => {
    // Arrange
    const state = deployed.States.ContinueAsNew!;
    // Assert
    expect(state.Retry?.[0]).toEqual({
      ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'],
      MaxAttempts: 0,
    });
    expect(state.Catch?.[0]).toEqual({
      ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'],
      ResultPath: null,
      Next: 'Done',
    });
  });
});

describe('the Park state: a callback task whose timeout is the next deadline', () => {
  const park = deployed.States.Park!;
  const payload = (park.Parameters?.Payload ?? {}) as Record<string, unknown>;

  it('is the only callback task, and Advance and Handoff go straight to it (no Choice: ADR 0036)', () => {
    // Assert
    expect(parks.map(([name]) => name)).toEqual(['Park']);
    expect(states.filter(([, state]) => state.Type === 'Choice')).toEqual([]);
    expect(deployed.States.Advance!.Next).toBe('Park');
    expect(deployed.States.Handoff!.Next).toBe('Park');
  });

  it('times out at $.Payload.waitSeconds and then Advances', () => {
    // Assert: the path resolves to the same value against the raw input and against the Parameters output
    // (engines differ in which one they read), and the token reaches the handler
    expect(park.TimeoutSecondsPath).toBe('$.Payload.waitSeconds');
    expect(payload['waitSeconds.$']).toBe('$.Payload.waitSeconds');
    expect(payload['taskToken.$']).toBe('$$.Task.Token');
    expect(park.ResultPath).toBeNull();
    expect(park.Next).toBe('Advance');
    // the timeout is caught (not retried, not failed) before any catch-all
    const timeout = park.Catch?.findIndex((catcher) => catcher.ErrorEquals.includes('States.Timeout'));
    const catchAll = park.Catch?.findIndex((catcher) => catcher.ErrorEquals.includes('States.ALL'));
    expect(park.Catch?.[timeout!]).toEqual({
      ErrorEquals: ['States.Timeout'],
      ResultPath: null,
      Next: 'Advance',
    });
    expect(timeout).toBeLessThan(catchAll!);
    for (const retrier of park.Retry ?? []) {
      expect(retrier.ErrorEquals).not.toContain('States.Timeout');
      expect(retrier.ErrorEquals).not.toContain('States.ALL');
    }
  });

  it('tells the park handler the step and its phase', () => {
    // Assert
    expect(payload['next.$']).toBe('$.Payload.next');
    expect(payload['phase.$']).toBe('$.Payload.phase');
  });

  it('reads only paths every routable step has (a missing path fails the execution, States.Runtime)', () => {
    // Arrange: the fewest fields a task returns, for each way on
    const steps: StepPayload[] = (['end', 'handoff', 'continueAsNew'] as const).map((next) =>
      routable({
        leadId: 'L',
        cycle: 1,
        generation: 0,
        loops: 1,
        startedAt: '2026-01-05T09:00:00.000Z',
        next,
      }),
    );
    const paths = [
      park.TimeoutSecondsPath!,
      ...Object.values(payload).filter((value) => typeof value === 'string'),
    ]
      .filter((path) => path.startsWith('$.Payload.'))
      .map((path) => path.slice('$.Payload.'.length));
    // Assert
    expect(paths.length).toBeGreaterThan(5);
    for (const step of steps)
      for (const path of paths) expect(step, `${step.next}: ${path}`).toHaveProperty(path);
    for (const step of steps) expect(step.waitSeconds).toBe(ROUTE_TIMEOUT_SECONDS);
  });
});

describe('a task refused by a quota: SES throttled, Lambda past its concurrency (ADR 0051)', () => {
  it.each([
    ...['Advance', 'Handoff', 'RecordFailure'].map((name) => [name, MAIL_THROTTLED]),
    ...['Advance', 'Park', 'Handoff', 'RecordFailure'].map((name) => [
      name,
      'Lambda.TooManyRequestsException',
    ]),
  ])('%s retries %s for about 10 minutes with full jitter, before the generic retriers', (name, error) => {
    // Arrange
    const retry = (deployed.States[name]!.Retry ?? []) as (Retrier & {
      MaxDelaySeconds?: number;
      JitterStrategy?: string;
    })[];
    // Act
    const index = retry.findIndex((retrier) => retrier.ErrorEquals.includes(error!));
    const retrier = retry[index]!;
    // Assert: matched first (States.TaskFailed matches it too), waits up to 60 s a try, ~10 min in all
    expect(index, name).toBeGreaterThanOrEqual(0);
    expect(
      retry.findIndex((other) => other.ErrorEquals.some((error) => /^States\.(TaskFailed|ALL)$/.test(error))),
    ).toBeGreaterThan(index);
    expect(retrier.JitterStrategy).toBe('FULL');
    const caps = Array.from({ length: retrier.MaxAttempts ?? 3 }, (_, attempt) =>
      Math.min(
        retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY,
        (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempt,
      ),
    );
    const longest = caps.reduce((sum, cap) => sum + cap, 0);
    expect(longest).toBeGreaterThanOrEqual(540);
    expect(longest).toBeLessThanOrEqual(720);
    expect(Math.max(...caps)).toBe(60);
  });
});

describe('routes: every step a task returns has a way on through the Park state', () => {
  const park = deployed.States.Park!;

  /** Where a step goes: a park waits (its timeout and a signal lead to Advance); any other step fails the
   * Park task with its route error (the Park function's SendTaskFailure) and the first matching Catch decides. */
  function wayOn(step: StepPayload['next']): string {
    const error = routeErrorOf(step);
    if (!error) return park.Next!;
    const retrier = park.Retry?.find((candidate) => candidate.ErrorEquals.includes(error));
    expect(retrier?.MaxAttempts, `${error} is retried`).toBe(0);
    // States.TaskFailed would match a route error too: a retrier listing it must come after the route's
    const taskFailed = park.Retry?.findIndex((candidate) =>
      candidate.ErrorEquals.includes('States.TaskFailed'),
    );
    expect(park.Retry!.indexOf(retrier!)).toBeLessThan(taskFailed!);
    const catcher = park.Catch?.find((candidate) => candidate.ErrorEquals.includes(error));
    expect(catcher?.ResultPath, `${error} keeps the step as the next state's input`).toBeNull();
    return catcher!.Next;
  }

  // biome-ignore format: one row per case reads as a table
  it.each<[StepPayload['next'], string]>([
    ['end', 'Done'],
    ['handoff', 'Handoff'],
    ['continueAsNew', 'ContinueAsNew'],
    ['park', 'Advance'],
  ])('%s -> %s', (next, expected) => {
    // Act / Assert
    expect(wayOn(next)).toBe(expected);
  });

  it('each route error is caught before the catch-all', () => {
    // Arrange
    const catchAll = park.Catch!.findIndex((catcher) => catcher.ErrorEquals.includes('States.ALL'));
    // Assert
    for (const error of Object.values(ROUTE_ERRORS))
      expect(park.Catch!.findIndex((catcher) => catcher.ErrorEquals.includes(error))).toBeLessThan(catchAll);
  });
});

describe('the graph', () => {
  it('StartAt and every Next, Default, Choice and Catch target exist', () => {
    // Assert
    expect(deployed.States[deployed.StartAt]).toBeDefined();
    for (const [name, state] of states) {
      for (const target of successors(state))
        expect(Object.keys(deployed.States), `${name} -> ${target}`).toContain(target);
    }
  });

  it('every state is reachable from StartAt', () => {
    // Act
    const reached = reachableFrom(deployed.StartAt, deployed);
    // Assert
    expect([...reached].sort()).toEqual(Object.keys(deployed.States).sort());
  });

  it('from every state a terminal state (Succeed, Fail or End) is reachable', () => {
    // Arrange
    const terminal = (state: State) =>
      state.Type === 'Succeed' || state.Type === 'Fail' || state.End === true;
    // Act / Assert
    for (const [name] of states) {
      const reached = [...reachableFrom(name, deployed)].map((target) => deployed.States[target]!);
      expect(reached.some(terminal), name).toBe(true);
    }
  });

  it('tasks call only the lambdas behind the placeholders, or start the next execution', () => {
    // Assert
    for (const [name, state] of tasks) {
      if (name === 'ContinueAsNew') {
        expect(state.Resource).toBe('arn:aws:states:::states:startExecution');
        continue;
      }
      expect(state.Resource, name).toMatch(/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/);
      expect(Object.values(arns), name).toContain(state.Parameters?.FunctionName);
    }
  });
});

describe('asl-validator', () => {
  it('passes the file as deployed', () => {
    // Act: a copy, since the validator writes QueryLanguage onto the states it checks
    const result = aslValidator(structuredClone(deployed));
    // Assert
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('passes the file as run locally (park timeouts handed to the scheduler)', () => {
    // Act
    const result = aslValidator(structuredClone(localDefinition().definition));
    // Assert
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('can fail: a Catch to a state that does not exist is reported', () => {
    // Arrange
    const broken = structuredClone(deployed);
    broken.States.Park!.Catch![1]!.Next = 'Nowhere';
    // Act
    const result = aslValidator(broken);
    // Assert
    expect(result.isValid).toBe(false);
    expect(result.errorsText('\n')).toContain('Nowhere');
  });
});

describe('localDefinition: the same file, park timeouts owned by the local scheduler', () => {
  it('park states lose TimeoutSecondsPath and get a fixed timeout setTimeout can hold; the rest is unchanged', () => {
    // Act
    const local = localDefinition();
    const localStates = (local.definition as unknown as Definition).States;
    // Assert
    expect(local.parkStates.sort()).toEqual(parks.map(([name]) => name).sort());
    expect(local.taskStates.sort()).toEqual(tasks.map(([name]) => name).sort());
    for (const name of local.parkStates) {
      const state = localStates[name]!;
      expect(state.TimeoutSecondsPath).toBeUndefined();
      expect(state.TimeoutSeconds! * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
      const { TimeoutSeconds: _local, ...rest } = state;
      const { TimeoutSecondsPath: _deployed, ...original } = deployed.States[name]!;
      expect({ ...rest, Parameters: { ...rest.Parameters, FunctionName: undefined } }).toEqual({
        ...original,
        Parameters: { ...original.Parameters, FunctionName: undefined },
      });
    }
  });
});
