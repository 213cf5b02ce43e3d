/**
 * The handoff SLA: sales promises a first touch within `handoff.firstTouchWithin` of the
 * handoff (per lead type if overridden), and escalates by `handoff.escalation` when it is late.
 * All clocks run in the owner's calendar (business-hours.ts).
 */
import { addDuration, businessHoursBetween, type WorkingCalendar } from './business-hours.ts';
import type { Duration } from './duration.ts';
import type { Reason } from './lead.ts';
import type { ESCALATION_ACTIONS, Handoff, Sla } from './sla-schema.ts';

export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];

/** When the first touch is due for a handoff at `handoffAt`. */
export function firstTouchDue(sla: Sla, cal: WorkingCalendar, handoffAt: Date, leadTypeId?: string): Date {
  return addDuration(cal, handoffAt, firstTouchWithin(sla, leadTypeId).within);
}

/**
 * When the escalation ladder's last step falls due for a first touch due at `dueAt` (the deadline itself for an
 * SLA with no ladder): by then the ladder has reassigned the lead or handed it to a manager, if it was going to.
 * The report reads what happened up to here to know whether a handover of its window ended (api/sla-report.ts).
 */
export function ladderEndsAt(sla: Sla, cal: WorkingCalendar, dueAt: Date): Date {
  let latest = dueAt;
  for (const step of sla.handoff.escalation) {
    const at = addDuration(cal, dueAt, step.after);
    if (at > latest) latest = at;
  }
  return latest;
}

export interface FirstTouchInput {
  readonly handoffAt: Date;
  /** this handoff cycle's attempts, in any order */
  readonly attempts: readonly { readonly at: Date }[];
  /** the moment the evaluation is made */
  readonly at: Date;
  readonly leadTypeId?: string;
}

export interface FirstTouchEvaluation {
  readonly status: 'met' | 'breached' | 'pending';
  readonly dueAt: Date;
  readonly firstTouchAt?: Date;
  /** how late the first touch was (or is, while none is made): business hours in the calendar, and real ms */
  readonly overdueBy?: { readonly businessHours: number; readonly ms: number };
  readonly reasons: Reason[];
}

/**
 * The first-touch SLA as known at `at`: attempts after `at` are ignored, so a report for a past
 * moment says what was true then.
 * - met: the earliest attempt is at or before the due time;
 * - breached: it is after the due time, or there is none and `at` is after the due time;
 * - pending: no attempt yet and `at` is at or before the due time (a touch at the due instant
 *   still meets the SLA, so a timer should wake just after dueAt, or use escalationDue).
 */
export function evaluateFirstTouch(
  sla: Sla,
  cal: WorkingCalendar,
  input: FirstTouchInput,
): FirstTouchEvaluation {
  const { within, reason: sourceReason } = firstTouchWithin(sla, input.leadTypeId);
  const dueAt = addDuration(cal, input.handoffAt, within);
  const reasons: Reason[] = [sourceReason];
  const firstTouchAt = input.attempts
    .map((attempt) => attempt.at)
    .filter((time) => time <= input.at)
    .reduce<Date | undefined>((min, time) => (min === undefined || time < min ? time : min), undefined);
  const due = dueAt.toISOString();

  if (firstTouchAt && firstTouchAt <= dueAt) {
    reasons.push({
      rule: 'handoff.firstTouch',
      detail: `met: first touch at ${firstTouchAt.toISOString()}, due by ${due}`,
    });
    return { status: 'met', dueAt, firstTouchAt, reasons };
  }
  const lateAt = firstTouchAt ?? input.at;
  if (lateAt > dueAt) {
    const overdueBy = {
      businessHours: businessHoursBetween(cal, dueAt, lateAt),
      ms: lateAt.getTime() - dueAt.getTime(),
    };
    const late = `${round(overdueBy.businessHours)} business hours late`;
    reasons.push({
      rule: 'handoff.firstTouch',
      detail: firstTouchAt
        ? `breached: first touch at ${firstTouchAt.toISOString()}, due by ${due} (${late})`
        : `breached: no touch yet, due by ${due} (${late} at ${input.at.toISOString()})`,
    });
    return firstTouchAt
      ? { status: 'breached', dueAt, firstTouchAt, overdueBy, reasons }
      : { status: 'breached', dueAt, overdueBy, reasons };
  }
  reasons.push({
    rule: 'handoff.firstTouch',
    detail: `pending: no touch yet, due by ${due} (${round(businessHoursBetween(cal, input.at, dueAt))} business hours left)`,
  });
  return { status: 'pending', dueAt, reasons };
}

