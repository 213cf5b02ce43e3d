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

  /** An MQL in nurture, judged by the default SLA, parked until its next email. */
  async function parkedMql() {
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const h = workflowHarness({ start: T0, sla, store });
    const leadId = await h.submit(MQL);
    await h.confirmConsent(leadId);
    await h.advanceTo(new Date(T0.getTime() + 10 * MINUTE));
    const parked = await h.lead(leadId);
    expect(parked).toMatchObject({ stage: 'mql', slaVersion: sla.version });
    return { store, h, leadId, parked };
  }

  it('a lowered SQL threshold hands a nurtured MQL over at the deploy, as POST /sla/impact predicted', async () => {
    // Arrange: an MQL in nurture, parked until its next email
    const { store, h, leadId, parked } = await parkedMql();
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

  it('a deploy under the version that judged a parked lead (a rerun: an index added) does not wake it', async () => {
    // Arrange: an MQL in nurture, parked until its next email, judged by this SLA's version
    const { h, leadId, parked } = await parkedMql();

    // Act
    const report = await h.deploy(sla);

    // Assert: nothing woken, the park's timer and the lead as they were
    expect(report?.woken ?? 0).toBe(0);
    const after = await h.lead(leadId);
    expect(after.dueAt).toBe(parked.dueAt);
    expect(after.version).toBe(parked.version);
  });

  it('a dormant lead holding a renamed status the migration did not reach follows the mapping at its next step', async () => {
    // Arrange: an MQL waiting for its double opt-in (dormant); the functions run an SLA that renamed its status
    // nurturing -> in-nurture with a mapping, and the migration has not reached it
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const h = workflowHarness({ start: T0, sla, store });
    const leadId = await h.submit(MQL);
    expect(await h.lead(leadId)).toMatchObject({ status: 'nurturing', dormant: expect.anything() });
    const renamed: Sla = {
      ...sla,
      version: '2026.12-renamed-status',
      leadStatuses: sla.leadStatuses.map((status) =>
        status.id === 'nurturing' ? { ...status, id: 'in-nurture' } : status,
      ),
      migrations: { ...sla.migrations, statuses: { nurturing: 'in-nurture' } },
    };
    await h.deploy(renamed, { migration: false });

    // Act: a page view wakes it
    await h.postEvents(leadId, [
      { type: 'page_view', occurredAt: h.clock.now().toISOString(), eventId: 'dormant-wake-1' },
    ]);

    // Assert: the successor status, the move on its story
    const lead = await h.lead(leadId);
    expect(lead.status).toBe('in-nurture');
    expect(lead.timeline.filter((entry) => entry.kind === 'migrated')).toEqual([
      expect.objectContaining({ from: 'nurturing', to: 'in-nurture', by: 'system:sla-migration' }),
    ]);
  });
});
