/**
 * A person's changes by hand (POST /leads/{id}/owner, PATCH /leads/{id}/fields) racing a change that
 * closes the lead: an erase, a won deal. Each handler reads the lead, checks it, then writes under
 * optimistic locking; a write that conflicts reads the lead again and computes the change on it. The
 * checks must hold on that state too: an erased lead gets no personal data back, a customer no new owner.
 *
 * Wiring: the real local runtime (dynalite, the DynamoDB store, the HTTP server). The racing change goes
 * through the runtime's own API; the change by hand through a second API server on the same deps whose
 * store lets the racing change land right after the handler's first read. That wrapper is the one
 * stand-in: it places the concurrent request at the one instant a real race would, deterministically.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import type { RunningServer } from '../../local/http-server.ts';
import { startApiServer } from '../../local/http-server.ts';
import { ADMIN_TOKEN, SQL_LEAD, useLocalApi } from '../support/local-api.ts';

describe('a change by hand racing a change that closes the lead', () => {
  const api = useLocalApi();
  let server: RunningServer;
  /** runs once, right after the racing handler's first read of this lead */
  let armed: { leadId: string; race: () => Promise<void> } | undefined;

  beforeAll(async () => {
    const store = api.runtime.deps.store;
    const raced = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'getLead') {
          const value = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return async (...args: Parameters<LeadStore['getLead']>) => {
          const read = await target.getLead(...args);
          const race = armed;
          if (race && race.leadId === args[0]) {
            armed = undefined;
            await race.race();
          }
          return read;
        };
      },
    });
    server = await startApiServer({
      deps: { ...api.runtime.deps, store: raced },
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  /** a request by hand to the racing server, with the admin token */
  async function byHand(method: string, path: string, body: unknown) {
    const response = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }

  async function jonasLead(): Promise<string> {
    const leadId = await api.createLead({
      email: api.uniqueEmail('race'),
      firstName: 'Petra',
      lastName: 'Schneider',
      ...SQL_LEAD,
    });
    await api.handOff(leadId, 'jonas');
    return leadId;
  }

  const read = async (leadId: string): Promise<LeadState> => (await api.runtime.deps.store.getLead(leadId))!;

  async function erase(leadId: string): Promise<void> {
    const response = await api.request('DELETE', `/leads/${leadId}`);
    expect(response.status, response.text).toBe(200);
  }

  async function win(leadId: string): Promise<void> {
    for (const stage of ['discovery', 'closed-won']) {
      const response = await api.request('PUT', `/leads/${leadId}/deal`, { json: { stage } });
      expect(response.status, response.text).toBe(200);
    }
  }

  it('a correction of fields as the lead is erased: refused, and no personal data comes back', async () => {
    // Arrange
    const leadId = await jonasLead();
    armed = { leadId, race: () => erase(leadId) };

    // Act
    const response = await byHand('PATCH', `/leads/${leadId}/fields`, {
      fields: { lastName: 'Schneider-Wolf', phone: '+49 89 1234567' },
    });

    // Assert
    expect(armed, 'the erase landed after the first read').toBeUndefined();
    const lead = await read(leadId);
    expect(lead.erasedAt).toBeDefined();
    expect(lead.fields).toEqual({});
    expect(JSON.stringify(lead)).not.toMatch(/Schneider|1234567/);
    expect(response.status, response.text).toBe(409);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'erased' } });
  });

  it('a reassignment as the lead is erased: refused, the erased lead gets no owner', async () => {
    // Arrange
    const leadId = await jonasLead();
    armed = { leadId, race: () => erase(leadId) };

    // Act
    const response = await byHand('POST', `/leads/${leadId}/owner`, {
      owner: 'lena',
      reason: 'Petra Schneider asked for Lena',
    });

    // Assert
    expect(armed, 'the erase landed after the first read').toBeUndefined();
    const lead = await read(leadId);
    expect(lead.erasedAt).toBeDefined();
    expect(lead.ownerId).toBeUndefined();
    expect(JSON.stringify(lead)).not.toMatch(/Schneider/);
    expect(response.status, response.text).toBe(409);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'erased' } });
  });

  it('a reassignment as the deal is won: refused, the customer keeps the rep who won it', async () => {
    // Arrange
    const leadId = await jonasLead();
    armed = { leadId, race: () => win(leadId) };

    // Act
    const response = await byHand('POST', `/leads/${leadId}/owner`, { owner: 'lena' });

    // Assert
    expect(armed, 'the won deal landed after the first read').toBeUndefined();
    const lead = await read(leadId);
    expect({ stage: lead.stage, ownerId: lead.ownerId, ownerUntold: lead.ownerUntold }).toEqual({
      stage: 'customer',
      ownerId: 'jonas',
      ownerUntold: undefined,
    });
    expect(lead.timeline.filter((entry) => entry.kind === 'owner' && entry.to === 'lena')).toEqual([]);
    expect(response.status, response.text).toBe(409);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'closed' } });
  });
});
