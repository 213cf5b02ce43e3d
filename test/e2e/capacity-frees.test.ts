/**
 * A capped rep who is full (ADR 0040): the next SQL waits for a rep, and takes the place once a lead of theirs
 * is disqualified and the hourly retry comes round. Jonas alone in equipment sales, capacity 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type E2e, exampleLead, HOUR, MINUTE, startE2e } from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';

describe('a capped rep who is full frees a place (ADR 0040)', () => {
  const base = loadDefaultSla();
  const sla: Sla = {
    ...base,
    routing: {
      ...base.routing,
      reps: base.routing.reps.map((rep) => (rep.id === 'jonas' ? { ...rep, capacity: 1 } : rep)),
      queues: base.routing.queues.map((queue) =>
        queue.id === 'equipment-sales' ? { ...queue, reps: ['jonas'] } : queue,
      ),
    },
  };
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e({ sla });
  });
  afterAll(async () => {
    await e2e.close();
  });

  it('parks the second SQL with nobody, then gives it to Jonas an hour later once his lead is disqualified', async () => {
    // Arrange: A takes Jonas's place, B finds him full
    const first = await e2e.postLead({ ...exampleLead('hot'), email: 'a@plant-a.example', firstName: 'A' });
    await e2e.settle();
    const second = await e2e.postLead({ ...exampleLead('hot'), email: 'b@plant-b.example', firstName: 'B' });
    await e2e.settle();
    const a = (first.body as { leadId: string }).leadId;
    const b = (second.body as { leadId: string }).leadId;
    expect((await e2e.readLead(a)).owner?.id).toBe('jonas');
    const waiting = await e2e.readLead(b);
    expect(waiting.owner).toBeNull();
    expect(e2e.execution(b).status).toBe('PARKED');
    // Act: A disqualified, the hour of B's retry passes (A's reservation expired long before)
    const dq = await e2e.request('PATCH', `/leads/${a}/status`, { json: { status: 'unqualified' } });
    expect(dq.status, JSON.stringify(dq.body)).toBe(200);
    await e2e.settle();
    await e2e.advanceBy(HOUR + MINUTE);
    await e2e.settle();
    // Assert: no reservation or count keeps the place: B is Jonas's
    const taken = await e2e.readLead(b);
    expect(taken.owner?.id).toBe('jonas');
  }, 90_000);
});
