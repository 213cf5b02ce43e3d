/**
 * An execution that ended without succeeding, as EventBridge delivers it to the RecordFailure function
 * (ADR 0038): an execution the Catch path handled in full (it ended in the Fail state, LeadWorkflowFailed)
 * is left alone; any other end of the lead's current execution is recorded once and alerted every time it
 * is told, a record already there included (a retry of the event path, a Catch that recorded and could not
 * alert). Otherwise nothing is written and nobody is alerted. On dynalite through the DynamoDB adapter, with
 * a notifier that records the ops alerts; the last case runs the real ASL on the local engine.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { MAIL_THROTTLED } from '../../lambdas/ports/mailer.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import {
  type EndedExecution,
  LEAD_WORKFLOW_FAILED,
  recordEndedExecution,
  recordFailure,
} from '../../lambdas/tasks/record-failure.ts';
import { useDynalite } from '../support/dynalite.ts';
import { handedOff, FIXTURE_LEAD_ID as LEAD } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { exampleLead, workflowHarness } from '../support/workflow-harness.ts';

const sla = loadDefaultSla();
const AT = new Date('2026-12-07T09:00:00.000Z');
/** a handed-off lead parked until Wednesday, on generation 2 of cycle 1 */
const parked = (overrides: Partial<LeadState> = {}): LeadState => ({
  ...handedOff('2026-12-07T08:00:00.000Z', 'jonas', { leadId: LEAD }),
  slaVersion: sla.version,
  waitToken: 'token-of-g2',
  dueAt: '2026-12-09T08:00:00.000Z',
  generation: 2,
  execution: `${LEAD}-c1-g2`,
  ...overrides,
});

