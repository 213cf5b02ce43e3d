/**
 * An SLA change applied to the leads in flight (lambdas/domain/sla-migration.ts does the judging):
 * every lead the workflow still works on whose state refers to an id the SLA no longer has is
 * rewritten by the SLA's `migrations`, made due now (so it is planned again under the new SLA) and
 * its parked workflow, if any, is signalled. A lead the mapping does not cover is stranded: then
 * nothing is written at all and the caller refuses to run the SLA (docs/sla-reference.md#migrations).
 *
 * Which leads: the due index (every lead with something due: all in flight but the dormant ones)
 * and the owner index of every rep the migrations name (their dormant leads too). Query only, no
 * Scan. Locally at start-up (local/runtime.ts); on AWS see docs/deploy.md. A store whose last complete migration
 * was to this SLA by this code's index keys (its mark: migration-mark.ts, ADR 0070) is not read at all.
 */
import { randomUUID } from 'node:crypto';
import { type LeadState, rejudgeLead } from '../domain/lead-state.ts';
import { isInFlight, type MissingReference, mappingHint, migrateLead } from '../domain/sla-migration.ts';
import type { Sla } from '../domain/sla-schema.ts';
import type { Clock } from '../ports/clock.ts';
import type { LeadQueries } from '../ports/lead-queries.ts';
import { type LeadStore, updateLead } from '../ports/lead-store.ts';
import type { Workflow } from '../ports/workflow.ts';
import { inPool } from './in-pool.ts';
import { indexInRounds, indexLeadSettled } from './index-lead.ts';
import { isMigratedTo, migrationMarkOf } from './migration-mark.ts';

export interface MigrateDeps {
  readonly store: LeadStore;
  readonly sla: Sla;
  readonly clock: Clock;
  /**
   * signals the parked executions (AWS): a migrated lead's, and every other parked lead's, so it plans again
   * under the SLA at once; locally at start-up nothing is parked yet (the reconciler resumes every lead)
   */
  readonly workflow?: Workflow;
  /**
   * the stage index, to find the dormant leads (nothing due, in no index the survey reads otherwise): those the
   * SLA's judgement moves to another stage now are woken. Without it dormant leads meet the SLA at their next news
   */
  readonly queries?: Pick<LeadQueries, 'candidates'>;
}

/** A lead that refers to ids the SLA lacks. */
export interface SurveyedLead {
  readonly lead: LeadState;
  readonly missing: readonly MissingReference[];
  readonly stranded: boolean;
}

export interface Survey {
  /** in-flight leads looked at */
  readonly checked: number;
  /** every in-flight lead (for the diff's threshold impact) */
  readonly inFlight: readonly LeadState[];
  /** those referring to ids the SLA lacks, stranded or not */
  readonly affected: readonly SurveyedLead[];
  /** leads listed but not read: the survey ran out of time (SurveyOptions.outOfTime) */
  readonly unread?: number;
}

export interface SurveyOptions {
  /** asked before each lead is read: true stops the survey there (an API call's time budget) */
  readonly outOfTime?: () => boolean;
  /** the stage index: the survey also reads the leads of the stages a dormant lead sits in (DORMANT_STAGES) */
  readonly queries?: Pick<LeadQueries, 'candidates'>;
  /**
   * reps whose leads are read before any other (the reps a change removes): under a time budget the leads a
   * change strands are the ones to know of first (the migrations' own reps are read first always)
   */
  readonly firstOwners?: readonly string[];
}

/**
 * Where a dormant lead sits: nurture waits for its double opt-in, or its track is done (a subscriber, a lead, an
 * MQL). Judged again by a new SLA (a lowered threshold) it may be an SQL now, owed a handoff.
 */
export const DORMANT_STAGES = ['subscriber', 'lead', 'mql'] as const;

/** the due index up to this time: every lead with a due time at all */
const FAR_FUTURE = '9999-12-31T00:00:00.000Z';

