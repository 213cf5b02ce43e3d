/**
 * What a new SLA does to the leads in flight: the survey of the start-up migration (which leads hold ids the
 * new SLA lacks, and whether `migrations` maps them or they would be stranded) plus what the new judgement
 * would move now (thresholds, scoring). `leadpact sla diff --data` runs it on a local store, `POST /sla/impact`
 * (lambdas/api/sla-impact.ts, `leadpact sla diff --url`) on a deployed stack's, `leadpact simulate --compare`
 * on the leads a simulated run left open (docs/simulate.md). Reads only.
 */
import { keptTerms } from '../domain/handover-terms.ts';
import { planNext } from '../domain/lead-plan.ts';
import { type LeadState, rejudgeLead } from '../domain/lead-state.ts';
import { typePath } from '../domain/lead-type.ts';
import { followMigrations, type MissingReference } from '../domain/sla-migration.ts';
import type { Sla } from '../domain/sla-schema.ts';
import type { LeadStore } from '../ports/lead-store.ts';
import { inPool } from './in-pool.ts';
import { type SurveyOptions, surveyLeads } from './migrate-leads.ts';

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
  /**
   * the new SLA's cadence is over for it now where the old one's is not (fewer steps, shorter delays): it is
   * recycled at its next wake (a restart wakes every lead), `logged` of `of` attempts, a breach when fewer
   */
  readonly cadenceEnds?: { readonly logged: number; readonly of: number; readonly breach: boolean };
}

export interface DiffImpact {
  /** static: from the two files; data: the leads of a store too */
  readonly source: 'static' | 'data';
  /** in-flight leads looked at (data only) */
  readonly checked?: number;
  /**
   * leads in flight not wholly looked at, the time budget spent (POST /sla/impact answers within the API's
   * timeout): not read at all, or read (a stranded one is listed) but not judged again. Absent when every lead
   * was checked; with it, the figures are a lower bound
   */
  readonly unchecked?: number;
  /**
   * (data only) in-flight leads read, each checked for the ids the new SLA lacks (stranded ones listed), and those
   * listed but not read, the time spent: with `unread`, the stranding check itself is incomplete
   */
  readonly read?: number;
  readonly unread?: number;
  /** as of (data only): the store's SLA clock or --at */
  readonly at?: string;
  readonly leads: readonly ImpactedLead[];
  /** POST /sla/impact: touched leads not in `leads`, the answer's size limit reached (the first by id are listed) */
  readonly leadsOmitted?: number;
  readonly stranded: number;
  /**
   * The first-touch clocks of the leads checked that have an owner (data only; ADR 0059): `kept` stored the terms
   * of their handover (its deadline and ladder), which the new SLA does not change; `deployed` stored none (handed
   * over before ADR 0059): the new SLA's first touch and ladder apply to them at once. Every new handover takes the
   * new SLA's. (`leadpact simulate --compare` also counts what still changes: the cadence.)
   */
  readonly clocks?: ClockTerms;
}

export interface ClockTerms {
  readonly withOwner: number;
  readonly kept: number;
  readonly deployed: number;
}

/** The survey of the start-up migration, plus what the new judgement would move. */
export async function impactOn(
  store: LeadStore,
  before: Sla,
  after: Sla,
  now: Date,
  options: SurveyOptions = {},
): Promise<DiffImpact> {
  // the leads of the reps the change removes are read first: under the API's time budget those are the ones that
  // may strand (or move: the mapped reps' are first anyway)
  const staying = new Set(after.routing.reps.map((rep) => rep.id));
  const removedReps = before.routing.reps.map((rep) => rep.id).filter((id) => !staying.has(id));
  const survey = await surveyLeads(store, after, now, { ...options, firstOwners: removedReps });
  const affected = new Map(survey.affected.map((item) => [item.lead.leadId, item]));
  const leads: ImpactedLead[] = [];
  // read but not judged again, the time spent: what ids they hold is known (stranded ones are listed)
  let unjudged = 0;
  await inPool(survey.inFlight, async (lead) => {
    const item = affected.get(lead.leadId);
    let stageMove: ImpactedLead['stageMove'];
    let cadenceEnds: ImpactedLead['cadenceEnds'];
    if (options.outOfTime?.()) unjudged++;
    else {
      stageMove = await movedByJudgement(store, before, after, lead, now);
      cadenceEnds = await endedByCadence(store, before, after, lead, now);
    }
    if (!item && !stageMove && !cadenceEnds) return;
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
      ...(cadenceEnds ? { cadenceEnds } : {}),
    });
  });
  const unchecked = (survey.unread ?? 0) + unjudged;
  const owned = survey.inFlight.filter((lead) => lead.ownerId && lead.handedOffAt && !lead.erasedAt);
  const kept = owned.filter((lead) => keptTerms(lead) !== undefined).length;
  return {
    source: 'data',
    checked: survey.checked - unjudged,
    ...(unchecked > 0 ? { unchecked } : {}),
    read: survey.checked,
    ...(survey.unread ? { unread: survey.unread } : {}),
    at: now.toISOString(),
    leads: leads.sort((a, b) => (a.leadId < b.leadId ? -1 : 1)),
    stranded: leads.filter((lead) => lead.stranded).length,
    clocks: { withOwner: owned.length, kept, deployed: owned.length - kept },
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

/**
 * The cadence the new SLA ends now where the old one would not, for a lead in its contact phase: what the
 * planner (lead-plan.ts planContact) decides at `now` under each, with the lead's attempts since its handoff
 * (and the new SLA's migrations followed, as the wake follows them).
 */
async function endedByCadence(
  store: LeadStore,
  before: Sla,
  after: Sla,
  lead: LeadState,
  now: Date,
): Promise<ImpactedLead['cadenceEnds']> {
  const since = lead.handedOffAt;
  if (!lead.ownerId || !since || lead.coolOffUntil || lead.erasedAt) return undefined;
  const attempts = (await store.listAttempts(lead.leadId))
    .filter((attempt) => attempt.at >= since)
    .sort((a, b) => (a.at < b.at ? -1 : 1));
  const ends = (sla: Sla) => {
    try {
      const current = followMigrations(sla, lead, now) ?? lead;
      const plan = planNext(sla, {
        lead: current,
        attempts,
        now,
        skipNurture: typePath(sla, current.leadType).skipNurture,
      });
      if (plan.kind !== 'park') return undefined;
      return plan.actions.find((action) => action.type === 'exhaustCadence');
    } catch {
      return undefined; // a lead the SLA cannot plan (an id it lacks, unmapped): the survey lists it
    }
  };
  if (ends(before)) return undefined;
  const ended = ends(after);
  return ended ? { logged: ended.logged, of: ended.of, breach: ended.breach } : undefined;
}
