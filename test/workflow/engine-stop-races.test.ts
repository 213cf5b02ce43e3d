/**
 * StopExecution (an erase) racing the local engine's own steps: the Park handler still writing (its token
 * armed, not yet parked), a signal or the park's deadline waking it, Advance running after the wake. In every
 * order the stopped execution stays ABORTED, nothing of it runs or waits afterwards (no task, no park, no
 * timer), and the engine's busy count comes back to 0: settle() and the manual clock's advanceTo return, and
 * `leadpact dev` stops clean (it reads isIdle()). Trial 2, finding 5: the Park handler returning after the stop
 * registered a park for the ABORTED execution, and its deadline left the engine busy for good.
 * The real ASL on aws-local-stepfunctions, with stub tasks the test holds and releases.
 */
import { describe, expect, it } from 'vitest';
import type { ParkOutcome } from '../../lambdas/tasks/park.ts';
import type { ParkInput, StepPayload } from '../../lambdas/tasks/payload.ts';
import { ManualScheduler } from '../../local/scheduler.ts';
import { LocalStepFunctions } from '../../local/step-functions.ts';

const T0 = new Date('2026-11-30T08:00:00.000Z');
const NAME = 'LeadStop-c1-g0';
const ref = { leadId: 'LeadStop', cycle: 1, generation: 0, loops: 0, startedAt: T0.toISOString() };
/** Advance's step: park in the contact phase for an hour */
const parkStep: StepPayload = {
  ...ref,
  next: 'park',
  phase: 'contact',
  waitSeconds: 3600,
  version: 1,
  sent: [],
  planned: null,
};

/** A task the test holds: `entered` once it is called, settled by `release` or `fail`. */
interface Held<T> {
  entered: Promise<void>;
  release(value: T): void;
  fail(error: Error): void;
}

interface Race {
  engine: LocalStepFunctions;
  scheduler: ManualScheduler;
  /** the next Park handler call waits for the test */
  holdPark(): Held<ParkOutcome>;
  /** the next Advance call waits for the test */
  holdAdvance(): Held<StepPayload>;
  /** the token of the latest park */
  token(): string;
  stop(): void;
}

function race(): Race & { tasksAfterStop: () => number; stopped: () => boolean } {
  const scheduler = new ManualScheduler(T0);
  const tokens: string[] = [];
  let stoppedAt: number | undefined;
  let tasks = 0;
  const hold = <T>() => {
    let enter: () => void = () => undefined;
    const entered = new Promise<void>((resolve) => {
      enter = resolve;
    });
    let release: (value: T) => void = () => undefined;
    let fail: (error: Error) => void = () => undefined;
    const answer = new Promise<T>((resolve, reject) => {
      release = resolve;
      fail = reject;
    });
    return { held: { entered, release, fail } as Held<T>, answer, enter };
  };
  const parkHolds: ReturnType<typeof hold<ParkOutcome>>[] = [];
  const advanceHolds: ReturnType<typeof hold<StepPayload>>[] = [];
  const engine = new LocalStepFunctions(
    {
      advance: async () => {
        tasks++;
        const next = advanceHolds.shift();
        if (!next) return parkStep;
        next.enter();
        return next.answer;
      },
      handoff: async () => {
        tasks++;
        return { ...ref, next: 'end' };
      },
      park: async (input: ParkInput) => {
        tasks++;
        tokens.push(input.taskToken);
        const next = parkHolds.shift();
        if (!next) return 'parked';
        next.enter();
        return next.answer;
      },
      recordFailure: async () => {
        tasks++;
        return 'recorded';
      },
    },
    scheduler,
  );
  return {
    engine,
    scheduler,
    holdPark: () => {
      const h = hold<ParkOutcome>();
      parkHolds.push(h);
      return h.held;
    },
    holdAdvance: () => {
      const h = hold<StepPayload>();
      advanceHolds.push(h);
      return h.held;
    },
    token: () => tokens.at(-1)!,
    stop: () => {
      stoppedAt = tasks;
      expect(engine.stopExecution(NAME)).toBe(true);
    },
    tasksAfterStop: () => tasks - (stoppedAt ?? tasks),
    stopped: () => stoppedAt !== undefined,
  };
}

/** what a promise did within 2 s of real time: the engine has no reason to take longer */
const within = async (promise: Promise<unknown>): Promise<'returned' | 'hung'> =>
  Promise.race([
    promise.then(() => 'returned' as const),
    new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 2000)),
  ]);

/** the park's deadline, and well past it */
const PAST_THE_DEADLINE = new Date(T0.getTime() + 2 * 3600_000);
const A_WEEK_LATER = new Date(T0.getTime() + 7 * 86_400_000);

