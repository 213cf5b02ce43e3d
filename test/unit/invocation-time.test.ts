/**
 * A request's commit write stops in time for the Lambda invocation's timeout (ADR 0068): inside `inTime`,
 * another try is begun only while the wait before it still leaves the invocation the share of its time it
 * keeps for finishing; outside it (a write after the commit) and outside an invocation, always.
 */
import { describe, expect, it } from 'vitest';
import {
  FINISH_SHARE,
  inTime,
  outsideInvocation,
  timeForAnotherTry,
  withInvocationTime,
} from '../../lambdas/ports/invocation-time.ts';

/** A Lambda context's clock that answers `left` ms from now on, whatever it had at the start. */
function contextWith(startedWithMs: number) {
  let left = startedWithMs;
  return {
    clock: { getRemainingTimeInMillis: () => left },
    spend: (ms: number) => {
      left -= ms;
    },
  };
}

describe('timeForAnotherTry', () => {
  it('outside an invocation (a test, a script, the simulator): always, in inTime too', async () => {
    expect(timeForAnotherTry(60_000)).toBe(true);
    expect(await inTime(async () => timeForAnotherTry(60_000))).toBe(true);
  });

  it('in an invocation whose context has no clock (a handler called by hand, as middy allows): always', async () => {
    // Act
    const answer = await withInvocationTime({} as never, () => inTime(async () => timeForAnotherTry(60_000)));

    // Assert
    expect(answer).toBe(true);
  });

  it.each([
    ['a write after the commit (outside inTime)', (check: () => boolean) => Promise.resolve(check()), true],
    ['a commit write (inTime)', (check: () => boolean) => inTime(async () => check()), false],
    [
      'what the request starts that outlives it (outsideInvocation), in inTime',
      (check: () => boolean) => inTime(async () => outsideInvocation(check)),
      true,
    ],
  ])('with 1 s left of 15: %s tries again: %s', async (_what, run, expected) => {
    // Arrange
    const context = contextWith(15_000);

    // Act
    const answer = await withInvocationTime(context.clock, async () => {
      context.spend(14_000);
      return run(() => timeForAnotherTry(0));
    });

    // Assert
    expect(answer).toBe(expected);
  });

  it.each([
    // started with, spent before the try, the wait before it, another try?
    [15_000, 0, 1_000, true],
    [15_000, 11_000, 900, true], // 3,100 ms left after the wait: more than the 3,000 kept
    [15_000, 11_000, 1_000, true], // exactly the 3,000 kept
    [15_000, 11_000, 1_001, false],
    [15_000, 12_500, 0, false], // less than the share is left before any wait
    [2_000, 1_500, 50, true], // a short timeout keeps its share: 400 ms
    [2_000, 1_600, 50, false],
  ])('started with %i ms, %i spent, a wait of %i ms: %s', async (startedWith, spent, wait, expected) => {
    // Arrange
    const context = contextWith(startedWith);

    // Act
    const answer = await withInvocationTime(context.clock, () =>
      inTime(async () => {
        context.spend(spent);
        return timeForAnotherTry(wait);
      }),
    );

    // Assert
    expect(answer).toBe(expected);
  });

  it('keeps each invocation to its own time when two run at once (the local server serves many)', async () => {
    // Arrange
    const short = contextWith(1_000);
    const long = contextWith(15_000);

    // Act
    const [inShort, inLong] = await Promise.all([
      withInvocationTime(short.clock, async () => {
        short.spend(900);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return inTime(async () => timeForAnotherTry(0));
      }),
      withInvocationTime(long.clock, () => inTime(async () => timeForAnotherTry(0))),
    ]);

    // Assert
    expect([inShort, inLong]).toEqual([false, true]);
    expect(FINISH_SHARE).toBeGreaterThan(0);
  });
});
