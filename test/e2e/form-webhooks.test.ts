/**
 * Form builders' webhooks pointed at POST /leads. Typeform's: its servers post the form's definition and the answers as
 * JSON, signed with the webhook's secret. Over a real socket to the local runtime (dynalite, the SES
 * emulator): the lead is stored with its answers mapped, a long form (a country list of 250 choices,
 * over the 16 KB a browser's post may be) is taken, a bad or missing signature is 401 with nothing
 * stored, a partial response stores nothing. With the bot check on, a signed Typeform post needs no
 * CAPTCHA and an unsigned one is refused naming the fix (the handler with a siteverify stand-in).
 * Elementor's (advanced data, form fields as records `fields[id][title|value|type]`): the lead stored
 * with its labels mapped.
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
import { type E2e, type LeadView, startE2e } from '../support/e2e.ts';
import { DEMO_QUESTIONS, typeformHeaders, typeformPost } from '../support/typeform.ts';
import { workflowHarness } from '../support/workflow-harness.ts';

const SECRET = 'tf-webhook-secret-2026';
const EMAIL = 'lena.vogt@rheinwerk-brau.example';

describe("form builders' webhooks to the local runtime over a socket (Typeform's signed)", () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e({ typeformSecret: SECRET });
  });
  afterAll(() => e2e?.close());

  async function post(data: unknown, headers: Record<string, string>) {
    const body = JSON.stringify(data);
    return e2e.request('POST', '/leads?formId=demo-request', { headers, raw: body });
  }

  async function nothingStored(email: string) {
    await e2e.settle();
    const leadId = e2e.leadIdOf(email);
    expect(await e2e.runtime.deps.store.getLead(leadId)).toBeUndefined();
    expect(await e2e.runtime.deps.store.listEvents(leadId)).toEqual([]);
  }

  it('a signed response of a long form: 202, the answers mapped, the form counted as the SLA form on the URL', async () => {
    // Arrange
    const data = typeformPost(DEMO_QUESTIONS, { hidden: { utm_source: 'linkedin', utm_campaign: 'spring' } });
    const body = JSON.stringify(data);
    expect(Buffer.byteLength(body)).toBeGreaterThan(16 * 1024);

    // Act
    const response = await e2e.request('POST', '/leads?formId=demo-request', {
      headers: typeformHeaders(body, SECRET),
      raw: body,
    });

    // Assert
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ leadId: e2e.leadIdOf(EMAIL) });
    await e2e.settle();
    const lead = (await e2e.readLead(e2e.leadIdOf(EMAIL))) as LeadView & { fields: Record<string, unknown> };
    expect(lead.fields).toMatchObject({
      firstName: 'Lena',
      lastName: 'Vogt',
      phone: '+4922112345678',
      company: 'Rheinwerk Brau GmbH',
      jobTitle: 'Plant Manager',
      country: 'DE',
      employees: 420,
      interest: 'Compressors; Service',
      message: 'Two lines to replace in spring.',
      utm_source: 'linkedin',
      utm_campaign: 'spring',
      formId: 'demo-request',
      typeformFormId: 'lT4Z3j',
    });
    expect(lead.fields).not.toHaveProperty("What's your first name?");
    // judged on its answers: a plant manager in a served country fits, the demo request engages
    expect(lead.scores.fit).toBeGreaterThan(0);
    expect(lead.lifecycleStage).toBe('mql');
  });

  it.each([
    ['no signature', (body: string) => typeformHeaders(body), 'required'],
    [
      'a signature with another secret',
      (body: string) => typeformHeaders(body, 'not-the-secret'),
      'does not match',
    ],
    ['the signature of other bytes', (body: string) => typeformHeaders(`${body} `, SECRET), 'does not match'],
  ])('%s: 401 naming the header, nothing stored', async (_case, headers, message) => {
    // Arrange
    const email = `unsigned-${message.length}@rheinwerk-brau.example`;
    const data = typeformPost([
      { id: 'e', title: 'Email', type: 'email', answer: { type: 'email', value: email } },
    ]);

    // Act
    const response = await post(data, headers(JSON.stringify(data)));

    // Assert
    expect(response.status).toBe(401);
    expect((response.body as { error: unknown }).error).toMatchObject({
      code: 'invalid_signature',
      fields: [{ path: 'typeform-signature', message }],
    });
    await nothingStored(email);
  });

  it('Typeform sending a response again (its retry after a timeout): 202, stored once, the score as after one', async () => {
    // Arrange: a new lead's response, then a second response of the same person, each sent twice
    const email = 'resent@rheinwerk-brau.example';
    const questions = (value: string) => [
      { id: 'e', title: 'Email', type: 'email', answer: { type: 'email', value: email } },
      { id: 'm', title: 'Anything else?', type: 'long_text', answer: { type: 'text', value } },
    ];
    const send = async (data: Record<string, unknown>) => {
      const response = await post(data, typeformHeaders(JSON.stringify(data), SECRET));
      await e2e.settle();
      expect(response.status).toBe(202);
    };
    const leadId = e2e.leadIdOf(email);
    const stored = async () => {
      const lead = (await e2e.runtime.deps.store.getLead(leadId))!;
      return {
        events: (await e2e.runtime.deps.store.listEvents(leadId)).length,
        submitted: lead.timeline.filter((entry) => entry.kind === 'submitted').length,
        engagement: lead.engagement,
        version: lead.version,
        // a resend wakes nothing: no new generation of a dormant lead's execution
        execution: e2e.latestExecution(leadId).name,
      };
    };
    const first = typeformPost(questions('first'), { token: 'resp0001first' });
    const second = typeformPost(questions('second'), { token: 'resp0002second' });

    // Act
    await send(first);
    const once = await stored();
    await send(first);
    const firstAgain = await stored();
    await send(second);
    const twice = await stored();
    await send(second);
    const secondAgain = await stored();

    // Assert
    expect(once).toMatchObject({ events: 1, submitted: 0 });
    expect(firstAgain).toEqual(once);
    expect(twice).toMatchObject({ events: 2, submitted: 1 });
    expect(twice.version).toBeGreaterThan(once.version);
    expect(secondAgain).toEqual(twice);
  });

  it('a partial response: 200, ignored, nothing stored', async () => {
    // Arrange
    const email = 'half-way@rheinwerk-brau.example';
    const data = typeformPost(
      [{ id: 'e', title: 'Email', type: 'email', answer: { type: 'email', value: email } }],
      { eventType: 'form_response_partial' },
    );

    // Act
    const response = await post(data, typeformHeaders(JSON.stringify(data), SECRET));

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ignored: expect.stringContaining('partial') });
    await nothingStored(email);
  });

  it("Elementor's webhook with advanced data: 202, the labels and types mapped, the page kept", async () => {
    // Arrange
    const email = 'jonas@berg-maschinen.example';
    const form = new URLSearchParams([
      ['form[id]', 'a1b2c3d'],
      ['form[name]', 'Demo request'],
      ['fields[name][type]', 'text'],
      ['fields[name][title]', 'Your Name'],
      ['fields[name][value]', 'Jonas Berg'],
      ['fields[field_9f1][type]', 'email'],
      ['fields[field_9f1][title]', 'Where can we reach you?'],
      ['fields[field_9f1][value]', email],
      ['fields[field_77a][type]', 'text'],
      ['fields[field_77a][title]', 'What is your job title?'],
      ['fields[field_77a][value]', 'Plant Manager'],
      ['meta[page_url][title]', 'Page URL'],
      ['meta[page_url][value]', 'https://www.berg-maschinen.example/demo'],
      ['meta[user_agent][value]', 'Mozilla/5.0'],
    ]).toString();

    // Act
    const response = await e2e.request('POST', '/leads?formId=demo-request', { form });

    // Assert
    expect(response.status).toBe(202);
    await e2e.settle();
    const lead = (await e2e.readLead(e2e.leadIdOf(email))) as LeadView & { fields: Record<string, unknown> };
    expect(lead.fields).toMatchObject({
      firstName: 'Jonas',
      lastName: 'Berg',
      jobTitle: 'Plant Manager',
      pageUrl: 'https://www.berg-maschinen.example/demo',
      formId: 'demo-request',
    });
    expect(Object.keys(lead.fields).filter((name) => /\[|user_agent|Mozilla/.test(name))).toEqual([]);
  });

  it('an answer whose type names a property of every object (constructor, __proto__): 202 and kept, not 500', async () => {
    // Arrange: a signed Typeform response, and an Elementor post anyone can send
    const typeformEmail = 'typed-constructor@rheinwerk-brau.example';
    const answers: Record<string, unknown>[] = [
      { type: 'email', email: typeformEmail, field: { id: 'e', type: 'email' } },
      { type: 'constructor', constructor: 'Rheinwerk Brau GmbH', field: { id: 'c', type: 'short_text' } },
    ];
    const data = {
      event_type: 'form_response',
      form_response: {
        form_id: 'lT4Z3j',
        definition: { fields: [{ id: 'c', title: 'Company', type: 'short_text' }] },
        answers,
      },
    };
    const elementorEmail = 'typed-proto@berg-maschinen.example';
    const form = new URLSearchParams([
      ['fields[e][type]', 'email'],
      ['fields[e][value]', elementorEmail],
      ['fields[c][type]', '__proto__'],
      ['fields[c][title]', 'Company'],
      ['fields[c][value]', 'Berg Maschinen'],
    ]).toString();

    // Act
    const typeform = await post(data, typeformHeaders(JSON.stringify(data), SECRET));
    const elementor = await e2e.request('POST', '/leads?formId=demo-request', { form });

    // Assert
    expect([typeform.status, elementor.status]).toEqual([202, 202]);
    await e2e.settle();
    const leads = await Promise.all(
      [typeformEmail, elementorEmail].map(
        async (email) =>
          (await e2e.readLead(e2e.leadIdOf(email))) as LeadView & { fields: Record<string, unknown> },
      ),
    );
    expect(leads.map((lead) => lead.fields.company)).toEqual(['Rheinwerk Brau GmbH', 'Berg Maschinen']);
  });

  it('a forwarded link: the hidden fields the link filled (email, company) count only where the answers give none', async () => {
    // Arrange: the campaign's link carries the first reader's email and company; a colleague answers with theirs
    const answered = 'hans.berg@rheinwerk-brau.example';
    const linked = 'lena.vogt.link@rheinwerk-brau.example';
    const data = typeformPost(
      [
        { id: 'e', title: 'Email', type: 'email', answer: { type: 'email', value: answered } },
        { id: 'c', title: 'Your company', type: 'short_text', answer: { type: 'text', value: 'Berg AG' } },
      ],
      { hidden: { email: linked, company: 'Rheinwerk Brau GmbH', utm_source: 'newsletter' } },
    );

    // Act
    const response = await post(data, typeformHeaders(JSON.stringify(data), SECRET));

    // Assert
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ leadId: e2e.leadIdOf(answered) });
    await e2e.settle();
    const lead = (await e2e.readLead(e2e.leadIdOf(answered))) as LeadView & {
      fields: Record<string, unknown>;
    };
    expect(lead.fields).toMatchObject({ company: 'Berg AG', utm_source: 'newsletter' });
    await nothingStored(linked);
  });

  it('the only email question with a ref someone gave it (readable_ref_email): 202, its answer the lead’s email', async () => {
    // Arrange
    const email = 'ref-named@rheinwerk-brau.example';
    const data = typeformPost([
      {
        id: 'e',
        title: 'Where can we reach you?',
        type: 'email',
        ref: 'readable_ref_email',
        answer: { type: 'email', value: email },
      },
    ]);

    // Act
    const response = await post(data, typeformHeaders(JSON.stringify(data), SECRET));

    // Assert
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ leadId: e2e.leadIdOf(email) });
    await e2e.settle();
    expect(await e2e.runtime.deps.store.getLead(e2e.leadIdOf(email))).toMatchObject({ email });
  });

  it('a value nested thousands deep in the 64 KB a Typeform post may have: 202, kept as a field issue, not 500', async () => {
    // Arrange: written as text (the test's own JSON.stringify could not nest it either)
    const email = 'nested-deep@rheinwerk-brau.example';
    const depth = 9_000;
    const body = `{"event_type":"form_response","form_response":{"form_id":"lT4Z3j","answers":[{"type":"email","email":"${email}","field":{"id":"e","type":"email"}}],"hidden":{"campaign":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}}`;

    // Act
    const response = await e2e.request('POST', '/leads?formId=demo-request', {
      headers: typeformHeaders(body, SECRET),
      raw: body,
    });

    // Assert
    expect(response.status).toBe(202);
    await e2e.settle();
    const lead = await e2e.runtime.deps.store.getLead(e2e.leadIdOf(email));
    expect(lead?.fieldIssues).toEqual([
      { field: 'campaign', value: expect.stringMatching(/^\{"a":\{"a":/), message: 'a value, not an object' },
    ]);
    expect(lead?.fieldIssues?.[0]?.value.length).toBeLessThanOrEqual(200);
  });

  it('a JSON post that is not Typeform’s has the same 64 KB: 413 past it, nothing stored', async () => {
    // Arrange
    const email = 'big@rheinwerk-brau.example';
    const data = { email, message: 'x'.repeat(65 * 1024) };

    // Act
    const response = await post(data, { 'content-type': 'application/json' });

    // Assert
    expect(response.status).toBe(413);
    await nothingStored(email);
  });
});

describe('Typeform sending a response again, at the edges', () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e({ typeformSecret: SECRET });
  });
  afterAll(() => e2e?.close());

  const questions = (email: string, value: string) => [
    { id: 'e', title: 'Email', type: 'email', answer: { type: 'email', value: email } },
    { id: 'm', title: 'Anything else?', type: 'long_text', answer: { type: 'text', value } },
  ];
  /** a response of `email` with its token, submitted at `at` by Typeform's clock */
  const response = (email: string, token: string, at: Date, value = 'hello') => {
    const data = typeformPost(questions(email, value), { token });
    const inner = data.form_response as Record<string, unknown>;
    return { ...data, form_response: { ...inner, submitted_at: at.toISOString() } };
  };
  async function send(data: Record<string, unknown>) {
    const body = JSON.stringify(data);
    const answer = await e2e.request('POST', '/leads?formId=demo-request', {
      headers: typeformHeaders(body, SECRET),
      raw: body,
    });
    await e2e.settle();
    expect(answer.status).toBe(202);
  }

  it("Typeform's clock a minute ahead of ours: its resend after our clock passed submitted_at is stored once", async () => {
    // Arrange: submitted "in a minute" by our clock (within the skew taken), sent again two minutes later
    const email = 'ahead@rheinwerk-brau.example';
    const leadId = e2e.leadIdOf(email);
    const data = response(email, 'respAhead0001', new Date(e2e.now().getTime() + 60_000));

    // Act
    await send(data);
    await e2e.advanceBy(2 * 60_000);
    await send(data);

    // Assert: one submission event, the form's points counted once
    const events = await e2e.runtime.deps.store.listEvents(leadId);
    expect(events.map((event) => event.eventId)).toEqual(['typeform:respAhead0001']);
  });

  it("a resend after the lead was erased stores none of the person's data and starts no new life", async () => {
    // Arrange: a response, the person erased on request
    const email = 'forget-me@rheinwerk-brau.example';
    const leadId = e2e.leadIdOf(email);
    const data = response(email, 'respErase0001', e2e.now(), 'call me on +49 171 2345678');
    await send(data);
    const erased = await e2e.request('DELETE', `/leads/${leadId}`);
    expect(erased.status, erased.text).toBe(200);
    await e2e.settle();

    // Act: Typeform's retry of that response (its first post timed out)
    await e2e.advanceBy(60_000);
    await send(data);

    // Assert
    const lead = (await e2e.runtime.deps.store.getLead(leadId))!;
    expect(lead.erasedAt).toBeDefined();
    expect(lead.fields).toEqual({});
    expect(JSON.stringify(await e2e.runtime.deps.store.listEvents(leadId))).not.toContain('2345678');
  });

  it("a resend after the 'submitted' entry moved off the state's tail changes nothing", async () => {
    // Arrange: the first response of a known lead, then enough others that its entry moves off the tail
    const email = 'busy@rheinwerk-brau.example';
    const leadId = e2e.leadIdOf(email);
    await send(response(email, 'respBusy0000', e2e.now(), 'first'));
    const first = response(email, 'respBusy0001', e2e.now(), 'second');
    await send(first);
    for (let i = 2; i <= 20; i++)
      await send(response(email, `respBusy${String(i).padStart(4, '0')}`, e2e.now(), `n${i}`));
    const before = (await e2e.runtime.deps.store.getLead(leadId))!;
    expect(before.timeline.some((entry) => entry.data?.sent === 'typeform:respBusy0001')).toBe(false);

    // Act
    await send(first);

    // Assert: no new entry, no new version
    const after = (await e2e.runtime.deps.store.getLead(leadId))!;
    expect(after.version).toBe(before.version);
    expect(after.timeline.filter((entry) => entry.kind === 'submitted')).toHaveLength(
      before.timeline.filter((entry) => entry.kind === 'submitted').length,
    );
  });
});

