import { executionName } from '../domain/lead-state.ts';
import { type LeadStore, updateLead } from '../ports/lead-store.ts';

/**
 * Takes the parked execution's task token off the lead, so exactly one signaller uses it:
 * true when this caller cleared it (and should send SendTaskSuccess), false when it was gone.
 * The same write makes the lead due now (ADR 0033): the signal's news is for the wake to plan, and the
 * park's deadline no longer says when that is; should every step of the woken execution fail,
 * RecordFailure included, the reconciler finds the lead (it leaves a live execution alone).
 */
export function takeWaitToken(store: LeadStore, leadId: string, token: string, now: Date): Promise<boolean> {
  // one conditional update, no read (it was a read and a rewrite of the whole state item: issue 15)
  return store.takeWaitToken(leadId, token, now.toISOString());
}

/**
 * Takes the dormant mark off the lead, so exactly one signaller restarts it: the generation to
 * start, or undefined when another signaller (or the lead's own execution) got there first. The
 * same write makes the lead due now, so a start that fails after it is repaired by the reconciler.
 */
export async function takeDormancy(
  store: LeadStore,
  leadId: string,
  now: Date,
): Promise<{ cycle: number; generation: number } | undefined> {
  let next: { cycle: number; generation: number } | undefined;
  await updateLead(store, leadId, (current) => {
    if (!current.dormant || current.erasedAt) return undefined;
    next = { cycle: current.cycle, generation: current.dormant.generation + 1 };
    const { dormant: _woken, ...rest } = current;
    // due now, as generation `next`: should the caller's start fail, the reconciler starts it
    return {
      ...rest,
      dueAt: now.toISOString(),
      generation: next.generation,
      execution: executionName(leadId, next.cycle, next.generation),
    };
  });
  return next;
}

export { executionName } from '../domain/lead-state.ts';
