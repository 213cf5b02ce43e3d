/**
 * An SLA change and the leads in flight: what a lead's state refers to that the new SLA lacks
 * (its owner, its deal's stage, its status, its nurture track, its lead type), and how the SLA's
 * `migrations` section rewrites it. Pure: the runner (lambdas/tasks/migrate-leads.ts) reads and
 * saves the leads, `leadpact sla diff` reports the same findings before anything changes.
 *
 * Two kinds of reference:
 * - **strands**: the owner, the deal stage and the status. Nothing in the SLA says what takes their
 *   place, and the workflow cannot go on without it (no owner: no reminder, no escalation; no stage:
 *   no probability, no stale timer). Without a mapping the lead is stranded: the start refuses.
 * - **reclassified**: the lead type and the nurture track. The workflow derives them again from the
 *   SLA (the next judgement classifies the lead; nurture picks the track that fits), so a missing one
 *   heals itself. A mapping keeps continuity instead: the successor type, the same email of the
 *   successor track.
 */
import { withHandoverTerms } from './handover-terms.ts';
import { assignedKey, type Plan } from './lead-plan.ts';
import { type LeadState, type TimelineEntry, withTimeline } from './lead-state.ts';
import type { Migrations, Sla } from './sla-schema.ts';

export type MigrationKind = keyof Migrations;

/** The state fields that hold an SLA id, with the kind of id each holds. */
export const LEAD_REFERENCES = [
  { kind: 'reps', field: 'ownerId', what: 'owner', strands: true },
  { kind: 'dealStages', field: 'deal.stageId', what: 'deal stage', strands: true },
  { kind: 'statuses', field: 'status', what: 'status', strands: true },
  { kind: 'leadTypes', field: 'leadType', what: 'lead type', strands: false },
  { kind: 'tracks', field: 'nurture.trackId', what: 'nurture track', strands: false },
] as const satisfies readonly {
  kind: MigrationKind;
  field: string;
  what: string;
  strands: boolean;
}[];

export type ReferenceField = (typeof LEAD_REFERENCES)[number]['field'];

/** One id a lead refers to that the SLA does not have. */
export interface MissingReference {
  readonly kind: MigrationKind;
  readonly field: ReferenceField;
  /** owner, deal stage, status, lead type, nurture track */
  readonly what: string;
  /** the id the lead holds */
  readonly id: string;
  /** the successor from `migrations`, if the SLA names one */
  readonly to?: string;
  /** no successor, and the workflow cannot derive one: the lead would be stranded */
  readonly strands: boolean;
}

/** The ids of each kind the SLA has. */
export function slaIds(sla: Sla): Record<MigrationKind, ReadonlySet<string>> {
  return {
    reps: new Set(sla.routing.reps.map((rep) => rep.id)),
    dealStages: new Set(sla.deals.stages.map((stage) => stage.id)),
    statuses: new Set(sla.leadStatuses.map((status) => status.id)),
    leadTypes: new Set(sla.leadTypes.map((type) => type.id)),
    tracks: new Set(sla.nurture.tracks.map((track) => track.id)),
    queues: new Set(sla.routing.queues.map((queue) => queue.id)),
  };
}

type Referring = Pick<LeadState, 'ownerId' | 'deal' | 'status' | 'leadType' | 'nurture'>;

function referenceOf(lead: Referring, field: ReferenceField): string | undefined {
  switch (field) {
    case 'ownerId':
      return lead.ownerId;
    case 'deal.stageId':
      return lead.deal?.stageId;
    case 'status':
      return lead.status;
    case 'leadType':
      return lead.leadType;
    case 'nurture.trackId':
      return lead.nurture?.trackId;
  }
}

/**
 * A lead the workflow still works on: not erased, and with something due (a park's deadline) or
 * dormant (its next signal starts it again). Ended leads (customers, disqualified) are history:
 * their old ids are left as they were.
 */
export function isInFlight(lead: Pick<LeadState, 'erasedAt' | 'dueAt' | 'dormant'>): boolean {
  return !lead.erasedAt && (lead.dueAt !== undefined || lead.dormant !== undefined);
}

/**
 * What the lead refers to that `sla` lacks, in LEAD_REFERENCES order (owner first), each with its
 * successor from the SLA's migrations when there is one. An empty list: the lead is current.
 * Lead types, personas and tracks are judged from the lead's own data; an unknown lead type
 * "default" (no lead types declared) is not a reference.
 */
