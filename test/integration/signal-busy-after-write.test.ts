/**
 * A change over the API whose write landed and whose workflow signal then met a busy dependency past the SDK's
 * retries (DynamoDB taking a dormancy, Step Functions sending the token). The change's own write carries the
 * wake it wants (a parked lead's token taken, due now), so the reconciler wakes the lead should nobody signal
 * (ADR 0039): the request is answered as done, with a warn line, not 503 "send it again", which was untrue, and
 * whose resend without a key was a second change (found by test/e2e/burst-one-lead.test.ts: a deal move answered
 * 503 landed, and the same move sent again landed twice). A failure that is not a busy dependency (a denied
 * call: the deployment's) stays the 500 that alarms.
 *
 * Wiring: the real local runtime (dynalite, the DynamoDB store, the HTTP server, a RecordingWorkflow); a second
 * API server on the runtime's deps whose workflow's `signal` throws once when armed. That wrapper is the one
 * stand-in here: a failure of exactly that call after the change's write landed cannot be caused otherwise.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { extendDeps } from '../../lambdas/api/deps.ts';
import { linkExpiry, signActionToken } from '../../lambdas/domain/action-links.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import type { RunningServer } from '../../local/http-server.ts';
import { startApiServer } from '../../local/http-server.ts';
import { signalFailingOnce, throttled } from '../support/failing-signal.ts';
import { ADMIN_TOKEN, SQL_LEAD, useLocalApi } from '../support/local-api.ts';

const HOUR = 3_600_000;
const DENIED = () => Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });

describe('a change whose workflow signal meets a busy dependency after its write', () => {
  const api = useLocalApi();
  let server: RunningServer;
  /** the API's workflow, its next signal of an armed lead failing once */
  let failing: ReturnType<typeof signalFailingOnce>;

  beforeAll(async () => {
    failing = signalFailingOnce(api.runtime.deps.workflow);
    server = await startApiServer({
      deps: extendDeps(api.runtime.deps, { workflow: failing.workflow }),
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  /** Jonas's SQL, its execution parked on a token until the first-touch deadline (as the park leaves it). */
  async function parkedSql(): Promise<LeadState> {
    const leadId = await api.createLead({
      email: api.uniqueEmail('sigbusy'),
      firstName: 'Petra',
      ...SQL_LEAD,
    });
    await api.handOff(leadId, 'jonas');
    return (
      await updateLead(api.runtime.deps.store, leadId, (current) => ({
        ...current,
        waitToken: `token-${leadId}`,
        dueAt: new Date(api.clock.now().getTime() + 4 * HOUR).toISOString(),
      }))
    ).state!;
  }

  const send = (method: string, path: string, json: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(json),
    });
  const read = async (leadId: string): Promise<LeadState> => (await api.runtime.deps.store.getLead(leadId))!;
  const entries = (lead: LeadState, kind: string) =>
    lead.timeline.filter((entry) => entry.kind === kind).length;

  // biome-ignore format: one row per route reads as a table
  it.each([
    ['POST /leads/{id}/attempts', 'POST', '/attempts', { outcome: 'no-answer', channel: 'phone' }, {}, 201, 'attempt'],
    ['PUT /leads/{id}/deal', 'PUT', '/deal', { stage: 'discovery', amount: 12_000 }, { 'idempotency-key': 'sigbusy-deal' }, 200, 'deal'],
    ['PATCH /leads/{id}/status', 'PATCH', '/status', { status: 'connected' }, {}, 200, 'status'],
    ['POST /leads/{id}/owner', 'POST', '/owner', { owner: 'lena', reason: 'she knows the plant' }, {}, 200, 'owner'],
    ['PATCH /leads/{id}/fields', 'PATCH', '/fields', { fields: { company: 'Brauhaus Werke GmbH' } }, {}, 200, 'field'],
  ] as const)('%s: answered as done, the change applied once, the lead due now with its token kept for the reconciler', async (route, method, path, json, headers, status, kind) => {
    // Arrange: a parked SQL; its next signal meets a throttled dependency
    const before = await parkedSql();
    failing.arm(before.leadId, throttled());
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    // Act
    const answer = await send(method, `/leads/${before.leadId}${path}`, json, headers);
    const text = await answer.text();
    const warned = warnings.mock.calls.map(([line]) => String(line));
    warnings.mockRestore();

    // Assert
    expect(failing.pending(), 'the signal failed once').toBe(false);
    expect(answer.status, text).toBe(status);
    const after = await read(before.leadId);
    expect(entries(after, kind), 'the change is applied once').toBe(entries(before, kind) + 1);
    // what the reconciler wakes (ADR 0039): due now, the token the write took kept as `signalled`
    expect(after).toMatchObject({ signalled: `token-${before.leadId}`, dueAt: api.clock.now().toISOString() });
    expect(after.waitToken).toBeUndefined();
    const line = warned.find((logged) => logged.includes('left to the reconciler'));
    expect(line, warned.join('\n')).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ level: 'warn', route, leadId: before.leadId, error: 'ThrottlingException' });
  });

  it('the same deal move sent again under its key after that answer is a replay: the deal moved once', async () => {
    // Arrange: a move answered while its signal met a busy dependency
    const lead = await parkedSql();
    failing.arm(lead.leadId, throttled());
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const move = () =>
      send(
        'PUT',
        `/leads/${lead.leadId}/deal`,
        { stage: 'discovery' },
        { 'idempotency-key': 'sigbusy-again' },
      );
    const first = await move();

    // Act
    const again = await move();
    warnings.mockRestore();

    // Assert
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(entries(await read(lead.leadId), 'deal')).toBe(1);
  });

  it('a one-click unsubscribe (RFC 8058, sent once by the mail provider) whose signal meets a busy dependency: the done page, the person unsubscribed, the wake left to the timer', async () => {
    // Arrange: a parked subscriber; its unsubscribe link's token; the next signal throttled
    const lead = await parkedSql();
    await updateLead(api.runtime.deps.store, lead.leadId, (current) => ({
      ...current,
      marketingConsent: true,
    }));
    const token = signActionToken(
      {
        leadId: lead.leadId,
        cycle: lead.cycle,
        action: 'unsubscribe',
        value: '',
        nonce: 'n-sigbusy',
        exp: linkExpiry(api.clock.now(), 86_400),
      },
      api.runtime.deps.actionSecret!,
    );
    failing.arm(lead.leadId, throttled());
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    // Act
    const answer = await fetch(`${server.url}/unsubscribe/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    const warned = warnings.mock.calls.map(([line]) => String(line));
    warnings.mockRestore();

    // Assert
    expect(failing.pending(), 'the signal failed once').toBe(false);
    expect(answer.status, await answer.text()).toBe(200);
    expect(await read(lead.leadId)).toMatchObject({ unsubscribed: true, marketingConsent: false });
    const line = warned.find((logged) => logged.includes('the timer'));
    expect(line, warned.join('\n')).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({
      level: 'warn',
      route: 'POST /unsubscribe/{token}',
      error: 'ThrottlingException',
    });
  });

  it('a signal denied (not busy) stays the 500 that alarms, its change stored as before', async () => {
    // Arrange
    const lead = await parkedSql();
    failing.arm(lead.leadId, DENIED);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    // Act
    const answer = await send('PATCH', `/leads/${lead.leadId}/status`, { status: 'connected' });
    errors.mockRestore();

    // Assert
    expect(failing.pending(), 'the signal failed once').toBe(false);
    expect(answer.status).toBe(500);
    expect(entries(await read(lead.leadId), 'status')).toBe(entries(lead, 'status') + 1);
  });
});
