/**
 * Which lifecycle stages a lead reached, as a cumulative funnel counts them (HubSpot's and Salesforce's funnel
 * reports, ADR 0073): a move up reaches the stage it lands on and every stage it skipped on the way (a demo
 * request that arrives as an SQL reached Subscriber, Lead and MQL too); a move down (a recycle, a lost deal)
 * reaches none. The report's funnel and marketing's MQLs delivered both count by it, so they agree.
 *
 * Pure: no I/O, no clock reads.
 */
import type { LeadFact } from './report-facts.ts';
import { LIFECYCLE_STAGES, type LifecycleStage } from './sla-constants.ts';

/** One lead reaching one stage. */
export interface StageReach {
  readonly leadId: string;
  readonly stage: LifecycleStage;
  /** ISO-8601 UTC: the move's time */
  readonly at: string;
}

const rank = (stage: LifecycleStage) => LIFECYCLE_STAGES.indexOf(stage);

/** The stages a stage fact reached, lowest first; none for any other fact or a move down. */
export function stagesReachedBy(fact: LeadFact): LifecycleStage[] {
  if (fact.kind !== 'stage' || fact.stage === undefined) return [];
  const to = rank(fact.stage);
  // a lead new to the funnel comes from below every stage
  const from = fact.from === undefined ? -1 : rank(fact.from);
  // a deal won on a lead nobody qualified (a CRM's sync): a customer, but no MQL marketing delivered and no SQL
  if (fact.stage === 'customer' && from < rank('mql')) return ['customer'];
  return LIFECYCLE_STAGES.filter((_, index) => index > from && index <= to);
}

/** Every stage each fact reached, in the facts' order. */
export function stageReaches(facts: readonly LeadFact[]): StageReach[] {
  return facts.flatMap((fact) =>
    stagesReachedBy(fact).map((stage) => ({ leadId: fact.leadId, stage, at: fact.at })),
  );
}

/** Per lead, when it first reached `stage` among `reaches`. */
export function firstReachOf(reaches: readonly StageReach[], stage: LifecycleStage): Map<string, string> {
  const first = new Map<string, string>();
  for (const reach of reaches) {
    if (reach.stage !== stage) continue;
    const known = first.get(reach.leadId);
    if (known === undefined || reach.at < known) first.set(reach.leadId, reach.at);
  }
  return first;
}
