/**
 * `leadpact dev --webhook URL` and `--config FILE`: mistakes are one line naming the flag, the field or
 * the variable, before anything starts; and a real `leadpact dev --webhook` process sends a posted
 * lead's events to a receiver that verifies them with the `standardwebhooks` package.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../bin/cli.ts';
import { type CliIo, processIo } from '../../bin/commands/io.ts';
import {
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from '../support/webhook-receiver.ts';

async function run(...argv: string[]) {
  const err: string[] = [];
  const io: CliIo = { out: () => undefined, err: (text) => err.push(text), readFile: processIo.readFile };
  const code = await main(argv, io);
  return { code, err: err.join('\n') };
}

describe('leadpact dev: webhook settings', () => {
  const saved = process.env.LEADPACT_WEBHOOK_SECRET;
  afterEach(() => {
    if (saved === undefined) delete process.env.LEADPACT_WEBHOOK_SECRET;
    else process.env.LEADPACT_WEBHOOK_SECRET = saved;
  });

  it.each([
    [
      'no secret',
      ['--webhook', 'https://crm.example.com/hooks'],
      undefined,
      'leadpact: LEADPACT_WEBHOOK_SECRET: is not set (the webhook secret for https://crm.example.com/hooks)',
    ],
    [
      "no secret, for a Slack URL (named redacted: the URL is the receiver's credential)",
      ['--webhook', 'https://hooks.slack.com/services/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'],
      undefined,
      'leadpact: LEADPACT_WEBHOOK_SECRET: is not set (the webhook secret for https://hooks.slack.com/services/***/***/***)',
    ],
    [
      'a secret without whsec_',
      ['--webhook', 'https://crm.example.com/hooks'],
      'c2VjcmV0',
      'leadpact: LEADPACT_WEBHOOK_SECRET: a webhook secret is "whsec_" followed by base64 (e.g. whsec_ + 32 random bytes)',
    ],
    [
      'not a URL',
      ['--webhook', 'ftp://crm.example.com'],
      TEST_WEBHOOK_SECRET,
      'leadpact: --webhook[0].url: must be an http(s) URL',
    ],
    [
      'a user name and password in the URL',
      ['--webhook', 'http://integration:S3cr3t@127.0.0.1:8787/hooks'],
      TEST_WEBHOOK_SECRET,
      'leadpact: --webhook[0].url: must not carry a user name or password',
    ],
    [
      'the same URL by --webhook and in the config file, neither named (one subscription id for two)',
      [
        '--webhook',
        'http://127.0.0.1:8787/hooks/leadpact',
        '--config',
        'test/fixtures/config/webhooks-same-url.json',
      ],
      TEST_WEBHOOK_SECRET,
      'leadpact: test/fixtures/config/webhooks-same-url.json: webhooks[0].id: "wh_',
    ],
    [
      'an unknown event type in the config file',
      ['--config', 'test/fixtures/config/webhooks-bad-events.json'],
      TEST_WEBHOOK_SECRET,
      'leadpact: test/fixtures/config/webhooks-bad-events.json: webhooks[0].events: must list event types',
    ],
    [
      'a config file with a misspelled key (it started with no webhook and said nothing)',
      ['--config', 'test/fixtures/config/misspelled-key.json'],
      TEST_WEBHOOK_SECRET,
      'leadpact: --config test/fixtures/config/misspelled-key.json: unknown key "webhook"; the file has "webhooks"',
    ],
    [
      'a subscription with a misspelled key (`event`: it got every event, the contact in lead.created)',
      ['--config', 'test/fixtures/config/webhooks-misspelled-events.json'],
      TEST_WEBHOOK_SECRET,
      'leadpact: test/fixtures/config/webhooks-misspelled-events.json: webhooks[0].event: no such key (did you mean events?)',
    ],
    [
      'a config file that is a list',
      ['--config', 'test/fixtures/config/a-list.json'],
      TEST_WEBHOOK_SECRET,
      'leadpact: --config test/fixtures/config/a-list.json: expected an object such as {"webhooks": [...]}',
    ],
  ])('refuses %s in one line, exit 2', async (_name, args, secret, message) => {
    if (secret === undefined) delete process.env.LEADPACT_WEBHOOK_SECRET;
    else process.env.LEADPACT_WEBHOOK_SECRET = secret;
    const { code, err } = await run('dev', '--port', '0', '--mail-port', '0', ...args);
    expect(code).toBe(2);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain(message);
  });
});

describe('leadpact dev --webhook URL', () => {
  let child: ChildProcess | undefined;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    child?.kill('SIGTERM');
    await receiver?.close();
  });

  it("sends a posted lead's events to URL, signed with LEADPACT_WEBHOOK_SECRET", async () => {
    // Arrange: the quick start, as a user runs it
    receiver = await startWebhookReceiver();
    child = spawn(
      'node',
      ['bin/leadpact-cli.js', 'dev', '--port', '0', '--mail-port', '0', '--webhook', receiver.url],
      {
        env: { ...process.env, LEADPACT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let errors = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    const api = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev did not start: ${output}`)), 60_000);
      const check = setInterval(() => {
        const match = /API +(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearInterval(check);
          clearTimeout(timer);
          resolve(match[1]!);
        }
      }, 50);
    });

    // Act
    const posted = await fetch(`${api}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'webhook.quickstart@plant.example',
        firstName: 'Ada',
        jobTitle: 'Plant Manager',
      }),
    });
    const deadline = Date.now() + 20_000;
    while (!receiver.accepted().some((d) => d.payload.type === 'lead.created') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Assert
    expect(posted.status).toBe(202);
    expect(output).toContain(`webhooks     ${receiver.url} (*)`);
    // the publisher ran as the stack's EventsPublisher function, with nothing denied
    expect(output).toContain('IAM          enforced');
    expect(errors).not.toContain('IAM denied');
    expect(receiver.rejected).toEqual([]);
    expect(receiver.accepted().map((d) => d.payload.type)).toContain('lead.created');
  }, 90_000);

  it('names a URL with a token in its path or query redacted, in its banner and its logs', async () => {
    // Arrange: a receiver whose URL carries its credential (as a Slack or Teams URL does); it refuses, so the
    // sender logs failed attempts
    receiver = await startWebhookReceiver();
    receiver.failWith(500);
    const origin = new URL(receiver.url).origin;
    const pathToken = 'kB8vZq3Wn5YtR2xLp9MdHs4F';
    const sig = 'Vx3kQ9mZp2Lw8RtY5nBc1HdG7fJs4AeU0oXiKqWl6yM';
    const url = `${origin}/hooks/${pathToken}?sig=${sig}`;
    child = spawn(
      'node',
      ['bin/leadpact-cli.js', 'dev', '--port', '0', '--mail-port', '0', '--iam', 'off', '--webhook', url],
      {
        env: { ...process.env, LEADPACT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const deadline = Date.now() + 60_000;
    let api: string | undefined;
    while (!api && Date.now() < deadline) {
      api = /API +(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Act: a lead, its events refused
    const posted = await fetch(`${api}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'webhook.token@plant.example', firstName: 'Ada' }),
    });
    while (!output.includes('webhook delivery failed') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));

    // Assert
    expect(posted.status).toBe(202);
    expect(receiver.received.length).toBeGreaterThan(0);
    expect(output).toContain(`webhooks     ${origin}/hooks/***?sig=*** (*)`);
    expect(output).toContain('webhook delivery failed');
    expect(output).not.toContain(pathToken);
    expect(output).not.toContain(sig);
  }, 90_000);
});
