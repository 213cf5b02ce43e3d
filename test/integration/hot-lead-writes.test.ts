/**
 * A hot lead: other writers (a CRM's sync, the console, the workflow) change it between each read and write of
 * a request, many times in a row. The sales changes wait that out inside (CONTENDED_UPDATE: 40 tries, up to 1 s
 * apart: "mere concurrency is the server's problem, never a 409"); an action link's claim and the events route
 * tried 12 times, 200 ms apart at most, and answered 409: the rep's "Please try again" page for a press that
 * did nothing, and a tracking system's `conflict` for events stored already. Found by the burst of ~100
 * changes on one lead (test/e2e/burst-one-lead.test.ts): 1 to 3 of its 6 link presses answered "Please try
 * again", and in one run of five an event post answered 409 with its event stored. The erase tried 12 times too
 * (ops sent the right to be forgotten again on a 409).
 *
 * The real local API (dynalite, HTTP over a socket), through a second server on the runtime's deps whose store
 * lands another writer's change of the lead right before each of the route's first 13 state writes: a real
 * conditional-write conflict each time, placed where a burst places it, deterministically (the one stand-in).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendDeps } from '../../lambdas/api/deps.ts';
import {
  handoverOf,
  signActionToken,
  signConsentUrl,
  signUnsubscribeUrl,
} from '../../lambdas/domain/action-links.ts';
import { type LeadStore, updateLead } from '../../lambdas/ports/lead-store.ts';
import { type RunningServer, startApiServer } from '../../local/http-server.ts';
import { ADMIN_TOKEN, MINUTE, SQL_LEAD, T0, useLocalApi } from '../support/local-api.ts';

const SECRET = 'hot-lead-writes-secret-7d21e9';
/** one more than the 12 tries the routes had */
const CONFLICTS = 13;

