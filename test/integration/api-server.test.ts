/**
 * The local server as API Gateway's stand-in: the bearer-token authorizer, unknown routes and methods,
 * health, no 500 whatever the body, and no Scan on any request path (every DynamoDB command the store
 * sends is recorded through a middleware on the runtime's client).
 */
import { Agent, request as httpRequest } from 'node:http';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api/routes.ts';
import { LOCAL_TABLE } from '../../local/runtime.ts';
import { recordDynamoDbCommands } from '../support/dynamodb-recorder.ts';
import {
  ADMIN_TOKEN,
  ALLOWED_ORIGIN,
  exampleLead,
  expectError,
  MINUTE,
  T0,
  useLocalApi,
} from '../support/local-api.ts';

const HOUR_AGO = new Date(T0.getTime() - 60 * MINUTE).toISOString();

/** The authenticated JSON routes of issue 3, with a valid body each. */
const AUTHENTICATED: readonly [string, string, unknown][] = [
  ['POST', '/events', { eventId: 'e-1', type: 'page_view', occurredAt: HOUR_AGO }],
  ['POST', '/attempts', { outcome: 'connected' }],
  ['PUT', '/deal', { stage: 'discovery' }],
  ['PATCH', '/status', { status: 'bad-timing' }],
  ['GET', '', undefined],
  ['DELETE', '', undefined],
];

