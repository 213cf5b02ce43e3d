/**
 * What LeadPact shows of a webhook URL (lambdas/domain/webhook-url-redaction.ts): the scheme, host, port and
 * the path's words; the values of the query and the path segments that are the receiver's credential are
 * `***`. Real-looking URLs of the receivers ops subscribe (the tokens here are made up, shaped as the
 * vendors issue them).
 */
import { describe, expect, it } from 'vitest';
import type { LeadEvent } from '../../lambdas/domain/lead-events.ts';
import { looksSecret, redactUrlsIn, redactWebhookUrl } from '../../lambdas/domain/webhook-url-redaction.ts';
import { afterAttempt, newDelivery } from '../../lambdas/domain/webhooks.ts';

const TABLE: readonly [string, string, string][] = [
  [
    'Slack incoming webhook',
    'https://hooks.slack.com/services/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',
    'https://hooks.slack.com/services/***/***/***',
  ],
  [
    'Slack workflow trigger',
    'https://hooks.slack.com/triggers/T024BE7LD/6789012345678/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    'https://hooks.slack.com/triggers/***/***/***',
  ],
  [
    'Zapier catch hook',
    'https://hooks.zapier.com/hooks/catch/123456/abcdef/',
    'https://hooks.zapier.com/hooks/catch/***/***/',
  ],
  [
    'Discord webhook',
    'https://discord.com/api/webhooks/1187654321098765432/Xy9_kLmN-oPqRsTuVwXyZ0123456789abcdEFGhijKLMnopQRstuVWxyz012345',
    'https://discord.com/api/webhooks/***/***',
  ],
  [
    'Discord webhook, versioned API, Slack-compatible suffix',
    'https://discordapp.com/api/v10/webhooks/1187654321098765432/aBcD3fGh/slack?wait=true',
    'https://discordapp.com/api/v10/webhooks/***/***/slack?wait=***',
  ],
  [
    'Microsoft Teams workflow (Power Automate), signed with sig=',
    'https://prod-27.westeurope.logic.azure.com:443/workflows/4f1c2b3a9d8e4c7f/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Vx3kQ9mZp2Lw8RtY5nBc1HdG7fJs4AeU0oXiKqWl6yM',
    'https://prod-27.westeurope.logic.azure.com/workflows/***/triggers/manual/paths/invoke?api-version=***&sp=***&sv=***&sig=***',
  ],
  [
    'Power Automate on an environment host',
    'https://default5e3a.12.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/8b7a6c5d4e3f/triggers/manual/paths/invoke?api-version=1&sig=Qm3nB7vC1xZ9',
    'https://default5e3a.12.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/***/triggers/manual/paths/invoke?api-version=***&sig=***',
  ],
  [
    'Microsoft Teams incoming webhook (Office 365 connector)',
    'https://contoso.webhook.office.com/webhookb2/6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b@72f988bf-86f1-41af-91ab-2d7cd011db47/IncomingWebhook/1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d/0e1d2c3b-4a5f-4e6d-9c8b-7a6f5e4d3c2b',
    'https://contoso.webhook.office.com/webhookb2/***/IncomingWebhook/***/***',
  ],
  [
    'Make (Integromat) custom webhook',
    'https://hook.eu1.make.com/abcdefghijklmnopqrstuvwx12345678',
    'https://hook.eu1.make.com/***',
  ],
  [
    'n8n cloud webhook',
    'https://acme.app.n8n.cloud/webhook/3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b',
    'https://acme.app.n8n.cloud/webhook/***',
  ],
  [
    'n8n self-hosted (the generic rule: a UUID)',
    'https://n8n.acme.example/webhook/3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b',
    'https://n8n.acme.example/webhook/***',
  ],
  [
    'Pipedream (the host names the endpoint)',
    'https://eo3k8x2m1b9q7zt.m.pipedream.net',
    'https://***.m.pipedream.net/',
  ],
  [
    'IFTTT Webhooks',
    'https://maker.ifttt.com/trigger/new_lead/with/key/dQw4w9WgXcQ-aBcD3fGh1',
    'https://maker.ifttt.com/trigger/***/with/key/***',
  ],
  [
    'Google Chat',
    'https://chat.googleapis.com/v1/spaces/AAAAx1y2z3w/messages?key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI&token=abc123',
    'https://chat.googleapis.com/v1/spaces/***/messages?key=***&token=***',
  ],
  [
    'a plain receiver of your own: shown as it is',
    'https://crm.example.com/hooks/leadpact',
    'https://crm.example.com/hooks/leadpact',
  ],
  [
    'a plain receiver with words and a year: shown as it is',
    'https://api.example.com/v2/hooks/order-events-2024',
    'https://api.example.com/v2/hooks/order-events-2024',
  ],
  [
    'a local receiver with a port',
    'http://127.0.0.1:8787/hooks/leadpact',
    'http://127.0.0.1:8787/hooks/leadpact',
  ],
  [
    'a receiver of your own with a token in the query',
    'https://crm.example.com/hooks/leadpact?token=s3cr3t-t0k3n&source=leadpact',
    'https://crm.example.com/hooks/leadpact?token=***&source=***',
  ],
  [
    'a receiver of your own with a long random path segment',
    'https://crm.example.com/in/9fK2xQ7bLm4Zp8Rt1WcY/leads',
    'https://crm.example.com/in/***/leads',
  ],
  [
    'a hex token, a bare query key, a fragment and a user name',
    'https://ops@crm.example.com:8443/hooks/0123456789abcdef0123456789abcdef?apikeyXYZ123#frag',
    'https://crm.example.com:8443/hooks/***?***',
  ],
  ['the EventBridge bus', 'eventbridge:', 'eventbridge:'],
];

