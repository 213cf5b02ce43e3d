/**
 * The retention pass (ADR 0092): erases the leads whose only reason to be held is a sign-up never confirmed, once
 * the SLA's `consent.eraseUnconfirmedAfterDays` have passed since its confirmation link lapsed
 * (domain/unconfirmed-erasure.ts says which). Off while the SLA sets no days: then a run costs nothing.
 *
 * It walks the stage index (GSI2) of the stages below SQL, newest created first, from the leads created early
 * enough to be erasable (`createdBefore`: a link lapses 30 days after its post at the soonest), a batch at a time:
 * each lead's state is read, and one that passes the rule on its state alone has its events and attempts read and
 * is judged again with them. A walk begins once a day (RETENTION_WALK_EVERY_MS after the last began) and goes on,
 * a few batches a run, until every such lead was looked at.
 *
 * An erasable lead is erased as DELETE /leads/{id} erases (the same domain eraseLead, the workflow stopped, the
 * events, attempts and moved timeline entries deleted; what erase keeps, kept), in this order:
 * 1. the batch's leads are **claimed** in the pass's one item, saved on the revision read: of two runs at once one
 *    saves, the other stops (it erases nothing);
 * 2. each claimed lead's erase is **one conditional write** that judges the lead again as written (updateLead on its
 *    version): a lead handed to a rep, confirmed or posted to since is kept; an erased one is not written twice;
 * 3. its execution is stopped and its history deleted (the erase's write went first: a workflow step after it reads
 *    the lead erased and ends; a writer that read it before fails on the version);
 * 4. the pass moves on and the claim is cleared. A run that dies anywhere leaves the claim: the next run finishes
 *    those leads first (an erased one is stopped and swept again; one not erased is judged again).
 *
 * Run by the reconciler after its own work (AWS: its scheduled Lambda; locally: its timer). `previewUnconfirmed`
 * answers which leads a run would erase, changing nothing.
 */
import { eraseLead, type LeadState, storyInstant } from '../domain/lead-state.ts';
import type { Sla } from '../domain/sla-schema.ts';
import {
  createdAtOrBefore,
  SIGN_UP_STAGES,
  type UnconfirmedErasure,
  unconfirmedEraseReason,
  unconfirmedErasure,
} from '../domain/unconfirmed-erasure.ts';
import type { Clock } from '../ports/clock.ts';
import type { LeadQueries } from '../ports/lead-queries.ts';
import { type LeadStore, type RetentionPass, updateLead } from '../ports/lead-store.ts';
import type { Workflow } from '../ports/workflow.ts';

/** A walk begins this long after the last one began: the retention is a daily job. */
export const RETENTION_WALK_EVERY_MS = 24 * 3_600_000;
/** Leads left claimed (erases that failed) at which the walk waits: ~80 bytes each in the one progress item. */
export const RETENTION_MAX_CLAIMED = 100;
/** Who erased, on the lead's timeline (report-facts.ts: not a person). */
export const RETENTION_ACTOR = 'system:retention';

export interface RetentionDeps {
  readonly sla: Sla;
  readonly store: Pick<
    LeadStore,
    | 'getLead'
    | 'saveLead'
    | 'listEvents'
    | 'listAttempts'
    | 'deleteLeadHistory'
    | 'readRetentionPass'
    | 'saveRetentionPass'
  >;
  readonly queries: Pick<LeadQueries, 'candidates'>;
  readonly workflow: Pick<Workflow, 'stop'>;
  readonly clock: Clock;
}

export interface RetentionOptions {
  /** leads looked at in this run, at most (default 500) */
  readonly maxLeads?: number;
  /** leads per claimed batch (default 25) */
  readonly batch?: number;
  /** asked before each batch and each erase: true ends the run there (a Lambda's remaining time) */
  readonly outOfTime?: () => boolean;
  /**
   * leads left claimed (their erase failed: tried again at each run) at which the walk waits, claiming no more
   * (default RETENTION_MAX_CLAIMED): the progress item stays small, and a fault that fails every erase (a grant
   * missing, StopExecution failing) stops the pass rather than erasing one write deep and leaving the rest
   */
  readonly maxClaimed?: number;
}

