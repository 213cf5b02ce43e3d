/**
 * Report facts (ADR 0016, 0030) of a park's write that moves the oldest timeline entries off the lead
 * (ADR 0021, 0025), on DynamoDB (dynalite): the write's facts travel with the outbox mark, after the sends
 * (`observeWithMark`), while the entries they depend on (the earlier owner, for a reassignment) have just
 * moved to items of their own. The facts stored are those of the whole story.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbFactLog } from '../../lambdas/adapters/dynamodb-fact-log.ts';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { factsOf, type LeadFact } from '../../lambdas/domain/report-facts.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
/** handed to Jonas on Monday 09:00 Berlin; four business hours overdue at 17:30 Berlin */
const HANDED = '2026-11-30T08:00:00.000Z';
const AT = new Date('2026-11-30T16:30:00.000Z');
const MINUTE = 60_000;

/** into MQL, into SQL, handed to Jonas, then 76 judgements: a full tail whose oldest entries say who had the lead */
function story(): TimelineEntry[] {
  const at = (offset: number) => new Date(Date.parse(HANDED) + offset * MINUTE).toISOString();
  const reasons = [{ rule: 'fixture', detail: 'a change of the story' }];
  return [
    { at: at(-180), kind: 'stage', from: 'lead/new', to: 'mql/nurturing', by: 'workflow', reasons },
    { at: at(-60), kind: 'stage', from: 'mql/nurturing', to: 'sql/new', by: 'workflow', reasons },
    { at: at(0), kind: 'owner', to: 'jonas', by: 'workflow', reasons },
    ...Array.from({ length: 76 }, (_, n) => ({
      at: at(1 + n * 3),
      kind: 'judged',
      from: 'sql/new',
      to: 'sql/new',
      by: 'workflow',
      reasons,
    })),
  ];
}

const identity = (fact: LeadFact) => `${fact.kind}@${fact.at}#${fact.seq}`;
const byIdentity = (facts: readonly LeadFact[]) =>
  [...facts].sort((a, b) => identity(a).localeCompare(identity(b)));

describe('report facts of a park write that moves entries off the lead', () => {
  const dynalite = useDynalite();

  it('a reassignment whose earlier handover moves in the same write: reported as a reassignment, as the whole story says', async () => {
    // Arrange
    const raw = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const store = observeWrites(raw, new DynamoDbFactLog(dynalite.doc, dynalite.tableName, sla));
    await raw.createLead(
      handedOff(HANDED, 'jonas', {
        leadId: FIXTURE_LEAD_ID,
        slaVersion: sla.version,
        fields: { country: 'DE' },
        timeline: story(),
      }),
    );
    const notifier = new Proxy({} as Notifier, { get: () => async () => undefined });
    const deps = { sla, store, clock: { now: () => AT }, notifier };
    // Act
    const step = await advance(deps, {
      leadId: FIXTURE_LEAD_ID,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: HANDED,
    });
    const outcome = await park(deps, parkInputOf(step, 'token-1'));
    // Assert
    expect(outcome).toBe('parked');
    const stored = (await raw.getLead(FIXTURE_LEAD_ID))!;
    const moved = await raw.listTimeline(FIXTURE_LEAD_ID);
    expect(moved.map((entry) => entry.kind)).toContain('owner');
    expect(stored.factsCarry?.through).toBe(stored.timelineSpilled);
    const whole: LeadState = {
      ...stored,
      timeline: [...moved, ...stored.timeline],
      timelineSpilled: 0,
      factsCarry: undefined,
    };
    const expected = factsOf(sla, whole).filter((fact) => fact.at >= AT.toISOString());
    const facts = (
      await new DynamoDbLeadQueries(dynalite.doc, dynalite.tableName).listFacts('2026-11-30', '2026-11-30')
    ).filter((fact) => fact.leadId === FIXTURE_LEAD_ID && fact.at >= AT.toISOString());
    expect(expected.find((fact) => fact.kind === 'handover')).toMatchObject({
      rep: 'carla',
      reassigned: true,
    });
    expect(byIdentity(facts)).toEqual(byIdentity(expected));
    // and the state's own facts (carry and tail) agree with the whole story from here on
    expect(byIdentity(factsOf(sla, stored).filter((fact) => fact.at >= AT.toISOString()))).toEqual(
      byIdentity(expected),
    );
  });
});