/** Reads every in-flight lead and says what each refers to that `sla` lacks. Writes nothing. */
export async function surveyLeads(
  store: LeadStore,
  sla: Sla,
  now: Date,
  options: SurveyOptions = {},
): Promise<Survey> {
  // the leads of the reps a change removes or maps first (each in key order), then every other: a survey out of
  // time has read those (a large stack's `sla diff --url` listed 69 of a removed rep's 194 leads, in id order)
  const first = new Set<string>();
  for (const rep of new Set([...Object.keys(sla.migrations.reps), ...(options.firstOwners ?? [])])) {
    for (const owned of await store.listLeadsByOwner(rep)) first.add(owned.leadId);
  }
  const ids = new Set<string>();
  for (const due of await store.listDueLeads(FAR_FUTURE)) ids.add(due.leadId);
  // dormant leads: in no index above (nothing due); the stage index lists them with the others of their stage
  for (const stage of options.queries ? DORMANT_STAGES : []) {
    for await (const candidate of options.queries!.candidates({ stage })) {
      if (options.outOfTime?.()) break;
      ids.add(candidate.leadId);
    }
  }
  const inFlight: LeadState[] = [];
  const affected: SurveyedLead[] = [];
  let unread = 0;
  const rest = [...ids].filter((leadId) => !first.has(leadId)).sort();
  await inPool([...[...first].sort(), ...rest], async (leadId) => {
    if (options.outOfTime?.()) {
      unread++;
      return;
    }
    const lead = await store.getLead(leadId);
    if (!lead || !isInFlight(lead)) return;
    inFlight.push(lead);
    const result = migrateLead(sla, lead, now);
    if (result.kind === 'stranded') affected.push({ lead, missing: result.missing, stranded: true });
    else if (result.kind === 'migrated') affected.push({ lead, missing: result.missing, stranded: false });
  });
  const byId = (a: { leadId: string }, b: { leadId: string }) => (a.leadId < b.leadId ? -1 : 1);
  return {
    checked: inFlight.length,
    ...(unread > 0 ? { unread } : {}),
    inFlight: inFlight.sort(byId),
    affected: affected.sort((a, b) => byId(a.lead, b.lead)),
  };
}

export interface MigrationReport {
  readonly checked: number;
  /** ids of the leads rewritten */
  readonly migrated: readonly string[];
  /**
   * leads woken to plan again under the SLA: parked ones signalled (only with a workflow: AWS), dormant ones its
   * judgement moves made due (only with the stage index)
   */
  readonly woken?: number;
  /** leads given the entries of an index added since they were written (LeadStore.indexLead) */
  readonly indexed?: number;
  /**
   * leads written at every look while given them (index-lead.ts INDEX_ROUNDS rounds): they may still lack an entry, so the
   * later indexes were not recorded complete (the index pass does, once it gave every lead its keys)
   */
  readonly unindexed?: number;
  /** nothing done: the store's mark says it was migrated to this SLA and index keys already (migration-mark.ts) */
  readonly alreadyMigrated?: true;
}

/** The SLA would leave leads without a way forward: the start (or the deploy) stops here. */
export class StrandedLeadsError extends Error {
  constructor(
    readonly slaVersion: string,
    readonly stranded: readonly SurveyedLead[],
  ) {
    super(strandedMessage(slaVersion, stranded));
    this.name = 'StrandedLeadsError';
  }
}

/**
 * Migrates every in-flight lead the SLA's mapping covers, or (when any lead would be stranded)
 * nothing: throws StrandedLeadsError naming the stranded leads and the mapping to add.
 */
