/**
 * The response floor of POST /leads (ADR 0010), on a fake clock: the floor follows a high quantile of the
 * recent work times within bounds, and equalised() answers no sooner than the floor whatever the work took.
 * No real time is measured here (bench/timing.ts does that).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equalised, type Timing } from '../../lambdas/api/leads-public.ts';
import { ResponseFloor } from '../../lambdas/domain/response-floor.ts';

/** A clock that moves only when work or a sleep says so. */
class FakeTiming implements Timing {
  at = 1_000;
  readonly slept: number[] = [];
  constructor(readonly floor: ResponseFloor) {}
  now(): number {
    return this.at;
  }
  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.at += ms;
  }
}

describe('ResponseFloor', () => {
  it('starts at initialMs until it has minSamples work times', () => {
    const floor = new ResponseFloor({ initialMs: 100, minSamples: 4, minMs: 0 });
    for (const ms of [5, 6, 7]) floor.observe(ms);
    expect(floor.current()).toBe(100);
    floor.observe(8);
    expect(floor.current()).toBe(8);
  });

  it.each<[string, number, number[], number]>([
    ['the maximum at quantile 1', 1, [10, 40, 20, 30], 40],
    ['the median at quantile 0.5', 0.5, [10, 40, 20, 30], 20],
    ['the 99th percentile of 100 times', 0.99, Array.from({ length: 100 }, (_, i) => i + 1), 99],
  ])('sits at the quantile of the recent times: %s', (_case, quantile, samples, expected) => {
    const floor = new ResponseFloor({ quantile, minSamples: 1, minMs: 0, maxMs: 10_000 });
    for (const ms of samples) floor.observe(ms);
    expect(floor.current()).toBe(expected);
  });

  it('stays within minMs and maxMs', () => {
    const low = new ResponseFloor({ minSamples: 1, minMs: 10, maxMs: 50, quantile: 1 });
    low.observe(1);
    expect(low.current()).toBe(10);
    const high = new ResponseFloor({ minSamples: 1, minMs: 10, maxMs: 50, quantile: 1 });
    high.observe(5_000);
    expect(high.current()).toBe(50);
  });

  it('forgets times beyond its window', () => {
    const floor = new ResponseFloor({ window: 3, minSamples: 1, minMs: 0, quantile: 1 });
    for (const ms of [900, 10, 10, 10]) floor.observe(ms);
    expect(floor.current()).toBe(10);
  });

  it('ignores times that are not finite or negative', () => {
    const floor = new ResponseFloor({ minSamples: 1, minMs: 0, quantile: 1 });
    floor.observe(7);
    for (const ms of [Number.NaN, Number.POSITIVE_INFINITY, -5]) floor.observe(ms);
    expect(floor.current()).toBe(7);
  });

  it('after any sequence of times, sits where a sort of the window puts the quantile (kept in order as times arrive)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        // few distinct values: ties, and a forgotten time equal to others in the window
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 6 }),
            fc.double({ min: 0, max: 1_000, noNaN: true }).map((ms) => ms + 0),
          ),
          {
            maxLength: 200,
          },
        ),
        (window, quantile, times) => {
          const floor = new ResponseFloor({
            window,
            quantile,
            minSamples: 1,
            initialMs: -1,
            minMs: 0,
            maxMs: 1e9,
          });
          const seen: number[] = [];
          for (const ms of times) {
            floor.observe(ms);
            seen.push(ms);
            const sorted = seen.slice(-window).sort((a, b) => a - b);
            const expected = sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)]!;
            expect(floor.current()).toBe(expected);
          }
        },
      ),
    );
  });

  it('refuses a window below 1 or a quantile outside (0, 1]', () => {
    expect(() => new ResponseFloor({ window: 0 })).toThrow(RangeError);
    expect(() => new ResponseFloor({ quantile: 0 })).toThrow(RangeError);
    expect(() => new ResponseFloor({ quantile: 1.5 })).toThrow(RangeError);
  });
});

describe('equalised', () => {
  const settled = () => {
    const floor = new ResponseFloor({ minSamples: 1, minMs: 0, quantile: 1, window: 8 });
    floor.observe(40);
    return new FakeTiming(floor);
  };

  it.each<[string, number, boolean]>([
    ['a bot post doing no work', 0, false],
    ['a new lead (little work)', 12, true],
    ['a known lead (more work)', 35, true],
  ])('answers %s at the floor, 40 ms after the start', async (_case, workMs, observe) => {
    // Arrange
    const timing = settled();
    const startedAt = timing.now();

    // Act
    await equalised(timing, startedAt, async () => {
      timing.at += workMs;
      return { observe };
    });

    // Assert
    expect(timing.now() - startedAt).toBe(40);
  });

  it('does not wait when the work outlasted the floor, and reports its time afterwards', async () => {
    const timing = settled();
    const startedAt = timing.now();
    await equalised(timing, startedAt, async () => {
      timing.at += 70;
      return { observe: true };
    });
    expect(timing.slept).toEqual([]);
    expect(timing.now() - startedAt).toBe(70);
    expect(timing.floor.current()).toBe(70);
  });

  it('waits out the floor read before the work: its own time moves only later answers', async () => {
    const timing = settled();
    const startedAt = timing.now();
    await equalised(timing, startedAt, async () => {
      timing.at += 10;
      return { observe: true };
    });
    expect(timing.slept).toEqual([30]);
  });

  it('reports nothing for a bot post or a queued one (observe: false)', async () => {
    const timing = settled();
    await equalised(timing, timing.now(), async () => {
      timing.at += 500;
      return { observe: false };
    });
    expect(timing.floor.current()).toBe(40);
  });

  it('waits out the floor when the work fails, then rethrows', async () => {
    const timing = settled();
    const startedAt = timing.now();
    await expect(
      equalised(timing, startedAt, async () => {
        timing.at += 5;
        throw new Error('store down');
      }),
    ).rejects.toThrow('store down');
    expect(timing.now() - startedAt).toBe(40);
  });
});
