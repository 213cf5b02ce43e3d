/**
 * A sales change sent again is applied once (request-key.ts, ADR 0047), through the real local server:
 * `PUT /leads/{id}/deal` and `PATCH /leads/{id}/status` with an `Idempotency-Key` (a CRM retrying after a
 * lost answer, copies racing), and the console's deal and status forms posted twice (a double tap). A
 * replay answers 200 with `idempotent-replayed: true` and writes nothing; the same key with another change
 * is a 422 naming the header; a malformed key a 400 naming it; nothing is stored for either.
 */
import { describe, expect, it, vi } from 'vitest';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { patchStatusHandler, putDealHandler } from '../../lambdas/api/lead-sales.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { consoleFetch, csrfOf, signIn, textOf } from '../support/console.ts';
import { expectError, type LocalApi, salesRoutes, useLocalApi } from '../support/local-api.ts';
import { personEvent } from '../support/person-event.ts';

const JONAS = 'jonas.berger@kessler-industrial.example'; // the rep handedOffLead gives the lead to

/** what a change leaves on the lead: its version and its status and deal entries */
async function changes(api: LocalApi, leadId: string) {
  const lead = (await api.runtime.deps.store.getLead(leadId)) as LeadState;
  return {
    version: lead.version,
    status: lead.status,
    deal: lead.deal?.stageId ?? null,
    entries: lead.timeline.filter((entry) => entry.kind === 'status' || entry.kind === 'deal').length,
  };
}

