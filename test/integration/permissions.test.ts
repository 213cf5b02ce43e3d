/**
 * A rep cannot read or act on another team's lead through any route or page (issue 11, the adversary's
 * walk). Table-driven over every route of the route table that names a lead (`{id}`): the API's routes
 * with a person's identity (the authorizer's principal, handlers called directly: the local server
 * only knows the API token) and the console's pages and forms over real HTTP with a signed-in rep's
 * cookie and CSRF token. Each refused request leaves the lead as it was (same version, no attempt,
 * not erased). The same requests by the lead's own rep succeed: the control that shows the test can fail.
 * A route added to the table without a row here fails the coverage test.
 */
import { describe, expect, it } from 'vitest';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { ROUTES } from '../../lambdas/api/routes.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { consoleFetch, csrfOf, signIn, textOf } from '../support/console.ts';
import { MINUTE, SQL_LEAD, sqlLeadOwnedBy, T0, useLocalApi } from '../support/local-api.ts';
import { personEvent } from '../support/person-event.ts';

const api = useLocalApi();

const JONAS = 'jonas.berger@kessler-industrial.example'; // rep, team of Katrin
const CARLA = 'carla.ruiz@kessler-industrial.example'; // rep, team of Dan
const DAN = 'dan.whitaker@kessler-industrial.example'; // manager of Carla and Mike

/** What each API route that names a lead is sent (a valid request for the lead's own rep). */
const API_REQUESTS: Readonly<Record<string, { body?: unknown; ok: number }>> = {
  'GET /leads/{id}': { ok: 200 },
  'POST /leads/{id}/events': {
    body: { eventId: 'perm-ev-1', type: 'page_view', occurredAt: T0.toISOString() },
    ok: 200,
  },
  'POST /leads/{id}/attempts': { body: { attemptId: 'perm-at-1', outcome: 'no-answer' }, ok: 201 },
  'PUT /leads/{id}/deal': { body: { stage: 'discovery', amount: 1000 }, ok: 200 },
  'PATCH /leads/{id}/status': { body: { status: 'bad-timing' }, ok: 200 },
  'POST /leads/{id}/owner': { body: { owner: 'lena' }, ok: 403 }, // a rep never reassigns
  'PATCH /leads/{id}/fields': { body: { fields: { company: 'Changed GmbH' } }, ok: 200 },
  'DELETE /leads/{id}': { ok: 403 }, // a rep never erases
};

/** What each console route that names a lead is sent (the form of its page). */
const CONSOLE_REQUESTS: Readonly<Record<string, { form?: Record<string, string>; ok: number }>> = {
  'GET /console/leads/{id}': { ok: 200 },
  'POST /console/leads/{id}/attempts': { form: { attemptId: 'perm-c-1', outcome: 'no-answer' }, ok: 303 },
  'POST /console/leads/{id}/deal': { form: { stage: 'discovery', amount: '500' }, ok: 303 },
  'POST /console/leads/{id}/status': { form: { status: 'bad-timing' }, ok: 303 },
  'POST /console/leads/{id}/owner': { form: { owner: 'lena' }, ok: 403 },
  'POST /console/leads/{id}/fields': { form: { company: 'Console GmbH' }, ok: 303 },
};

const namesLead = (path: string) => /^\/(console\/)?leads\/\{id\}/.test(path);
const keyOf = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

let minute = 0;
function freshMinute(): void {
  minute += 2;
  api.clock.set(new Date(T0.getTime() + minute * MINUTE));
}

function jonasLead(label: string): Promise<string> {
  return sqlLeadOwnedBy(api, 'jonas', label);
}

/** Everything a refused request must leave untouched. */
async function snapshot(leadId: string) {
  const lead = await api.runtime.deps.store.getLead(leadId);
  return {
    version: lead?.version,
    ownerId: lead?.ownerId,
    erasedAt: lead?.erasedAt,
    attempts: (await api.runtime.deps.store.listAttempts(leadId)).length,
    events: (await api.runtime.deps.store.listEvents(leadId)).length,
  };
}

/** An API route's handler called with a person's identity, as the authorizer passes it. */
async function callRoute(route: string, principal: string, leadId: string, body?: unknown) {
  const definition = ROUTES.find((candidate) => keyOf(candidate) === route)!;
  const handler = definition.make(api.runtime.deps as never);
  const answer = await handler(personEvent(route, principal, leadId, body), {} as never);
  return answer as { statusCode: number; body?: string };
}

const callApi = (route: string, principal: string, leadId: string) =>
  callRoute(route, principal, leadId, API_REQUESTS[route]!.body);

describe('every route that names a lead is in the table', () => {
  it('the API routes and the console routes', () => {
    const api = ROUTES.filter((r) => r.access === 'authenticated' && namesLead(r.path)).map(keyOf);
    const console = ROUTES.filter((r) => r.access === 'session' && namesLead(r.path)).map(keyOf);
    expect(api.sort()).toEqual(Object.keys(API_REQUESTS).sort());
    expect(console.sort()).toEqual(Object.keys(CONSOLE_REQUESTS).sort());
  });
});

