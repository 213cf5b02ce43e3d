/**
 * Reading leads many at a time (GET /leads) and the report facts (GET /reports/sla), served by the
 * table's secondary indexes, never a Scan (adapters/table-definition.ts). Implemented on DynamoDB
 * (adapters/dynamodb-lead-queries.ts) and in memory (adapters/memory-lead-queries.ts, fed by the
 * writes it observes), with the same order and the same answers.
 */
import type { CadenceLog, LeadState } from '../domain/lead-state.ts';
import type { LeadFact } from '../domain/report-facts.ts';
import type { LifecycleStage } from '../domain/sla-constants.ts';

export interface LeadCandidateQuery {
  /**
   * Only these owners' open leads (the owner index: owned, not a customer, not erased), newest update
   * first. Set for an owner filter, a manager's team, a rep, and the overdue list.
   */
  readonly owners?: readonly string[];
  /**
   * Only the leads waiting for an owner (no owner; the handoff found nobody and asked the manager: the owner
   * index's `OWNER#-` partition), newest update first.
   */
  readonly waitingForOwner?: boolean;
  /**
   * Only the open leads of these owners that were handed over, whose current handover may owe its first touch
   * (ADR 0072), and whose first-touch clock started at or before the owner's time in `startedBy` (ISO; the
   * first-touch index, ADR 0044), or whose kept deadline is before `keptDueBefore` (ADR 0062), newest update
   * first, each with its handover's facts (LeadCandidate.handover). Set for the overdue list.
   */
  readonly firstTouch?: {
    /**
     * the SLA's handoff status: a table whose leads are not all re-keyed since ADR 0072 (the index pass of
     * INDEX_KEYS_VERSION 7 not finished) still holds untouched leads keyed by it, read as well until then
     */
    readonly handoffStatus: string;
    /** owner id -> the latest clock start (ISO) to list; an owner not named is not listed */
    readonly startedBy: Readonly<Record<string, string>>;
    /**
     * and the owners' leads whose current handover kept its terms (ADR 0059), which the index keys by the deadline
     * given: those whose deadline is before this time (ISO; ADR 0062). Without it, only the clock starts' range.
     */
    readonly keptDueBefore?: string;
  };
  /**
   * Only the open leads of these owners that may be in the contact phase, per bucket of their cadence facts
   * (attempts `00`, `01`, ..., `--`), whose base (the latest attempt, or the clock's start) is at or before
   * the owner's time for the bucket in `startedBy` (ISO; the next-step index, ADR 0053), each with its facts
   * (LeadCandidate.step), in `order`: newest update first (an owner list) or newest created first (the
   * stage list's). Set for "due today".
   */
  readonly nextStep?: {
    /** owner id -> bucket -> the latest base (ISO) to list; an owner or bucket not named is not listed */
    readonly startedBy: Readonly<Record<string, Readonly<Record<string, string>>>>;
    readonly order: 'updated' | 'created';
    /**
     * and, in the buckets `00` and `--` of the owners named, the leads whose current handover kept its terms (ADR
     * 0059), which the index keys with the deadline given: those whose deadline is before this time (ISO; ADR
     * 0065), whatever their base. Without it, only the bases' ranges.
     */
    readonly keptDueBefore?: string;
  };
  /**
   * search: a folded prefix (table-definition foldSearchQuery: as the terms' fold, ä ö ü kept) of email, name or
   * company, looked up in each of its spellings (searchQueriesFor); newest created first;
   * at most SEARCH_MATCH_CAP matches per search index and spelling, each candidate `truncated` when one held
   * more. With `owners`: those owners' leads that match (the owner list's order); the DynamoDB adapter lists all
   * of them when a search index holds more than SEARCH_MATCH_CAP matches (the caller filters each lead).
   */
  readonly q?: string;
  /** otherwise: the stage index, one stage or all, newest created first */
  readonly stage?: LifecycleStage;
  readonly status?: string;
  readonly type?: string;
  /** created at or after / before (ISO), for the stage index */
  readonly from?: string;
  readonly to?: string;
  /** only candidates strictly after this position (the cursor) */
  readonly after?: string;
}