export interface RetentionReport {
  /** the SLA sets no `consent.eraseUnconfirmedAfterDays`: nothing was read */
  readonly off?: true;
  /** leads looked at in this run */
  readonly checked: number;
  /** ... erased by this run (a lead another run erased is not counted here) */
  readonly erased: number;
  /** ... that could not be (an error: judged again at the next walk) */
  readonly failed: number;
  /** the walk reached its end (the next begins a day after this one began) */
  readonly done: boolean;
  /** another run moved the pass meanwhile: this one stopped */
  readonly raced?: true;
}

type Store = RetentionDeps['store'];

export async function eraseUnconfirmed(
  deps: RetentionDeps,
  options: RetentionOptions = {},
): Promise<RetentionReport> {
  const { store, sla } = deps;
  const now = deps.clock.now();
  const createdBefore = createdAtOrBefore(sla, now);
  if (createdBefore === undefined) return { off: true, checked: 0, erased: 0, failed: 0, done: true };
  if (!store.readRetentionPass || !store.saveRetentionPass)
    return { checked: 0, erased: 0, failed: 0, done: true };
  let pass = await store.readRetentionPass();
  let erased = 0;
  let failed = 0;
  // a run that died after its claim, or leads whose erase failed: those first
  if (pass?.claimed?.length) {
    const outcomes = await eraseClaimed(deps, pass.claimed, options.outOfTime);
    erased += outcomes.erased;
    failed += outcomes.failed.length;
    const cleared = afterErasing(pass, outcomes);
    if (!(await store.saveRetentionPass(cleared, pass)))
      return { checked: 0, erased, failed, done: false, raced: true };
    pass = cleared;
  }
  const walkDone = (p: RetentionPass | undefined) => p !== undefined && p.stage >= SIGN_UP_STAGES.length;
  if (
    pass === undefined ||
    (walkDone(pass) && now.getTime() >= Date.parse(pass.startedAt) + RETENTION_WALK_EVERY_MS)
  ) {
    const begun: RetentionPass = {
      revision: (pass?.revision ?? 0) + 1,
      ...(pass?.claimed?.length ? { claimed: pass.claimed } : {}),
      startedAt: now.toISOString(),
      createdBefore,
      stage: 0,
      checked: 0,
      erased: 0,
    };
    if (!(await store.saveRetentionPass(begun, pass)))
      return { checked: 0, erased, failed, done: false, raced: true };
    pass = begun;
  }
  const maxLeads = options.maxLeads ?? 500;
  const batchSize = Math.max(1, options.batch ?? 25);
  const maxClaimed = options.maxClaimed ?? RETENTION_MAX_CLAIMED;
  let checked = 0;
  if (!walkDone(pass) && (pass.claimed?.length ?? 0) >= maxClaimed)
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'retention: the walk waits, too many erases failed (tried again at each run)',
        claimed: pass.claimed?.length,
      }),
    );
  while (
    !walkDone(pass) &&
    checked < maxLeads &&
    (pass.claimed?.length ?? 0) < maxClaimed &&
    !options.outOfTime?.()
  ) {
    const stage = SIGN_UP_STAGES[pass.stage]!;
    const limit = Math.min(batchSize, maxLeads - checked);
    const batch: { leadId: string; position: string }[] = [];
    for await (const candidate of deps.queries.candidates({
      stage,
      to: pass.createdBefore,
      ...(pass.after ? { after: pass.after } : {}),
    })) {
      batch.push(candidate);
      if (batch.length >= limit) break;
    }
    const judged = await Promise.all(batch.map((candidate) => judgeOnce(deps, candidate.leadId, now)));
    const claimed = judged.flatMap((verdict) =>
      verdict !== undefined && verdict !== 'failed' && verdict.erase
        ? [{ leadId: verdict.lead.leadId, cycle: verdict.lead.cycle }]
        : [],
    );
    const last = batch.at(-1);
    const moved: RetentionPass = {
      ...pass,
      revision: pass.revision + 1,
      checked: pass.checked + batch.length,
      // a partition read to its end: the next stage, from its start
      ...(batch.length < limit ? { stage: pass.stage + 1, after: undefined } : { after: last!.position }),
      // with any whose erase failed before (tried again at the next run's start)
      ...(claimed.length ? { claimed: [...(pass.claimed ?? []), ...claimed] } : {}),
    };
    const next = moved.stage >= SIGN_UP_STAGES.length ? { ...moved, finishedAt: now.toISOString() } : moved;
    // the claim: of two runs at once, one saves it and erases; the other stops here
    if (!(await store.saveRetentionPass(stripped(next), pass)))
      return { checked, erased, failed, done: false, raced: true };
    pass = stripped(next);
    checked += batch.length;
    failed += judged.filter((verdict) => verdict === 'failed').length;
    if (claimed.length === 0) continue;
    const outcomes = await eraseClaimed(deps, claimed, options.outOfTime);
    erased += outcomes.erased;
    failed += outcomes.failed.length;
    const cleared = afterErasing(pass, outcomes);
    if (!(await store.saveRetentionPass(cleared, pass)))
      return { checked, erased, failed, done: false, raced: true };
    pass = cleared;
  }
  return { checked, erased, failed, done: walkDone(pass) };
}

