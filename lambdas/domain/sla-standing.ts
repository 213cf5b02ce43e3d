/**
 * Where a lead stands under the SLA (the `sla` part of GET /leads/{id}): the first-touch
 * deadline of the current handover and whether it was met, the cadence step due next, how far
 * up the escalation ladder the lead is, and every handover on its timeline.
 *
 * Pure (no I/O, no clock reads: `now` is passed in). Every time is computed by the functions
 * the workflow itself uses (firstTouchDue, cadenceSchedule, escalationDue, planNext), so the
 * read model says what the workflow does, never a copy of its rules.
 */
import { addDuration, repCalendar, type WorkingCalendar } from './business-hours.ts';
import { type Channel, cadenceFor } from './cadence.ts';
import type { Duration } from './duration.ts';
import type { Ladder } from './handover-terms.ts';
import {
  assignedKey,
  cadenceSchedule,
  handoverAttempts,
  handoverClock,
  handoverStart,
  type Plan,
  type PlannedAction,
  planNext,
  withSales,
} from './lead-plan.ts';
import type { Attempt, CadenceLog, LeadState, TimelineEntry } from './lead-state.ts';
import { typePath } from './lead-type.ts';
import { statusFor } from './lifecycle.ts';
import { type EscalationAction, escalationDue, firstTouchDue } from './sla-breach.ts';
import type { Sla } from './sla-schema.ts';

export interface SlaStanding {
  /** the version of the SLA these figures were computed under (the one deployed now) */
  readonly version: string;
  /**
   * the current handover's first-touch promise; null when the lead has no owner, or was given to this owner
   * connected or with a deal and has no attempt since (no first touch is owed: the workflow runs no clock)
   */
  readonly firstTouch: FirstTouchStanding | null;
  /** the contact cadence; null outside the contact phase (no owner, connected, open deal, closed) */
  readonly cadence: CadenceStanding | null;
  /** the first-touch escalation ladder of the current handover; null when the lead has no owner */
  readonly escalation: EscalationStanding | null;
  /** every change of owner on the timeline, oldest first */
  readonly handovers: readonly Handover[];
}

export interface FirstTouchStanding {
  /** ISO: first touch due by (the handover plus `firstTouchWithin`, in the owner's calendar) */
  readonly dueAt: string;
  /** ISO: the first attempt logged since the handover (late or not); null while there is none */
  readonly metAt: string | null;
  /**
   * met: an attempt at or before dueAt; breached: none by dueAt and now is past it, or the first
   * came after it (metAt set); due: none yet and dueAt has not passed
   */
  readonly state: 'due' | 'met' | 'breached';
}

export interface CadenceStanding {
  /** the cadence's id in the SLA */
  readonly id: string;
  /** 1-based: the step to attempt next (the last step once every step is logged) */
  readonly step: number;
  readonly of: number;
  /** attempts logged since the handover */
  readonly attempted: number;
  /** ISO: when `step` is due; null when no step is left (all logged, or the cadence expired) */
  readonly nextDueAt: string | null;
  /**
   * The step the cadence's schedule has reached: the latest step not logged whose deadline has passed, the one
   * the owner's last reminder asked for ("Attempt 3/6"), since the schedule moves on when attempts are not
   * logged (lead-plan.ts cadenceSchedule); `step` while that one is not yet due. Null with `nextDueAt`.
   */
  readonly scheduledStep: number | null;
  /** ISO: when `scheduledStep` fell due, or is due */
  readonly scheduledDueAt: string | null;
  /**
   * How `scheduledStep` is to be made (its channel: the one its reminder names, "Email attempt due"): what an
   * attempt logged now most likely was. Null with `scheduledStep`.
   */
  readonly scheduledChannel: Channel | null;
}

export interface EscalationStanding {
  /** ladder rungs dealt with since the current owner got the lead (0: none); skipped rungs count */
  readonly rung: number;
  /** rungs on the ladder */
  readonly of: number;
  /** the ladder's action at `rung`; null at rung 0 */
  readonly action: EscalationAction | null;
  /** ISO: when `rung` fell due on the ladder (the workflow takes it then); null at rung 0 */
  readonly at: string | null;
  /** what the workflow does next while no attempt is logged; null when nothing is left to do */
  readonly next: {
    readonly rung: number;
    /** handToManager: the reassign rung after `maxReassignments`, the queue's manager (else ops) takes over */
    readonly action: EscalationAction | 'handToManager';
    /** ISO: when it is due (now or earlier: the workflow takes it at once) */
    readonly dueAt: string;
  } | null;
}

