/**
 * A dormant lead the reconciler restarts (a change made it due and its process died before the signal that
 * would have taken its dormant mark, ADR 0057 amended) must not keep that mark once its next generation runs:
 * the mark says "the execution ended, the next signal starts generation N + 1", which is no longer true. Kept,
 * a later form post of a lead that has ended for good made it due (makeDueForNews reads the mark as dormancy)
 * and its signal took the stale mark (takeDormancy: generation N + 1 again, ended), so the reconciler started a
 * spare execution of a lead with nothing to do, counted as a lost workflow (LeadsRestarted, alarmed on AWS).
 * Here: a confirmation whose process died, the restarted lead made an SQL by a demo request and disqualified.
 *
 * The whole local runtime; the change goes over HTTP to a second API server on the runtime's deps whose store
 * and workflow die once the state write landed. INJECTED: the death (every later call throws, as a killed
 * Lambda makes none).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../local/http-server.ts';
import { startDyingServer } from '../support/dying-server.ts';
import { consentLinkOf, type E2e, exampleLead, MINUTE, startE2e } from '../support/e2e.ts';

describe('a dormant lead restarted by the reconciler', () => {
  let e2e: E2e;
  let dying: RunningServer | undefined;
  beforeEach(async () => {
    e2e = await startE2e({ reconcileEveryMs: 0 });
  });
  afterEach(async () => {
    await dying?.close();
    await e2e.close();
  });

  it('drops its dormant mark: a later form post of the lead, disqualified meanwhile, starts nothing', async () => {
    // Arrange: a plant manager downloads a guide and ticks the newsletter box: dormant until confirmed
    const guide: Record<string, unknown> = { ...exampleLead('hot'), formId: 'efficiency-guide', message: '' };
    const email = String(guide.email);
    const leadId = e2e.leadIdOf(email);
    expect((await e2e.postLead(guide)).status).toBe(202);
    await e2e.settle();
    const dormant = await e2e.runtime.deps.store.getLead(leadId);
    expect(dormant?.dormant).toBeDefined();
    const generation = dormant?.generation ?? 0;
    // the person confirms; the process dies after the write (due now), before its signal
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    dying = await startDyingServer(e2e, { after: 'saveLead' }, { workflowDies: true });
    const link = new URL(consentLinkOf((await e2e.mailsTo(email)).find((mail) => consentLinkOf(mail))!)!);
    const died = await fetch(`${dying.url}${link.pathname}`, {
      method: 'POST',
      headers: { accept: 'text/html' },
    });
    expect(died.status).toBe(500);
    await e2e.settle();
    // the reconciler starts its next generation, whose wake sends the nurture and parks
    await e2e.advanceBy(3 * MINUTE);
    expect(await e2e.runtime.reconciler.run()).toMatchObject({ restarted: 1, restartedLeads: [leadId] });
    await e2e.settle();
    const restarted = await e2e.runtime.deps.store.getLead(leadId);
    expect(restarted).toMatchObject({ generation: generation + 1, waitToken: expect.any(String) });
    // a demo request makes the lead an SQL, handed to a rep, who disqualifies it: the workflow ends
    expect((await e2e.postLead(exampleLead('hot'))).status).toBe(202);
    await e2e.settle();
    expect((await e2e.readLead(leadId)).lifecycleStage).toBe('sql');
    const disqualified = await e2e.request('PATCH', `/leads/${leadId}/status`, {
      json: { status: 'unqualified' },
    });
    expect(disqualified.status, JSON.stringify(disqualified.body)).toBe(200);
    await e2e.settle();
    const ended = await e2e.runtime.deps.store.getLead(leadId);
    expect(ended?.status).toBe('unqualified');
    expect(ended?.dueAt).toBeUndefined();

    // Act: the person posts the guide form again; three minutes on, the reconciler runs
    expect((await e2e.postLead(guide)).status).toBe(202);
    await e2e.settle();
    await e2e.advanceBy(3 * MINUTE);
    const after = await e2e.runtime.reconciler.run();
    await e2e.settle();

    // Assert: no dormant mark once the next generation ran; nothing due after the post, nothing restarted
    expect(restarted?.dormant).toBeUndefined();
    expect((await e2e.runtime.deps.store.getLead(leadId))?.dueAt).toBeUndefined();
    expect(after).toMatchObject({ restarted: 0 });
    expect(e2e.runtime.engine.executionsOf(leadId).map((execution) => execution.name)).toEqual(
      [0, 1].map((n) => `${leadId}-c1-g${generation + n}`),
    );
  });
});
