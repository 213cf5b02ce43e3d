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
import { accountOwner, chooseOwner, chooseQueue } from '../domain/routing.ts';
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

  // capacity counts leads still being worked: not disqualified, recycled or won
  const closed = new Set([statusFor(sla, 'disqualified'), statusFor(sla, 'recycled')]);
  const openLeads: Record<string, number> = {};
  for (const repId of queue.reps) {
    const rep = sla.routing.reps.find((candidate) => candidate.id === repId);
    // a rep this pick excludes (who already had the lead) cannot get it: no need to count their leads
    if (rep?.capacity === undefined || options.exclude?.includes(repId)) continue;
    const owned = await deps.store.listLeadsByOwner(repId);
    openLeads[repId] = owned.filter((lead) => lead.stage !== 'customer' && !closed.has(lead.status)).length;
  }
  const calendars = new Map(sla.routing.reps.map((rep) => [rep.id, repCalendar(sla, rep)]));
  // one atomic increment: concurrent handoffs get distinct turns, so a burst never contends
  const turn = await deps.store.nextTurn(queue.id);
  const choice = chooseOwner(sla, {
    queue,
    at: deps.clock.now(),
    turn,
    openLeads,
    ...(options.exclude ? { exclude: options.exclude } : {}),
    isWorkingTime: (repId, at) => {
      const cal = calendars.get(repId);
      return cal ? isWorkingTime(cal, at) : false;
    },
  });
  const rep = choice.ownerId
    ? sla.routing.reps.find((candidate) => candidate.id === choice.ownerId)
    : undefined;
  return { rep, reasons: [...reasons, ...choice.reasons] };
}