export interface RepRef {
  readonly id: string;
  /** from the SLA; null when the SLA no longer names this rep */
  readonly name: string | null;
}

export interface Handover {
  /** who got the lead */
  readonly owner: RepRef;
  /** who had it before; null for the first handoff */
  readonly from: RepRef | null;
  /** ISO */
  readonly at: string;
  /** who made the change: workflow, rep:<id>, ... */
  readonly by: string;
  /** why, as the timeline recorded it; null when the timeline holds no reason (e.g. after erasure) */
  readonly reason: string | null;
}

export interface StandingInput {
  readonly lead: LeadState;
  /** the lead's attempts, any order; only those since the current handover count */
  readonly attempts: readonly Attempt[];
  readonly now: Date;
}

export function slaStanding(sla: Sla, input: StandingInput): SlaStanding {
  const { lead, now } = input;
  const handovers = handoversOf(sla, lead.timeline);
  if (!lead.ownerId || !lead.handedOffAt || lead.erasedAt) {
    return { version: sla.version, firstTouch: null, cadence: null, escalation: null, handovers };
  }
  // the workflow's clock and attempts for this handover (onReassign: restart or continue)
  const start = handoverStart(sla, lead);
  const attempts = handoverAttempts(input.attempts, start);
  const rep = sla.routing.reps.find((candidate) => candidate.id === lead.ownerId);
  const cal = ownerCalendar(sla, lead.ownerId);
  // the deadline and ladder the handover keeps (ADR 0059), as planNext reads them
  const clock = handoverClock(sla, lead, cal);
  const dueAt = clock.dueAt;
  // the workflow's own decision says which phase the lead is in and what is due now; an owner not
  // yet told is told first and then works the lead, so plan as if the "new SQL" email had gone out
  const planAt = (at: Date) =>
    planNext(sla, {
      lead: { ...lead, sent: [...lead.sent, assignedKey(lead)] },
      attempts: input.attempts,
      now: at,
      skipNurture: typePath(sla, lead.leadType).skipNurture,
    });
  const plan = planAt(now);
  const actions = plan.kind === 'park' ? plan.actions : [];
  const contact = plan.kind === 'park' && plan.phase === 'contact';
  const expired = actions.some((action) => action.type === 'exhaustCadence');
  return {
    version: sla.version,
    firstTouch: owesNoFirstTouch(sla, lead, attempts) ? null : firstTouchOf(dueAt, attempts, now),
    cadence: contact || expired ? cadenceOf(sla, lead, cal, start, attempts, expired, dueAt, now) : null,
    escalation: escalationOf(sla, cal, clock.ladder, {
      lead,
      now,
      // rungs count from the deadline, or from the owner's handover when that came after it
      // (onReassign: continue), as in planContact
      base: new Date(Math.max(dueAt.getTime(), Date.parse(lead.ownerSince ?? lead.handedOffAt))),
      climbing: contact && attempts.length === 0 && rep !== undefined,
      dueNow: actions.find((action) => action.type === 'escalate'),
      planAt,
    }),
    handovers,
  };
}

/**
 * Whether the owner index's facts of a lead (its owner, stage and status: a LeadSummary) alone say it has no
 * cadence step (slaStanding's `cadence` null, whatever its attempts, deal and the time): an owner the SLA
 * names (planNext escalates an owner it lacks in the contact phase) and a lead with sales (connected, a deal
 * opened, an opportunity, a customer: planNext parks it in the deal phase or ends) or disqualified (ends).
 * "Due today" reads no such lead (ADR 0053).
 */
export function pastContact(
  sla: Sla,
  lead: { readonly ownerId: string; readonly stage: string; readonly status: string },
): boolean {
  if (!sla.routing.reps.some((rep) => rep.id === lead.ownerId)) return false;
  const facts = { stage: lead.stage as LeadState['stage'], status: lead.status };
  return withSales(sla, facts) || lead.status === statusFor(sla, 'disqualified');
}

/** pastContact for a whole lead (one with no owner is not: it has no owner the SLA names). */
export function leadPastContact(sla: Sla, lead: LeadState): boolean {
  return lead.ownerId !== undefined && pastContact(sla, { ...lead, ownerId: lead.ownerId });
}

