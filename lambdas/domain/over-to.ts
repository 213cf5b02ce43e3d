/**
 * The manager a lead is over to (ADR 0085, ADR 0088): the escalation ladder ran out on the lead's current
 * handover and handed it to them ("Over to you", LeadState.takenOver, or what a lead taken over before it was
 * stored records of it: takeover-reminder.ts takenOverNow). The decision who works it is theirs, so they reach
 * the lead whatever team its owner is in, and may give it to any rep of its queue. Pure.
 */

import type { LeadState } from './lead-state.ts';
import { leadQueue } from './routing.ts';
import type { Sla } from './sla-schema.ts';
import { type TakeoverLead, takenOverNow } from './takeover-reminder.ts';

export type OverToLead = TakeoverLead & Pick<LeadState, 'deal' | 'stage' | 'connectedAt'>;

/**
 * The id of the manager the lead's current handover is over to while the lead is not with sales yet: not connected,
 * no deal, not an opportunity or customer (an adversarial review: a manager kept reading another team's customer).
 * A first touch they log for the owner keeps it in their reach (the page they logged it on stays theirs) until the
 * handover ends. Undefined when it is over to nobody (or to ops).
 */
export function managerOverTo(sla: Sla, lead: OverToLead): string | undefined {
  const over = takenOverNow(sla, lead);
  if (!over || over.to === 'ops') return undefined;
  const withSales =
    lead.connectedAt !== undefined ||
    lead.deal !== undefined ||
    lead.stage === 'opportunity' ||
    lead.stage === 'customer';
  return withSales ? undefined : over.to;
}

/**
 * The reps of the lead's queue: whom the manager it is over to may give it to. Those the takeover recorded (the
 * queue as routing chose it then: a field edited since cannot widen it), else (a takeover read from an older state
 * and not stored yet: takeover-reminder.ts withTakeoverStored) its queue by its type and country now.
 */
export function queueRepsOf(sla: Sla, lead: TakeoverLead): string[] {
  const reps = takenOverNow(sla, lead)?.reps;
  if (reps) return [...reps].sort();
  return [...leadQueue(sla, lead).reps].sort();
}

/** The reps of the queues these managers manage: whose leads the ladder may hand over to them. */
export function queueRepsManagedBy(sla: Sla, managerIds: readonly string[]): string[] {
  const reps = sla.routing.queues
    .filter((queue) => queue.manager !== undefined && managerIds.includes(queue.manager))
    .flatMap((queue) => queue.reps);
  return [...new Set(reps)].sort();
}