describe('local API server', () => {
  const api = useLocalApi();

  it('answers GET /health with the SLA version and the clock', async () => {
    // Act
    const response = await api.request('GET', '/health', { token: null });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', slaVersion: '2026.11-kessler-1', time: T0.toISOString() });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  describe('authorizer', () => {
    const cases = AUTHENTICATED.flatMap(([method, suffix, body]) =>
      [
        ['no Authorization', undefined],
        ['a wrong token', `Bearer ${ADMIN_TOKEN.replace(/.$/, '_')}`],
        ['the token with an extra character', `Bearer ${ADMIN_TOKEN}x`],
        ['the token as Basic credentials', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`],
        ['the bare token', ADMIN_TOKEN],
      ].map(([kind, authorization]) => ({
        route: `${method} /leads/{id}${suffix}`,
        method,
        suffix,
        body,
        kind,
        authorization,
      })),
    );

    it.each(cases)(
      'refuses $route with $kind: 401 and nothing changes',
      async ({ method, suffix, body, authorization }) => {
        // Arrange
        const leadId = await api.createLead({ email: api.uniqueEmail('auth') });
        await api.handOff(leadId);
        const before = await api.runtime.deps.store.getLead(leadId);

        // Act
        const response = await api.request(method, `/leads/${leadId}${suffix}`, {
          token: null,
          ...(body === undefined ? {} : { json: body }),
          ...(authorization ? { headers: { authorization } } : {}),
        });

        // Assert
        expectError(response, 401, 'unauthorized');
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="leadpact"');
        expect(await api.runtime.deps.store.getLead(leadId)).toEqual(before);
        expect(await api.runtime.deps.store.listEvents(leadId)).toHaveLength(1);
      },
    );

    it('accepts the token whatever the case of "Bearer"', async () => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail('bearer') });

      // Act
      const response = await api.request('GET', `/leads/${leadId}`, {
        token: null,
        headers: { authorization: `bearer ${ADMIN_TOKEN}` },
      });

      // Assert
      expect(response.status).toBe(200);
    });
  });

  describe('routing', () => {
    it('serves the demo lead form at GET /: a plain HTML form posting to /leads', async () => {
      // Act
      const response = await fetch(`${api.url}/`);
      const html = await response.text();

      // Assert
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(html).toContain('<form method="post" action="/leads">');
      expect(html).toContain('name="_gotcha"');
    });

    it.each([
      ['GET', '/nope'],
      ['GET', '/LEADS'],
      ['GET', '/leads/'],
      ['POST', '/leads/AAAAAAAAAAAAAAAAAAAAAA/notes'],
      ['GET', '/leads/AAAAAAAAAAAAAAAAAAAAAA/events/extra'],
      ['OPTIONS', '/nope'],
    ])('answers %s %s with 404', async (method, path) => {
      // Act
      const response = await api.request(method, path);

      // Assert
      expectError(response, 404, 'not_found');
    });

    it.each([
      ['PUT', '/leads', 'POST, GET'],
      ['DELETE', '/leads', 'POST, GET'],
      ['POST', '/health', 'GET'],
      ['POST', '/leads/AAAAAAAAAAAAAAAAAAAAAA', 'GET, DELETE'],
      ['GET', '/leads/AAAAAAAAAAAAAAAAAAAAAA/events', 'POST'],
      ['DELETE', '/leads/AAAAAAAAAAAAAAAAAAAAAA/deal', 'PUT'],
      ['PUT', '/leads/AAAAAAAAAAAAAAAAAAAAAA/status', 'PATCH'],
      ['POST', '/webhooks/deliveries', 'GET'],
      ['GET', '/webhooks/deliveries/dlv_00000000000000000000000000000000/replay', 'POST'],
      // the console
      ['POST', '/console', 'GET'],
      ['PUT', '/console/sign-in/abc.def', 'GET, POST'],
      ['DELETE', '/console/leads/AAAAAAAAAAAAAAAAAAAAAA', 'GET'],
      ['POST', '/console/reports', 'GET'],
    ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
      // Act
      const response = await api.request(method, path, method === 'GET' ? {} : { json: {} });

      // Assert
      expectError(response, 405, 'method_not_allowed');
      expect(response.headers.get('allow')).toBe(allow);
    });

    it.each([
      ['/console/sign-in', 'POST'],
      ['/console/sign-out', 'POST'],
      ['/console/leads/AAAAAAAAAAAAAAAAAAAAAA/attempts', 'POST'],
    ])("answers a visit to %s (a form post's address) with a 405 page and Allow: %s", async (path, allow) => {
      // Act: the console's catch-all route takes a GET no page has (as API Gateway picks GET /console/{proxy+})
      const response = await api.request('GET', path);

      // Assert
      expect(response.status).toBe(405);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('allow')).toBe(allow);
      expect(response.text).toContain('This address only takes what a form sends');
    });

    it.each([
      ['/console/nothing-here', 404],
      ['/console/leads/AAAAAAAAAAAAAAAAAAAAAA/nothing', 404],
      ['/console/reports/', 303],
    ])('answers a visit to %s with a page (%s), never JSON', async (path, status) => {
      // Act
      const response = await api.request('GET', path);

      // Assert
      expect(response.status).toBe(status);
      if (status === 303) expect(response.headers.get('location')).toBe('/console/reports');
      else expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    });

    it('answers a form post to an address only the catch-all takes with 404, as API Gateway does', async () => {
      // Act
      const response = await api.request('POST', '/console/nothing-here', { json: {} });

      // Assert
      expectError(response, 404, 'not_found');
    });
  });

  it('answers a body over its read limit 413 and the connection serves the next requests (keep-alive)', async () => {
    // Arrange: one kept-alive connection, as a browser posting the same form again
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) =>
      new Promise<{ status: number; connection: string | undefined; error?: string }>((resolve) => {
        const request = httpRequest(
          `${api.url}/leads`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
          (response) => {
            response.resume();
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }),
            );
          },
        );
        request.on('error', (error: NodeJS.ErrnoException) =>
          resolve({ status: 0, connection: undefined, error: error.code ?? error.message }),
        );
        request.end(body);
      });

    // Act
    try {
      const tooLarge = await post(JSON.stringify({ email: api.uniqueEmail('big'), x: 'x'.repeat(300_000) }));
      const next: Awaited<ReturnType<typeof post>>[] = [];
      for (let i = 0; i < 3; i++) next.push(await post(JSON.stringify({ email: api.uniqueEmail('next') })));

      // Assert
      expect(tooLarge.status).toBe(413);
      expect(next).toEqual([202, 202, 202].map((status) => expect.objectContaining({ status })));
    } finally {
      agent.destroy();
    }
  });

  describe('never a 500 for bad input', () => {
    const GARBAGE: readonly [string, string, string][] = [
      ['null', 'null', 'application/json'],
      ['an array', '[]', 'application/json'],
      ['a string', '"lead"', 'application/json'],
      ['a number beyond any double', '1e999', 'application/json'],
      [
        'a __proto__ object',
        '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
        'application/json',
      ],
      ['JSON nested 5000 deep', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json'],
      ['invalid UTF-8 escapes', '{"email":"\\ud800@x.example","stage":"\\udfff"}', 'application/json'],
      ['a form body', 'a=1&a=2&__proto__=x', 'application/x-www-form-urlencoded'],
      ['XML', '<lead><email>a@b.example</email></lead>', 'application/xml'],
    ];
    const targets: readonly [string, string][] = [
      ['POST', '/leads'],
      ...AUTHENTICATED.filter(([, , body]) => body !== undefined).map(
        ([method, suffix]) => [method, `/leads/{id}${suffix}`] as [string, string],
      ),
    ];
    const cases = targets.flatMap(([method, path]) =>
      GARBAGE.map(([kind, body, contentType]) => ({
        route: `${method} ${path}`,
        method,
        path,
        kind,
        body,
        contentType,
      })),
    );

    it.each(cases)(
      'answers $route with $kind by a 4xx error',
      async ({ method, path, body, contentType }) => {
        // Arrange
        const leadId = await api.createLead({ email: api.uniqueEmail('garbage') });
        await api.handOff(leadId);
        const before = await api.runtime.deps.store.getLead(leadId);

        // Act
        const response = await api.request(method, path.replace('{id}', leadId), { body, contentType });

        // Assert
        expect(response.status, response.text).toBeGreaterThanOrEqual(400);
        expect(response.status, response.text).toBeLessThan(500);
        expect(response.body).toMatchObject({
          error: { code: expect.any(String), fields: expect.any(Array) },
        });
        expect(await api.runtime.deps.store.getLead(leadId)).toEqual(before);
      },
    );
  });

  describe('no Scan on any request path', () => {
    it('sends only Get, Put, Query and BatchWrite while every issue-3 route is exercised', async () => {
      // Arrange
      const recorder = recordDynamoDbCommands(api.runtime.dynamoDb);
      const walked = new Set<string>();
      const call = async (
        method: string,
        route: string,
        path: string,
        opts: Parameters<typeof api.request>[2] = {},
      ) => {
        walked.add(`${method} ${route}`);
        return api.request(method, path, opts);
      };

      // Act: every route, happy and unhappy paths
      const hot = exampleLead('hot');
      await call('POST', '/leads', '/leads', { token: null, json: hot, origin: ALLOWED_ORIGIN });
      await call('POST', '/leads', '/leads', {
        token: null,
        form: { email: String(hot.email), firstName: 'P' },
      });
      await call('POST', '/leads', '/leads', { token: null, json: { email: 'bad' } });
      const leadId = api.leadIdOf(String(hot.email));
      const other = api.leadIdOf('nobody@plant.example');
      await call('GET', '/health', '/health', { token: null });
      for (const id of [leadId, other]) {
        await call('POST', '/leads/{id}/events', `/leads/${id}/events`, { json: AUTHENTICATED[0]![2] });
        await call('GET', '/leads/{id}', `/leads/${id}`);
      }
      await call('POST', '/leads/{id}/attempts', `/leads/${leadId}/attempts`, {
        json: { outcome: 'connected' },
      });
      await api.handOff(leadId);
      await call('POST', '/leads/{id}/attempts', `/leads/${leadId}/attempts`, {
        json: { outcome: 'connected' },
      });
      await call('PUT', '/leads/{id}/deal', `/leads/${leadId}/deal`, { json: { stage: 'discovery' } });
      await call('PATCH', '/leads/{id}/status', `/leads/${leadId}/status`, {
        json: { status: 'bad-timing' },
      });
      await call('GET', '/leads', '/leads?stage=sql&limit=5');
      await call('POST', '/leads/{id}/owner', `/leads/${leadId}/owner`, { json: { owner: 'lena' } });
      await call('PATCH', '/leads/{id}/fields', `/leads/${leadId}/fields`, {
        json: { fields: { company: 'X' } },
      });
      await call('DELETE', '/leads/{id}', `/leads/${leadId}`);
      await call('DELETE', '/leads/{id}', `/leads/${other}`);
      await call('POST', '/leads/{id}/events', `/leads/${leadId}/events`, { json: AUTHENTICATED[0]![2] });

      // Assert
      const issue3Routes = ROUTES.filter(
        (route) => route.path.startsWith('/leads') || route.path === '/health',
      );
      expect([...walked].sort()).toEqual(issue3Routes.map((route) => `${route.method} ${route.path}`).sort());
      expect(recorder.commands.length).toBeGreaterThan(20);
      expect(recorder.names()).not.toContain('ScanCommand');
      await api.runtime.events.idle();
      expect(new Set(recorder.names())).toEqual(
        // UpdateItem: the events publisher moving a lead's cursor after the write (local/events-out.ts);
        // BatchGetItem: the publisher looking up the report facts of what it publishes (ADR 0016)
        new Set([
          'BatchGetItemCommand',
          'GetItemCommand',
          'PutItemCommand',
          'QueryCommand',
          'BatchWriteItemCommand',
          'UpdateItemCommand',
        ]),
      );
    });

    it('records a Scan when one is sent (the guard above can fail)', async () => {
      // Arrange
      const recorder = recordDynamoDbCommands(api.runtime.dynamoDb);

      // Act
      await api.runtime.dynamoDb.send(new ScanCommand({ TableName: LOCAL_TABLE, Limit: 1 }));

      // Assert
      expect(recorder.names()).toContain('ScanCommand');
    });
  });
});
