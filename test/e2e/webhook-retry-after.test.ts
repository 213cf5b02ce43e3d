/**
 * A receiver that asks for time: Standard Webhooks has a sender take a `Retry-After` (a 429 rate limit, a 503
 * while it deploys) into account when it schedules the next attempt. The whole local runtime posts to a
 * receiver on a real socket; time is virtual (retries wait on the scheduler).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { E2E_ADMIN_TOKEN, type E2e, exampleLead, MINUTE, startE2e } from '../support/e2e.ts';
import {
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from '../support/webhook-receiver.ts';

let e: E2e | undefined;
let receiver: WebhookReceiver | undefined;

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await e?.close();
  await receiver?.close();
  e = undefined;
  receiver = undefined;
});

interface LogLine {
  eventId: string;
  status: string;
  attempts: number;
  lastError?: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
}

describe('events out: a receiver that answers with Retry-After', () => {
  it.each([
    ['a 429 rate limit', 429],
    ['a 503 while it deploys', 503],
  ])('waits as long as %s asks before the next attempt, then delivers', async (_name, status) => {
    // Arrange: the receiver answers with Retry-After: 600 (ten minutes), where the schedule's next waits are 5 s, 20 s, 80 s
    receiver = await startWebhookReceiver();
    e = await startE2e({
      events: {
        subscriptions: [{ id: 'crm', url: receiver.url, events: ['*'], secret: TEST_WEBHOOK_SECRET }],
        sweepEveryMs: 0,
      },
    });
    receiver.failWith(status, { 'retry-after': '600' });

    // Act: the lead's events are refused once; nine minutes pass; the receiver is ready again; two more minutes
    await e.postLead(exampleLead('hot'));
    await e.settle();
    const refused = receiver.received.length;
    const log = await e.request('GET', '/webhooks/deliveries?status=retrying', { token: E2E_ADMIN_TOKEN });
    await e.advanceBy(9 * MINUTE);
    const duringTheWait = receiver.received.length;
    receiver.failWith(undefined);
    await e.advanceBy(2 * MINUTE);

    // Assert: no attempt within the ten minutes asked for; each refused event delivered once after them
    expect(refused).toBeGreaterThan(0);
    expect(duringTheWait).toBe(refused);
    const lines = (log.body as { deliveries: LogLine[] }).deliveries;
    expect(lines).toHaveLength(refused);
    for (const line of lines) {
      expect(line).toMatchObject({ status: 'retrying', attempts: 1, lastError: `HTTP ${status}` });
      expect(Date.parse(line.nextAttemptAt!) - Date.parse(line.lastAttemptAt!)).toBe(600_000);
    }
    const accepted = receiver.accepted();
    expect(accepted).toHaveLength(refused);
    expect(new Set(accepted.map((d) => d.id))).toEqual(new Set(lines.map((line) => line.eventId)));
    expect(receiver.rejected).toEqual([]);
  });
});
