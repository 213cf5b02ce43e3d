/**
 * An erase retried after it failed part way (a Lambda timeout, a throttled delete) finishes the erasure: the
 * client's retry must not answer "erased" while personal data a racing writer stored is still there.
 * Through the real local server on dynalite; the fault (a failed second sweep) is injected on the store,
 * as DynamoDB throttling it would.
 */
import { describe, expect, it } from 'vitest';
import { useLocalApi } from '../support/local-api.ts';

const api = useLocalApi();

describe('DELETE /leads/{id} retried after its second sweep failed', () => {
  it('deletes the event a form post of the same person stored while the first erase ran', async () => {
    // Arrange: an erase whose first sweep is followed by the person's form post (its event stored before the
    // erase's write: it belongs to the erased life), and whose second sweep then fails
    const email = api.uniqueEmail('erase-retried');
    const leadId = await api.createLead({ email, firstName: 'Quintessa', company: 'Qualmfjord' });
    const store = api.runtime.deps.store;
    const sweep = store.deleteLeadHistory.bind(store);
    let sweeps = 0;
    store.deleteLeadHistory = async (...args) => {
      sweeps += 1;
      if (sweeps === 2) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      await sweep(...args);
      if (sweeps === 1) {
        const racing = await api.postLead({ email, phone: '+49 30 7719 4286', message: 'call me' });
        expect(racing.status, racing.text).toBe(202);
      }
    };
    const failed = await api.request('DELETE', `/leads/${leadId}`);
    expect(failed.status).toBe(503);
    expect((await store.getLead(leadId))?.erasedAt).toBeDefined();

    // Act: the client retries
    let retried: Awaited<ReturnType<typeof api.request>>;
    try {
      store.deleteLeadHistory = sweep;
      retried = await api.request('DELETE', `/leads/${leadId}`);
    } finally {
      store.deleteLeadHistory = sweep;
    }

    // Assert: answered as erased, and the racing post's event (its phone, its message) is gone
    expect(retried.status, retried.text).toBe(200);
    expect(await store.listEvents(leadId)).toEqual([]);
  });
});
