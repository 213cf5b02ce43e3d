/**
 * Work after a request's change is stored (a workflow's start or signal, a clean-up) meeting a dependency busy
 * past the SDK's retries. That is not the request's failure, so it is logged, not answered 503 "send it again":
 * the change was taken, and a resend without a key is a second change (a second deal move, a second status
 * entry, a second submission). Each such work has a repair that needs nobody to send anything again.
 */
import { isDependencyBusy } from '../ports/dependency-busy.ts';
import type { Workflow } from '../ports/workflow.ts';
import { extendDeps } from './deps.ts';

/**
 * Runs `work`; a dependency busy past the SDK's retries is logged as a `warn` line (the route, the lead, `msg`,
 * the error's name) and the request goes on as answered. Any other failure (a denied call: the deployment's)
 * is thrown, the 500 that alarms.
 */
export async function writtenAlready(
  route: string,
  leadId: string,
  msg: string,
  work: () => Promise<unknown>,
): Promise<void> {
  await work().catch((error: unknown) => {
    if (!isDependencyBusy(error)) throw error;
    console.warn(JSON.stringify({ level: 'warn', route, msg, leadId, error: (error as Error).name }));
  });
}

/**
 * The workflow as a route sees it whose every signalled change carries the wake it wants in its own write
 * (withWakeWanted, wakingChange: a parked lead's token taken and the lead due now, a dormant lead due now). A
 * signal busy past the SDK's retries (DynamoDB taking a token or a dormancy, Step Functions sending the token)
 * leaves what a request that died before its signal leaves: a lead due now whose token or dormancy the
 * reconciler takes and wakes within minutes (ADR 0039, ADR 0057). So it is logged, and the request answered as
 * done. The one-click links keep their own answer ("Saved, not finished yet": actions.ts), which a press again
 * completes at once.
 */
export function wakeLeftToReconciler(workflow: Workflow, route: string): Workflow {
  return {
    start: (leadId, cycle) => workflow.start(leadId, cycle),
    stop: (leadId, cycle, generation, execution) => workflow.stop(leadId, cycle, generation, execution),
    signal: (lead, reason) =>
      writtenAlready(route, lead.leadId, `change stored; its wake (${reason}) left to the reconciler`, () =>
        workflow.signal(lead, reason),
      ),
  };
}

/** `deps` whose workflow leaves a busy signal's wake to the reconciler (wakeLeftToReconciler), logged as `route`. */
export function withWakeLeftToReconciler<T extends { readonly workflow: Workflow }>(
  deps: T,
  route: string,
): T {
  return extendDeps(deps, {
    // read when used, as deps' own getters are (a function not granted Step Functions never builds it)
    get workflow(): Workflow {
      return wakeLeftToReconciler(deps.workflow, route);
    },
  });
}
