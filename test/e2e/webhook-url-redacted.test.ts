/**
 * A webhook URL is the receiver's credential for Slack, Zapier, Discord, Teams workflows (`sig=`) and any
 * receiver with a token in its path or query: whoever reads it can post to the receiver as LeadPact. The
 * delivery log (GET /webhooks/deliveries), the console's Webhooks page and the logs show it redacted
 * (lambdas/domain/webhook-url-redaction.ts): scheme, host, port and the path's words. The whole local runtime
 * (dynalite, the API over a socket), a real receiver that answers 500 at a URL with a token in its path and a
 * `sig=` in its query, and deliveries stored before this change (the URL itself in `url`, an error quoting it)
 * read back through the API and in Chromium. Before: the API gave both URLs whole, the console showed the
 * path tokens.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LeadEvent } from '../../lambdas/domain/lead-events.ts';
import { newDelivery, type WebhookDelivery } from '../../lambdas/domain/webhooks.ts';
import { launchChromium } from '../support/chromium.ts';
import { signIn } from '../support/console.ts';
import { E2E_ADMIN_TOKEN, type E2e, exampleLead, HOUR, startE2e } from '../support/e2e.ts';
import {
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from '../support/webhook-receiver.ts';

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const PRIYA = 'priya.shah@kessler-industrial.example'; // ops

/** the receiver's credentials: none of them may be shown anywhere */
const PATH_TOKEN = 'kB8vZq3Wn5YtR2xLp9MdHs4F';
const SIG = 'Vx3kQ9mZp2Lw8RtY5nBc1HdG7fJs4AeU0oXiKqWl6yM';
const SLACK_TOKEN = 'Qw7Er5Ty3Ui1Op9As8Df6Gh';
const DISCORD_TOKEN = 'Xy9_kLmN-oPqRsTuVwXyZ0123456789abcdEFGhijKLMnop';
const ZAPIER_HOOK = 'b7x2kq9';
const SECRETS = [PATH_TOKEN, SIG, SLACK_TOKEN, DISCORD_TOKEN, ZAPIER_HOOK, '1187654321098765432'];

/** deliveries written before the URL was redacted on write: the URL itself in `url` */
const OLD: readonly { id: string; url: string; shown: string }[] = [
  {
    id: 'slack-sales',
    url: `https://hooks.slack.com/services/T024BE7LD/B06KQ7Z1X9P/${SLACK_TOKEN}`,
    shown: 'https://hooks.slack.com/services/***/***/***',
  },
  {
    id: 'slack-ops',
    url: `https://hooks.slack.com/services/T024BE7LD/B07ZZ8Y2W1Q/${SLACK_TOKEN}x`,
    shown: 'https://hooks.slack.com/services/***/***/***',
  },
  {
    id: 'discord',
    url: `https://discord.com/api/webhooks/1187654321098765432/${DISCORD_TOKEN}`,
    shown: 'https://discord.com/api/webhooks/***/***',
  },
  {
    id: 'zapier',
    url: `https://hooks.zapier.com/hooks/catch/123456/${ZAPIER_HOOK}/`,
    shown: 'https://hooks.zapier.com/hooks/catch/***/***/',
  },
];

interface Line {
  deliveryId: string;
  subscriptionId: string;
  url: string;
  lastError?: string;
}

