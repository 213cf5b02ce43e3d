/**
 * A one-click link's POST claims the link's nonce on the lead, then logs the outcome in a second write. A press
 * that dies between the two (the process killed, the request timed out) gives nothing back: the rep, who saw no
 * answer, presses again and read "This link was already used", and the attempt was never logged, so the SLA clock
 * ran on to the escalation of a rep who had called. Found by the chaos review (kills while links, PATCHes and
 * re-posts race). An outcome link is now resumed: its attempt id comes from its nonce, so the press that logs it is
 * the one that answers 200, whatever else is pressed meanwhile. A status or deal link too: its change's own write
 * carries the link's mark, so the press that resumes it makes the change once.
 *
 * Wiring: the real local runtime (dynalite, the DynamoDB store, the HTTP server); a second API server on the
 * runtime's deps whose store stops writing right after the claim's write lands, as a killed process would (the
 * action's write and the claim's release both fail). That wrapper is the one stand-in: the kill is injected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionKind, handoverOf, signActionToken } from '../../lambdas/domain/action-links.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import { type RunningServer, startApiServer } from '../../local/http-server.ts';
import { ADMIN_TOKEN, SQL_LEAD, useLocalApi } from '../support/local-api.ts';

const SECRET = 'action-link-crash-secret-1b2c';

describe('an action link whose press dies between its claim and its action', () => {
  const api = useLocalApi();
  let dying: RunningServer;
  let restarted: RunningServer;
  /** the nonce whose claim ends the process, once */
  let armed: string | undefined;
  let dead = false;

  beforeAll(async () => {
    const store = api.runtime.deps.store;
    const killedAfterClaim = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const reads = ['getLead', 'loadLead', 'listAttempts', 'listMovedEntries'];
          if (dead && !reads.includes(String(property))) throw new Error('the process was killed');
          const result = await (value as (...inputs: unknown[]) => unknown).apply(target, args);
          const state = args[0] as { usedActionNonces?: readonly string[] } | undefined;
          if (property === 'saveLead' && armed && state?.usedActionNonces?.includes(armed)) dead = true;
          return result;
        };
      },
    }) as LeadStore;
    const options = {
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    };
    dying = await startApiServer({
      ...options,
      deps: { ...api.runtime.deps, store: killedAfterClaim, actionSecret: SECRET },
    });
    restarted = await startApiServer({ ...options, deps: { ...api.runtime.deps, actionSecret: SECRET } });
  });

  afterAll(async () => {
    await dying?.close();
    await restarted?.close();
  });

  let nonces = 0;
  async function jonasLink(action: ActionKind, value: string) {
    const leadId = await api.createLead({ email: api.uniqueEmail('crash'), firstName: 'Petra', ...SQL_LEAD });
    const lead = await api.handOff(leadId, 'jonas');
    const nonce = `crash${++nonces}`;
    const token = signActionToken(
      {
        leadId,
        cycle: lead.cycle,
        action,
        value,
        nonce,
        exp: Math.floor(api.clock.now().getTime() / 1000) + 3600,
        handover: handoverOf(lead)!,
      },
      SECRET,
    );
    return { leadId, nonce, token };
  }

  it('logs the outcome once when the link is opened and pressed again after the restart', async () => {
    // Arrange: Jonas presses "No answer"; the process dies right after the claim's write
    dead = false;
    const { leadId, nonce, token } = await jonasLink('outcome', 'no-answer');
    armed = nonce;
    const died = await fetch(`${dying.url}/actions/${token}`, { method: 'POST' });
    expect(died.status).toBe(500);
    expect(dead, 'the claim landed before the kill').toBe(true);

    // Act: he opens the link again and presses, twice (a double click)
    const page = await fetch(`${restarted.url}/actions/${token}`);
    const pageText = await page.text();
    const presses = await Promise.all(
      [1, 2].map(() => fetch(`${restarted.url}/actions/${token}`, { method: 'POST' })),
    );
    const again = await fetch(`${restarted.url}/actions/${token}`, { method: 'POST' });

    // Assert: the confirmation page offers the button; one press logs the attempt, every other one is told it is used
    expect(page.status, pageText).toBe(200);
    expect(pageText).toContain('<form');
    expect(presses.map((response) => response.status).sort()).toEqual([200, 409]);
    expect(again.status).toBe(409);
    const attempts = await api.runtime.deps.store.listAttempts(leadId);
    expect(attempts.map((attempt) => [attempt.attemptId, attempt.outcomeId, attempt.repId])).toEqual([
      [`link-${nonce}`, 'no-answer', 'jonas'],
    ]);
    const lead = await api.runtime.deps.store.getLead(leadId);
    expect(lead?.status).toBe('attempting-contact');
    expect(lead?.timeline.filter((entry) => entry.kind === 'attempt')).toHaveLength(1);
  });

  it.each<[string, ActionKind, string, (lead: LeadState) => unknown, unknown]>([
    ['status Connected', 'status', 'connected', (lead) => lead.status, 'connected'],
    ['deal Discovery', 'deal', 'discovery', (lead) => lead.deal?.stageId, 'discovery'],
  ])(
    'a %s link makes its change once when pressed again after the restart',
    async (_name, action, value, read, expected) => {
      // Arrange: Jonas presses the link; the process dies right after the claim's write, before the change's
      dead = false;
      const { leadId, nonce, token } = await jonasLink(action, value);
      armed = nonce;
      const died = await fetch(`${dying.url}/actions/${token}`, { method: 'POST' });
      expect(died.status).toBe(500);
      expect(dead, 'the claim landed before the kill').toBe(true);
      const before = (await api.runtime.deps.store.getLead(leadId))!;
      expect(read(before)).not.toBe(expected);

      // Act: the page again, then two presses at once (a double click), then one more
      const page = await fetch(`${restarted.url}/actions/${token}`);
      const pageText = await page.text();
      const presses = await Promise.all(
        [1, 2].map(() => fetch(`${restarted.url}/actions/${token}`, { method: 'POST' })),
      );
      const again = await fetch(`${restarted.url}/actions/${token}`, { method: 'POST' });

      // Assert: the page offers the button; one press makes the change, every other one is told it is used
      expect(page.status, pageText).toBe(200);
      expect(pageText).toContain('<form');
      expect(presses.map((response) => response.status).sort()).toEqual([200, 409]);
      expect(again.status).toBe(409);
      const lead = (await api.runtime.deps.store.getLead(leadId))!;
      expect(read(lead)).toBe(expected);
      expect(lead.timeline.filter((entry) => entry.kind === action)).toHaveLength(1);
    },
  );
});
