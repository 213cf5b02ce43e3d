/**
 * A known person's form post whose submission is written (the lead's state: its 'submitted' entry, the event
 * folded) and whose clean-up after that write DynamoDB throttles past the SDK's retries: the deletion of the
 * event's copy in the wake's read (ADR 0057). It was answered 503 "send the form again": untrue, the post was
 * taken, and the resend a second submission (found by the throttled burst on one lead,
 * test/e2e/burst-one-lead.test.ts: a re-post answered 503 whose 'submitted' entry was on the timeline). The copy
 * left is the wake's to move once stale, as after a post that died there; the post is answered as stored.
 *
 * The real local API (dynalite, HTTP over a socket), through a second server on the runtime's deps whose store's
 * `deleteReadCopy` throws DynamoDB's ThrottlingException. INJECTED: that exception (the SDK's own class, as the
 * client throws it past its retries), on the one call a fault proxy cannot pick out of a request's calls.
 */
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { extendDeps } from '../../lambdas/api/deps.ts';
import { type LeadStore, withMovedEntries } from '../../lambdas/ports/lead-store.ts';
import { type RunningServer, startApiServer } from '../../local/http-server.ts';
import { ADMIN_TOKEN, SQL_LEAD, useLocalApi } from '../support/local-api.ts';

/** The store with `method` throttled past the SDK's retries on every call. */
function failing(store: LeadStore, method: keyof LeadStore): LeadStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== method) return typeof value === 'function' ? value.bind(target) : value;
      return async () => {
        throw new DynamoDBServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400, attempts: 3 },
          message: 'Rate of requests exceeds the allowed throughput.',
        });
      };
    },
  });
}

describe('a form post whose event is stored, and whose work on its lead DynamoDB throttles', () => {
  const api = useLocalApi();
  let server: RunningServer;
  let readsThrottled: RunningServer;
  let nothingMadeDue: RunningServer;

  beforeAll(async () => {
    const store = api.runtime.deps.store;
    readsThrottled = await startApiServer({
      deps: extendDeps(api.runtime.deps, { store: failing(store, 'getLead') }),
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
    nothingMadeDue = await startApiServer({
      deps: extendDeps(api.runtime.deps, { store: failing(failing(store, 'makeDueForNews'), 'getLead') }),
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
    server = await startApiServer({
      deps: extendDeps(api.runtime.deps, { store: failing(store, 'deleteReadCopy') }),
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
  });

  afterAll(async () => {
    await server?.close();
    await readsThrottled?.close();
    await nothingMadeDue?.close();
  });

  it('after its write (the clean-up of the read copy): answers as stored (202), its submission recorded once', async () => {
    // Arrange: a lead the person made before
    const email = api.uniqueEmail('again');
    const leadId = await api.createLead({ email, firstName: 'Petra', ...SQL_LEAD });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    // Act: the same person posts the form again
    const response = await fetch(`${server.url}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, firstName: 'Petra', phone: '+49 89 555 0101', ...SQL_LEAD }),
    });
    const text = await response.text();

    // Assert: taken (its write landed), not "send the form again"
    expect(response.status, text).toBe(202);
    const lead = (await api.runtime.deps.store.getLead(leadId))!;
    const story = (await withMovedEntries(api.runtime.deps.store, lead)).timeline;
    expect(story.filter((entry) => entry.kind === 'submitted')).toHaveLength(1);
    expect(lead.fields.phone).toBe('+49 89 555 0101');
  });
  it('before its write (the read of its lead): answers as stored (202), its event kept once for the wake', async () => {
    // Arrange
    const email = api.uniqueEmail('deferred');
    const leadId = await api.createLead({ email, firstName: 'Petra', ...SQL_LEAD });
    // its workflow parked until next week, as a lead waits between its timers
    const lead = (await api.runtime.deps.store.getLead(leadId))!;
    const parked = await api.runtime.deps.store.parkLead({
      leadId,
      cycle: lead.cycle,
      expectedVersion: lead.version,
      waitToken: `${leadId}-token`,
      dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      sent: [],
    });
    expect(parked).toBe('parked');
    const events = (await api.runtime.deps.store.listEvents(leadId)).length;
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    // Act: posted again while DynamoDB refuses the reads of the lead
    const response = await fetch(`${readsThrottled.url}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, firstName: 'Petra', ...SQL_LEAD }),
    });
    const text = await response.text();

    // Assert: its event is stored (the lead's next wake folds it, as a post's that gave up to contention: ADR
    // 0010): it was answered 503 "send the form again", and the resend was a second submission of one post
    expect(response.status, text).toBe(202);
    expect(await api.runtime.deps.store.listEvents(leadId)).toHaveLength(events + 1);
    // ...and its lead is due now, made so before the reads were refused: the reconciler wakes it, and that wake
    // reads the event (a dormant lead has no other wake to come)
    expect((await api.runtime.deps.store.getLead(leadId))!.dueAt! <= new Date().toISOString()).toBe(true);
  });

  it('before its write, with its lead not made due either: 503 "send the form again", not a 202 nobody acts on', async () => {
    // Arrange: a lead whose workflow is parked until next week
    const email = api.uniqueEmail('not-due');
    const leadId = await api.createLead({ email, firstName: 'Petra', ...SQL_LEAD });
    const lead = (await api.runtime.deps.store.getLead(leadId))!;
    const dueBefore = new Date(Date.now() + 7 * 86_400_000).toISOString();
    expect(
      await api.runtime.deps.store.parkLead({
        leadId,
        cycle: lead.cycle,
        expectedVersion: lead.version,
        waitToken: `${leadId}-token`,
        dueAt: dueBefore,
        sent: [],
      }),
    ).toBe('parked');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    // Act: posted again while DynamoDB refuses the making due and the reads of the lead
    const response = await fetch(`${nothingMadeDue.url}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, firstName: 'Petra', ...SQL_LEAD }),
    });
    const text = await response.text();

    // Assert: nothing would fold the event before the lead's next deadline (a dormant lead: never), so the
    // person is asked to send the form again (its resend folds both), as before
    expect(response.status, text).toBe(503);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'temporarily_unavailable' } });
    expect((await api.runtime.deps.store.getLead(leadId))!.dueAt).toBe(dueBefore);
  });
});
