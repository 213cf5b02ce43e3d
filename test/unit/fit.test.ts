import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Facts } from '../../lambdas/domain/conditions.ts';
import { fitScore, fitTier } from '../../lambdas/domain/fit.ts';
import type { FitTier } from '../../lambdas/domain/sla-schema.ts';
import { makeSla } from '../support/sla.ts';

// total weight 90: industry 30 + size group (best 25) + region 20 + revenue 15
const sla = makeSla({
  icp: {
    criteria: [
      { id: 'industry', field: 'industry', weight: 30, in: ['software', 'saas'] },
      { id: 'size-large', group: 'size', field: 'employees', weight: 25, gte: 1000 },
      { id: 'size-mid', group: 'size', field: 'employees', weight: 15, gte: 200 },
      { id: 'size-small', group: 'size', field: 'employees', weight: 5, gte: 50 },
      { id: 'region', field: 'region', weight: 20, in: ['europe', 'americas'] },
      { id: 'revenue', field: 'revenue', weight: 15, gte: 10_000_000 },
    ],
  },
});

describe('fitScore', () => {
  it.each<[string, number, FitTier, Facts, string[]]>([
    [
      'everything',
      100,
      'A',
      { industry: 'Software', employees: 5000, region: 'europe', revenue: '20000000' },
      ['industry', 'size-large', 'region', 'revenue'],
    ],
    // 30 + 25 + 20 = 75 / 90 = 83.3
    [
      'industry, size, region',
      83,
      'A',
      { industry: 'SaaS', employees: '1500', region: 'americas' },
      ['industry', 'size-large', 'region'],
    ],
    // 30 + 15 + 20 = 65 / 90 = 72.2
    [
      'mid size',
      72,
      'B',
      { industry: 'software', employees: '500', region: 'americas' },
      ['industry', 'size-mid', 'region'],
    ],
    // 30 + 5 = 35 / 90 = 38.9
    ['small size', 39, 'C', { industry: 'saas', employees: 60, region: 'asia' }, ['industry', 'size-small']],
    // a group counts its best match only: 25 / 90 = 27.8, not (25 + 15 + 5) / 90
    ['group alternatives count once', 28, 'C', { employees: 5000 }, ['size-large']],
    // 15 / 90 = 16.7
    ['revenue only', 17, 'D', { revenue: 12_000_000 }, ['revenue']],
    // 20 / 90 = 22.2: a country in overlapping regions
    ['region among several', 22, 'D', { region: ['dach', 'europe'] }, ['region']],
    ['nothing matches', 0, 'D', { industry: 'retail', employees: 10 }, []],
    ['no facts', 0, 'D', {}, []],
  ])('%s -> %i (%s)', (_name, score, tier, facts, fired) => {
    // Act
    const result = fitScore(sla, facts);
    // Assert
    expect(result.score).toBe(score);
    expect(result.tier).toBe(tier);
    expect(result.reasons.filter((r) => r.rule.startsWith('icp.')).map((r) => r.rule)).toEqual(
      fired.map((id) => `icp.${id}`),
    );
    expect(result.reasons.at(-1)!.rule).toBe('fit.tier');
  });

  it('gives each criterion its share of the score as points', () => {
    // Act
    const result = fitScore(sla, { industry: 'software', employees: '500' });
    // Assert: 30/90 and 15/90 of 100
    expect(result.reasons).toEqual([
      { rule: 'icp.industry', points: 33.3, detail: 'industry in [software, saas] (weight 30 of 90)' },
      {
        rule: 'icp.size-mid',
        points: 16.7,
        detail: 'employees >= 200 (weight 15 of 90, best of group size)',
      },
      { rule: 'fit.tier', detail: 'fit 50 (matched weight 45 of 90): tier B (A >= 75, B >= 50, C >= 25)' },
    ]);
  });

  it('lets a group named by a criterion id add alternatives to that criterion', () => {
    // Arrange: core 30 | adjacent 15 as its alternative; other 70 -> total 100
    const aliased = makeSla({
      icp: {
        criteria: [
          { id: 'core', field: 'industry', weight: 30, in: ['chemicals'] },
          { id: 'adjacent', group: 'core', field: 'industry', weight: 15, in: ['mining'] },
          { id: 'other', field: 'region', weight: 70, exists: true },
        ],
      },
    });
    // Act / Assert
    expect(fitScore(aliased, { industry: 'mining' }).score).toBe(15);
    expect(fitScore(aliased, { industry: 'chemicals' }).score).toBe(30);
  });

  it.each<[{ A: number; B: number; C: number } | undefined, FitTier]>([
    [undefined, 'D'],
    [{ A: 60, B: 30, C: 0 }, 'C'],
  ])('without criteria scores 0, tier by the table %o -> %s', (tiers, tier) => {
    // Arrange
    const empty = makeSla(tiers ? { icp: { tiers } } : {});
    // Act
    const result = fitScore(empty, { industry: 'software' });
    // Assert
    expect(result.score).toBe(0);
    expect(result.tier).toBe(tier);
  });

  it('is always an integer from 0 to 100', () => {
    const value = fc.oneof(
      fc.constantFrom('software', 'SaaS', 'europe', 'asia'),
      fc.integer({ min: 0, max: 1e8 }),
    );
    fc.assert(
      fc.property(
        fc.record({ industry: value, employees: value, region: value, revenue: value }, { requiredKeys: [] }),
        (facts) => {
          const { score } = fitScore(sla, facts);
          expect(Number.isInteger(score)).toBe(true);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(100);
        },
      ),
    );
  });
});

describe('fitTier', () => {
  const tiers = { A: 75, B: 50, C: 25 };
  it.each<[number, FitTier]>([
    [100, 'A'],
    [75, 'A'],
    [74, 'B'],
    [50, 'B'],
    [49, 'C'],
    [25, 'C'],
    [24, 'D'],
    [0, 'D'],
  ])('%i -> %s', (score, tier) => {
    expect(fitTier(score, tiers)).toBe(tier);
  });
});
