/**
 * The optional bot check on POST /leads: the form handler asks a CAPTCHA provider's siteverify over a
 * real socket (a local stand-in speaking Turnstile's protocol) and stores nothing unless it says yes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteverifyBotCheck } from '../../lambdas/adapters/siteverify-bot-check.ts';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { realTiming, submitLeadHandler } from '../../lambdas/api/leads-public.ts';
import { leadIdFor } from '../../lambdas/domain/lead-id.ts';
import { ResponseFloor } from '../../lambdas/domain/response-floor.ts';
import { workflowHarness } from '../support/workflow-harness.ts';

/** what the stand-in received, and the one token it accepts */
const received: URLSearchParams[] = [];
const GOOD = 'solved-by-a-person';
let server: Server;
let verifyUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const form = new URLSearchParams(body);
      received.push(form);
      if (form.get('response') === 'provider-down') {
        response.writeHead(502).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ success: form.get('secret') === 'shh' && form.get('response') === GOOD }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  verifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/siteverify`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function formPost(fields: Record<string, string>): HttpEvent {
  return {
    version: '2.0',
    routeKey: 'POST /leads',
    rawPath: '/leads',
    rawQueryString: '',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': '203.0.113.9, 10.0.0.1',
    },
    requestContext: { http: { method: 'POST', path: '/leads' } },
    body: new URLSearchParams(fields).toString(),
    isBase64Encoded: false,
  } as unknown as HttpEvent;
}

async function expectNothingStored(h: ReturnType<typeof workflowHarness>, email: string): Promise<void> {
  const leadId = leadIdFor(email, h.apiDeps.leadIdSecret);
  expect(await h.store.getLead(leadId)).toBeUndefined();
  expect(await h.store.listEvents(leadId)).toEqual([]);
}

function setup() {
  const h = workflowHarness({ start: new Date('2026-11-30T08:00:00.000Z') });
  const deps = {
    ...h.apiDeps,
    botCheck: siteverifyBotCheck({ provider: 'turnstile', secret: 'shh', verifyUrl }),
  };
  const handler = submitLeadHandler(deps, realTiming(new ResponseFloor()));
  return { h, post: (fields: Record<string, string>) => handler(formPost(fields), {} as Context) };
}

describe('bot check (Turnstile protocol) on the public form', () => {
  it('a solved check: the lead is stored, the token is no lead field, the provider got secret, token and client IP', async () => {
    // Arrange
    const { h, post } = setup();
    // Act
    const result = await post({ email: 'ada@plant.example', 'cf-turnstile-response': GOOD });
    // Assert
    expect(result.statusCode).toBe(202);
    const { leadId } = JSON.parse(result.body ?? '{}');
    const lead = await h.lead(leadId);
    expect(Object.keys(lead.fields)).not.toContain('cf-turnstile-response');
    expect(Object.fromEntries(received.at(-1)!)).toEqual({
      secret: 'shh',
      response: GOOD,
      remoteip: '203.0.113.9',
    });
  });

  it.each([
    ['no token', {}, 'required: the bot check token', 400],
    [
      'a token the provider refuses',
      { 'cf-turnstile-response': 'made-up' },
      'not accepted by the bot check',
      400,
    ],
  ])('%s: 400 naming the field, nothing stored', async (_name, extra, message, status) => {
    // Arrange
    const { h, post } = setup();
    // Act
    const result = await post({ email: 'bot@plant.example', ...extra });
    // Assert
    expect(result.statusCode).toBe(status);
    expect(JSON.parse(result.body ?? '{}').error).toMatchObject({
      code: 'bot_check_failed',
      fields: [{ path: 'cf-turnstile-response', message }],
    });
    await expectNothingStored(h, 'bot@plant.example');
  });

  it('the provider cannot be asked: 503, nothing stored (fails closed)', async () => {
    const { h, post } = setup();
    const result = await post({ email: 'ada@plant.example', 'cf-turnstile-response': 'provider-down' });
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body ?? '{}').error.code).toBe('bot_check_unavailable');
    await expectNothingStored(h, 'ada@plant.example');
  });
});
