/**
 * An API server on an e2e runtime's deps whose process dies mid-request, as a killed Lambda does: its store
 * dies as `dyingStore` says (dying-store.ts), and with `workflowDies` its workflow is dead too (every call
 * throws: the process died at the store before any signal). The e2e runtime itself stays up: its reconciler
 * and engine then show what the death left. INJECTED fault: a SIGKILL cannot be timed between two requests of
 * one route.
 */

import { extendDeps } from '../../lambdas/api/deps.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import type { Workflow } from '../../lambdas/ports/workflow.ts';
import { type RunningServer, startApiServer } from '../../local/http-server.ts';
import { dyingStore } from './dying-store.ts';
import { E2E_ADMIN_TOKEN, type E2e } from './e2e.ts';

function deadWorkflow(workflow: Workflow): Workflow {
  return new Proxy(workflow, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function'
        ? async () => {
            throw new Error('the process died');
          }
        : value;
    },
  });
}

export function startDyingServer(
  e2e: E2e,
  when: { readonly at: keyof LeadStore } | { readonly after: keyof LeadStore },
  options: { readonly workflowDies?: boolean } = {},
): Promise<RunningServer> {
  const { deps } = e2e.runtime;
  return startApiServer({
    adminToken: E2E_ADMIN_TOKEN,
    port: 0,
    rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    deps: extendDeps(deps, {
      store: dyingStore(deps.store, when),
      ...(options.workflowDies ? { workflow: deadWorkflow(deps.workflow) } : {}),
    }),
  });
}
