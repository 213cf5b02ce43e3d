/**
 * The dedupe keys on a very long-lived lead (`sent`, ADR 0034). A cap by count (the last 300 keys) dropped
 * the oldest first: on a deal open for years its stale reminders pushed out the handoff's "new SQL" key,
 * and the next wake announced the handoff again. Now only keys no plan can produce again leave the state.
 * On DynamoDB (dynalite) with the real API function (logAttempt) and the real tasks (advance, handoff,
 * park); the notifier records what it was asked to send. Years of reminders are arranged as stored keys.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { takeWaitToken } from '../../lambdas/adapters/wait-token.ts';
import { logAttempt } from '../../lambdas/api/sales-actions.ts';
import { assignedKey } from '../../lambdas/domain/lead-plan.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import type { Workflow } from '../../lambdas/ports/workflow.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { recordFailure } from '../../lambdas/tasks/record-failure.ts';
import { LocalWorkflow } from '../../local/local-workflow.ts';
import { ManualScheduler } from '../../local/scheduler.ts';
import { LocalStepFunctions } from '../../local/step-functions.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff, withDeal } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const HANDED = '2018-03-05T09:00:00.000Z';
/** in Discovery (stale every 10 days) since the handoff: 319 reminders by now */
const SINCE = HANDED;
const REMINDERS = 319;
const NOW = new Date('2026-12-07T09:00:00.000Z');
const staleKey = (n: number) => `stale:1:discovery:${SINCE}:${n}`;

function recordingNotifier(sent: string[]): Notifier {
  return new Proxy({} as Notifier, { get: (_, kind) => async () => void sent.push(String(kind)) });
}

describe('the dedupe keys of a deal open for years', () => {
  const dynalite = useDynalite();

  it('a rep logs a call, then the deal wakes: the handoff is not announced again, and the state keeps only live keys', async () => {
    // Arrange: Jonas's deal, handed off in 2018, in Discovery since; its 319 stale reminders were sent
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const deal = withDeal(handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID }), 'discovery', SINCE);
    const reminders = Array.from({ length: REMINDERS }, (_, i) => staleKey(i + 1));
    await store.createLead({ ...deal, slaVersion: sla.version, sent: [...deal.sent, ...reminders] });
    expect((await store.getLead(FIXTURE_LEAD_ID))!.sent).toContain(assignedKey(deal));
    const clock = new ManualScheduler(NOW);
    const sent: string[] = [];
    const deps: TaskDeps = { sla, store, clock, notifier: recordingNotifier(sent) };
    const engine = new LocalStepFunctions(
      {
        advance: (input) => advance(deps, input),
        handoff: (input) => handoff(deps, input),
        park: (input) => park(deps, input),
        recordFailure: async () => undefined,
      },
      clock,
    );
    const workflow = new LocalWorkflow(engine, store, clock);
    // Act: Jonas logs a call (no answer), then the deal's next wake and its park
    const logged = await logAttempt(
      { sla, store, workflow, clock },
      FIXTURE_LEAD_ID,
      { outcome: 'no-answer' },
      { by: 'rep:jonas' },
    );
    const input = {
      leadId: FIXTURE_LEAD_ID,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: NOW.toISOString(),
    };
    let step = await advance(deps, input);
    if (step.next === 'handoff') step = await handoff(deps, input);
    expect(await park(deps, parkInputOf(step, 'token-1'))).toBe('parked');
    // Assert
    expect(logged.duplicate).toBe(false);
    expect(sent).toEqual([]);
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(lead.sent).toEqual([assignedKey(deal), staleKey(REMINDERS), `attempt:${logged.attemptId}`]);
    expect(lead.waitToken).toBe('token-1');
  });

  it('the SLA makes a stage stale less often: the reminder the new pace plans is sent once, however often the deal wakes', async () => {
    // Arrange: Jonas's deal in Discovery (stale every 10 days) since 2018-03-05, its 30th reminder sent on
    // 2018-12-30 (the only stale key a write keeps); the SLA now says every 30 days, so the reminder due now
    // is the 10th of the new pace
    const slower = slaWith('discovery', '10d', '30d');
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(slower),
    });
    const deal = withDeal(handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID }), 'discovery', SINCE);
    await store.createLead({ ...deal, slaVersion: slower.version, sent: [...deal.sent, staleKey(30)] });
    const clock = new ManualScheduler(new Date('2019-01-03T09:00:00.000Z'));
    const sent: string[] = [];
    const deps: TaskDeps = { sla: slower, store, clock, notifier: recordingNotifier(sent) };
    const input = {
      leadId: FIXTURE_LEAD_ID,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: clock.now().toISOString(),
    };
    // the signal's wake is run below, as the state machine would
    const workflow: Workflow = {
      start: async () => undefined,
      signal: async (lead) =>
        void (lead.waitToken && (await takeWaitToken(store, lead.leadId, lead.waitToken, clock.now()))),
      stop: async () => undefined,
    };
    const wakes: string[][] = [];
    const wake = async (token: string) => {
      const before = sent.length;
      const step = await advance(deps, { ...input, startedAt: clock.now().toISOString() });
      expect(await park(deps, parkInputOf(step, token))).toBe('parked');
      wakes.push(sent.slice(before));
    };
    const nextDay = () =>
      clock.advanceTo(new Date(clock.now().getTime() + 86_400_000), async () => undefined);
    // Act: the deal wakes (the reminder of the new pace goes out). A day later a step fails once (recorded,
    // the reconciler restarts the lead, whose wake writes the failure count back to 0); the day after, Jonas
    // logs a call (no answer) and the deal wakes on its signal
    await wake('token-1');
    await nextDay();
    await recordFailure(deps, {
      leadId: FIXTURE_LEAD_ID,
      cycle: 1,
      generation: 0,
      error: { Error: 'States.Timeout' },
    });
    await wake('token-2');
    await nextDay();
    await logAttempt(
      { sla: slower, store, workflow, clock },
      FIXTURE_LEAD_ID,
      { outcome: 'no-answer' },
      { by: 'rep:jonas' },
    );
    await wake('token-3');
    // Assert: one stale reminder, at the first wake
    expect(wakes).toEqual([['staleDeal'], [], []]);
  });
});

/** sla/default.yaml with one deal stage's staleAfter changed, as a new version */
function slaWith(stageId: string, from: string, to: string) {
  const text = readFileSync(new URL('../../sla/default.yaml', import.meta.url), 'utf8');
  const line = new RegExp(`(\\{ id: ${stageId},.*staleAfter: )${from}`);
  expect(text).toMatch(line);
  const parsed = parseSla(
    text.replace(line, `$1${to}`).replace(/^version: .*$/m, `version: ${sla.version}-slower`),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.sla;
}
