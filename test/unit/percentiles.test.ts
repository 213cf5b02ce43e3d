/**
 * The report's median and 90 % (percentiles.ts) as a manager computes them by hand (an outside trial): the
 * median halfway between the two middle times of an even count, 90 % the time at least 90 % came within, and the
 * same in whole minutes from the unrounded hours (a quarter of an hour is 15 minutes, not 0.3 h read as 18).
 */
import { describe, expect, it } from 'vitest';
import { percentiles } from '../../lambdas/domain/percentiles.ts';

describe('percentiles of response times', () => {
  it.each([
    // hours, median h, 90% h, median min, 90% min
    [[0.25, 1, 2, 3], 1.5, 3, 90, 180], // the trial's: bob's four first touches
    [[0.25], 0.3, 0.3, 15, 15], // a quarter of an hour: 0.3 h to a tenth, 15 minutes as measured
    [[0.25, 0.75], 0.5, 0.8, 30, 45],
    [[3, 1, 2], 2, 3, 120, 180], // in any order
    [Array.from({ length: 70 }, (_, i) => i + 1), 35.5, 63, 2130, 3780], // rank 63 of 70, not 64 (0.9 * 70 > 63)
  ])('%j: median %s h, 90%% within %s h (%s and %s minutes)', (hours, p50, p90, p50Minutes, p90Minutes) => {
    // Act
    const figures = percentiles(hours);

    // Assert
    expect(figures).toEqual({ n: hours.length, p50, p90, p50Minutes, p90Minutes });
  });

  it('none: every figure null', () => {
    // Act
    const figures = percentiles([]);

    // Assert
    expect(figures).toEqual({ n: 0, p50: null, p90: null, p50Minutes: null, p90Minutes: null });
  });
});