export function missingReferences(sla: Sla, lead: Referring): MissingReference[] {
  const known = slaIds(sla);
  const missing: MissingReference[] = [];
  for (const reference of LEAD_REFERENCES) {
    const id = referenceOf(lead, reference.field);
    if (id === undefined || known[reference.kind].has(id)) continue;
    if (reference.kind === 'leadTypes' && sla.leadTypes.length === 0) continue;
    const to = sla.migrations[reference.kind][id];
    missing.push({
      kind: reference.kind,
      field: reference.field,
      what: reference.what,
      id,
      ...(to === undefined ? {} : { to }),
      strands: to === undefined && reference.strands,
    });
  }
  return missing;
}

export type MigrationResult =
  /** nothing refers to an id the SLA lacks */
  | { readonly kind: 'current' }
  /** at least one reference strands the lead: nothing was changed */
  | { readonly kind: 'stranded'; readonly missing: readonly MissingReference[] }
  /** the rewritten lead (version unchanged: the store's save increments it) */
  | { readonly kind: 'migrated'; readonly state: LeadState; readonly missing: readonly MissingReference[] };

export const MIGRATION_BY = 'system:sla-migration';

/**
 * Rewrites every reference the SLA's migrations map, and makes the lead due now so its workflow
 * plans again under the new SLA:
 * - a new owner is a fresh handoff to them (first-touch clock and cadence from step 1, escalation
 *   ladder from its first rung); the workflow's handoff then sends them the assignment email;
 * - a deal keeps the time it entered its stage (the stage was renamed or merged, not re-entered);
 * - a track keeps the lead's place in it; a status and a lead type are replaced.
 * One 'migrated' timeline entry per rewritten reference names from -> to and both SLA versions
 * (and a new owner gets the 'owner' entry of any handover too).
 * References the workflow derives again (type, track) without a mapping are left to it.
 */
export function migrateLead(sla: Sla, lead: LeadState, now: Date): MigrationResult {
  const missing = missingReferences(sla, lead);
  if (missing.length === 0) return { kind: 'current' };
  if (missing.some((reference) => reference.strands)) return { kind: 'stranded', missing };
  const followed = followMapping(sla, lead, missing, now);
  // only self-healing references: the workflow re-judges and picks the track again when it runs
  if (!followed) return { kind: 'current' };
  const at = now.toISOString();
  const { dormant: _woken, ...rest } = followed;
  return { kind: 'migrated', state: { ...rest, dueAt: at, updatedAt: at }, missing };
}

/**
 * The lead with every reference the SLA's migrations map rewritten (as migrateLead, the same entries), or
 * undefined when there is none to follow. For the workflow's own step (tasks/advance.ts): a lead the start-up
 * migration did not read (a dormant one, found by no index it reads) follows the mapping when news wakes it.
 * References without a successor are left as they are (a stranded owner is the plan's ownerMissing; a type
 * or a track is judged again). Its due time is the caller's.
 */
export function followMigrations(sla: Sla, lead: LeadState, now: Date): LeadState | undefined {
  const missing = missingReferences(sla, lead);
  if (!missing.some((reference) => reference.to !== undefined)) return undefined;
  const followed = followMapping(sla, lead, missing, now);
  return followed && { ...followed, updatedAt: now.toISOString() };
}

function followMapping(
  sla: Sla,
  lead: LeadState,
  missing: readonly MissingReference[],
  now: Date,
): LeadState | undefined {
  const at = now.toISOString();
  let state: LeadState = lead;
  const entries: TimelineEntry[] = [];
  for (const reference of missing) {
    const to = reference.to;
    if (to === undefined) continue;
    state = rewrite(state, reference.field, to, at);
    const reasons = [
      {
        rule: `migrations.${reference.kind}`,
        detail: `${reference.what} "${reference.id}" is not in SLA "${sla.version}" (the lead was judged by "${lead.slaVersion}"): now "${to}"`,
      },
    ];
    // decided by the new SLA, whichever version judged the lead last
    const entry = { at, from: reference.id, to, by: MIGRATION_BY, reasons, version: sla.version };
    entries.push({ ...entry, kind: 'migrated' });
    // a new owner is a handover like any other (GET /leads/{id} lists handovers from 'owner' entries)
    if (reference.kind === 'reps') entries.push({ ...entry, kind: 'owner' });
  }
  if (entries.length === 0) return undefined;
  // a new owner is a new handover: it runs on the terms of the SLA in force now (ADR 0059), whatever type it has now
  const handedOver = state.ownerId !== lead.ownerId ? withHandoverTerms(sla, state) : state;
  return withTimeline(handedOver, ...entries);
}

