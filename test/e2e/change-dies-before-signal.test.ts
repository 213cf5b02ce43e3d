/**
 * A change of a waiting lead whose process dies after its write and before the signal that wakes the lead (a
 * killed Lambda, between two requests of one route). The form post and the events route already make their
 * write say the lead must wake (withWakeWanted, ADR 0057 amended); the consent confirmation, a rep's or an
 * integration's sales change and an owner change wrote the change alone, then signalled. Dying between, a
 * dormant lead stayed dormant for good: a person who confirmed their subscription never got the nurture they
 * confirmed (found by `npm run bench:chaos --seed 11 --speed 7200`: "consent confirmed, never nurtured"), and a
 * parked one waited for its deadline. Now each write takes the parked token or makes the dormant lead due, so
 * the reconciler wakes it within its grace.
 *
 * The whole local runtime; the change goes over HTTP to a second API server on the runtime's deps whose store
 * and workflow die once the state write landed. INJECTED: the death (every later call throws, as a killed
 * Lambda makes none): a SIGKILL cannot be timed between two requests of one route.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../local/http-server.ts';
import { startDyingServer } from '../support/dying-server.ts';
import { consentLinkOf, E2E_ADMIN_TOKEN, type E2e, exampleLead, MINUTE, startE2e } from '../support/e2e.ts';

describe('a change of a waiting lead whose process dies between its write and its signal', () => {
  let e2e: E2e;
  let dying: RunningServer | undefined;
  beforeEach(async () => {
    e2e = await startE2e({ reconcileEveryMs: 0 });
  });
  afterEach(async () => {
    await dying?.close();
    await e2e.close();
  });

  /** a server on the runtime's deps whose process dies once its first state write landed */
  async function dyingServer(): Promise<string> {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    dying = await startDyingServer(e2e, { after: 'saveLead' }, { workflowDies: true });
    return dying.url;
  }

  it('a dormant lead whose person confirmed the subscription gets its nurture within minutes', async () => {
    // Arrange: a plant manager downloads a guide and ticks the newsletter box: an MQL, dormant until confirmed
    const guide: Record<string, unknown> = { ...exampleLead('hot'), formId: 'efficiency-guide', message: '' };
    const email = String(guide.email);
    const leadId = e2e.leadIdOf(email);
    expect((await e2e.postLead(guide)).status).toBe(202);
    await e2e.settle();
    expect((await e2e.runtime.deps.store.getLead(leadId))?.dormant).toBeDefined();
    const asked = (await e2e.mailsTo(email)).find((mail) => consentLinkOf(mail));
    const link = new URL(consentLinkOf(asked!)!);

    // Act: the person presses "confirm"; the process dies after the write; three minutes on, the reconciler
    const url = `${await dyingServer()}${link.pathname}`;
    const died = await fetch(url, { method: 'POST', headers: { accept: 'text/html' } });
    await e2e.settle();
    const confirmed = await e2e.readLead(leadId);
    const mailsBefore = (await e2e.mailsTo(email)).length;
    await e2e.advanceBy(3 * MINUTE);
    await e2e.runtime.reconciler.run();
    await e2e.settle();

    // Assert: the confirmation was saved, the request failed, and the reconciler's wake sent the first email
    expect(died.status).toBe(500);
    expect(confirmed.consent?.status).toBe('confirmed');
    expect(mailsBefore).toBe(1);
    const nurture = (await e2e.mailsTo(email)).filter((mail) => !consentLinkOf(mail));
    expect(nurture.length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['a rep sets a status', 'PATCH', 'status', { status: 'connected' }],
    ['ops give the lead to another rep', 'POST', 'owner', { owner: 'lena' }],
  ] as const)(
    '%s on a parked SQL: the lead is woken within minutes, not at its deadline',
    async (_, method, route, body) => {
      // Arrange: a hot lead, handed to a rep, parked on its first-touch clock
      const lead = { ...exampleLead('hot'), email: `buyer-${route}@plant-dies.example` };
      const leadId = e2e.leadIdOf(lead.email);
      expect((await e2e.postLead(lead)).status).toBe(202);
      await e2e.settle();
      const parked = await e2e.runtime.deps.store.getLead(leadId);
      expect(parked?.waitToken).toBeDefined();

      // Act: the change's process dies after its write
      const died = await fetch(`${await dyingServer()}/leads/${leadId}/${route}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
        body: JSON.stringify(body),
      });
      await e2e.settle();
      const written = await e2e.runtime.deps.store.getLead(leadId);
      await e2e.advanceBy(3 * MINUTE);
      const report = await e2e.runtime.reconciler.run();
      await e2e.settle();

      // Assert: the write kept the token for the reconciler (due now), which sent it: the lead woke and parked anew
      expect(died.status).toBe(500);
      expect(written).toMatchObject({ signalled: parked?.waitToken, dueAt: expect.any(String) });
      expect(written?.waitToken).toBeUndefined();
      expect(report).toBeDefined();
      const after = await e2e.runtime.deps.store.getLead(leadId);
      expect(after?.signalled).toBeUndefined();
      expect(after?.waitToken).toBeDefined();
      expect(after?.waitToken).not.toBe(parked?.waitToken);
    },
  );
});
