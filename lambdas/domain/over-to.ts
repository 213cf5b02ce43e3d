/**
 * The manager a lead is over to (ADR 0085, ADR 0088): the escalation ladder ran out on the lead's current
 * handover and handed it to them ("Over to you", LeadState.takenOver). The decision who works it is theirs,
 * so they reach the lead whatever team its owner is in, and may give it to any rep of its queue. Pure.
 */

import type { LeadState } from './lead-state.ts';
import { chooseQueue } from './routing.ts';
import type { Sla } from './sla-schema.ts';
import { takenOverNow } from './takeover-reminder.ts';

export type OverToLead = Pick<LeadState, 'takenOver' | 'ownerSince' | 'handedOffAt' | 'updatedAt'>;

/** The id of the manager the lead's current handover is over to; undefined when it is over to nobody (or to ops). */
export function managerOverTo(lead: OverToLead): string | undefined {
  const over = takenOverNow(lead);
  return over && over.to !== 'ops' ? over.to : undefined;
}

/** The reps of the lead's queue (by its type and country, as routing chose it): whom its manager may give it to. */
export function queueRepsOf(sla: Sla, lead: Pick<LeadState, 'leadType' | 'fields'>): string[] {
  const country = typeof lead.fields.country === 'string' ? lead.fields.country : undefined;
  const { queue } = chooseQueue(sla, { leadTypeId: lead.leadType, ...(country ? { country } : {}) });
  return [...queue.reps].sort();
}

/** The reps of the queues these managers manage: whose leads the ladder may hand over to them. */
export function queueRepsManagedBy(sla: Sla, managerIds: readonly string[]): string[] {
  const reps = sla.routing.queues
    .filter((queue) => queue.manager !== undefined && managerIds.includes(queue.manager))
    .flatMap((queue) => queue.reps);
  return [...new Set(reps)].sort();
}