describe('an execution stopped while the engine runs it', () => {
  it.each<[string, (r: Race) => Promise<void>]>([
    [
      'while its Park handler writes, which then parks (the erase at a takeover, finding 5)',
      async (r) => {
        const park = r.holdPark();
        r.engine.startExecution(NAME, ref);
        await park.entered;
        r.stop();
        park.release('parked');
      },
    ],
    [
      'while its Park handler writes, which then finds the lead changed (a wake again)',
      async (r) => {
        const park = r.holdPark();
        r.engine.startExecution(NAME, ref);
        await park.entered;
        r.stop();
        park.release('changed');
      },
    ],
    [
      'while its Park handler writes, which then fails',
      async (r) => {
        const park = r.holdPark();
        r.engine.startExecution(NAME, ref);
        await park.entered;
        r.stop();
        park.fail(Object.assign(new Error('injected fault: the write failed'), { name: 'Error' }));
      },
    ],
    [
      'after a signal reached its park being armed, before the Park handler returns',
      async (r) => {
        const park = r.holdPark();
        r.engine.startExecution(NAME, ref);
        await park.entered;
        expect(r.engine.sendTaskSuccess(r.token())).toBe(true);
        r.stop();
        park.release('parked');
      },
    ],
    [
      'while parked',
      async (r) => {
        r.engine.startExecution(NAME, ref);
        await r.engine.settle();
        expect(r.engine.execution(NAME)?.status).toBe('PARKED');
        r.stop();
      },
    ],
    [
      'while parked, then signalled (the signal reaches nobody)',
      async (r) => {
        r.engine.startExecution(NAME, ref);
        await r.engine.settle();
        const token = r.token();
        r.stop();
        expect(r.engine.sendTaskSuccess(token)).toBe(false);
      },
    ],
    [
      'after a signal woke it, while Advance runs',
      async (r) => {
        r.engine.startExecution(NAME, ref);
        await r.engine.settle();
        const advance = r.holdAdvance();
        expect(r.engine.sendTaskSuccess(r.token())).toBe(true);
        await advance.entered;
        r.stop();
        advance.release(parkStep);
      },
    ],
    [
      'after its deadline woke it, while Advance runs (the manual clock moving on)',
      async (r) => {
        r.engine.startExecution(NAME, ref);
        await r.engine.settle();
        const advance = r.holdAdvance();
        const moving = r.scheduler.advanceTo(PAST_THE_DEADLINE, () => r.engine.settle());
        await advance.entered;
        r.stop();
        advance.release(parkStep);
        expect(await within(moving)).toBe('returned');
      },
    ],
    [
      'after its deadline woke it, while the next Park handler writes',
      async (r) => {
        r.engine.startExecution(NAME, ref);
        await r.engine.settle();
        const park = r.holdPark();
        const moving = r.scheduler.advanceTo(PAST_THE_DEADLINE, () => r.engine.settle());
        await park.entered;
        r.stop();
        park.release('parked');
        expect(await within(moving)).toBe('returned');
      },
    ],
  ])('%s: stays ABORTED, runs and waits for nothing more, and leaves the engine idle', async (_, act) => {
    // Arrange
    const r = race();
    // Act
    await act(r);
    const settled = await within(r.engine.settle());
    const moved = await within(r.scheduler.advanceTo(A_WEEK_LATER, () => r.engine.settle()));
    // Assert
    expect(r.stopped()).toBe(true);
    expect({ settled, moved }).toEqual({ settled: 'returned', moved: 'returned' });
    expect(r.engine.isIdle()).toBe(true);
    expect(r.engine.execution(NAME)?.status).toBe('ABORTED');
    expect(r.engine.openExecutions).toBe(0);
    expect(r.engine.active()).toEqual([]);
    expect(r.scheduler.nextTimer()).toBeUndefined();
    expect(r.tasksAfterStop()).toBe(0);
  });

  it('stopped while its Park handler writes: the engine is busy until the handler returns, then idle', async () => {
    // Arrange: the Park handler's write landed, its sends are under way
    const r = race();
    const park = r.holdPark();
    r.engine.startExecution(NAME, ref);
    await park.entered;
    // Act
    r.stop();
    // the abort's own continuations (the run's end) have run
    await new Promise((resolve) => setImmediate(resolve));
    const whileWriting = { idle: r.engine.isIdle(), status: r.engine.execution(NAME)?.status };
    park.release('parked');
    const settled = await within(r.engine.settle());
    // Assert
    expect(whileWriting).toEqual({ idle: false, status: 'ABORTED' });
    expect(settled).toBe('returned');
    expect(r.engine.isIdle()).toBe(true);
    expect(r.engine.openExecutions).toBe(0);
  });
});
