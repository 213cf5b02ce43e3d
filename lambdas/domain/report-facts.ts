/**
 * Report facts: one small, immutable record per milestone of a lead (it entered a stage, an owner got
 * it, the first touch came, an attempt was logged, an escalation rung was taken, it was recycled or
 * rejected by sales, a cadence breach, it was erased while an owner had it, the ladder handed it over to a
 * manager). The SLA report (sla-report.ts) is computed from facts alone, read by day from an index, so it never
 * reads every lead (docs/decisions/0016-report-facts.md).
 *
 * Facts are derived from the lead's timeline, a pure function of it: the same timeline gives the same
 * facts with the same identity (`at`, `kind`, `seq`), so a store may write them with one conditional put
 * per fact and a retried or repeated write never counts twice.
 *
 * Pure: no I/O, no clock reads.
 */
import { businessHoursBetween, repCalendar, type WorkingCalendar } from './business-hours.ts';
import { cadenceFor } from './cadence.ts';
import { keptTerms } from './handover-terms.ts';
import { cadenceSchedule } from './lead-plan.ts';
import { type LeadState, storyLength, type TimelineEntry, timelineBase } from './lead-state.ts';
import { statusFor } from './lifecycle.ts';
import type { OutboxEmail } from './outbox.ts';
import { chooseQueue } from './routing.ts';
import { firstTouchDue } from './sla-breach.ts';
import { LIFECYCLE_STAGES, type LifecycleStage } from './sla-constants.ts';
import type { Sla } from './sla-schema.ts';
import { UNCONFIRMED_ERASE_RULE } from './unconfirmed-erasure.ts';