describe('Typeform and the bot check', () => {
  let siteverify: Server;
  let verifyUrl: string;

  beforeAll(async () => {
    // a stand-in that refuses every token: only posts that skip the check can pass
    siteverify = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ success: false }));
    });
    await new Promise<void>((resolve) => siteverify.listen(0, '127.0.0.1', resolve));
    verifyUrl = `http://127.0.0.1:${(siteverify.address() as AddressInfo).port}/siteverify`;
  });
  afterAll(() => new Promise<void>((resolve) => siteverify.close(() => resolve())));

  function setup(typeformSecret?: string) {
    const h = workflowHarness({ start: new Date('2026-11-30T08:00:00.000Z') });
    const deps = {
      ...h.apiDeps,
      botCheck: siteverifyBotCheck({ provider: 'turnstile', secret: 'shh', verifyUrl }),
      ...(typeformSecret ? { typeformSecret } : {}),
    };
    const handler = submitLeadHandler(deps, realTiming(new ResponseFloor()));
    const post = (data: unknown, signWith?: string) => {
      const body = JSON.stringify(data);
      const event = {
        version: '2.0',
        routeKey: 'POST /leads',
        rawPath: '/leads',
        rawQueryString: '',
        headers: typeformHeaders(body, signWith),
        requestContext: { http: { method: 'POST', path: '/leads' } },
        body,
        isBase64Encoded: false,
      } as unknown as HttpEvent;
      return handler(event, {} as Context);
    };
    return { h, post };
  }

  it('signed with the configured secret: no CAPTCHA asked, the lead stored', async () => {
    // Arrange
    const { h, post } = setup(SECRET);

    // Act
    const result = await post(typeformPost(DEMO_QUESTIONS), SECRET);

    // Assert
    expect(result.statusCode).toBe(202);
    expect((await h.lead(leadIdFor(EMAIL, h.apiDeps.leadIdSecret))).fields.firstName).toBe('Lena');
  });

  it('no secret configured: 400 bot_check_failed saying how to let Typeform in, nothing stored', async () => {
    // Arrange
    const { h, post } = setup();

    // Act
    const result = await post(typeformPost(DEMO_QUESTIONS), SECRET);

    // Assert
    expect(result.statusCode).toBe(400);
    const { error } = JSON.parse(result.body ?? '{}');
    expect(error.code).toBe('bot_check_failed');
    expect(error.message).toContain('typeformSecretArn');
    const leadId = leadIdFor(EMAIL, h.apiDeps.leadIdSecret);
    expect(await h.store.getLead(leadId)).toBeUndefined();
    expect(await h.store.listEvents(leadId)).toEqual([]);
  });
});
