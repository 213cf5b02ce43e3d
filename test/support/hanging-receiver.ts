/**
 * A webhook receiver on a real socket (127.0.0.1) that takes each request and never answers, until
 * `recover()`: from then on it answers 204. It records the `webhook-id` of every request it got, and when
 * each unanswered one was given up by the sender (its socket closed). For a sender's timeout to be short in
 * a test, `withTimeout` caps the timeout a transport is given (the deployed one is 15 s).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookTransport } from '../../lambdas/ports/events.ts';

export interface HangingReceiver {
  readonly url: string;
  /** the webhook-id of every request, in arrival order (unanswered ones included) */
  readonly requests: string[];
  /** the webhook-ids it answered 204 (after recover()) */
  readonly answered: string[];
  /** how many unanswered requests the sender gave up on so far */
  givenUp(): number;
  /** called each time the sender gives up on an unanswered request */
  onGiveUp(listener: () => void): void;
  recover(): void;
  close(): Promise<void>;
}

export async function startHangingReceiver(): Promise<HangingReceiver> {
  const requests: string[] = [];
  const answered: string[] = [];
  const listeners: (() => void)[] = [];
  let gaveUp = 0;
  let down = true;
  const server: Server = createServer((request, response) => {
    const id = String(request.headers['webhook-id']);
    requests.push(id);
    request.resume();
    if (!down) {
      request.on('end', () => {
        answered.push(id);
        response.writeHead(204).end();
      });
      return;
    }
    response.on('close', () => {
      gaveUp++;
      for (const listener of listeners) listener();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/down`,
    requests,
    answered,
    givenUp: () => gaveUp,
    onGiveUp: (listener) => void listeners.push(listener),
    recover: () => {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `transport` with every post's timeout at most `timeoutMs` (the deployed 15 s, shortened for a test) */
export function withTimeout(transport: WebhookTransport, timeoutMs: number): WebhookTransport {
  return {
    post: (url, headers, body, timeout) => transport.post(url, headers, body, Math.min(timeout, timeoutMs)),
  };
}
