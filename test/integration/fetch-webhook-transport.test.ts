/**
 * The webhook sender's HTTP client against real receivers on 127.0.0.1: the answer is the status line, a
 * receiver's body is never read beyond what the status needs (a huge or endless body neither fills the
 * sender's memory nor turns a 2xx into a timeout), and a receiver that never answers is a timeout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchWebhookTransport } from '../../lambdas/adapters/fetch-webhook-transport.ts';

const CHUNK = Buffer.alloc(64 * 1024, 'x');

describe('the webhook transport', () => {
  let server: Server | undefined;

  afterEach(async () => {
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function receiver(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  }

  it('takes a 200 whose body never ends as delivered, without reading the body', async () => {
    // Arrange: a receiver that answers 200 and then streams its body for as long as it is read
    let sent = 0;
    const url = await receiver((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const pump = () => {
          while (!response.destroyed && sent < 512 * 1024 * 1024 && response.write(CHUNK))
            sent += CHUNK.length;
          if (!response.destroyed) response.once('drain', pump);
        };
        pump();
      });
    });

    // Act
    const started = Date.now();
    const answer = await new FetchWebhookTransport().post(url, {}, '{}', 3_000);

    // Assert: delivered at once, and the sender stopped reading (a few socket buffers, not the stream)
    expect(answer).toEqual({ statusCode: 200 });
    expect(Date.now() - started).toBeLessThan(2_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('as deployed, refuses a name that resolves to an internal address (the URL check cannot see it)', async () => {
    // Arrange: a receiver on loopback, reached by a name (localhost.localdomain-style names resolve there)
    let posts = 0;
    const url = await receiver((request, response) => {
      posts++;
      request.resume();
      response.writeHead(204).end();
    });
    const byName = url.replace('127.0.0.1', 'localhost');

    // Act
    const deployed = await new FetchWebhookTransport({ publicOnly: true }).post(byName, {}, '{}', 3_000);
    const local = await new FetchWebhookTransport().post(byName, {}, '{}', 3_000);

    // Assert: not sent as deployed; sent locally (a receiver on the laptop is the point there)
    expect(deployed.error).toMatch(/internal address/);
    expect(local).toEqual({ statusCode: 204 });
    expect(posts).toBe(1);
  });

  it('as deployed, a name that does not resolve is its code, as locally: no host in the error (Pipedream’s is the credential)', async () => {
    // Arrange: a Pipedream-shaped name under .invalid (RFC 6761: never resolves)
    const url = 'https://eo3k8x2m1b9q7zt.m.pipedream.invalid/';

    // Act
    const deployed = await new FetchWebhookTransport({ publicOnly: true }).post(url, {}, '{}', 3_000);
    const local = await new FetchWebhookTransport().post(url, {}, '{}', 3_000);

    // Assert
    expect(deployed).toEqual(local);
    expect(deployed.error).toMatch(/^[A-Z_]+$/);
    expect(JSON.stringify(deployed)).not.toContain('eo3k8x2m1b9q7zt');
  });

  it("passes on a refusal's Retry-After (seconds or a date), and none for a success", async () => {
    // Arrange: 429 with seconds, 503 with a date two minutes on, 200 with a Retry-After it has no use for
    const answers = [
      [429, { 'retry-after': '120' }],
      [503, { 'retry-after': new Date(Date.now() + 120_000).toUTCString() }],
      [200, { 'retry-after': '120' }],
    ] as const;
    let next = 0;
    const url = await receiver((request, response) => {
      request.resume();
      const [status, headers] = answers[next++]!;
      response.writeHead(status, headers).end();
    });
    const transport = new FetchWebhookTransport();

    // Act
    const limited = await transport.post(url, {}, '{}', 3_000);
    const deploying = await transport.post(url, {}, '{}', 3_000);
    const fine = await transport.post(url, {}, '{}', 3_000);

    // Assert (an HTTP date has whole seconds: up to a second less)
    expect(limited).toEqual({ statusCode: 429, retryAfterMs: 120_000 });
    expect(deploying.statusCode).toBe(503);
    expect(deploying.retryAfterMs).toBeGreaterThan(118_000);
    expect(deploying.retryAfterMs).toBeLessThanOrEqual(120_000);
    expect(fine).toEqual({ statusCode: 200 });
  });

  it('times out a receiver that does not answer', async () => {
    // Arrange
    const url = await receiver((request) => request.resume());

    // Act
    const answer = await new FetchWebhookTransport().post(url, {}, '{}', 300);

    // Assert
    expect(answer).toEqual({ error: 'timeout' });
  });
});