/** The calendar planNext uses for an owner: the owner's, or the company's when the SLA lacks the owner. */
function ownerCalendar(sla: Sla, ownerId: string): WorkingCalendar {
  const rep = sla.routing.reps.find((candidate) => candidate.id === ownerId);
  return rep ? repCalendar(sla, rep) : sla.calendar;
}

/** What a lead's first-touch deadline depends on (the first-touch index projects it: ADR 0044). */
export type HandoverFacts = Pick<
  LeadState,
  'ownerId' | 'handedOffAt' | 'ownerSince' | 'updatedAt' | 'leadType'
>;

/**
 * The current handover's first-touch deadline (slaStanding's `firstTouch.dueAt`), from the handover's facts
 * alone: the owner's calendar, the clock's start under onReassign, the lead type's window.
 */
export function firstTouchDeadline(sla: Sla, lead: HandoverFacts & { readonly ownerId: string }): Date {
  return firstTouchDue(sla, ownerCalendar(sla, lead.ownerId), handoverStart(sla, lead), lead.leadType);
}

/**
 * How much later than the search below a clock may have started and still be past its deadline: a deadline
 * in whole days is the same local time days later, which a change of clocks (at most 2 hours, Antarctica/Troll)
 * can move back, so the deadline is not quite monotonic in the start. Generous: the index reads a few more
 * entries, and each is checked exactly (firstTouchDeadline).
 */
const OVERDUE_SEARCH_SLACK_MS = 6 * 3_600_000;

/**
 * For each owner, a time such that every lead of theirs whose first touch is past its deadline at `now`
 * had its clock start at or before it (ISO): the latest start whose deadline has passed, over every lead type's
 * window (and the SLA's default, for a type the SLA no longer has), plus a slack. Pure: a bisection over
 * firstTouchDue, one per distinct calendar and window.
 */
export function overdueClockStarts(sla: Sla, owners: readonly string[], now: Date): Record<string, string> {
  const windows = [
    sla.handoff.firstTouchWithin,
    ...sla.leadTypes.flatMap((type) =>
      type.overrides.handoff?.firstTouchWithin ? [type.overrides.handoff.firstTouchWithin] : [],
    ),
  ];
  const cache = new Map<string, number>();
  const out: Record<string, string> = {};
  for (const owner of owners) {
    const cal = ownerCalendar(sla, owner);
    let latest = Number.NEGATIVE_INFINITY;
    for (const within of windows) {
      const key = JSON.stringify([cal, within.amount, within.unit, within.business]);
      let start = cache.get(key);
      if (start === undefined) {
        start = latestPassedStart((at) => addDuration(cal, at, within).getTime(), now.getTime());
        cache.set(key, start);
      }
      latest = Math.max(latest, start);
    }
    out[owner] = new Date(latest + OVERDUE_SEARCH_SLACK_MS).toISOString();
  }
  return out;
}

/**
 * The latest start (to the second, rounded down) whose deadline is before `now`, for a deadline that grows
 * with the start (due(now) >= now): back from now in doubling steps to a start that is past, then bisection.
 */
function latestPassedStart(due: (start: Date) => number, now: number): number {
  const DAY = 86_400_000;
  let step = DAY;
  let past = now - step;
  // four years back at most: a window longer than that has nothing overdue that started later
  while (due(new Date(past)) >= now && step < 4 * 366 * DAY) {
    step *= 2;
    past = now - step;
  }
  let notPast = now;
  while (notPast - past > 1000) {
    const mid = Math.floor((past + notPast) / 2);
    if (due(new Date(mid)) < now) past = mid;
    else notPast = mid;
  }
  return past;
}

/** What a lead's next cadence step is computed from without its attempts (the next-step index projects it: ADR 0053). */
export type CadenceFacts = HandoverFacts & {
  readonly ownerId: string;
  readonly stage: string;
  readonly status: string;
  readonly cadenceLog?: CadenceLog;
  /**
   * ISO: the first-touch deadline the current handover kept (ADR 0059), as the next-step index's key holds it
   * (ADR 0065): step 1 when no attempt is logged, as handoverClock gives it; none: the SLA's deadline
   */
  readonly keptDueAt?: string;
};

