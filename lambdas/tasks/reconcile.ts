/**
 * The reconciler: the safety net under "no lead slips through the SLA". Every lead whose state
 * says something is due (a park's deadline, a new or woken lead, a failed workflow's retry time)
 * sits in the due index (GSI3). A lead that is due with no live execution lost its workflow (a
 * crash, a failed start, a workflow failure, an execution purged by AWS): the reconciler starts
 * it again as the next generation, which re-reads the lead from DynamoDB and carries on.
 *
 * Run on a schedule on AWS (lib/reconciler.ts: every few minutes), and locally on a timer and at
 * start-up (local/runtime.ts). Idempotent: an execution's name is its lead, cycle and generation,
 * so two reconcilers, or a reconciler and a signaller, start it once.
 */
import type { Clock } from '../ports/clock.ts';
import {
  compareDuePlaces,
  type DueCursor,
  type DueLead,
  type DuePlace,
  type LeadStore,
} from '../ports/lead-store.ts';
import type { Executions } from '../ports/workflow.ts';
import { inPool } from './in-pool.ts';

export interface ReconcileDeps {
  readonly store: LeadStore;
  readonly executions: Executions;
  readonly clock: Clock;
}

export interface ReconcileOptions {
  /**
   * Leads due at or before this time are checked (default: now minus `graceMs`). Start-up passes
   * a far future time: after a restart of the local runtime, every parked lead needs its execution.
   */
  readonly until?: Date;
  /** how late a lead may be before it is checked: its own timer fires first (default 2 minutes) */
  readonly graceMs?: number;
  /**
   * at most this many leads per run, earliest due first (default 1,000); with more due, the next run goes on
   * after the last one checked (the store's DueCursor), then from the earliest again
   */
  readonly limit?: number;
  /** checks in flight at once (default 8) */
  readonly concurrency?: number;
}

export interface ReconcileReport {
  /** leads due that were looked at */
  readonly checked: number;
  /** ... whose execution is alive (parked or running): nothing to do */
  readonly running: number;
  /** ... whose execution is alive but parked on a token a signal took and could not deliver: sent again */
  readonly resumed: number;
  /** ... restarted: their execution was missing or had ended */
  readonly restarted: number;
  /** ... that could not be checked or started (retried on the next run) */
  readonly failed: number;
  /** ids of restarted leads (at most 20; lead ids are keyed hashes, not personal data) */
  readonly restartedLeads: readonly string[];
}

export const RECONCILE_GRACE_MS = 2 * 60_000;
export const RECONCILE_LIMIT = 1_000;
/** generations to walk past ended executions before starting one (continue-as-new chains are short) */
const MAX_GENERATION_STEPS = 8;

export async function reconcile(
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const now = deps.clock.now();
  const until = options.until ?? new Date(now.getTime() - (options.graceMs ?? RECONCILE_GRACE_MS));
  const { due, cursor, next } = await dueThisRun(
    deps.store,
    until.toISOString(),
    options.limit ?? RECONCILE_LIMIT,
  );
  let running = 0;
  let resumed = 0;
  let restarted = 0;
  let failed = 0;
  const restartedLeads: string[] = [];
  await inPool(
    due,
    async (lead) => {
      try {
        const outcome = await repair(deps, lead);
        if (outcome === 'running') running++;
        else if (outcome === 'resumed') resumed++;
        else {
          restarted++;
          if (restartedLeads.length < 20) restartedLeads.push(lead.leadId);
        }
      } catch (error) {
        failed++;
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'reconcile failed',
            leadId: lead.leadId,
            error: String(error),
          }),
        );
      }
    },
    options.concurrency,
  );
  await saveCursor(deps.store, cursor, next);
  return { checked: due.length, running, resumed, restarted, failed, restartedLeads };
}

/**
 * The leads this run checks: at most `limit`, after the cursor the last run left (earliest due first), then
 * from the earliest up to the cursor when fewer are left after it. A lead whose execution is alive stays due
 * (its wake moves the time), so with more than `limit` such leads due a run from the earliest would check the
 * same ones every time and never reach one due after them whose execution is gone: with the cursor every due
 * lead is checked within ceil(due / limit) + 1 runs. With `limit` or fewer due, every run checks them all.
 */
