/**
 * An SLA deploy on AWS while leads are parked: the functions get the new SLA at once, but a parked execution
 * keeps the timer of its park (a nurtured MQL's next email a week out). Locally a restart resumes every parked
 * lead, so it is planned under the new SLA at once; on AWS the SlaMigration custom resource must wake them, or
 * a change that makes MQLs SQLs (what POST /sla/impact predicts "moves now") would hand them over days later.
 * The real ASL (aws-local-stepfunctions), the real tasks, DynamoDbLeadStore on dynalite, virtual time.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { impactOn } from '../../lambdas/tasks/sla-impact.ts';
import { useDynalite } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { exampleLead, workflowHarness } from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');
const MINUTE = 60_000;
const sla = loadDefaultSla();
/** the same SLA, its SQL threshold lowered from 145 to 100 */
const lowered: Sla = {
  ...sla,
  version: '2026.12-lower-sql',
  scoring: { ...sla.scoring, thresholds: { ...sla.scoring.thresholds, sql: 100 } },
};
/** a tier-A plant manager who downloaded the guide: an MQL (115) under the default SLA, an SQL at 100 */
const MQL = { ...exampleLead('hot'), email: 'mia@brauhaus-werke.example', formId: 'efficiency-guide' };

describe('an SLA deploy while leads are parked (AWS: SlaMigration)', () => {
  const dynalite = useDynalite();

  it('a lowered SQL threshold hands a nurtured MQL over at the deploy, as POST /sla/impact predicted', async () => {
    // Arrange: an MQL in nurture, parked until its next email
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const h = workflowHarness({ start: T0, sla, store });
    const leadId = await h.submit(MQL);
    await h.confirmConsent(leadId);
    await h.advanceTo(new Date(T0.getTime() + 10 * MINUTE));
    const parked = await h.lead(leadId);
    expect(parked.stage).toBe('mql');
    expect(parked.ownerId).toBeUndefined();
    expect(Date.parse(parked.dueAt!) - h.clock.now().getTime()).toBeGreaterThan(86_400_000);
    const predicted = await impactOn(store, sla, lowered, h.clock.now());
    expect(predicted.leads).toEqual([
      expect.objectContaining({ leadId, stageMove: { from: 'mql', to: 'sql' } }),
    ]);

    // Act: the deploy, then a minute
    await h.deploy(lowered);
    await h.advanceTo(new Date(h.clock.now().getTime() + MINUTE));

    // Assert: handed over now, judged by the new SLA, the rep told
    const lead = await h.lead(leadId);
    expect(lead).toMatchObject({ stage: 'sql', slaVersion: lowered.version });
    expect(lead.ownerId).toBeDefined();
    expect(h.notificationsOf(leadId).filter((n) => n.kind === 'sqlAssigned')).toHaveLength(1);
  });
});
