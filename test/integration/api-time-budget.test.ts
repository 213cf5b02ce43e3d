/**
 * A request that waits out contention stops in time for its Lambda function's timeout (ADR 0068), through the
 * real local server (dynalite, the DynamoDB store, HTTP over a socket) with each API function's timeout
 * enforced as Lambda enforces it. Writers racing for one lead used to try on until Lambda killed them: API
 * Gateway's bare 500, and a killed request's write could still stand. Now each answers in time, 201 or 409
 * "retry", and exactly the 201s are stored.
 */
import { describe, expect, it, vi } from 'vitest';
import { pastTimeout } from '../support/function-timeout.ts';
import { expectError, salesRoutes, useLocalApi } from '../support/local-api.ts';

/** Short enough that 60 writers on one lead outlast it on any machine; each try is milliseconds. */
const TIMEOUT_MS = 2_000;
const PARALLEL = 60;

describe('API requests under a function timeout (real HTTP, dynalite)', { timeout: 60_000 }, () => {
  const api = useLocalApi({ apiTimeoutMs: TIMEOUT_MS });
  const routes = salesRoutes(api);

  it('60 distinct attempts racing for one lead: each answered 201 or 409 before the timeout, the 201s alone stored', async () => {
    // Arrange
    const leadId = await routes.handedOffLead('budget');
    const ids = Array.from({ length: PARALLEL }, (_, i) => `dialer-${i}`);

    // Act
    const responses = await Promise.all(
      ids.map((attemptId) => routes.attempt(leadId, { attemptId, outcome: 'no-answer' })),
    );
    // a request Lambda killed would go on here (the local server cannot stop it): give it time to land
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2));

    // Assert: no bare 500 of a killed function; a 409 names the conflict
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
    for (const response of responses.filter((r) => r.status === 409)) expectError(response, 409, 'conflict');
    // every 201 is stored, and nothing else
    const accepted = ids.filter((_, i) => responses[i]!.status === 201).sort();
    const storedIds = (await api.runtime.deps.store.listAttempts(leadId)).map((a) => a.attemptId).sort();
    expect(storedIds).toEqual(accepted);
    expect(accepted.length).toBeGreaterThan(0);
  });
});

describe('a function that runs past its timeout (real HTTP, dynalite)', () => {
  // no form post that writes the table answers in 50 ms here
  const api = useLocalApi({ apiTimeoutMs: 50 });

  it('is answered as on AWS: middy early 503, or API Gateway bare 500 when that had no time to run', async () => {
    // Arrange
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);

    // Act
    const response = await api.request('POST', '/leads', {
      json: { email: api.uniqueEmail('slow'), source: 'web' },
    });

    // Assert
    expect(pastTimeout(response.status, response.text), response.text).toBe(true);
  });
});
