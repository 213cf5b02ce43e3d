/**
 * Who hears of a lead when its owner does not act, or cannot: the owner's manager for the ladder's
 * notifyManager step, the queue's manager (else the SLA's ops manager) when the ladder runs out or
 * nobody can take the lead. A manager missing from the SLA (an SLA change removed them) is passed
 * over with a reason, never silently: the next one in line hears of it.
 */
import type { Reason } from './lead.ts';
import type { LeadState } from './lead-state.ts';
import { leadQueue, localDate } from './routing.ts';
import type { Manager, Rep, Sla } from './sla-schema.ts';

export interface EscalationContact {
  /** undefined: the SLA names nobody (the deployment's ops address is the last resort) */
  readonly manager: Manager | undefined;
  /** how the manager was found: "Katrin Vogel manages Jonas Berger", "ops: ..." */
  readonly reasons: Reason[];
  /** `manager` stands in for this manager, out of office until `until` (a local date, inclusive) */
  readonly standsInFor?: StandIn;
}

/** Whom a stand-in (a deputy, ops) is told in place of, and until when that manager is away. */
export interface StandIn {
  readonly managerId: string;
  /** YYYY-MM-DD, the calendar's: the last day away */
  readonly until: string;
}

type QueueLead = Pick<LeadState, 'leadType' | 'fields'>;

/**
 * The owner's manager, else the queue's manager, else ops: for the ladder's notifyManager step. With `at`,
 * one who is out of office that day hands it on (presentAt).
 */
export function managerFor(sla: Sla, owner: Rep | undefined, lead: QueueLead, at?: Date): EscalationContact {
  return presentAt(sla, managerInLine(sla, owner, lead), at);
}

function managerInLine(sla: Sla, owner: Rep | undefined, lead: QueueLead): EscalationContact {
  const reasons: Reason[] = [];
  if (owner?.manager) {
    const manager = managerById(sla, owner.manager);
    if (manager)
      return {
        manager,
        reasons: [{ rule: 'routing.manager', detail: `${manager.name} manages ${owner.name}` }],
      };
    reasons.push({
      rule: 'routing.manager',
      detail: `${owner.name}'s manager "${owner.manager}" is not in this SLA`,
    });
  } else if (owner) {
    reasons.push({ rule: 'routing.manager', detail: `${owner.name} has no manager` });
  }
  const fallback = queueManagerInLine(sla, lead, undefined);
  return { manager: fallback.manager, reasons: [...reasons, ...fallback.reasons] };
}

/**
 * Whoever takes a lead the ladder could not place: the manager of the lead's queue, else the SLA's
 * `routing.ops`, else the last owner's manager. With `at`, one who is out of office that day hands it on
 * (presentAt).
 */
export function queueManagerFor(
  sla: Sla,
  lead: QueueLead,
  owner: Rep | undefined,
  at?: Date,
): EscalationContact {
  return presentAt(sla, queueManagerInLine(sla, lead, owner), at);
}

function queueManagerInLine(sla: Sla, lead: QueueLead, owner: Rep | undefined): EscalationContact {
  const reasons: Reason[] = [];
  const queue = leadQueue(sla, lead);
  const declared = sla.routing.queues.find((candidate) => candidate.id === queue.id);
  const name = declared?.name ?? 'all reps';
  if (declared?.manager) {
    const manager = managerById(sla, declared.manager);
    if (manager)
      return {
        manager,
        reasons: [{ rule: `routing.queue.${declared.id}`, detail: `${manager.name} manages ${name}` }],
      };
    reasons.push({
      rule: `routing.queue.${declared.id}`,
      detail: `the manager "${declared.manager}" of ${name} is not in this SLA`,
    });
  } else {
    reasons.push({ rule: 'routing.queue', detail: `${name} names no manager` });
  }
  if (sla.routing.ops) {
    const manager = managerById(sla, sla.routing.ops);
    if (manager)
      return { manager, reasons: [...reasons, { rule: 'routing.ops', detail: `ops: ${manager.name}` }] };
    reasons.push({ rule: 'routing.ops', detail: `ops "${sla.routing.ops}" is not in this SLA` });
  }
  const ownManager = owner?.manager ? managerById(sla, owner.manager) : undefined;
  if (ownManager) {
    return {
      manager: ownManager,
      reasons: [...reasons, { rule: 'routing.manager', detail: `${ownManager.name} manages ${owner!.name}` }],
    };
  }
  reasons.push({
    rule: 'routing.ops',
    detail: 'the SLA names nobody to tell: the deployment ops address is told',
  });
  return { manager: undefined, reasons };
}

export function managerById(sla: Sla, id: string): Manager | undefined {
  return sla.routing.managers.find((candidate) => candidate.id === id);
}

/**
 * Why someone other than the manager in line hears of it (presentAt's reasons, from "… is out of office" on),
 * for the line an email leaves on the lead's timeline; undefined when nobody was away.
 */
export function standInNote(contact: EscalationContact): string | undefined {
  const from = contact.reasons.findIndex((reason) => reason.rule === 'routing.managers.outOfOffice');
  if (from < 0) return undefined;
  return contact.reasons
    .slice(from)
    .map((reason) => reason.detail)
    .join('; ');
}

/** The manager's out-of-office period on the local date of `at` (the calendar's time zone), if any. */
export function managerAway(
  sla: Sla,
  manager: Manager,
  at: Date,
): Manager['outOfOffice'][number] | undefined {
  const day = localDate(at, sla.calendar.timeZone);
  return manager.outOfOffice.find((period) => period.from <= day && day <= period.to);
}

/**
 * The contact as it stands on `at`: a manager out of office that day hands it to their deputy, else to ops,
 * whoever of them is there; when nobody is, the manager found is told all the same (an inbox that is read
 * later beats none), each step with its reason.
 */
function presentAt(sla: Sla, contact: EscalationContact, at: Date | undefined): EscalationContact {
  const first = contact.manager;
  if (!at || !first) return contact;
  const away = managerAway(sla, first, at);
  if (!away) return contact;
  const reasons: Reason[] = [
    ...contact.reasons,
    {
      rule: 'routing.managers.outOfOffice',
      detail: `${first.name} is out of office ${away.from} to ${away.to}`,
    },
  ];
  const deputy = first.deputy ? managerById(sla, first.deputy) : undefined;
  const ops = sla.routing.ops ? managerById(sla, sla.routing.ops) : undefined;
  for (const [next, rule, role] of [
    [deputy, `routing.managers.${first.id}.deputy`, `${first.name}'s deputy`],
    [ops, 'routing.ops', 'ops'],
  ] as const) {
    // ops who is also the deputy is asked once
    if (!next || next.id === first.id || (rule === 'routing.ops' && next.id === deputy?.id)) continue;
    const nextAway = managerAway(sla, next, at);
    if (nextAway) {
      reasons.push({
        rule,
        detail: `${role} ${next.name} is out of office ${nextAway.from} to ${nextAway.to}`,
      });
      continue;
    }
    return {
      manager: next,
      reasons: [...reasons, { rule, detail: `${role}: ${next.name}` }],
      standsInFor: { managerId: first.id, until: away.to },
    };
  }
  reasons.push({
    rule: 'routing.managers.outOfOffice',
    detail: `nobody to stand in for ${first.name}: told all the same`,
  });
  return { manager: first, reasons };
}
