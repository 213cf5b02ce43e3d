/**
 * An engagement event posted as its lead is erased (issue 10, item 5): the events route read the lead before
 * the erase and stores its event after the erase's sweeps. Once both answered, the erased lead keeps no
 * event and its state is the erasure's. The interleaving is forced by a hook on the store.
 */
import { describe, expect, it } from 'vitest';
import { salesRoutes, useLocalApi } from '../support/local-api.ts';

const api = useLocalApi();

describe('POST /leads/{id}/events overtaken by DELETE /leads/{id}', () => {
  it('leaves no event on the erased lead and does not write it again', async () => {
    // Arrange: the whole erase runs after the route read the lead, before it stores its event
    const leadId = await api.createLead({ email: api.uniqueEmail('event-race'), firstName: 'Quintessa' });
    const store = api.runtime.deps.store;
    const append = store.appendEvent.bind(store);
    let erased: { status: number } | undefined;
    store.appendEvent = async (...args) => {
      if (!erased) erased = await api.request('DELETE', `/leads/${leadId}`);
      return append(...args);
    };

    // Act
    let posted: { status: number; text: string };
    try {
      posted = await api.request('POST', `/leads/${leadId}/events`, {
        json: {
          eventId: 'web-1',
          type: 'pricing_page_view',
          occurredAt: api.clock.now().toISOString(),
          properties: { path: '/pricing?email=quintessa@example.com' },
        },
      });
    } finally {
      store.appendEvent = append;
    }

    // Assert
    expect(erased?.status).toBe(200);
    expect(posted.status, posted.text).toBeLessThan(300);
    expect(await store.listEvents(leadId)).toEqual([]);
    const lead = (await store.getLead(leadId))!;
    expect(lead.erasedAt).toBeDefined();
    expect(lead.tally?.count ?? 0).toBe(0);
  });
});

describe('POST /leads/{id}/attempts overtaken by DELETE /leads/{id}', () => {
  it('leaves no attempt (its note) on the erased lead', async () => {
    // Arrange: the whole erase runs after the attempt's write, before its own item is stored
    const leadId = await salesRoutes(api).handedOffLead('attempt-race');
    const store = api.runtime.deps.store;
    const append = store.appendAttempt.bind(store);
    let erased: { status: number } | undefined;
    store.appendAttempt = async (...args) => {
      if (!erased) erased = await api.request('DELETE', `/leads/${leadId}`);
      return append(...args);
    };

    // Act
    let logged: { status: number; text: string };
    try {
      logged = await salesRoutes(api).attempt(leadId, {
        outcome: 'connected',
        note: 'Quintessa asked to be called on +49 30 7719 4286',
      });
    } finally {
      store.appendAttempt = append;
    }

    // Assert
    expect(erased?.status).toBe(200);
    expect(logged.status, logged.text).toBeLessThan(500);
    expect((await store.getLead(leadId))?.erasedAt).toBeDefined();
    expect(await store.listAttempts(leadId)).toEqual([]);
  });
});