async function dueThisRun(
  store: LeadStore,
  until: string,
  limit: number,
): Promise<{ due: DueLead[]; cursor: DueCursor | undefined | 'unread'; next: DuePlace | undefined }> {
  const cursor = await readCursor(store);
  const after = cursor === 'unread' ? undefined : cursor?.after;
  const afterCursor = await store.listDueLeads(until, { limit, ...(after ? { after } : {}) });
  if (afterCursor.length === limit) return { due: afterCursor, cursor, next: placeOf(afterCursor.at(-1)!) };
  if (!after) return { due: afterCursor, cursor, next: undefined };
  // the end of the index: the rest from the earliest, up to the cursor (the leads after it are in already)
  const rest = limit - afterCursor.length;
  const fromStart = await store.listDueLeads(until, { limit: rest });
  const before = fromStart.filter((lead) => compareDuePlaces(lead, after) < 0);
  const next = before.length === rest ? placeOf(before.at(-1)!) : undefined;
  return { due: [...afterCursor, ...before], cursor, next };
}

const placeOf = (lead: DueLead): DuePlace => ({ dueAt: lead.dueAt, leadId: lead.leadId });

/** The cursor, or 'unread' when it could not be read: the run then starts at the earliest and saves nothing. */
async function readCursor(store: LeadStore): Promise<DueCursor | undefined | 'unread'> {
  if (!store.readDueCursor || !store.saveDueCursor) return 'unread';
  try {
    return await store.readDueCursor();
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', msg: 'reconcile cursor not read', error: String(error) }));
    return 'unread';
  }
}

/**
 * Moves the cursor after the checks (a run that dies before leaves it: the next run checks those leads again),
 * on the revision read: of two runs at once that read the same cursor, one moves it; neither skips a lead.
 */
async function saveCursor(
  store: LeadStore,
  cursor: DueCursor | undefined | 'unread',
  next: DuePlace | undefined,
): Promise<void> {
  if (cursor === 'unread' || !store.saveDueCursor) return;
  if (cursor?.after === undefined && next === undefined) return;
  try {
    await store.saveDueCursor(
      { revision: (cursor?.revision ?? 0) + 1, ...(next ? { after: next } : {}) },
      cursor,
    );
  } catch (error) {
    console.error(
      JSON.stringify({ level: 'error', msg: 'reconcile cursor not saved', error: String(error) }),
    );
  }
}

/**
 * Finds the lead's live execution, or starts one: its recorded generation when that was never
 * started (or was purged), else the first generation after the ended ones.
 */
async function repair(deps: ReconcileDeps, lead: DueLead): Promise<'running' | 'resumed' | 'restarted'> {
  const { executions } = deps;
  let generation = lead.generation;
  for (let step = 0; step < MAX_GENERATION_STEPS; step++) {
    const state = await executions.state(lead.leadId, lead.cycle, generation);
    if (state === 'running') return resumeSignalled(deps, lead.leadId);
    if (state === 'missing') break;
    generation++;
  }
  // its name on the lead before it starts (erase stops it by that name, whatever was purged); not
  // recorded: the lead was erased, began a new cycle, or someone started a later generation meanwhile
  if (!(await deps.store.recordExecution(lead.leadId, lead.cycle, generation))) return 'running';
  // another reconciler or a signaller may have started it meanwhile: then it is alive
  return (await executions.start(lead.leadId, lead.cycle, generation)) === 'started'
    ? 'restarted'
    : 'running';
}

/**
 * A live execution whose lead is due past the grace: parked on the token a signal took, if that signal's
 * SendTaskSuccess failed (the token stays on the lead as `signalled` until the woken wake writes), or still
 * on its park's own token, if a writer made the lead due for its news and died before it signalled
 * (makeDueForNews: a form post's first round trip, ADR 0057 amended). Sent (again); a task that is gone
 * (resumed or timed out meanwhile) answers 'gone' and nothing changes.
 */
async function resumeSignalled(deps: ReconcileDeps, leadId: string): Promise<'running' | 'resumed'> {
  const current = await deps.store.getLead(leadId);
  const token = current?.signalled ?? current?.waitToken;
  if (!token || current?.erasedAt) return 'running';
  return (await deps.executions.resume(token)) === 'resumed' ? 'resumed' : 'running';
}
