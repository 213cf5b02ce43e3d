/**
 * Events out in the console (issue 14, "the console shows failing endpoints"): a webhook receiver that
 * answered 500 until every retry ran out; ops see the endpoint failing on the overview and on
 * /console/webhooks, replay a failed delivery with its button, and the receiver gets that event under the
 * same webhook-id, verified by `standardwebhooks`. A rep has no such page, link or button. The page is
 * measured at 390 px in headless Chromium (no sideways scroll) and screenshotted at 390 and 1280 px.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { consoleFetch, csrfOf, signIn, textOf } from '../support/console.ts';
import { E2E_ADMIN_TOKEN, type E2e, exampleLead, HOUR, startE2e } from '../support/e2e.ts';
import {
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from '../support/webhook-receiver.ts';

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const PRIYA = 'priya.shah@kessler-industrial.example'; // ops
const JONAS = 'jonas.berger@kessler-industrial.example'; // rep

describe('the console shows failing webhook endpoints to ops, who replay from it', () => {
  let e: E2e;
  let receiver: WebhookReceiver;
  /** session cookies (one sign-in link per person per minute: signed in once each) */
  let ops = '';
  let rep = '';

  beforeAll(async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    receiver = await startWebhookReceiver();
    receiver.failWith(500);
    e = await startE2e({
      events: {
        subscriptions: [{ id: 'crm', url: receiver.url, events: ['lead.*'], secret: TEST_WEBHOOK_SECRET }],
        sweepEveryMs: 0,
      },
    });
    // a lead whose events the receiver refuses through every retry (about 16 hours)
    expect((await e.postLead(exampleLead('hot'))).status).toBe(202);
    await e.settle();
    await e.advanceBy(20 * HOUR);
    ops = await signIn(e.runtime, PRIYA);
    rep = await signIn(e.runtime, JONAS);
  }, 180_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await e?.close();
    await receiver?.close();
  });

  it('ops: the overview names the failing endpoint; the page lists it and the failed deliveries', async () => {
    // Arrange
    const cookie = ops;
    // Act
    const overview = await consoleFetch(e.runtime, 'GET', '/console', { cookie });
    const hooks = await consoleFetch(e.runtime, 'GET', '/console/webhooks', { cookie });
    // Assert
    const endpoint = receiver.url; // no query: shown as is
    expect(textOf(overview.text)).toContain('1 webhook endpoint is failing');
    expect(overview.text).toContain('href="/console/webhooks"');
    expect(hooks.status).toBe(200);
    const text = textOf(hooks.text);
    expect(text).toContain('1 endpoint is failing');
    expect(text).toContain(endpoint);
    expect(text).toContain('HTTP 500');
    const failed = await e.request('GET', '/webhooks/deliveries?status=failed&limit=200', {
      token: E2E_ADMIN_TOKEN,
    });
    const count = (failed.body as { deliveries: unknown[] }).deliveries.length;
    expect(count).toBeGreaterThan(2);
    expect(hooks.text.match(/>Replay</g)).toHaveLength(count);
  });

  it('ops: Replay sends the same event again under the same webhook-id, and the receiver takes it', async () => {
    // Arrange
    const cookie = ops;
    const before = await consoleFetch(e.runtime, 'GET', '/console/webhooks', { cookie });
    const id = /action="\/console\/webhooks\/deliveries\/(dlv_[0-9a-f]{32})\/replay"/.exec(before.text)![1]!;
    const delivery = (
      await e.request('GET', '/webhooks/deliveries?status=failed&limit=200', { token: E2E_ADMIN_TOKEN })
    ).body as {
      deliveries: { deliveryId: string; eventId: string }[];
    };
    const eventId = delivery.deliveries.find((d) => d.deliveryId === id)!.eventId;
    receiver.failWith(undefined);
    // Act
    const replay = await consoleFetch(e.runtime, 'POST', `/console/webhooks/deliveries/${id}/replay`, {
      cookie,
      form: { csrf: csrfOf(before.text) },
    });
    await e.settle();
    const after = await consoleFetch(e.runtime, 'GET', replay.headers.get('location')!, { cookie });
    // Assert
    expect(replay.status).toBe(303);
    expect(textOf(after.text)).toContain(`Delivery ${id} was sent again`);
    const accepted = receiver.accepted().filter((d) => d.id === eventId);
    expect(accepted).toHaveLength(1);
    expect(receiver.received.filter((d) => d.id === eventId && d.answered === 500).length).toBeGreaterThan(1);
    expect(receiver.rejected).toEqual([]);
  });

  it('a rep: no Webhooks link, 403 on the page and on a replay (even with a valid form)', async () => {
    // Arrange
    const cookie = rep;
    const overview = await consoleFetch(e.runtime, 'GET', '/console', { cookie });
    // Act
    const hooks = await consoleFetch(e.runtime, 'GET', '/console/webhooks', { cookie });
    const replay = await consoleFetch(
      e.runtime,
      'POST',
      `/console/webhooks/deliveries/dlv_${'0'.repeat(32)}/replay`,
      { cookie, form: { csrf: csrfOf(overview.text) } },
    );
    // Assert
    expect(overview.text).not.toContain('/console/webhooks');
    expect(textOf(overview.text)).not.toContain('webhook endpoint');
    expect(hooks.status).toBe(403);
    expect(replay.status).toBe(403);
  });

  it('the page fits a 390 px phone and a 1280 px screen (screenshots), with no console error', async () => {
    // Arrange
    mkdirSync(SHOTS, { recursive: true });
    const browser = await launchChromium();
    const errors: string[] = [];
    try {
      const cookie = ops.split('=');
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ name: cookie[0]!, value: cookie.slice(1).join('='), url: e.url }]);
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      // Act
      await page.goto(`${e.url}/console/webhooks`);
      // Assert
      expect(await page.locator('h1').textContent()).toBe('Webhooks');
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        const scrollWidth = (await page.evaluate(
          'Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)',
        )) as number;
        expect(scrollWidth, `at ${width} px`).toBeLessThanOrEqual(width);
        await page.screenshot({ path: `${SHOTS}console-webhooks-${width}.png`, fullPage: true });
      }
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
