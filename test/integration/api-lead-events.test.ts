/**
 * POST /leads/{id}/events through the real local server: single events and batches, replays as no-ops,
 * far-future times, batch limits, thresholds crossed at once (and the workflow signalled), unsubscribe,
 * and rejected requests leaving the lead exactly as it was.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { judgeLead } from '../../lambdas/domain/judge.ts';
import { leadEvents } from '../../lambdas/domain/lead-events.ts';
import { expectError, type LocalApi, MINUTE, T0, useLocalApi } from '../support/local-api.ts';

interface EventInput {
  eventId: string;
  type: string;
  occurredAt: string;
  properties?: Record<string, unknown>;
  contentTags?: string[];
}

interface EventsResult {
  leadId: string;
  appended: number;
  duplicates: number;
  stage: string;
  status: string;
  totalScore: number;
}

const HOUR_AGO = new Date(T0.getTime() - 60 * MINUTE).toISOString();

const pageView = (eventId: string, occurredAt = HOUR_AGO): EventInput => ({
  eventId,
  type: 'page_view',
  occurredAt,
  properties: { path: '/products/compressors' },
});

/** fit 75 (manufacturing, 500 staff, DE) + persona 5 + a form 10: an MQL at 90 */
const MQL_PROFILE = { industry: 'manufacturing', employees: 500, country: 'DE', jobTitle: 'Engineer' };
/** fit 45 (500 staff, DE) + a form 10: a lead at 55 */
const LEAD_PROFILE = { industry: 'retail', employees: 500, country: 'DE' };

async function snapshot(api: LocalApi, leadId: string) {
  const state = await api.runtime.deps.store.getLead(leadId);
  const events = await api.runtime.deps.store.listEvents(leadId);
  return { version: state?.version, total: state?.total, stage: state?.stage, events: events.length };
}

