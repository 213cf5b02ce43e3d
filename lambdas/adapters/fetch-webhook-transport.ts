/**
 * WebhookTransport over fetch: one POST, no redirects followed. The answer is the status (and a failure's
 * `Retry-After`): the receiver's
 * body is cancelled unread (a huge or endless body neither fills memory nor runs into the timeout and turns
 * a 2xx into a retry: test/integration/fetch-webhook-transport.test.ts).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isInternalAddress } from '../domain/webhook-config.ts';
import { redactWebhookUrl } from '../domain/webhook-url-redaction.ts';
import { retryAfterMs } from '../domain/webhooks.ts';
import type { WebhookResponse, WebhookTransport } from '../ports/events.ts';

export class FetchWebhookTransport implements WebhookTransport {
  /**
   * `publicOnly` (the deployed sender): a receiver's name is resolved first and an internal address
   * refused (the URL policy of webhook-config.ts checks the URL as written, not what its name resolves to).
   * A name whose answer changes between this lookup and fetch's own is not caught.
   */
  constructor(private readonly options: { readonly publicOnly?: boolean } = {}) {}

  async post(
    url: string,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
  ): Promise<WebhookResponse> {
    try {
      if (this.options.publicOnly) {
        const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
        const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
        // the host as shown (Pipedream's is the receiver's credential: webhook-url-redaction.ts)
        if (addresses.some(isInternalAddress))
          return {
            error: `"${new URL(redactWebhookUrl(url)).hostname}" resolves to an internal address: not sent`,
          };
      }
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      const wait = response.ok ? undefined : retryAfterMs(response.headers.get('retry-after'), new Date());
      return { statusCode: response.status, ...(wait === undefined ? {} : { retryAfterMs: wait }) };
    } catch (error) {
      // fetch's errors carry a code in their cause, the name lookup's its own (its message quotes the host,
      // which may be the receiver's credential): the code, as locally
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      const name = error instanceof Error ? error.name : '';
      return {
        error:
          name === 'TimeoutError'
            ? 'timeout'
            : (cause ?? (error instanceof Error ? error.message : String(error))),
      };
    }
  }
}