describe('a webhook URL is shown redacted: the delivery log, the console, the logs', () => {
  let e: E2e;
  let receiver: WebhookReceiver;
  let url = '';
  let shown = '';
  let ops = '';
  const logged: string[] = [];

  beforeAll(async () => {
    for (const level of ['log', 'info', 'warn', 'error'] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    receiver = await startWebhookReceiver();
    receiver.failWith(500);
    const origin = new URL(receiver.url).origin;
    url = `${origin}/services/T024BE7LD/B06KQ7Z1X9P/${PATH_TOKEN}?sig=${SIG}&api-version=2016-06-01`;
    shown = `${origin}/services/T024BE7LD/B06KQ7Z1X9P/***?sig=***&api-version=***`;
    e = await startE2e({
      events: {
        subscriptions: [{ id: 'crm', url, events: ['lead.created'], secret: TEST_WEBHOOK_SECRET }],
        sweepEveryMs: 0,
      },
    });
    // deliveries stored by the code before this change: the receiver's URL whole, an error quoting it
    const log = e.runtime.deps.events!.log;
    for (const [n, old] of OLD.entries()) {
      const event = {
        id: `evt_old${n}`,
        type: 'lead.created',
        leadId: e.leadIdOf('ada.old@plant.example'),
        time: e.now().toISOString(),
        reasons: [],
      } as unknown as LeadEvent;
      const delivery: WebhookDelivery = {
        ...newDelivery({ id: old.id, url: old.url, events: ['*'], secret: '' }, event, e.now()),
        url: old.url,
        status: 'failed',
        attempts: 9,
        lastAttemptAt: e.now().toISOString(),
        lastError: `Failed to parse URL from ${old.url}`,
      };
      const { nextAttemptAt: _next, ...failed } = delivery;
      await log.saveDelivery(failed);
    }
    // a lead whose lead.created the receiver refuses: retrying, then failed for good
    expect((await e.postLead(exampleLead('hot'))).status).toBe(202);
    await e.settle();
    await e.advanceBy(HOUR);
    ops = await signIn(e.runtime, PRIYA);
  }, 180_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await e?.close();
    await receiver?.close();
  });

  it('the receiver was posted to at its whole URL (redaction is for what is shown)', () => {
    expect(receiver.received.length).toBeGreaterThan(1);
    expect(receiver.rejected).toEqual([]);
  });

  it('GET /webhooks/deliveries: `url` is the redacted URL, `subscriptionId` names the subscription', async () => {
    // Act
    const retrying = await e.request('GET', '/webhooks/deliveries?status=retrying', {
      token: E2E_ADMIN_TOKEN,
    });
    const failed = await e.request('GET', '/webhooks/deliveries?status=failed', { token: E2E_ADMIN_TOKEN });
    // Assert
    expect(retrying.status).toBe(200);
    const live = (retrying.body as { deliveries: Line[] }).deliveries;
    expect(live.map((line) => [line.subscriptionId, line.url])).toEqual([['crm', shown]]);
    const old = (failed.body as { deliveries: Line[] }).deliveries;
    expect(Object.fromEntries(old.map((line) => [line.subscriptionId, line.url]))).toEqual(
      Object.fromEntries(OLD.map((o) => [o.id, o.shown])),
    );
    for (const line of old) expect(line.lastError).toBe(`Failed to parse URL from ${line.url}`);
    for (const secret of SECRETS) {
      expect(retrying.text).not.toContain(secret);
      expect(failed.text).not.toContain(secret);
    }
  });

  it('the console (Chromium, 390 and 1280 px): each failing endpoint redacted, two Slack hooks told apart', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      const cookie = ops.split('=');
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ name: cookie[0]!, value: cookie.slice(1).join('='), url: e.url }]);
      const page = await context.newPage();
      // Act
      await page.goto(`${e.url}/console`);
      const overview = (await page.locator('main').textContent()) ?? '';
      await page.goto(`${e.url}/console/webhooks`);
      const text = (await page.locator('main').textContent()) ?? '';
      const html = await page.content();
      // Assert
      expect(text).toContain(shown);
      expect(text).toContain('https://discord.com/api/webhooks/***/***');
      expect(text).toContain('https://hooks.zapier.com/hooks/catch/***/***/');
      const endpoints = page.locator('section[aria-labelledby="endpoints"] tbody tr');
      expect(await endpoints.count()).toBe(1 + OLD.length);
      expect(text).toContain('https://hooks.slack.com/services/***/***/*** (slack-sales)');
      expect(text).toContain('https://hooks.slack.com/services/***/***/*** (slack-ops)');
      expect(overview).toContain('5 webhook endpoints are failing');
      for (const secret of SECRETS) {
        expect(html).not.toContain(secret);
        expect(overview).not.toContain(secret);
      }
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        const scrollWidth = (await page.evaluate(
          'Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)',
        )) as number;
        expect(scrollWidth, `at ${width} px`).toBeLessThanOrEqual(width);
        // each address wraps inside the page rather than run off under the card's edge
        const right = (await page.evaluate(
          "Math.max(...[...document.querySelectorAll('main bdi')].map((el) => el.getBoundingClientRect().right))",
        )) as number;
        expect(right, `addresses at ${width} px`).toBeLessThanOrEqual(width);
        await page.screenshot({ path: `${SHOTS}webhook-url-redacted-${width}.png`, fullPage: true });
      }
    } finally {
      await browser.close();
    }
  });

  it('the logs of the run name no credential of a receiver', () => {
    expect(logged.some((line) => line.includes('webhook delivery failed'))).toBe(true);
    for (const secret of SECRETS) expect(logged.filter((line) => line.includes(secret))).toEqual([]);
  });
});
