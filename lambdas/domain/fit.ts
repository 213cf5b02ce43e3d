/**
 * Fit score (glossary term 2, the ideal customer profile): the share of ICP weight a lead's
 * company matches, 0-100, and its tier. Criteria sharing a `group` are alternatives (e.g.
 * company size bands): the best-weighted match counts, and the group counts once in the total.
 */
import { compileCondition, describeCondition, type Facts, type Matcher } from './conditions.ts';
import type { Reason } from './lead.ts';
import type { FitTier, IcpCriterion, Sla } from './sla-schema.ts';

export interface FitResult {
  /** integer 0-100 */
  readonly score: number;
  readonly tier: FitTier;
  readonly reasons: Reason[];
}

/** A criterion without a group is a group of its own, named by its id, so `group: <criterion id>`
 *  adds an alternative to that criterion (e.g. adjacent industries to the core ones). */
function groupOf(criterion: IcpCriterion): string {
  return criterion.group ?? criterion.id;
}

interface CompiledIcp {
  readonly criteria: readonly {
    readonly criterion: IcpCriterion;
    readonly matches: Matcher;
    /** the reason when it counts: static for an SLA, so built once */
    readonly reason: Reason;
  }[];
  readonly totalWeight: number;
}

const compiled = new WeakMap<Sla['icp'], CompiledIcp>();
const round1 = (n: number) => Math.round(n * 10) / 10;

function compile(icp: Sla['icp']): CompiledIcp {
  let entry = compiled.get(icp);
  if (!entry) {
    const groupMax = new Map<string, number>();
    for (const criterion of icp.criteria) {
      const key = groupOf(criterion);
      groupMax.set(key, Math.max(groupMax.get(key) ?? 0, criterion.weight));
    }
    let totalWeight = 0;
    for (const weight of groupMax.values()) totalWeight += weight;
    entry = {
      criteria: icp.criteria.map((criterion) => ({
        criterion,
        matches: compileCondition(criterion),
        reason: criterionReason(criterion, totalWeight),
      })),
      totalWeight,
    };
    compiled.set(icp, entry);
  }
  return entry;
}

function criterionReason(criterion: IcpCriterion, totalWeight: number): Reason {
  const group = criterion.group === undefined ? '' : `, best of group ${criterion.group}`;
  return {
    rule: `icp.${criterion.id}`,
    points: round1((100 * criterion.weight) / totalWeight),
    detail: `${describeCondition(criterion)} (weight ${criterion.weight} of ${totalWeight}${group})`,
  };
}

/** The tier for a score: the highest whose minimum it reaches, else D. */
export function fitTier(score: number, tiers: Sla['icp']['tiers']): FitTier {
  return score >= tiers.A ? 'A' : score >= tiers.B ? 'B' : score >= tiers.C ? 'C' : 'D';
}

export function fitScore(sla: Sla, facts: Facts): FitResult {
  const { criteria, totalWeight } = compile(sla.icp);
  // per group, the best-weighted matching criterion (first declared on equal weight)
  const counted = new Map<string, IcpCriterion>();
  for (const { criterion, matches } of criteria) {
    if (!matches(facts[criterion.field])) continue;
    const key = groupOf(criterion);
    const current = counted.get(key);
    if (current === undefined || criterion.weight > current.weight) counted.set(key, criterion);
  }

  let matched = 0;
  for (const criterion of counted.values()) matched += criterion.weight;
  const score = totalWeight > 0 ? Math.round((100 * matched) / totalWeight) : 0;
  const tier = fitTier(score, sla.icp.tiers);

  const reasons: Reason[] = [];
  for (const { criterion, reason } of criteria) {
    if (counted.get(groupOf(criterion)) === criterion) reasons.push(reason);
  }
  const { A, B, C } = sla.icp.tiers;
  reasons.push({
    rule: 'fit.tier',
    detail:
      totalWeight === 0
        ? `no ICP criteria: fit 0, tier ${tier}`
        : `fit ${score} (matched weight ${matched} of ${totalWeight}): tier ${tier} (A >= ${A}, B >= ${B}, C >= ${C})`,
  });
  return { score, tier, reasons };
}
