/**
 * A receiver written from the Standard Webhooks specification alone (node:crypto, no library): the key is
 * the base64 after `whsec_`, the signed content `<webhook-id>.<webhook-timestamp>.<body>`, the header a
 * space-separated list of `v1,<base64 HMAC-SHA256>`, compared in constant time, the timestamp within
 * 5 minutes. LeadPact's sender posts a published lead's events to it over a real socket on 127.0.0.1.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { FetchWebhookTransport } from '../../lambdas/adapters/fetch-webhook-transport.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { deliverAll, publishLead } from '../../lambdas/tasks/events-out.ts';
import { assignedLead, eventsOutDeps } from '../support/assigned-story.ts';
import { useDynalite } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** the specification's verification, written from its text */
function verify(secret: string, headers: Record<string, string | undefined>, body: string, nowSec: number) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return 'missing headers';
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSec - Number(timestamp)) > 300) return 'stale timestamp';
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  const ok = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
  return ok ? 'ok' : 'bad signature';
}

describe('a receiver written from the Standard Webhooks specification', () => {
  const dynamo = useDynalite();
  let server: Server;
  let url: string;
  const verdicts: { verdict: string; id: string; payload: { type: string; data: { id: string } } }[] = [];

  beforeEach(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = request.headers as Record<string, string | undefined>;
        const verdict = verify(SECRET, headers, body, Math.floor(Date.now() / 1000));
        verdicts.push({ verdict, id: String(headers['webhook-id']), payload: JSON.parse(body) });
        response.writeHead(verdict === 'ok' ? 204 : 400).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("verifies every delivery of a lead's story, each under its event's id", async () => {
    // Arrange: a lead's story published to one subscription
    const store = new DynamoDbLeadStore(dynamo.doc, {
      tableName: dynamo.tableName,
      carry: storyCarrier(sla),
    });
    const deps = eventsOutDeps(sla, dynamo, store, T0, {
      subscriptions: [{ id: 'spec', url, events: ['*'], secret: SECRET }],
      transport: new FetchWebhookTransport(),
    });
    expect(
      await store.createLead(assignedLead(sla, 'LeadSpecReceiver000001', T0, { firstName: 'Ada' })),
    ).toBe('created');
    const { deliveries, events } = await publishLead(deps, 'LeadSpecReceiver000001');

    // Act
    const report = await deliverAll(deps, deliveries);

    // Assert
    expect(report.delivered).toBe(events.length);
    expect(verdicts.map((v) => v.verdict)).toEqual(events.map(() => 'ok'));
    expect(verdicts.map((v) => v.id)).toEqual(events.map((event) => event.id));
    expect(verdicts.map((v) => v.payload.data.id)).toEqual(events.map((event) => event.id));
    expect(verdicts.map((v) => v.payload.type)).toEqual(events.map((event) => event.type));
  });
});
