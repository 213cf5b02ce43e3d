/**
 * The local runtime (startE2e) with its events going to one receiver that verifies every delivery (subscription
 * `crm`, every event type), one pair per test: `start()` in the test, both closed after it. A failed delivery's
 * warning line is kept out of the test output.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type E2e, startE2e } from './e2e.ts';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET, type WebhookReceiver } from './webhook-receiver.ts';

export interface SubscribedE2eOptions {
  /** default: the worked example */
  readonly sla?: Sla;
  /** the events sweep's period; default 0 (no sweep: each write's own publish sends) */
  readonly sweepEveryMs?: number;
}

export function useSubscribedE2e(): (
  options?: SubscribedE2eOptions,
) => Promise<{ e: E2e; receiver: WebhookReceiver }> {
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

  return async (options = {}) => {
    receiver = await startWebhookReceiver();
    e = await startE2e({
      ...(options.sla ? { sla: options.sla } : {}),
      events: {
        subscriptions: [{ id: 'crm', url: receiver.url, events: ['*'], secret: TEST_WEBHOOK_SECRET }],
        sweepEveryMs: options.sweepEveryMs ?? 0,
      },
    });
    return { e, receiver };
  };
}