describe('the API with a person’s identity', () => {
  it.each(Object.keys(API_REQUESTS))(
    '%s: another team’s rep and manager get 404, nothing changes',
    async (route) => {
      const leadId = await jonasLead(`Api${route.replace(/\W+/g, '')}`);
      const before = await snapshot(leadId);
      for (const principal of ['rep:carla', 'manager:dan', 'rep:mats']) {
        const answer = await callApi(route, principal, leadId);
        expect(answer.statusCode, `${principal}: ${answer.body}`).toBe(404);
        // the answer names nothing of the lead
        expect(answer.body ?? '').not.toContain('Petra');
      }
      expect(await snapshot(leadId)).toEqual(before);
    },
  );

  it.each(Object.keys(API_REQUESTS))(
    '%s: the lead’s own rep gets the expected answer (the control)',
    async (route) => {
      const leadId = await jonasLead(`Own${route.replace(/\W+/g, '')}`);
      const answer = await callApi(route, 'rep:jonas', leadId);
      expect(answer.statusCode, answer.body).toBe(API_REQUESTS[route]!.ok);
    },
  );

  it('an SQL waiting for an owner: a manager reaches it and gives it to their team, a rep does not see it', async () => {
    // Arrange: an SQL nobody took (no handoff yet)
    freshMinute();
    const leadId = await api.createLead({
      email: api.uniqueEmail('waiting'),
      firstName: 'Petra',
      lastName: 'Waiting',
      company: 'Waiting GmbH',
      ...SQL_LEAD,
    });
    const call = (principal: string, route: string, body?: unknown) =>
      callRoute(route, principal, leadId, body);

    // Act
    const repReads = await call('rep:jonas', 'GET /leads/{id}');
    const outOfTeam = await call('manager:katrin', 'POST /leads/{id}/owner', { owner: 'carla' });
    const given = await call('manager:katrin', 'POST /leads/{id}/owner', {
      owner: 'lena',
      reason: 'has room',
    });

    // Assert
    expect(repReads.statusCode).toBe(404);
    expect(outOfTeam.statusCode, outOfTeam.body).toBe(422);
    expect(given.statusCode, given.body).toBe(200);
    const lead = await api.runtime.deps.store.getLead(leadId);
    expect(lead).toMatchObject({ ownerId: 'lena', handedOffAt: lead?.ownerSince, escalationsTaken: 0 });
    expect(lead?.timeline.at(-1)).toMatchObject({
      kind: 'owner',
      to: 'lena',
      by: 'manager:katrin',
      reasons: [{ rule: 'owner.manual', detail: 'has room' }],
    });
  });

  it('a lead whose owner left the SLA: a manager reaches it (the "needs an owner" email links to it) and gives it to their team; a rep does not', async () => {
    // Arrange: a lead still owned by a rep the SLA no longer names (nobody in its queue could take it over)
    freshMinute();
    const leadId = await jonasLead('Departed');
    await updateLead(api.runtime.deps.store, leadId, (current) => ({ ...current, ownerId: 'ghost' }));
    const call = (principal: string, route: string, body?: unknown) =>
      callRoute(route, principal, leadId, body);

    // Act
    const repReads = await call('rep:jonas', 'GET /leads/{id}');
    const managerReads = await call('manager:katrin', 'GET /leads/{id}');
    const given = await call('manager:katrin', 'POST /leads/{id}/owner', {
      owner: 'lena',
      reason: 'Ghost left',
    });

    // Assert
    expect(repReads.statusCode).toBe(404);
    expect(managerReads.statusCode, managerReads.body).toBe(200);
    expect(given.statusCode, given.body).toBe(200);
    expect((await api.runtime.deps.store.getLead(leadId))?.ownerId).toBe('lena');
  });

  it('a person the SLA does not name (or names in another role) has no reach, not ops’ by default', async () => {
    const leadId = await jonasLead('Ghost');
    const before = await snapshot(leadId);
    for (const principal of ['ops:ghost', 'ops:katrin', 'manager:jonas', 'rep:priya']) {
      for (const route of Object.keys(API_REQUESTS)) {
        const answer = await callApi(route, principal, leadId);
        expect(answer.statusCode, `${principal} ${route}`).toBe(403);
      }
    }
    expect(await snapshot(leadId)).toEqual(before);
  });

  it('an attempt logged by a rep in another rep’s name is refused, naming the field', async () => {
    const leadId = await jonasLead('Impostor');
    const handler = ROUTES.find((r) => keyOf(r) === 'POST /leads/{id}/attempts')!.make(
      api.runtime.deps as never,
    );
    const answer = (await handler(
      personEvent('POST /leads/{id}/attempts', 'rep:jonas', leadId, { outcome: 'no-answer', repId: 'lena' }),
      {} as never,
    )) as { statusCode: number; body: string };
    expect(answer.statusCode).toBe(422);
    expect(JSON.parse(answer.body).error.fields).toEqual([{ path: 'repId', message: 'lena is not you' }]);
    expect(await api.runtime.deps.store.listAttempts(leadId)).toEqual([]);
  });

  it('the webhook delivery log and its replay are ops’ (a rep or a manager: 403)', async () => {
    for (const route of ROUTES.filter((r) => r.path.startsWith('/webhooks/'))) {
      for (const principal of ['rep:jonas', 'manager:katrin']) {
        const handler = route.make(api.runtime.deps as never);
        const answer = (await handler(
          personEvent(keyOf(route), principal, `dlv_${'0'.repeat(32)}`),
          {} as never,
        )) as { statusCode: number };
        expect(answer.statusCode, `${principal} ${keyOf(route)}`).toBe(403);
      }
    }
  });

  it('lists and reports: another team’s owner or rep shows nothing of them', async () => {
    await jonasLead('Listed');
    const list = ROUTES.find((r) => keyOf(r) === 'GET /leads')!.make(api.runtime.deps as never);
    const asked = (await list(
      {
        ...personEvent('GET /leads', 'rep:carla', 'x'),
        queryStringParameters: { owner: 'jonas' },
      } as HttpEvent,
      {} as never,
    )) as { statusCode: number; body: string };
    expect(asked.statusCode).toBe(200);
    expect(JSON.parse(asked.body)).toEqual({ items: [], next: null, truncated: false });
    const report = ROUTES.find((r) => keyOf(r) === 'GET /reports/sla')!.make(api.runtime.deps as never);
    const theirs = (await report(
      {
        ...personEvent('GET /reports/sla', 'rep:carla', 'x'),
        queryStringParameters: { from: '2026-11-01', to: '2026-12-01', rep: 'jonas' },
      } as HttpEvent,
      {} as never,
    )) as { statusCode: number; body: string };
    expect(theirs.statusCode).toBeGreaterThanOrEqual(400);
    expect(theirs.body).not.toContain('Jonas');
  });
});

