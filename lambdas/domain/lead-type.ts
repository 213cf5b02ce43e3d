/**
 * Lead type (glossary term 6): which path a lead takes, e.g. existing customer vs new
 * prospect. The first declared type whose match holds wins; a type without a match block
 * is the catch-all. Every part of a match block that is given must hold.
 */
import { conditionHolds, describeCondition, type Facts } from './conditions.ts';
import type { Reason } from './lead.ts';
import type { LeadType, Sla } from './sla-schema.ts';

/** The id used when no lead type is declared or none matched. */
export const DEFAULT_LEAD_TYPE_ID = 'default';

export interface LeadTypeResult {
  /** undefined: no type declared or none matched; use `id` ("default") */
  readonly leadType: LeadType | undefined;
  readonly id: string;
  readonly reasons: Reason[];
}

/** Whether a domain is the listed one or a subdomain of it ("eu.acme.com" is under "acme.com"). */
export function domainMatches(domain: string, listed: string): boolean {
  const base = listed
    .trim()
    .toLowerCase()
    .replace(/^[@.]+/, '');
  if (domain === '' || base === '') return false;
  return domain === base || domain.endsWith(`.${base}`);
}

/** Why a type matches the facts, or undefined when it does not. */
function matchReason(type: LeadType, facts: Facts): string | undefined {
  const match = type.match;
  if (!match) return 'catch-all type';
  const why: string[] = [];
  if (match.emailDomains.length > 0) {
    const domain = typeof facts['emailDomain'] === 'string' ? facts['emailDomain'] : '';
    const listed = match.emailDomains.find((d) => domainMatches(domain, d));
    if (listed === undefined) return undefined;
    why.push(`email domain ${domain} is under ${listed}`);
  }
  for (const condition of match.all) {
    if (!conditionHolds(condition, facts)) return undefined;
    why.push(describeCondition(condition));
  }
  if (match.any.length > 0) {
    const hit = match.any.find((condition) => conditionHolds(condition, facts));
    if (hit === undefined) return undefined;
    why.push(describeCondition(hit));
  }
  return why.join('; ');
}

export function classifyLeadType(sla: Sla, facts: Facts): LeadTypeResult {
  for (const type of sla.leadTypes) {
    const why = matchReason(type, facts);
    if (why !== undefined) {
      return {
        leadType: type,
        id: type.id,
        reasons: [{ rule: `leadType.${type.id}`, detail: `${type.name}: ${why}` }],
      };
    }
  }
  const detail =
    sla.leadTypes.length === 0 ? 'no lead types declared' : 'no lead type matched and none is a catch-all';
  return {
    leadType: undefined,
    id: DEFAULT_LEAD_TYPE_ID,
    reasons: [{ rule: `leadType.${DEFAULT_LEAD_TYPE_ID}`, detail }],
  };
}

/** The path a lead's type sets (skip nurture, who gets it), from the type id stored on the lead. */
export function typePath(
  sla: Sla,
  leadTypeId: string,
): { skipNurture: boolean; assignTo: 'queue' | 'accountOwner' } {
  const overrides = sla.leadTypes.find((type) => type.id === leadTypeId)?.overrides;
  return { skipNurture: overrides?.skipNurture ?? false, assignTo: overrides?.assignTo ?? 'queue' };
}
