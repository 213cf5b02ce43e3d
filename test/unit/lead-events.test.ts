/**
 * domain/lead-events.ts: timeline entries in, versioned events out, with ids stable across calls and
 * redeliveries; each event valid against its JSON Schema (docs/events/, kept equal to the generator).
 * domain/webhooks.ts: signatures that the `standardwebhooks` package verifies, the retry schedule.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { schemaFiles } from '../../bin/events-schema.ts';
import { eventSchema } from '../../lambdas/domain/event-schemas.ts';
import { eventId, LEAD_EVENT_TYPES, type LeadEvent, leadEvents } from '../../lambdas/domain/lead-events.ts';
import {
  applyToLead,
  eraseLead,
  type LeadState,
  newLeadState,
  TIMELINE_CAP,
  withTimeline,
} from '../../lambdas/domain/lead-state.ts';
import {
  afterAttempt,
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  newDelivery,
  RETRY_DELAYS_MS,
  replayed,
  retryAfterMs,
  signedHeaders,
  subscribes,
  webhookBody,
} from '../../lambdas/domain/webhooks.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { TEST_WEBHOOK_SECRET } from '../support/webhook-receiver.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** A hot lead's story through the domain's own functions: created, handed off, connected, deal to won. */
function story(): LeadState {
  let lead = newLeadState(
    sla,
    {
      leadId: 'LeadEvents000000000000',
      email: 'petra@brauhaus.example',
      fields: { jobTitle: 'Plant Manager', industry: 'food-and-beverage', employees: 850, country: 'DE' },
      marketingConsent: true,
    },
    [{ type: 'demo_request', occurredAt: T0.toISOString() }],
    T0,
    'form',
  );
  lead = applyToLead(sla, lead, { kind: 'handedOff', ownerId: 'jonas' }, T0, 'workflow', 'handoff').state;
  lead = withTimeline(
    { ...lead, ownerId: 'jonas', handedOffAt: T0.toISOString(), ownerSince: T0.toISOString() },
    {
      at: T0.toISOString(),
      kind: 'owner',
      to: 'jonas',
      by: 'workflow',
      reasons: [{ rule: 'routing.queue', detail: 'queue' }],
    },
  );
  lead = applyToLead(
    sla,
    lead,
    { kind: 'attemptLogged', outcomeId: 'connected', first: true },
    at(30),
    'rep:jonas',
    'attempt',
  ).state;
  for (const [minutes, stage] of [
    [60, 'discovery'],
    [120, 'quote-presented'],
    [180, 'closed-won'],
  ] as const) {
    lead = applyToLead(
      sla,
      lead,
      { kind: 'dealUpdated', dealStageId: stage, at: at(minutes), first: stage === 'discovery' },
      at(minutes),
      'rep:jonas',
      'deal',
    ).state;
  }
  return lead;
}