describe('the console', () => {
  it.each(Object.keys(CONSOLE_REQUESTS))(
    '%s: another team’s rep and manager get 404, nothing changes',
    async (route) => {
      freshMinute();
      const leadId = await jonasLead(`Console${route.replace(/\W+/g, '')}`);
      const [method, path] = route.split(' ') as [string, string];
      for (const email of [CARLA, DAN]) {
        const cookie = await signIn(api.runtime, email);
        const csrf = csrfOf((await consoleFetch(api.runtime, 'GET', '/console/leads', { cookie })).text);
        const before = await snapshot(leadId);
        const form = CONSOLE_REQUESTS[route]!.form;
        const answer = await consoleFetch(api.runtime, method, path.replace('{id}', leadId), {
          cookie,
          ...(form ? { form: { ...form, csrf } } : {}),
        });
        expect(answer.status, `${email}: ${textOf(answer.text)}`).toBe(404);
        expect(textOf(answer.text)).not.toContain('Petra');
        expect(await snapshot(leadId)).toEqual(before);
      }
    },
  );

  it.each(Object.keys(CONSOLE_REQUESTS))(
    '%s: the lead’s own rep gets the expected answer (the control)',
    async (route) => {
      freshMinute();
      const leadId = await jonasLead(`Mine${route.replace(/\W+/g, '')}`);
      const [method, path] = route.split(' ') as [string, string];
      const cookie = await signIn(api.runtime, JONAS);
      const csrf = csrfOf((await consoleFetch(api.runtime, 'GET', '/console/leads', { cookie })).text);
      const form = CONSOLE_REQUESTS[route]!.form;
      const answer = await consoleFetch(api.runtime, method, path.replace('{id}', leadId), {
        cookie,
        ...(form ? { form: { ...form, csrf } } : {}),
      });
      expect(answer.status, textOf(answer.text)).toBe(CONSOLE_REQUESTS[route]!.ok);
    },
  );

  it('the list, the overview and the reports show nothing of another team', async () => {
    freshMinute();
    await jonasLead('Hiddenfromcarla');
    const cookie = await signIn(api.runtime, CARLA);
    for (const path of [
      '/console',
      '/console/leads',
      '/console/leads?owner=jonas',
      '/console/leads?q=petra',
      '/console/leads?overdue=true',
    ]) {
      const answer = await consoleFetch(api.runtime, 'GET', path, { cookie });
      expect(answer.status, path).toBe(200);
      expect(textOf(answer.text), path).not.toContain('Hiddenfromcarla');
    }
    const report = await consoleFetch(api.runtime, 'GET', '/console/reports?period=30d&rep=jonas', {
      cookie,
    });
    expect(textOf(report.text)).not.toContain('Jonas Berger');
  });
});
