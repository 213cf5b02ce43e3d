/**
 * A deal in a stage the running SLA does not have, and no `migrations.dealStages` entry for it. The deploy's
 * migration refuses such an SLA for the leads it reads, so a lead holds one only past it: after a rollback that
 * skipped the migration (docs/deploy.md: `continue-update-rollback --resources-to-skip`), leaving leads on the
 * new SLA's stages under the old one; a deal moved by a function of the code before in the seconds before the
 * migration ran; an item restored from a backup. Its plan has no stale timer for the stage (planDeal): as
 * first shipped it parked the deal for 30 days, again and again, with no reminder, no failure and nobody told.
 * Now the wake fails with the reason (LeadPact.StrandedLead), as a lead the deploy would strand: recorded on
 * the lead, ops alerted, retried by the reconciler until the SLA maps the stage or the deal is moved.
 *
 * On DynamoDB (dynalite) with the real ASL on the local engine and the real tasks and reconciler.
 */
import { describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { setDealStage } from '../../lambdas/api/sales-actions.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { reconcile } from '../../lambdas/tasks/reconcile.ts';
import { recordFailure } from '../../lambdas/tasks/record-failure.ts';
import { LocalWorkflow } from '../../local/local-workflow.ts';
import { ManualScheduler } from '../../local/scheduler.ts';
import { LocalStepFunctions } from '../../local/step-functions.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff, withDeal } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { RecordingNotifier } from '../support/workflow-harness.ts';

const defaultSla = loadDefaultSla();
/** Mon 2026-11-30 10:00Z */
const T0 = new Date('2026-11-30T10:00:00.000Z');
const MINUTE = 60_000;
const DAY = 86_400_000;

describe('a deal in a stage the SLA does not have', () => {
  const dynalite = useDynalite();

  async function run(sla: Sla) {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    // handed to Jonas three weeks ago, its deal in "negotiation" (a stage of the SLA rolled back from) for 20 days
    const since = new Date(T0.getTime() - 20 * DAY).toISOString();
    await store.createLead({
      ...withDeal(
        handedOff(new Date(T0.getTime() - 21 * DAY).toISOString(), 'jonas', { leadId: FIXTURE_LEAD_ID }),
        'negotiation',
        since,
      ),
      slaVersion: sla.version,
      dueAt: T0.toISOString(),
    });
    const clock = new ManualScheduler(T0);
    const notifier = new RecordingNotifier(clock);
    const deps: TaskDeps = { sla, store, clock, notifier };
    const engine = new LocalStepFunctions(
      {
        advance: (input) => advance(deps, input),
        handoff: (input) => handoff(deps, input),
        park: (input) => park(deps, input),
        recordFailure: (input) => recordFailure(deps, input),
      },
      clock,
    );
    const workflow = new LocalWorkflow(engine, store, clock);
    await workflow.start(FIXTURE_LEAD_ID, 1);
    await engine.settle();
    return { store, clock, notifier, engine, workflow, deps };
  }

  it('fails its wake with the reason: recorded on the lead, ops told, retried by the reconciler, not parked for 30 days in silence', async () => {
    // Arrange, Act
    const { store, notifier } = await run(defaultSla);

    // Assert
    const lead = await store.getLead(FIXTURE_LEAD_ID);
    expect(lead?.waitToken).toBeUndefined();
    expect(lead?.workflowError).toMatchObject({ error: 'LeadPact.StrandedLead' });
    expect(lead?.workflowError?.cause).toContain('deal stage "negotiation"');
    expect(lead?.workflowError?.cause).toContain('migrations.dealStages.negotiation');
    expect(Date.parse(lead!.dueAt!)).toBeLessThanOrEqual(T0.getTime() + 5 * MINUTE);
    const alerts = notifier.notifications.filter((n) => n.kind === 'opsAlert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.detail).toContain('LeadPact.StrandedLead');
  });

  it('once the rep moves the deal to a stage the SLA has, the restarted workflow parks it on that stage’s stale timer', async () => {
    // Arrange: the wake failed as above
    const { store, clock, engine, workflow, deps } = await run(defaultSla);
    expect((await store.getLead(FIXTURE_LEAD_ID))?.workflowError).toBeDefined();

    // Act: Jonas sets the deal to Quote presented; the reconciler runs after the retry time
    await setDealStage(
      { ...deps, workflow },
      FIXTURE_LEAD_ID,
      { stage: 'quote-presented' },
      { by: 'rep:jonas' },
    );
    await clock.advanceTo(new Date(T0.getTime() + 10 * MINUTE), () => engine.settle());
    const report = await reconcile({ store, executions: workflow.executions, clock });
    await engine.settle();

    // Assert: parked until the stage's first stale reminder (9 days after the move), the failure over
    expect(report.restarted).toBe(1);
    const lead = await store.getLead(FIXTURE_LEAD_ID);
    expect(lead?.deal?.stageId).toBe('quote-presented');
    expect(lead?.waitToken).toBeDefined();
    expect(Date.parse(lead!.dueAt!)).toBeGreaterThanOrEqual(T0.getTime() + 9 * DAY);
    expect(Date.parse(lead!.dueAt!)).toBeLessThan(T0.getTime() + 30 * DAY);
    expect(lead?.workflowError?.count).toBe(0);
  });

  it('with migrations.dealStages mapping it, the wake follows the mapping and parks on its successor’s stale timer', async () => {
    // Arrange, Act
    const mapped: Sla = {
      ...defaultSla,
      migrations: { ...defaultSla.migrations, dealStages: { negotiation: 'quote-presented' } },
    };
    const { store } = await run(mapped);

    // Assert
    const lead = await store.getLead(FIXTURE_LEAD_ID);
    expect(lead?.workflowError).toBeUndefined();
    expect(lead?.deal?.stageId).toBe('quote-presented');
    expect(lead?.waitToken).toBeDefined();
  });
});
