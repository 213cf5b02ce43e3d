/**
 * A form post whose event is stored and whose create DynamoDB refuses past the SDK's retries. For a new person it
 * answered 503 and left its event stored, which the lead's first wake folded beside the resend's own: the demo
 * request counted twice (noticed by the throttled burst, left last session). Now nothing of the refused post
 * stays: its event is deleted before the 503, and the resend is the person's one submission. A known person's
 * post gets the same 503 (an answer that differed would tell that the email is known: a review of this change
 * found the first version answering it 202).
 *
 * The real local API (dynalite, HTTP over a socket), through a second server on the runtime's deps whose store's
 * `createLead` throws DynamoDB's ThrottlingException while armed. INJECTED: that exception (the SDK's own class,
 * as the client throws it past its retries), on the one call a fault proxy cannot pick out of a post's calls.
 */
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { extendDeps } from '../../lambdas/api/deps.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import { type RunningServer, startApiServer } from '../../local/http-server.ts';
import { ADMIN_TOKEN, SQL_LEAD, useLocalApi } from '../support/local-api.ts';

describe('a form post whose create DynamoDB refuses, its event stored', () => {
  const api = useLocalApi();
  let server: RunningServer;
  let createRefused = false;

  beforeAll(async () => {
    const store = api.runtime.deps.store;
    const refusing = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'createLead') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<LeadStore['createLead']>) => {
          if (!createRefused) return target.createLead(...args);
          throw new DynamoDBServiceException({
            name: 'ThrottlingException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400, attempts: 3 },
            message: 'Rate of requests exceeds the allowed throughput.',
          });
        };
      },
    });
    server = await startApiServer({
      deps: extendDeps(api.runtime.deps, { store: refusing }),
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  const post = (email: string) =>
    fetch(`${server.url}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, firstName: 'Petra', ...SQL_LEAD }),
    });
  it('a new person: 503 with nothing stored; the resend makes the lead with its one submission', async () => {
    // Arrange
    const email = api.uniqueEmail('create-busy');
    const leadId = api.leadIdOf(email);
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    createRefused = true;

    // Act: the post the create refuses, then the person's resend
    const refused = await post(email);
    const refusedText = await refused.text();
    createRefused = false;
    const eventsAfterRefusal = await api.runtime.deps.store.listEvents(leadId);
    const resent = await post(email);
    warnings.mockRestore();

    // Assert
    expect(refused.status, refusedText).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(eventsAfterRefusal, 'nothing of the refused post stays').toEqual([]);
    expect(await api.runtime.deps.store.getLead(leadId)).toMatchObject({ leadId });
    expect(resent.status).toBe(202);
    expect(await api.runtime.deps.store.listEvents(leadId)).toHaveLength(1);
  });

  it('a known person: the same 503 as a new person gets (the form never tells that an email is known)', async () => {
    // Arrange: the person posted before
    const email = api.uniqueEmail('known-create-busy');
    const leadId = await api.createLead({ email, firstName: 'Petra', ...SQL_LEAD });
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    createRefused = true;

    // Act
    const response = await post(email);
    const text = await response.text();
    createRefused = false;
    warnings.mockRestore();

    // Assert: answered as the unknown person's post above is, the lead there as it was
    expect(response.status, text).toBe(503);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'temporarily_unavailable' } });
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await api.runtime.deps.store.getLead(leadId)).toMatchObject({ leadId });
  });
});
