/**
 * A one-click link whose change is saved and whose workflow signal then fails (the signal's DynamoDB write
 * that takes the token, throttled past the SDK's retries; or the local engine refusing it). The rep sees an
 * error and presses again: the change must be applied once, and the second press must pass it on to the
 * workflow (a signal), so the lead is not left parked until its deadline.
 *
 * The change's own write takes the parked execution's token (due now, kept as `signalled`), so should nobody
 * press again, the reconciler wakes the workflow (ADR 0039).
 *
 * Wiring: the real local runtime (dynalite, the DynamoDB store, the HTTP server, a RecordingWorkflow); a
 * second API server on the runtime's deps whose workflow's `signal` throws once when armed. That wrapper is
 * the one stand-in here: a failure of exactly that call after the change's write landed cannot be caused
 * otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionKind, handoverOf, signActionToken } from '../../lambdas/domain/action-links.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import type { RunningServer } from '../../local/http-server.ts';
import { startApiServer } from '../../local/http-server.ts';
import { signalFailingOnce, throttled } from '../support/failing-signal.ts';
import { ADMIN_TOKEN, SQL_LEAD, useLocalApi } from '../support/local-api.ts';

const SECRET = 'action-link-signal-fails-secret-8d2f4b';
const HOUR = 3_600_000;

describe('an action link whose workflow signal fails after its change is saved', () => {
  const api = useLocalApi();
  let server: RunningServer;
  /** the API's workflow, its next signal of an armed lead failing once */
  let failing: ReturnType<typeof signalFailingOnce>;

  beforeAll(async () => {
    failing = signalFailingOnce(api.runtime.deps.workflow);
    server = await startApiServer({
      deps: { ...api.runtime.deps, workflow: failing.workflow, actionSecret: SECRET },
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  let nonces = 0;

  async function jonasLink(action: ActionKind, value: string) {
    const leadId = await api.createLead({
      email: api.uniqueEmail('sigfail'),
      firstName: 'Petra',
      ...SQL_LEAD,
    });
    await api.handOff(leadId, 'jonas');
    // its execution parked on a token until the first-touch deadline, as the workflow's park leaves it
    const lead = (
      await updateLead(api.runtime.deps.store, leadId, (current) => ({
        ...current,
        waitToken: `token-${leadId}`,
        dueAt: new Date(api.clock.now().getTime() + 4 * HOUR).toISOString(),
      }))
    ).state!;
    const token = signActionToken(
      {
        leadId,
        cycle: lead.cycle,
        action,
        value,
        nonce: `sigfail${++nonces}`,
        exp: Math.floor(api.clock.now().getTime() / 1000) + 3600,
        handover: handoverOf(lead)!,
      },
      SECRET,
    );
    return { leadId, token };
  }

  const read = async (leadId: string): Promise<LeadState> => (await api.runtime.deps.store.getLead(leadId))!;
  const press = (token: string) =>
    fetch(`${server.url}/actions/${token}`, { method: 'POST', redirect: 'manual' });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['log outcome No answer', 'outcome', 'no-answer', 'attempt', 'attempting-contact'],
    ['set status Connected', 'status', 'connected', 'status', 'connected'],
    ['set status Bad timing', 'status', 'bad-timing', 'status', 'bad-timing'],
    ['move the deal to Discovery', 'deal', 'discovery', 'deal', 'open-deal'],
  ] as const)('%s: the second press applies nothing again, signals the workflow and answers that the link was used', async (_name, action, value, kind, status) => {
    // Arrange: Jonas's link; the signal after the change's write fails once
    const { leadId, token } = await jonasLink(action, value);
    const before = await read(leadId);
    failing.arm(leadId, throttled('ProvisionedThroughputExceededException'));

    // Act: the press that fails to signal, then the rep's second press
    const first = await press(token);
    const firstText = await first.text();
    const afterFirst = await read(leadId);
    const second = await press(token);
    const secondText = await second.text();

    // Assert
    expect(failing.pending(), 'the signal failed once').toBe(false);
    expect(first.status, firstText).toBe(503);
    expect(firstText).toContain('Your change is saved');
    // a 503 says when to ask again, as a busy dependency's does: the page asks for a press in a minute
    expect(first.headers.get('retry-after')).toBe('60');
    expect(afterFirst.status).toBe(status);
    // whatever follows, the reconciler wakes the workflow: due now, the token kept for it to send (ADR 0039)
    expect(afterFirst).toMatchObject({ signalled: `token-${leadId}`, dueAt: api.clock.now().toISOString() });
    expect(afterFirst.waitToken).toBeUndefined();
    const after = await read(leadId);
    const entries = (lead: LeadState) => lead.timeline.filter((entry) => entry.kind === kind).length;
    expect(entries(after), 'the change is applied once').toBe(entries(before) + 1);
    expect(after.version, 'the second press writes nothing').toBe(afterFirst.version);
    expect(second.status, secondText).toBe(409);
    expect(secondText).toContain('This link was already used');
    expect(api.workflowCalls(leadId).at(-1)).toEqual({ action: 'signal', detail: kind });
    expect(await api.runtime.deps.store.listAttempts(leadId)).toHaveLength(action === 'outcome' ? 1 : 0);
  });
});
