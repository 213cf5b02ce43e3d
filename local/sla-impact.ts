/**
 * What a new SLA does to the leads in flight: the survey of the start-up migration (which leads hold ids the
 * new SLA lacks, and whether `migrations` maps them or they would be stranded) plus what the new judgement
 * would move now (thresholds, scoring). `leadpact sla diff --data` runs it on a local store,
 * `leadpact simulate --compare` on the leads a simulated run left open (docs/simulate.md). Reads only.
 */
import { type LeadState, rejudgeLead } from '../lambdas/domain/lead-state.ts';
import type { MissingReference } from '../lambdas/domain/sla-migration.ts';
import type { Sla } from '../lambdas/domain/sla-schema.ts';
import type { LeadStore } from '../lambdas/ports/lead-store.ts';
import { surveyLeads } from '../lambdas/tasks/migrate-leads.ts';

/** A lead in flight that the new SLA changes. */
export interface ImpactedLead {
  readonly leadId: string;
  /** the lead's own address, so ops know whom it is about (absent once erased) */
  readonly email?: string;
  readonly stage: string;
  readonly status: string;
  readonly ownerId?: string;
  readonly slaVersion: string;
  /** ids it holds that the new SLA lacks, each with its successor or `strands: true` */
  readonly references: readonly MissingReference[];
  readonly stranded: boolean;
  /** the new SLA's judgement moves it now where the old one would not (thresholds, scoring) */
  readonly stageMove?: { readonly from: string; readonly to: string };
}

export interface DiffImpact {
  /** static: from the two files; data: the leads of a store too */
  readonly source: 'static' | 'data';
  /** in-flight leads looked at (data only) */
  readonly checked?: number;
  /** as of (data only): the store's SLA clock or --at */
  readonly at?: string;
  readonly leads: readonly ImpactedLead[];
  readonly stranded: number;
}

/** The survey of the start-up migration, plus what the new judgement would move. */
export async function impactOn(store: LeadStore, before: Sla, after: Sla, now: Date): Promise<DiffImpact> {
  const survey = await surveyLeads(store, after, now);
  const affected = new Map(survey.affected.map((item) => [item.lead.leadId, item]));
  const leads: ImpactedLead[] = [];
  for (const lead of survey.inFlight) {
    const item = affected.get(lead.leadId);
    const stageMove = await movedByJudgement(store, before, after, lead, now);
    if (!item && !stageMove) continue;
    leads.push({
      leadId: lead.leadId,
      ...(lead.email ? { email: lead.email } : {}),
      stage: lead.stage,
      status: lead.status,
      ...(lead.ownerId ? { ownerId: lead.ownerId } : {}),
      slaVersion: lead.slaVersion,
      references: item?.missing ?? [],
      stranded: item?.stranded ?? false,
      ...(stageMove ? { stageMove } : {}),
    });
  }
  return {
    source: 'data',
    checked: survey.checked,
    at: now.toISOString(),
    leads,
    stranded: leads.filter((lead) => lead.stranded).length,
  };
}

async function movedByJudgement(
  store: LeadStore,
  before: Sla,
  after: Sla,
  lead: LeadState,
  now: Date,
): Promise<{ from: string; to: string } | undefined> {
  if (lead.ownerId || lead.coolOffUntil) return undefined; // with sales, or cooling off: judged, not moved
  const events = await store.listEvents(lead.leadId);
  const stageUnder = (sla: Sla) => {
    try {
      return (rejudgeLead(sla, lead, events, now, 'sla diff') ?? lead).stage;
    } catch {
      return lead.stage;
    }
  };
  const was = stageUnder(before);
  const will = stageUnder(after);
  return will !== was ? { from: lead.stage, to: will } : undefined;
}
