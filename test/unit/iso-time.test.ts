import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimeMs } from '../../lambdas/domain/iso-time.ts';

describe('isoTimeMs', () => {
  it.each([
    ['2024-06-30T12:34:56.789Z', Date.UTC(2024, 5, 30, 12, 34, 56, 789)],
    ['2024-06-30T12:34:56Z', Date.UTC(2024, 5, 30, 12, 34, 56)],
    ['2024-06-30T12:34:56.5Z', Date.UTC(2024, 5, 30, 12, 34, 56, 500)],
    ['2024-06-30T12:34:56.1239Z', Date.UTC(2024, 5, 30, 12, 34, 56, 123)],
    ['2024-02-29T00:00:00.000Z', Date.UTC(2024, 1, 29)],
    ['2024-06-30T14:34:56+02:00', Date.UTC(2024, 5, 30, 12, 34, 56)],
    ['2024-06-30T12:34:60Z', Number.NaN],
    ['2024-06-30T12:34:56.Z', Number.NaN],
    ['2024-13-01T00:00:00Z', Number.NaN],
    ['yesterday', Number.NaN],
    ['', Number.NaN],
  ])('%j -> %s', (text, expected) => {
    expect(isoTimeMs(text)).toBe(expected);
  });

  it('agrees with Date.parse on every time toISOString writes', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0100-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const text = date.toISOString();
          expect(isoTimeMs(text)).toBe(Date.parse(text));
        },
      ),
    );
  });

  it('agrees with Date.parse on near-misses of the shape', () => {
    const digits = (n: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
    const nearMiss = fc
      .tuple(
        digits(4),
        digits(2),
        digits(2),
        digits(2),
        digits(2),
        digits(2),
        fc.constantFrom('', '.', '.1', '.12', '.123', '.1234', '.x'),
      )
      .map(([y, mo, d, h, mi, s, fraction]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}Z`);
    fc.assert(
      fc.property(nearMiss, (text) => {
        expect(isoTimeMs(text)).toBe(Date.parse(text));
      }),
      { numRuns: 2000 },
    );
  });
});