describe('redactWebhookUrl', () => {
  it.each(TABLE)('%s', (_name, url, shown) => {
    expect(redactWebhookUrl(url)).toBe(shown);
  });

  it.each(TABLE)('%s: redacting again changes nothing', (_name, url) => {
    const once = redactWebhookUrl(url);
    expect(redactWebhookUrl(once)).toBe(once);
  });

  it('something that is not a URL is masked whole', () => {
    expect(redactWebhookUrl('not a url/T024BE7LD/secret')).toBe('***');
  });
});

describe('looksSecret (the generic rule for a path segment)', () => {
  it.each([
    ['3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b', true],
    ['xi3b6mq9ofy7pxs1cxfx5sdr8e', true],
    ['9fK2xQ7bLm4Zp8Rt1WcY', true],
    ['a1b2c3d4e5f6g7h8', true],
    ['abcdefghijklmnopqrstuvwxyz', true],
    ['leadpact', false],
    ['order-events-2024', false],
    ['webhook-receiver-production', false],
    ['IncomingWebhook', false],
    ['v2', false],
    ['12345', false],
  ])('%s: %s', (segment, secret) => {
    expect(looksSecret(segment)).toBe(secret);
  });
});

describe('redactUrlsIn (an error message quoting a URL)', () => {
  it('redacts each URL in the text and leaves the rest', () => {
    expect(
      redactUrlsIn(
        'Failed to parse URL from https://hooks.slack.com/services/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; redirected to "https://crm.example.com/x?sig=abc"',
      ),
    ).toBe(
      'Failed to parse URL from https://hooks.slack.com/services/***/***/***; redirected to "https://crm.example.com/x?sig=***"',
    );
    expect(redactUrlsIn('HTTP 500')).toBe('HTTP 500');
  });
});

describe('a delivery keeps only the redacted URL and error', () => {
  const event = {
    id: 'evt_1',
    type: 'lead.created',
    leadId: 'L1',
    time: '2026-11-30T08:00:00.000Z',
    reasons: [],
  } as unknown as LeadEvent;
  const slack = 'https://hooks.slack.com/services/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';
  const at = new Date('2026-11-30T08:00:00.000Z');

  it('newDelivery stores the URL as shown, not the receiver’s credential', () => {
    const delivery = newDelivery({ id: 'slack', url: slack, events: ['*'], secret: '' }, event, at);
    expect(delivery.url).toBe('https://hooks.slack.com/services/***/***/***');
    expect(delivery.subscriptionId).toBe('slack');
  });

  it('afterAttempt stores an error that quotes the URL redacted', () => {
    const delivery = newDelivery({ id: 'slack', url: slack, events: ['*'], secret: '' }, event, at);
    const next = afterAttempt(delivery, { ok: false, error: `connect to ${slack} failed` }, at);
    expect(next.lastError).toBe('connect to https://hooks.slack.com/services/***/***/*** failed');
  });
});
