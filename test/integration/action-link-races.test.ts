/**
 * A one-click link racing the workflow: the link's POST claims its nonce (a conditional write that checks
 * the link still applies), then acts through the sales actions in a second write. A reassignment that
 * lands between the two (the escalation ladder's reassign rung falling due as the rep presses "No answer"
 * on the overdue reminder) must refuse the action: the old owner's attempt must not count as the new
 * owner's first touch, nor may the old owner disqualify, recycle or move the deal of a lead that is no
 * longer theirs.
 *
 * Wiring: the real local runtime (dynalite, the DynamoDB store, the HTTP server); a second API server on
 * the runtime's deps whose store lands the reassignment right after the claim's write. That wrapper is the
 * one stand-in here: it places the workflow's write at the one instant a real race would, deterministically.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionKind, handoverOf, signActionToken } from '../../lambdas/domain/action-links.ts';
import { type LeadState, withTimeline } from '../../lambdas/domain/lead-state.ts';
import { type LeadStore, updateLead } from '../../lambdas/ports/lead-store.ts';
import type { RunningServer } from '../../local/http-server.ts';
import { startApiServer } from '../../local/http-server.ts';
import { ADMIN_TOKEN, MINUTE, SQL_LEAD, useLocalApi } from '../support/local-api.ts';

const SECRET = 'action-link-races-secret-3c9e1a';

describe('an action link whose lead is reassigned between its claim and its action', () => {
  const api = useLocalApi();
  let server: RunningServer;
  /** the nonce whose claim lands the reassignment, once */
  let armed: { nonce: string; to: string } | undefined;

  /** what the escalation ladder's reassignment writes (advance.ts): a new owner since now */
  async function reassign(store: LeadStore, leadId: string, to: string): Promise<void> {
    api.clock.advance(MINUTE);
    const at = api.clock.now().toISOString();
    await updateLead(store, leadId, (current) =>
      withTimeline(
        { ...current, ownerId: to, ownerSince: at, escalationsTaken: 0 },
        { at, kind: 'owner', from: current.ownerId, to, by: 'workflow', reasons: [] },
      ),
    );
  }

  beforeAll(async () => {
    const store = api.runtime.deps.store;
    const raced = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'saveLead') {
          const value = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return async (...args: Parameters<LeadStore['saveLead']>) => {
          const result = await target.saveLead(...args);
          const [state] = args;
          const race = armed;
          if (result === 'saved' && race && state.usedActionNonces?.includes(race.nonce)) {
            armed = undefined;
            await reassign(target, state.leadId, race.to);
          }
          return result;
        };
      },
    });
    server = await startApiServer({
      deps: { ...api.runtime.deps, store: raced, actionSecret: SECRET },
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
    const leadId = await api.createLead({ email: api.uniqueEmail('race'), firstName: 'Petra', ...SQL_LEAD });
    const lead = await api.handOff(leadId, 'jonas');
    const nonce = `race${++nonces}`;
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

  const read = async (leadId: string): Promise<LeadState> => (await api.runtime.deps.store.getLead(leadId))!;

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['log outcome No answer', 'outcome', 'no-answer'],
    ['log outcome Connected', 'outcome', 'connected'],
    ['log outcome Not now (recycle)', 'outcome', 'not-now'],
    ['set status Unqualified', 'status', 'unqualified'],
    ['move the deal to Discovery', 'deal', 'discovery'],
  ] as const)('%s: refused with the reassignment page; Lena keeps the lead as it was given to her', async (_name, action, value) => {
    // Arrange: Jonas's link; the workflow gives the lead to Lena right after the link's claim
    const { leadId, nonce, token } = await jonasLink(action, value);
    armed = { nonce, to: 'lena' };

    // Act
    const response = await fetch(`${server.url}/actions/${token}`, { method: 'POST', redirect: 'manual' });
    const text = await response.text();

    // Assert
    expect(armed, 'the reassignment landed after the claim').toBeUndefined();
    const lead = await read(leadId);
    expect(lead.ownerId).toBe('lena');
    expect(await api.runtime.deps.store.listAttempts(leadId)).toEqual([]);
    expect({ stage: lead.stage, status: lead.status, deal: lead.deal }).toEqual({
      stage: 'sql',
      status: expect.not.stringMatching(/^(connected|unqualified|recycled-not-ready|open-deal)$/),
      deal: undefined,
    });
    expect(lead.timeline.filter((entry) => ['attempt', 'status', 'deal'].includes(entry.kind))).toEqual([]);
    expect(response.status, text).toBe(410);
    expect(text).toContain('This lead moved to Lena Hartmann');
  });
});
