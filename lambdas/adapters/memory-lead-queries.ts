/**
 * LeadQueries in memory, the twin of dynamodb-lead-queries.ts for the simulator, benches and fast tests:
 * it observes every lead state written (observeWrites) and keeps what the indexes would hold, with the
 * same sparse rules (table-definition.ts leadIndexKeys, isOpenOwnedLead) and the same order. Search terms are
 * folded from each lead as held, when asked: as a table whose every lead was written since the fold it uses (a
 * table may still hold entries of an older fold, which the DynamoDB queries look up too: ADR 0054).
 */
import type { LeadState } from '../domain/lead-state.ts';
import { type LeadFact, latestFacts } from '../domain/report-facts.ts';
import type { Sla } from '../domain/sla-schema.ts';
import { leadPastContact } from '../domain/sla-standing.ts';
import {
  type LeadCandidate,
  type LeadCandidateQuery,
  type LeadQueries,
  type LeadWriteObserver,
  SEARCH_MATCH_CAP,
  TooManyFactsError,
} from '../ports/lead-queries.ts';
import { createdPosition, handoverCandidate, nextStepCandidate, updatedPosition } from './lead-candidates.ts';
import {
  checkDay,
  FIRST_TOUCH_OWED,
  factKeys,
  firstTouchIndexRange,
  firstTouchIndexSortKey,
  isOpenOwnedLead,
  isWaitingForOwner,
  keptDeadlineRange,
  keyTime,
  matchesSearch,
  mayBeInContact,
  nextStepEntryListed,
  nextStepIndexRange,
  nextStepIndexSortKey,
  SEARCH_INDEXES,
  searchPartition,
  searchQueriesFor,
  searchTermsOf,
} from './table-definition.ts';

export class MemoryLeadQueries implements LeadQueries, LeadWriteObserver {
  private readonly leads = new Map<string, LeadState>();
  /** fact sort key -> fact, per UTC day */
  private readonly facts = new Map<string, Map<string, LeadFact>>();

  /**
   * `keep: 'facts-only'` keeps the report facts and no copy of each lead (no lead lists): what the simulator
   * reads, at a fraction of the memory and time.
   */
  constructor(
    private readonly sla: Sla,
    private readonly options: { readonly keep?: 'facts-only' } = {},
  ) {}

  async leadWritten(state: LeadState, since?: number): Promise<void> {
    // writes may be told out of order (a new lead's create beside its first wake's write): a state older
    // than the one held leaves it, as the table holds the later one
    const held = this.leads.get(state.leadId);
    const older =
      held && (held.cycle > state.cycle || (held.cycle === state.cycle && held.version > state.version));
    if (this.options.keep !== 'facts-only' && !older) this.leads.set(state.leadId, structuredClone(state));
    this.addFacts(latestFacts(this.sla, state, since));
  }

  /** Stores facts of a lead write (latestFacts), each once: for a caller that derived them already. */
  addFacts(facts: readonly LeadFact[]): void {
    for (const fact of facts) {
      const keys = factKeys(fact);
      const day = keyTime(fact.at).slice(0, 10);
      const stored = this.facts.get(day) ?? new Map<string, LeadFact>();
      this.facts.set(day, stored);
      if (!stored.has(keys.sk + keys.pk)) stored.set(keys.sk + keys.pk, fact);
    }
  }

