/**
 * A JSON body that gives a name twice in one object, through the real local server: JSON.parse alone keeps the
 * last value, so `{"owner":"mats","owner":"lena"}` would give the lead to Lena without a word. Every JSON
 * body is read by the one function POST /leads uses (http.ts jsonBody, repeated-names.ts): the token routes
 * and POST /sla/impact answer 400 `invalid_request` naming the name given twice, and store nothing.
 * (POST /leads reads a top-level repeat as a form's repeated name: api-leads-rejected.test.ts.)
 * Trial 2, finding 6.
 */
import { describe, expect, it } from 'vitest';
import { expectError, type LocalApi, salesRoutes, useLocalApi } from '../support/local-api.ts';

/** what a refused request must leave as it was */
async function traces(api: LocalApi, leadId: string) {
  const { store } = api.runtime.deps;
  return {
    lead: await store.getLead(leadId),
    attempts: await store.listAttempts(leadId),
    events: await store.listEvents(leadId),
    workflow: api.workflowCalls(leadId),
  };
}

describe('a JSON body giving a name twice', () => {
  const api = useLocalApi();
  const routes = salesRoutes(api);

  it.each<[string, string, (leadId: string) => string, string, string]>([
    [
      'POST attempts: two outcomes',
      'POST',
      (id) => `/leads/${id}/attempts`,
      '{"outcome":"connected","outcome":"no-answer","attemptId":"dup-1"}',
      'outcome',
    ],
    [
      'POST owner: two owners',
      'POST',
      (id) => `/leads/${id}/owner`,
      '{"owner":"mats","owner":"lena"}',
      'owner',
    ],
    [
      'PUT deal: two stages',
      'PUT',
      (id) => `/leads/${id}/deal`,
      '{"stage":"discovery","stage":"quote-development"}',
      'stage',
    ],
    [
      'PATCH status: two statuses',
      'PATCH',
      (id) => `/leads/${id}/status`,
      '{"status":"bad-timing","status":"no-budget"}',
      'status',
    ],
    [
      'PATCH fields: a field given twice inside fields',
      'PATCH',
      (id) => `/leads/${id}/fields`,
      '{"fields":{"firstName":"A","firstName":"B"}}',
      'fields.firstName',
    ],
    [
      'POST events: two event ids',
      'POST',
      (id) => `/leads/${id}/events`,
      '{"eventId":"dup-2","eventId":"dup-3","type":"page_view","occurredAt":"2026-01-05T08:00:00Z"}',
      'eventId',
    ],
    [
      'POST events: a name given twice in a batch’s event',
      'POST',
      (id) => `/leads/${id}/events`,
      '{"events":[{"eventId":"dup-4","type":"page_view","type":"demo_request","occurredAt":"2026-01-05T08:00:00Z"}]}',
      'events[0].type',
    ],
    [
      'POST events: the same value twice (not ambiguous, still a name given twice)',
      'POST',
      (id) => `/leads/${id}/events`,
      '{"eventId":"dup-5","eventId":"dup-5","type":"page_view","occurredAt":"2026-01-05T08:00:00Z"}',
      'eventId',
    ],
  ])('%s: 400 naming it, nothing stored', async (_, method, path, body, named) => {
    // Arrange
    const leadId = await routes.handedOffLead('dup');
    const before = await traces(api, leadId);

    // Act
    const response = await api.request(method, path(leadId), { body, contentType: 'application/json' });

    // Assert
    const error = expectError(response, 400, 'invalid_request', named);
    expect(error.error.fields).toEqual([
      { path: named, message: 'a name given once in its object, not twice' },
    ]);
    expect(await traces(api, leadId)).toEqual(before);
  });

  it('POST /sla/impact: the SLA given twice is 400 naming `sla`', async () => {
    // Arrange
    const body = '{"sla":"version: 1","sla":"version: 2"}';

    // Act
    const response = await api.request('POST', '/sla/impact', { body, contentType: 'application/json' });

    // Assert
    expectError(response, 400, 'invalid_request', 'sla');
  });

  it('a name given once in each of two objects is no repeat: the owner route reassigns', async () => {
    // Arrange: the same name in two different objects of one body
    const leadId = await routes.handedOffLead('dup-ok');

    // Act
    const response = await api.request('POST', `/leads/${leadId}/owner`, {
      body: '{"owner":"lena","reason":"speaks Bavarian"}',
      contentType: 'application/json',
    });
    const events = await api.request('POST', `/leads/${leadId}/events`, {
      body: '{"events":[{"eventId":"ok-1","type":"page_view","occurredAt":"2026-01-05T08:00:00Z"},{"eventId":"ok-2","type":"page_view","occurredAt":"2026-01-05T08:00:00Z"}]}',
      contentType: 'application/json',
    });

    // Assert
    expect(response.status, response.text).toBe(200);
    expect(events.status, events.text).toBeLessThan(300);
    expect((await api.readLead(leadId)).owner).toEqual({ id: 'lena', name: 'Lena Hartmann' });
  });
});
