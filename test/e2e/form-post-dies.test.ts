/**
 * A post of news about a known lead (a form post to a known address, an integration's events) whose process
 * dies with the news stored and before the state write that folds it and the signal that wakes the lead (a
 * killed Lambda; the post answers 500). Before 2026-12-05 nothing woke the lead: a parked lead waited for its
 * deadline (a nurture park: a week), a dormant one for its next news, and a form post's event lay apart from
 * the wake's read with no mark, never folded. An MQL that asked for a demo stayed an MQL, its rep never told.
 * Now the post makes the waiting lead due before it writes (and a form post's event is in the wake's read):
 * the reconciler wakes it within its grace, and that wake folds the news (ADR 0057 amended).
 *
 * The whole local runtime (dynalite, the ASL on the local engine, the SES emulator, the reconciler), the post
 * over HTTP to a second API server on the runtime's deps whose store dies at the state write. INJECTED: the
 * death (that call and every later one throw, as a killed Lambda makes none): a SIGKILL cannot be timed
 * between two requests of one post.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../local/http-server.ts';
import { startDyingServer } from '../support/dying-server.ts';
import { E2E_ADMIN_TOKEN, type E2e, exampleLead, MINUTE, startE2e } from '../support/e2e.ts';

describe('a post of news about a known lead whose process dies before its write', () => {
  let e2e: E2e;
  let dying: RunningServer | undefined;
  beforeEach(async () => {
    e2e = await startE2e({ reconcileEveryMs: 0 });
  });
  afterEach(async () => {
    await dying?.close();
    await e2e.close();
  });

  /** POSTs `body` to `path` on an API server whose process dies at its state write */
  async function postDying(path: string, body: unknown) {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    dying = await startDyingServer(e2e, { at: 'saveLead' });
    return fetch(`${dying.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
      body: JSON.stringify(body),
    });
  }

  /** the demo request, by a form post or by an integration's event */
  const demoRequests = {
    'a form post': (_leadId: string) =>
      postDying('/leads', { ...exampleLead('hot'), formId: 'demo-request' }),
    'an event': (leadId: string) =>
      postDying(`/leads/${leadId}/events`, {
        eventId: 'crm-demo-1',
        type: 'demo_request',
        occurredAt: e2e.now().toISOString(),
      }),
  };

  it.each([
    ['dormant (its subscription not confirmed)', 'a form post', false],
    ['parked in nurture (a week to its next email)', 'a form post', true],
    ['dormant (its subscription not confirmed)', 'an event', false],
    ['parked in nurture (a week to its next email)', 'an event', true],
  ] as const)(
    'an MQL %s that asks for a demo by %s is handed to a rep within minutes',
    async (_how, by, confirmed) => {
      // Arrange: a plant manager downloads a guide (an MQL), then asks for a demo
      const guide: Record<string, unknown> = {
        ...exampleLead('hot'),
        formId: 'efficiency-guide',
        message: '',
      };
      const leadId = e2e.leadIdOf(String(guide.email));
      expect((await e2e.postLead(guide)).status).toBe(202);
      await e2e.settle();
      if (confirmed) {
        expect((await e2e.confirmSubscription(String(guide.email))).status).toBeLessThan(400);
        await e2e.settle();
      }
      const before = await e2e.readLead(leadId);
      expect(before.lifecycleStage).toBe('mql');
      expect(before.owner).toBeNull();
      const waiting = await e2e.runtime.deps.store.getLead(leadId);
      expect(confirmed ? waiting?.waitToken : waiting?.dormant).toBeDefined();

      // Act: the demo request's post dies; three minutes on, the reconciler sweeps
      const died = await demoRequests[by](leadId);
      await e2e.settle();
      const afterDeath = await e2e.readLead(leadId);
      await e2e.advanceBy(3 * MINUTE);
      const report = await e2e.runtime.reconciler.run();
      await e2e.settle();

      // Assert: the post failed, nothing woke the lead until the reconciler; then its wake read the demo request
      expect(died.status).toBe(500);
      expect(afterDeath.lifecycleStage).toBe('mql');
      expect(afterDeath.eventCount).toBe(before.eventCount + 1);
      expect(report).toBeDefined();
      const after = await e2e.readLead(leadId);
      expect(after.lifecycleStage).toBe('sql');
      expect(after.owner?.id).toBeTruthy();
      const told = (await e2e.mailsAbout(String(guide.email))).filter((mail) =>
        mail.subject.includes('New SQL'),
      );
      expect(told).toHaveLength(1);
    },
  );
});
