/**
 * DynamoDB throttling the API past the SDK's own retries (three attempts with backoff): the request is
 * answered 503 with Retry-After, as a busy service is, not 500 "something went wrong on our side". A client
 * (a CRM's sync, a form's script, a browser) retries a 503 later; a 500 says ours is broken. Programs get
 * JSON, a browser's form post a page, and once DynamoDB answers again the same requests succeed.
 * INJECTED: DynamoDB's ThrottlingException on the wire (test/support/fault-proxy.ts) while `busy` is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2e, exampleLead, startE2e } from '../support/e2e.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';

describe('a dependency throttling past its retries', () => {
  let e2e: E2e;
  let dynamo: FaultProxy | undefined;
  let busy = false;
  beforeAll(async () => {
    e2e = await startE2e({
      endpoints: {
        dynamodb: async (target) => {
          dynamo = await startFaultProxy({
            target,
            service: 'dynamodb',
            rate: 1,
            kinds: ['throttle'],
            phases: ['before'],
            eligible: () => busy,
          });
          return dynamo.endpoint;
        },
      },
    });
  });
  afterAll(async () => {
    busy = false;
    await e2e?.close();
    await dynamo?.close();
  });

  it('answers a program 503 with Retry-After, and the same request 200 once DynamoDB answers', async () => {
    // Arrange: a lead, then DynamoDB refuses every request for its throughput
    const posted = await e2e.postLead({ ...exampleLead('cold'), email: 'buyer@busy-table.example' });
    const leadId = (posted.body as { leadId: string }).leadId;
    await e2e.settle();
    busy = true;

    // Act
    const refused = await e2e.request('GET', `/leads/${leadId}`);
    busy = false;
    const answered = await e2e.request('GET', `/leads/${leadId}`);

    // Assert
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.body).toMatchObject({ error: { code: 'temporarily_unavailable' } });
    expect(answered.status).toBe(200);
    expect(dynamo!.counts().byFault['throttle/before']).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it.each([
    ['json', 'application/json'],
    ['form', 'text/html'],
  ] as const)(
    'refuses a %s form post it could not store with 503, and stores nothing',
    async (as, type) => {
      // Arrange
      const email = `visitor-${as}@busy-table.example`;
      busy = true;

      // Act
      const lead = { ...exampleLead('hot'), email };
      const refused =
        as === 'json'
          ? await e2e.postLead(lead)
          : await e2e.request('POST', '/leads', {
              // a browser's own post of an HTML form
              form: Object.fromEntries(Object.entries(lead).map(([key, value]) => [key, String(value)])),
              headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
            });
      busy = false;

      // Assert
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toContain(type);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      if (as === 'form') expect(refused.text).toMatch(/again in a few seconds/i);
      expect(await e2e.runtime.deps.store.getLead(e2e.leadIdOf(email))).toBeUndefined();
    },
    60_000,
  );
});