/**
 * When the lead's next cadence step falls due, from its facts alone (slaStanding's `cadence.nextDueAt` for a
 * lead in the contact phase): a Date; null when no step is left (every step logged) or the lead is past
 * contact; undefined when the facts cannot say (none, or counted from another clock start than the SLA's:
 * a handover since, an onReassign changed since): the lead must be read.
 */
export function nextStepDueFromFacts(sla: Sla, lead: CadenceFacts, now: Date): Date | null | undefined {
  if (pastContact(sla, lead)) return null;
  const log = lead.cadenceLog;
  const start = handoverStart(sla, lead);
  if (!log || Date.parse(log.since) !== start.getTime()) return undefined;
  const steps = cadenceFor(sla, lead.leadType).steps;
  if (log.attempts >= steps.length) return null;
  if (log.attempts > 0 && !log.lastAt) return undefined;
  // cadenceSchedule from the facts: the step after n attempts, then each later one its delay after the one before
  const cal = ownerCalendar(sla, lead.ownerId);
  // step 1: the deadline the handover kept, else the SLA's (cadenceSchedule's firstTouchAt, handoverClock)
  const next =
    log.attempts === 0
      ? lead.keptDueAt
        ? new Date(lead.keptDueAt)
        : firstTouchDeadline(sla, lead)
      : addDuration(cal, new Date(log.lastAt!), steps[log.attempts]!.delay);
  let last = next;
  for (let i = log.attempts + 1; i < steps.length; i++) last = addDuration(cal, last, steps[i]!.delay);
  // the cadence expired (planContact: its last step and the first-touch window past): no step is due; an owner
  // the SLA lacks is escalated first, and the standing keeps the step. Untouched, the lead keeps its cadence
  // while its escalation ladder runs (planContact), which the facts do not hold: the lead must be read
  const named = sla.routing.reps.some((rep) => rep.id === lead.ownerId);
  if (named && now >= addDuration(cal, last, sla.handoff.firstTouchWithin))
    return log.attempts === 0 ? undefined : null;
  return next;
}

/**
 * The cadence facts after an attempt at `at` is applied to `current` (the state the write replaces): its
 * facts plus this one when they count from this handover's clock start, else counted from `logged` (the
 * lead's attempts as read before the write: a lead written before the facts, or a handover since). An attempt
 * before the clock's start does not count (handoverAttempts). Undefined for a lead with no handover.
 */
export function cadenceLogAfter(
  sla: Sla,
  current: LeadState,
  attempt: Pick<Attempt, 'attemptId' | 'at'>,
  logged: readonly Pick<Attempt, 'attemptId' | 'at'>[],
): CadenceLog | undefined {
  if (!current.handedOffAt) return undefined;
  const start = handoverStart(sla, current);
  const since = start.toISOString();
  const log = current.cadenceLog;
  let attempts: number;
  let lastAt: number | undefined;
  if (log && Date.parse(log.since) === start.getTime()) {
    attempts = log.attempts;
    lastAt = log.lastAt === undefined ? undefined : Date.parse(log.lastAt);
  } else {
    const before = handoverAttempts(
      logged.filter((known) => known.attemptId !== attempt.attemptId),
      start,
    );
    attempts = before.length;
    lastAt = before.length ? Date.parse(before.at(-1)!.at) : undefined;
  }
  const at = Date.parse(attempt.at);
  if (at >= start.getTime()) {
    attempts += 1;
    lastAt = lastAt === undefined ? at : Math.max(lastAt, at);
  }
  return { since, attempts, ...(lastAt === undefined ? {} : { lastAt: new Date(lastAt).toISOString() }) };
}

/**
 * `after` (a reassignment of `before`: a new owner, `ownerSince` moved on) with the cadence facts of its
 * handover: the same under onReassign continue (the clock stands); none yet under restart (the clock starts
 * again) when `before`'s facts were this clock's and hold no attempt from the new start on; else none at all
 * (the next-step index then reads the lead when it may be due, until its next attempt counts them again).
 */
export function reassignedWithCadenceLog(sla: Sla, before: LeadState, after: LeadState): LeadState {
  const { cadenceLog: log, ...rest } = after;
  if (!after.handedOffAt || !log) return rest as LeadState;
  const start = handoverStart(sla, after);
  if (Date.parse(log.since) === start.getTime()) return after;
  const current = Date.parse(log.since) === handoverStart(sla, before).getTime();
  if (current && (log.lastAt === undefined || Date.parse(log.lastAt) < start.getTime()))
    return { ...rest, cadenceLog: { since: start.toISOString(), attempts: 0 } } as LeadState;
  return rest as LeadState;
}

