/**
 * A workflow write that no park follows at once (Handoff's, Advance's when the lead ends or goes dormant,
 * a re-claim, a failed send's mark) must leave the lead where the reconciler finds it, should every step
 * after it fail, RecordFailure included (ADR 0033). On DynamoDB (dynalite) with the real ASL on the local
 * engine (aws-local-stepfunctions) and the real tasks; the reconciler is the real one.
 * INJECTED FAULTS: the park and RecordFailure throw, as when Lambda itself is out for longer than the
 * state machine's retries (nothing local can make the Lambda service fail); the mail service refuses
 * nurture emails in one row (the notifier throws, as SES would).
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { setDealStage } from '../../lambdas/api/sales-actions.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { pendingKeys } from '../../lambdas/domain/outbox.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { reconcile } from '../../lambdas/tasks/reconcile.ts';
import {
  type EndedExecution,
  recordEndedExecution,
  recordFailure,
} from '../../lambdas/tasks/record-failure.ts';
import { LocalWorkflow } from '../../local/local-workflow.ts';
import { ManualScheduler } from '../../local/scheduler.ts';
import { LocalStepFunctions } from '../../local/step-functions.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff, lastOfTrack, withDeal } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { RecordingNotifier } from '../support/workflow-harness.ts';

const sla = loadDefaultSla();
/** Mon 2026-11-30 10:00Z = 11:00 Berlin */
const T0 = new Date('2026-11-30T10:00:00.000Z');
const WEEK_ON = '2026-12-07T10:00:00.000Z';
const MINUTE = 60_000;

interface Row {
  /** the lead as stored before its execution starts */
  readonly lead: LeadState;
  /** the email whose claim the no-park write holds */
  readonly email: 'sqlAssigned' | 'nurture';
  /** the mail service refuses it (else the park is the first step to fail) */
  readonly refused: boolean;
  /** where the restarted execution leaves the lead */
  readonly ends: 'parked' | 'dormant';
}

const rows: [string, Row][] = [
  [
    'Handoff told the new owner, then the park and RecordFailure failed (the lead was due a week on, from its nurture park)',
    {
      // handed to Jonas and not yet told: the wake hands off (its announcement), the park follows
      lead: {
        ...handedOff(T0.toISOString(), 'jonas', { leadId: FIXTURE_LEAD_ID }),
        sent: [],
        dueAt: WEEK_ON,
      },
      email: 'sqlAssigned',
      refused: false,
      ends: 'parked',
    },
  ],
  [
    'the last nurture email of its track before the lead goes dormant, refused by the mail service, then RecordFailure failed',
    {
      // track "general" sent 2 of 3; the third (14 days after the second) is due: sent, then dormant
      lead: lastOfTrack(sla.version, T0.toISOString()),
      email: 'nurture',
      refused: true,
      ends: 'dormant',
    },
  ],
];