export interface EscalationInput {
  /** the first-touch due time the escalation steps count from */
  readonly dueAt: Date;
  readonly at: Date;
  /** escalation steps already dealt with (taken, or skipped by an earlier decision) */
  readonly stepsTaken: number;
  /** whether the lead's owner has a manager to notify */
  readonly hasManager: boolean;
  /** the ladder to climb: the one kept by the handover (ADR 0059); default `handoff.escalation` */
  readonly ladder?: Handoff['escalation'];
}

export interface EscalationStep {
  /** 1-based position in `handoff.escalation` */
  readonly step: number;
  readonly of: number;
  readonly action: EscalationAction;
  readonly after: Duration;
  readonly dueAt: Date;
}

export type EscalationDecision =
  /** take `next.action` now; afterwards stepsTaken = next.step (this counts any skipped steps) */
  | { readonly status: 'due'; readonly next: EscalationStep; readonly reasons: Reason[] }
  /** nothing to do before `next.dueAt`; ask again then */
  | { readonly status: 'waiting'; readonly next: EscalationStep; readonly reasons: Reason[] }
  /** no escalation step is left */
  | { readonly status: 'exhausted'; readonly reasons: Reason[] };

/**
 * The next escalation step after `stepsTaken`, due `after` its duration from the first-touch
 * due time (in the owner's calendar) and due from that instant on, inclusive, so a timer set
 * for `next.dueAt` finds it due. notifyManager steps are skipped, with a reason, when the owner
 * has no manager. Steps are returned one at a time in order, even when several are overdue.
 */
export function escalationDue(sla: Sla, cal: WorkingCalendar, input: EscalationInput): EscalationDecision {
  const steps = input.ladder ?? sla.handoff.escalation;
  const of = steps.length;
  const reasons: Reason[] = [];
  for (let index = Math.max(0, input.stepsTaken); index < of; index++) {
    const { after, action } = steps[index]!;
    const rule = `handoff.escalation.${index + 1}`;
    if (action === 'notifyManager' && !input.hasManager) {
      reasons.push({
        rule,
        detail: `step ${index + 1} of ${of} (notifyManager) skipped: the owner has no manager`,
      });
      continue;
    }
    const dueAt = addDuration(cal, input.dueAt, after);
    const next: EscalationStep = { step: index + 1, of, action, after, dueAt };
    const when = `${after.text} after the first-touch due time ${input.dueAt.toISOString()}`;
    if (input.at >= dueAt) {
      reasons.push({
        rule,
        detail: `step ${index + 1} of ${of} (${action}) due at ${dueAt.toISOString()}, ${when}`,
      });
      return { status: 'due', next, reasons };
    }
    reasons.push({
      rule,
      detail: `step ${index + 1} of ${of} (${action}) becomes due at ${dueAt.toISOString()}, ${when}`,
    });
    return { status: 'waiting', next, reasons };
  }
  reasons.push({ rule: 'handoff.escalation', detail: `all ${of} escalation steps dealt with` });
  return { status: 'exhausted', reasons };
}

/** The first-touch allowance for a lead type, and why. Unknown type ids get the SLA default. */
function firstTouchWithin(sla: Sla, leadTypeId: string | undefined): { within: Duration; reason: Reason } {
  const type = sla.leadTypes.find((t) => t.id === leadTypeId);
  const override = type?.overrides.handoff?.firstTouchWithin;
  if (type && override) {
    return {
      within: override,
      reason: {
        rule: `leadType.${type.id}`,
        detail: `lead type "${type.name}": first touch within ${override.text}`,
      },
    };
  }
  const within = sla.handoff.firstTouchWithin;
  const why =
    leadTypeId === undefined
      ? ''
      : type
        ? ` (lead type "${type.name}" has no override)`
        : ` (lead type "${leadTypeId}" is not in this SLA)`;
  return {
    within,
    reason: { rule: 'handoff.firstTouchWithin', detail: `first touch within ${within.text}${why}` },
  };
}

function round(hours: number): number {
  return Math.round(hours * 100) / 100;
}
