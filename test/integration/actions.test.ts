/**
 * The links in emails through the real local HTTP server, store and handlers: GET /actions/{token}
 * and GET /unsubscribe/{token} only show a confirmation page; POST acts, once. Tampered, expired,
 * out-of-date and used links change nothing.
 *
 * Wiring: startLocalRuntime (through useLocalApi) does not take an action secret yet, so this file starts a
 * second API server on the runtime's own deps (same store, clock and recorded workflow) with one added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionKind, type ActionPayload, signActionToken } from '../../lambdas/domain/action-links.ts';
import { escapeHtml } from '../../lambdas/domain/email-templates.ts';
import type { RunningServer } from '../../local/http-server.ts';
import { startApiServer } from '../../local/http-server.ts';
import { ADMIN_TOKEN, MINUTE, useLocalApi } from '../support/local-api.ts';

const SECRET = 'actions-test-secret-8d1f0c2b9e';

/** an SQL at once: a demo request from a plant manager at an ideal plant */
const SQL_LEAD = {
  firstName: 'Petra',
  lastName: 'Schneider',
  company: 'Brauhaus Werke',
  jobTitle: 'Plant Manager',
  industry: 'manufacturing',
  employees: 800,
  country: 'DE',
  formId: 'demo-request',
  marketingConsent: true,
};

