/** WebhookTransport over fetch: one POST, no redirects followed, the receiver's body read and dropped. */
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
      await response.arrayBuffer().catch(() => undefined);
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