/**
 * For each owner, per bucket of the next-step index (attempts `00`, `01`, ..., and `--` for facts it cannot
 * trust), a time such that every lead of theirs in that bucket whose next step falls due before `by` has its
 * base (the latest attempt, or the clock's start) at or before it (ISO). The step after n attempts is due a
 * delay after the n-th (the first-touch window after the start for none), in the owner's calendar, for each
 * cadence and window of the SLA; `--` takes the shortest of all (its base, the earliest clock start, is at or
 * before any attempt of the handover). Plus the slack of overdueClockStarts. Buckets past the longest cadence
 * are not listed: no step is left there.
 */
export function dueStepBases(
  sla: Sla,
  owners: readonly string[],
  by: Date,
): Record<string, Record<string, string>> {
  const windows = [
    sla.handoff.firstTouchWithin,
    ...sla.leadTypes.flatMap((type) =>
      type.overrides.handoff?.firstTouchWithin ? [type.overrides.handoff.firstTouchWithin] : [],
    ),
  ];
  const cadences = [
    cadenceFor(sla),
    ...sla.leadTypes.flatMap((type) => (type.overrides.cadence ? [cadenceFor(sla, type.id)] : [])),
  ];
  const longest = Math.max(...cadences.map((cadence) => cadence.steps.length));
  const durations: Duration[][] = Array.from({ length: longest }, (_, n) =>
    n === 0 ? windows : cadences.flatMap((cadence) => (cadence.steps[n] ? [cadence.steps[n]!.delay] : [])),
  );
  const cache = new Map<string, number>();
  const out: Record<string, Record<string, string>> = {};
  for (const owner of owners) {
    const cal = ownerCalendar(sla, owner);
    const latestOf = (list: readonly Duration[]) => {
      let latest = Number.NEGATIVE_INFINITY;
      for (const duration of list) {
        const key = JSON.stringify([cal, duration.amount, duration.unit, duration.business]);
        let start = cache.get(key);
        if (start === undefined) {
          start = latestPassedStart((at) => addDuration(cal, at, duration).getTime(), by.getTime());
          cache.set(key, start);
        }
        latest = Math.max(latest, start);
      }
      return new Date(latest + OVERDUE_SEARCH_SLACK_MS).toISOString();
    };
    const buckets: Record<string, string> = {};
    durations.forEach((list, n) => {
      buckets[String(n).padStart(2, '0')] = latestOf(list);
    });
    buckets['--'] = latestOf(durations.flat());
    out[owner] = buckets;
  }
  return out;
}

/**
 * A reassignment of a lead already with sales (connected, a deal, an opportunity or a customer), and no
 * attempt since: the new owner makes no first touch (lead-plan.ts planNext; report-facts.ts `noFirstTouch`).
 */
function owesNoFirstTouch(sla: Sla, lead: LeadState, attempts: readonly Attempt[]): boolean {
  if (attempts.length > 0 || !lead.ownerSince || lead.ownerSince === lead.handedOffAt) return false;
  return withSales(sla, lead);
}

function firstTouchOf(dueAt: Date, attempts: readonly Attempt[], now: Date): FirstTouchStanding {
  // an attempt stamped after `now` has not happened yet
  const first = attempts.find((attempt) => Date.parse(attempt.at) <= now.getTime());
  const metAt = first ? new Date(first.at) : undefined;
  const state = metAt && metAt <= dueAt ? 'met' : metAt || now > dueAt ? 'breached' : ('due' as const);
  return { dueAt: dueAt.toISOString(), metAt: metAt?.toISOString() ?? null, state };
}

