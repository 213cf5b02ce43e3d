/**
 * A form post whose lead is stored, and whose workflow's StartExecution Step Functions throttles past the SDK's
 * retries. The lead is stored due now, so the reconciler starts its workflow within minutes (ADR 0012). Since
 * dfc600b the post was answered 503 temporarily_unavailable, "we could not take your details just now, send the
 * form again" (before it, 500): not true, the details were taken, and the person's or script's resend is a second
 * submission of a known lead. A stored lead is answered as stored; the reconciler starts it.
 *
 * The whole local runtime; the post goes over HTTP to a second API server on the runtime's deps whose workflow's
 * start is throttled. INJECTED: the ThrottlingException (the SDK's own class, as the SFN client throws it past its
 * retries): the local Step Functions has no throughput to exceed.
 */
import { SFNServiceException } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { extendDeps } from '../../lambdas/api/deps.ts';
import type { Workflow } from '../../lambdas/ports/workflow.ts';
import { type RunningServer, startApiServer } from '../../local/http-server.ts';
import { E2E_ADMIN_TOKEN, type E2e, exampleLead, MINUTE, startE2e } from '../support/e2e.ts';

/** the workflow port with StartExecution throttled (signals and stops as they are) */
function throttledStart(workflow: Workflow): Workflow {
  return {
    start: async () => {
      throw new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400, attempts: 3 },
        message: 'Rate exceeded',
      });
    },
    signal: (lead, reason) => workflow.signal(lead, reason),
    stop: (...args) => workflow.stop(...args),
  };
}

describe('a form post whose lead is stored and whose workflow start is throttled', () => {
  let e2e: E2e;
  let throttled: RunningServer | undefined;
  beforeEach(async () => {
    e2e = await startE2e({ reconcileEveryMs: 0 });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    throttled = await startApiServer({
      adminToken: E2E_ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
      deps: extendDeps(e2e.runtime.deps, { workflow: throttledStart(e2e.runtime.deps.workflow) }),
    });
  });
  afterEach(async () => {
    await throttled?.close();
    await e2e.close();
    vi.restoreAllMocks();
  });

  it.each([
    ['a program', 'application/json', 202],
    ['a browser', 'text/html', 200],
  ] as const)(
    'answers %s as stored, and the reconciler starts the lead within minutes',
    async (_, accept, status) => {
      // Arrange: a plant's buyer asks for a demo
      const lead = { ...exampleLead('hot'), email: `buyer-${status}@start-throttled.example` };
      const leadId = e2e.leadIdOf(lead.email);

      // Act: the post, then three minutes on, the reconciler
      const answered = await fetch(`${throttled!.url}/leads`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          accept,
          'content-type': accept === 'text/html' ? 'application/x-www-form-urlencoded' : 'application/json',
        },
        body:
          accept === 'text/html'
            ? new URLSearchParams(
                Object.entries(lead).map(([k, v]): [string, string] => [k, String(v)]),
              ).toString()
            : JSON.stringify(lead),
      });
      const stored = await e2e.runtime.deps.store.getLead(leadId);
      await e2e.advanceBy(3 * MINUTE);
      const report = await e2e.runtime.reconciler.run();
      await e2e.settle();

      // Assert: answered as stored (no "send it again"), stored once and due, and its workflow started
      expect(answered.status).toBe(status);
      expect(answered.headers.get('retry-after')).toBeNull();
      expect(stored?.dueAt).toBeDefined();
      expect(report?.restartedLeads).toContain(leadId);
      // its workflow ran: it judged the lead and parked on its next step
      const after = await e2e.runtime.deps.store.getLead(leadId);
      expect(stored?.waitToken).toBeUndefined();
      expect(after?.waitToken).toBeDefined();
    },
  );
});