  async *candidates(query: LeadCandidateQuery): AsyncGenerator<LeadCandidate> {
    const out: LeadCandidate[] = [];
    if (query.firstTouch) {
      // the first-touch index's rules (table-definition.ts leadIndexKeys) and key range
      const { startedBy, keptDueBefore } = query.firstTouch;
      for (const lead of this.leads.values()) {
        const latest = lead.ownerId === undefined ? undefined : startedBy[lead.ownerId];
        if (latest === undefined || !isOpenOwnedLead(lead) || !lead.handedOffAt) continue;
        const ranges = [
          firstTouchIndexRange(FIRST_TOUCH_OWED, latest),
          ...(keptDueBefore === undefined ? [] : [keptDeadlineRange(FIRST_TOUCH_OWED, keptDueBefore)]),
        ];
        const key = firstTouchIndexSortKey(lead);
        if (ranges.some((range) => key >= range.lower && key <= range.upper))
          out.push(handoverCandidate(lead as unknown as Record<string, unknown>, key));
      }
    } else if (query.nextStep) {
      // the next-step index's rules (table-definition.ts leadIndexKeys, with the SLA's pastContact) and ranges
      const { startedBy, order, keptDueBefore } = query.nextStep;
      for (const lead of this.leads.values()) {
        const buckets = lead.ownerId === undefined ? undefined : startedBy[lead.ownerId];
        if (buckets === undefined || !mayBeInContact(lead, (state) => leadPastContact(this.sla, state)))
          continue;
        const key = nextStepIndexSortKey(lead);
        const bucket = key.slice(0, key.indexOf('#'));
        const latest = buckets[bucket];
        if (latest === undefined) continue;
        const range = nextStepIndexRange(bucket, latest, keptDueBefore);
        if (
          key >= range.lower &&
          key <= range.upper &&
          nextStepEntryListed(key, bucket, latest, keptDueBefore)
        )
          out.push(nextStepCandidate(lead as unknown as Record<string, unknown>, order, key));
      }
    } else if (query.waitingForOwner) {
      for (const lead of this.leads.values())
        if (isWaitingForOwner(lead) && (query.status === undefined || lead.status === query.status))
          out.push({ leadId: lead.leadId, position: updatedPosition(lead.updatedAt, lead.leadId) });
    } else if (query.owners) {
      for (const lead of this.leads.values())
        if (
          isOpenOwnedLead(lead) &&
          query.owners.includes(lead.ownerId!) &&
          (query.status === undefined || lead.status === query.status) &&
          (query.q === undefined || matchesSearch(searchTermsOf(lead), query.q))
        )
          out.push({
            leadId: lead.leadId,
            position: updatedPosition(lead.updatedAt, lead.leadId),
            summary: { ownerId: lead.ownerId!, stage: lead.stage, status: lead.status },
          });
    } else if (query.q !== undefined) {
      let truncated = false;
      const perField = new Map<string, LeadState[]>();
      for (const lead of this.leads.values()) {
        if (lead.erasedAt) continue;
        const terms = searchTermsOf(lead);
        for (const { prefix } of SEARCH_INDEXES) {
          const term = terms[prefix];
          if (
            term &&
            searchPartition(prefix, term) &&
            searchQueriesFor(prefix, query.q).some((q) => term.startsWith(q))
          )
            perField.set(prefix, [...(perField.get(prefix) ?? []), lead]);
        }
      }
      for (const [prefix, matches] of perField) {
        // the index's order (term, then id) decides which matches the cap keeps
        const key = (lead: LeadState) => `${searchTermsOf(lead)[prefix as 'EMAIL#']}#${lead.leadId}`;
        const sorted = matches.sort((a, b) => (key(a) < key(b) ? -1 : 1)).slice(0, SEARCH_MATCH_CAP);
        if (matches.length > SEARCH_MATCH_CAP) truncated = true;
        for (const lead of sorted)
          out.push({ leadId: lead.leadId, position: createdPosition(lead.createdAt, lead.leadId) });
      }
      // every candidate of a cut search says so (as DynamoDbLeadQueries' do)
      if (truncated) out.splice(0, out.length, ...out.map((candidate) => ({ ...candidate, truncated })));
    } else {
      const from = query.from === undefined ? undefined : keyTime(query.from);
      const to = query.to === undefined ? undefined : keyTime(query.to);
      for (const lead of this.leads.values()) {
        if (lead.erasedAt) continue;
        if (query.stage !== undefined && lead.stage !== query.stage) continue;
        if (query.status !== undefined && lead.status !== query.status) continue;
        if (query.type !== undefined && lead.leadType !== query.type) continue;
        const created = keyTime(lead.createdAt);
        if ((from !== undefined && created < from) || (to !== undefined && created >= to)) continue;
        out.push({ leadId: lead.leadId, position: createdPosition(lead.createdAt, lead.leadId) });
      }
    }
    const unique = [...new Map(out.map((candidate) => [candidate.leadId, candidate])).values()];
    unique.sort((a, b) => (a.position < b.position ? 1 : a.position > b.position ? -1 : 0));
    for (const candidate of unique)
      if (query.after === undefined || candidate.position < query.after) yield candidate;
  }

  async listFacts(
    fromDay: string,
    toDay: string,
    options: { readonly max?: number } = {},
  ): Promise<LeadFact[]> {
    checkDay(fromDay);
    checkDay(toDay);
    const out: LeadFact[] = [];
    for (const [day, facts] of this.facts) {
      if (day >= fromDay && day <= toDay) out.push(...facts.values());
      if (options.max !== undefined && out.length > options.max) throw new TooManyFactsError(options.max);
    }
    return out.map((fact) => ({ ...fact }));
  }
}