interface Page {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

describe('action and unsubscribe links', () => {
  const api = useLocalApi();
  let server: RunningServer;
  let nonces = 0;

  beforeAll(async () => {
    server = await startApiServer({
      deps: { ...api.runtime.deps, actionSecret: SECRET },
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  async function page(method: 'GET' | 'POST', path: string, init: RequestInit = {}, base = server.url) {
    const response = await fetch(base + path, { method, redirect: 'manual', ...init });
    return { status: response.status, headers: response.headers, text: await response.text() } as Page;
  }

  function token(leadId: string, action: ActionKind, value: string, over: Partial<ActionPayload> = {}) {
    return signActionToken(
      {
        leadId,
        cycle: 1,
        action,
        value,
        nonce: `n${++nonces}`,
        exp: Math.floor(api.clock.now().getTime() / 1000) + 3600,
        ...over,
      },
      SECRET,
    );
  }

  const nonceOf = (t: string) =>
    (JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString('utf8')) as { n: string }).n;

  async function handedOffLead(): Promise<string> {
    const leadId = await api.createLead({ email: api.uniqueEmail('sql'), ...SQL_LEAD });
    await api.handOff(leadId);
    return leadId;
  }

  /** everything a link could change */
  async function snapshot(leadId: string) {
    const state = await api.runtime.deps.store.getLead(leadId);
    const attempts = await api.runtime.deps.store.listAttempts(leadId);
    const events = await api.runtime.deps.store.listEvents(leadId);
    return {
      version: state?.version,
      stage: state?.stage,
      status: state?.status,
      ownerId: state?.ownerId,
      deal: state?.deal,
      unsubscribed: state?.unsubscribed,
      marketingConsent: state?.marketingConsent,
      usedActionNonces: state?.usedActionNonces ?? [],
      attempts: attempts.length,
      events: events.length,
      workflowCalls: api.workflowCalls(leadId).length,
    };
  }

  describe('GET /actions/{token}', () => {
    it('shows a confirmation page with a POST button and changes nothing', async () => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, 'outcome', 'connected');
      const before = await snapshot(leadId);

      // Act
      const response = await page('GET', `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.text).toContain(
        `<h1 style="margin:0 0 14px;font-size:22px;line-height:1.3">${escapeHtml('Log outcome: Connected for Petra Schneider (Brauhaus Werke)?')}</h1>`,
      );
      expect(response.text).toContain('<form method="post" action=""');
      // T0 (Fri 27 Nov 10:00 UTC) + 1 hour, in Jonas's zone (the company's: Europe/Berlin)
      expect(response.text).toContain('This link works once and expires Fri 27 Nov 2026, 12:00 CET.');
      expect(await snapshot(leadId)).toEqual(before);
    });

    it('escapes the lead on the page', async () => {
      // Arrange
      const leadId = await api.createLead({
        email: api.uniqueEmail('xss'),
        ...SQL_LEAD,
        firstName: '<script>alert(1)</script>',
        company: '"Bob & Sons"',
      });
      await api.handOff(leadId);

      // Act
      const response = await page('GET', `/actions/${token(leadId, 'outcome', 'connected')}`);

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(response.text).not.toContain('<script>');
      expect(response.text).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt; Schneider (&quot;Bob &amp; Sons&quot;)?',
      );
    });
  });

  describe('POST /actions/{token}', () => {
    // biome-ignore format: one row per case reads as a table
    it.each([
      ['log outcome Connected', 'outcome', 'connected', { status: 'connected', stage: 'sql', attempts: 1 }, 'attempt'],
      ['log outcome Not now (recycle)', 'outcome', 'not-now', { status: 'recycled-not-ready', stage: 'lead', attempts: 1 }, 'attempt'],
      ['set status Unqualified', 'status', 'unqualified', { status: 'unqualified', stage: 'sql', attempts: 0 }, 'status'],
      ['move the deal to Discovery', 'deal', 'discovery', { status: 'open-deal', stage: 'opportunity', attempts: 0 }, 'deal'],
    ] as const)('%s: acts once, then answers 409 and changes nothing', async (_name, action, value, expected, signal) => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, action, value);
      const before = await snapshot(leadId);

      // Act
      const first = await page('POST', `/actions/${link}`);
      const afterFirst = await snapshot(leadId);
      const second = await page('POST', `/actions/${link}`);
      const again = await page('GET', `/actions/${link}`);

      // Assert
      expect(first.status, first.text).toBe(200);
      expect(first.text).toContain('Done: ');
      expect(afterFirst).toMatchObject(expected);
      expect(afterFirst.usedActionNonces).toEqual([nonceOf(link)]);
      expect(afterFirst.workflowCalls).toBe(before.workflowCalls + 1);
      expect(api.workflowCalls(leadId).at(-1)).toEqual({ action: 'signal', detail: signal });
      expect(second.status, second.text).toBe(409);
      expect(second.text).toContain('This link was already used');
      expect(again.status, again.text).toBe(409);
      expect(await snapshot(leadId)).toEqual(afterFirst);
    });

    it('records the attempt for the owner, with an id from the link', async () => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, 'outcome', 'no-answer');

      // Act
      const response = await page('POST', `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(200);
      const attempts = await api.runtime.deps.store.listAttempts(leadId);
      expect(attempts).toEqual([
        {
          attemptId: `link-${nonceOf(link)}`,
          at: api.clock.now().toISOString(),
          outcomeId: 'no-answer',
          repId: 'jonas',
        },
      ]);
      const lead = await api.runtime.deps.store.getLead(leadId);
      expect(lead?.timeline.at(-1)).toMatchObject({ kind: 'attempt', by: 'rep:jonas' });
    });

    it('of concurrent POSTs of one link, exactly one acts', async () => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, 'outcome', 'no-answer');

      // Act
      const responses = await Promise.all(Array.from({ length: 6 }, () => page('POST', `/actions/${link}`)));

      // Assert
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
      expect(await api.runtime.deps.store.listAttempts(leadId)).toHaveLength(1);
    });

    it('a refused action changes nothing and leaves the link usable once the lead allows it', async () => {
      // Arrange: an SQL nobody owns yet
      const leadId = await api.createLead({ email: api.uniqueEmail('unowned'), ...SQL_LEAD });
      const link = token(leadId, 'outcome', 'connected');
      const before = await snapshot(leadId);

      // Act
      const refused = await page('POST', `/actions/${link}`);
      const afterRefusal = await snapshot(leadId);
      await api.handOff(leadId);
      const accepted = await page('POST', `/actions/${link}`);

      // Assert
      expect(refused.status, refused.text).toBe(409);
      expect(refused.text).toContain('not yet handed to a rep');
      expect(afterRefusal).toEqual(before);
      expect(accepted.status, accepted.text).toBe(200);
      expect(await snapshot(leadId)).toMatchObject({ status: 'connected', attempts: 1 });
    });

    it('answers 422 for an outcome the SLA no longer has, changing nothing', async () => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, 'outcome', 'retired-outcome');
      const before = await snapshot(leadId);

      // Act
      const response = await page('POST', `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(422);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.text).toContain('retired-outcome');
      expect(await snapshot(leadId)).toEqual(before);
    });
  });

  describe('links that do not work change nothing', () => {
    const VARIANTS: [string, (leadId: string) => string, number, string][] = [
      [
        'tampered payload (another value)',
        (leadId) => {
          const [, signature] = token(leadId, 'outcome', 'connected').split('.');
          const [body] = token(leadId, 'outcome', 'not-interested').split('.');
          return `${body}.${signature}`;
        },
        400,
        'This link does not work',
      ],
      [
        'tampered signature',
        (leadId) => {
          const link = token(leadId, 'outcome', 'connected');
          return `${link.slice(0, -2)}${link.endsWith('AA') ? 'BB' : 'AA'}`;
        },
        400,
        'This link does not work',
      ],
      [
        'signed with another secret',
        (leadId) =>
          signActionToken(
            { leadId, cycle: 1, action: 'outcome', value: 'connected', nonce: 'x1', exp: 4e9 },
            'not-the-server-secret-123',
          ),
        400,
        'This link does not work',
      ],
      ['garbage', () => 'not-a-token', 400, 'This link does not work'],
      [
        'an unsubscribe link used as an action',
        (leadId) => token(leadId, 'unsubscribe', ''),
        400,
        'This link does not work',
      ],
      [
        'expired',
        (leadId) =>
          token(leadId, 'outcome', 'connected', {
            exp: Math.floor(api.clock.now().getTime() / 1000) - 1,
          }),
        410,
        'This link has expired',
      ],
      [
        'from an earlier cycle of the lead',
        (leadId) => token(leadId, 'outcome', 'connected', { cycle: 2 }),
        410,
        'This link is out of date',
      ],
    ];

    it.each(
      VARIANTS.flatMap(([name, make, status, title]) =>
        (['GET', 'POST'] as const).map(
          (method) => [`${method}, ${name}`, method, make, status, title] as const,
        ),
      ),
    )('%s', async (_name, method, make, status, title) => {
      // Arrange
      const leadId = await handedOffLead();
      const link = make(leadId);
      const before = await snapshot(leadId);

      // Act
      const response = await page(method, `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(status);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.text).toContain(title);
      expect(response.text).not.toContain('<form');
      expect(await snapshot(leadId)).toEqual(before);
    });

    it('a link expires while it waits in the inbox', async () => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, 'outcome', 'connected', {
        exp: Math.floor(api.clock.now().getTime() / 1000) + 60,
      });
      const before = await snapshot(leadId);
      api.clock.advance(2 * MINUTE);

      // Act
      const response = await page('POST', `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(410);
      expect(await snapshot(leadId)).toEqual(before);
    });

    it('answers 503 where no action secret is configured', async () => {
      // Arrange: a server whose deps have no secret to verify links with
      const leadId = await handedOffLead();
      const { actionSecret: _secret, ...withoutSecret } = api.runtime.deps;
      const bare = await startApiServer({ deps: withoutSecret, adminToken: ADMIN_TOKEN, port: 0 });

      try {
        // Act
        const response = await page('GET', `/actions/${token(leadId, 'outcome', 'connected')}`, {}, bare.url);

        // Assert
        expect(response.status, response.text).toBe(503);
        expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      } finally {
        await bare.close();
      }
    });
  });

  describe('unsubscribe', () => {
    it('GET shows a confirmation page and changes nothing', async () => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail('nurtured'), ...SQL_LEAD });
      const before = await snapshot(leadId);

      // Act
      const response = await page('GET', `/unsubscribe/${token(leadId, 'unsubscribe', '')}`);

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(response.text).toContain('Unsubscribe from Kessler Industrial?');
      expect(response.text).toContain('<form method="post" action=""');
      expect(await snapshot(leadId)).toEqual(before);
    });

    // biome-ignore format: one row per case reads as a table
    it.each([
      ['an RFC 8058 one-click post (urlencoded)', { 'content-type': 'application/x-www-form-urlencoded' }, 'List-Unsubscribe=One-Click'],
      ['an RFC 8058 one-click post (multipart)', { 'content-type': 'multipart/form-data; boundary=b' }, '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n'],
      ['the confirmation page button (empty form)', { 'content-type': 'application/x-www-form-urlencoded' }, ''],
    ])('POST, %s: unsubscribes once, wakes the workflow, and stays idempotent', async (_name, headers, body) => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail('nurtured'), ...SQL_LEAD });
      const link = token(leadId, 'unsubscribe', '');
      const before = await snapshot(leadId);

      // Act
      const first = await page('POST', `/unsubscribe/${link}`, { headers, body });
      const afterFirst = await snapshot(leadId);
      api.clock.advance(MINUTE);
      const second = await page('POST', `/unsubscribe/${link}`, { headers, body });

      // Assert
      expect(before).toMatchObject({ unsubscribed: false, marketingConsent: true });
      expect(first.status, first.text).toBe(200);
      expect(first.text).toContain('You are unsubscribed');
      expect(afterFirst).toMatchObject({ unsubscribed: true, marketingConsent: false, events: before.events + 1 });
      const lead = await api.runtime.deps.store.getLead(leadId);
      expect(lead?.timeline.at(-1)).toMatchObject({ kind: 'unsubscribed', by: 'lead' });
      const events = await api.runtime.deps.store.listEvents(leadId);
      expect(events.at(-1)).toMatchObject({ type: 'unsubscribe', eventId: `unsubscribe-${nonceOf(link)}` });
      expect(api.workflowCalls(leadId).at(-1)).toEqual({ action: 'signal', detail: 'unsubscribed' });
      expect(second.status, second.text).toBe(200);
      expect(await snapshot(leadId)).toEqual(afterFirst);
    });

    it('works from an email of an earlier cycle: consent belongs to the person', async () => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail('nurtured'), ...SQL_LEAD });

      // Act
      const response = await page('POST', `/unsubscribe/${token(leadId, 'unsubscribe', '', { cycle: 7 })}`);

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(await snapshot(leadId)).toMatchObject({ unsubscribed: true });
    });

    // biome-ignore format: one row per case reads as a table
    it.each([
      ['an action link used to unsubscribe', (leadId: string) => token(leadId, 'outcome', 'connected'), 400],
      ['a tampered link', (leadId: string) => `${token(leadId, 'unsubscribe', '').slice(0, -2)}AA`, 400],
      ['an expired link', (leadId: string) => token(leadId, 'unsubscribe', '', { exp: Math.floor(api.clock.now().getTime() / 1000) }), 410],
    ])('%s changes nothing', async (_name, make, status) => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail('nurtured'), ...SQL_LEAD });
      const before = await snapshot(leadId);

      // Act
      const response = await page('POST', `/unsubscribe/${make(leadId)}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });

      // Assert
      expect(response.status, response.text).toBe(status);
      expect(await snapshot(leadId)).toEqual(before);
    });
  });
});