describe('a route whose lead another writer changes before each of its writes, 13 times in a row', () => {
  const api = useLocalApi();
  let server: RunningServer;
  /** the lead whose next writes find another writer first, and how many more times */
  let hot: { leadId: string; left: number } | undefined;

  beforeAll(async () => {
    const store = api.runtime.deps.store;
    const contended = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'saveLead') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<LeadStore['saveLead']>) => {
          const [state] = args;
          if (hot && hot.leadId === state.leadId && hot.left > 0) {
            hot.left--;
            // another writer's change lands first: the write below finds the version moved
            await updateLead(target, state.leadId, (current) => ({
              ...current,
              updatedAt: new Date(Date.parse(current.updatedAt) + 1).toISOString(),
            }));
          }
          return target.saveLead(...args);
        };
      },
    });
    server = await startApiServer({
      deps: extendDeps(api.runtime.deps, { store: contended, actionSecret: SECRET }),
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  async function handedOffLead(label: string) {
    const leadId = await api.createLead({ email: api.uniqueEmail(label), firstName: 'Petra', ...SQL_LEAD });
    return { leadId, lead: await api.handOff(leadId, 'jonas') };
  }

  it('an action link press logs its outcome (it answered "Please try again" and did nothing)', async () => {
    // Arrange: Jonas's "No answer" link; the lead busy
    const { leadId, lead } = await handedOffLead('link');
    const token = signActionToken(
      {
        leadId,
        cycle: lead.cycle,
        action: 'outcome',
        value: 'no-answer',
        nonce: 'hot1',
        exp: Math.floor(T0.getTime() / 1000) + 3600,
        handover: handoverOf(lead)!,
      },
      SECRET,
    );
    hot = { leadId, left: CONFLICTS };

    // Act
    const response = await fetch(`${server.url}/actions/${token}`, { method: 'POST', redirect: 'manual' });
    const text = await response.text();

    // Assert: every conflict met and waited out; the attempt logged once, the link used
    expect(response.status, text.slice(0, 400)).toBe(200);
    expect(hot.left).toBe(0);
    const attempts = await api.runtime.deps.store.listAttempts(leadId);
    expect(attempts.map((attempt) => attempt.outcomeId)).toEqual(['no-answer']);
    expect((await api.runtime.deps.store.getLead(leadId))?.usedActionNonces).toEqual(['hot1']);
  });

  it.each<[string, 'unsubscribe' | 'consent']>([
    // a mailbox provider's one-click unsubscribe (RFC 8058) is one POST: a 409 lost it for good
    ['a one-click unsubscribe unsubscribes (it answered 409 "try again")', 'unsubscribe'],
    ['a consent confirmation confirms (it answered 409 "try again")', 'consent'],
  ])('%s', async (_name, kind) => {
    // Arrange: a person who asked for the newsletter on a form; the lead busy with other writers
    const email = api.uniqueEmail(kind);
    const leadId = await api.createLead({ email, firstName: 'Petra', marketingConsent: true, ...SQL_LEAD });
    const lead = (await api.runtime.deps.store.getLead(leadId))!;
    const context = {
      baseUrl: server.url,
      secret: SECRET,
      leadId,
      cycle: lead.cycle,
      exp: Math.floor(T0.getTime() / 1000) + 3600,
      nonce: `hot-${kind}`,
    };
    const url =
      kind === 'unsubscribe'
        ? signUnsubscribeUrl(context)
        : signConsentUrl(context, lead.consent!.requestId!);
    hot = { leadId, left: CONFLICTS };

    // Act
    const response = await fetch(url, { method: 'POST', redirect: 'manual' });
    const text = await response.text();

    // Assert: every conflict met and waited out; the person's choice recorded
    expect(response.status, text.slice(0, 400)).toBe(200);
    expect(hot.left).toBe(0);
    const after = (await api.runtime.deps.store.getLead(leadId))!;
    if (kind === 'unsubscribe') expect(after.unsubscribed).toBe(true);
    else expect(after.consent?.confirmedAt).toBeDefined();
  });

  it('an erase erases (it answered 409 conflict: ops had to send the right to be forgotten again)', async () => {
    // Arrange: a handed-over lead busy with other writers
    const { leadId } = await handedOffLead('erase');
    hot = { leadId, left: CONFLICTS };

    // Act
    const response = await fetch(`${server.url}/leads/${leadId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const text = await response.text();

    // Assert: every conflict waited out; the lead erased, its history gone
    expect(response.status, text.slice(0, 400)).toBe(200);
    expect(hot.left).toBe(0);
    const after = (await api.runtime.deps.store.getLead(leadId))!;
    expect(after.erasedAt).toBeDefined();
    expect(after.fields).toEqual({});
    expect(await api.runtime.deps.store.listEvents(leadId)).toEqual([]);
  });

  it('the events route folds its events (it answered 409 conflict with them stored)', async () => {
    // Arrange: a tracking system's page views for a busy lead
    const { leadId } = await handedOffLead('events');
    const before = await api.runtime.deps.store.getLead(leadId);
    const at = new Date(T0.getTime() - MINUTE).toISOString();
    hot = { leadId, left: CONFLICTS };

    // Act
    const response = await fetch(`${server.url}/leads/${leadId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({
        events: [{ eventId: 'hot-view-1', type: 'pricing_page_view', occurredAt: at }],
      }),
    });
    const text = await response.text();

    // Assert: answered as applied, the event stored once and in the lead's scores
    expect(response.status, text.slice(0, 400)).toBe(200);
    expect(hot.left).toBe(0);
    expect(JSON.parse(text)).toMatchObject({ appended: 1, duplicates: 0 });
    const events = await api.runtime.deps.store.listEvents(leadId);
    expect(events.filter((event) => event.eventId === 'hot-view-1')).toHaveLength(1);
    const after = await api.runtime.deps.store.getLead(leadId);
    expect(after!.engagement).toBeGreaterThan(before!.engagement);
  });
});
