import type { Workflow } from '../../lambdas/ports/workflow.ts';

/**
 * `workflow` whose next `signal` for an armed lead throws, once: a failure of exactly the signal after a
 * change's write landed (a throttled token or dormancy write, an engine refusing it), which nothing else
 * can cause at that moment. INJECTED FAULT: the tests that use it say so.
 */
export function signalFailingOnce(workflow: Workflow) {
  let armed: { leadId: string; error: () => Error } | undefined;
  const failing: Workflow = {
    start: (leadId, cycle) => workflow.start(leadId, cycle),
    stop: (...args) => workflow.stop(...args),
    async signal(lead, reason) {
      if (armed?.leadId === lead.leadId) {
        const { error } = armed;
        armed = undefined;
        throw error();
      }
      await workflow.signal(lead, reason);
    },
  };
  return {
    workflow: failing,
    /** the next signal of `leadId` throws `error()` */
    arm: (leadId: string, error: () => Error) => {
      armed = { leadId, error };
    },
    /** whether the armed failure is still to come */
    pending: () => armed !== undefined,
  };
}

/** DynamoDB's refusal for throughput, as the SDK raises it past its retries */
export const throttled =
  (name = 'ThrottlingException') =>
  () =>
    Object.assign(new Error('Rate exceeded'), { name });
