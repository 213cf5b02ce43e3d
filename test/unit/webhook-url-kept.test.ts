/**
 * A webhook receiver's URL kept out of the configuration (ADR 0064): Slack's, Zapier's, Make's or Teams' URL
 * is the receiver's credential, and cdk.json and a local config file are committed. On AWS `urlSecret: true`
 * (the stack creates a secret, ops put the URL in it, events out reads it at start); locally `urlEnv`.
 */
import { describe, expect, it } from 'vitest';
import { webhookSubscriptions } from '../../lambdas/aws/shared/webhook-subscriptions.ts';
import {
  parseWebhookConfig,
  resolveSubscriptions,
  type WebhookUrlPolicy,
} from '../../lambdas/domain/webhook-config.ts';
import { TEST_WEBHOOK_SECRET } from '../support/webhook-receiver.ts';

const SLACK = 'https://hooks.slack.com/services/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';

describe('webhooks: where the receiver URL is configured', () => {
  it.each<[string, WebhookUrlPolicy, Record<string, unknown>, Record<string, unknown>]>([
    ['AWS: in its secret', 'deployed', { id: 'slack', urlSecret: true }, { id: 'slack', urlSecret: true }],
    [
      'locally: in a variable',
      'local',
      { id: 'slack', urlEnv: 'SLACK_URL' },
      { id: 'slack', urlEnv: 'SLACK_URL' },
    ],
    [
      'as before: in the configuration',
      'deployed',
      { id: 'crm', url: 'https://crm.example/h' },
      { url: 'https://crm.example/h' },
    ],
  ])('%s', (_, policy, entry, expected) => {
    // Act
    const [config] = parseWebhookConfig([entry], 'webhooks', policy);

    // Assert
    expect(config).toMatchObject(expected);
    if (!('url' in expected)) expect(config).not.toHaveProperty('url');
  });

  it.each<[string, WebhookUrlPolicy, Record<string, unknown>, string]>([
    ['no id to name it by', 'deployed', { urlSecret: true }, 'webhooks[0].id: is required with urlSecret'],
    [
      'two places at once',
      'deployed',
      { id: 'a', url: 'https://crm.example/h', urlSecret: true },
      "webhooks[0].urlSecret: give the receiver's URL one way: url or urlSecret",
    ],
    [
      'urlSecret locally',
      'local',
      { id: 'a', urlSecret: true },
      'webhooks[0].urlSecret: is for the CDK context',
    ],
    [
      'urlEnv on AWS',
      'deployed',
      { id: 'a', urlEnv: 'SLACK_URL' },
      'webhooks[0].urlEnv: is for leadpact dev',
    ],
    ['urlSecret not true', 'deployed', { id: 'a', urlSecret: 'yes' }, 'webhooks[0].urlSecret: must be true'],
    [
      'urlEnv not a variable name',
      'local',
      { id: 'a', urlEnv: 'slack url' },
      'webhooks[0].urlEnv: must name an environment variable',
    ],
    ['neither', 'deployed', { id: 'a' }, 'webhooks[0].url: must be an http(s) URL'],
  ])('refuses %s, naming the field', (_, policy, entry, message) => {
    expect(() => parseWebhookConfig([entry], 'webhooks', policy)).toThrow(message);
  });

  it.each([
    ['set', { SLACK_URL: SLACK }, undefined],
    ['not set', {}, "SLACK_URL: is not set (the receiver's URL of webhook slack)"],
    ['not a URL', { SLACK_URL: 'hooks.slack.com/services/x' }, 'SLACK_URL: must be an http(s) URL'],
    [
      'with a password',
      { SLACK_URL: 'https://u:p@crm.example/h' },
      'SLACK_URL: must not carry a user name or password',
    ],
  ])('leadpact dev reads urlEnv when %s', (_, env, message) => {
    // Arrange
    const configs = parseWebhookConfig([{ id: 'slack', urlEnv: 'SLACK_URL' }]);
    const resolve = () =>
      resolveSubscriptions(configs, { ...env, LEADPACT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });

    // Act + Assert
    if (message) expect(resolve).toThrow(message);
    else expect(resolve()).toEqual([{ id: 'slack', url: SLACK, events: ['*'], secret: TEST_WEBHOOK_SECRET }]);
  });
});

describe('events out on AWS: the subscriptions it starts with', () => {
  const KEY_ARN = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:key-slack';
  const URL_ARN = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:url-slack';
  const env = JSON.stringify([{ id: 'slack', urlSecretArn: URL_ARN, events: ['*'], secretArn: KEY_ARN }]);
  const secrets = (url: string) => async (arn: string) =>
    arn === KEY_ARN ? TEST_WEBHOOK_SECRET.slice('whsec_'.length) : url;

  it.each([
    ['the URL ops put in the secret', ` ${SLACK}\n`, { url: SLACK }],
    ["the URL put as the AWS console's key/value", JSON.stringify({ url: SLACK }), { url: SLACK }],
    [
      "the stack's generated value (not set yet)",
      'Xq8vZ2LmT4nR7pW1kY9sB3dF6gH0jA5c',
      {
        url: '',
        unusable: expect.stringMatching(
          /receiver URL is not set: put the https URL in its secret \(stack output WebhookUrlSecretslack\)/,
        ),
      },
    ],
    [
      'an http URL',
      'http://crm.example/hooks',
      { url: '', unusable: expect.stringMatching(/not allowed: must be an https URL on AWS/) },
    ],
    [
      'an internal address',
      'https://169.254.169.254/latest',
      { url: '', unusable: expect.stringMatching(/not allowed: .*internal address/) },
    ],
  ])('%s', async (_, stored, expected) => {
    // Act
    const [subscription] = await webhookSubscriptions(env, secrets(stored));

    // Assert
    expect(subscription).toEqual({ id: 'slack', events: ['*'], secret: TEST_WEBHOOK_SECRET, ...expected });
  });

  it('reads no URL secret for a subscription whose URL the configuration holds', async () => {
    // Arrange
    const read: string[] = [];
    const configured = JSON.stringify([
      { id: 'crm', url: 'https://crm.example/h', events: ['*'], secretArn: KEY_ARN },
    ]);

    // Act
    const [subscription] = await webhookSubscriptions(configured, async (arn) => {
      read.push(arn);
      return TEST_WEBHOOK_SECRET;
    });

    // Assert
    expect(read).toEqual([KEY_ARN]);
    expect(subscription).toEqual({
      id: 'crm',
      url: 'https://crm.example/h',
      events: ['*'],
      secret: TEST_WEBHOOK_SECRET,
    });
  });
});