export const FACT_KINDS = [
  'stage',
  'handover',
  'touch',
  'attempt',
  'escalation',
  'breach',
  'recycle',
  'reject',
  'erase',
  'takeover',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export interface LeadFact {
  readonly kind: FactKind;
  readonly leadId: string;
  /** ISO-8601 UTC: when it happened (its timeline entry's time) */
  readonly at: string;
  /** 0, 1, ...: facts of one kind at one instant of one lead, in timeline order (part of its identity) */
  readonly seq: number;
  readonly leadType: string;
  /** the owner at the time (handover: the new owner) */
  readonly rep?: string;
  /**
   * `rep`'s name as the SLA that derived the fact named them (absent when it did not, and on facts stored before
   * it was recorded): a report of a rep who has left the SLA since still names them (ADR 0084 amended)
   */
  readonly repName?: string;
  /** the routing queue that serves the lead (by type and country) */
  readonly queue?: string;
  /** stage: the stage entered; from: the stage left (absent when the lead was created) */
  readonly stage?: LifecycleStage;
  readonly from?: LifecycleStage;
  /** stage: wall-clock hours spent in `from` (absent when the entry into `from` is not on the timeline) */
  readonly hoursInFrom?: number;
  /** handover: the first-touch deadline; touch: the deadline it answered */
  readonly dueAt?: string;
  /** handover: a change of owner after the first (the ladder, a manager) */
  readonly reassigned?: boolean;
  /**
   * handover: the lead was connected, or had a deal, when it changed hands: no first touch is owed (the workflow
   * runs no first-touch clock for it, lead-plan.ts), so the report judges none
   */
  readonly noFirstTouch?: boolean;
  /**
   * handover (a first one): wall-clock hours the lead waited for an owner because nobody in its queue could
   * take it, from the "needs an owner" escalation to this handover (ADR 0041); absent when it did not wait
   */
  readonly waitedHours?: number;
  /** handover: a person (not the workflow) made the change */
  readonly byPerson?: boolean;
  /** touch: when this handover's SLA clock started */
  readonly handoverAt?: string;
  /**
   * touch: the time (`at`) of the handover it answers, when that is an earlier one than the lead's handover at
   * the touch's own time: a call made while a previous owner had the lead, logged after it changed hands
   */
  readonly handover?: string;
  /** touch: business hours from the handover to the first attempt, in the owner's calendar */
  readonly responseHours?: number;
  /** touch: the first attempt came by the deadline */
  readonly met?: boolean;
  /**
   * attempt: 1-based number since the handover (absent: a call an earlier owner made, logged after the lead changed
   * hands, lateCall); handover, attempt: the cadence's length
   */
  readonly attemptNo?: number;
  readonly cadenceSteps?: number;
  /**
   * recycle, reject: the status the lead took; reason: the SLA rule that decided it (erase: `consent.eraseUnconfirmed`
   * on the erase of an unconfirmed sign-up by the SLA's retention, ADR 0092; absent on an erase on request)
   */
  readonly status?: string;
  readonly reason?: string;
  /**
   * A fact that ended the owner's handover (erase; handover: a reassignment, the previous owner's; recycle, reject:
   * the lead left its owner): the cadence steps that handover had asked for by then, each one whose deadline passed
   * before it (step 1 at the first-touch deadline, a later one its delay after the attempt before it, or after that
   * step's deadline: lead-plan.ts cadenceSchedule), and any attempted earlier. The report asks no more of it
   * (ADR 0078). Absent on a reassignment, recycle or reject stored before ADR 0078: those end no cadence.
   */
  readonly stepsDue?: number;
  /**
   * takeover: whom the escalation ladder handed the lead over to ("Over to you", ADR 0085, tasks/advance.ts
   * handToManager, LeadState.takenOver): a manager's id (routing.managers), or "ops" (the deployment's ops address,
   * when the SLA names nobody). `rep` is the owner it stayed with. Only takeovers whose timeline entry says so
   * (`data.takenOver`, since ADR 0090): one stored before has no fact.
   */
  readonly manager?: string;
}

const isPerson = (by: string) => by !== 'workflow' && by !== 'form' && !by.startsWith('system:');

const stageOf = (value: string | undefined): LifecycleStage | undefined => {
  const stage = value?.split('/')[0];
  return (LIFECYCLE_STAGES as readonly string[]).includes(stage ?? '')
    ? (stage as LifecycleStage)
    : undefined;
};
const statusOf = (value: string | undefined): string | undefined =>
  value?.includes('/') ? value.split('/')[1] : undefined;

const HOUR = 3_600_000;

/**
 * Where the walk over a lead's timeline stands after some entries: what the facts of later entries need
 * of earlier ones (the stage and since when, the owner and the handover's clock, the attempts since it).
 * A store that moves the oldest entries off the lead (ADR 0021) keeps the walk's state at the first entry
 * it still holds (`through`), so facts of later changes are those of the whole story (ADR 0030).
 */
export interface FactsCarry {
  /** the story position it stands at: it applies to a lead whose kept entries start there (timelineBase) */
  readonly through: number;
  readonly stage?: LifecycleStage;
  readonly stageSince?: string;
  /** the lead status the last `stage/status` entry set (absent in carries written before it was kept) */
  readonly status?: string;
  readonly owner?: string;
  readonly firstHandoff?: string;
  /** every rep who had the lead since `firstHandoff`, in order (the ladder never hands it back to one) */
  readonly owners?: readonly string[];
  readonly start?: string;
  readonly dueAt?: string;
  readonly attempts: number;
  /** when this handover's attempts happened, oldest first (absent in carries written before it was kept) */
  readonly attemptsAt?: readonly string[];
  /** since when the lead, with no owner, waits for one: its handoff found nobody and asked the manager */
  readonly waitingSince?: string;
  /**
   * the handovers since `firstHandoff`, oldest first, the current one last (at most MAX_HANDOVERS_KEPT): a call
   * logged after the lead changed hands, dated while an earlier owner had it, is that owner's touch
   */
  readonly handovers?: readonly KeptHandover[];
  /**
   * the owner a recycle (or a disqualification) took the lead from, and when: the cadence's breach entry follows
   * its recycle at the same instant (tasks/advance.ts recycle) and is that owner's breach
   */
  readonly leftOwner?: { readonly rep: string; readonly at: string };
  /**
   * the handover (its key, `data.takenOver`) of the latest takeover told: a later reassign rung of the same handover
   * hands it over again (the ladder goes on after the takeover), which is no second lead over to a manager
   */
  readonly takenOver?: string;
}

/** A handover as the walk keeps it, to judge a call of its owner logged after the lead changed hands. */
export interface KeptHandover {
  readonly at: string;
  readonly owner: string;
  /** its SLA clock's start */
  readonly start: string;
  readonly dueAt?: string;
  /** its first touch is known */
  readonly touched?: boolean;
}

/** The handovers of a lead the walk keeps (the ladder's reassignments and a person's few): bounds the carry. */
const MAX_HANDOVERS_KEPT = 8;

type Walk = { -readonly [K in keyof FactsCarry]: FactsCarry[K] };
type Push = (
  entry: TimelineEntry,
  fact: Omit<LeadFact, 'leadId' | 'at' | 'seq' | 'leadType' | 'queue'>,
) => void;

/** The walk's state at the lead's first kept entry: its carry when it stands there, else the story's start. */
function walkFrom(lead: LeadState): Walk {
  const carry = lead.factsCarry;
  if (carry && carry.through === timelineBase(lead)) return { ...carry };
  return { through: timelineBase(lead), attempts: 0 };
}

/**
 * The handovers since the lead's handoff as the report judges them (ADR 0089): each one's owner, its instant, its
 * first-touch deadline, and whether a call made in it (by its time, whoever logged it, whenever) touched it; the
 * current one last. From the tail and the carry standing at it: no page is read. Undefined when the walk cannot
 * tell them all (entries moved before a carry stood at the tail, or the carry kept fewer than there were).
 */
export function handoversSinceHandoff(sla: Sla, lead: LeadState): readonly KeptHandover[] | undefined {
  const base = timelineBase(lead);
  if (base > 0 && lead.factsCarry?.through !== base) return undefined;
  const walk = walkFrom(lead);
  walkEntries(sla, lead, lead.timeline, walk);
  const handovers = walk.handovers ?? [];
  if (walk.firstHandoff === undefined || handovers[0]?.at !== walk.firstHandoff) return undefined;
  return handovers;
}

/**
 * The carry after `moving`, the lead's oldest kept entries, leave it: undefined when entries moved off before
 * and the lead's own carry does not stand at its first kept entry (a lead whose entries moved before carries
 * existed).
 */
export function carryFacts(
  sla: Sla,
  lead: LeadState,
  moving: readonly TimelineEntry[],
): FactsCarry | undefined {
  const base = timelineBase(lead);
  // entries only dropped (the cap, an erased cycle) are no context: the walk starts at the first kept one
  if (base > lead.timelineDropped && lead.factsCarry?.through !== base) return undefined;
  const walk = walkFrom(lead);
  walkEntries(sla, lead, moving, walk);
  return stripUndefined({ ...walk, through: base + moving.length });
}

/** Every fact of a lead's timeline, in timeline order. */
export function factsOf(
  sla: Sla,
  lead: LeadState,
  keep: (entry: TimelineEntry) => boolean = () => true,
): LeadFact[] {
  const facts: LeadFact[] = [];
  const seqs = new Map<string, number>();
  const country = typeof lead.fields.country === 'string' ? lead.fields.country : undefined;
  const queue = queueOf(sla, lead.leadType, country);
  const walk = walkFrom(lead);
  const push: Push = (entry, fact) => {
    const id = `${fact.kind}|${entry.at}`;
    const seq = seqs.get(id) ?? 0;
    seqs.set(id, seq + 1);
    // numbered whether kept or not: a fact's seq counts the facts of its kind and instant before it
    if (!keep(entry)) return;
    const told = {
      leadId: lead.leadId,
      at: entry.at,
      seq,
      leadType: lead.leadType,
      // an erased lead's country is gone: the queue its erase is told by would be a guess
      ...(queue && fact.kind !== 'erase' ? { queue } : {}),
      ...(fact.rep === undefined && walk.owner ? { rep: walk.owner } : {}),
      ...fact,
    } as LeadFact;
    // the rep's name in the SLA deriving it: the report names them by it once they have left the SLA
    const repName =
      told.rep === undefined ? undefined : sla.routing.reps.find((r) => r.id === told.rep)?.name;
    facts.push(repName === undefined ? told : { ...told, repName });
  };
  walkEntries(sla, lead, lead.timeline, walk, push);
  // an escalation rung is claimed in the outbox by the write that takes it (domain/outbox.ts): its
  // key is the rung's identity, its time the claim's (the first claim's, when a wake took it again); once
  // sent it leaves the outbox, the fact stays
  for (const claimed of lead.outbox ?? []) {
    if (claimed.key.startsWith('escalate:')) {
      const rep = lateOwner(claimed.email) ?? lead.ownerId;
      push(
        { at: claimed.firstAt ?? claimed.at, kind: 'escalation', by: 'workflow', reasons: [] },
        { kind: 'escalation', ...(rep ? { rep } : {}) },
      );
    }
  }
  return facts;
}

/**
 * The owner whose late first touch an escalation rung answers, from its email: the reassign rung is claimed by
 * the write that gives the lead to the next rep, so the lead's owner is then the one who got it, not the late one.
 */
function lateOwner(email: OutboxEmail): string | undefined {
  switch (email.type) {
    case 'firstTouchOverdue':
    case 'managerEscalation':
      return email.repId;
    case 'reassigned':
      return email.fromId;
    case 'managerTakeover':
      return email.ownerId;
    default:
      return undefined;
  }
}

/** Walks `entries` from `walk` (updated in place), telling `push` each fact when given. */
function walkEntries(
  sla: Sla,
  lead: LeadState,
  entries: readonly TimelineEntry[],
  walk: Walk,
  push: Push = () => {},
): void {
  const recycled = safeStatus(sla, 'recycled');
  const disqualified = safeStatus(sla, 'disqualified');
  // a lead with sales already (connected, a deal): a new owner makes no first touch (lead-plan.ts planNext)
  const withSales = new Set([safeStatus(sla, 'connected'), safeStatus(sla, 'dealOpened')]);
  const enter = (entry: TimelineEntry, next: LifecycleStage) => {
    if (next === walk.stage) return;
    const { stage, stageSince } = walk;
    const hours = stage && stageSince ? (Date.parse(entry.at) - Date.parse(stageSince)) / HOUR : undefined;
    push(entry, {
      kind: 'stage',
      stage: next,
      ...(stage ? { from: stage } : {}),
      ...(hours !== undefined ? { hoursInFrom: round(hours) } : {}),
    });
    walk.stage = next;
    walk.stageSince = entry.at;
  };

  // what `entry` ends, when it takes the lead from its owner: the steps the owner's cadence had asked for by then
  const ended = (entry: TimelineEntry): { stepsDue?: number } =>
    walk.owner !== undefined && walk.start !== undefined
      ? { stepsDue: stepsDueBy(sla, lead.leadType, walk, entry.at) }
      : {};

  for (const entry of entries) {
    if (entry.kind === 'escalation' && entry.data?.takenOver !== undefined && entry.to) {
      // the ladder ran out: the lead is over to the manager, and stays with its owner until they decide (ADR 0090);
      // once per handover: a rung after it hands the same handover over again (its takeover counted once)
      const handover = String(entry.data.takenOver);
      if (walk.takenOver !== handover)
        push(entry, { kind: 'takeover', manager: entry.to, ...(entry.from ? { rep: entry.from } : {}) });
      walk.takenOver = handover;
    }
    if (entry.kind === 'created') {
      const to = stageOf(entry.to);
      if (to) enter(entry, to);
      continue;
    }
    if (entry.kind === 'escalation' && entry.from === undefined && walk.owner === undefined) {
      // with no owner, an escalation is the handoff's "the lead needs an owner" (tasks/handoff.ts needsOwner);
      // one from an owner (the ladder's hand-over to the manager, tasks/advance.ts handToManager) is no wait,
      // also where the walk does not know that owner (its handover not on the state, no carry standing)
      walk.waitingSince ??= entry.at;
      continue;
    }
    if (entry.kind === 'owner' && entry.to && !entry.to.includes('/')) {
      const reassigned = walk.owner !== undefined;
      // the previous owner's handover ends here: its cadence asks only the steps due by now
      const previous = ended(entry);
      const waited =
        !reassigned && walk.waitingSince
          ? { waitedHours: round(Math.max(0, Date.parse(entry.at) - Date.parse(walk.waitingSince)) / HOUR) }
          : {};
      walk.waitingSince = undefined;
      walk.owner = entry.to;
      walk.owners = walk.firstHandoff === undefined ? [entry.to] : [...(walk.owners ?? []), entry.to];
      walk.firstHandoff ??= entry.at;
      walk.start =
        sla.contact.onReassign === 'restart' || !reassigned ? entry.at : (walk.firstHandoff ?? entry.at);
      const noFirstTouch =
        reassigned &&
        (walk.stage === 'opportunity' ||
          walk.stage === 'customer' ||
          (walk.status !== undefined && withSales.has(walk.status)));
      // the lead's current handover keeps the deadline it was given (ADR 0059), as the workflow does
      const terms = lead.handoverTerms?.since === entry.at ? keptTerms(lead) : undefined;
      walk.dueAt = noFirstTouch
        ? undefined
        : (terms?.dueAt.toISOString() ?? deadline(sla, walk.owner, walk.start, lead.leadType));
      walk.attempts = 0;
      walk.attemptsAt = [];
      const kept: KeptHandover = {
        at: entry.at,
        owner: entry.to,
        start: walk.start,
        ...(walk.dueAt ? { dueAt: walk.dueAt } : {}),
        // no first touch is owed: none can be credited to it either
        ...(noFirstTouch ? { touched: true } : {}),
      };
      walk.handovers = [...(reassigned ? (walk.handovers ?? []) : []), kept].slice(-MAX_HANDOVERS_KEPT);
      push(entry, {
        kind: 'handover',
        rep: walk.owner,
        reassigned,
        ...previous,
        ...(noFirstTouch ? { noFirstTouch } : {}),
        byPerson: isPerson(entry.by),
        ...waited,
        cadenceSteps: cadenceFor(sla, lead.leadType).steps.length,
        ...(walk.dueAt ? { dueAt: walk.dueAt } : {}),
      });
      continue;
    }
    if (entry.kind === 'breach') {
      // the cadence's breach comes right after the recycle that ended the owner's handover: theirs (before, a
      // breach fact named no rep, and every rep's cadence breaches read 0 in the report)
      const left =
        walk.owner === undefined && walk.leftOwner?.at === entry.at ? walk.leftOwner.rep : undefined;
      push(entry, {
        kind: 'breach',
        reason: entry.reasons[0]?.rule ?? 'breach',
        ...(left ? { rep: left } : {}),
      });
      continue;
    }
    if (entry.kind === 'erased') {
      // the erase ends the owner's handover: nobody can touch the lead any more (the report judges no first
      // touch whose deadline was still ahead, and asks only the cadence steps already due)
      const erased = ended(entry);
      // an unconfirmed sign-up erased by the SLA's retention (ADR 0092): counted in the report, as such
      const retention = entry.reasons[0]?.rule === UNCONFIRMED_ERASE_RULE;
      if (erased.stepsDue !== undefined || retention)
        push(entry, { kind: 'erase', ...erased, ...(retention ? { reason: UNCONFIRMED_ERASE_RULE } : {}) });
      continue;
    }
    // a stage move (judgement) or a lifecycle occurrence (`stage/status` on both sides)
    const toStage = stageOf(entry.to);
    if (entry.kind === 'attempt') {
      const steps = cadenceFor(sla, lead.leadType).steps.length;
      // when the call happened: an attempt logged later (a CRM's sync) records it (sales-actions.ts)
      const occurred = entry.data?.occurredAt;
      const happened =
        typeof occurred === 'string' && !Number.isNaN(Date.parse(occurred)) ? occurred : entry.at;
      if (walk.start && happened < walk.start) {
        // made before this handover's clock started, while an earlier owner had the lead: no attempt of this
        // handover (the workflow does not count it either, lead-plan.ts handoverAttempts), maybe the first
        // touch of that earlier one
        lateCall(sla, walk, entry, happened, steps, push);
      } else {
        walk.attempts += 1;
        // the cadence's schedule reads its first `steps` attempts, in the order they happened: bounds the carry
        walk.attemptsAt = [...(walk.attemptsAt ?? []), happened].sort().slice(0, steps);
        push(entry, { kind: 'attempt', attemptNo: walk.attempts, cadenceSteps: steps });
        if (walk.attempts === 1 && walk.start) {
          const current = walk.handovers?.at(-1);
          if (current) walk.handovers = [...walk.handovers!.slice(0, -1), { ...current, touched: true }];
          push(entry, {
            kind: 'touch',
            handoverAt: walk.start,
            responseHours: responseHours(sla, walk.owner, walk.start, happened),
            ...(walk.dueAt ? { dueAt: walk.dueAt, met: happened <= walk.dueAt } : {}),
          });
        }
      }
    }
    // a deal's lead (an opportunity, a customer) leaving sales is a lost deal, not an SQL sales rejected: sales
    // accepted it when the deal opened
    const hadDeal = walk.stage === 'opportunity' || walk.stage === 'customer';
    if (toStage && (entry.kind === 'stage' || entry.to?.includes('/'))) enter(entry, toStage);
    const fromStatus = statusOf(entry.from);
    const toStatus = statusOf(entry.to);
    if (toStatus) walk.status = toStatus;
    if (toStatus && toStatus !== fromStatus) {
      const reason = entry.reasons[0]?.rule ?? entry.kind;
      const leaves = toStatus === recycled || toStatus === disqualified;
      // back with marketing (or out): the owner's handover ends, and its cadence with it
      const left = leaves ? ended(entry) : {};
      if (toStatus === recycled) push(entry, { kind: 'recycle', status: toStatus, reason, ...left });
      if (leaves && isPerson(entry.by) && !hadDeal)
        push(entry, { kind: 'reject', status: toStatus, reason, ...left });
      if (leaves) {
        // back with marketing (or out): the next handover starts afresh
        walk.leftOwner = walk.owner === undefined ? undefined : { rep: walk.owner, at: entry.at };
        walk.owner = undefined;
        walk.start = undefined;
        walk.dueAt = undefined;
        walk.attemptsAt = undefined;
        walk.firstHandoff = undefined;
        walk.owners = undefined;
        walk.waitingSince = undefined;
        walk.handovers = undefined;
      }
    }
  }
}

/**
 * A call made while an earlier owner had the lead, logged after it changed hands (`at` of an attempt is when the
 * call happened, sales-actions.ts): an attempt of that owner, and the first touch of their handover when it had
 * none yet. Judged by that handover's deadline, as the SLA judges every first touch by when the call happened.
 */
function lateCall(
  sla: Sla,
  walk: Walk,
  entry: TimelineEntry,
  happened: string,
  steps: number,
  push: Push,
): void {
  const handovers = walk.handovers ?? [];
  // the handover the lead was in when the call happened: the last one begun by then, before the current one
  const index = handovers.findLastIndex((kept, i) => i < handovers.length - 1 && kept.at <= happened);
  const earlier = index >= 0 ? handovers[index]! : undefined;
  push(entry, { kind: 'attempt', cadenceSteps: steps, ...(earlier ? { rep: earlier.owner } : {}) });
  if (!earlier || earlier.touched) return;
  walk.handovers = handovers.map((kept, i) => (i === index ? { ...kept, touched: true } : kept));
  push(entry, {
    kind: 'touch',
    rep: earlier.owner,
    handover: earlier.at,
    handoverAt: earlier.start,
    responseHours: responseHours(sla, earlier.owner, earlier.start, happened),
    ...(earlier.dueAt ? { dueAt: earlier.dueAt, met: happened <= earlier.dueAt } : {}),
  });
}

/**
 * The cadence steps the current handover had asked for by `at` (what ends it: an erase, a reassignment, a recycle
 * or a disqualification): those whose deadline passed
 * before it, on the workflow's schedule (lead-plan.ts cadenceSchedule: step 1 at the deadline the handover kept),
 * or more when more were attempted (early).
 */
function stepsDueBy(sla: Sla, leadType: string, walk: Walk, at: string): number {
  const attemptsAt = walk.attemptsAt ?? [];
  const schedule = cadenceSchedule(
    sla,
    calendarOf(sla, walk.owner),
    new Date(walk.start!),
    attemptsAt.map((happened) => ({ at: happened })),
    leadType,
    walk.dueAt ? new Date(walk.dueAt) : undefined,
  );
  // the last step due: those before it are asked too (an early call makes step 2 due before step 1's deadline)
  const due = schedule.findLastIndex((deadline) => deadline.toISOString() < at) + 1;
  return Math.max(due, walk.attempts);
}

/** Business hours from a handover's clock start to its first touch, in the owner's calendar. */
function responseHours(sla: Sla, owner: string | undefined, start: string, happened: string): number {
  const cal = calendarOf(sla, owner);
  return round(Math.max(0, businessHoursBetween(cal, new Date(start), new Date(happened))));
}

function stripUndefined(walk: Walk): FactsCarry {
  return Object.fromEntries(
    Object.entries(walk).filter(([, value]) => value !== undefined),
  ) as unknown as FactsCarry;
}

/**
 * The facts a write of `lead` adds: those of its latest change (a conditional put skips any stored before).
 * `since`, the story's length before the write (the version it replaced), says exactly which entries the
 * write added: their facts, and those of the escalations it claimed (outbox entries, by time). Without it (a
 * new lead, a writer that did not read first) the change is told by time: the entries and claims at or after
 * the latest entry's time or the write's, whichever is earlier; several writes at one instant (a signal and
 * the wake it starts, on the manual clock) then each put the facts of that instant again.
 */
export function latestFacts(sla: Sla, lead: LeadState, since?: number): LeadFact[] {
  const last = lead.timeline.at(-1)?.at;
  if (!last) return [];
  // the change's own entries carry its time; an entry stamped earlier than updatedAt is caught by `last`
  const cutoff = [last, lead.updatedAt].sort()[0]!;
  const base = timelineBase(lead);
  if (since === undefined || since < base || since > storyLength(lead))
    return factsOf(sla, lead).filter((fact) => fact.at >= cutoff);
  const kept = new Set(lead.timeline);
  const added = new Set(lead.timeline.slice(since - base));
  // an escalation's fact comes from its outbox claim, not from an entry: told by time, as without `since`
  return factsOf(sla, lead, (entry) => added.has(entry) || (!kept.has(entry) && entry.at >= cutoff));
}

export function queueOf(sla: Sla, leadType: string, country: string | undefined): string | undefined {
  try {
    return chooseQueue(sla, { leadTypeId: leadType, ...(country ? { country } : {}) }).queue.id;
  } catch {
    return undefined;
  }
}

function calendarOf(sla: Sla, repId: string | undefined): WorkingCalendar {
  const rep = sla.routing.reps.find((candidate) => candidate.id === repId);
  return rep ? repCalendar(sla, rep) : sla.calendar;
}

function deadline(sla: Sla, repId: string, start: string, leadType: string): string | undefined {
  try {
    return firstTouchDue(sla, calendarOf(sla, repId), new Date(start), leadType).toISOString();
  } catch {
    return undefined;
  }
}

function safeStatus(sla: Sla, moment: Parameters<typeof statusFor>[1]): string | undefined {
  try {
    return statusFor(sla, moment);
  } catch {
    return undefined;
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;