/**
 * A lead the index says may match, and its position in the answer's order (descending). The index
 * narrows; the caller reads the lead and applies every filter to it (the index may be a little behind).
 */
export interface LeadCandidate {
  readonly leadId: string;
  readonly position: string;
  /**
   * a `q` candidate without `owners`: true on every candidate of a search that kept only the first
   * SEARCH_MATCH_CAP matches of an index and spelling holding more (the answer is cut: GET /leads `truncated`)
   */
  readonly truncated?: boolean;
  /** an `owners` candidate: the lead's owner, stage and status as the owner index holds them */
  readonly summary?: { readonly ownerId: string; readonly stage: string; readonly status: string };
  /** a `firstTouch` candidate: what its first-touch deadline is computed from, as the index holds it */
  readonly handover?: {
    readonly ownerId: string;
    readonly leadType: string;
    readonly handedOffAt: string;
    readonly ownerSince?: string;
    readonly updatedAt: string;
    /** ISO: the first-touch deadline its handover kept (ADR 0059), as the index's key holds it; none: the SLA's */
    readonly keptDueAt?: string;
  };
  /** a `nextStep` candidate: what its next step's time is computed from, as the index holds it */
  readonly step?: {
    readonly ownerId: string;
    readonly stage: string;
    readonly status: string;
    readonly leadType: string;
    readonly handedOffAt: string;
    readonly ownerSince?: string;
    readonly cadenceLog?: CadenceLog;
    readonly updatedAt: string;
    /** ISO: the first-touch deadline its handover kept (ADR 0059), as the index's key holds it (ADR 0065) */
    readonly keptDueAt?: string;
  };
}

export interface LeadQueries {
  /**
   * Optional: whether the later index `indexName` (table-definition.ts LATER_INDEXES) holds every lead it should,
   * leads written before it too (LeadStore.markIndexesComplete). Without it: an index as complete as the table.
   */
  indexComplete?(indexName: string): Promise<boolean>;
  /** candidates in descending position order, lazily: the caller stops pulling once a page is full */
  candidates(query: LeadCandidateQuery): AsyncIterable<LeadCandidate>;
  /**
   * the report facts of the UTC days from `fromDay` to `toDay` (YYYY-MM-DD, inclusive), by time; with `max`,
   * TooManyFactsError as soon as more than `max` are read (a report's window its function cannot hold)
   */
  listFacts(fromDay: string, toDay: string, options?: { readonly max?: number }): Promise<LeadFact[]>;
}

/** listFacts read more than its `max`: it stopped reading. */
export class TooManyFactsError extends Error {
  constructor(readonly max: number) {
    super(`more than ${max} report facts`);
    this.name = 'TooManyFactsError';
  }
}

/**
 * Told of every lead state written (created or saved), after the write: derives and stores what follows from
 * it. `since`: the story's length before the write, when the writer read the version it replaced (a save):
 * the entries at that position and after are the write's (domain/report-facts.ts latestFacts).
 */
export interface LeadWriteObserver {
  leadWritten(state: LeadState, since?: number): Promise<void>;
  /**
   * Optional: what follows from `state` stored together with the outbox mark of its claim (the park's
   * write, then its sends, then this: ADR 0025), in one request. When any observer has it, the store does
   * not write the mark itself: one of them must (an observer that only counts may have it too). Without
   * it, leadWritten, then the store's mark.
   */
  leadWrittenAndSent?(
    state: LeadState,
    mark: { readonly claim: string; readonly at: string },
    since?: number,
  ): Promise<void>;
}

/** Most search matches read per searched field (email, name, company) for one `q`. */
export const SEARCH_MATCH_CAP = 500;
