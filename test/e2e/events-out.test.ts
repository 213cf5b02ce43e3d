/**
 * Events out end to end (issue 14): the whole local runtime with a webhook subscription to a receiver
 * on a real socket that verifies every delivery with the `standardwebhooks` package. A hot lead runs
 * from the form to a won deal; a receiver that answers 500 for a while gets every event once it
 * recovers. Time is virtual (retries wait on the scheduler, not on a real timer).
 */

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../lambdas/domain/event-schemas.ts';
import { LEAD_EVENT_TYPES, type LeadEventType } from '../../lambdas/domain/lead-events.ts';
import { exampleLead, MINUTE } from '../support/e2e.ts';
import { useSubscribedE2e } from '../support/subscribed-e2e.ts';

const start = useSubscribedE2e();

describe('events out: webhooks', () => {
  it('tells a subscribed receiver the whole story of a hot lead, form to won deal, as signed events', async () => {
    // Arrange
    const { e, receiver } = await start();
    const hot = exampleLead('hot');
    const leadId = e.leadIdOf(String(hot.email));

    // Act: the form post, a connected call within the first-touch SLA, the deal from discovery to won
    await e.postLead(hot);
    await e.settle();
    await e.advanceBy(30 * MINUTE);
    const call = await e.request('POST', `/leads/${leadId}/attempts`, {
      json: { attemptId: 'call-1', outcome: 'connected', channel: 'phone' },
    });
    await e.settle();
    for (const stage of ['discovery', 'quote-presented', 'closed-won']) {
      const moved = await e.request('PUT', `/leads/${leadId}/deal`, { json: { stage } });
      expect(moved.status).toBe(200);
      await e.settle();
    }

    // Assert: every delivery verified by standardwebhooks, one per event, in the lead's story order
    expect(call.status).toBe(201);
    expect(receiver.rejected).toEqual([]);
    const events = receiver.accepted().map((delivery) => delivery.payload);
    expect(events.length).toBeGreaterThan(8);
    expect(new Set(events.map((event) => event.data.id)).size).toBe(events.length);
    for (const delivery of receiver.accepted()) expect(delivery.id).toBe(delivery.payload.data.id);
    const seqs = events.map((event) => event.data.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const story = events.map((event) => [event.type, event.data.data]);
    expect(story).toEqual(
      expect.arrayContaining([
        ['lead.created', { stage: 'sql' }],
        ['lead.judged', expect.objectContaining({ qualifiesAs: 'sql', persona: expect.any(String) })],
        ['lead.assigned', { ownerId: 'jonas' }],
        ['lead.first_touch_met', expect.objectContaining({ ownerId: 'jonas' })],
        ['lead.attempt_logged', expect.objectContaining({ attemptNo: 1, ownerId: 'jonas' })],
        ['lead.status_changed', expect.objectContaining({ from: 'new', to: 'connected' })],
        ['deal.stage_changed', { to: 'discovery' }],
        ['deal.stage_changed', { from: 'discovery', to: 'quote-presented' }],
        ['deal.stage_changed', { from: 'quote-presented', to: 'closed-won' }],
        ['lead.stage_changed', { from: 'opportunity', to: 'customer' }],
      ]),
    );
    expect(events.every((event) => LEAD_EVENT_TYPES.includes(event.type as never))).toBe(true);
    // each as its JSON Schema says (docs/events/)
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    for (const event of events) {
      const validate =
        ajv.getSchema(`https://leadpact.dev/events/${event.type}.schema.json`) ??
        ajv.compile(eventSchema(event.type as LeadEventType));
      expect(validate(event.data), JSON.stringify(validate.errors)).toBe(true);
    }
    const created = events.find((event) => event.type === 'lead.created')!;
    expect(created.data).toMatchObject({
      leadId,
      cycle: 1,
      schemaVersion: 1,
      slaVersion: e.sla.version,
      contact: { email: hot.email },
    });
    expect((created.data.reasons as unknown[]).length).toBeGreaterThan(0);
  });

  it('delivers every event to a receiver that answered 500 for a while, none lost, repeats only with the same id', async () => {
    // Arrange: the receiver fails from the start
    const { e, receiver } = await start();
    receiver.failWith(500);
    const hot = exampleLead('hot');
    const leadId = e.leadIdOf(String(hot.email));

    // Act: the lead's first events fail; 30 minutes of retries (5 s, 20 s, 80 s, 320 s, 21 min); then it recovers
    await e.postLead(hot);
    await e.settle();
    const firstFailures = receiver.received.length;
    const failing = await e.request('GET', '/webhooks/deliveries?status=retrying', {
      token: 'e2e-admin-token-3b9d0c7f21',
    });
    await e.advanceBy(30 * MINUTE);
    const failedAttempts = receiver.received.length;
    receiver.failWith(undefined);
    await e.advanceBy(2 * 60 * MINUTE);

    // Assert
    expect(firstFailures).toBeGreaterThan(0);
    expect(failing.status).toBe(200);
    const listed = (failing.body as { deliveries: { status: string; lastError: string; leadId: string }[] })
      .deliveries;
    expect(listed.length).toBe(firstFailures);
    expect(
      listed.every((d) => d.status === 'retrying' && d.lastError === 'HTTP 500' && d.leadId === leadId),
    ).toBe(true);
    // each event was tried 5 more times while failing: at 5 s, 20 s, 80 s, 320 s and 1280 s after the last
    expect(failedAttempts).toBe(firstFailures * 6);
    expect(receiver.rejected).toEqual([]);
    const accepted = receiver.accepted();
    const failedIds = new Set(receiver.received.filter((d) => d.answered >= 500).map((d) => d.id));
    const acceptedIds = new Set(accepted.map((d) => d.id));
    expect(acceptedIds).toEqual(failedIds);
    expect(accepted.length).toBe(acceptedIds.size);
    // the same id always carried the same event
    for (const delivery of receiver.received) {
      const same = receiver.received.filter((other) => other.id === delivery.id);
      expect(new Set(same.map((other) => `${other.payload.type}|${other.payload.data.seq}`)).size).toBe(1);
    }
    const delivered = await e.request('GET', '/webhooks/deliveries?status=delivered', {
      token: 'e2e-admin-token-3b9d0c7f21',
    });
    expect((delivered.body as { deliveries: unknown[] }).deliveries.length).toBeGreaterThanOrEqual(
      acceptedIds.size,
    );
  });

  it('lists deliveries that failed for good and replays one: the same webhook-id, delivered', async () => {
    // Arrange: a receiver down for the whole retry schedule (~16 hours)
    const { e, receiver } = await start();
    receiver.failWith(503);
    await e.postLead(exampleLead('hot'));
    await e.settle();
    await e.advanceBy(17 * 60 * MINUTE);
    const token = 'e2e-admin-token-3b9d0c7f21';
    const failed = await e.request('GET', '/webhooks/deliveries?status=failed&limit=2', { token });
    const page = failed.body as {
      deliveries: { deliveryId: string; eventId: string; attempts: number }[];
      cursor?: string;
    };
    const next = await e.request('GET', `/webhooks/deliveries?status=failed&cursor=${page.cursor}`, {
      token,
    });
    receiver.failWith(undefined);

    // Act
    const target = page.deliveries[0]!;
    const replay = await e.request('POST', `/webhooks/deliveries/${target.deliveryId}/replay`, { token });
    await e.settle();
    const unknown = await e.request(
      'POST',
      '/webhooks/deliveries/dlv_00000000000000000000000000000000/replay',
      {
        token,
      },
    );
    const badStatus = await e.request('GET', '/webhooks/deliveries?status=lost', { token });

    // Assert
    expect(failed.status).toBe(200);
    expect(page.deliveries).toHaveLength(2);
    expect(page.deliveries.every((d) => d.attempts === 9)).toBe(true);
    expect(page.cursor).toEqual(expect.any(String));
    expect(
      (next.body as { deliveries: { deliveryId: string }[] }).deliveries.map((d) => d.deliveryId),
    ).not.toContain(target.deliveryId);
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ deliveryId: target.deliveryId, status: 'pending', attempts: 0 });
    expect(receiver.accepted().map((d) => d.id)).toEqual([target.eventId]);
    const after = await e.request('GET', '/webhooks/deliveries?status=delivered', { token });
    expect(
      (after.body as { deliveries: { deliveryId: string }[] }).deliveries.map((d) => d.deliveryId),
    ).toContain(target.deliveryId);
    expect(unknown.status).toBe(404);
    expect(badStatus.status).toBe(400);
    expect(badStatus.body).toMatchObject({ error: { fields: [{ path: 'status' }] } });
  });
});
