/**
 * The local runtime's events out with a receiver that hangs beside a healthy one: the healthy receiver gets a
 * lead's next change at once, not after the hanging receiver's timeout (docs/integrations.md: "An endpoint
 * that is down slows nobody else"). Before, a lead's publish waited for its deliveries to every receiver, and
 * its next publish waited for it: the healthy receiver got the next change only after the timeout. Real
 * sockets on 127.0.0.1: a receiver that never answers (its sender gives up at a timeout shortened to 4 s) and
 * one that verifies with `standardwebhooks`; the order of what happened is asserted, not a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchWebhookTransport } from '../../lambdas/adapters/fetch-webhook-transport.ts';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { type HangingReceiver, startHangingReceiver, withTimeout } from '../support/hanging-receiver.ts';
import { ADMIN_TOKEN, SQL_LEAD } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';
import {
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from '../support/webhook-receiver.ts';

const TIMEOUT_MS = 4_000;

describe('events out on the local runtime, one receiver hanging', () => {
  let down: HangingReceiver;
  let healthy: WebhookReceiver;
  let runtime: LocalRuntime;

  beforeAll(async () => {
    down = await startHangingReceiver();
    healthy = await startWebhookReceiver();
    runtime = await startLocalRuntime({
      sla: loadDefaultSla(),
      port: 0,
      adminToken: ADMIN_TOKEN,
      workflows: 'record',
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
      events: {
        subscriptions: [
          { id: 'down', url: down.url, events: ['*'], secret: TEST_WEBHOOK_SECRET },
          { id: 'crm', url: healthy.url, events: ['*'], secret: TEST_WEBHOOK_SECRET },
        ],
        transport: withTimeout(new FetchWebhookTransport(), TIMEOUT_MS),
      },
    });
  });
  afterAll(async () => {
    await runtime?.close();
    await healthy?.close();
    await down?.close();
  });

  const call = (method: string, path: string, body: unknown) =>
    fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it("the healthy receiver gets the lead's next change before the hanging one's send is given up", async () => {
    // Arrange: a lead; its first events go to both, the hanging receiver holding its first one
    const created = await call('POST', '/leads', { email: 'hang.next@brauhaus-werke.example', ...SQL_LEAD });
    const { leadId } = (await created.json()) as { leadId: string };
    const happened: string[] = [];
    down.onGiveUp(() => happened.push('gave up on the hanging receiver'));
    const seen = () =>
      healthy.received.some(
        (delivery) =>
          (delivery.payload.data as unknown as { leadId: string; type: string }).leadId === leadId &&
          (delivery.payload.data as unknown as { type: string }).type === 'lead.fields_corrected',
      );

    // Act: the lead's next change, as soon as the hanging receiver holds a send of the lead
    while (down.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await call('PATCH', `/leads/${leadId}/fields`, { fields: { phone: '+49 171 5550002' } });
    while (!seen() && down.givenUp() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    if (seen()) happened.push('the healthy receiver got the correction');

    // Assert
    expect(happened[0]).toBe('the healthy receiver got the correction');
    expect(healthy.rejected).toEqual([]);
  }, 60_000);
});
