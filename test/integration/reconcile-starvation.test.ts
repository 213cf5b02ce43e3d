/**
 * The reconciler checks at most `limit` due leads a run, earliest due first, and leaves a lead whose execution
 * is alive due (its wake will move the due time). When more than `limit` leads stay due with a live execution
 * (every one retrying a send the mail service refuses for its daily quota, on ADR 0051's ten-minute schedule),
 * a lead due after them whose execution is gone (a lost start, a purged execution) must still be reached
 * within a bounded number of runs, not wait until those leads have moved on.
 *
 * On DynamoDB (dynalite) with the real ASL on the local engine and the real tasks; the reconciler is the real
 * one, run with a limit of 3 as it runs with 1,000 on AWS. INJECTED FAULT: the mail service refuses the busy
 * leads' nurture emails for its rate (MailThrottled, as the SES adapter names it): the local SES emulator has
 * no quota.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { MailThrottled } from '../../lambdas/ports/mailer.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { type ReconcileReport, reconcile } from '../../lambdas/tasks/reconcile.ts';
import { recordFailure } from '../../lambdas/tasks/record-failure.ts';
import { LocalWorkflow } from '../../local/local-workflow.ts';
import { ManualScheduler } from '../../local/scheduler.ts';
import { LocalStepFunctions } from '../../local/step-functions.ts';
import { useDynalite } from '../support/dynalite.ts';
import { lastOfTrack } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { RecordingNotifier } from '../support/workflow-harness.ts';

const sla = loadDefaultSla();
/** Mon 2026-11-30 10:00Z */
const T0 = new Date('2026-11-30T10:00:00.000Z');
const MINUTE = 60_000;
const LIMIT = 3;

const busyId = (n: number) => `LeadBusy${String(n).padStart(14, '0')}`;
const goneId = (n: number) => `LeadGone${String(n).padStart(14, '0')}`;