export async function migrateLeads(deps: MigrateDeps): Promise<MigrationReport> {
  // the store was last migrated, completely, to this SLA by this code's index keys: nothing to do (ADR 0070)
  const mark = migrationMarkOf(deps.sla);
  if (await isMigratedTo(deps.store, mark)) {
    console.log(
      JSON.stringify({
        level: 'info',
        msg: 'SLA migration skipped: the store was migrated to this SLA and index keys already',
        slaVersion: deps.sla.version,
        indexKeysVersion: mark.indexKeysVersion,
      }),
    );
    return { checked: 0, migrated: [], alreadyMigrated: true };
  }
  // no mark from here until this run's end: one stopped part-way leaves the next start migrating in full
  const runId = randomUUID();
  await deps.store.beginMigration?.(runId);
  const now = deps.clock.now();
  const survey = await surveyLeads(deps.store, deps.sla, now, deps.queries ? { queries: deps.queries } : {});
  const stranded = survey.affected.filter((item) => item.stranded);
  if (stranded.length > 0) throw new StrandedLeadsError(deps.sla.version, stranded);
  const migrated: string[] = [];
  await inPool(
    survey.affected.map((item) => item.lead.leadId),
    async (leadId) => {
      // the lead as it is now: another writer may have moved it since the survey
      const { result, state } = await updateLead(deps.store, leadId, (current) => {
        if (!isInFlight(current)) return undefined;
        const migration = migrateLead(deps.sla, current, now);
        if (migration.kind === 'stranded')
          throw new StrandedLeadsError(deps.sla.version, [
            { lead: current, missing: migration.missing, stranded: true },
          ]);
        return migration.kind === 'migrated' ? migration.state : undefined;
      });
      if (result !== 'saved' || !state) return;
      migrated.push(leadId);
      await deps.workflow?.signal(state, 'SLA migration');
    },
  );
  // every other parked lead plans again under this SLA now, not when the timer its park set under the old one
  // fires (a week for a nurtured MQL): as a local restart resumes every parked lead. A signal takes the token
  // it was read with, conditionally: a lead that moved since the survey was woken by that move already
  const woken =
    (await wakeParked(deps, survey.inFlight, new Set(migrated))) +
    (await wakeDormant(deps, survey.inFlight, new Set(migrated), now));
  // an index added since a lead was written (ADR 0044: the first-touch index) lists it from now on
  const { indexed, unsettled } = await indexLeads(deps.store, survey.inFlight);
  // every lead in flight has them now (a lead written since by a full write got them there): readers may
  // take the later indexes for complete (ADR 0053: "due today" reads the next-step index from then on).
  // Not while a lead may still lack them (written at every look: its updates touch no index key): then the
  // readers go on as before, and the index pass records them once it gave every lead its keys (ADR 0055)
  // and the migration is complete (nothing stranded, every lead its entries): the next start on this SLA skips it
  if (unsettled.length === 0) {
    await deps.store.markIndexesComplete?.();
    await deps.store.recordMigrationMark?.(mark, runId);
  } else
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'SLA migration: leads written at every look while given the entries of later indexes; not recorded complete (the index pass will)',
        unindexed: unsettled.length,
        leads: [...unsettled].sort().slice(0, 20),
      }),
    );
  if (indexed > 0)
    console.log(
      JSON.stringify({
        level: 'info',
        msg: 'SLA migration: leads given the entries of indexes added since they were written',
        indexed,
      }),
    );
  if (migrated.length > 0) {
    console.log(
      JSON.stringify({
        level: 'info',
        msg: 'SLA migration: leads moved to the successors the SLA names',
        slaVersion: deps.sla.version,
        checked: survey.checked,
        migrated: migrated.length,
        leads: migrated.sort().slice(0, 20),
      }),
    );
  }
  if (woken > 0)
    console.log(
      JSON.stringify({
        level: 'info',
        msg: 'SLA migration: leads woken to plan again under the new SLA (parked, or dormant and moved by it)',
        slaVersion: deps.sla.version,
        woken,
      }),
    );
  return {
    checked: survey.checked,
    migrated,
    ...(woken > 0 ? { woken } : {}),
    ...(indexed > 0 ? { indexed } : {}),
    ...(unsettled.length > 0 ? { unindexed: unsettled.length } : {}),
  };
}

/**
 * Makes due now each dormant lead (not migrated) that the SLA's judgement moves to another stage (an MQL over a
 * lowered SQL threshold): the reconciler starts it, and its workflow hands it over. One conditional write each,
 * on the lead as it is then (still dormant); the others wait for news as before.
 */