describe('leadEvents', () => {
  it('turns a hot lead story into its events, in story order, each valid against its schema', () => {
    // Arrange
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const lead = story();

    // Act
    const events = leadEvents(sla, lead);

    // Assert
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        'lead.created',
        'lead.judged',
        'lead.assigned',
        'lead.first_touch_met',
        'lead.attempt_logged',
        'lead.status_changed',
        'deal.stage_changed',
        'lead.stage_changed',
      ]),
    );
    expect(events.filter((e) => e.type === 'deal.stage_changed').map((e) => e.data)).toEqual([
      { to: 'discovery' },
      { from: 'discovery', to: 'quote-presented' },
      { from: 'quote-presented', to: 'closed-won' },
    ]);
    expect(events.slice(-2).map((e) => [e.type, e.data])).toEqual([
      ['lead.stage_changed', { from: 'opportunity', to: 'customer' }],
      ['lead.status_changed', expect.objectContaining({ to: 'won', stage: 'customer' })],
    ]);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    for (const event of events) {
      const id = `https://leadpact.dev/events/${event.type}.schema.json`;
      const validate = ajv.getSchema(id) ?? ajv.compile(eventSchema(event.type));
      const valid = validate(event);
      ajv.errors = validate.errors;
      expect(ajv.errors ?? [], `${event.type}`).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('gives the same ids on every call, and only the events at or after the cursor', () => {
    const lead = story();
    const all = leadEvents(sla, lead);
    const cursor = all[4]!.seq;
    const later = leadEvents(sla, lead, cursor);
    expect(leadEvents(sla, lead).map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(later).toEqual(all.filter((e) => e.seq >= cursor));
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all[0]!.id).toBe(eventId(lead.leadId, lead.cycle, all[0]!.seq, all[0]!.type));
  });

  it('keeps positions when old entries drop off the capped timeline: the same entry, the same id', () => {
    const lead = story();
    const last = leadEvents(sla, lead).at(-1)!;
    // two entries more than the cap holds: the two oldest drop off, the rest keep their positions
    const padded = Array.from({ length: TIMELINE_CAP - lead.timeline.length + 2 }, (_, i) => ({
      at: at(200 + i).toISOString(),
      kind: 'email',
      by: 'workflow',
      reasons: [],
    }));
    const longer = withTimeline(lead, ...padded);
    expect(longer.timelineDropped).toBe(2);
    const again = leadEvents(sla, longer, last.seq).filter((e) => e.seq === last.seq);
    expect(again.map((e) => e.id)).toEqual(leadEvents(sla, lead, last.seq).map((e) => e.id));
    expect(again.map((e) => e.id)).toContain(last.id);
  });

  it('erasure: lead.erased carries no reasons, and earlier events lose theirs but keep their ids', () => {
    const before = new Set(leadEvents(sla, story()).map((e) => e.id));
    const erased = eraseLead(story(), at(300), 'api:admin');
    const events = leadEvents(sla, erased);
    expect(events.at(-1)).toMatchObject({ type: 'lead.erased', reasons: [], data: {} });
    expect(events.every((event) => event.reasons.length === 0)).toBe(true);
    // those that need a reason to be told apart (a deal stage) are not derived again once erased
    expect(events.slice(0, -1).every((e) => before.has(e.id))).toBe(true);
    expect(events.at(-1)!.seq).toBe(erased.timelineDropped + erased.timeline.length - 1);
  });

  it('docs/events/ holds one schema per type, equal to the generator (npm run events:schema)', () => {
    const files = schemaFiles();
    expect(Object.keys(files).sort()).toEqual(LEAD_EVENT_TYPES.map((type) => `${type}.schema.json`).sort());
    for (const [file, text] of Object.entries(files)) {
      expect(readFileSync(`docs/events/${file}`, 'utf8'), file).toBe(text);
    }
  });
});