describe('a write no park follows, then every later step failing', () => {
  const dynalite = useDynalite();

  it.each(rows)('%s: the reconciler restarts the lead and the email goes out', async (_, row) => {
    // Arrange
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    await store.createLead(row.lead);
    const clock = new ManualScheduler(T0);
    const notifier = new RecordingNotifier(clock);
    const deps: TaskDeps = { sla, store, clock, notifier };
    /** Lambda is out for the park and RecordFailure (injected) */
    let lambdaOut = true;
    const outage = () => {
      throw Object.assign(new Error('injected: Lambda is unavailable'), { name: 'Lambda.ServiceException' });
    };
    notifier.failWhen = (n) => row.refused && lambdaOut && n.kind === row.email;
    const engine = new LocalStepFunctions(
      {
        advance: (input) => advance(deps, input),
        handoff: (input) => handoff(deps, input),
        park: async (input) => (lambdaOut ? outage() : park(deps, input)),
        recordFailure: async (input) => (lambdaOut ? outage() : recordFailure(deps, input)),
      },
      clock,
    );
    const workflow = new LocalWorkflow(engine, store, clock);
    // Act: the execution runs into the outage and fails without recording it
    engine.startExecution(`${FIXTURE_LEAD_ID}-c1-g0`, {
      leadId: FIXTURE_LEAD_ID,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: T0.toISOString(),
    });
    await engine.settle();
    expect(engine.execution(`${FIXTURE_LEAD_ID}-c1-g0`)?.status).toBe('FAILED');
    const failed = await store.getLead(FIXTURE_LEAD_ID);
    expect(failed?.workflowError).toBeUndefined();
    // ten minutes on, the outage is over and the reconciler runs
    lambdaOut = false;
    await clock.advanceTo(new Date(T0.getTime() + 10 * MINUTE), () => engine.settle());
    const report = await reconcile({ store, executions: workflow.executions, clock });
    await engine.settle();
    // Assert
    expect(failed?.dueAt).toBeDefined();
    expect(Date.parse(failed!.dueAt!)).toBeLessThanOrEqual(T0.getTime() + 5 * MINUTE);
    expect(report).toMatchObject({ checked: 1, restarted: 1 });
    expect(notifier.notifications.filter((n) => n.kind === row.email).length).toBeGreaterThanOrEqual(1);
    const after = await store.getLead(FIXTURE_LEAD_ID);
    // and the lead is where its plan puts it: parked with its deadline, or dormant with nothing due
    if (row.ends === 'dormant') {
      expect(after?.dormant).toBeDefined();
      expect(after?.dueAt).toBeUndefined();
    } else {
      expect(after?.waitToken).toBeDefined();
      expect(Date.parse(after!.dueAt!)).toBeGreaterThan(clock.now().getTime());
    }
    // nothing claimed is left unsent (a park records the handoff's email in `sent`)
    expect(pendingKeys(after!)).toEqual([]);
  });
  it('a rep moves a deal (the signal takes the token), then the wake’s park and RecordFailure fail: due now, not at the old stale time', async () => {
    // Arrange: Jonas's deal On hold (stale every 30 days), parked until then
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    await store.createLead({
      ...withDeal(
        handedOff(T0.toISOString(), 'jonas', { leadId: FIXTURE_LEAD_ID }),
        'on-hold',
        T0.toISOString(),
      ),
      slaVersion: sla.version,
      dueAt: T0.toISOString(),
    });
    const clock = new ManualScheduler(T0);
    const notifier = new RecordingNotifier(clock);
    const deps: TaskDeps = { sla, store, clock, notifier };
    let lambdaOut = false;
    const outage = () => {
      throw Object.assign(new Error('injected: Lambda is unavailable'), { name: 'Lambda.ServiceException' });
    };
    const engine = new LocalStepFunctions(
      {
        advance: (input) => advance(deps, input),
        handoff: (input) => handoff(deps, input),
        park: async (input) => (lambdaOut ? outage() : park(deps, input)),
        recordFailure: async (input) => (lambdaOut ? outage() : recordFailure(deps, input)),
      },
      clock,
    );
    const workflow = new LocalWorkflow(engine, store, clock);
    engine.startExecution(`${FIXTURE_LEAD_ID}-c1-g0`, {
      leadId: FIXTURE_LEAD_ID,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: T0.toISOString(),
    });
    await engine.settle();
    const parked = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(Date.parse(parked.dueAt!)).toBeGreaterThan(T0.getTime() + 20 * 86_400_000);
    // Act: an hour on, Lambda goes out; Jonas moves the deal to Quote development (stale every 7 days)
    await clock.advanceTo(new Date(T0.getTime() + 60 * MINUTE), () => engine.settle());
    lambdaOut = true;
    await setDealStage(
      { sla, store, workflow, clock },
      FIXTURE_LEAD_ID,
      { stage: 'quote-development' },
      {
        by: 'rep:jonas',
      },
    );
    await engine.settle();
    expect(engine.execution(`${FIXTURE_LEAD_ID}-c1-g0`)?.status).toBe('FAILED');
    const failed = (await store.getLead(FIXTURE_LEAD_ID))!;
    lambdaOut = false;
    await clock.advanceTo(new Date(T0.getTime() + 70 * MINUTE), () => engine.settle());
    const report = await reconcile({ store, executions: workflow.executions, clock });
    await engine.settle();
    // Assert: due from the signal on; restarted, the deal parks until its new stale time
    expect(Date.parse(failed.dueAt!)).toBeLessThanOrEqual(T0.getTime() + 60 * MINUTE);
    expect(report).toMatchObject({ checked: 1, restarted: 1 });
    const after = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(after.deal?.stageId).toBe('quote-development');
    expect(after.waitToken).toBeDefined();
    expect(Date.parse(after.dueAt!)).toBeLessThan(T0.getTime() + 8 * 86_400_000);
  });
  it("the wake that ends the lead after its last nurture email dies after its write, and every step after fails: the failed execution's event makes it due (ADR 0038), the email goes out once", async () => {
    // Arrange: track "general" sent 2 of 3; the third is due, then the lead goes dormant
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    await store.createLead(lastOfTrack(sla.version, T0.toISOString()));
    const clock = new ManualScheduler(T0);
    const notifier = new RecordingNotifier(clock);
    const deps: TaskDeps = { sla, store, clock, notifier };
    let lambdaOut = true;
    const outage = () => {
      throw Object.assign(new Error('injected: Lambda is unavailable'), { name: 'Lambda.ServiceException' });
    };
    /** the first Advance dies right after its state write landed (before the send): injected */
    let crashed = false;
    const dyingStore = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'saveLead') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<DynamoDbLeadStore['saveLead']>) => {
          const saved = await target.saveLead(...args);
          if (!crashed && saved === 'saved') {
            crashed = true;
            throw Object.assign(new Error('injected: the function died'), { name: 'Runtime.ExitError' });
          }
          return saved;
        };
      },
    });
    /** what EventBridge holds while the RecordFailure function is out: delivered again once it is back */
    const undelivered: EndedExecution[] = [];
    const engine = new LocalStepFunctions(
      {
        advance: async (input) =>
          crashed && lambdaOut ? outage() : advance({ ...deps, store: dyingStore }, input),
        handoff: (input) => handoff(deps, input),
        park: async (input) => (lambdaOut ? outage() : park(deps, input)),
        recordFailure: async (input) => (lambdaOut ? outage() : recordFailure(deps, input)),
        executionEnded: async (ended) => void undelivered.push(ended),
      },
      clock,
    );
    const workflow = new LocalWorkflow(engine, store, clock);
    // Act: the execution writes the end (the email recorded as sent, nothing due), dies, and fails throughout
    engine.startExecution(`${FIXTURE_LEAD_ID}-c1-g0`, {
      leadId: FIXTURE_LEAD_ID,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: T0.toISOString(),
    });
    await engine.settle();
    expect(engine.execution(`${FIXTURE_LEAD_ID}-c1-g0`)?.status).toBe('FAILED');
    const ended = (await store.getLead(FIXTURE_LEAD_ID))!;
    const sentBeforeRestart = notifier.notifications.filter((n) => n.kind === 'nurture').length;
    lambdaOut = false;
    await clock.advanceTo(new Date(T0.getTime() + 10 * MINUTE), () => engine.settle());
    // without the event nothing is due: the reconciler would never look at the lead
    const before = await reconcile({ store, executions: workflow.executions, clock });
    // EventBridge's retry reaches RecordFailure now that it is back; ten minutes on, the reconciler runs
    for (const execution of undelivered) await recordEndedExecution(deps, execution);
    await clock.advanceTo(new Date(T0.getTime() + 20 * MINUTE), () => engine.settle());
    const report = await reconcile({ store, executions: workflow.executions, clock });
    await engine.settle();
    // Assert
    expect(ended.dormant).toBeDefined();
    expect(ended.dueAt).toBeUndefined();
    expect(sentBeforeRestart).toBe(0);
    expect(before).toMatchObject({ checked: 0 });
    expect(undelivered).toEqual([
      expect.objectContaining({ name: `${FIXTURE_LEAD_ID}-c1-g0`, status: 'FAILED' }),
    ]);
    expect(report).toMatchObject({ checked: 1, restarted: 1 });
    expect(notifier.notifications.filter((n) => n.kind === 'nurture')).toHaveLength(1);
    const after = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(after.dormant).toBeDefined();
    expect(after.dueAt).toBeUndefined();
    const { state, confirmed = [] } = (await store.loadLead(FIXTURE_LEAD_ID))!;
    expect((state.outbox ?? []).filter((entry) => !confirmed.includes(entry.claim ?? ''))).toEqual([]);
  });
});
