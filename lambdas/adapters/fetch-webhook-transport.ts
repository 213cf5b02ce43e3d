/**
 * WebhookTransport over fetch: one POST, no redirects followed. The answer is the status: the receiver's
 * body is cancelled unread (a huge or endless body neither fills memory nor runs into the timeout and turns
 * a 2xx into a retry: test/integration/fetch-webhook-transport.test.ts).
 */
import type { WebhookResponse, WebhookTransport } from '../ports/events.ts';

export class FetchWebhookTransport implements WebhookTransport {
  async post(
    url: string,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
  ): Promise<WebhookResponse> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      return { statusCode: response.status };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
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
