/**
 * POST /unsubscribe/{token} (the page's button and RFC 8058 one-click posts) is crash-safe and stores its
 * history event once. The write that unsubscribes is the commit point and names the event it commits
 * (`unsubscribedAt`, domain/consent.ts unsubscribeEvent: the lead, its cycle and the withdrawal's time);
 * the event is stored after it with a conditional put of that one key. A request that crashed between
 * the two is completed by the next post of an unsubscribe link (the person clicks again, the mail
 * client retries its one-click post): the event is stored then, once, and the workflow is woken.
 * On DynamoDB (dynalite) through the adapter, and on the memory store.
 * INJECTED FAULT: a store wrapper that dies after the write that unsubscribes, before the event (as a
 * Lambda function killed between the two calls); a workflow whose signal dies once.
 */
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { postUnsubscribeHandler } from '../../lambdas/api/actions.ts';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import type { HttpResult } from '../../lambdas/api/http.ts';
import { signActionToken } from '../../lambdas/domain/action-links.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import type { SignalledLead } from '../../lambdas/ports/workflow.ts';
import { RecordingWorkflow } from '../../local/recording-workflow.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID as LEAD, leadState } from '../support/lead-state.ts';
import { oneClickEvent } from '../support/one-click.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const SECRET = 'unsubscribe-crash-secret-0123456789abcdef';
const AT = new Date('2026-12-07T09:00:00.000Z');
const MINUTE = 60_000;

/** the link as a nurture email carries it (each email its own nonce) */
function link(nonce: string): string {
  return signActionToken(
    {
      leadId: LEAD,
      cycle: 1,
      action: 'unsubscribe',
      value: '',
      nonce,
      exp: Math.floor(AT.getTime() / 1000) + 86_400,
    },
    SECRET,
  );
}

/** INJECTED FAULT: the function dies right after the write that unsubscribes lands */
function diesAfterUnsubscribing(store: LeadStore): LeadStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'saveLead') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<LeadStore['saveLead']>) => {
        const saved = await target.saveLead(...args);
        if (saved === 'saved' && args[0].unsubscribed)
          throw Object.assign(new Error('injected: the function died'), { name: 'Runtime.ExitError' });
        return saved;
      };
    },
  });
}

describe('an unsubscribe that crashed between its write and its event', () => {
  const dynalite = useDynalite();
  // the crashed request's error is logged (no personal data): kept out of the test output
  beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => undefined));

  const stores: [string, () => LeadStore][] = [
    [
      'DynamoDB (dynalite)',
      () => new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName, carry: storyCarrier(sla) }),
    ],
    ['memory', () => new MemoryLeadStore()],
  ];

  async function arrange(makeStore: () => LeadStore) {
    const store = makeStore();
    expect(await store.createLead(leadState({ slaVersion: sla.version, waitToken: 'token-1' }))).toBe(
      'created',
    );
    let now = AT;
    const workflow = new RecordingWorkflow();
    const deps = (over: Partial<ApiDeps> = {}): ApiDeps => ({
      sla,
      store,
      workflow,
      clock: { now: () => now },
      leadIdSecret: 'unsubscribe-crash-lead-id-secret-0123456789',
      allowedOrigins: [],
      actionSecret: SECRET,
      publicBaseUrl: 'https://leadpact.test',
      ...over,
    });
    const post = (over: Partial<ApiDeps>, token: string): Promise<HttpResult> =>
      postUnsubscribeHandler(deps(over))(oneClickEvent(token), {} as Context);
    const later = () => {
      now = new Date(now.getTime() + MINUTE);
    };
    return { store, workflow, post, later };
  }

  async function unsubscribeEvents(store: LeadStore) {
    return (await store.listEvents(LEAD)).filter((event) => event.type === 'unsubscribe');
  }

  it.each(
    stores.flatMap(([name, makeStore]) => [
      [name, 'the mail client retries its one-click post', 'first', makeStore] as const,
      [name, 'the person clicks the link of another email', 'second', makeStore] as const,
    ]),
  )('%s: %s: the event is stored once, the workflow woken', async (_, _retry, nonce, makeStore) => {
    // Arrange: the first post unsubscribes, and dies before its event
    const { store, workflow, post, later } = await arrange(makeStore);
    const crashed = await post({ store: diesAfterUnsubscribing(store) }, link('first'));
    expect(crashed.statusCode).toBe(500);
    const between = (await store.getLead(LEAD))!;
    expect(between).toMatchObject({ unsubscribed: true, marketingConsent: false });
    expect(await unsubscribeEvents(store)).toEqual([]);
    expect(workflow.calls).toEqual([]);
    // Act: a minute later
    later();
    const retried = await post({}, link(nonce));
    // Assert
    expect(retried.statusCode).toBe(200);
    expect(retried.body).toContain('You are unsubscribed');
    const lead = (await store.getLead(LEAD))!;
    expect(lead.version).toBe(between.version);
    expect(lead.timeline.filter((entry) => entry.kind === 'unsubscribed')).toHaveLength(1);
    expect(await unsubscribeEvents(store)).toEqual([
      expect.objectContaining({ occurredAt: AT.toISOString(), properties: { source: 'email-link' } }),
    ]);
    expect(workflow.calls).toEqual([{ action: 'signal', leadId: LEAD, detail: 'unsubscribed' }]);
  });

  it.each(stores)(
    '%s: a retry of the same one-click post after the event was stored adds nothing',
    async (_, makeStore) => {
      // Arrange: the first post stores its event, then dies as it wakes the workflow
      const { store, workflow, post, later } = await arrange(makeStore);
      const dying = new RecordingWorkflow({
        start: async () => undefined,
        stop: async () => undefined,
        signal: async (_lead: SignalledLead) => {
          throw Object.assign(new Error('injected: the function died'), { name: 'Runtime.ExitError' });
        },
      });
      expect((await post({ workflow: dying }, link('first'))).statusCode).toBe(500);
      expect(await unsubscribeEvents(store)).toHaveLength(1);
      // Act: the mail client retries its one-click post
      later();
      const retried = await post({}, link('first'));
      // Assert: one event; the lost signal costs latency only (the park's timer re-reads the lead)
      expect(retried.statusCode).toBe(200);
      expect(await unsubscribeEvents(store)).toHaveLength(1);
      expect(workflow.calls).toEqual([]);
      expect((await store.getLead(LEAD))!.unsubscribed).toBe(true);
    },
  );
});
