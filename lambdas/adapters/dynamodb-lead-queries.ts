/**
 * LeadQueries on DynamoDB: Query on the secondary indexes of table-definition.ts, never a Scan.
 * - owners: the owner index (GSI1), one partition per owner (a rep's open leads: a bounded set); with `q`,
 *   only those the search indexes match (read beside them), so a manager's search reads the matches only.
 * - firstTouch: the first-touch index (GSI8), one partition per owner, one key range each (ADR 0044), and
 *   one of the deadlines kept by the leads' handovers (ADR 0062).
 * - nextStep: the next-step index (GSI10), one partition per owner, one key range per bucket (ADR 0053); in
 *   `00` and `--` it reaches the kept deadlines before `keptDueBefore` too (ADR 0065).
 * - waitingForOwner: the owner index's `OWNER#-` partition (leads whose handoff found nobody).
 * - q: the search indexes (GSI4-6, GSI9), begins_with on the folded term and on each older spelling of it that
 *   entries written before ADR 0054 may hold, at most SEARCH_MATCH_CAP each.
 * - otherwise: the stage index (GSI2 `LEADS#<stage>`), one partition per stage, by creation time, read
 *   page by page only as far as the caller pulls; status and type narrow it with a filter expression.
 * - facts: GSI2 `FACTS#<day>`, one partition per day.
 */

import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { LeadFact } from '../domain/report-facts.ts';
import { isSpellingOf } from '../domain/search-text.ts';
import { LIFECYCLE_STAGES } from '../domain/sla-constants.ts';
import {
  type LeadCandidate,
  type LeadCandidateQuery,
  type LeadQueries,
  SEARCH_MATCH_CAP,
  TooManyFactsError,
} from '../ports/lead-queries.ts';
import { type IndexPass, indexedAtLeast } from '../ports/lead-store.ts';
import {
  createdPosition,
  handoverCandidate,
  mergeDescending,
  nextStepCandidate,
  updatedPosition,
} from './lead-candidates.ts';
import {
  checkDay,
  FIRST_TOUCH_INDEX,
  FIRST_TOUCH_OWED,
  factDayPartition,
  firstTouchIndexPartition,
  firstTouchIndexRange,
  indexPassKey,
  keptDeadlineRange,
  keyTime,
  LATER_INDEXES_KEY,
  NEXT_STEP_INDEX,
  nextStepEntryListed,
  nextStepIndexPartition,
  nextStepIndexRange,
  OWNER_INDEX,
  ownerIndexPartition,
  ownerIndexStatusPrefix,
  SEARCH_INDEXES,
  STAGE_DAY_INDEX,
  searchQueriesFor,
  searchSpellings,
  searchTermOfKey,
  stageIndexPartition,
  WAITING_FOR_OWNER_PARTITION,
} from './table-definition.ts';

type Item = Record<string, NativeAttributeValue>;
const PAGE = 100;
/** Most entries one search query reads whose spelling is cut short of `q` (each checked against it). */
const SEARCH_READ_CAP = 4 * SEARCH_MATCH_CAP;
const DAY_MS = 86_400_000;
/** the index keys version from which every search entry is in ADR 0054's fold */
const FOLD_KEYS_VERSION = 2;
/** the index keys version from which every first-touch entry is keyed by its handover's touch (ADR 0072) */
const TOUCH_KEYS_VERSION = 7;

export class DynamoDbLeadQueries implements LeadQueries {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** the later indexes known complete (LATER_INDEXES_KEY): once complete, always; read until then */
  private readonly complete = new Set<string>();

