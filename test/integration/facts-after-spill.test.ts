/**
 * Report facts on a long story (ADR 0021 and 0030 together): once a lead's older timeline entries have
 * moved to their own items, the facts each later write stores (the time it spent in the stage it left,
 * attempt numbers, the first touch of a handover long ago) are still those of the whole story. Run on
 * dynalite through the DynamoDB adapter and the fact log, change by change, against the domain's own
 * facts of the same story kept whole on one state.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbFactLog } from '../../lambdas/adapters/dynamodb-fact-log.ts';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore, TIMELINE_TAIL_MAX } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import {
  type LeadState,
  newLeadState,
  type TimelineEntry,
  withTimeline,
} from '../../lambdas/domain/lead-state.ts';
import { factsOf, type LeadFact } from '../../lambdas/domain/report-facts.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { useDynalite } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const T0 = Date.parse('2026-11-02T08:00:00.000Z');
const HOUR = 3_600_000;

/** the story, an entry an hour: nurtured past two tails, an SQL, a handover, attempts past another tail */
function story(): TimelineEntry[] {
  let hour = 1;
  const entry = (fields: Omit<TimelineEntry, 'at' | 'reasons'>): TimelineEntry => ({
    at: new Date(T0 + HOUR * hour++).toISOString(),
    reasons: [{ rule: 'fixture', detail: 'one change of a long story' }],
    ...fields,
  });
  const judged = () => entry({ kind: 'judged', from: 'mql/nurturing', to: 'mql/nurturing', by: 'workflow' });
  const attempt = () =>
    entry({ kind: 'attempt', from: 'sql/attempting-contact', to: 'sql/attempting-contact', by: 'rep:jonas' });
  return [
    entry({ kind: 'stage', from: 'lead/new', to: 'mql/nurturing', by: 'workflow' }),
    ...Array.from({ length: 2 * TIMELINE_TAIL_MAX }, judged),
    entry({ kind: 'stage', from: 'mql/nurturing', to: 'sql/new', by: 'workflow' }),
    entry({ kind: 'owner', to: 'jonas', by: 'workflow' }),
    ...Array.from({ length: TIMELINE_TAIL_MAX + 5 }, attempt),
    entry({ kind: 'owner', from: 'jonas', to: 'lena', by: 'rep:katrin' }),
    attempt(),
    entry({ kind: 'stage', from: 'sql/attempting-contact', to: 'opportunity/connected', by: 'rep:lena' }),
  ];
}

const created = (leadId: string): LeadState =>
  newLeadState(
    sla,
    { leadId, email: 'petra@brauhaus.example', fields: { country: 'DE' }, marketingConsent: false },
    [],
    new Date(T0),
    'form',
  );

const identity = (fact: LeadFact) => `${fact.kind}@${fact.at}#${fact.seq}`;
const byIdentity = (facts: readonly LeadFact[]) =>
  [...facts].sort((a, b) => identity(a).localeCompare(identity(b)));

describe('report facts of a story longer than the state keeps', () => {
  const dynamo = useDynalite();

  it.each([
    ['with the carry (the runtime)', true],
    ['without it (the tail alone, as before)', false],
  ])('%s', async (_, carried) => {
    // Arrange
    const leadId = carried ? 'LeadLongFacts000000001' : 'LeadLongFacts000000002';
    const raw = new DynamoDbLeadStore(dynamo.doc, {
      tableName: dynamo.tableName,
      ...(carried ? { carry: storyCarrier(sla) } : {}),
    });
    const store = observeWrites(raw, new DynamoDbFactLog(dynamo.doc, dynamo.tableName, sla));
    const entries = story();
    let whole = created(leadId);
    expect(await store.createLead(whole)).toBe('created');
    // Act: one change per entry, as the workflow and the reps make them
    for (const entry of entries) {
      const change = (current: LeadState) => ({ ...withTimeline(current, entry), updatedAt: entry.at });
      whole = change(whole);
      expect((await updateLead(store, leadId, change)).result).toBe('saved');
    }
    // Assert
    const stored = (await raw.getLead(leadId))!;
    expect(stored.timelineSpilled).toBeGreaterThan(2 * TIMELINE_TAIL_MAX);
    const facts = (
      await new DynamoDbLeadQueries(dynamo.doc, dynamo.tableName).listFacts('2026-11-01', '2026-12-31')
    ).filter((fact) => fact.leadId === leadId);
    const expected = factsOf(sla, whole);
    const intoSql = (all: readonly LeadFact[]) =>
      all.find((fact) => fact.kind === 'stage' && fact.stage === 'sql');
    const attemptNos = (all: readonly LeadFact[]) =>
      byIdentity(all.filter((fact) => fact.kind === 'attempt')).map((fact) => fact.attemptNo);
    const lastAttemptNo = (all: readonly LeadFact[]) =>
      all.filter((fact) => fact.kind === 'attempt').at(-1)?.attemptNo;
    expect(intoSql(expected)?.hoursInFrom).toBe(2 * TIMELINE_TAIL_MAX + 1);
    if (carried) {
      expect(byIdentity(facts)).toEqual(byIdentity(expected));
      expect(stored.factsCarry?.through).toBe(stored.timelineSpilled);
    } else {
      // what the report got before: the stage left measured from the oldest entry on the tail, the
      // attempts counted from the tail's first
      expect(intoSql(facts)?.hoursInFrom).toBeLessThan(intoSql(expected)!.hoursInFrom!);
      expect(attemptNos(facts)).not.toEqual(attemptNos(expected));
      expect(stored.factsCarry).toBeUndefined();
    }
    expect(lastAttemptNo(expected)).toBe(1);
  });
});
