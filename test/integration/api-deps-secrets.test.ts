/**
 * An API function reads every secret its stack granted at init at once, with one Secrets Manager client
 * (lambdas/aws/shared/api-deps.ts apiSecrets): the lead-id and action keys, the bot check's secret and
 * Typeform's. Read one after another with a client each, LeadForm's init waited for three round trips
 * and built three clients (docs/decisions/0026-lambda-init-budget.md). The stub answers only once all
 * four requests are in (or after a second), so reads made in turn are seen as such.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { apiSecrets } from '../../lambdas/aws/shared/api-deps.ts';
import { ENV } from '../../lambdas/aws/shared/env.ts';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A Secrets Manager stub that holds its answers until `expected` requests are in flight (at most 1 s). */
async function holdingStub(expected: number) {
  const waiting: (() => void)[] = [];
  let mostInFlight = 0;
  const answerAll = () => {
    for (const answer of waiting.splice(0)) answer();
  };
  let timer: NodeJS.Timeout | undefined;
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk;
    });
    request.on('end', () => {
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      waiting.push(() => {
        response.setHeader('content-type', 'application/x-amz-json-1.1');
        response.end(JSON.stringify({ ARN: SecretId, Name: SecretId, SecretString: `value of ${SecretId}` }));
      });
      mostInFlight = Math.max(mostInFlight, waiting.length);
      clearTimeout(timer);
      if (waiting.length >= expected) answerAll();
      else timer = setTimeout(answerAll, 1000);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  return { endpoint, mostInFlight: () => mostInFlight };
}

describe('the secrets an API function reads at init', () => {
  it('all four granted secrets are read at once, with one client', async () => {
    // Arrange
    const stub = await holdingStub(4);
    const env = {
      [ENV.leadIdSecretArn]: 'lead-id',
      [ENV.actionSecretArn]: 'action',
      [ENV.botCheckProvider]: 'turnstile',
      [ENV.botCheckSecretArn]: 'bot-check',
      [ENV.typeformSecretArn]: 'typeform',
    };
    let clients = 0;
    const client = () => {
      clients++;
      return new SecretsManagerClient({
        endpoint: stub.endpoint,
        region: 'eu-central-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
    };

    // Act
    const started = performance.now();
    const secrets = await apiSecrets(env, client);
    const ms = performance.now() - started;

    // Assert
    expect(secrets.keys).toEqual({ leadId: 'value of lead-id', action: 'value of action' });
    expect(secrets.typeformSecret).toBe('value of typeform');
    expect(secrets.botCheck).toBeDefined();
    expect(stub.mostInFlight()).toBe(4);
    expect(clients).toBe(1);
    expect(ms).toBeLessThan(900);
  });

  it('a function granted no secret makes no client', async () => {
    // Arrange
    let clients = 0;
    const client = () => {
      clients++;
      return new SecretsManagerClient({});
    };

    // Act
    const secrets = await apiSecrets({}, client);

    // Assert
    expect(secrets).toEqual({ keys: { leadId: undefined, action: undefined } });
    expect(clients).toBe(0);
  });
});
