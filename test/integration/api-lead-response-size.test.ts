/**
 * GET /leads/{id} of a lead with a long life stays under Lambda's 6 MB response limit (the handler's result as
 * JSON: API Gateway's envelope, where a JSON body's quotes count twice). The local server refuses a larger
 * result as AWS does (500 `{"message":"Internal Server Error"}`). Before the fix the route answered every
 * attempt, the whole timeline and the newest 100 events whatever their size: each case below was a 500 on AWS.
 * Now each list is cut to a byte budget, newest first, with its count (`eventCount`, `attemptCount`) and, for
 * the timeline, `timelineOmitted` and `?timelineBefore=<position>` to page back to the first entry.
 */
import { describe, expect, it } from 'vitest';
import type { Attempt, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { LAMBDA_RESPONSE_LIMIT_BYTES } from '../../local/http-server.ts';
import { consoleFetch, signIn, textOf } from '../support/console.ts';
import { expectError, type LeadResponse, SQL_LEAD, T0, useLocalApi } from '../support/local-api.ts';

/** 1,000 characters that JSON escapes (a quote each): 2,000 bytes in a body, 4,000 in the envelope */
const quoted = (n: number) => `"${n}"`.padEnd(1000, '"');

/** what Lambda would return for this body: the envelope's bytes (headers left out: a few hundred) */
const envelopeBytes = (text: string) => Buffer.byteLength(JSON.stringify({ statusCode: 200, body: text }));

/** The answer of a GET /leads/{id}: a 200 within Lambda's limit, as a lead. */
function answeredWithinLimit(response: { status: number; text: string; body: unknown }): LeadResponse {
  expect(response.status, response.text.slice(0, 200)).toBe(200);
  expect(envelopeBytes(response.text)).toBeLessThan(LAMBDA_RESPONSE_LIMIT_BYTES);
  return response.body as LeadResponse;
}

describe('GET /leads/{id} stays under the 6 MB response limit', () => {
  const api = useLocalApi();

  it('for a lead with 100 events of 20 long properties each: the newest events that fit', async () => {
    // Arrange: 100 posts of one event each, every one valid (20 properties of 1,000 characters, ~40 KB)
    const leadId = await api.createLead({ email: api.uniqueEmail('events'), firstName: 'Ada' });
    api.clock.set(new Date(T0.getTime() + 200 * 60_000));
    for (let i = 0; i < 100; i++) {
      const properties = Object.fromEntries(Array.from({ length: 20 }, (_, p) => [`p${p}`, quoted(i)]));
      const posted = await api.request('POST', `/leads/${leadId}/events`, {
        json: {
          eventId: `big-${i}`,
          type: 'page_view',
          occurredAt: new Date(T0.getTime() + (i + 1) * 60_000).toISOString(),
          properties,
        },
      });
      expect(posted.status, posted.text).toBe(200);
    }

    // Act
    const response = await api.request('GET', `/leads/${leadId}`);

    // Assert
    const lead = answeredWithinLimit(response);
    // the form post's own event and the 100
    expect(lead.eventCount).toBe(101);
    expect(lead.events.length).toBeGreaterThan(0);
    expect(lead.events.length).toBeLessThan(100);
    // the newest, in order
    expect(lead.events.at(-1)?.eventId).toBe('big-99');
    const ids = lead.events.map((e) => Number(e.eventId.slice(4)));
    expect(ids).toEqual(ids.map((_, k) => 100 - ids.length + k));
  }, 120_000);

  it('the console lead page of a lead with 1,000 attempts with long notes: the newest 100', async () => {
    // Arrange: Jonas's lead with a CRM's years of calls; the page escapes a quote as &quot; (6 bytes)
    const leadId = await api.createLead({ email: api.uniqueEmail('page'), firstName: 'Eva', ...SQL_LEAD });
    await api.handOff(leadId, 'jonas');
    const store = api.runtime.deps.store;
    for (let i = 0; i < 1000; i++) {
      await store.appendAttempt(leadId, {
        attemptId: `call-${String(i).padStart(4, '0')}`,
        at: new Date(T0.getTime() + (i + 1) * 1000).toISOString(),
        outcomeId: 'no_answer',
        channel: 'phone',
        repId: 'jonas',
        note: `note ${i} ${quoted(i).repeat(2)}`,
      });
    }
    api.clock.set(new Date(T0.getTime() + 3_600_000));
    const cookie = await signIn(api.runtime, 'jonas.berger@kessler-industrial.example');

    // Act
    const page = await consoleFetch(api.runtime, 'GET', `/console/leads/${leadId}`, { cookie });

    // Assert
    expect(page.status, page.text.slice(0, 200)).toBe(200);
    expect(envelopeBytes(page.text)).toBeLessThan(LAMBDA_RESPONSE_LIMIT_BYTES);
    const text = textOf(page.text);
    expect(text).toContain('note 999 ');
    expect(text).toContain('note 900 ');
    expect(text).not.toContain('note 899 ');
    expect(text).toContain('The latest 100 of 1,000 attempts.');
  }, 120_000);

  it('for a lead with 1,000 attempts with long notes: the newest attempts that fit, and their count', async () => {
    // Arrange: a CRM's years of calls, each with a note of 2,000 characters
    const leadId = await api.createLead({ email: api.uniqueEmail('attempts'), firstName: 'Bo' });
    const store = api.runtime.deps.store;
    for (let i = 0; i < 1000; i++) {
      const attempt: Attempt = {
        attemptId: `call-${String(i).padStart(4, '0')}`,
        at: new Date(T0.getTime() - (1000 - i) * 3_600_000).toISOString(),
        outcomeId: 'no_answer',
        channel: 'phone',
        repId: 'jonas',
        note: quoted(i).repeat(2),
      };
      await store.appendAttempt(leadId, attempt);
    }

    // Act
    const response = await api.request('GET', `/leads/${leadId}`);

    // Assert
    const lead = answeredWithinLimit(response);
    expect(lead.attemptCount).toBe(1000);
    expect(lead.attempts.length).toBeGreaterThan(0);
    expect(lead.attempts.length).toBeLessThan(1000);
    expect(lead.attempts.at(-1)?.attemptId).toBe('call-0999');
  }, 120_000);

  it('for a lead with 10,000 timeline entries: the newest that fit, and the rest page by page', async () => {
    // Arrange: a long story written change by change (400 entries a write; older ones move to pages)
    const leadId = await api.createLead({ email: api.uniqueEmail('story'), firstName: 'Cy' });
    const store = api.runtime.deps.store;
    const before = await api.readLead(leadId);
    const entry = (n: number): TimelineEntry => ({
      at: new Date(T0.getTime() + n * 1000).toISOString(),
      kind: 'judged',
      from: 'lead/nurturing',
      to: 'lead/nurturing',
      by: 'workflow',
      reasons: [
        { rule: 'fit.industry', detail: `entry ${n}: "manufacturing" is in the ideal customer profile` },
        {
          rule: 'engagement.page_view',
          detail: `entry ${n}: viewed "/pricing" three times, decayed`.repeat(6),
        },
      ],
      version: 'fixture',
    });
    let written = before.timeline.length;
    while (written < 10_000) {
      const from = written;
      await updateLead(store, leadId, (current) => ({
        ...current,
        version: current.version + 1,
        timeline: [...current.timeline, ...Array.from({ length: 400 }, (_, k) => entry(from + k))],
      }));
      written += 400;
    }

    // Act: the lead, then older pages until the first entry
    const first = await api.request('GET', `/leads/${leadId}`);
    const pages: LeadResponse[] = [first.body as LeadResponse];
    const sizes = [envelopeBytes(first.text)];
    while (pages.at(-1)!.timelineOmitted > 0) {
      const last = pages.at(-1)!;
      const page = await api.request(
        'GET',
        `/leads/${leadId}?timelineBefore=${last.timelineDropped + last.timelineOmitted}`,
      );
      expect(page.status, page.text.slice(0, 200)).toBe(200);
      pages.push(page.body as LeadResponse);
      sizes.push(envelopeBytes(page.text));
    }

    // Assert
    expect(first.status, first.text.slice(0, 200)).toBe(200);
    for (const size of sizes) expect(size).toBeLessThan(LAMBDA_RESPONSE_LIMIT_BYTES);
    expect(pages.length).toBeGreaterThan(1);
    const story = pages.toReversed().flatMap((page) => page.timeline);
    expect(story).toHaveLength(written);
    expect(story.slice(0, before.timeline.length)).toEqual(before.timeline);
    expect(story.slice(before.timeline.length).map((e) => e.reasons[0]?.detail.split(':')[0])).toEqual(
      Array.from(
        { length: written - before.timeline.length },
        (_, k) => `entry ${before.timeline.length + k}`,
      ),
    );
  }, 300_000);

  it('refuses a timelineBefore that is no position', async () => {
    // Arrange
    const leadId = await api.createLead({ email: api.uniqueEmail('bad'), firstName: 'Di' });

    // Act
    const response = await api.request('GET', `/leads/${leadId}?timelineBefore=-1`);

    // Assert
    expectError(response, 400, 'invalid_request', 'timelineBefore');
  });
});
