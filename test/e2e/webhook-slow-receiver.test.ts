/**
 * A slow webhook receiver under `--speed` (SLA time runs faster than the wall clock): a sender holds a
 * delivery while it posts (the lease, DELIVERY_LEASE_MS: "longer than the timeout, so two senders never
 * overlap"). The transport's timeout is wall-clock time, so the lease must be too: at 600x a lease of 60
 * SLA seconds ran out after 100 ms, and the sweep posted the same delivery again while the first post was
 * still waiting for its answer. The whole local runtime, a receiver on 127.0.0.1 that answers in 1 s.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type E2e, exampleLead, startE2e } from '../support/e2e.ts';
import { TEST_WEBHOOK_SECRET } from '../support/webhook-receiver.ts';

let e: E2e | undefined;
let server: Server | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await e?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  e = undefined;
  server = undefined;
});

describe('events out: a slow receiver under --speed', () => {
  it('gets each event once: no second sender posts a delivery whose first post is still open', async () => {
    // Arrange: a receiver that answers 204 after 1 s; the runtime at 600x
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ids: string[] = [];
    server = createServer((request, response) => {
      ids.push(String(request.headers['webhook-id']));
      request.resume();
      request.on('end', () => setTimeout(() => response.writeHead(204).end(), 1_000));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    e = await startE2e({
      time: { speed: 600 },
      events: {
        subscriptions: [{ id: 'crm', url, events: ['*'], secret: TEST_WEBHOOK_SECRET }],
        sweepEveryMs: 0,
      },
    });

    // Act: one lead; while its publish posts the first event, the sweep (every 10 s) runs
    expect((await e.postLead(exampleLead('cold'))).status).toBe(202);
    while (ids.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await e.runtime.events.sweep();
    const deadline = Date.now() + 10_000;
    while (e.runtime.events.figures().delivered < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));

    // Assert
    expect(e.runtime.events.figures().delivered).toBeGreaterThanOrEqual(2);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  }, 30_000);

  it("sends a lead's events in story order while sweeps run beside its publish (docs/integrations.md)", async () => {
    // Arrange: a receiver that answers 204 after 300 ms; the sweep every 100 ms (it is every 10 s by default)
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seqs: number[] = [];
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seqs.push(JSON.parse(Buffer.concat(chunks).toString('utf8')).data.seq);
        setTimeout(() => response.writeHead(204).end(), 300);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    e = await startE2e({
      events: {
        subscriptions: [{ id: 'crm', url, events: ['*'], secret: TEST_WEBHOOK_SECRET }],
        sweepEveryMs: 100,
      },
    });

    // Act: a hot lead (created, judged, status, assigned, ...)
    expect((await e.postLead(exampleLead('hot'))).status).toBe(202);
    await e.settle();
    const deadline = Date.now() + 15_000;
    while (e.runtime.events.figures().delivered < 4 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));

    // Assert: every event once, in the order of the lead's story
    expect(seqs.length).toBeGreaterThanOrEqual(4);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
  }, 30_000);
});