describe('the reconciler with more leads due and alive than it checks in a run', () => {
  const dynalite = useDynalite();
  let stopAtEnd = async () => {};
  afterEach(() => stopAtEnd(), 30_000);

  async function arrange(busy: number, gone: { readonly n: number; readonly dueMinutesAfter: number }[]) {
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const scheduler = new ManualScheduler(T0);
    const notifier = new RecordingNotifier(scheduler);
    const deps: TaskDeps = { sla, store, clock: scheduler, notifier };
    // every task invocation, so the test ends once none is left writing (a stopped execution's task runs on);
    // none starts once it ends
    const running = new Set<Promise<unknown>>();
    let ended = false;
    const task =
      <I, O>(fn: (input: I) => Promise<O>) =>
      (input: I): Promise<O> => {
        if (ended) return Promise.reject(new Error('the test ended'));
        const invocation = fn(input);
        running.add(invocation);
        void invocation.catch(() => undefined).finally(() => running.delete(invocation));
        return invocation;
      };
    const engine = new LocalStepFunctions(
      {
        advance: task((input: Parameters<typeof advance>[1]) => advance(deps, input)),
        handoff: task((input: Parameters<typeof handoff>[1]) => handoff(deps, input)),
        park: task((input: Parameters<typeof park>[1]) => park(deps, input)),
        recordFailure: task((input: Parameters<typeof recordFailure>[1]) => recordFailure(deps, input)),
      },
      scheduler,
    );
    const workflow = new LocalWorkflow(engine, store, scheduler);
    // the busy leads: due an hour ago and earlier (the last email of their nurture track), each wake's send
    // refused for the mail service's quota: the failed send makes the lead due now (T0), and the execution waits
    // for its retry, alive
    const busyIds = Array.from({ length: busy }, (_, n) => busyId(n));
    const refused = new Set<string>();
    const nurture = notifier.nurture.bind(notifier);
    notifier.nurture = async (lead, track, index) => {
      if (!busyIds.includes(lead.leadId)) return nurture(lead, track, index);
      refused.add(lead.leadId);
      throw new MailThrottled('injected: Daily message quota exceeded');
    };
    for (const [n, leadId] of busyIds.entries()) {
      await store.createLead({
        ...lastOfTrack(sla.version, new Date(T0.getTime() - (60 + n) * MINUTE).toISOString()),
        leadId,
      });
      await workflow.start(leadId, 1);
    }
    // each refused once: from now on retrying on the ASL's schedule (real seconds, up to ten minutes)
    while (refused.size < busy) await new Promise((resolve) => setTimeout(resolve, 20));
    stopAtEnd = async () => {
      ended = true;
      for (const execution of engine.active()) engine.stopExecution(execution.name);
      // the tasks in flight finish before the table goes
      while (running.size > 0) await Promise.allSettled([...running]);
    };
    // the gone leads: due after the busy ones' failed sends made them due (now, T0), their start lost (never run)
    for (const { n, dueMinutesAfter } of gone) {
      await store.createLead({
        ...lastOfTrack(sla.version, new Date(T0.getTime() + dueMinutesAfter * MINUTE).toISOString()),
        leadId: goneId(n),
      });
    }
    // the reconciler runs six minutes on, every lead due past its grace, the busy ones' executions alive and
    // retrying (ADR 0051: ~10 minutes)
    const clock = { now: () => new Date(T0.getTime() + 6 * MINUTE) };
    return { store, clock, engine, workflow, notifier, busyIds };
  }

  it('a lead whose execution is gone, due after more than `limit` leads retrying their sends, is restarted within two runs', async () => {
    // Arrange: 4 busy leads (one more than a run checks), 1 gone lead due a minute after them
    const { store, clock, engine, workflow, busyIds } = await arrange(LIMIT + 1, [
      { n: 0, dueMinutesAfter: 1 },
    ]);
    for (const leadId of busyIds) {
      expect(engine.execution(`${leadId}-c1-g0`)?.status).toBe('RUNNING');
      expect((await store.getLead(leadId))?.dueAt).toBeDefined();
    }
    // Act: the reconciler runs five times (25 minutes on AWS) while the busy leads keep retrying
    const reports: ReconcileReport[] = [];
    for (let run = 0; run < 5; run++) {
      reports.push(await reconcile({ store, executions: workflow.executions, clock }, { limit: LIMIT }));
    }
    // Assert: the gone lead restarted in the first two runs, once
    const restartedIn = reports.map((report) => report.restartedLeads.includes(goneId(0)));
    expect(restartedIn.slice(0, 2)).toContain(true);
    expect(restartedIn.filter(Boolean)).toHaveLength(1);
    expect(engine.execution(`${goneId(0)}-c1-g0`)).toBeDefined();
    // every run still checks `limit` leads, and never restarts a busy one
    expect(reports.map((report) => report.checked)).toEqual([LIMIT, LIMIT, LIMIT, LIMIT, LIMIT]);
    for (const leadId of busyIds) expect(engine.execution(`${leadId}-c1-g1`)).toBeUndefined();
  });

  it('two reconcilers at a time (overlapping runs on AWS): every gone lead among 8 busy ones is restarted within ceil(N / limit) + 1 rounds', async () => {
    // Arrange: 8 busy leads; 3 gone leads due with them (after them by id) and after them
    const gone = [
      { n: 0, dueMinutesAfter: 0 },
      { n: 1, dueMinutesAfter: 1 },
      { n: 2, dueMinutesAfter: 2 },
    ];
    const { store, clock, workflow } = await arrange(8, gone);
    const rounds = Math.ceil((8 + gone.length) / LIMIT) + 1;
    // Act: rounds of two runs at once
    const restarted = new Set<string>();
    for (let round = 0; round < rounds; round++) {
      const reports = await Promise.all([
        reconcile({ store, executions: workflow.executions, clock }, { limit: LIMIT }),
        reconcile({ store, executions: workflow.executions, clock }, { limit: LIMIT }),
      ]);
      for (const report of reports) for (const leadId of report.restartedLeads) restarted.add(leadId);
    }
    // Assert
    expect([...restarted].sort()).toEqual(gone.map(({ n }) => goneId(n)).sort());
  });
});