/**
 * What the retention would erase at the clock's time, changing nothing (ops' preview): at most `limit` leads, after
 * looking at most at `maxLooked` (`truncated` then), in the walk's order (by stage, newest created first).
 */
export async function previewUnconfirmed(
  deps: Pick<RetentionDeps, 'sla' | 'store' | 'queries' | 'clock'>,
  options: { readonly limit?: number; readonly maxLooked?: number } = {},
): Promise<{
  readonly off?: true;
  readonly leads: readonly { leadId: string; stage: string; erasableSince: string }[];
  readonly truncated: boolean;
}> {
  const now = deps.clock.now();
  const createdBefore = createdAtOrBefore(deps.sla, now);
  if (createdBefore === undefined) return { off: true, leads: [], truncated: false };
  const limit = options.limit ?? 100;
  const maxLooked = options.maxLooked ?? 5_000;
  const leads: { leadId: string; stage: string; erasableSince: string }[] = [];
  let looked = 0;
  for (const stage of SIGN_UP_STAGES) {
    for await (const candidate of deps.queries.candidates({ stage, to: createdBefore })) {
      // bounded as a run is: a table of many old leads is previewed in part (truncated)
      if (++looked > maxLooked) return { leads, truncated: true };
      const verdict = await judgeOnce(deps, candidate.leadId, now);
      if (verdict === 'failed' || !verdict?.erase) continue;
      if (leads.length >= limit) return { leads, truncated: true };
      leads.push({ leadId: candidate.leadId, stage: verdict.lead.stage, erasableSince: verdict.dueAt });
    }
  }
  return { leads, truncated: false };
}

type Verdict = (UnconfirmedErasure & { readonly lead: LeadState }) | undefined | 'failed';

/** The lead judged on its state, then (when that passes) with its events and attempts; undefined: no such lead. */
async function judgeOnce(
  deps: Pick<RetentionDeps, 'sla' | 'store'>,
  leadId: string,
  now: Date,
): Promise<Verdict> {
  try {
    const lead = await deps.store.getLead(leadId);
    if (!lead) return undefined;
    const first = unconfirmedErasure(deps.sla, lead, now);
    if (!first.erase) return { ...first, lead };
    return { ...(await judgedWithHistory(deps.store, deps.sla, lead, now)), lead };
  } catch (error) {
    console.error(
      JSON.stringify({ level: 'error', msg: 'retention: lead not judged', leadId, error: String(error) }),
    );
    return 'failed';
  }
}

async function judgedWithHistory(
  store: Store,
  sla: Sla,
  lead: LeadState,
  now: Date,
): Promise<UnconfirmedErasure> {
  const [events, attempts] = await Promise.all([
    store.listEvents(lead.leadId),
    store.listAttempts(lead.leadId),
  ]);
  return unconfirmedErasure(sla, lead, now, { events, attempts });
}

