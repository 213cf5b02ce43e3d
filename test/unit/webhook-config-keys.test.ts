/**
 * A subscription takes exactly its keys (webhook-config.ts SUBSCRIPTION_KEYS), in the local config file and
 * the CDK context alike. An outside trial: `"event": ["lead.assigned"]` (for `events`) was ignored, so a
 * receiver meant for assignments got every event, lead.created with the contact's email and names;
 * `"secretenv"` signed with the default key; `"enabled": false` kept sending.
 */
import { describe, expect, it } from 'vitest';
import { parseWebhookConfig, type WebhookUrlPolicy } from '../../lambdas/domain/webhook-config.ts';

const TAKES = 'a subscription takes id, url, urlEnv, urlSecret, events, secretEnv';

describe('webhooks: a key no subscription takes', () => {
  it.each<[string, WebhookUrlPolicy, Record<string, unknown>, string]>([
    [
      'event for events (it subscribed to every event)',
      'local',
      { id: 'slack-assigned', url: 'http://127.0.0.1:3944/h', event: ['lead.assigned'] },
      `webhooks[0].event: no such key (did you mean events?); ${TAKES}`,
    ],
    [
      'secretenv for secretEnv (it signed with the default key)',
      'local',
      { url: 'http://127.0.0.1:3944/h', events: ['lead.assigned'], secretenv: 'X_SECRET' },
      `webhooks[0].secretenv: no such key (did you mean secretEnv?); ${TAKES}`,
    ],
    [
      'enabled: false (it kept sending)',
      'deployed',
      { id: 'crm', url: 'https://crm.example/h', enabled: false },
      `webhooks[0].enabled: no such key; to stop sending to a subscription, take it out of the list; ${TAKES}`,
    ],
    [
      'URL in capitals, on AWS',
      'deployed',
      { id: 'crm', URL: 'https://crm.example/h' },
      `webhooks[0].URL: no such key (did you mean url?); ${TAKES}`,
    ],
    [
      'a key of no subscription, after valid ones',
      'deployed',
      { id: 'crm', url: 'https://crm.example/h', events: ['lead.*'], headers: { 'x-api-key': 'k' } },
      `webhooks[0].headers: no such key; ${TAKES}`,
    ],
  ])('%s is refused, naming it', (_, policy, entry, message) => {
    // Arrange
    const raw = [entry];
    // Act
    const parse = () => parseWebhookConfig(raw, 'webhooks', policy);
    // Assert
    expect(parse).toThrow(message);
  });

  it('a subscription of only its own keys is taken as written', () => {
    // Arrange
    const entry = {
      id: 'crm',
      url: 'https://crm.example/h',
      events: ['lead.assigned'],
      secretEnv: 'CRM_WEBHOOK_SECRET',
    };
    // Act
    const [config] = parseWebhookConfig([entry], 'webhooks', 'deployed');
    // Assert
    expect(config).toEqual(entry);
  });
});
