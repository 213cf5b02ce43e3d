/**
 * The local server keeps an idle connection open as API Gateway does (a minute), not Node's 5 s: a client that
 * sends on a kept-alive connection just as the server closes it loses the request (ECONNRESET, "socket hang up").
 * A 23,000-lead trial lost 58 form posts that way while a large store paused the event loop for up to 6 s.
 */
import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useLocalApi } from '../support/local-api.ts';

describe('an idle kept-alive connection', () => {
  const api = useLocalApi();

  function health(agent: Agent): Promise<{ status: number; reused: boolean }> {
    return new Promise((resolve, reject) => {
      const req = request(`${api.url}/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('is still open after 6 s idle: the next request goes on it', async () => {
    // Arrange: one kept-alive connection
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await health(agent)).status).toBe(200);

    // Act: idle longer than Node's default keep-alive (5 s), then send again
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const second = await health(agent);

    // Assert
    expect(second).toEqual({ status: 200, reused: true });
    agent.destroy();
  }, 20_000);
});