function cadenceOf(
  sla: Sla,
  lead: LeadState,
  cal: WorkingCalendar,
  start: Date,
  attempts: readonly Attempt[],
  /** the cadence ran out and the workflow recycles the lead: no step is due any more */
  expired: boolean,
  firstTouchAt: Date,
  now: Date,
): CadenceStanding {
  const cadence = cadenceFor(sla, lead.leadType);
  const of = cadence.steps.length;
  const schedule = cadenceSchedule(sla, cal, start, attempts, lead.leadType, firstTouchAt);
  const attempted = attempts.length;
  const next = expired ? undefined : schedule[attempted];
  // as planContact's reminders: the latest step not logged that is due by now
  let scheduled = next ? attempted : undefined;
  if (scheduled !== undefined) while (scheduled + 1 < of && schedule[scheduled + 1]! <= now) scheduled++;
  return {
    id: cadence.id,
    step: Math.min(attempted + 1, of),
    of,
    attempted,
    nextDueAt: next?.toISOString() ?? null,
    scheduledStep: scheduled === undefined ? null : scheduled + 1,
    scheduledDueAt: scheduled === undefined ? null : schedule[scheduled]!.toISOString(),
    scheduledChannel: scheduled === undefined ? null : cadence.steps[scheduled]!.channel,
  };
}

type EscalateAction = Extract<PlannedAction, { type: 'escalate' }>;

function escalationOf(
  sla: Sla,
  cal: WorkingCalendar,
  ladder: Ladder,
  input: {
    lead: LeadState;
    now: Date;
    base: Date;
    climbing: boolean;
    /** an escalation the workflow takes now (a rung due, an owner the SLA lacks) */
    dueNow: EscalateAction | undefined;
    planAt: (at: Date) => Plan;
  },
): EscalationStanding {
  const steps = ladder;
  const of = steps.length;
  const taken = input.lead.escalationsTaken ?? 0;
  // a newer SLA may have a shorter ladder than the rungs already taken
  const rung = Math.max(0, Math.min(taken, of));
  // when rung n fell due: the ladder's step n with n-1 taken
  const rungDue = (n: number) => {
    const decision = escalationDue(sla, cal, {
      dueAt: input.base,
      at: input.base,
      stepsTaken: n - 1,
      hasManager: true,
      ladder,
    });
    return decision.status === 'exhausted' ? undefined : decision.next.dueAt;
  };
  const reachedAt = rung === 0 ? undefined : rungDue(rung);
  return {
    rung,
    of,
    action: rung === 0 ? null : steps[rung - 1]!.action,
    at: reachedAt?.toISOString() ?? null,
    next: nextEscalation(sla, cal, ladder, input, taken, rungDue),
  };
}

function nextEscalation(
  sla: Sla,
  cal: WorkingCalendar,
  ladder: Ladder,
  input: Parameters<typeof escalationOf>[3],
  taken: number,
  rungDue: (n: number) => Date | undefined,
): EscalationStanding['next'] {
  const describe = (action: EscalateAction, dueAt: Date) => ({
    rung: action.step,
    action: action.action,
    dueAt: dueAt.toISOString(),
  });
  if (input.dueNow) {
    // a ladder rung fell due at its time; anything else (an owner the SLA lacks) is due now
    const due = input.dueNow.why === undefined ? rungDue(input.dueNow.step) : undefined;
    return describe(input.dueNow, due ?? input.now);
  }
  if (!input.climbing) return null;
  // the next rung's time on the ladder, and what the workflow will do then (reassign, or hand to
  // the manager after maxReassignments): its own plan at that time
  const upcoming = escalationDue(sla, cal, {
    dueAt: input.base,
    at: input.now,
    stepsTaken: taken,
    hasManager: true,
    ladder,
  });
  if (upcoming.status === 'exhausted') return null;
  const then = input.planAt(upcoming.next.dueAt);
  const action = then.kind === 'park' ? then.actions.find((a) => a.type === 'escalate') : undefined;
  return action
    ? describe(action, upcoming.next.dueAt)
    : { rung: upcoming.next.step, action: upcoming.next.action, dueAt: upcoming.next.dueAt.toISOString() };
}

/** Owner entries of the timeline (kind 'owner', `to` the new owner's id, `from` the previous one's). */
export function handoversOf(sla: Sla, timeline: readonly TimelineEntry[]): Handover[] {
  const repRef = (id: string): RepRef => ({
    id,
    name: sla.routing.reps.find((rep) => rep.id === id)?.name ?? null,
  });
  return timeline.flatMap((entry) =>
    entry.kind === 'owner' && entry.to !== undefined
      ? [
          {
            owner: repRef(entry.to),
            from: entry.from === undefined ? null : repRef(entry.from),
            at: entry.at,
            by: entry.by,
            reason: entry.reasons.map((reason) => reason.detail).join('; ') || null,
          },
        ]
      : [],
  );
}