async function wakeDormant(
  deps: MigrateDeps,
  leads: readonly LeadState[],
  migrated: ReadonlySet<string>,
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  let woken = 0;
  // judged by this version already (a restart on an unchanged SLA): nothing to judge again, no events read
  const dormant = leads.filter(
    (lead) => isDormant(lead) && !migrated.has(lead.leadId) && lead.slaVersion !== deps.sla.version,
  );
  await inPool(dormant, async (lead) => {
    if (!movesNow(deps.sla, lead, await deps.store.listEvents(lead.leadId), now)) return;
    const { result } = await updateLead(deps.store, lead.leadId, (current) => {
      if (!isDormant(current)) return undefined;
      const { dormant: _woken, ...rest } = current;
      return { ...rest, dueAt: at, updatedAt: at };
    });
    if (result === 'saved') woken++;
  });
  return woken;
}

const isDormant = (lead: LeadState) =>
  lead.dormant !== undefined && lead.dueAt === undefined && !lead.erasedAt;

/** The SLA's judgement of the lead now puts it in another stage than it is in (cooling off or owned: not moved). */
export function movesNow(
  sla: Sla,
  lead: LeadState,
  events: Parameters<typeof rejudgeLead>[2],
  now: Date,
): boolean {
  if (lead.ownerId || lead.coolOffUntil) return false;
  try {
    return (rejudgeLead(sla, lead, events, now, 'sla migration') ?? lead).stage !== lead.stage;
  } catch {
    return false;
  }
}

/**
 * Signals each parked lead (with a wait token) but the migrated ones (signalled with their write) and those this
 * SLA's version judged already: planned under it (woken between the functions' update and the migration), or the
 * migration run again on an unchanged SLA (a deploy that adds an index). As for dormant leads, the version tells.
 */
async function wakeParked(
  deps: MigrateDeps,
  leads: readonly LeadState[],
  migrated: ReadonlySet<string>,
): Promise<number> {
  const { workflow } = deps;
  if (!workflow) return 0;
  const parked = leads.filter(
    (lead) =>
      lead.waitToken !== undefined && !migrated.has(lead.leadId) && lead.slaVersion !== deps.sla.version,
  );
  await inPool(parked, (lead) => workflow.signal(lead, 'SLA change'));
  return parked.length;
}

/**
 * Gives each lead the entries of the indexes added after its item was written (a store without indexes has
 * no indexLead). A lead written meanwhile is looked at again: a full write gave it every entry already; an
 * update (a park, a signal) did not. `unsettled`: the leads written at every look of every round, which may
 * still lack them (the later indexes are then not complete).
 */
async function indexLeads(
  store: LeadStore,
  leads: readonly LeadState[],
): Promise<{ indexed: number; unsettled: readonly string[] }> {
  if (!store.indexLead) return { indexed: 0, unsettled: [] };
  const indexLead = store.indexLead.bind(store);
  const leadIds = leads.map((lead) => lead.leadId);
  const outcomes = await indexInRounds(leadIds, (leadId) => indexLeadSettled(indexLead, leadId));
  return {
    indexed: outcomes.filter((outcome) => outcome === 'indexed').length,
    unsettled: leadIds.filter((_, i) => outcomes[i] === 'moved'),
  };
}

function strandedMessage(slaVersion: string, stranded: readonly SurveyedLead[]): string {
  const lines = stranded.map(
    ({ lead, missing }) =>
      `  lead ${lead.leadId}: ${missing
        .filter((reference) => reference.strands)
        .map((reference) => `${reference.what} "${reference.id}"`)
        .join(', ')}`,
  );
  const hints = [...new Set(stranded.flatMap(({ missing }) => mappingHint(missing)))];
  return [
    `SLA "${slaVersion}" would strand ${stranded.length} lead${stranded.length === 1 ? '' : 's'} in flight (they refer to ids it no longer has):`,
    ...lines.slice(0, 50),
    ...(lines.length > 50 ? [`  ... and ${lines.length - 50} more`] : []),
    'Add to the SLA file (see docs/sla-reference.md#migrations, and `leadpact sla diff <old> <new> --data DIR`):',
    ...hints.map((hint) => `  ${hint}`),
  ].join('\n');
}
