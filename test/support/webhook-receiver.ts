/**
 * A webhook receiver on a real socket (127.0.0.1) that verifies every delivery with the
 * `standardwebhooks` package (a Standard Webhooks library LeadPact does not write) and records it.
 * `failWith(500)` makes it answer 500 (after verifying) until `failWith(undefined)`; `failWith(429,
 * { 'retry-after': '600' })` answers with those headers too.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  readonly id: string;
  readonly timestamp: number;
  /** the verified payload: { type, timestamp, data } */
  readonly payload: {
    type: string;
    timestamp: string;
    data: Record<string, unknown> & { id: string; seq: number };
  };
  /** what the receiver answered */
  readonly answered: number;
}

export interface WebhookReceiver {
  readonly url: string;
  /** verified deliveries, in arrival order (including those answered with an error) */
  readonly received: ReceivedWebhook[];
  /** deliveries whose signature did not verify (should stay empty) */
  readonly rejected: { headers: IncomingHttpHeaders; error: string }[];
  failWith(status: number | undefined, headers?: Record<string, string>): void;
  /** the deliveries answered 2xx */
  accepted(): ReceivedWebhook[];
  close(): Promise<void>;
}

/** a `whsec_` secret, as `leadpact dev` reads it from LEADPACT_WEBHOOK_SECRET */
export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('leadpact-test-webhook-secret-32b!').toString('base64')}`;

export async function startWebhookReceiver(secret = TEST_WEBHOOK_SECRET): Promise<WebhookReceiver> {
  const verifier = new Webhook(secret);
  const received: ReceivedWebhook[] = [];
  const rejected: WebhookReceiver['rejected'] = [];
  let failing: number | undefined;
  let failingHeaders: Record<string, string> = {};
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const payload = verifier.verify(
          body,
          request.headers as Record<string, string>,
        ) as ReceivedWebhook['payload'];
        const answered = failing ?? 204;
        received.push({
          id: String(request.headers['webhook-id']),
          timestamp: Number(request.headers['webhook-timestamp']),
          payload,
          answered,
        });
        response.writeHead(answered, failing === undefined ? {} : failingHeaders).end();
      } catch (error) {
        rejected.push({ headers: request.headers, error: String(error) });
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/leadpact`,
    received,
    rejected,
    failWith(status, headers = {}) {
      failing = status;
      failingHeaders = headers;
    },
    accepted: () => received.filter((delivery) => delivery.answered < 300),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