describe('POST /leads/{id}/events', () => {
  const api = useLocalApi();
  const postEvents = (leadId: string, body: unknown) =>
    api.request('POST', `/leads/${leadId}/events`, { json: body });

  it('stores one event and answers with the judged lead', async () => {
    // Arrange
    const leadId = await api.createLead({ email: api.uniqueEmail(), ...MQL_PROFILE });

    // Act
    const response = await postEvents(leadId, pageView('pv-1', '2026-11-27T10:00:00+01:00'));

    // Assert
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      leadId,
      appended: 1,
      duplicates: 0,
      stage: 'mql',
      status: 'nurturing',
      totalScore: 91,
    });
    const events = await api.runtime.deps.store.listEvents(leadId);
    expect(events.find((event) => event.eventId === 'pv-1')).toMatchObject({
      type: 'page_view',
      occurredAt: '2026-11-27T09:00:00.000Z',
      receivedAt: T0.toISOString(),
      properties: { path: '/products/compressors' },
    });
  });

  it('stores a batch of events', async () => {
    // Arrange
    const leadId = await api.createLead({ email: api.uniqueEmail(), ...MQL_PROFILE });
    const batch = ['a', 'b', 'c'].map((id) => pageView(`pv-${id}`));

    // Act
    const response = await postEvents(leadId, { events: batch });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ appended: 3, duplicates: 0, totalScore: 93 });
    expect(await api.runtime.deps.store.listEvents(leadId)).toHaveLength(4);
  });

  it('stores exactly 100 events in one batch', async () => {
    // Arrange
    const leadId = await api.createLead({ email: api.uniqueEmail(), ...MQL_PROFILE });
    const batch = Array.from({ length: 100 }, (_, i) => pageView(`pv-${i}`));

    // Act
    const response = await postEvents(leadId, { events: batch });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ appended: 100, duplicates: 0 });
  });

  it.each<[string, (fresh: EventInput[]) => EventInput[], number]>([
    ['the same batch', (first) => first, 0],
    ['the same events with their times in another zone', (first) => first.map(inBerlinTime), 0],
    ['a batch of two old events and one new', (first) => [...first.slice(0, 2), pageView('pv-new')], 1],
  ])(
    'treats a replay of %s as a no-op: duplicates counted, score unchanged',
    async (_kind, replay, fresh) => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail(), ...MQL_PROFILE });
      const first = [
        pageView('pv-1'),
        { eventId: 'dl-1', type: 'content_download', occurredAt: HOUR_AGO, contentTags: ['case-study'] },
        { eventId: 'web-1', type: 'webinar_attended', occurredAt: HOUR_AGO },
      ];
      const original = (await postEvents(leadId, { events: first })).body as EventsResult;
      const before = await snapshot(api, leadId);

      // Act
      const response = await postEvents(leadId, { events: replay(first) });

      // Assert
      const body = response.body as EventsResult;
      expect(response.status).toBe(200);
      expect(body).toMatchObject({ appended: fresh, duplicates: 3 - fresh });
      const after = await snapshot(api, leadId);
      expect(after.events).toBe(before.events + fresh);
      if (fresh === 0) {
        expect(body.totalScore).toBe(original.totalScore);
        expect(after.version).toBe(before.version);
      }
    },
  );

  it.each([
    ['one event', (event: EventInput) => event, 'occurredAt'],
    ['a batch', (event: EventInput) => ({ events: [pageView('pv-ok'), event] }), 'events.1.occurredAt'],
  ])(
    'refuses %s from the far future with 422 naming the field, storing nothing',
    async (_kind, wrap, path) => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail(), ...MQL_PROFILE });
      const before = await snapshot(api, leadId);
      const future = pageView('pv-future', new Date(T0.getTime() + 24 * 60 * MINUTE).toISOString());

      // Act
      const response = await postEvents(leadId, wrap(future));

      // Assert
      expectError(response, 422, 'unprocessable', path);
      expect(await snapshot(api, leadId)).toEqual(before);
    },
  );

  it('accepts an event a few minutes ahead (clock skew)', async () => {
    // Arrange
    const leadId = await api.createLead({ email: api.uniqueEmail(), ...MQL_PROFILE });

    // Act
    const response = await postEvents(
      leadId,
      pageView('pv-skew', new Date(T0.getTime() + 4 * MINUTE).toISOString()),
    );

    // Assert
    expect(response.status).toBe(200);
  });

  it.each<[string, 'mql' | 'sql', Record<string, unknown>, EventInput, string]>([
    [
      'lead to MQL',
      'mql',
      LEAD_PROFILE,
      { eventId: 'w', type: 'webinar_attended', occurredAt: HOUR_AGO },
      'lead',
    ],
    ['MQL to SQL', 'sql', MQL_PROFILE, { eventId: 'd', type: 'demo_request', occurredAt: HOUR_AGO }, 'mql'],
  ])(
    'moves the stage at once when an event crosses a threshold (%s) and signals the workflow',
    async (_kind, to, profile, event, from) => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail(), ...profile });
      expect((await api.readLead(leadId)).lifecycleStage).toBe(from);

      // Act
      const response = await postEvents(leadId, event);

      // Assert
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ stage: to });
      const lead = await api.readLead(leadId);
      expect(lead.lifecycleStage).toBe(to);
      const entry = lead.timeline.find((e) => e.kind === 'stage');
      expect(entry).toMatchObject({ from, to, by: 'api:admin' });
      expect(entry?.reasons.map((reason) => reason.rule)).toContain('lifecycle.qualified');
      expect(api.workflowCalls(leadId)).toContainEqual({ action: 'signal', detail: `stage ${to}` });
    },
  );

  it('does not signal the workflow when the stage stays', async () => {
    // Arrange
    const leadId = await api.createLead({ email: api.uniqueEmail(), ...MQL_PROFILE });

    // Act
    const response = await postEvents(leadId, pageView('pv-quiet'));

    // Assert
    expect(response.status).toBe(200);
    expect(api.workflowCalls(leadId).filter((call) => call.action === 'signal')).toEqual([]);
  });

  it('marks the lead unsubscribed on an unsubscribe event, withdraws consent and signals the workflow', async () => {
    // Arrange
    const leadId = await api.createLead({ email: api.uniqueEmail(), ...MQL_PROFILE, marketingConsent: true });

    // Act
    const response = await postEvents(leadId, {
      eventId: 'unsub-1',
      type: 'unsubscribe',
      occurredAt: HOUR_AGO,
    });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ totalScore: 60 });
    const lead = await api.readLead(leadId);
    expect(lead).toMatchObject({ unsubscribed: true, marketingConsent: false });
    expect(api.workflowCalls(leadId)).toContainEqual({ action: 'signal', detail: 'unsubscribed' });
    // the timeline says who unsubscribed the person, and events out tell the CRM (lead.unsubscribed), as a
    // link's or a form's unsubscribe does
    const stored = (await api.runtime.deps.store.getLead(leadId))!;
    expect(stored.timeline.filter((entry) => entry.kind === 'unsubscribed')).toMatchObject([
      { by: 'api:admin', reasons: [{ rule: 'consent.unsubscribe' }] },
    ]);
    expect(leadEvents(api.sla, stored).map((event) => event.type)).toContain('lead.unsubscribed');
    // a second unsubscribe changes nothing more
    await postEvents(leadId, { eventId: 'unsub-2', type: 'unsubscribe', occurredAt: HOUR_AGO });
    const again = (await api.runtime.deps.store.getLead(leadId))!;
    expect(again.timeline.filter((entry) => entry.kind === 'unsubscribed')).toHaveLength(1);
  });

  describe('the tally: new events fold in, the history is not read again', () => {
    /** The lead as the full replay judges it from every stored event (the specification). */
    async function replayed(leadId: string) {
      const state = (await api.runtime.deps.store.getLead(leadId))!;
      const events = await api.runtime.deps.store.listEvents(leadId);
      const judgement = judgeLead(
        api.sla,
        { email: state.email!, fields: state.fields, events },
        new Date(state.judgedAt),
      );
      return { state, events, judgement };
    }

    /** A key value as a middleware sees it: plain (a DocumentClient command on its way) or marshalled. */
    const text = (value: unknown) =>
      typeof value === 'string' ? value : (value as { S?: string } | undefined)?.S;

    /** Counts the Queries of a lead's events (listEvents) the runtime's store sends from now on. */
    function countEventReads(leadId: string) {
      const name = `countEventReads-${leadId}`;
      let reads = 0;
      api.runtime.dynamoDb.middlewareStack.add(
        (next, context) => async (args) => {
          const values = (args.input as { ExpressionAttributeValues?: Record<string, unknown> })
            .ExpressionAttributeValues;
          if (
            context.commandName === 'QueryCommand' &&
            text(values?.[':pk']) === `LEAD#${leadId}` &&
            text(values?.[':prefix']) === 'EVENT#'
          )
            reads++;
          return next(args);
        },
        { step: 'initialize', name },
      );
      return {
        get reads() {
          return reads;
        },
        stop: () => api.runtime.dynamoDb.middlewareStack.remove(name),
      };
    }

    it('judges 30 single posts without reading the history, as the full replay would', async () => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail(), ...LEAD_PROFILE });
      const counter = countEventReads(leadId);
      try {
        // Act
        for (let i = 0; i < 30; i++) {
          const kind = i % 3 === 0 ? 'email_click' : 'page_view';
          const response = await postEvents(leadId, { ...pageView(`one-${i}`), type: kind });
          expect(response.status, response.text).toBe(200);
        }
        // Assert
        expect(counter.reads).toBe(0);
      } finally {
        counter.stop();
      }
      const { state, events, judgement } = await replayed(leadId);
      expect(events).toHaveLength(31);
      expect(state.tally?.count).toBe(events.length);
      expect(state.engagement).toBe(judgement.engagementScore);
      expect(state.total).toBe(judgement.totalScore);
      expect(state.journeyStage).toBe(judgement.journeyStage);
    });

    it('reads the history for a replayed event (an earlier attempt may have stored it and failed)', async () => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail(), ...LEAD_PROFILE });
      await postEvents(leadId, pageView('again'));
      const counter = countEventReads(leadId);
      // Act
      const response = await postEvents(leadId, pageView('again'));
      counter.stop();
      // Assert
      expect(response.status).toBe(200);
      expect(counter.reads).toBe(1);
    });

    it('counts each event once when 20 posts race on one lead', async () => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail(), ...LEAD_PROFILE });
      // Act
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          postEvents(leadId, { ...pageView(`race-${i}`), type: 'email_click' }),
        ),
      );
      // Assert
      expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
      const { state, events, judgement } = await replayed(leadId);
      expect(events).toHaveLength(21);
      expect(state.tally?.count).toBe(events.length);
      expect(state.engagement).toBe(judgement.engagementScore);
      expect(state.total).toBe(judgement.totalScore);
    });

    it('counts an event once when the write landed and its answer was lost', async () => {
      // Arrange: the lead's next state write lands, then fails as the SDK's retry of a landed
      // conditional write does (a lost answer cannot be caused on dynalite: this one fault is injected)
      const leadId = await api.createLead({ email: api.uniqueEmail(), ...LEAD_PROFILE });
      const name = `loseAnswer-${leadId}`;
      let lost = 0;
      api.runtime.dynamoDb.middlewareStack.add(
        (next, context) => async (args) => {
          const item = (args.input as { Item?: Record<string, unknown> }).Item;
          const result = await next(args);
          if (
            context.commandName === 'PutItemCommand' &&
            text(item?.['pk']) === `LEAD#${leadId}` &&
            text(item?.['sk']) === 'STATE' &&
            lost++ === 0
          )
            throw new ConditionalCheckFailedException({
              message: 'The conditional request failed',
              $metadata: {},
            });
          return result;
        },
        { step: 'initialize', name },
      );
      // Act
      const response = await postEvents(leadId, { ...pageView('lost-answer'), type: 'email_click' });
      api.runtime.dynamoDb.middlewareStack.remove(name);
      // Assert
      expect(response.status, response.text).toBe(200);
      expect(lost).toBe(1);
      const { state, events, judgement } = await replayed(leadId);
      expect(state.tally?.count).toBe(events.length);
      expect(state.engagement).toBe(judgement.engagementScore);
      expect(state.total).toBe(judgement.totalScore);
    });
  });

  describe('rejected requests change nothing', () => {
    const ok = pageView('pv-ok');
    it.each<{
      name: string;
      body: () => unknown;
      raw?: string;
      contentType?: string;
      status: number;
      code: string;
      path?: string;
    }>([
      {
        name: 'no eventId',
        body: () => ({ type: 'page_view', occurredAt: HOUR_AGO }),
        status: 400,
        code: 'invalid_request',
        path: 'eventId',
      },
      {
        name: 'an eventId with spaces',
        body: () => ({ ...ok, eventId: 'a b' }),
        status: 400,
        code: 'invalid_request',
        path: 'eventId',
      },
      {
        name: 'a type in CamelCase',
        body: () => ({ ...ok, type: 'PageView' }),
        status: 400,
        code: 'invalid_request',
        path: 'type',
      },
      {
        name: 'no occurredAt',
        body: () => ({ eventId: 'x', type: 'page_view' }),
        status: 400,
        code: 'invalid_request',
        path: 'occurredAt',
      },
      {
        name: 'a time without a zone',
        body: () => ({ ...ok, occurredAt: '2026-11-27T09:00:00' }),
        status: 400,
        code: 'invalid_request',
        path: 'occurredAt',
      },
      {
        name: 'a time in words',
        body: () => ({ ...ok, occurredAt: 'yesterday' }),
        status: 400,
        code: 'invalid_request',
        path: 'occurredAt',
      },
      {
        name: 'an unknown field',
        body: () => ({ ...ok, score: 100 }),
        status: 400,
        code: 'invalid_request',
        path: 'score',
      },
      {
        name: 'a nested property',
        body: () => ({ ...ok, properties: { page: { path: '/' } } }),
        status: 400,
        code: 'invalid_request',
        path: 'properties.page',
      },
      {
        name: 'a property named constructor',
        body: () => ({ ...ok, properties: { constructor: 'x' } }),
        status: 400,
        code: 'invalid_request',
        path: 'properties.constructor',
      },
      {
        // JSON.parse makes "__proto__" an own key; an object literal here could not
        name: 'a property named __proto__',
        body: () => undefined,
        raw: JSON.stringify({ ...ok, properties: { path: '/' } }).replace(
          '"path"',
          '"__proto__":{"x":1},"path"',
        ),
        contentType: 'application/json',
        status: 400,
        code: 'invalid_request',
        path: 'properties.__proto__',
      },
      {
        name: 'a property number beyond 2^53',
        body: () => ({ ...ok, properties: { n: 1e200 } }),
        status: 400,
        code: 'invalid_request',
        path: 'properties.n',
      },
      {
        name: '21 properties',
        body: () => ({
          ...ok,
          properties: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`p${i}`, i])),
        }),
        status: 400,
        code: 'invalid_request',
        path: 'properties',
      },
      {
        name: '11 content tags',
        body: () => ({ ...ok, contentTags: Array.from({ length: 11 }, (_, i) => `t${i}`) }),
        status: 400,
        code: 'invalid_request',
        path: 'contentTags',
      },
      {
        name: 'a batch with a bad second event',
        body: () => ({ events: [ok, { ...ok, eventId: 'x', type: 7 }] }),
        status: 400,
        code: 'invalid_request',
        path: 'events.1.type',
      },
      {
        name: 'an empty batch',
        body: () => ({ events: [] }),
        status: 400,
        code: 'invalid_request',
        path: 'events',
      },
      {
        name: 'a batch of 101 events',
        body: () => ({ events: Array.from({ length: 101 }, (_, i) => pageView(`pv-${i}`)) }),
        status: 400,
        code: 'invalid_request',
        path: 'events',
      },
      {
        name: 'events that are not an array',
        body: () => ({ events: 'page_view' }),
        status: 400,
        code: 'invalid_request',
        path: 'events',
      },
      { name: 'a JSON array', body: () => [ok], status: 400, code: 'invalid_request', path: '(body)' },
      {
        name: 'invalid JSON',
        body: () => undefined,
        raw: '{"eventId":',
        contentType: 'application/json',
        status: 400,
        code: 'invalid_json',
      },
      {
        name: 'a form post',
        body: () => undefined,
        raw: 'eventId=x&type=page_view',
        contentType: 'application/x-www-form-urlencoded',
        status: 415,
        code: 'unsupported_media_type',
        path: 'content-type',
      },
      {
        name: 'text/plain',
        body: () => undefined,
        raw: JSON.stringify(ok),
        contentType: 'text/plain',
        status: 415,
        code: 'unsupported_media_type',
        path: 'content-type',
      },
      {
        name: 'a body over 64 KB',
        body: () => undefined,
        raw: JSON.stringify({ ...ok, pad: 'x'.repeat(70_000) }),
        contentType: 'application/json',
        status: 413,
        code: 'payload_too_large',
      },
    ])('refuses $name with $status', async ({ body, raw, contentType, status, code, path }) => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail(), ...MQL_PROFILE });
      const before = await snapshot(api, leadId);

      // Act
      const response =
        raw === undefined
          ? await postEvents(leadId, body())
          : await api.request('POST', `/leads/${leadId}/events`, {
              body: raw,
              ...(contentType ? { contentType } : {}),
            });

      // Assert
      expectError(response, status, code, path);
      expect(await snapshot(api, leadId)).toEqual(before);
    });

    it.each([
      [
        'in Arabic',
        'صفحة',
        'not a property name: a letter A-Z first, then letters, digits, _ . - (64 at most)',
      ],
      ['constructor', 'constructor', 'a reserved name (constructor, toString, ...): choose another'],
    ])(
      'says what is wrong with a property name %s, not "Invalid key in record"',
      async (_kind, name, message) => {
        // Arrange
        const leadId = await api.createLead({ email: api.uniqueEmail(), ...MQL_PROFILE });

        // Act
        const response = await postEvents(leadId, { ...ok, properties: { [name]: 'x' } });

        // Assert
        const body = expectError(response, 400, 'invalid_request', `properties.${name}`);
        expect(body.error.fields).toContainEqual({ path: `properties.${name}`, message });
      },
    );

    it.each([
      ['no token', null],
      ['a wrong token', 'not-the-admin-token'],
    ])('refuses a post with %s with 401 and changes nothing', async (_kind, token) => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail(), ...MQL_PROFILE });
      const before = await snapshot(api, leadId);

      // Act
      const response = await api.request('POST', `/leads/${leadId}/events`, { json: ok, token });

      // Assert
      expectError(response, 401, 'unauthorized');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await snapshot(api, leadId)).toEqual(before);
    });

    it('answers 404 for an unknown lead and stores nothing', async () => {
      // Arrange
      const leadId = api.leadIdOf(api.uniqueEmail('nobody'));

      // Act
      const response = await postEvents(leadId, ok);

      // Assert
      expectError(response, 404, 'not_found');
      expect(await api.runtime.deps.store.listEvents(leadId)).toEqual([]);
    });

    it('answers 400 naming id for a malformed lead id', async () => {
      // Act
      const response = await postEvents('not-a-lead-id', ok);

      // Assert
      expectError(response, 400, 'invalid_request', 'id');
    });
  });
});

function inBerlinTime(event: EventInput): EventInput {
  const at = new Date(Date.parse(event.occurredAt) + 60 * MINUTE).toISOString().replace('.000Z', '+01:00');
  return { ...event, occurredAt: at };
}