function rewrite(state: LeadState, field: ReferenceField, to: string, at: string): LeadState {
  switch (field) {
    case 'ownerId': {
      // a person's reassignment nobody was told of yet (ownerUntold): the successor is told as that rep would
      // have been, "reassigned to you", and the owner who was told hears where the lead went (tasks/handoff.ts
      // toldOwners, as lead-manage.ts does for a reassignment that replaces an untold one); a fresh "New SQL"
      // besides would tell the successor twice. Why: the rep it was given to left the SLA (the person's decision
      // and note were about that rep, not the successor)
      // the cadence facts go (ADR 0053): the next attempt counts them again from the new clock
      const { cadenceLog: _facts, ...kept } = state;
      if (state.ownerUntold) {
        const cause = { kind: 'ownerLeft' as const, ownerId: state.ownerId ?? '' };
        const ownerUntold = { ...state.ownerUntold, cause };
        return { ...kept, ownerId: to, ownerSince: at, escalationsTaken: 0, ownerUntold };
      }
      const handover: LeadState = {
        ...kept,
        ownerId: to,
        ownerSince: at,
        ...(state.handedOffAt ? { handedOffAt: at } : {}),
        escalationsTaken: 0,
      };
      // the new owner has not been told, even if the old handoff had the same instant (a manual clock)
      const told = assignedKey(handover);
      return { ...handover, sent: handover.sent.filter((key) => key !== told) };
    }
    case 'deal.stageId':
      return state.deal ? { ...state, deal: { ...state.deal, stageId: to } } : state;
    case 'status':
      return { ...state, status: to };
    case 'leadType':
      return { ...state, leadType: to };
    case 'nurture.trackId':
      return state.nurture ? { ...state, nurture: { ...state.nurture, trackId: to } } : state;
  }
}

/**
 * The error a wake fails with when the lead holds an id the SLA lacks, with no mapping, and the plan has no way
 * forward without it: a deal in a stage the SLA does not declare has no stale timer, so it would park for good
 * with nobody reminded or told. Only past the deploy's migration, which refuses such an SLA for the leads it
 * reads (a rollback that skipped it, a deal moved by the code before in the seconds before it ran, a restored
 * item): the failure is recorded on the lead and ops are alerted, and the reconciler retries it until the SLA
 * maps the id or the deal is moved (tasks/advance.ts).
 */
export const STRANDED_LEAD = 'LeadPact.StrandedLead';

export class StrandedLead extends Error {
  constructor(message: string) {
    super(message);
    this.name = STRANDED_LEAD;
  }
}

/**
 * The deal stage a planned park of the deal phase rests on when the SLA lacks it and `migrations` maps no
 * successor (planDeal parks such a deal with no stale timer); undefined otherwise.
 */
export function strandedDealStage(sla: Sla, lead: LeadState, plan: Plan): MissingReference | undefined {
  if (plan.kind !== 'park' || plan.phase !== 'deal' || plan.actions.length > 0 || !lead.deal)
    return undefined;
  return missingReferences(sla, lead).find(
    (reference) => reference.kind === 'dealStages' && reference.strands,
  );
}

/** The stranded lead's error: what is missing, why it matters, and the line that fixes it. */
export function strandedLead(sla: Sla, reference: MissingReference): StrandedLead {
  return new StrandedLead(
    `${reference.what} "${reference.id}" is not in SLA "${sla.version}" and its migrations name no successor: no stale reminder would ever be due for this deal. Add ${mappingHint([reference])[0]} to the SLA file and deploy it, or move the deal to a stage of the SLA (the console, PUT /leads/{id}/deal).`,
  );
}

/** The mapping that would free a stranded lead, as YAML lines for the SLA's `migrations` section. */
export function mappingHint(missing: readonly MissingReference[]): string[] {
  return missing
    .filter((reference) => reference.strands)
    .map(
      (reference) => `migrations.${reference.kind}.${reference.id}: <the id of its successor in this SLA>`,
    );
}
