/**
 * A lead's events reach a healthy receiver in `seq` order while the sweep runs (docs/integrations.md: locally
 * a lead's events are sent to each subscription in order). A webhooks trial found otherwise: 6 leads at once,
 * each with 10 `no-answer` attempts back to back; a receiver that always answered 200 got one lead's attempt
 * #3 (seq 7) a second after its recycle (seq 11), every delivery at its first attempt. The sweep published the
 * lead beside its own publish: it stored attempt #3's delivery first, so the lead's publish found it stored and
 * did not send it, and the sweep sent it only after the rest of its pass, when the lead's later publishes had
 * sent seq 8 to 11. The whole local runtime on dynalite, a receiver on 127.0.0.1 verifying every delivery.
 */
import { describe, expect, it, vi } from 'vitest';
import type { EventLog } from '../../lambdas/ports/events.ts';
import { type E2e, exampleLead } from '../support/e2e.ts';
import { useSubscribedE2e } from '../support/subscribed-e2e.ts';
import type { WebhookReceiver } from '../support/webhook-receiver.ts';

const subscribed = useSubscribedE2e();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(sweepEveryMs: number): Promise<{ e: E2e; receiver: WebhookReceiver; leadId: string }> {
  const { e, receiver } = await subscribed({ sweepEveryMs });
  const hot = exampleLead('hot');
  expect((await e.postLead(hot)).status).toBe(202);
  await e.settle();
  return { e, receiver, leadId: e.leadIdOf(String(hot.email)) };
}

const attempt = (e: E2e, leadId: string) =>
  e.request('POST', `/leads/${leadId}/attempts`, { json: { outcome: 'no-answer', channel: 'phone' } });

/** the next call of `method` that `when` picks waits for release(); `reached` resolves when it is made */
function holdNext<K extends 'publishedThrough' | 'dueDeliveries'>(
  log: EventLog,
  method: K,
  when: (...args: Parameters<EventLog[K]>) => boolean,
) {
  const original = log[method].bind(log) as (...args: Parameters<EventLog[K]>) => ReturnType<EventLog[K]>;
  let reach = () => {};
  let release = () => {};
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let armed = true;
  vi.spyOn(log, method).mockImplementation((async (...args: Parameters<EventLog[K]>) => {
    if (armed && when(...args)) {
      armed = false;
      reach();
      await released;
    }
    return original(...args);
  }) as never);
  return { reached, release };
}

/** the lead's deliveries as the receiver got them: seq, and the attempt's number for attempts */
function arrivals(receiver: WebhookReceiver, leadId: string) {
  return receiver
    .accepted()
    .map((delivery) => delivery.payload.data)
    .filter((event) => event.leadId === leadId)
    .map((event) => ({
      seq: event.seq,
      type: String(event.type),
      attemptNo: (event.data as { attemptNo?: number }).attemptNo,
    }));
}

describe("events out: a lead's events in seq order while the sweep publishes it too", () => {
  it("sends an event the sweep published before the lead's later events, not after them", async () => {
    // Arrange: the hot lead's story delivered; the lead's next publish held at its cursor read, and the sweep
    // held at its read of the due deliveries (after its own publishes)
    const { e, receiver, leadId } = await start(0);
    const log = e.runtime.events.deps.log;
    const publish = holdNext(log, 'publishedThrough', (id) => id === leadId);
    const sweepSends = holdNext(log, 'dueDeliveries', (until) => !until.startsWith('9999'));
    const before = arrivals(receiver, leadId).length;

    // Act: attempt #1 (its publish held); a sweep meanwhile; then attempt #2, and the sweep goes on
    expect((await attempt(e, leadId)).status).toBe(201);
    await publish.reached;
    const sweep = e.runtime.events.sweep();
    // before the fix the sweep publishes the lead at once and reaches its due deliveries; now its publish
    // waits for the lead's own, held: it does not get there
    await Promise.race([sweepSends.reached, sleep(500)]);
    publish.release();
    await e.settle();
    expect((await attempt(e, leadId)).status).toBe(201);
    await e.settle();
    sweepSends.release();
    await sweep;
    await e.runtime.events.idle();

    // Assert: each event once, in seq order, attempt #1 before attempt #2
    const got = arrivals(receiver, leadId).slice(before);
    expect(
      got.filter((event) => event.type === 'lead.attempt_logged').map((event) => event.attemptNo),
    ).toEqual([1, 2]);
    const seqs = got.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(receiver.accepted().length).toBe(new Set(receiver.accepted().map((d) => d.id)).size);
  }, 30_000);

  it('keeps seq order for leads logging attempts back to back while sweeps run beside them (the trial)', async () => {
    // Arrange: 4 hot leads, their stories delivered; sweeps one after another all along (every 10 s by default)
    const { e, receiver } = await start(0);
    const leads = await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        const lead = { ...exampleLead('hot'), email: `par${n}@acme-food.example` };
        expect((await e.postLead(lead)).status).toBe(202);
        return e.leadIdOf(lead.email);
      }),
    );
    await e.settle();
    let sweeping = true;
    const sweeps = (async () => {
      while (sweeping) await e.runtime.events.sweep();
    })();

    // Act: on each lead at once, 10 `no-answer` attempts back to back (the cadence recycles it after 6)
    await Promise.all(
      leads.map(async (leadId) => {
        for (let k = 0; k < 10; k++) await attempt(e, leadId);
      }),
    );
    await e.runtime.engine.settle();
    await sleep(300);
    sweeping = false;
    await sweeps;
    await e.settle();

    // Assert: no retries involved, and each lead's attempts and recycle in seq order
    expect(e.runtime.events.figures().retrying).toBe(0);
    for (const leadId of leads) {
      const got = arrivals(receiver, leadId);
      expect(
        got.filter((event) => event.type === 'lead.attempt_logged').map((event) => event.attemptNo),
      ).toEqual([1, 2, 3, 4, 5, 6]);
      expect(got.some((event) => event.type === 'lead.recycled')).toBe(true);
      const seqs = got.map((event) => event.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  }, 60_000);
});
