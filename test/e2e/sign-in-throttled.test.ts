/**
 * A console sign-in while SES refuses sends for its rate (ADR 0051): the local SES enforces a rate as SES does
 * (`TooManyRequestsException`), and the sign-in request sends its email in the request. The person is told the
 * email could not go just now and to ask again in a minute (503, Retry-After), a page and never a 500: a sign-in
 * asks for one link per person per minute, so asking again in the next minute sends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleFetch, signInLinkFor } from '../support/console.ts';
import { type E2e, startE2e } from '../support/e2e.ts';

const PRIYA = 'priya.shah@kessler-industrial.example';
const KATRIN = 'katrin.vogel@kessler-industrial.example';

describe('a sign-in while SES throttles', () => {
  let e2e: E2e | undefined;
  beforeAll(async () => {
    // one email, then one every 50 s: the second sign-in meets the rate past the SDK's own retries
    e2e = await startE2e({ mailRate: 0.02 });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('the first link goes; the next, refused for the rate, is a 503 page that says to ask again in a minute', async () => {
    // Arrange
    const e = e2e!;
    const since = Date.now() - 1000;
    // Act
    const first = await consoleFetch(e.runtime, 'POST', '/console/sign-in', { form: { email: PRIYA } });
    const second = await consoleFetch(e.runtime, 'POST', '/console/sign-in', { form: { email: KATRIN } });
    // Assert
    expect(first.status).toBe(200);
    expect(await signInLinkFor(e.runtime, PRIYA, since)).toBeDefined();
    expect(second.status).toBe(503);
    expect(second.headers.get('content-type')).toMatch(/^text\/html/);
    expect(second.headers.get('retry-after')).toBe('60');
    expect(second.text).toContain('The email could not be sent just now; ask again in a minute.');
    expect(await signInLinkFor(e.runtime, KATRIN, since)).toBeUndefined();
  });
});
