/**
 * A rep's update racing the wake on the local engine (aws-local-stepfunctions, the real ASL, the real
 * handlers): the attempt's handler writes the lead and signals the token it finds on it. While Advance
 * plans, that token is the previous park's (spent: the signal reaches nobody), so the park's planned write
 * must lose and the execution plan again; while the park sends, the token is the park's own (live: the
 * engine holds the signal until the park's handler is done). Either way the lead ends up where the
 * attempt puts it, with a live park, and nothing planned before the attempt is sent after it.
 */
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { HttpEvent, HttpResult } from '../../lambdas/api/http.ts';
import { postAttemptHandler } from '../../lambdas/api/lead-sales.ts';
import { roundsOf } from '../support/rounds.ts';
import { exampleLead, type WorkflowHarness, workflowHarness } from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');

/**
 * the emails of the contact phase: the connected lead's own "no deal yet" reminders (contact.decideWithin,
 * every 5 business days after the connect) are planned after the attempt, not before it
 */
const contactEmails = (kinds: readonly { kind: string }[]) =>
  kinds.map((n) => n.kind).filter((kind) => kind !== 'decideDue');

/** POST /leads/{id}/attempts through the real handler, without waiting for the engine to settle */
function attemptNow(h: WorkflowHarness, leadId: string, outcome: string): Promise<HttpResult> {
  const path = `/leads/${leadId}/attempts`;
  return postAttemptHandler(h.apiDeps)(
    {
      version: '2.0',
      routeKey: 'POST /leads/{id}/attempts',
      rawPath: path,
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      pathParameters: { id: leadId },
      requestContext: { http: { method: 'POST', path }, authorizer: { principalId: 'test' } },
      body: JSON.stringify({ outcome }),
      isBase64Encoded: false,
    } as unknown as HttpEvent,
    {} as Context,
  );
}

describe('a rep’s attempt racing the wake', () => {
  it('logged while Advance plans (the spent token on the lead): the park loses, the wake plans again, the lead waits in the deal phase', async () => {
    // Arrange: the first timed wake after the handoff reads the lead, then the rep's 'connected' lands
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(exampleLead('hot'));
    const before = h.notificationsOf(leadId).map((n) => n.kind);
    const load = h.store.loadLead.bind(h.store);
    let response: HttpResult | undefined;
    vi.spyOn(h.store, 'loadLead').mockImplementation(async (id) => {
      const snapshot = await load(id);
      if (!response && id === leadId) response = await attemptNow(h, leadId, 'connected');
      return snapshot;
    });
    // Act
    await h.advanceTo('2026-12-21T00:00:00.000Z');
    // Assert
    expect(response?.statusCode).toBe(201);
    expect(await h.lead(leadId)).toMatchObject({ status: 'connected', ownerId: 'jonas' });
    const executions = h.executions(leadId);
    expect(executions.map((execution) => execution.status)).toEqual(['PARKED']);
    expect(roundsOf(executions[0]!).at(-1)).toEqual(['Advance', 'Park:deal']);
    expect(contactEmails(h.notificationsOf(leadId))).toEqual(before);
    expect((await h.lead(leadId)).dueAt).toBeDefined();
  });

  it('logged while the park sends (its own token on the lead): the signal counts, the lead waits in the deal phase', async () => {
    // Arrange: the rep's 'connected' lands while the park sends the first reminder it wrote
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(exampleLead('hot'));
    const before = h.notificationsOf(leadId).length;
    let response: HttpResult | undefined;
    let attemptAt: string | undefined;
    const send = h.notifier.attemptDue.bind(h.notifier);
    vi.spyOn(h.notifier, 'attemptDue').mockImplementation(async (...args) => {
      await send(...args);
      if (response) return;
      attemptAt = h.clock.now().toISOString();
      response = await attemptNow(h, leadId, 'connected');
    });
    // Act
    await h.advanceTo('2026-12-21T00:00:00.000Z');
    // Assert: the execution went on at once (the signal was not lost to the park still sending)
    const calls = h.taskCalls.filter((call) => call.leadId === leadId && call.at === attemptAt);
    expect(calls.map((call) => call.task)).toEqual(['advance', 'park', 'advance', 'park']);
    // the emails of that one park (claimed before the attempt), nothing after it
    expect(response?.statusCode).toBe(201);
    expect(await h.lead(leadId)).toMatchObject({ status: 'connected', ownerId: 'jonas' });
    const executions = h.executions(leadId);
    expect(executions.map((execution) => execution.status)).toEqual(['PARKED']);
    expect(roundsOf(executions[0]!).at(-1)).toEqual(['Advance', 'Park:deal']);
    expect(contactEmails(h.notificationsOf(leadId).slice(before)).sort()).toEqual([
      'attemptDue',
      'firstTouchOverdue',
    ]);
  });
});