describe('webhooks', () => {
  const event: LeadEvent = leadEvents(sla, story())[0]!;

  it('signs as Standard Webhooks: the standardwebhooks package verifies the body and headers', () => {
    const body = webhookBody(event);
    const headers = signedHeaders(TEST_WEBHOOK_SECRET, event.id, body, new Date());
    const verified = new Webhook(TEST_WEBHOOK_SECRET).verify(body, headers);
    expect(verified).toEqual({ type: event.type, timestamp: event.time, data: event });
    expect(headers['webhook-id']).toBe(event.id);
    // a changed body or another key fails
    expect(() => new Webhook(TEST_WEBHOOK_SECRET).verify(`${body} `, headers)).toThrow();
    const other = `whsec_${Buffer.from('another-key-of-32-bytes-length!!').toString('base64')}`;
    expect(() => new Webhook(other).verify(body, headers)).toThrow();
  });

  it('signs with each key of a rotation ("whsec_new whsec_old"): a receiver holding either one verifies', () => {
    // Arrange: the new key first, the old one kept while receivers move over (Standard Webhooks rotation)
    const next = `whsec_${Buffer.from('the-next-key-of-32-bytes-length!').toString('base64')}`;
    const body = webhookBody(event);

    // Act
    const headers = signedHeaders(`${next} ${TEST_WEBHOOK_SECRET}`, event.id, body, new Date());

    // Assert: two v1 signatures, space-separated; each key verifies, a third does not
    expect(headers['webhook-signature'].split(' ').map((part) => part.split(',')[0])).toEqual(['v1', 'v1']);
    expect(new Webhook(next).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(TEST_WEBHOOK_SECRET).verify(body, headers)).toEqual(JSON.parse(body));
    const other = `whsec_${Buffer.from('another-key-of-32-bytes-length!!').toString('base64')}`;
    expect(() => new Webhook(other).verify(body, headers)).toThrow();
  });

  it('retries on an exponential schedule over about 16 hours, then fails', () => {
    let delivery = newDelivery(
      { id: 'crm', url: 'https://x.example', events: ['*'], secret: TEST_WEBHOOK_SECRET },
      event,
      T0,
    );
    const waits: number[] = [];
    let now = T0;
    while (delivery.status !== 'failed') {
      delivery = afterAttempt(delivery, { ok: false, statusCode: 500 }, now);
      if (delivery.nextAttemptAt) {
        waits.push(Date.parse(delivery.nextAttemptAt) - now.getTime());
        now = new Date(delivery.nextAttemptAt);
      }
    }
    expect(delivery).toMatchObject({ attempts: MAX_ATTEMPTS, lastError: 'HTTP 500' });
    expect(waits).toEqual(RETRY_DELAYS_MS);
    expect(waits.slice(1).every((wait, i) => wait >= waits[i]!)).toBe(true);
    const hours = waits.reduce((sum, wait) => sum + wait, 0) / 3_600_000;
    expect(hours).toBeGreaterThan(15);
    expect(hours).toBeLessThan(17);
  });

  it('gives up at once on 410 Gone (the receiver says the endpoint is gone for good); other 4xx are retried', () => {
    // Arrange
    const fresh = newDelivery(
      { id: 'crm', url: 'https://x.example', events: ['*'], secret: TEST_WEBHOOK_SECRET },
      event,
      T0,
    );

    // Act
    const gone = afterAttempt(fresh, { ok: false, statusCode: 410 }, T0);
    const refused = afterAttempt(fresh, { ok: false, statusCode: 401 }, T0);

    // Assert: failed, waiting for a replay, no retry scheduled
    expect(gone).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 410 });
    expect(gone.lastError).toMatch(/^HTTP 410/);
    expect(gone.nextAttemptAt).toBeUndefined();
    // a 401 may be a key rotated on one side first: it recovers when the keys agree again
    expect(refused).toMatchObject({ status: 'retrying', attempts: 1, lastError: 'HTTP 401' });
  });

  it("waits for a receiver's Retry-After when it is longer than the schedule, at most the schedule's longest wait", () => {
    // Arrange
    const fresh = newDelivery(
      { id: 'crm', url: 'https://x.example', events: ['*'], secret: TEST_WEBHOOK_SECRET },
      event,
      T0,
    );
    const waitAfter = (retryAfter?: number) => {
      const next = afterAttempt(
        fresh,
        { ok: false, statusCode: 429, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) },
        T0,
      );
      return Date.parse(next.nextAttemptAt!) - T0.getTime();
    };

    // Act / Assert: longer than the first step (5 s) is waited for; shorter keeps the schedule; a day is capped
    expect(waitAfter()).toBe(RETRY_DELAYS_MS[0]);
    expect(waitAfter(600_000)).toBe(600_000);
    expect(waitAfter(1_000)).toBe(RETRY_DELAYS_MS[0]);
    expect(waitAfter(86_400_000)).toBe(MAX_RETRY_AFTER_MS);
    expect(MAX_RETRY_AFTER_MS).toBe(8 * 3_600_000);
  });

  it('a replay of a delivered delivery is pending again, without the earlier deliveredAt', () => {
    // Arrange: delivered once
    const fresh = newDelivery(
      { id: 'crm', url: 'https://x.example', events: ['*'], secret: TEST_WEBHOOK_SECRET },
      event,
      T0,
    );
    const delivered = afterAttempt(fresh, { ok: true, statusCode: 204 }, at(1));

    // Act
    const again = replayed(delivered, at(5));

    // Assert: the log line says pending, due now; the last attempt's figures stay as what happened last
    expect(again).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at(5).toISOString() });
    expect(again.deliveredAt).toBeUndefined();
    expect(again).toMatchObject({ lastAttemptAt: at(1).toISOString(), lastStatusCode: 204 });
  });

  it('reads Retry-After as delay-seconds or an HTTP date, and ignores anything else', () => {
    expect(retryAfterMs('120', T0)).toBe(120_000);
    expect(retryAfterMs(' 0 ', T0)).toBe(0);
    expect(retryAfterMs(new Date(T0.getTime() + 90_000).toUTCString(), T0)).toBe(90_000);
    expect(retryAfterMs(new Date(T0.getTime() - 90_000).toUTCString(), T0)).toBe(0);
    expect(retryAfterMs('-5', T0)).toBeUndefined();
    expect(retryAfterMs('1.5', T0)).toBeUndefined();
    expect(retryAfterMs('soon', T0)).toBeUndefined();
    expect(retryAfterMs('', T0)).toBeUndefined();
    expect(retryAfterMs(null, T0)).toBeUndefined();
  });

  it('matches subscriptions by type, by prefix, or all', () => {
    expect(subscribes({ events: ['*'] }, 'deal.stage_changed')).toBe(true);
    expect(subscribes({ events: ['lead.*'] }, 'lead.created')).toBe(true);
    expect(subscribes({ events: ['lead.*'] }, 'deal.stage_changed')).toBe(false);
    expect(subscribes({ events: ['deal.stage_changed'] }, 'deal.stage_changed')).toBe(true);
  });
});