describe("recordEndedExecution: the end of a lead's execution, told by EventBridge", () => {
  const dynalite = useDynalite();
  // a recorded failure logs its line (lead id, no personal data): kept out of the test output
  beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => undefined));

  async function arrange(lead: LeadState) {
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    expect(await store.createLead(lead)).toBe('created');
    const alerts: string[] = [];
    const notifier = {
      opsAlert: async (subject: string) => void alerts.push(subject),
    } as unknown as Notifier;
    return { store, alerts, deps: { sla, store, notifier, clock: { now: () => AT } } };
  }

  it('records a failure of the current execution: due in 5 minutes, token gone, ops told', async () => {
    // Arrange
    const { store, alerts, deps } = await arrange(parked());
    // Act
    const outcome = await recordEndedExecution(deps, {
      name: `${LEAD}-c1-g2`,
      status: 'FAILED',
      error: 'States.Runtime',
      cause: "An error occurred while executing the state 'Park'",
    });
    // Assert
    expect(outcome).toBe('recorded');
    const lead = (await store.getLead(LEAD))!;
    expect(lead.workflowError).toEqual({
      at: AT.toISOString(),
      error: 'States.Runtime',
      cause: "An error occurred while executing the state 'Park'",
      count: 1,
      execution: `${LEAD}-c1-g2`,
    });
    expect(lead.dueAt).toBe('2026-12-07T09:05:00.000Z');
    expect(lead.waitToken).toBeUndefined();
    expect(lead.timeline.at(-1)).toMatchObject({ kind: 'failure', by: 'workflow' });
    expect(alerts).toEqual([`LeadPact: the workflow of lead ${LEAD} failed (States.Runtime)`]);
    // the due index has it: the reconciler restarts it then
    expect((await store.listDueLeads('2026-12-07T09:05:00.000Z')).map((due) => due.leadId)).toEqual([LEAD]);
  });

  it.each<[string, Partial<LeadState> | 'caught', EndedExecution]>([
    [
      'the Catch recorded and alerted: the execution ended in its Fail state',
      'caught',
      { name: `${LEAD}-c1-g2`, status: 'FAILED', error: LEAD_WORKFLOW_FAILED, cause: 'A task failed' },
    ],
    [
      'an end in the Fail state finds no record (nothing to repair: only the Catch leads there)',
      {},
      { name: `${LEAD}-c1-g2`, status: 'FAILED', error: LEAD_WORKFLOW_FAILED },
    ],
    ['an earlier generation (the lead moved on)', {}, { name: `${LEAD}-c1-g1`, status: 'FAILED' }],
    [
      'an earlier cycle (the person came back after erasure)',
      { cycle: 2, execution: `${LEAD}-c2-g0`, generation: 0 },
      { name: `${LEAD}-c1-g2`, status: 'FAILED' },
    ],
    ['an erased lead', { erasedAt: '2026-12-07T08:30:00.000Z' }, { name: `${LEAD}-c1-g2`, status: 'FAILED' }],
    ['a stopped execution (erase stops it first)', {}, { name: `${LEAD}-c1-g2`, status: 'ABORTED' }],
    ['a name that is no lead execution', {}, { name: 'something-else', status: 'FAILED' }],
  ])('leaves the lead alone: %s', async (_, setup, ended) => {
    // Arrange
    const { store, alerts, deps } = await arrange(parked(setup === 'caught' ? {} : setup));
    if (setup === 'caught')
      expect(
        await recordFailure(deps, {
          leadId: LEAD,
          cycle: 1,
          generation: 2,
          error: { Error: 'Error', Cause: 'x' },
        }),
      ).toBe('recorded');
    const before = (await store.getLead(LEAD))!;
    const alertsBefore = alerts.length;
    // Act
    const outcome = await recordEndedExecution(deps, ended);
    // Assert
    expect(outcome).toBe('ignored');
    expect((await store.getLead(LEAD))!.version).toBe(before.version);
    expect(alerts).toHaveLength(alertsBefore);
  });

  it('a lead from before execution names were recorded: its generation decides', async () => {
    // Arrange
    const { execution: _none, ...legacy } = parked();
    const { store, deps } = await arrange(legacy);
    // Act
    const older = await recordEndedExecution(deps, { name: `${LEAD}-c1-g1`, status: 'FAILED' });
    const current = await recordEndedExecution(deps, { name: `${LEAD}-c1-g2`, status: 'TIMED_OUT' });
    // Assert
    expect([older, current]).toEqual(['ignored', 'recorded']);
    expect((await store.getLead(LEAD))!.workflowError).toMatchObject({ error: 'States.Timeout', count: 1 });
  });

  it('a send SES throttled past its retries (ADR 0051): recorded and due, no email to ops (refused too, one per lead)', async () => {
    // Arrange
    const { store, alerts, deps } = await arrange(parked());
    // Act
    const outcome = await recordFailure(deps, {
      leadId: LEAD,
      cycle: 1,
      generation: 2,
      error: { Error: MAIL_THROTTLED, Cause: 'SES refused the send: TooManyRequestsException' },
    });
    // Assert: the reconciler restarts it in 5 minutes; the failed-executions alarm tells ops, not an email
    expect(outcome).toBe('recorded');
    const lead = (await store.getLead(LEAD))!;
    expect(lead.workflowError).toMatchObject({ error: MAIL_THROTTLED, count: 1 });
    expect(lead.dueAt).toBe('2026-12-07T09:05:00.000Z');
    expect(alerts).toEqual([]);
  });

  it('a lead that keeps failing with one error tells ops at its failures 1, 8, 16 (and when the error changes), not at each', async () => {
    // Arrange: a deal stranded on a stage the SLA lacks fails every restart the same way (a rollback past the
    // migration can strand hundreds: an email per lead per retry is ~9 a lead the first day)
    const { store, alerts, deps } = await arrange(parked());
    const fail = (generation: number, error: string) =>
      recordFailure(deps, {
        leadId: LEAD,
        cycle: 1,
        generation,
        error: { Error: error, Cause: `${error} at generation ${generation}` },
      });

    // Act: 16 failures of one error, one of another at the 17th, then the first again
    for (let generation = 2; generation < 18; generation++) await fail(generation, 'LeadPact.StrandedLead');
    await fail(18, 'States.Runtime');
    await fail(19, 'LeadPact.StrandedLead');

    // Assert: every failure recorded and counted; the alerts at 1, 8, 16, the change, and the change back
    expect((await store.getLead(LEAD))!.workflowError).toMatchObject({
      count: 18,
      error: 'LeadPact.StrandedLead',
    });
    expect(alerts).toEqual([
      `LeadPact: the workflow of lead ${LEAD} failed (LeadPact.StrandedLead)`,
      `LeadPact: the workflow of lead ${LEAD} failed 8 times in a row (LeadPact.StrandedLead)`,
      `LeadPact: the workflow of lead ${LEAD} failed 16 times in a row (LeadPact.StrandedLead)`,
      `LeadPact: the workflow of lead ${LEAD} failed 17 times in a row (States.Runtime)`,
      `LeadPact: the workflow of lead ${LEAD} failed 18 times in a row (LeadPact.StrandedLead)`,
    ]);
  });

  it("a retry of the Catch's RecordFailure (its alert failed) records the failure once and alerts again", async () => {
    // Arrange: the first attempt writes its record, then its alert fails (SES throttled): the task fails and
    // the state machine's Retry runs RecordFailure again on the same execution
    const { store, alerts, deps } = await arrange(parked());
    let alertFails = true;
    const flaky = {
      ...deps,
      notifier: {
        opsAlert: async (subject: string) => {
          if (alertFails) throw new Error('Throttling: Maximum sending rate exceeded');
          alerts.push(subject);
        },
      } as unknown as Notifier,
    };
    const input = { leadId: LEAD, cycle: 1, generation: 2, error: { Error: 'Error', Cause: 'x' } };
    await expect(recordFailure(flaky, input)).rejects.toThrow(/Throttling/);
    alertFails = false;
    // Act
    const outcome = await recordFailure(flaky, input);
    // Assert: one failure in a row (the first retry wait, 5 minutes, not 10), one failure entry, one alert
    expect(outcome).toBe('recorded');
    const lead = (await store.getLead(LEAD))!;
    expect(lead.workflowError).toMatchObject({ count: 1, execution: `${LEAD}-c1-g2` });
    expect(lead.dueAt).toBe('2026-12-07T09:05:00.000Z');
    expect(lead.timeline.filter((entry) => entry.kind === 'failure')).toHaveLength(1);
    expect(alerts).toEqual([`LeadPact: the workflow of lead ${LEAD} failed (Error)`]);
    // the end of the execution the Catch handled (its Fail state) adds nothing after it
    expect(
      await recordEndedExecution(deps, {
        name: `${LEAD}-c1-g2`,
        status: 'FAILED',
        error: LEAD_WORKFLOW_FAILED,
      }),
    ).toBe('ignored');
    expect(alerts).toHaveLength(1);
  });

  it.each<[string, 'event' | 'catch', EndedExecution]>([
    [
      "a retry of the event path: its record landed, its alert failed (Lambda's async retry)",
      'event',
      { name: `${LEAD}-c1-g2`, status: 'FAILED', error: 'States.Runtime', cause: 'the Park state' },
    ],
    [
      'the Catch recorded and its alert failed through every retry: the execution failed with that error',
      'catch',
      { name: `${LEAD}-c1-g2`, status: 'FAILED', error: 'Error', cause: 'Throttling: Maximum sending rate' },
    ],
  ])('a record already there still alerts, the failure counted once: %s', async (_, first, ended) => {
    // Arrange: INJECTED FAULT: the mail service refuses the first attempt's alert (SES throttled), after its record
    const { store, alerts, deps } = await arrange(parked());
    let alertFails = true;
    const flaky = {
      ...deps,
      notifier: {
        opsAlert: async (subject: string) => {
          if (alertFails) throw new Error('Throttling: Maximum sending rate exceeded');
          alerts.push(subject);
        },
      } as unknown as Notifier,
    };
    const recording =
      first === 'event'
        ? recordEndedExecution(flaky, ended)
        : recordFailure(flaky, {
            leadId: LEAD,
            cycle: 1,
            generation: 2,
            error: { Error: 'States.Runtime', Cause: 'the Park state' },
          });
    await expect(recording).rejects.toThrow(/Throttling/);
    const recorded = (await store.getLead(LEAD))!;
    alertFails = false;
    // Act
    const outcome = await recordEndedExecution(flaky, ended);
    // Assert: ops are told, of the failure as recorded; the lead is not written again (count 1, due in 5 minutes)
    expect(outcome).toBe('recorded');
    expect(alerts).toEqual([`LeadPact: the workflow of lead ${LEAD} failed (States.Runtime)`]);
    const lead = (await store.getLead(LEAD))!;
    expect(lead.version).toBe(recorded.version);
    expect(lead.workflowError).toMatchObject({
      count: 1,
      error: 'States.Runtime',
      execution: `${LEAD}-c1-g2`,
    });
    expect(lead.dueAt).toBe('2026-12-07T09:05:00.000Z');
    expect(lead.timeline.filter((entry) => entry.kind === 'failure')).toHaveLength(1);
  });

  it("the Catch's RecordFailure records and never gets its alert out: the execution's end alerts ops once, the failure counted once", async () => {
    // Arrange: the real ASL on the local engine, the real tasks, on dynalite. INJECTED FAULTS: every attempt
    // reminder before 13:03 throws (the workflow fails at 13:00, into its Catch), and the mail service refuses
    // ops alerts while the execution runs (every RecordFailure attempt); it is back when EventBridge delivers the end
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const h = workflowHarness({ start: new Date('2026-11-30T08:00:00.000Z'), sla, store });
    let leadId = '';
    h.notifier.failWhen = (n) =>
      (n.kind === 'attemptDue' && n.at < '2026-11-30T13:03:00.000Z') ||
      (n.kind === 'opsAlert' && h.executions(leadId).some((execution) => execution.status === 'RUNNING'));
    leadId = await h.submit(exampleLead('hot'));
    // Act
    await h.advanceTo('2026-11-30T13:00:00.000Z');
    // Assert: the execution failed in RecordFailure (its alert), not in its Fail state
    const [execution, ...others] = h.executions(leadId);
    expect(others).toEqual([]);
    expect(execution!.status).toBe('FAILED');
    expect(execution!.statesVisited.slice(-2)).toEqual(['Advance', 'RecordFailure']);
    const attempts = h.taskCalls.filter((call) => call.task === 'recordFailure').length;
    expect(attempts).toBeGreaterThan(1);
    expect(h.notifier.failures.filter((n) => n.kind === 'opsAlert')).toHaveLength(attempts);
    // ops are told once, by the execution's end; the failure is on the lead once
    expect(h.notifications.filter((n) => n.kind === 'opsAlert')).toEqual([
      {
        kind: 'opsAlert',
        to: 'ops',
        at: '2026-11-30T13:00:00.000Z',
        detail: `LeadPact: the workflow of lead ${leadId} failed (Error)`,
      },
    ]);
    const lead = await h.lead(leadId);
    expect(lead.workflowError).toMatchObject({
      count: 1,
      error: 'Error',
      cause: 'injected fault: attemptDue to jonas',
      execution: `${leadId}-c1-g0`,
    });
    expect(lead.dueAt).toBe('2026-11-30T13:05:00.000Z');
    expect(lead.timeline.filter((entry) => entry.kind === 'failure')).toHaveLength(1);
  });
});