describe('Idempotency-Key on the sales changes', () => {
  const api = useLocalApi();
  const routes = salesRoutes(api);
  // one sign-in for the console's cases (a second within the same second finds no new link in the inbox)
  let jonasCookie: string | undefined;
  const send = (method: 'PUT' | 'PATCH', path: string, body: unknown, key?: string) =>
    api.request(method, path, {
      json: body,
      ...(key === undefined ? {} : { headers: { 'Idempotency-Key': key } }),
    });

  const CHANGES = [
    ['PATCH status', 'PATCH', 'status', { status: 'bad-timing' }],
    ['PUT deal (open it)', 'PUT', 'deal', { stage: 'discovery', amount: 48000 }],
    // a second won without the key is a 409 (the lead is closed): the retry of a change that landed
    ['PUT deal (won)', 'PUT', 'deal', { stage: 'closed-won' }],
  ] as const;

  it.each(CHANGES)(
    '%s sent twice with one key: applied once, the second answers as the first',
    async (_, method, path, body) => {
      // Arrange
      const leadId = await routes.handedOffLead();
      const first = await send(method, `/leads/${leadId}/${path}`, body, 'crm-7f3a2c');
      const applied = await changes(api, leadId);
      const signals = api.workflowCalls(leadId).length;

      // Act
      const again = await send(method, `/leads/${leadId}/${path}`, body, 'crm-7f3a2c');

      // Assert
      expect(first.status, first.text).toBe(200);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(again.status, again.text).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await changes(api, leadId)).toEqual(applied);
      // the workflow is told again: the first request's signal may be what failed
      expect(api.workflowCalls(leadId).length).toBe(signals + 1);
    },
  );

  it('without a key, a won deal sent again is refused as closed (what the key is for)', async () => {
    // Arrange
    const leadId = await routes.handedOffLead();
    await send('PUT', `/leads/${leadId}/deal`, { stage: 'closed-won' });

    // Act
    const again = await send('PUT', `/leads/${leadId}/deal`, { stage: 'closed-won' });

    // Assert
    expectError(again, 409, 'closed');
  });

  it.each([
    ['another status', 'PATCH', 'status', { status: 'connected' }],
    ['a deal', 'PUT', 'deal', { stage: 'discovery' }],
  ] as const)(
    'the same key with %s: 422 naming the header, nothing changed',
    async (_, method, path, body) => {
      // Arrange
      const leadId = await routes.handedOffLead();
      await send('PATCH', `/leads/${leadId}/status`, { status: 'bad-timing' }, 'reused-key');
      const before = await changes(api, leadId);

      // Act
      const response = await send(method, `/leads/${leadId}/${path}`, body, 'reused-key');

      // Assert
      expectError(response, 422, 'unprocessable', 'Idempotency-Key');
      expect(await changes(api, leadId)).toEqual(before);
    },
  );

  it.each([
    ['a space in it', 'two words'],
    ['256 characters', 'k'.repeat(256)],
    ['a non-ASCII character', 'clé'],
  ])('a key with %s: 400 naming the header, nothing changed', async (_, key) => {
    // Arrange
    const leadId = await routes.handedOffLead();
    const before = await changes(api, leadId);

    // Act
    const response = await send('PATCH', `/leads/${leadId}/status`, { status: 'bad-timing' }, key);

    // Assert
    expectError(response, 400, 'invalid_request', 'Idempotency-Key');
    expect(await changes(api, leadId)).toEqual(before);
  });

  it('eight copies racing with one key: one applies, seven answer as replays', async () => {
    // Arrange
    const leadId = await routes.handedOffLead();
    const before = await changes(api, leadId);

    // Act
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => send('PUT', `/leads/${leadId}/deal`, { stage: 'discovery' }, 'race-1')),
    );

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(7);
    const after = await changes(api, leadId);
    expect(after.entries).toBe(before.entries + 1);
    expect(after.deal).toBe('discovery');
  });

  it.each([
    ['status', { status: 'bad-timing' }, 'Set the status'],
    ['deal', { stage: 'discovery' }, 'Open a deal'],
  ])(
    "the console's %s form posted twice (a double tap): applied once, both go back to the lead",
    async (action, choice, heading) => {
      // Arrange
      const leadId = await routes.handedOffLead();
      jonasCookie ??= await signIn(api.runtime, JONAS);
      const cookie = jonasCookie;
      const page = (await consoleFetch(api.runtime, 'GET', `/console/leads/${leadId}`, { cookie })).text;
      const form = page.slice(page.indexOf(heading));
      const requestId = /name="requestId" value="([^"]+)"/.exec(form)?.[1];
      expect(requestId).toBeDefined();
      const post = () =>
        consoleFetch(api.runtime, 'POST', `/console/leads/${leadId}/${action}`, {
          cookie,
          form: { ...choice, requestId: requestId!, csrf: csrfOf(page) },
        });
      const before = await changes(api, leadId);

      // Act
      const first = await post();
      const second = await post();

      // Assert
      expect(first.status, textOf(first.text)).toBe(303);
      expect(second.status, textOf(second.text)).toBe(303);
      expect(second.headers.get('location')).toBe(first.headers.get('location'));
      expect((await changes(api, leadId)).entries).toBe(before.entries + 1);
    },
  );

  it.each([
    ['PATCH /leads/{id}/status', { status: 'bad-timing' }],
    ['PUT /leads/{id}/deal', { stage: 'discovery', amount: 48000 }],
  ])(
    "%s replayed by a rep after the lead went to another team's rep: 404 as any request of theirs, nothing of the lead in it",
    async (route, body) => {
      // Arrange: jonas applies a keyed change (the rep's own principal), then ops give the lead to carla
      // (another team): jonas no longer reaches it (permissions.ts: 404 whatever the action)
      const leadId = await routes.handedOffLead('reach');
      const handler = (route.startsWith('PUT') ? putDealHandler : patchStatusHandler)(api.runtime.deps);
      const asJonas = () => {
        const event = personEvent(route, 'rep:jonas', leadId, body);
        return handler(
          { ...event, headers: { ...event.headers, 'idempotency-key': 'phone-retry-1' } } as HttpEvent,
          {} as never,
        ) as Promise<{ statusCode: number; body?: string }>;
      };
      const first = await asJonas();
      const given = await api.request('POST', `/leads/${leadId}/owner`, {
        json: { owner: 'carla', reason: 'moved to the south team' },
      });
      const before = await changes(api, leadId);

      // Act
      const again = await asJonas();

      // Assert
      expect(first.statusCode, first.body).toBe(200);
      expect(given.status, given.text).toBe(200);
      expect(again.statusCode, again.body).toBe(404);
      expect(again.body ?? '').not.toContain('carla');
      expect(await changes(api, leadId)).toEqual(before);
    },
  );

  it('two tabs of one lead rendered in the same millisecond: each form is its own, a call logged from each is two calls', async () => {
    // Arrange: the rep opens the lead twice at once (a restored session, two middle clicks): one session
    // nonce, one Date.now() for both renders
    const leadId = await routes.handedOffLead('tabs');
    jonasCookie ??= await signIn(api.runtime, JONAS);
    const cookie = jonasCookie;
    const render = async () =>
      (await consoleFetch(api.runtime, 'GET', `/console/leads/${leadId}`, { cookie })).text;
    const sameMs = vi.spyOn(Date, 'now').mockReturnValue(Date.now());
    const tabs = [await render(), await render()];
    sameMs.mockRestore();
    const attemptIdOf = (page: string) => /name="attemptId" value="([^"]+)"/.exec(page)?.[1];

    // Act: a call logged in each tab, each with its own outcome
    const posts = [];
    for (const [tab, outcome] of [
      [tabs[0]!, 'no-answer'],
      [tabs[1]!, 'voicemail'],
    ] as const)
      posts.push(
        await consoleFetch(api.runtime, 'POST', `/console/leads/${leadId}/attempts`, {
          cookie,
          form: { attemptId: attemptIdOf(tab)!, outcome, csrf: csrfOf(tab) },
        }),
      );

    // Assert
    expect(posts.map((post) => post.status)).toEqual([303, 303]);
    const logged = await api.runtime.deps.store.listAttempts(leadId);
    expect(logged.map((attempt) => attempt.outcomeId).sort()).toEqual(['no-answer', 'voicemail']);
    expect(attemptIdOf(tabs[0]!)).not.toBe(attemptIdOf(tabs[1]!));
  });
});
