/**
 * Picks the owner for a lead (handoff or reassignment): the account owner for the fast lane,
 * else the queue's rotation honouring working hours, out of office and capacity. The rotation
 * is a turn counter per queue, taken with one atomic increment: a burst of handoffs never
 * fights over a shared item (docs/decisions/0011-rotation-by-turns.md).
 */
import { isWorkingTime, repCalendar } from '../domain/business-hours.ts';
import { emailDomain, type Reason } from '../domain/lead.ts';
import type { LeadState } from '../domain/lead-state.ts';
import { statusFor } from '../domain/lifecycle.ts';
import { accountOwner, chooseOwner, chooseQueue, ownerCandidates } from '../domain/routing.ts';
import type { Rep } from '../domain/sla-schema.ts';
import type { TaskDeps } from './deps.ts';

export interface Assignment {
  readonly rep: Rep | undefined;
  readonly reasons: Reason[];
}

export async function assignOwner(
  deps: TaskDeps,
  lead: LeadState,
  options: { assignTo: 'queue' | 'accountOwner'; exclude?: readonly string[] },
): Promise<Assignment> {
  const { sla } = deps;
  const reasons: Reason[] = [];
  if (options.assignTo === 'accountOwner' && lead.email) {
    const owner = accountOwner(sla, emailDomain(lead.email));
    if (owner && !options.exclude?.includes(owner.rep.id)) return { rep: owner.rep, reasons: owner.reasons };
    reasons.push({ rule: 'routing.accountOwner', detail: 'no account owner available: routing by queue' });
  }
  const country = typeof lead.fields.country === 'string' ? lead.fields.country : undefined;
  const { queue, reasons: queueReasons } = chooseQueue(sla, {
    leadTypeId: lead.leadType,
    ...(country ? { country } : {}),
  });
  reasons.push(...queueReasons);

  const calendars = new Map(sla.routing.reps.map((rep) => [rep.id, repCalendar(sla, rep)]));
  const request = {
    queue,
    at: deps.clock.now(),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    isWorkingTime: (repId: string, at: Date) => {
      const cal = calendars.get(repId);
      return cal ? isWorkingTime(cal, at) : false;
    },
  };
  // capacity is counted for the rep the rotation lands on, not for every rep of the queue (a Query of
  // the owner index each): at capacity, that rep drops out and the same turn picks among the others
  const openLeads: Record<string, number> = {};
  let turn: number | undefined;
  for (;;) {
    // one atomic increment, only when there is a choice to make: concurrent handoffs get distinct turns
    if (turn === undefined && ownerCandidates(sla, { ...request, openLeads }).candidates.length > 1)
      turn = await deps.store.nextTurn(queue.id);
    const choice = chooseOwner(sla, { ...request, openLeads, ...(turn === undefined ? {} : { turn }) });
    const rep = sla.routing.reps.find((candidate) => candidate.id === choice.ownerId);
    if (!rep || rep.capacity === undefined || rep.id in openLeads)
      return { rep, reasons: [...reasons, ...choice.reasons] };
    openLeads[rep.id] = await countOpenLeads(deps, rep.id);
  }
}

/** Capacity counts leads still being worked: not disqualified, recycled or won. */
async function countOpenLeads(deps: TaskDeps, repId: string): Promise<number> {
  const closed = new Set([statusFor(deps.sla, 'disqualified'), statusFor(deps.sla, 'recycled')]);
  const owned = await deps.store.listLeadsByOwner(repId);
  return owned.filter((lead) => lead.stage !== 'customer' && !closed.has(lead.status)).length;
}