type Claim = NonNullable<RetentionPass['claimed']>[number];

/**
 * Erases each claimed lead (see the file's comment): counted as erased when this run's write erased it. Asks
 * `outOfTime` before each: an erase is several round trips (a slow StopExecution among them), so a batch is not
 * bounded by the time its first lead began; the leads not tried stay claimed for the next run.
 */
async function eraseClaimed(
  deps: RetentionDeps,
  claimed: readonly Claim[],
  outOfTime?: () => boolean,
): Promise<{ erased: number; tried: readonly Claim[]; failed: readonly Claim[] }> {
  let erased = 0;
  const tried: Claim[] = [];
  const failed: Claim[] = [];
  for (const claim of claimed) {
    if (outOfTime?.()) break;
    tried.push(claim);
    try {
      if (await eraseOne(deps, claim.leadId, claim.cycle)) erased++;
    } catch (error) {
      // kept in the claim: the next run tries again (an erased lead leaves the stage index, no walk meets it again)
      failed.push(claim);
      console.error(
        JSON.stringify({
          level: 'error',
          msg: 'retention: lead not erased',
          leadId: claim.leadId,
          error: String(error),
        }),
      );
    }
  }
  return { erased, tried, failed };
}

async function eraseOne(deps: RetentionDeps, leadId: string, cycle: number): Promise<boolean> {
  const { store, sla } = deps;
  const at = deps.clock.now();
  const read = await store.getLead(leadId);
  if (!read || read.cycle !== cycle) return false;
  let mine = false;
  const { state } = await updateLead(
    store as LeadStore,
    leadId,
    async (current) => {
      mine = false;
      if (current.erasedAt || current.cycle !== cycle) return undefined;
      // the events and attempts as they are now, read after the state each try writes on: a try after a conflict
      // judges the events that came with it (another form's post adds an entry the state alone lets pass)
      const [events, attempts] = await Promise.all([store.listEvents(leadId), store.listAttempts(leadId)]);
      const verdict = unconfirmedErasure(sla, current, at, { events, attempts });
      // changed since the claim (handed to a rep, confirmed, posted to, erased): kept
      if (!verdict.erase) return undefined;
      mine = true;
      // stamped no earlier than the story it ends, on the state this try commits on (ADR 0091, amended)
      return eraseLead(
        current,
        storyInstant(current, at),
        RETENTION_ACTOR,
        unconfirmedEraseReason(sla, current.consent!.askedAt ?? current.consent!.givenAt),
      );
    },
    // a conflict means someone wrote the lead: read it again, judge again
    4,
    200,
    read,
  );
  // erased (by this run, or by the run this one finishes after a crash): stop and sweep, as DELETE does after its write
  if (!state?.erasedAt || state.cycle !== cycle) return false;
  if (!mine && !(read.erasedAt && state.timeline.at(-1)?.by === RETENTION_ACTOR)) return false;
  await deps.workflow.stop(leadId, state.cycle, read.generation ?? 0, read.execution);
  await store.deleteLeadHistory(leadId, { keepCyclesAfter: state.cycle });
  return mine;
}

/** The pass once the claims `tried` were erased: those that failed, or were not tried, stay claimed. */
function afterErasing(
  pass: RetentionPass,
  outcomes: { readonly erased: number; readonly tried: readonly Claim[]; readonly failed: readonly Claim[] },
): RetentionPass {
  const { claimed: _claimed, ...rest } = pass;
  const tried = new Set(outcomes.tried.map((claim) => claim.leadId));
  const left = [...(pass.claimed ?? []).filter((claim) => !tried.has(claim.leadId)), ...outcomes.failed];
  return {
    ...rest,
    revision: pass.revision + 1,
    erased: pass.erased + outcomes.erased,
    ...(left.length ? { claimed: left } : {}),
  };
}

/** no `undefined` attributes in the saved item */
function stripped(pass: RetentionPass): RetentionPass {
  return Object.fromEntries(
    Object.entries(pass).filter(([, value]) => value !== undefined),
  ) as unknown as RetentionPass;
}