  async indexComplete(indexName: string): Promise<boolean> {
    if (this.complete.has(indexName)) return true;
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: LATER_INDEXES_KEY }),
    );
    for (const name of (Item?.indexes as string[] | undefined) ?? []) this.complete.add(name);
    return this.complete.has(indexName);
  }

  /** every lead's search entries in today's fold (ADR 0055's pass of keys version 2 done): once so, always */
  private foldComplete = false;

  /** Whether a search still needs ADR 0054's look-ups of older spellings: one GetItem until the pass is done. */
  private async olderSpellingsStored(): Promise<boolean> {
    if (this.foldComplete) return false;
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: indexPassKey() }));
    this.foldComplete = indexedAtLeast(Item as IndexPass | undefined, FOLD_KEYS_VERSION);
    return !this.foldComplete;
  }

  /** every lead's first-touch entry keyed by its handover's touch (ADR 0055's pass of keys version 7 done) */
  private touchKeysComplete = false;

  /**
   * Whether the first-touch index may still hold an untouched lead under its status (ADR 0072): one GetItem an
   * overdue list until the index pass of TOUCH_KEYS_VERSION is done, then none.
   */
  private async statusKeysStored(): Promise<boolean> {
    if (this.touchKeysComplete) return false;
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: indexPassKey() }));
    this.touchKeysComplete = indexedAtLeast(Item as IndexPass | undefined, TOUCH_KEYS_VERSION);
    return !this.touchKeysComplete;
  }

  candidates(query: LeadCandidateQuery): AsyncIterable<LeadCandidate> {
    if (query.firstTouch) return this.byFirstTouch(query.firstTouch, query.after);
    if (query.nextStep) return this.byNextStep(query.nextStep, query.after);
    if (query.waitingForOwner) return this.byOwnerPartitions([WAITING_FOR_OWNER_PARTITION], query);
    if (query.owners) {
      const owned = this.byOwnerPartitions(query.owners.map(ownerIndexPartition), query);
      return query.q === undefined ? owned : this.searchWithin(owned, query.q);
    }
    if (query.q !== undefined) return this.bySearch(query.q, query.after);
    const stages = query.stage ? [query.stage] : [...LIFECYCLE_STAGES];
    return mergeDescending(stages.map((stage) => this.byStage(stage, query)));
  }

  async listFacts(
    fromDay: string,
    toDay: string,
    options: { readonly max?: number } = {},
  ): Promise<LeadFact[]> {
    const days: string[] = [];
    for (
      let at = Date.parse(`${checkDay(fromDay)}T00:00:00Z`);
      at <= Date.parse(`${checkDay(toDay)}T00:00:00Z`);
      at += DAY_MS
    )
      days.push(new Date(at).toISOString().slice(0, 10));
    // read across the days' queries together: past `max` every query stops at its next page
    let read = 0;
    const perDay = await Promise.all(
      days.map(async (day) => {
        const facts: LeadFact[] = [];
        for await (const items of this.pages({
          IndexName: STAGE_DAY_INDEX.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': STAGE_DAY_INDEX.partitionKey },
          ExpressionAttributeValues: { ':pk': factDayPartition(day) },
        })) {
          if (options.max !== undefined && read > options.max) break;
          read += items.length;
          for (const item of items) facts.push(item.fact as LeadFact);
        }
        return facts;
      }),
    );
    if (options.max !== undefined && read > options.max) throw new TooManyFactsError(options.max);
    return perDay.flat();
  }

  private async *byOwnerPartitions(
    partitions: readonly string[],
    query: LeadCandidateQuery,
  ): AsyncGenerator<LeadCandidate> {
    const all: LeadCandidate[] = [];
    await Promise.all(
      partitions.map(async (partition) => {
        const status = query.status === undefined ? {} : { ':prefix': ownerIndexStatusPrefix(query.status) };
        for await (const items of this.pages({
          IndexName: OWNER_INDEX.indexName,
          KeyConditionExpression: `#pk = :pk${query.status === undefined ? '' : ' AND begins_with(#sk, :prefix)'}`,
          ExpressionAttributeNames: {
            '#pk': OWNER_INDEX.partitionKey,
            ...(query.status === undefined ? {} : { '#sk': OWNER_INDEX.sortKey }),
          },
          ExpressionAttributeValues: { ':pk': partition, ...status },
        }))
          for (const item of items)
            all.push({
              leadId: String(item.leadId),
              position: updatedPosition(String(item.updatedAt), String(item.leadId)),
              ...(typeof item.ownerId === 'string'
                ? {
                    summary: {
                      ownerId: item.ownerId,
                      stage: String(item.stage),
                      status: String(item.status),
                    },
                  }
                : {}),
            });
      }),
    );
    yield* sortAfter(all, query.after);
  }

  /**
   * One Query per owner on the first-touch index: the key range of the status up to the owner's time; and one
   * more per owner with `keptDueBefore`: the range of the deadlines kept that passed before it (ADR 0062).
   */
  private async *byFirstTouch(
    query: NonNullable<LeadCandidateQuery['firstTouch']>,
    after: string | undefined,
  ): AsyncGenerator<LeadCandidate> {
    const all: LeadCandidate[] = [];
    // the untouched leads keyed by their status before ADR 0072 too, until the index pass re-keyed every lead
    const heads = [FIRST_TOUCH_OWED, ...((await this.statusKeysStored()) ? [query.handoffStatus] : [])];
    const ranges = Object.entries(query.startedBy).flatMap(([owner, latest]) =>
      heads.flatMap((head) => [
        { owner, range: firstTouchIndexRange(head, latest) },
        ...(query.keptDueBefore === undefined
          ? []
          : [{ owner, range: keptDeadlineRange(head, query.keptDueBefore) }]),
      ]),
    );
    await Promise.all(
      ranges.map(async ({ owner, range }) => {
        for await (const items of this.pages({
          IndexName: FIRST_TOUCH_INDEX.indexName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lower AND :upper',
          ExpressionAttributeNames: {
            '#pk': FIRST_TOUCH_INDEX.partitionKey,
            '#sk': FIRST_TOUCH_INDEX.sortKey,
          },
          ExpressionAttributeValues: {
            ':pk': firstTouchIndexPartition(owner),
            ':lower': range.lower,
            ':upper': range.upper,
          },
        }))
          for (const item of items) all.push(handoverCandidate(item));
      }),
    );
    yield* sortAfter(all, after);
  }

  /**
   * One Query per owner and bucket on the next-step index: the bucket's key range up to its time (ADR 0053), in
   * `00` and `--` with `keptDueBefore` up to that time too, keeping the entries whose kept deadline is before it
   * (ADR 0065).
   */
  private async *byNextStep(
    query: NonNullable<LeadCandidateQuery['nextStep']>,
    after: string | undefined,
  ): AsyncGenerator<LeadCandidate> {
    const all: LeadCandidate[] = [];
    const ranges = Object.entries(query.startedBy).flatMap(([owner, buckets]) =>
      Object.entries(buckets).map(([bucket, latest]) => ({
        owner,
        bucket,
        latest,
        range: nextStepIndexRange(bucket, latest, query.keptDueBefore),
      })),
    );
    await Promise.all(
      ranges.map(async ({ owner, bucket, latest, range }) => {
        for await (const items of this.pages({
          IndexName: NEXT_STEP_INDEX.indexName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lower AND :upper',
          ExpressionAttributeNames: { '#pk': NEXT_STEP_INDEX.partitionKey, '#sk': NEXT_STEP_INDEX.sortKey },
          ExpressionAttributeValues: {
            ':pk': nextStepIndexPartition(owner),
            ':lower': range.lower,
            ':upper': range.upper,
          },
        }))
          for (const item of items)
            if (
              nextStepEntryListed(String(item[NEXT_STEP_INDEX.sortKey]), bucket, latest, query.keptDueBefore)
            )
              all.push(nextStepCandidate(item, query.order));
      }),
    );
    yield* sortAfter(all, after);
  }

  /**
   * The owners' leads that the search indexes say match `q` (their order, the owner list's); all of them when
   * a search index held more than SEARCH_MATCH_CAP matches (the caller's filter then decides, as without `q`).
   */
  private async *searchWithin(owned: AsyncIterable<LeadCandidate>, q: string): AsyncGenerator<LeadCandidate> {
    const [matches, ownedCandidates] = await Promise.all([this.searchMatches(q), collect(owned)]);
    for (const candidate of ownedCandidates)
      if (matches.capped || matches.ids.has(candidate.leadId)) yield candidate;
  }

  /** The search's matches, each `truncated` when an index held more than SEARCH_MATCH_CAP (the answer is cut). */
  private async *bySearch(q: string, after: string | undefined): AsyncGenerator<LeadCandidate> {
    const { all, capped } = await this.searchMatches(q);
    const unique = new Map(
      all.map((candidate) => [candidate.leadId, capped ? { ...candidate, truncated: true } : candidate]),
    );
    yield* sortAfter([...unique.values()], after);
  }

  /**
   * The search indexes' matches of `q`, at most SEARCH_MATCH_CAP per index and spelling; `capped` if one held
   * more (read as one more than the cap: exactly the cap is not capped), or a spelling cut short read its most.
   * Each index is queried by each form of `q` (searchQueriesFor: Müller as muller and mueller, عبدالله and عبد
   * الله, in the surname index von der heide as heide too: ADR 0082) and by every spelling an entry matching a form may hold (ADR 0054: entries written before ة and ى
   * were read as ه and ي kept them as typed): the form itself, and for an Arabic form with ه or ي its older
   * spellings. A spelling cut short of its form (searchSpellings' `partial`) is checked against that form on
   * each entry read, and reads at most SEARCH_READ_CAP entries.
   */
  private async searchMatches(
    q: string,
  ): Promise<{ all: LeadCandidate[]; ids: Set<string>; capped: boolean }> {
    const all: LeadCandidate[] = [];
    let capped = false;
    const older = await this.olderSpellingsStored();
    await Promise.all(
      SEARCH_INDEXES.flatMap(({ index, prefix, olderFold }) =>
        searchQueriesFor(prefix, q)
          .flatMap((query) =>
            searchSpellings(prefix, query, older && olderFold).map((spelling) => ({ ...spelling, query })),
          )
          .map(async ({ partition, begins, partial, query }) => {
            let read = 0;
            let matched = 0;
            for await (const items of this.pages({
              IndexName: index.indexName,
              KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :q)',
              ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
              ExpressionAttributeValues: { ':pk': partition, ':q': begins },
              // one more than the cap: whether the index holds more than it keeps
              Limit: SEARCH_MATCH_CAP + 1,
            })) {
              for (const item of items) {
                if (partial && !isSpellingOf(searchTermOfKey(String(item[index.sortKey])), query)) continue;
                matched += 1;
                if (matched > SEARCH_MATCH_CAP) break;
                all.push({
                  leadId: String(item.leadId),
                  position: createdPosition(String(item.createdAt), String(item.leadId)),
                });
              }
              read += items.length;
              if (matched > SEARCH_MATCH_CAP || read >= SEARCH_READ_CAP) {
                capped = true;
                break;
              }
            }
          }),
      ),
    );
    return { all, ids: new Set(all.map((candidate) => candidate.leadId)), capped };
  }

  private async *byStage(
    stage: (typeof LIFECYCLE_STAGES)[number],
    query: LeadCandidateQuery,
  ): AsyncGenerator<LeadCandidate> {
    const names: Record<string, string> = { '#pk': STAGE_DAY_INDEX.partitionKey };
    const values: Item = { ':pk': stageIndexPartition(stage) };
    // sort key `<createdAt>#<leadId>`: '#' < '$', so `<time>$` bounds every lead created at `time`
    const upper = [query.after, query.to === undefined ? undefined : `${keyTime(query.to)}#`].filter(
      (bound): bound is string => bound !== undefined,
    );
    if (upper.length > 0) values[':upper'] = upper.sort()[0];
    if (query.from !== undefined) values[':lower'] = `${keyTime(query.from)}#`;
    if (upper.length > 0 || query.from !== undefined) names['#sk'] = STAGE_DAY_INDEX.sortKey;
    let key = '#pk = :pk';
    if (values[':upper'] !== undefined && values[':lower'] !== undefined)
      key += ' AND #sk BETWEEN :lower AND :upper';
    else if (values[':upper'] !== undefined) key += ' AND #sk < :upper';
    else if (values[':lower'] !== undefined) key += ' AND #sk >= :lower';
    const filters: string[] = [];
    if (query.status !== undefined) {
      names['#status'] = 'status';
      values[':status'] = query.status;
      filters.push('#status = :status');
    }
    if (query.type !== undefined) {
      names['#type'] = 'leadType';
      values[':type'] = query.type;
      filters.push('#type = :type');
    }
    for await (const items of this.pages({
      IndexName: STAGE_DAY_INDEX.indexName,
      KeyConditionExpression: key,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ScanIndexForward: false,
      Limit: PAGE,
    })) {
      for (const item of items) {
        const position = String(item[STAGE_DAY_INDEX.sortKey]);
        // BETWEEN includes its upper bound; the cursor's own lead is not repeated
        if (query.after !== undefined && position >= query.after) continue;
        yield { leadId: String(item.leadId), position };
      }
    }
  }

  /** Follows LastEvaluatedKey page by page, as far as the caller iterates. */
  private async *pages(input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Item[]> {
    let startKey: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      yield (page.Items ?? []) as Item[];
      startKey = page.LastEvaluatedKey as Item | undefined;
    } while (startKey);
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function* sortAfter(candidates: LeadCandidate[], after: string | undefined): Generator<LeadCandidate> {
  candidates.sort((a, b) => (a.position < b.position ? 1 : a.position > b.position ? -1 : 0));
  for (const candidate of candidates) if (after === undefined || candidate.position < after) yield candidate;
}
